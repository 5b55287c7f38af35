"""Saved searches in words: «Search: مس · Province: West Azerbaijan» rather than `province=WA&q=...`.

Codes and ids are resolved to names in one query per kind of filter for the whole page, whatever the number of
searches; the catalogue's filter set says which filters exist, so new filters are described without changes here."""

from collections import defaultdict

import django_filters
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from opportunities.filters import OpportunityFilterSet

from .models import SavedSearch

LABELS = {
    "q": _("Search"),
    "province": _("Province"),
    "province_id": _("Province"),
    "county": _("County"),
    "county_id": _("County"),
    "sector": _("Sector"),
    "sector_id": _("Sector"),
    "type": _("Type"),
    "stage": _("Stage"),
    "event": _("Event"),
    "ordering": _("Order by"),
}
MODEL_FILTERS = (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)


def _names_for(key: str, values: set[str]) -> dict[str, str]:
    """Display names of the objects a model filter's values point at (codes, slugs or ids)."""
    spec = OpportunityFilterSet.base_filters[key]
    field = spec.extra.get("to_field_name") or "pk"
    queryset = spec.extra.get("queryset")
    if queryset is None or callable(queryset):
        return {}
    if field == "pk":
        values = {value for value in values if value.isdigit()}
    return {str(getattr(obj, field)): str(obj) for obj in queryset.filter(**{f"{field}__in": values})}


def _choices_for(key: str) -> dict[str, str]:
    choices = OpportunityFilterSet.base_filters[key].extra.get("choices")
    if callable(choices):
        choices = choices()
    return {str(value): str(label) for value, label in (choices or [])}


def saved_searches_described(searches: list[SavedSearch]) -> list[tuple[SavedSearch, list[tuple[str, str]]]]:
    """Each search with its filters as (label, values) pairs, in the stored (sorted) order."""
    filters = OpportunityFilterSet.base_filters
    parsed = [(search, QueryDict(search.query)) for search in searches]
    wanted: dict[str, set[str]] = defaultdict(set)
    for _search, data in parsed:
        for key in data:
            if isinstance(filters.get(key), MODEL_FILTERS):
                wanted[key].update(data.getlist(key))
    names = {key: _names_for(key, values) for key, values in wanted.items()}
    separator = ", " if (get_language() or "fa").startswith("en") else "، "
    described = []
    for search, data in parsed:
        parts = []
        for key in data:
            spec = filters.get(key)
            if spec is None:
                continue
            lookup = names.get(key) or (_choices_for(key) if "choices" in spec.extra else {})
            shown = [lookup.get(value, value) for value in data.getlist(key)]
            parts.append((str(LABELS.get(key) or spec.label or key), separator.join(shown)))
        described.append((search, parts))
    return described
