"""The `updated_since` filter proposed for opportunities/filters.py (owned by discovery), tested here on a subclass
carrying exactly the proposed lines, so they are known to work before they are pasted in."""

import datetime

import django_filters
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opportunities.filters import OpportunityFilterSet
from opportunities.models import Opportunity


class WithUpdatedSince(OpportunityFilterSet):
    # --- the proposed lines (inside OpportunityFilterSet, next to the other filters) ---
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Changed at or after (ISO 8601)")
    )
    # --- end ---


def _query(**params) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(params)
    return query


def test_updated_since_keeps_only_rows_changed_since(catalogue):
    cutoff = timezone.now()
    Opportunity.objects.filter(pk=catalogue["wa_published"].pk).update(updated_at=cutoff + datetime.timedelta(1))
    Opportunity.objects.exclude(pk=catalogue["wa_published"].pk).update(updated_at=cutoff - datetime.timedelta(1))
    filterset = WithUpdatedSince(_query(updated_since=cutoff.isoformat()), queryset=Opportunity.objects.all())
    assert filterset.is_valid(), filterset.errors
    assert list(filterset.qs) == [catalogue["wa_published"]]


def test_updated_since_rejects_junk(db):
    filterset = WithUpdatedSince(_query(updated_since="yesterday"), queryset=Opportunity.objects.all())
    assert not filterset.is_valid()
    assert "updated_since" in filterset.errors
