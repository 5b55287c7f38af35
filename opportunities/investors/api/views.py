"""The signed-in investor's own lists: /api/v1/me/watchlist/ and /api/v1/me/saved-searches/. Everything calls the
services; an opportunity the person may not see is a 404 and changes nothing, as on the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from opportunities.selectors import opportunity_get

from .. import selectors, services
from .serializers import (
    SavedSearchSerializer,
    SavedSearchUpdateSerializer,
    WatchedOpportunitySerializer,
    WatchRequestSerializer,
)


def _as_drf(error: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


class WatchlistViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Opportunities the signed-in person watches and may still see, most recently added first."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = WatchedOpportunitySerializer
    lookup_field = "reference"
    lookup_value_regex = r"[A-Za-z0-9-]+"

    def get_queryset(self):
        return selectors.watchlist_of(self.request.user)

    @extend_schema(request=WatchRequestSerializer, responses={201: WatchedOpportunitySerializer})
    def create(self, request):
        """Watch an opportunity by reference (watching it twice is harmless: 200 the second time)."""
        shape = WatchRequestSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        opportunity = opportunity_get(user=request.user, reference=shape.validated_data["reference"])
        _entry, created = services.watchlist_add(user=request.user, opportunity=opportunity)
        item = self.get_queryset().get(pk=opportunity.pk)
        data = self.get_serializer(item).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, reference=None):
        opportunity = opportunity_get(user=request.user, reference=reference)
        if not services.watchlist_remove(user=request.user, opportunity=opportunity):
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)


class SavedSearchViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The signed-in person's saved searches; each gets a daily e-mail of new and changed matches once the
    person's address is verified and while `alerts_enabled` is true."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = SavedSearchSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.saved_searches_of(self.request.user)

    def create(self, request):
        shape = SavedSearchSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        try:
            saved = services.saved_search_create(
                user=request.user, name=shape.validated_data["name"], query=shape.validated_data["query"]
            )
        except DjangoValidationError as error:
            raise _as_drf(error) from None
        return Response(self.get_serializer(saved).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SavedSearchUpdateSerializer, responses={200: SavedSearchSerializer})
    def partial_update(self, request, pk=None):
        saved = self.get_object()
        shape = SavedSearchUpdateSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        try:
            services.saved_search_update(
                saved_search=saved,
                name=shape.validated_data.get("name", saved.name),
                alerts_enabled=shape.validated_data.get("alerts_enabled", saved.alerts_enabled),
            )
        except DjangoValidationError as error:
            raise _as_drf(error) from None
        return Response(self.get_serializer(saved).data)

    def perform_destroy(self, instance):
        services.saved_search_delete(saved_search=instance)
