"""Shapes of the investor's own API: watched opportunities and saved searches."""

from django.urls import reverse
from rest_framework import serializers

from opportunities.api.serializers import OpportunityListSerializer

from ..models import SavedSearch


class WatchedOpportunitySerializer(OpportunityListSerializer):
    watched_at = serializers.DateTimeField(read_only=True)

    class Meta(OpportunityListSerializer.Meta):
        fields = [*OpportunityListSerializer.Meta.fields, "watched_at"]


class WatchRequestSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=32, help_text="A public reference, e.g. WA-MIN-2025-0007.")


class SavedSearchSerializer(serializers.ModelSerializer):
    """`query` is the listing's query string (the same parameters as GET /api/v1/opportunities/); it is stored
    normalised, and one the catalogue cannot read is a 400 naming the filter."""

    listing_url = serializers.SerializerMethodField()

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "query", "alerts_enabled", "created_at", "last_alerted_at", "listing_url"]
        read_only_fields = ["id", "created_at", "last_alerted_at", "listing_url"]
        extra_kwargs = {"name": {"validators": []}, "query": {"validators": []}}  # the service checks both

    def get_listing_url(self, obj) -> str:
        return f"{reverse('opportunities:list')}?{obj.query}"


class SavedSearchUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    alerts_enabled = serializers.BooleanField(required=False)
