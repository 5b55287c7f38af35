"""Inquiries as the API reads and writes them. Shape only: lengths, Persian numbers, codes; services do the rest."""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registry.models import Currency, Province, Sector
from registry.text import parse_number

from ..choices import MAX_LENGTHS, MIN_MESSAGE_LENGTH, InvestmentMode, Language, Status
from ..forms import phone_clean
from ..models import Inquiry, InquiryEvent
from ..selectors import sla_state


class InquiryCreateSerializer(serializers.Serializer):
    """A submission. `opportunity` is a reference (WA-MIN-2025-0007); without one, `province` (and optionally
    `sector`) by code. `ticket_size` reads «۵۰ میلیون» as well as 50000000. `website` is the honeypot."""

    opportunity = serializers.CharField(required=False, allow_blank=True, max_length=32)
    province = serializers.SlugRelatedField(
        slug_field="code", queryset=Province.objects.all(), required=False, allow_null=True
    )
    sector = serializers.SlugRelatedField(
        slug_field="code", queryset=Sector.objects.all(), required=False, allow_null=True
    )
    name = serializers.CharField(max_length=MAX_LENGTHS["name"])
    email = serializers.EmailField(max_length=MAX_LENGTHS["email"])
    company = serializers.CharField(max_length=MAX_LENGTHS["company"], required=False, allow_blank=True, default="")
    country = serializers.CharField(max_length=MAX_LENGTHS["country"], required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=MAX_LENGTHS["phone"], required=False, allow_blank=True, default="")
    ticket_size = serializers.CharField(
        max_length=MAX_LENGTHS["ticket_size"], required=False, allow_blank=True, allow_null=True, default=None
    )
    ticket_currency = serializers.SlugRelatedField(
        slug_field="code", queryset=Currency.objects.all(), required=False, allow_null=True, default=None
    )
    investment_mode = serializers.ChoiceField(
        choices=InvestmentMode.choices, required=False, allow_blank=True, default=""
    )
    language = serializers.ChoiceField(choices=Language.choices, default=Language.FA)
    message = serializers.CharField(max_length=MAX_LENGTHS["message"], min_length=MIN_MESSAGE_LENGTH)
    website = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)

    def validate_phone(self, value: str) -> str:
        try:
            return phone_clean(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def validate_ticket_size(self, value) -> Decimal | None:
        if value in (None, ""):
            return None
        try:
            number = parse_number(str(value))
        except ValueError:
            raise serializers.ValidationError(_("Enter a number, e.g. 1200, ۱۲۰۰ or ۵۰ میلیون.")) from None
        if number < 0 or number >= Decimal(10) ** 22:
            raise serializers.ValidationError(_("Enter an amount between 0 and 10²²."))
        return number.quantize(Decimal("0.01"))

    def validate(self, attrs):
        if attrs.get("ticket_size") is not None and attrs.get("ticket_currency") is None:
            raise serializers.ValidationError({"ticket_currency": [_("Give the currency of the ticket size.")]})
        if not attrs.get("opportunity") and attrs.get("province") is None:
            raise serializers.ValidationError({"province": [_("Give an opportunity reference or a province code.")]})
        return attrs

    def contact_data(self) -> dict:
        fields = ("name", "email", "company", "country", "phone", "ticket_size", "ticket_currency",
                  "investment_mode", "language", "message")  # fmt: skip
        data = {name: self.validated_data[name] for name in fields}
        if data["ticket_size"] is None:
            data["ticket_currency"] = None
        return data


class InquiryReceiptSerializer(serializers.Serializer):
    """What a submitter gets back (201), the same for every submission including caught spam."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    language = serializers.CharField()
    created_at = serializers.DateTimeField()
    first_response_due_at = serializers.DateTimeField()


@extend_schema_field(
    {
        "type": "string",
        "pattern": f"^({'|'.join(Status.values)})?$",
        "description": "An inquiry status: " + ", ".join(Status.values) + ".",
    }
)
class InquiryStatusField(serializers.ChoiceField):
    """An inquiry status. Described by a pattern rather than an enum: the schema's enum components are named after
    the property, and `status` already names the catalogue's publication statuses (ENUM_NAME_OVERRIDES would be the
    settings-side fix)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Status.choices)
        super().__init__(**kwargs)


