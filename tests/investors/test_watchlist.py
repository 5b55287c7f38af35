"""The watchlist: toggled from the detail page with htmx, only what the person may see, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.choices import Role
from opportunities.investors.models import WatchlistEntry
from opportunities.models import Opportunity
from registry.models import Province, Sector
from tests.factories import OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def staff_of(code: str):
    user = UserFactory(role=Role.PROVINCE_STAFF)
    user.provinces.add(Province.objects.get(code=code))
    return user


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_a_visitor_is_sent_to_sign_in_and_nothing_is_written(client, headers):
    opportunity = OpportunityFactory()

    response = client.post(f"/me/watchlist/{opportunity.reference}/add/", **headers)

    target = f"/accounts/login/?next=%2Fopportunities%2F{opportunity.reference}%2F"
    if headers:
        assert response.status_code == 204
        assert response["HX-Redirect"] == target
    else:
        assert response.status_code == 302
        assert response["Location"] == target
    assert not WatchlistEntry.objects.exists()


def test_the_detail_page_offers_visitors_a_sign_in_link(client):
    opportunity = OpportunityFactory()

    html = client.get(f"/opportunities/{opportunity.reference}/").content.decode()

    assert 'data-testid="watch-sign-in"' in html
    assert f"/accounts/login/?next=/opportunities/{opportunity.reference}/" in html


def test_htmx_toggle_adds_once_and_removes(client, investor):
    opportunity = OpportunityFactory()
    add = f"/me/watchlist/{opportunity.reference}/add/"

    first = client.post(add, **HTMX)
    again = client.post(add, **HTMX)

    assert first.status_code == again.status_code == 200
    assert 'aria-pressed="true"' in first.content.decode()
    assert f"/me/watchlist/{opportunity.reference}/remove/" in first.content.decode()
    assert WatchlistEntry.objects.filter(user=investor, opportunity=opportunity).count() == 1
    removed = client.post(f"/me/watchlist/{opportunity.reference}/remove/", **HTMX)
    assert 'aria-pressed="false"' in removed.content.decode()
    assert not WatchlistEntry.objects.exists()


def test_without_javascript_the_toggle_returns_to_the_detail_page(client, investor):
    opportunity = OpportunityFactory()

    response = client.post(f"/en/me/watchlist/{opportunity.reference}/add/")

    assert response.status_code == 302
    assert response["Location"] == f"/en/opportunities/{opportunity.reference}/"
    detail = client.get(response["Location"]).content.decode()
    assert "On your watchlist" in detail


@pytest.mark.parametrize(
    "make_user, status",
    [
        (lambda: UserFactory(role=Role.INVESTOR), 404),
        (lambda: staff_of("EA"), 404),  # another province's draft does not exist for them
        (lambda: staff_of("WA"), 200),  # their own province's draft they may watch
        (lambda: UserFactory(role=Role.REVIEWER), 200),
    ],
)
def test_a_draft_can_be_watched_only_by_those_who_may_see_it(client, make_user, status):
    draft = OpportunityFactory(published=False)  # in West Azerbaijan (WA)
    user = make_user()
    client.force_login(user)

    response = client.post(f"/me/watchlist/{draft.reference}/add/", **HTMX)

    assert response.status_code == status
    assert WatchlistEntry.objects.filter(user=user).count() == (1 if status == 200 else 0)


def test_an_unknown_reference_is_404(client, investor):
    assert client.post("/me/watchlist/WA-MIN-1999-9999/add/").status_code == 404
    assert not WatchlistEntry.objects.exists()


def test_the_watchlist_page_lists_only_what_is_still_visible_and_only_mine(client, investor):
    kept, withdrawn = OpportunityFactory(title_en="Kept copper"), OpportunityFactory(title_en="Withdrawn zinc")
    someone_elses = OpportunityFactory(title_en="Not mine")
    for opportunity in (kept, withdrawn):
        WatchlistEntry.objects.create(user=investor, opportunity=opportunity)
    WatchlistEntry.objects.create(user=UserFactory(), opportunity=someone_elses)
    Opportunity.objects.filter(pk=withdrawn.pk).update(status="withdrawn")

    html = client.get("/en/me/watchlist/").content.decode()

    assert "Kept copper" in html
    assert "Withdrawn zinc" not in html
    assert "Not mine" not in html
    assert "1 opportunity you are watching" in html


def test_the_watchlist_page_needs_a_signed_in_person(client):
    response = client.get("/me/watchlist/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_watchlist_page_costs_the_same_queries_for_2_or_12_opportunities(client, investor):
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/me/watchlist/").status_code == 200
        return len(queries)

    for opportunity in [OpportunityFactory() for _ in range(2)]:
        WatchlistEntry.objects.create(user=investor, opportunity=opportunity)
    few = queries_for_page()
    for n in range(10):  # other provinces and sectors, so nothing is served from an already-fetched object
        province = Province.objects.get(code=["EA", "TH", "IS"][n % 3])
        sector = Sector.objects.get(code=["AGR.GRH", "ENE.SOL", "MIN.NMT"][n % 3])
        opportunity = OpportunityFactory(province=province, sector=sector)
        WatchlistEntry.objects.create(user=investor, opportunity=opportunity)
    many = queries_for_page()

    assert few == many
    assert many <= 6
