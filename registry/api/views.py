"""Read-only reference data for partner portals and the site's own filters."""

from rest_framework import viewsets

from registry.models import Province, Sector

from .serializers import ProvinceSerializer, SectorSerializer


class ProvinceViewSet(viewsets.ReadOnlyModelViewSet):
    """All 31 provinces with their reference codes."""

    queryset = Province.objects.all()
    serializer_class = ProvinceSerializer
    lookup_field = "code"
    pagination_class = None


class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    """The sector tree, flat; `parent` holds the parent's code."""

    queryset = Sector.objects.select_related("parent")
    serializer_class = SectorSerializer
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z.]+"
    pagination_class = None
