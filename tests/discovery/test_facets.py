"""Facet counts: each number equals a plain count with the other filters applied; queries do not grow with pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from opportunities.choices import PUBLIC_STATUSES
from opportunities.facets import GROUPS, catalogue_facets, facet_counts, result_total
from opportunities.filters import OpportunityFilterSet
from opportunities.models import Document, Opportunity
from opportunities.selectors import opportunity_list_queryset
from registry.models import Province
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

HAS_DOCUMENTS = Q(pk__in=Document.objects.values("opportunity_id"))

# Each combination: the URL parameters, and the same filters written by hand as one Q per facet group (None for
# filters that are not facets, such as the search or a range).
COMBINATIONS = [
    ({}, {}),
    ({"province": "WA"}, {"province": Q(province__code="WA")}),
    (
        {"sector": "MIN", "type": "greenfield"},
        {"sector": Q(sector__code__startswith="MIN"), "type": Q(type="greenfield")},
    ),
    (
        {"q": "معدن", "stage": ["feasibility", "ready"], "province": ["WA", "EA"]},
        {
            None: Q(search_key__contains="معدن"),
            "stage": Q(stage__in=["feasibility", "ready"]),
            "province": Q(province__code__in=["WA", "EA"]),
        },
    ),
    (
        {"incentive": ["free_zone", "tax_holiday"], "has_financial_model": "true", "capex_usd_max": "۲۰ میلیون"},
        {
            "incentive": Q(in_free_zone=True) | Q(tax_holiday_years__gt=0),
            "has_financial_model": Q(has_financial_model=True),
            None: Q(capex_usd__lte=20_000_000),
        },
    ),
    (
        {"has_documents": "true", "status": ["in_negotiation", "published"], "event": "inova-2025", "county": "WA-URM"},
        {
            "has_documents": HAS_DOCUMENTS,
            "status": Q(status__in=["in_negotiation", "published"]),
            "event": Q(event__slug="inova-2025"),
            "county": Q(county__code="WA-URM"),
        },
    ),
    ({"irr_min": "۱۵", "sector": "MIN.MET"}, {None: Q(fin_irr__gte="0.15"), "sector": Q(sector__code="MIN.MET")}),
]

VALUE_CONDITIONS = {
    "province": lambda value: Q(province_id=value),
    "county": lambda value: Q(county_id=value),
    "sector": lambda value: Q(sector_id=value),
    "commodity": lambda value: Q(commodity_id=value),
    "type": lambda value: Q(type=value),
    "stage": lambda value: Q(stage=value),
    "status": lambda value: Q(status=value),
    "event": lambda value: Q(event_id=value),
    "incentive_free_zone": lambda value: Q(in_free_zone=value),
    "incentive_special_zone": lambda value: Q(in_special_economic_zone=value),
    "incentive_less_developed": lambda value: Q(in_less_developed_area=value),
    "incentive_tax_holiday": lambda value: Q(tax_holiday_years__gt=0) if value else ~Q(tax_holiday_years__gt=0),
    "has_financial_model": lambda value: Q(has_financial_model=value),
    "has_documents": lambda value: HAS_DOCUMENTS if value else ~HAS_DOCUMENTS,
}
GROUP_OF_COLUMN = {name: group.name for group in GROUPS for name, _expression in group.columns}


def filterset_for(params: dict) -> OpportunityFilterSet:
    data = QueryDict(mutable=True)
    for key, value in params.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    filterset = OpportunityFilterSet(data, queryset=opportunity_list_queryset(AnonymousUser()))
    assert filterset.is_valid(), filterset.errors
    return filterset


def plain_count(conditions: dict, *, leave_out: str, extra: Q) -> int:
    queryset = Opportunity.objects.filter(status__in=PUBLIC_STATUSES)
    for group, condition in conditions.items():
        if group != leave_out:
            queryset = queryset.filter(condition)
    return queryset.filter(extra).distinct().count()


def ids(combinations):
    return ["&".join(sorted(params)) or "nothing" for params, _conditions in combinations]


@pytest.mark.parametrize(("params", "conditions"), COMBINATIONS, ids=ids(COMBINATIONS))
def test_every_facet_count_equals_a_plain_count(facet_catalogue, params, conditions):
    counts = facet_counts(filterset_for(params))
    checked = 0
    for column, by_value in counts.items():
        group = GROUP_OF_COLUMN[column]
        for value, count in by_value.items():
            if value is None:
                continue
            expected = plain_count(conditions, leave_out=group, extra=VALUE_CONDITIONS[column](value))
            assert count == expected, (column, value)
            checked += 1
    assert checked >= 8


@pytest.mark.parametrize(("params", "conditions"), COMBINATIONS[1:4], ids=ids(COMBINATIONS[1:4]))
def test_no_value_with_results_is_left_out(facet_catalogue, params, conditions):
    counts = facet_counts(filterset_for(params))
    for province_id in Opportunity.objects.values_list("province_id", flat=True).distinct():
        expected = plain_count(conditions, leave_out="province", extra=Q(province_id=province_id))
        assert counts["province"].get(province_id, 0) == expected


def test_sector_counts_roll_up_the_tree(facet_catalogue):
    filterset = filterset_for({"type": "greenfield"})
    facets = catalogue_facets(filterset, counts=facet_counts(filterset))
    by_code = {option.value: option.count for option in facets["sector"].options}
    public = Opportunity.objects.filter(status__in=PUBLIC_STATUSES, type="greenfield")
    assert by_code["MIN"] == public.filter(sector__code__startswith="MIN").count()
    assert by_code["MIN.MET"] == public.filter(sector__code="MIN.MET").count()
    assert by_code["MIN"] > by_code["MIN.MET"] > 0


def test_a_ticked_value_keeps_its_siblings_counts(facet_catalogue):
    # Disjunctive: with WA ticked, EA still shows how many ticking it would add.
    filterset = filterset_for({"province": "WA"})
    facets = catalogue_facets(filterset, counts=facet_counts(filterset))
    options = {option.value: option for option in facets["province"].options}
    assert options["WA"].selected and not options["EA"].selected
    assert options["EA"].count == Opportunity.objects.filter(province__code="EA", status__in=PUBLIC_STATUSES).count()


def test_provinces_with_results_or_ticked_come_first_each_part_in_alphabetical_order(facet_catalogue):
    from django.utils import translation

    with translation.override("en"):
        filterset = filterset_for({"province": "AL", "sector": "MIN"})  # Alborz: ticked, without results
        options = catalogue_facets(filterset, counts=facet_counts(filterset))["province"].options
    with_results = {option.value for option in options if option.count}
    assert len(with_results) >= 2 and "AL" not in with_results
    leading = [option for option in options if option.count or option.selected]
    assert {option.value for option in leading} == with_results | {"AL"}
    assert options[: len(leading)] == leading
    assert len(options) == Province.objects.count()
    for part in (leading, options[len(leading) :]):
        names = [option.label for option in part]
        assert names == sorted(names)


def test_facet_queries_are_bounded_by_groups_not_values(facet_catalogue):
    def queries(params):
        filterset = filterset_for(params)
        with CaptureQueriesContext(connection) as captured:
            facet_counts(filterset)
        return len(captured)

    def expected(active: set[str]) -> int:
        # PostgreSQL: one GROUPING SETS query for every group, set or not. Elsewhere one GROUP BY per column of the
        # idle groups, plus one query per group whose filter is set, however many of its values are ticked.
        if connection.vendor == "postgresql":
            return 1
        return sum(len(group.columns) for group in GROUPS if group.name not in active) + len(active)

    assert queries({}) == expected(set())
    assert queries({"province": ["WA", "EA"], "type": ["ppp", "expansion", "greenfield"]}) == expected(
        {"province", "type"}
    )


@pytest.fixture
def many_listings(facet_catalogue):
    OpportunityFactory.create_batch(30)


@pytest.mark.parametrize("params", [{}, {"q": "project", "province": "WA", "has_documents": "true"}])
def test_listing_query_count_is_the_same_on_every_page_and_size(client, many_listings, params):
    counts = {}
    for page, size in ((1, 10), (3, 10), (1, 50), (2, 20)):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/opportunities/", {**params, "page": page, "page_size": size})
        assert response.status_code == 200
        counts[(page, size)] = len(captured)
    assert len(set(counts.values())) == 1, counts


@pytest.mark.parametrize("params", [{}, {"status": "published", "type": "ppp"}, {"q": "معدن", "stage": "ready"}])
def test_total_read_off_the_facets_equals_a_count(client, facet_catalogue, params):
    filterset = filterset_for(params)
    assert result_total(filterset, facet_counts(filterset)) == filterset.qs.count()


def test_listing_htmx_fragment_carries_the_facets_out_of_band(client, facet_catalogue):
    response = client.get("/opportunities/", {"province": "WA"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="facet-lists" hx-swap-oob="true"' in html
    assert "<html" not in html


ORDERINGS = ["", "-relevance", "-published", "-capex_usd", "capex_usd", "-irr", "-completeness"]


@pytest.mark.parametrize("ordering", ORDERINGS)
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sector": "MIN"},
        {"q": "project"},
        {"q": "project", "province": ["WA", "EA"]},
        {"q": "project", "province": "WA", "type": ["ppp", "greenfield"]},
    ],
    ids=["everything", "one ticked group", "search", "search+one ticked group", "search+two ticked groups"],
)
def test_listing_page_equals_the_ordered_result_set_sliced(client, many_listings, params, ordering):
    # On PostgreSQL a search's page comes out of the facet scan; it must be the page the ordered queryset gives, for
    # every ordering and for page numbers that are junk, too small or past the end (Paginator.get_page's rules).
    every_fourth = list(Opportunity.objects.order_by("pk").values_list("pk", flat=True))[::4]
    Opportunity.objects.filter(pk__in=every_fourth).update(capex_usd=None)  # empty values sort last
    filterset = filterset_for({**params, **({"ordering": ordering} if ordering else {})})
    expected = list(filterset.qs.values_list("reference", flat=True))
    size = 10
    last = (len(expected) - 1) // size + 1
    assert last >= 2
    for number in ("1", "2", str(last), "abc", "0", "999", "9" * 30):
        response = client.get("/en/opportunities/", {**params, "ordering": ordering, "page": number, "page_size": size})
        assert response.status_code == 200
        page = response.context["page"]
        shown = {"1": 1, "2": 2, "abc": 1}.get(number, last)
        assert (page.number, page.paginator.count) == (shown, len(expected)), number
        assert [row.reference for row in page.object_list] == expected[(shown - 1) * size : shown * size], number


def test_a_search_is_evaluated_once_for_facets_total_and_page(client, many_listings):
    # After the plan's existence check, PostgreSQL reads facets, total and page from one scan of the matching rows;
    # elsewhere the facet queries and the page each search again.
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/en/opportunities/", {"q": "project", "province": "WA", "page": 2, "page_size": 10})
    assert response.status_code == 200 and response.context["page"].object_list
    searching = [query["sql"] for query in captured if "LIKE" in query["sql"] and "search_key" in query["sql"]]
    if connection.vendor == "postgresql":
        assert len(searching) == 2, searching  # the existence check, then the scan
        assert searching[1].startswith("WITH facet_rows AS MATERIALIZED")
    else:
        assert len(searching) > 2
