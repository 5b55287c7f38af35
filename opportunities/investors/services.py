"""Writes for investors: the watchlist, saved searches, and the daily digest of a saved search (rows first)."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.selectors import email_is_verified
from opportunities.filters import OpportunityFilterSet
from opportunities.models import Opportunity
from registry.celery import app
from registry.services import email_enqueue
from registry.text import to_persian_digits

from . import selectors
from .models import AlertDigest, SavedSearch, WatchlistEntry

logger = logging.getLogger(__name__)

MAX_SAVED_SEARCHES = 50
MAX_QUERY_LENGTH = 2000
DIGEST_TASK = "investors.saved_search_digest"
# A digest covers changes up to a minute before it runs, so a write still being committed at that moment falls in
# the next day's window instead of between two windows.
DIGEST_SETTLE = datetime.timedelta(minutes=1)
DIGEST_MAX_LINES = 30


@transaction.atomic
def watchlist_add(*, user, opportunity: Opportunity) -> tuple[WatchlistEntry, bool]:
    """Watch an opportunity the caller has already fetched through opportunities_visible_to; adding twice is a
    no-op, so a double click or a retried request leaves one row."""
    return WatchlistEntry.objects.get_or_create(user=user, opportunity=opportunity)


@transaction.atomic
def watchlist_remove(*, user, opportunity: Opportunity) -> bool:
    deleted, _details = WatchlistEntry.objects.filter(user=user, opportunity=opportunity).delete()
    return deleted > 0


def saved_search_query_normalize(raw: str) -> str:
    """The listing query as it is stored: only the catalogue's filter keys (paging, tracking and export parameters
    dropped, and the capex currency unless a capex bound is set), blank values dropped, values trimmed and
    de-duplicated, keys and values sorted."""
    data = QueryDict((raw or "").lstrip("?"))
    keys = set(data.keys()) & set(OpportunityFilterSet.base_filters)
    if not any(key.startswith("capex") and data.get(key, "").strip() for key in keys):
        keys.discard("currency")  # the listing always sends its capex currency; it means nothing without a capex box
    normal = QueryDict(mutable=True)
    for key in sorted(keys):
        values = sorted({value.strip() for value in data.getlist(key) if value.strip()})
        if values:
            normal.setlist(key, values)
    return normal.urlencode()


def saved_search_query_validate(query: str) -> None:
    """An invalid or empty query cannot be saved: the error names each filter the catalogue could not read."""
    if not query:
        raise ValidationError({"query": _("Choose at least one filter or type a search before saving.")})
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationError({"query": _("This search is too long to save. Remove some words or filters.")})
    filterset = OpportunityFilterSet(QueryDict(query), queryset=Opportunity.objects.none())
    if not filterset.is_valid():
        problems = []
        for field, errors in filterset.errors.items():
            label = filterset.filters[field].label if field in filterset.filters else field
            problems.append(f"{label}: {' '.join(str(error) for error in errors)}")
        raise ValidationError({"query": [_("This search has filters that could not be understood."), *problems]})


def _name_validate(*, user, name: str, exclude_pk: int | None = None) -> str:
    name = " ".join((name or "").split())[:120]
    if not name:
        raise ValidationError({"name": _("Give the search a name.")})
    taken = SavedSearch.objects.filter(user=user, name=name).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": _("You already have a saved search with this name.")})
    return name


@transaction.atomic
def saved_search_create(*, user, name: str, query: str) -> SavedSearch:
    """Save a listing query under a name. The query is normalised and validated first; nothing is written if it,
    or the name, is not acceptable, or if the person already saved the same search."""
    query = saved_search_query_normalize(query)
    saved_search_query_validate(query)
    existing = selectors.saved_search_find(user=user, query=query)
    if existing is not None:
        raise ValidationError({"query": _("You saved this search already, as «%(name)s».") % {"name": existing.name}})
    name = _name_validate(user=user, name=name)
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            {"name": _("You can keep up to %(n)s saved searches. Delete one first.") % {"n": MAX_SAVED_SEARCHES}}
        )
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(user=user, name=name, query=query)
    except IntegrityError:  # a simultaneous save of the same name or query
        raise ValidationError({"name": _("You already have this saved search.")}) from None


@transaction.atomic
def saved_search_update(*, saved_search: SavedSearch, name: str, alerts_enabled: bool) -> SavedSearch:
    saved_search.name = _name_validate(user=saved_search.user, name=name, exclude_pk=saved_search.pk)
    saved_search.alerts_enabled = alerts_enabled
    saved_search.save(update_fields=["name", "alerts_enabled", "updated_at"])
    return saved_search


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch) -> None:
    saved_search.delete()


def saved_search_digests_dispatch(*, today: datetime.date | None = None) -> int:
    """The daily beat task: hand each due search to its own task (one slow search cannot hold up the rest, and a
    lost message is picked up by the next run, since the day's row does not exist yet). Returns how many."""
    today = today or timezone.localdate()
    ids = list(selectors.saved_searches_due(today=today).values_list("pk", flat=True))
    for search_id in ids:
        app.signature(DIGEST_TASK, kwargs={"saved_search_id": search_id, "today": today.isoformat()}).delay()
    return len(ids)


@transaction.atomic
def saved_search_digest_send(
    *, saved_search_id: int, today: datetime.date, now: datetime.datetime | None = None
) -> AlertDigest | None:
    """Record today's digest of one saved search and queue its e-mail, in one transaction.

    The search row is locked, so two workers serialise here; the (search, date) row makes any later run that day
    return it without a second e-mail (the e-mail key `digest:<search id>:<date>` is a second guard). With no new
    or changed match nothing is written and the window keeps growing until there is something to say."""
    search = SavedSearch.objects.select_for_update().select_related("user").filter(pk=saved_search_id).first()
    if search is None or not search.alerts_enabled or not search.user.is_active:
        return None
    if not email_is_verified(search.user):
        return None
    existing = AlertDigest.objects.filter(saved_search=search, date=today).first()
    if existing is not None:
        return existing
    since = search.last_alerted_at or search.created_at
    until = (now or timezone.now()) - DIGEST_SETTLE
    matches = selectors.saved_search_matches(saved_search=search, since=since, until=until)
    if matches is None:
        logger.warning("saved search %s no longer validates; no digest", search.pk)
        return None
    new_ids, changed_ids = matches
    if not new_ids and not changed_ids:
        return None
    digest = AlertDigest.objects.create(
        saved_search=search, date=today, new_ids=new_ids, changed_ids=changed_ids, window_start=since, window_end=until
    )
    digest.email = _digest_email_enqueue(digest=digest)
    digest.save(update_fields=["email"])
    search.last_alerted_at = until
    search.save(update_fields=["last_alerted_at"])
    return digest


def _digest_subject(*, search: SavedSearch, new: int, changed: int) -> str:
    parts = []
    if new:
        parts.append(ngettext("%(n)s new", "%(n)s new", new) % {"n": new})
    if changed:
        parts.append(ngettext("%(n)s changed", "%(n)s changed", changed) % {"n": changed})
    subject = _("«%(name)s»: %(counts)s") % {"name": search.name, "counts": _(" and ").join(parts)}
    return to_persian_digits(subject) if translation.get_language() == "fa" else subject


def _digest_email_enqueue(*, digest: AlertDigest):
    search, user = digest.saved_search, digest.saved_search.user
    language = user.preferred_language or "fa"
    site = settings.SITE_URL
    with translation.override(language):
        new = selectors.opportunities_by_ids(user=user, ids=digest.new_ids[:DIGEST_MAX_LINES])
        changed = selectors.opportunities_by_ids(user=user, ids=digest.changed_ids[:DIGEST_MAX_LINES])
        context = {
            "search": search,
            "user": user,
            "new": [(item, site + reverse("opportunities:detail", args=[item.reference])) for item in new],
            "changed": [(item, site + reverse("opportunities:detail", args=[item.reference])) for item in changed],
            "new_more": max(0, len(digest.new_ids) - DIGEST_MAX_LINES),
            "changed_more": max(0, len(digest.changed_ids) - DIGEST_MAX_LINES),
            "open_url": f"{site}{reverse('opportunities:list')}?{search.query}",
            "manage_url": site + reverse("investors:saved_searches"),
        }
        subject = _digest_subject(search=search, new=len(digest.new_ids), changed=len(digest.changed_ids))
        body_text = render_to_string("investors/email/digest.txt", context)
        body_html = render_to_string("investors/email/digest.html", context)
    email, _created = email_enqueue(
        key=f"digest:{search.pk}:{digest.date.isoformat()}",
        to=user.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=language,
    )
    return email