class InquiryEventSerializer(serializers.ModelSerializer):
    actor = serializers.EmailField(source="actor.email", read_only=True, allow_null=True, default=None)
    from_status = InquiryStatusField(read_only=True, allow_blank=True)
    to_status = InquiryStatusField(read_only=True, allow_blank=True)

    class Meta:
        model = InquiryEvent
        fields = ["id", "kind", "actor", "from_status", "to_status", "note", "data", "created_at"]


class InquirySerializer(serializers.ModelSerializer):
    """The staff view of an inquiry (scoped: another province's is a 404)."""

    reference = serializers.CharField(read_only=True)
    opportunity = serializers.CharField(source="opportunity.reference", read_only=True, default=None)
    province = serializers.CharField(source="province.code", read_only=True)
    sector = serializers.CharField(source="sector.code", read_only=True, default=None)
    ticket_currency = serializers.CharField(source="ticket_currency_id", read_only=True, allow_null=True)
    assignee = serializers.EmailField(source="assignee.email", read_only=True, default=None)
    status = InquiryStatusField(read_only=True)
    sla = serializers.SerializerMethodField()

    class Meta:
        model = Inquiry
        fields = [
            "id", "reference", "opportunity", "province", "sector", "name", "email", "company", "country", "phone",
            "ticket_size", "ticket_currency", "investment_mode", "language", "message", "status", "lost_reason",
            "assignee", "follow_up_on", "created_at", "first_response_due_at", "first_response_at", "reminded_at",
            "escalated_at", "closed_at", "sla",
        ]  # fmt: skip
        read_only_fields = fields

    def get_sla(self, obj) -> str:
        return sla_state(obj, self.context.get("now"))


class InquiryTransitionSerializer(serializers.Serializer):
    status = InquiryStatusField()
    note = serializers.CharField(max_length=MAX_LENGTHS["note"], required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=MAX_LENGTHS["reason"], required=False, allow_blank=True, default="")


class InquiryAssignSerializer(serializers.Serializer):
    assignee = serializers.EmailField(allow_null=True)


class InquiryNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=MAX_LENGTHS["note"])


class InquiryMessageSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=MAX_LENGTHS["message"])


class InquiryFollowUpSerializer(serializers.Serializer):
    follow_up_on = serializers.DateField(allow_null=True)


class _ProvinceBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_fa = serializers.CharField()
    name_en = serializers.CharField()


class ProvinceResponseTimeSerializer(serializers.Serializer):
    province = _ProvinceBriefSerializer()
    inquiries = serializers.IntegerField()
    answered = serializers.IntegerField()
    within_sla = serializers.IntegerField()
    median_first_response_hours = serializers.FloatField(allow_null=True)
    within_sla_share = serializers.FloatField(allow_null=True, help_text="0..1, of the inquiries already decided.")


class InquiryFunnelSerializer(serializers.Serializer):
    province = serializers.CharField(source="province.code")
    sector = serializers.CharField(source="sector.code", allow_null=True, default=None)
    sector_name_fa = serializers.CharField(source="sector.name_fa", allow_null=True, default=None)
    sector_name_en = serializers.CharField(source="sector.name_en", allow_null=True, default=None)
    inquiries = serializers.IntegerField()
    opportunities = serializers.IntegerField()
    negotiation = serializers.IntegerField(help_text="Opportunities asked about that reached negotiation or later.")
    contracted = serializers.IntegerField()


class AccountabilitySerializer(serializers.Serializer):
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    sla_working_days = serializers.FloatField()
    provinces = ProvinceResponseTimeSerializer(many=True)
    funnel = InquiryFunnelSerializer(many=True)
