"""Inquiry endpoints: anyone may submit (idempotent, rate limited); staff read and act on their provinces' only."""

from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.models import User

from .. import ratelimit, services
from ..filters import InquiryFilterSet
from ..permissions import IsInquiryStaff
from ..selectors import inbox_queryset, inquiry_target, staff_thread
from ..stats import accountability
from . import serializers as s

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, description="A retry with the same key and body creates nothing."
)


def request_body(data) -> dict:
    """The body as plain JSON-able data, whatever the parser (JSON, form), for the idempotency fingerprint."""
    if hasattr(data, "lists"):
        return {key: values if len(values) != 1 else values[0] for key, values in data.lists()}
    return dict(data)


def idempotency_of(request) -> services.IdempotencyRequest | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    if len(key) > 200:
        raise ValidationError({"Idempotency-Key": [_("At most 200 characters.")]})
    user_id = request.user.pk if request.user.is_authenticated else None
    fingerprint = services.request_fingerprint(body=request_body(request.data), user_id=user_id, target="api")
    return services.IdempotencyRequest(key=key, fingerprint=fingerprint)


def conflict_response() -> Response:
    detail = _("This Idempotency-Key was already used with a different request body.")
    return Response({"detail": detail, "code": "idempotency_key_reused"}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)


class InquiryViewSet(viewsets.ReadOnlyModelViewSet):
    """`POST` is open to everyone (guests included); reading and acting is for staff, scoped to their provinces."""

    serializer_class = s.InquirySerializer
    filterset_class = InquiryFilterSet

    def get_permissions(self):
        return [AllowAny()] if self.action == "create" else [IsInquiryStaff()]

    def get_queryset(self):
        return inbox_queryset(self.request.user)

    def get_serializer_class(self):
        return s.InquiryCreateSerializer if self.action == "create" else s.InquirySerializer

    def get_filterset_kwargs(self):
        return {"user": self.request.user}

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filterset = InquiryFilterSet(self.request.query_params, queryset=queryset, user=self.request.user)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs

    @extend_schema(parameters=[IDEMPOTENCY_HEADER], responses={201: s.InquiryReceiptSerializer})
    def create(self, request):
        idempotency = idempotency_of(request)
        if idempotency is not None:
            try:
                replay = services.idempotent_replay(idempotency=idempotency)
            except services.IdempotencyConflict:
                return conflict_response()
            if replay is not None:
                return Response(replay, status=status.HTTP_201_CREATED, headers={"Idempotent-Replayed": "true"})
        if (wait := ratelimit.ip_limited(ratelimit.client_ip(request))) is not None:
            raise Throttled(wait=wait)
        serializer = s.InquiryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if (wait := ratelimit.email_limited(data["email"])) is not None:
            raise Throttled(wait=wait)
        opportunity, province, sector = inquiry_target(
            user=request.user, reference=data.get("opportunity", ""), province=data.get("province"),
            sector=data.get("sector"),
        )  # fmt: skip
        try:
            receipt, _created = services.inquiry_submit(
                data=serializer.contact_data(), province=province, opportunity=opportunity, sector=sector,
                user=request.user, ip=ratelimit.client_ip(request), is_spam=bool(data["website"].strip()),
                idempotency=idempotency,
            )  # fmt: skip
        except services.IdempotencyConflict:
            return conflict_response()
        return Response(receipt, status=status.HTTP_201_CREATED)

    def _validated(self, request, serializer_class):
        """The scoped inquiry (404 for another province's) and the validated body."""
        inquiry = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return inquiry, serializer.validated_data

    def _fresh(self, inquiry) -> Response:
        return Response(s.InquirySerializer(self.get_queryset().get(pk=inquiry.pk)).data)

    @extend_schema(request=s.InquiryTransitionSerializer, responses=s.InquirySerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the inquiry along its lifecycle; a move not in the table is a 400 naming `status`."""
        inquiry, data = self._validated(request, s.InquiryTransitionSerializer)
        services.inquiry_transition(
            inquiry=inquiry, actor=request.user, to_status=data["status"], note=data["note"], reason=data["reason"]
        )
        return self._fresh(inquiry)

    @extend_schema(request=s.InquiryAssignSerializer, responses=s.InquirySerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Give the inquiry to a person (by e-mail) who serves its province, or to nobody (null)."""
        inquiry, data = self._validated(request, s.InquiryAssignSerializer)
        assignee = None
        if data["assignee"]:
            assignee = User.objects.filter(email__iexact=data["assignee"]).first()
            if assignee is None:
                raise ValidationError({"assignee": [_("No such person.")]})
        services.inquiry_assign(inquiry=inquiry, actor=request.user, assignee=assignee)
        return self._fresh(inquiry)

    @extend_schema(request=s.InquiryNoteSerializer, responses=s.InquirySerializer)
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        """An internal note (never shown to the investor)."""
        inquiry, data = self._validated(request, s.InquiryNoteSerializer)
        services.inquiry_note_add(inquiry=inquiry, actor=request.user, text=data["note"])
        return self._fresh(inquiry)

    @extend_schema(request=s.InquiryMessageSerializer, responses=s.InquirySerializer)
    @action(detail=True, methods=["post"])
    def messages(self, request, pk=None):
        """A message to the investor, e-mailed and shown on their page."""
        inquiry, data = self._validated(request, s.InquiryMessageSerializer)
        services.inquiry_message_send(inquiry=inquiry, actor=request.user, text=data["message"])
        return self._fresh(inquiry)

    @extend_schema(request=s.InquiryFollowUpSerializer, responses=s.InquirySerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        inquiry, data = self._validated(request, s.InquiryFollowUpSerializer)
        services.inquiry_follow_up_set(inquiry=inquiry, actor=request.user, on=data["follow_up_on"])
        return self._fresh(inquiry)

    @extend_schema(responses=s.InquiryEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        """The inquiry's event log, internal notes included (staff only)."""
        return Response(s.InquiryEventSerializer(staff_thread(self.get_object()), many=True).data)


class _OneObjectSchema(AutoSchema):
    """The accountability figures are one object, though served by a router's `list` route."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class AccountabilityViewSet(viewsets.ViewSet):
    """Public: per province the median hours to a first answer and the share within the SLA; the funnel
    inquiries → negotiation → contracted by province and sector (last 365 days, spam excluded)."""

    permission_classes = [AllowAny]
    schema = _OneObjectSchema()

    @extend_schema(responses=s.AccountabilitySerializer)
    def list(self, request):
        return Response(s.AccountabilitySerializer(accountability()).data)
