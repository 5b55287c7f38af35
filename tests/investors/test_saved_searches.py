"""Saved searches: saved from any listing URL (normalised, validated), listed, renamed, deleted, opened."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from opportunities.investors import services
from opportunities.investors.models import SavedSearch
from tests.factories import UserFactory
from tests.investors.factories import SavedSearchFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def save(client, query, name="Copper", prefix="", **headers):
    return client.post(f"{prefix}/me/saved-searches/save/", {"query": query, "name": name}, **headers)


def test_the_query_is_stored_normalised(client, investor):
    raw = "?sector=MIN&q=%20%D9%85%D8%B3%20&page=3&province=&utm_source=mail&province=WA&province=EA"
    raw += "&ordering=-published"

    response = save(client, raw)

    assert response.status_code == 302
    assert response["Location"] == "/me/saved-searches/"
    saved = SavedSearch.objects.get(user=investor)
    assert saved.query == "ordering=-published&province=EA&province=WA&q=%D9%85%D8%B3&sector=MIN"
    assert QueryDict(saved.query).getlist("province") == ["EA", "WA"]
    assert saved.name == "Copper"
    assert saved.alerts_enabled


@pytest.mark.parametrize(
    "raw, stored",
    [
        ("currency=USD&q=x", "q=x"),  # the listing always sends its capex currency
        ("capex_min=%DB%B5%DB%B0&currency=IRR&q=x", "capex_min=%DB%B5%DB%B0&currency=IRR&q=x"),
    ],
)
def test_the_capex_currency_is_kept_only_with_a_capex_bound(raw, stored):
    assert services.saved_search_query_normalize(raw) == stored


@pytest.mark.usefixtures("english")
def test_two_spellings_of_one_search_are_one_saved_search(client, investor):
    save(client, "sector=MIN&q=x", name="First")

    response = save(client, "q=x&page=2&sector=MIN&province=", name="Second")

    assert response.status_code == 400
    assert "already" in response.content.decode()
    assert SavedSearch.objects.count() == 1


@pytest.mark.parametrize(
    "query, words",
    [
        ("capex_usd_min=lots", "Capex from"),
        ("province=XX", "Province"),
        ("type=castle", "Type"),
        ("sector=NOPE&q=mine", "Sector"),
        ("", "at least one filter"),
        ("page=2&utm_source=x", "at least one filter"),
        ("q=" + "x" * 1001, "Search"),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX])
def test_a_junk_query_is_a_clear_error_and_nothing_is_saved(client, investor, query, words, headers):
    response = save(client, query, prefix="/en", **headers)

    assert response.status_code == (200 if headers else 400)  # htmx swaps 2xx answers only
    html = response.content.decode()
    assert 'data-testid="save-search-errors"' in html
    assert words in html
    assert not SavedSearch.objects.exists()


def test_a_name_is_required_and_unique_per_person(client, investor):
    assert save(client, "q=a", name="   ").status_code == 400
    save(client, "q=a", name="Copper")
    assert save(client, "q=b", name=" Copper ").status_code == 400
    assert list(SavedSearch.objects.values_list("name", flat=True)) == ["Copper"]


def test_a_visitor_is_sent_to_sign_in_and_back_to_the_listing(client):
    response = save(client, "q=x&sector=MIN&page=2")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fopportunities%2F%3Fq%3Dx%26sector%3DMIN"
    assert not SavedSearch.objects.exists()


def test_htmx_save_answers_with_the_box_saying_saved(client, investor):
    response = save(client, "q=x", name="Mine", **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="save-search"' in html
    assert 'data-testid="save-search-done"' in html
    assert SavedSearch.objects.filter(user=investor, name="Mine").exists()


def test_the_listing_carries_the_box_for_its_query(client, investor):
    html = client.get("/en/opportunities/", {"q": "copper", "sector": "MIN", "page": "1"}).content.decode()

    assert 'id="save-search"' in html
    assert 'name="query" value="q=copper&amp;sector=MIN"' in html
    assert 'value="copper"' in html  # the words typed are the suggested name
    SavedSearchFactory(user=investor, query="q=copper&sector=MIN", name="Copper alerts")
    again = client.get("/en/opportunities/", {"q": "copper", "sector": "MIN"}).content.decode()
    assert "You saved this search as «Copper alerts»" in again


def test_visitors_see_a_sign_in_link_in_the_box(client):
    html = client.get("/opportunities/", {"q": "copper"}).content.decode()

    assert "/accounts/login/?next=/opportunities/%3Fq%3Dcopper" in html


def test_the_box_endpoint_describes_any_query(client, investor):
    html = client.get("/en/me/saved-searches/box/", {"q": "zinc", "province": "", "page": "4"}).content.decode()

    assert 'name="query" value="q=zinc"' in html


def test_rename_switch_off_alerts_open_and_delete(client, investor):
    saved = SavedSearchFactory(user=investor, name="Old", query="q=mine&sector=MIN")

    client.post(f"/me/saved-searches/{saved.pk}/", {"name": "  New   name ", "alerts": ""})
    saved.refresh_from_db()
    assert (saved.name, saved.alerts_enabled) == ("New name", False)

    opened = client.get(f"/en/me/saved-searches/{saved.pk}/open/")
    assert opened["Location"] == "/en/opportunities/?q=mine&sector=MIN"

    client.post(f"/me/saved-searches/{saved.pk}/delete/")
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize(
    "method, path, data",
    [
        ("post", "/me/saved-searches/{pk}/", {"name": "Mine now", "alerts": "1"}),
        ("post", "/me/saved-searches/{pk}/delete/", {}),
        ("get", "/me/saved-searches/{pk}/open/", {}),
    ],
)
def test_someone_elses_search_does_not_exist_and_is_unchanged(client, investor, method, path, data):
    theirs = SavedSearchFactory(user=UserFactory(), name="Theirs", alerts_enabled=False)
    before = SavedSearch.objects.values().get(pk=theirs.pk)

    response = getattr(client, method)(path.format(pk=theirs.pk), data)

    assert response.status_code == 404
    assert SavedSearch.objects.values().get(pk=theirs.pk) == before


def test_the_page_describes_filters_in_words_with_constant_queries(client, investor):
    def queries_for_page() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/en/me/saved-searches/")
        return len(queries), response.content.decode()

    SavedSearchFactory(user=investor, name="Copper WA", query="province=WA&q=copper&sector=MIN")
    few, html = queries_for_page()
    for n, code in enumerate(["EA", "TH", "IS", "AL"]):
        SavedSearchFactory(user=investor, name=f"Farms {n}", query=f"province={code}&sector=AGR&type=greenfield")
    many, _html = queries_for_page()

    assert "West Azerbaijan" in html
    assert "Mining" in html
    assert "Search:</span> copper" in html
    assert few == many


def test_the_page_asks_unverified_people_to_confirm_their_address(client, investor):
    assert 'data-testid="verify-first"' in client.get("/me/saved-searches/").content.decode()


@pytest.mark.usefixtures("english")
def test_saving_more_than_the_limit_is_refused(investor):
    for n in range(services.MAX_SAVED_SEARCHES):
        SavedSearchFactory(user=investor, query=f"q=w{n}")

    with pytest.raises(Exception, match="up to"):
        services.saved_search_create(user=investor, name="one more", query="q=extra")
    assert SavedSearch.objects.count() == services.MAX_SAVED_SEARCHES
