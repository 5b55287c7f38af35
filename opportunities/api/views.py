"""Catalogue endpoints. Reads: list with filters and capped pages, detail by reference. Writes (staff): create,
partial update, workflow transitions; and the staff-side history and event log. All writes call the services."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from registry.api.conditional import ConditionalGetMixin
from registry.api.pagination import CappedPageNumberPagination

from .. import services
from ..filters import OpportunityFilterSet
from ..models import OpportunityEvent
from ..pagination import ListingPaginator
from ..permissions import may_see_staff_side
from ..selectors import opportunity_history, opportunity_list_queryset
from .serializers import (
    HistoryEntrySerializer,
    OpportunityDetailSerializer,
    OpportunityEventSerializer,
    OpportunityListSerializer,
    OpportunityWriteSerializer,
    TransitionOptionSerializer,
    TransitionSerializer,
)


class ListingPagination(CappedPageNumberPagination):
    """The capped page numbers, with each page read ids first (see opportunities.pagination)."""

    django_paginator_class = ListingPaginator


class OpportunityViewSet(ConditionalGetMixin, viewsets.ModelViewSet):
    """Published opportunities for everyone; staff also see and write their provinces' drafts.
    `q` searches Persian and English however it is typed."""

    lookup_field = "reference"
    lookup_value_regex = r"[A-Za-z0-9-]+"
    filterset_class = OpportunityFilterSet
    pagination_class = ListingPagination
    conditional_events = OpportunityEvent
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    # Writes are JSON: a form body cannot say null, and the schema should not offer what the API cannot read.
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = opportunity_list_queryset(self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("documents")
        return queryset

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return OpportunityWriteSerializer
        return OpportunityDetailSerializer if self.action == "retrieve" else OpportunityListSerializer

    @extend_schema(request=OpportunityWriteSerializer, responses={201: OpportunityDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = OpportunityWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        opportunity = services.opportunity_create(actor=request.user, data=serializer.validated_data)
        return Response(self._detail(opportunity), status=status.HTTP_201_CREATED)

    @extend_schema(request=OpportunityWriteSerializer, responses={200: OpportunityDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        opportunity = self.get_object()
        serializer = OpportunityWriteSerializer(opportunity, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        opportunity = services.opportunity_update(
            opportunity=opportunity, actor=request.user, data=serializer.validated_data
        )
        return Response(self._detail(opportunity))

    def _detail(self, opportunity):
        fresh = get_object_or_404(self.get_queryset().prefetch_related("documents"), pk=opportunity.pk)
        return OpportunityDetailSerializer(fresh, context=self.get_serializer_context()).data

    @extend_schema(request=TransitionSerializer, responses={200: OpportunityDetailSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated], filter_backends=[])
    def transitions(self, request, reference=None):
        """Move the opportunity through the workflow: submit, publish, return (note), negotiate, contract
        (evidence), withdraw, archive."""
        opportunity = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.opportunity_transition(opportunity=opportunity, actor=request.user, **serializer.validated_data)
        return Response(self._detail(opportunity))

    @extend_schema(responses={200: TransitionOptionSerializer(many=True)})
    @transitions.mapping.get
    def available_transitions(self, request, reference=None):
        """The moves this user may make now."""
        opportunity = self.get_object()
        options = services.transitions_available(opportunity=opportunity, actor=request.user)
        data = [
            {
                "action": t.action,
                "label": str(t.label),
                "target": t.target,
                "note_required": t.note_required,
                "evidence_required": t.evidence_required,
            }
            for t in options
        ]
        return Response(TransitionOptionSerializer(data, many=True).data)

    def _staff_object(self):
        opportunity = self.get_object()
        if not may_see_staff_side(self.request.user, opportunity):
            raise Http404
        return opportunity

    @extend_schema(responses={200: HistoryEntrySerializer(many=True)})
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[permissions.IsAuthenticated],
        pagination_class=None,
        filter_backends=[],
    )
    def history(self, request, reference=None):
        """Field history (staff): who changed which field from what to what."""
        return Response(HistoryEntrySerializer(opportunity_history(opportunity=self._staff_object()), many=True).data)

    @extend_schema(responses={200: OpportunityEventSerializer(many=True)})
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[permissions.IsAuthenticated],
        pagination_class=None,
        filter_backends=[],
    )
    def events(self, request, reference=None):
        """The status log (staff)."""
        events = self._staff_object().events.select_related("actor")
        return Response(OpportunityEventSerializer(events, many=True).data)
