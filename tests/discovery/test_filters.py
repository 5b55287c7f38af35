"""Filters beyond the basics: capex in a chosen currency, IRR in percent, payback, jobs, incentives, model, documents,
status and ordering; junk anywhere is a message on the page and a 400 in the API, never a 500."""

from decimal import Decimal

import pytest
from django.db import connection

from opportunities.choices import Status
from opportunities.models import Opportunity
from registry.models import Currency
from tests.discovery.conftest import make, refs

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/opportunities/"


def numbers(response) -> set[int]:
    """The listings of `facet_catalogue` are numbered in their English title ('Mining project 6' → 6)."""
    return {int(row["title_en"].rsplit(" ", 1)[1]) for row in response.json()["results"]}


def get(api_client, params):
    response = api_client.get(LIST_URL, {**params, "page_size": 100})
    assert response.status_code == 200, response.json()
    return response


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"capex_min": "۲۵ میلیون", "capex_max": "27000000"}, {24, 25, 26}),  # amounts of 1..30 million USD
        ({"capex_min": "۲۵ میلیون"}, {24, 25, 26, 27, 28, 29}),
        ({"capex_min": "25000000", "currency": "USD"}, {24, 25, 26, 27, 28, 29}),
        ({"jobs_min": "۲۸۰"}, {27, 28, 29}),
        ({"jobs_max": "30"}, {0, 1, 2}),
        ({"payback_max": "۹"}, {1, 5, 9, 13, 17, 21, 25, 29}),
        ({"irr_max": "10"}, {1, 5, 9, 13, 17, 21, 25, 29}),
        ({"incentive": "free_zone"}, {0, 6, 12, 18, 24}),
        ({"incentive": ["free_zone", "less_developed"]}, {0, 6, 12, 18, 24, 1, 11, 16, 21, 26}),
    ],
)
def test_range_and_incentive_filters(api_client, facet_catalogue, params, expected):
    assert numbers(get(api_client, params)) == expected


def test_capex_in_rials_is_compared_in_dollars_through_the_rate(api_client, facet_catalogue):
    rate = Currency.objects.get(code="IRR").rates.order_by("-valid_from").first().units_per_usd
    twenty_five_million_usd_in_rials = int(Decimal(25_000_000) * rate)
    in_usd = numbers(get(api_client, {"capex_min": "25000000"}))
    in_irr = numbers(get(api_client, {"capex_min": str(twenty_five_million_usd_in_rials), "currency": "IRR"}))
    assert in_usd == in_irr


def test_irr_is_typed_in_percent(api_client, facet_catalogue):
    high = numbers(get(api_client, {"irr_min": "۱۵"}))
    assert high == {number for number in range(30) if number % 2 == 0} - set(range(1, 30, 4))


def test_has_financial_model_and_documents(api_client, facet_catalogue):
    assert numbers(get(api_client, {"has_financial_model": "true"})) == set(range(0, 30, 2))
    assert numbers(get(api_client, {"has_documents": "yes"})) == set(range(0, 30, 3))
    assert numbers(get(api_client, {"has_documents": "false"})) == set(range(30)) - set(range(0, 30, 3))


def test_public_status_filter(api_client, facet_catalogue):
    negotiating = set(Opportunity.objects.filter(status=Status.IN_NEGOTIATION).values_list("reference", flat=True))
    assert refs(get(api_client, {"status": "in_negotiation"})) == negotiating
    assert len(negotiating) == 4


@pytest.mark.parametrize(
    ("ordering", "key"),
    [("-capex_usd", lambda row: -Decimal(row["capex_usd"])), ("capex_usd", lambda row: Decimal(row["capex_usd"]))],
)
def test_ordering_by_capex(api_client, facet_catalogue, ordering, key):
    rows = get(api_client, {"ordering": ordering}).json()["results"]
    assert rows == sorted(rows, key=key)


