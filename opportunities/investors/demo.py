"""The demo investor's own corner: a verified profile, a watchlist and two saved searches, through the services.

`seed_demo` calls this after it creates the demo catalogue, so that signing in as the demo investor shows the watchlist,
the saved searches (with their daily alerts on) and the profile as an investor who has used the bank for a while sees
them, instead of empty pages and a request to verify the address. Deterministic: the same catalogue gives the same
choices.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from accounts.models import InvestorProfile, User
from opportunities.choices import Status
from opportunities.models import Opportunity
from registry.models import Currency, Sector

from .models import SavedSearch
from .services import saved_search_create, watchlist_add

# Sectors whose first published listings (by reference) the demo investor watches, one each.
WATCHED_SECTORS = ("MIN", "TOU", "AGR", "MFG")
SAVED_SEARCHES = (
    ("معادن مس آذربایجان غربی", "q=مس&sector=MIN&province=WA"),
    ("Greenfield manufacturing with a financial model", "sector=MFG&type=greenfield&has_financial_model=true"),
)
INTERESTS = ("MIN", "TOU")
TICKET = (Decimal("5000000"), Decimal("50000000"), "USD")


def demo_investor_seed(*, user: User, opportunities: Sequence[Opportunity]) -> dict[str, int]:
    """Profile, watchlist and saved searches of the demo investor `user`; their earlier saved searches are replaced
    (the watchlist went with the old demo opportunities). Runs inside the caller's transaction."""
    now = timezone.now()
    minimum, maximum, currency = TICKET
    profile, _created = InvestorProfile.objects.update_or_create(
        user=user,
        defaults={
            "company": user.organisation.name_fa if user.organisation else "",
            "country": "ایران",
            "ticket_min": minimum,
            "ticket_max": maximum,
            "ticket_currency": Currency.objects.filter(code=currency).first(),
            "email_verified_at": now,
            "terms_accepted_at": now,
        },
    )
    profile.sectors.set(Sector.objects.filter(code__in=INTERESTS))
    watched = 0
    for code in WATCHED_SECTORS:
        opportunity = _first_published(opportunities, root=code)
        if opportunity is not None:
            watched += watchlist_add(user=user, opportunity=opportunity)[1]
    SavedSearch.objects.filter(user=user).delete()
    for name, query in SAVED_SEARCHES:
        saved_search_create(user=user, name=name, query=query)
    return {"watchlist": watched, "saved_searches": len(SAVED_SEARCHES)}


def _first_published(opportunities: Sequence[Opportunity], *, root: str) -> Opportunity | None:
    candidates = [row for row in opportunities if row.status == Status.PUBLISHED and row.sector.root.code == root]
    return min(candidates, key=lambda row: row.reference, default=None)
