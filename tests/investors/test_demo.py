"""The demo investor signs in to a used account: verified, with a profile, a watchlist and saved searches."""

import re

import pytest
from django.core.management import call_command

from accounts.models import User
from opportunities.investors.models import SavedSearch, WatchlistEntry
from tests.factories import demo_seeded

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    return demo_seeded(*args, count=200, mining=40)


@pytest.fixture
def investor() -> User:
    call_command("load_reference", verbosity=0)
    report = seed()
    assert "investor@demo.invest.ir: 4 opportunities watched, 2 saved searches" in report
    return User.objects.get(email="investor@demo.invest.ir")


def test_the_demo_investor_has_a_verified_profile_a_watchlist_and_saved_searches(investor, client):
    profile = investor.investor_profile
    assert profile.email_verified and profile.company and profile.ticket_min < profile.ticket_max
    assert set(profile.sectors.values_list("code", flat=True)) == {"MIN", "TOU"}
    watched = WatchlistEntry.objects.filter(user=investor).select_related("opportunity__sector")
    assert len({entry.opportunity.sector.root.code for entry in watched}) == 4
    searches = list(SavedSearch.objects.filter(user=investor).order_by("name"))
    assert len(searches) == 2 and all(search.alerts_enabled for search in searches)
    client.force_login(investor)
    for search in searches:  # each saved search opens a listing with results
        response = client.get(f"/me/saved-searches/{search.pk}/open/", follow=True)
        count = re.search(r'data-testid="result-count" data-count="(\d+)"', response.content.decode())
        assert response.status_code == 200 and count and int(count.group(1)) > 0, search.query
    page = client.get("/me/saved-searches/").content.decode()
    assert "تأیید نشانی ایمیل" not in page  # no request to verify the address


def test_a_reset_gives_the_same_corner_again(investor):
    before = sorted(WatchlistEntry.objects.filter(user=investor).values_list("opportunity__reference", flat=True))
    seed("--reset")
    after = sorted(WatchlistEntry.objects.filter(user=investor).values_list("opportunity__reference", flat=True))
    assert before == after and SavedSearch.objects.filter(user=investor).count() == 2


def test_the_investor_pages_share_one_set_of_tabs(investor, client):
    client.force_login(investor)
    for url, active in [
        ("/me/watchlist/", "/me/watchlist/"),
        ("/me/saved-searches/", "/me/saved-searches/"),
        ("/inquiries/mine/", "/inquiries/mine/"),
        ("/accounts/profile/", "/accounts/profile/"),
    ]:
        html = client.get(url).content.decode()
        html = html[html.index('<ul class="nav nav-pills') :]
        html = html[: html.index("</ul>")]
        tabs = re.findall(r'<a class="nav-link( active" aria-current="page)?" href="([^"]+)"', html)
        assert [href for _current, href in tabs] == [
            "/me/watchlist/", "/me/saved-searches/", "/inquiries/mine/", "/accounts/profile/"
        ], url  # fmt: skip
        assert [href for current, href in tabs if current] == [active]
