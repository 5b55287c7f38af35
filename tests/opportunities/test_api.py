"""The public catalogue API: filters, Persian search, pagination caps, and what anonymous readers may see."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opportunities.choices import OpportunityType, Stage, Status
from opportunities.models import Opportunity
from registry.models import County, Currency, Event, Province, Sector
from tests.conftest import client_for
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/opportunities/"


def refs(response) -> set[str]:
    return {row["reference"] for row in response.json()["results"]}


@pytest.fixture
def catalogue():
    """Five published opportunities across provinces, sectors and types, plus one draft."""
    wa, ea = Province.objects.get(code="WA"), Province.objects.get(code="EA")
    return {
        "copper": OpportunityFactory(
            title_fa="استخراج و فرآوری مس در تکاب",
            title_en="Copper mining and processing in Takab",
            county=County.objects.get(code="WA-TKB"),
            sector=Sector.objects.get(code="MIN.MET"),
            type=OpportunityType.GREENFIELD,
            capex_amount=Decimal("120000000"),
        ),
        "stone": OpportunityFactory(
            title_fa="کارخانه فرآوری سنگ‌های تزئینی",
            title_en="Decorative stone processing plant",
            county=County.objects.get(code="WA-KHY"),
            sector=Sector.objects.get(code="MIN.CNS"),
            type=OpportunityType.EXPANSION,
            capex_amount=Decimal("3000000"),
        ),
        "apple": OpportunityFactory(
            title_fa="سردخانه سیب ارومیه",
            title_en="Urmia apple cold storage",
            county=County.objects.get(code="WA-URM"),
            sector=Sector.objects.get(code="AGR.HRT"),
            type=OpportunityType.COMPLETION,
            physical_progress_pct=65,
            stage=Stage.IMPLEMENTATION,
            capex_amount=Decimal("500000000000"),
            capex_currency=Currency.objects.get(code="IRR"),
        ),
        "tabriz": OpportunityFactory(
            province=ea,
            title_fa="شهرک صنعتی قطعات خودرو تبریز",
            title_en="Tabriz auto parts industrial estate",
            sector=Sector.objects.get(code="MFG.MCH"),
            capex_amount=Decimal("40000000"),
            event=None,
        ),
        "hotel": OpportunityFactory(
            province=wa,
            title_fa="هتل چهار ستاره در ماکو",
            title_en="Four-star hotel in Maku",
            county=County.objects.get(code="WA-MAK"),
            sector=Sector.objects.get(code="TOU.HTL"),
            type=OpportunityType.PPP,
            capex_amount=None,
            capex_currency=None,
            event=Event.objects.get(slug="inova-2025"),
        ),
        "draft": OpportunityFactory(title_fa="طرح پیش‌نویس مس", title_en="Draft copper plan", published=False),
    }


def test_anonymous_list_shows_published_only(api_client, catalogue):
    response = api_client.get(LIST_URL)
    assert response.status_code == 200
    assert response.json()["count"] == 5
    assert catalogue["draft"].reference not in refs(response)


def test_draft_detail_is_404_for_anonymous(api_client, catalogue):
    assert api_client.get(f"{LIST_URL}{catalogue['draft'].reference}/").status_code == 404


def test_detail_by_reference_any_case(api_client, catalogue):
    reference = catalogue["copper"].reference
    response = api_client.get(f"{LIST_URL}{reference.lower()}/")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == reference
    assert body["province"]["code"] == "WA"
    assert body["capex_currency"] == "USD"
    assert body["capex_usd"] == "120000000.00"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"province": "EA"}, {"tabriz"}),
        ({"province": "WA"}, {"copper", "stone", "apple", "hotel"}),
        ({"county": "WA-TKB"}, {"copper"}),
        ({"sector": "MIN"}, {"copper", "stone"}),  # the tree: MIN includes its children
        ({"sector": "MIN.CNS"}, {"stone"}),
        ({"sector": "MIN", "type": "greenfield"}, {"copper"}),
        ({"type": "completion"}, {"apple"}),
        ({"stage": "implementation"}, {"apple"}),
        ({"capex_usd_min": "10000000"}, {"copper", "tabriz"}),
        ({"capex_usd_max": "۵ میلیون"}, {"stone", "apple"}),  # Persian digits and a scale word
        ({"capex_usd_min": "1000000", "capex_usd_max": "50000000"}, {"stone", "tabriz"}),
        ({"event": "inova-2025"}, {"hotel"}),
    ],
)
def test_filters(api_client, catalogue, params, expected):
    response = api_client.get(LIST_URL, params)
    assert response.status_code == 200, response.json()
    assert refs(response) == {catalogue[name].reference for name in expected}


def test_sector_filter_by_id_twin(api_client, catalogue):
    mining = Sector.objects.get(code="MIN")
    response = api_client.get(LIST_URL, {"sector_id": mining.pk})
    assert refs(response) == {catalogue["copper"].reference, catalogue["stone"].reference}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("مس", {"copper"}),
        ("copper", {"copper"}),
        ("COPPER takab", {"copper"}),
        ("سنگهای تزئینی", {"stone"}),  # no ZWNJ typed
        ("سنگ های تزئینی", {"stone"}),  # a space instead of the ZWNJ
        ("سنگ‌های تزیینی", {"stone"}),  # ئ/ی: the Academy's spelling finds the common one
        ("کارخانه فراوری", {"stone"}),  # without the madda
        ("سردخانه سيب", {"apple"}),  # Arabic yeh typed on an Arabic keyboard
        ("تكاب", {"copper"}),  # Arabic kaf
        ("urmia apple", {"apple"}),
        ("ارومیه", {"apple"}),
        ("هتل ماکو", {"hotel"}),
        ("آذربایجان غربی هتل", {"hotel"}),  # the province's name is in the key
        ("tabriz", {"tabriz"}),
    ],
)
def test_persian_search(api_client, catalogue, query, expected):
    response = api_client.get(LIST_URL, {"q": query})
    assert response.status_code == 200
    assert refs(response) == {catalogue[name].reference for name in expected}


def test_search_by_reference(api_client, catalogue):
    reference = catalogue["stone"].reference
    assert refs(api_client.get(LIST_URL, {"q": reference.lower()})) == {reference}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"province": "XX"}, "province"),
        ({"province_id": "abc"}, "province_id"),
        ({"sector": "NOPE"}, "sector"),
        ({"type": "castle"}, "type"),
        ({"stage": "dreaming"}, "stage"),
        ({"capex_usd_min": "lots"}, "capex_usd_min"),
        ({"capex_usd_max": "1e999999"}, "capex_usd_max"),
        ({"event": "no-such-event"}, "event"),
        ({"ordering": "password"}, "ordering"),
    ],
)
def test_junk_filters_are_400_naming_the_field(api_client, catalogue, params, field):
    response = api_client.get(LIST_URL, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("accept_language", "language", "message"),
    [
        ("en-GB,en;q=0.9", "en", "Select a valid choice."),
        ("fa-IR,fa;q=0.9,en;q=0.5", "fa", "یک گزینهٔ معتبر انتخاب کنید."),
        ("", "fa", "یک گزینهٔ معتبر انتخاب کنید."),  # no preference: the site's language
        ("de-DE", "fa", "یک گزینهٔ معتبر انتخاب کنید."),  # one it does not speak: the same
    ],
)
def test_the_api_answers_in_the_language_the_client_accepts(api_client, catalogue, accept_language, language, message):
    # The pages take their language from the path; the API has no language prefix, so it reads Accept-Language.
    response = api_client.get(LIST_URL, {"ordering": "password"}, HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 400
    assert response.json()["errors"]["ordering"][0].startswith(message)
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize(
    "query", ["x" * 1000, "'; DROP TABLE opportunities_opportunity; --", "<script>alert(1)</script>", "", "م"]
)
def test_odd_queries_are_answered_safely(api_client, catalogue, query):
    response = api_client.get(LIST_URL, {"q": query})
    assert response.status_code == 200
    assert Opportunity.objects.count() == 6


def test_ordering_by_capex(api_client, catalogue):
    response = api_client.get(LIST_URL, {"ordering": "-capex_usd", "province": "WA"})
    ordered = [row["reference"] for row in response.json()["results"]]
    # 500 billion rials is about 450 thousand dollars at the demo rate, so the apple store ranks below the stone plant.
    assert ordered == [catalogue[name].reference for name in ("copper", "stone", "apple", "hotel")]


def test_default_order_is_newest_first_with_drafts_last(people, catalogue):
    published = sorted(
        (o for name, o in catalogue.items() if name != "draft"), key=lambda o: (o.published_at, o.pk), reverse=True
    )
    response = client_for(people["reviewer"]).get(LIST_URL)
    ordered = [row["reference"] for row in response.json()["results"]]
    assert ordered == [o.reference for o in published] + [catalogue["draft"].reference]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="a PostgreSQL plan")
def test_the_unfiltered_page_is_read_in_index_order(api_client, catalogue):
    """The newest 20 of a million listings: walk opp_newest, never sort every row with its joins."""
    with CaptureQueriesContext(connection) as queries:
        api_client.get(LIST_URL)
    page = next(q["sql"] for q in queries if "LIMIT" in q["sql"] and "COUNT(*)" not in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {page}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "opp_newest" in plan, plan
    assert "Sort" not in plan, plan


def test_page_size_is_capped(api_client, catalogue):
    response = api_client.get(LIST_URL, {"page_size": 5000})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 5
    more = OpportunityFactory.create_batch(110)
    assert len(more) == 110
    response = api_client.get(LIST_URL, {"page_size": 5000})
    assert len(response.json()["results"]) == 100


def test_list_query_count_does_not_grow_with_page_size(api_client):
    OpportunityFactory.create_batch(100, event=Event.objects.get(slug="inova-2025"))
    counts = {}
    for size in (10, 100):
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(LIST_URL, {"page_size": size})
        assert len(response.json()["results"]) == size
        counts[size] = len(queries)
    assert counts[10] == counts[100] == 4  # count, the page's ids, its rows, and the newest event for Last-Modified


def test_provinces_and_sectors(api_client):
    provinces = api_client.get("/api/v1/provinces/").json()
    assert len(provinces) == 31
    assert {"code": "WA", "name_en": "West Azerbaijan"}.items() <= next(
        p for p in provinces if p["code"] == "WA"
    ).items()
    sectors = api_client.get("/api/v1/sectors/").json()
    codes = {s["code"]: s for s in sectors}
    assert {"MIN.MET", "MIN.NMT", "MIN.CNS"} <= set(codes)
    assert codes["MIN.MET"]["parent"] == "MIN"


def test_status_is_not_settable_and_api_is_read_only(api_client, catalogue):
    response = api_client.post(LIST_URL, {"title_fa": "x"}, format="json")
    assert response.status_code in (401, 403, 405)
    assert Opportunity.objects.count() == 6
    assert Opportunity.objects.filter(status=Status.PUBLISHED).count() == 5


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/opportunities/" in schema.content
    for page in ["/api/docs/", "/api/redoc/"]:
        docs = client.get(page)
        assert docs.status_code == 200
        # Every script and style the page loads is served from this site (no CDN): only relative URLs.
        loaded = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']*)', docs.content.decode())
        assert loaded and all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded


def test_schema_generates_without_warnings(tmp_path):
    # drf-spectacular's warnings (a view it cannot read, an unguessable field) also fail `check --deploy` in CI.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_unchanged_list_and_detail_answer_304(api_client, catalogue):
    for url in [LIST_URL, f"{LIST_URL}{catalogue['copper'].reference}/"]:
        first = api_client.get(url)
        assert first.status_code == 200 and first["ETag"]
        again = api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304


def test_unknown_api_path_is_json_404(client, settings):
    settings.DEBUG = False
    response = client.get("/api/v1/opportunities/%C2%84/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page_size": "null"}, {"page_size": "1.5"}, {"page": ""}])
def test_a_page_or_page_size_that_is_not_a_whole_number_is_a_400(api_client, catalogue, params):
    response = api_client.get(LIST_URL, params)
    assert response.status_code == 400
    assert set(params) <= set(response.json()["errors"])


@pytest.mark.parametrize("body", ["false", "[]", '"WA"'])
def test_a_write_whose_body_is_not_an_object_is_a_400_and_writes_nothing(people, body):
    before = Opportunity.objects.count()
    response = client_for(people["staff_wa"]).post(LIST_URL, body, content_type="application/json")
    assert response.status_code == 400
    assert Opportunity.objects.count() == before


def test_writes_take_json_only(people):
    response = client_for(people["staff_wa"]).post(LIST_URL, {"title_fa": "x"}, format="multipart")
    assert response.status_code == 415
