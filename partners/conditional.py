"""Conditional GET for catalogue views: Last-Modified of lists also moved by the newest OpportunityEvent row."""

from opportunities.models import OpportunityEvent
from registry.api.conditional import ConditionalGetMixin


class CatalogueConditionalMixin(ConditionalGetMixin):
    conditional_events = OpportunityEvent
