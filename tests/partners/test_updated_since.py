"""The `updated_since` filter partners sync with: only rows changed at or after the given time; junk is a 400."""

import datetime

from django.http import QueryDict
from django.utils import timezone

from opportunities.filters import OpportunityFilterSet
from opportunities.models import Opportunity

WithUpdatedSince = OpportunityFilterSet


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
