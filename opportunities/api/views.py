"""Catalogue endpoints: list with filters, search and capped pages; detail by public reference."""

from rest_framework import viewsets

from ..filters import OpportunityFilterSet
from ..selectors import opportunity_list_queryset
from .serializers import OpportunityDetailSerializer, OpportunityListSerializer


class OpportunityViewSet(viewsets.ReadOnlyModelViewSet):
    """Published opportunities; `q` searches Persian and English however it is typed."""

    lookup_field = "reference"
    lookup_value_regex = r"[A-Za-z0-9-]+"
    filterset_class = OpportunityFilterSet

    def get_queryset(self):
        queryset = opportunity_list_queryset(self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("documents")
        return queryset

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()

    def get_serializer_class(self):
        return OpportunityDetailSerializer if self.action == "retrieve" else OpportunityListSerializer
