"""The catalogue as partner portals read it: references and codes, both languages, money with its currency."""

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from registry.api.fields import PersianDecimalField
from registry.api.serializers import (
    CommoditySerializer,
    CountySerializer,
    EventSerializer,
    ProvinceSerializer,
    SectorSerializer,
)
from registry.models import Commodity, County, Currency, Event, Province, Sector

from ..models import Document, Opportunity, OpportunityEvent
from ..services import EDITABLE_FIELDS
from ..workflow import TRANSITIONS


class OpportunityListSerializer(serializers.ModelSerializer):
    province = ProvinceSerializer(read_only=True)
    county = CountySerializer(read_only=True, allow_null=True)
    sector = SectorSerializer(read_only=True)
    commodity = CommoditySerializer(read_only=True, allow_null=True)
    capex_currency = serializers.CharField(source="capex_currency_id", read_only=True, allow_null=True)
    event = EventSerializer(read_only=True, allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="opportunity-detail", lookup_field="reference")

    class Meta:
        model = Opportunity
        fields = [
            "reference",
            "url",
            "title_fa",
            "title_en",
            "summary_fa",
            "summary_en",
            "province",
            "county",
            "sector",
            "commodity",
            "type",
            "stage",
            "status",
            "capex_amount",
            "capex_currency",
            "capex_usd",
            "jobs",
            "event",
            "published_at",
            "updated_at",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="document-download")

    class Meta:
        model = Document
        fields = ["id", "title", "kind", "language", "access_level", "content_type", "size_bytes", "url"]


class OpportunityDetailSerializer(OpportunityListSerializer):
    documents = serializers.SerializerMethodField()

    class Meta(OpportunityListSerializer.Meta):
        fields = OpportunityListSerializer.Meta.fields + [
            "description_fa",
            "description_en",
            "latitude",
            "longitude",
            "physical_progress_pct",
            "capacity_value",
            "capacity_unit",
            "in_free_zone",
            "in_special_economic_zone",
            "in_less_developed_area",
            "tax_holiday_years",
            "incentives_note",
            "land_status",
            "permit_status",
            "has_power",
            "has_water",
            "has_gas",
            "has_road",
            "has_rail",
            "reserves_tonnes",
            "grade_pct",
            "licence_status",
            "documents",
        ]

    def get_documents(self, obj) -> list[dict]:
        public = [doc for doc in obj.documents.all() if doc.access_level == "public"]
        return DocumentSerializer(public, many=True, context=self.context).data


class OpportunityWriteSerializer(serializers.ModelSerializer):
    """What staff may write: related rows by their public codes. Status, reference and derived figures are not
    fields here; sending them is a 400 naming the field, never a silent change."""

    province = serializers.SlugRelatedField(slug_field="code", queryset=Province.objects.all())
    county = serializers.SlugRelatedField(
        slug_field="code", queryset=County.objects.all(), required=False, allow_null=True
    )
    sector = serializers.SlugRelatedField(slug_field="code", queryset=Sector.objects.all())
    commodity = serializers.SlugRelatedField(
        slug_field="code", queryset=Commodity.objects.all(), required=False, allow_null=True
    )
    capex_currency = serializers.SlugRelatedField(
        slug_field="code", queryset=Currency.objects.all(), required=False, allow_null=True
    )
    event = serializers.SlugRelatedField(
        slug_field="slug", queryset=Event.objects.all(), required=False, allow_null=True
    )

    # Amounts, coordinates, reserves and grades read Persian digits and scale words, like every number people type.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: PersianDecimalField,
    }

    class Meta:
        model = Opportunity
        fields = sorted(EDITABLE_FIELDS - {"owner_organisation"})

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # DRF's 400: expected an object
        unknown = set(data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError({name: [_("This field cannot be written.")] for name in sorted(unknown)})
        return super().to_internal_value(data)

    def validate(self, attrs):
        return attrs  # cross-field rules live in the model's clean(), run by the service


class StrictWriteSchema(OpenApiSerializerExtension):
    """The write body's schema says what the serializer enforces: no properties beyond its fields."""

    target_class = OpportunityWriteSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return {**schema, "additionalProperties": False} if direction == "request" else schema


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(TRANSITIONS))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class TransitionOptionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    target = serializers.CharField()
    note_required = serializers.BooleanField()
    evidence_required = serializers.BooleanField()


class OpportunityEventSerializer(serializers.ModelSerializer):
    actor = serializers.EmailField(source="actor.email", read_only=True, allow_null=True, default=None)

    class Meta:
        model = OpportunityEvent
        fields = ["id", "kind", "action", "from_status", "to_status", "note", "actor", "created_at"]


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    by = serializers.EmailField(allow_null=True)
    type = serializers.CharField()
    reason = serializers.CharField(allow_null=True)
    changes = serializers.ListField(child=serializers.DictField())
