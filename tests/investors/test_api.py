"""The investor's own API: /api/v1/me/watchlist/ and /api/v1/me/saved-searches/ — signed-in only, own rows only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opportunities.investors.models import SavedSearch, WatchlistEntry
from tests.factories import OpportunityFactory, UserFactory
from tests.investors.factories import SavedSearchFactory

pytestmark = pytest.mark.django_db

WATCHLIST = "/api/v1/me/watchlist/"
SEARCHES = "/api/v1/me/saved-searches/"


@pytest.fixture
def me(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)
    return user


@pytest.mark.parametrize(
    "method, path, data",
    [
        ("get", WATCHLIST, None),
        ("post", WATCHLIST, {"reference": "{reference}"}),
        ("delete", WATCHLIST + "{reference}/", None),
        ("get", SEARCHES, None),
        ("post", SEARCHES, {"name": "x", "query": "q=x"}),
        ("patch", SEARCHES + "{search}/", {"name": "mine"}),
        ("delete", SEARCHES + "{search}/", None),
    ],
)
def test_visitors_are_refused_and_nothing_changes(api_client, method, path, data):
    opportunity = OpportunityFactory()
    search = SavedSearchFactory(name="Theirs")
    WatchlistEntry.objects.create(user=search.user, opportunity=opportunity)
    fill = {"reference": opportunity.reference, "search": search.pk}
    body = {key: value.format(**fill) for key, value in data.items()} if data else None

    response = getattr(api_client, method)(path.format(**fill), body, format="json")

    assert response.status_code in (401, 403)
    assert list(SavedSearch.objects.values_list("name", flat=True)) == ["Theirs"]
    assert WatchlistEntry.objects.count() == 1


def test_watch_list_and_unwatch(api_client, me):
    opportunity = OpportunityFactory()

    first = api_client.post(WATCHLIST, {"reference": opportunity.reference.lower()}, format="json")
    again = api_client.post(WATCHLIST, {"reference": opportunity.reference}, format="json")
    listed = api_client.get(WATCHLIST)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == opportunity.reference
    assert listed.json()["count"] == 1
    assert listed.json()["results"][0]["watched_at"]
    assert api_client.delete(f"{WATCHLIST}{opportunity.reference}/").status_code == 204
    assert api_client.delete(f"{WATCHLIST}{opportunity.reference}/").status_code == 404
    assert not WatchlistEntry.objects.exists()


@pytest.mark.parametrize("body", [{"reference": "{draft}"}, {"reference": "WA-MIN-1999-9999"}])
def test_a_draft_or_unknown_reference_is_404_and_nothing_is_written(api_client, me, body):
    draft = OpportunityFactory(published=False)

    response = api_client.post(WATCHLIST, {"reference": body["reference"].format(draft=draft.reference)}, format="json")

    assert response.status_code == 404
    assert not WatchlistEntry.objects.exists()


def test_a_missing_reference_is_400(api_client, me):
    response = api_client.post(WATCHLIST, {}, format="json")

    assert response.status_code == 400
    assert "reference" in response.json()


def test_the_watchlist_costs_the_same_queries_for_1_or_8_items(api_client, me):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(WATCHLIST).status_code == 200
        return len(queries)

    WatchlistEntry.objects.create(user=me, opportunity=OpportunityFactory())
    one = count()
    for _ in range(7):
        WatchlistEntry.objects.create(user=me, opportunity=OpportunityFactory())
    assert count() == one


def test_save_a_search_normalised_and_a_junk_one_is_a_400(api_client, me):
    saved = api_client.post(SEARCHES, {"name": "Copper", "query": "?sector=MIN&page=2&q=مس"}, format="json")
    junk = api_client.post(SEARCHES, {"name": "Junk", "query": "capex_usd_min=lots"}, format="json")

    assert saved.status_code == 201
    assert saved.json()["query"] == "q=%D9%85%D8%B3&sector=MIN"
    assert saved.json()["listing_url"] == "/opportunities/?q=%D9%85%D8%B3&sector=MIN"
    assert junk.status_code == 400
    assert "query" in junk.json()
    assert list(SavedSearch.objects.values_list("name", flat=True)) == ["Copper"]


def test_rename_pause_and_delete_my_search(api_client, me):
    search = SavedSearchFactory(user=me, name="Old")

    renamed = api_client.patch(f"{SEARCHES}{search.pk}/", {"name": "New", "alerts_enabled": False}, format="json")

    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["alerts_enabled"]) == ("New", False)
    assert api_client.delete(f"{SEARCHES}{search.pk}/").status_code == 204
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize("method, data", [("get", None), ("patch", {"name": "Mine now"}), ("delete", None)])
def test_someone_elses_search_is_404_and_unchanged(api_client, me, method, data):
    theirs = SavedSearchFactory(name="Theirs")

    response = getattr(api_client, method)(f"{SEARCHES}{theirs.pk}/", data, format="json")

    assert response.status_code == 404
    assert SavedSearch.objects.get(pk=theirs.pk).name == "Theirs"
    assert api_client.get(SEARCHES).json()["count"] == 0
