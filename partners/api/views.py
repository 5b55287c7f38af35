"""Partner-facing endpoints: the changes feed (event rows by ascending id, cursor = last id seen) and the standard
exports. Scopes are checked for keys by the authentication class; session users see what they may see."""

from django.apps import apps
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from opportunities.models import OpportunityEvent
from opportunities.selectors import opportunities_visible_to, opportunity_list_queryset

from .. import exports
from ..conditional import CatalogueConditionalMixin
from ..scopes import HasScope

CHANGES_PAGE = 100
MAX_CURSOR = 2**63 - 1
# Anyone may read what they may see; a key also needs the view's scope. AllowAny is listed (it is a no-op in the
# conjunction) so the schema shows anonymous access as allowed.
OPEN_WITH_SCOPES = [AllowAny, HasScope]


class ChangeSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="opportunity.reference")
    type = serializers.SerializerMethodField()

    class Meta:
        model = OpportunityEvent
        fields = ["id", "type", "reference", "kind", "action", "from_status", "to_status", "created_at"]

    def get_type(self, event) -> str:
        return f"opportunity.{event.kind}"


class WholeNumberField(serializers.IntegerField):
    """Digits only: DRF's IntegerField also takes '1.0' and ' 1', which the schema calls invalid."""

    def to_internal_value(self, data):
        if not (isinstance(data, str) and data.isascii() and data.isdigit()):
            self.fail("invalid")
        return super().to_internal_value(data)


class ChangesQuery(serializers.Serializer):
    cursor = WholeNumberField(
        min_value=0, max_value=MAX_CURSOR, default=0, help_text="The next_cursor of the previous page (0 to start)."
    )


class ChangesView(CatalogueConditionalMixin, APIView):
    """Everything that happened to opportunities you can see, oldest first. Pass `cursor` = the `next_cursor` of
    the previous page; an empty page keeps the same cursor, so you can poll it."""

    permission_classes = OPEN_WITH_SCOPES
    required_scopes = ("catalogue:read",)

    @extend_schema(
        parameters=[ChangesQuery],
        responses=inline_serializer(
            "ChangesPage",
            {
                "results": ChangeSerializer(many=True),
                "next_cursor": serializers.IntegerField(),
                "has_more": serializers.BooleanField(),
            },
        ),
    )
    def get(self, request):
        query = ChangesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        cursor = query.validated_data["cursor"]
        events = list(
            OpportunityEvent.objects.filter(id__gt=cursor, opportunity__in=opportunities_visible_to(request.user))
            .select_related("opportunity")
            .order_by("id")[: CHANGES_PAGE + 1]
        )
        page = events[:CHANGES_PAGE]
        next_cursor = page[-1].pk if page else cursor
        data = {"results": ChangeSerializer(page, many=True).data, "next_cursor": next_cursor}
        return Response(data | {"has_more": len(events) > CHANGES_PAGE})


def _export_queryset(user):
    return opportunity_list_queryset(user).select_related("owner_organisation").prefetch_related("documents")


class GeoJSONExportView(CatalogueConditionalMixin, APIView):
    """Every opportunity you can see as a GeoJSON FeatureCollection (geometry null where no point is known)."""

    permission_classes = OPEN_WITH_SCOPES
    required_scopes = ("catalogue:read",)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(exports.geojson_collection(_export_queryset(request.user).order_by("id")))


class OC4IDSExportView(CatalogueConditionalMixin, APIView):
    """Every opportunity you can see as an OC4IDS project package (schema 0.9)."""

    permission_classes = OPEN_WITH_SCOPES
    required_scopes = ("catalogue:read",)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(exports.oc4ids_package(_export_queryset(request.user).order_by("id")))


class OC4IDSProjectView(CatalogueConditionalMixin, APIView):
    """One opportunity as an OC4IDS project package."""

    permission_classes = OPEN_WITH_SCOPES
    required_scopes = ("catalogue:read",)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, reference: str):
        opportunity = get_object_or_404(_export_queryset(request.user), reference=reference.upper())
        return Response(exports.oc4ids_package([opportunity]))


class PartnerInquirySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    opportunity = serializers.CharField(source="opportunity.reference", allow_null=True, default=None)
    province = serializers.CharField(source="province.code")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    first_response_at = serializers.DateTimeField(allow_null=True)


class PartnerInquiriesView(ListAPIView):
    """The inquiries this partner submitted (through POST /inquiries/ with its key), newest first."""

    permission_classes = OPEN_WITH_SCOPES
    required_scopes = ("inquiries:read",)
    serializer_class = PartnerInquirySerializer
    filter_backends: list = []

    def get_queryset(self):
        model = apps.get_model("inquiries", "Inquiry")
        user = self.request.user
        if not user.is_authenticated:
            return model.objects.none()
        return model.objects.filter(user=user).select_related("opportunity", "province").order_by("-created_at", "-id")