def test_ordering_by_irr_and_completeness_puts_empty_values_last(api_client, facet_catalogue):
    Opportunity.objects.filter(title_en__endswith=" 3").update(completeness=90)
    rows = get(api_client, {"ordering": "-irr"}).json()["results"]
    irr = [Opportunity.objects.get(reference=row["reference"]).fin_irr for row in rows]
    assert irr == sorted(irr, key=lambda value: (value is None, -(value or 0)))
    first = get(api_client, {"ordering": "-completeness"}).json()["results"][0]
    assert first["title_en"].endswith(" 3")


def test_relevance_without_a_query_is_newest_first(api_client, facet_catalogue):
    rows = get(api_client, {"ordering": "-relevance"}).json()["results"]
    newest = get(api_client, {}).json()["results"]
    assert [row["reference"] for row in rows] == [row["reference"] for row in newest]


JUNK = [
    ({"capex_min": "lots"}, "capex_min"),
    ({"capex_max": "۵۰ گونی"}, "capex_max"),
    ({"currency": "XYZ"}, "currency"),
    ({"irr_min": "high"}, "irr_min"),
    ({"irr_min": "20", "irr_max": "10"}, "irr_max"),
    ({"payback_max": "soon"}, "payback_max"),
    ({"jobs_min": "many"}, "jobs_min"),
    ({"incentive": "free_beer"}, "incentive"),
    ({"has_financial_model": "maybe"}, "has_financial_model"),
    ({"has_documents": "2"}, "has_documents"),
    ({"status": "draft"}, "status"),
    ({"commodity": "unobtainium"}, "commodity"),
    ({"county": "WA-XXX"}, "county"),
    ({"event": "no-such-event"}, "event"),
    ({"ordering": "title; DROP TABLE x"}, "ordering"),
    ({"sector_id": "1 OR 1=1"}, "sector_id"),
    ({"capex_usd_min": "9" * 70}, "capex_usd_min"),
]


@pytest.mark.parametrize(("params", "field"), JUNK, ids=[field for _params, field in JUNK])
def test_junk_is_a_400_naming_the_field_in_the_api(api_client, facet_catalogue, params, field):
    response = api_client.get(LIST_URL, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(("params", "field"), JUNK, ids=[field for _params, field in JUNK])
def test_junk_is_a_message_on_the_page(client, facet_catalogue, params, field):
    response = client.get("/opportunities/", params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="filter-errors"' in html and field in html
    assert client.get("/opportunities/", params, headers={"HX-Request": "true"}).status_code == 400


def test_junk_page_numbers_and_sizes_fall_back(client, facet_catalogue):
    for params in ({"page": "abc"}, {"page": "-3"}, {"page": "99999"}, {"page_size": "1000000"}, {"page_size": "x"}):
        assert client.get("/opportunities/", params).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "x" * 1000,
        "مس " * 333,
        "'; DROP TABLE opportunities_opportunity; --",
        "%' OR '1'='1",
        "_%_",
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "",
        "   ",
        "م",
        "a",
        "\u200c\u200f",
        "|",
    ],
)
def test_odd_queries_are_answered_safely(client, api_client, search_catalogue, query):
    response = api_client.get(LIST_URL, {"q": query})
    assert response.status_code == 200
    page = client.get("/opportunities/", {"q": query})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert Opportunity.objects.count() == len(search_catalogue)


def test_sql_wildcards_in_a_query_are_literal(api_client, search_catalogue):
    assert refs(api_client.get(LIST_URL, {"q": "مس%"})) == set()
    assert refs(api_client.get(LIST_URL, {"q": "%مس"})) == set()
    assert refs(api_client.get(LIST_URL, {"q": "م_س"})) == set()


def test_a_query_longer_than_the_box_allows_is_a_clear_400(client, api_client, search_catalogue):
    response = api_client.get(LIST_URL, {"q": "x" * 1001})
    assert response.status_code == 400 and "q" in response.json()
    page = client.get("/opportunities/", {"q": "x" * 1001})
    assert page.status_code == 400 and 'data-testid="filter-errors"' in page.content.decode()


def test_one_letter_query_matches_words_that_start_with_it(api_client, search_catalogue):
    found = refs(api_client.get(LIST_URL, {"q": "م", "page_size": 100}))
    assert search_catalogue["copper"].reference in found


