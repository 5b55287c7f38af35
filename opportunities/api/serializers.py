"""The catalogue as partner portals read it: references and codes, both languages, money with its currency."""

from rest_framework import serializers

from registry.api.serializers import (
    CommoditySerializer,
    CountySerializer,
    EventSerializer,
    ProvinceSerializer,
    SectorSerializer,
)

from ..models import Document, Opportunity


class OpportunityListSerializer(serializers.ModelSerializer):
    province = ProvinceSerializer(read_only=True)
    county = CountySerializer(read_only=True)
    sector = SectorSerializer(read_only=True)
    commodity = CommoditySerializer(read_only=True)
    capex_currency = serializers.CharField(source="capex_currency_id", read_only=True, allow_null=True)
    event = EventSerializer(read_only=True)
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
    url = serializers.FileField(source="file", read_only=True)

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
