"""Reads for investors: their watchlist, their saved searches, and what a saved search matches in a time window.

Everything goes through opportunities_visible_to, so a watched or matched opportunity that was withdrawn (or is in
a province the person no longer serves) silently drops out rather than leaking."""

import datetime

from django.db.models import F, QuerySet
from django.http import QueryDict
from django.shortcuts import get_object_or_404

from accounts.models import InvestorProfile
from opportunities.filters import OpportunityFilterSet
from opportunities.models import Opportunity
from opportunities.selectors import LIST_RELATED, opportunities_visible_to

from .models import AlertDigest, SavedSearch, WatchlistEntry


def watchlist_of(user) -> QuerySet[Opportunity]:
    """The opportunities this person watches and may still see, most recently added first, each with `watched_at`;
    one query whatever the length (everything a card shows is joined in)."""
    if not user.is_authenticated:
        return Opportunity.objects.none()
    return (
        opportunities_visible_to(user)
        .filter(watchers__user=user)
        .select_related(*LIST_RELATED)
        .annotate(watched_at=F("watchers__created_at"))
        .order_by("-watched_at", "-id")
    )


def is_watching(user, opportunity: Opportunity) -> bool:
    if not user.is_authenticated:
        return False
    return WatchlistEntry.objects.filter(user=user, opportunity=opportunity).exists()


def saved_searches_of(user) -> QuerySet[SavedSearch]:
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=user).order_by("name", "id")


def saved_search_get(*, user, pk: int) -> SavedSearch:
    """One of this person's saved searches; anyone else's does not exist for them (404)."""
    return get_object_or_404(SavedSearch, pk=pk, user=user)


def saved_search_find(*, user, query: str) -> SavedSearch | None:
    """The search this person already saved with this (normalised) query, if any."""
    if not user.is_authenticated:
        return None
    return SavedSearch.objects.filter(user=user, query=query).first()


def saved_search_filterset(*, saved_search: SavedSearch) -> OpportunityFilterSet:
    """The catalogue's filter set reading the stored query, over what the search's owner may see today."""
    base = opportunities_visible_to(saved_search.user)
    return OpportunityFilterSet(QueryDict(saved_search.query), queryset=base)


def saved_search_matches(
    *, saved_search: SavedSearch, since: datetime.datetime, until: datetime.datetime
) -> tuple[list[int], list[int]] | None:
    """Ids of matches published in (since, until] ("new") and of older matches updated in it ("changed"), newest
    first; None if the stored query no longer validates (a filter value was retired)."""
    filterset = saved_search_filterset(saved_search=saved_search)
    if not filterset.is_valid():
        return None
    matches = filterset.qs.order_by("-published_at", "-id")
    new_ids = list(matches.filter(published_at__gt=since, published_at__lte=until).values_list("id", flat=True))
    changed_ids = list(
        matches.filter(updated_at__gt=since, updated_at__lte=until)
        .exclude(published_at__gt=since)
        .order_by("-updated_at", "-id")
        .values_list("id", flat=True)
    )
    return new_ids, changed_ids


def opportunities_by_ids(*, user, ids: list[int]) -> list[Opportunity]:
    """The listed opportunities in the given order, with everything a digest line shows, still visible to `user`."""
    found = opportunities_visible_to(user).select_related(*LIST_RELATED).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def saved_searches_due(*, today: datetime.date) -> QuerySet[SavedSearch]:
    """Searches that should get a digest today: alerts on, the owner active with a verified address, and no digest
    row for today yet (the row, not the e-mail, is what marks a day done)."""
    verified = InvestorProfile.objects.filter(email_verified_at__isnull=False).values("user_id")
    done_today = AlertDigest.objects.filter(date=today).values("saved_search_id")
    return (
        SavedSearch.objects.filter(alerts_enabled=True, user__is_active=True, user_id__in=verified)
        .exclude(pk__in=done_today)
        .order_by("pk")
    )


def digests_of(saved_search: SavedSearch, *, limit: int = 10) -> list[AlertDigest]:
    return list(saved_search.digests.order_by("-date")[:limit])