def test_listing_marks_the_matched_words_and_escapes_the_rest(client, search_catalogue):
    html = client.get("/opportunities/", {"q": "سيب <b>"}).content.decode()
    assert "<mark>سیب</mark>" in html
    html = client.get("/en/opportunities/", {"q": "takab"}).content.decode()
    assert "<mark>Takab</mark>" in html


def test_listing_says_when_it_shows_similar_spellings(client, search_catalogue):
    html = client.get("/en/opportunities/", {"q": "takeb"}).content.decode()
    assert 'data-testid="fuzzy-notice"' in html and search_catalogue["copper"].reference in html
    assert "<mark>Takab</mark>" in html  # the similar spelling is marked where the listing says it
    assert 'data-testid="fuzzy-notice"' not in client.get("/en/opportunities/", {"q": "takab"}).content.decode()


def test_similar_spellings_put_the_closest_first(api_client, search_catalogue):
    # given a newer listing that shares only "oper" with the typo "coper" (one letter typed too many)
    newer = make(title_fa="واحد بسته‌بندی در حال بهره‌برداری", title_en="Operating packaging unit")
    # when an investor types the typo
    response = api_client.get("/api/v1/opportunities/", {"q": "coper", "page_size": 100})
    order = [row["reference"] for row in response.json()["results"]]
    # then every copper listing (all five letters kept, one left out) comes before it, newest first or not
    coppers = [search_catalogue[name].reference for name in ("copper", "cathode", "smelter")]
    assert set(coppers) <= set(order)
    if connection.vendor == "sqlite":  # one-edit patterns find it; pg_trgm finds "operating" too far to match
        assert newer.reference in order
    if newer.reference in order:
        assert max(order.index(ref) for ref in coppers) < order.index(newer.reference)


def test_every_filter_state_is_a_shareable_url(client, facet_catalogue):
    params = {"province": "WA", "sector": "MIN", "incentive": "free_zone", "ordering": "-capex_usd", "page_size": "10"}
    html = client.get("/opportunities/", params).content.decode()
    assert 'value="WA" checked' in html.replace(' id="f-province-wa"', "")
    assert 'value="-capex_usd" selected' in html
    assert "export.csv?" in html and "province=WA" in html


def test_filter_sets_of_two_requests_share_nothing_they_change(facet_catalogue):
    """The declared filters are copied shallowly and the form class is built once (opportunities.filters): each
    request's filters still answer to their own filter set, and each form has its own fields and querysets."""
    from django.http import QueryDict

    from opportunities.filters import OpportunityFilterSet

    first = OpportunityFilterSet(QueryDict("sector=MIN&has_documents=true"), queryset=Opportunity.objects.all())
    second = OpportunityFilterSet(QueryDict("province=WA"), queryset=Opportunity.objects.all())
    assert first.is_valid() and second.is_valid()
    for filterset in (first, second):
        for name in ("sector", "has_documents", "capex_min"):
            assert filterset.filters[name].parent is filterset
            assert filterset.filters[name].filter.f is filterset.filters[name]  # the method proxy is its own
    assert type(first.form) is type(second.form)
    assert first.form.fields["province"] is not second.form.fields["province"]
    assert first.form.fields["province"].queryset is not second.form.fields["province"].queryset
    mining, western = list(first.qs.select_related("sector")), list(second.qs.select_related("province"))
    assert mining and all(row.sector.code.startswith("MIN") for row in mining)
    assert western and all(row.province.code == "WA" for row in western)
    assert len(western) < Opportunity.objects.count()


def test_the_form_class_built_once_still_speaks_each_requests_language(facet_catalogue):
    from django.http import QueryDict
    from django.utils import translation

    from opportunities.filters import OpportunityFilterSet

    def form_in(language):
        with translation.override(language):
            form = OpportunityFilterSet(QueryDict("jobs_min=many"), queryset=Opportunity.objects.all()).form
            return str(form.fields["irr_min"].label), " ".join(form.errors["jobs_min"])

    persian_label, persian_error = form_in("fa")
    english_label, english_error = form_in("en")
    assert english_label == "Real IRR from (%)" and persian_label != english_label
    assert persian_error != english_error and any("\u0600" <= ch <= "\u06ff" for ch in persian_error)
