"""Investor pages: Persian by default (RTL, Persian digits), English under /en/, filters and 404s."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import Currency, Sector
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listings():
    mining = [OpportunityFactory(title_fa=f"معدن مس {i}", title_en=f"Copper mine {i}") for i in range(3)]
    farm = OpportunityFactory(
        title_fa="گلخانه صنعتی",
        title_en="Industrial greenhouse",
        sector=Sector.objects.get(code="AGR.GRH"),
        capex_amount=Decimal("50000000000000"),
        capex_currency=Currency.objects.get(code="IRR"),
    )
    draft = OpportunityFactory(title_fa="پیش‌نویس محرمانه", published=False)
    return {"mining": mining, "farm": farm, "draft": draft}


def test_home_is_persian_rtl_with_persian_digits(client, listings):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fa" dir="rtl"' in html
    assert "bootstrap.rtl.min.css" in html
    assert "۴ فرصت" in html  # four published, in Persian digits
    assert "۳ در حوزه معدن" in html
    assert "پیش‌نویس محرمانه" not in html


def test_home_in_english(client, listings):
    html = client.get("/en/").content.decode()
    assert 'lang="en" dir="ltr"' in html
    assert "4 opportunities, 3 in mining" in html


def test_no_page_loads_anything_from_another_host(client, listings):
    for url in ["/", "/opportunities/", f"/opportunities/{listings['farm'].reference}/", "/en/"]:
        html = client.get(url).content.decode()
        assert "https://" not in html.replace("https://testserver", "")
        assert "//cdn" not in html


def test_listing_filters_and_search(client, listings):
    html = client.get("/opportunities/", {"sector": "MIN", "q": "مس"}).content.decode()
    for opportunity in listings["mining"]:
        assert opportunity.reference in html
    assert listings["farm"].reference not in html


def test_listing_amounts_read_naturally(client, listings):
    html = client.get("/opportunities/", {"sector": "AGR"}).content.decode()
    assert "۵۰ هزار میلیارد ریال" in html
    html = client.get("/en/opportunities/", {"sector": "AGR"}).content.decode()
    assert "50 trillion IRR" in html


def test_listing_junk_filter_shows_a_message_not_an_error(client, listings):
    response = client.get("/opportunities/", {"capex_usd_min": "a lot", "province": "ZZ"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "alert" in html and "capex_usd_min" in html


def test_listing_htmx_returns_the_results_fragment(client, listings):
    response = client.get("/opportunities/", {"q": "گلخانه"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert listings["farm"].reference in html


def test_listing_query_count_is_constant(client):
    OpportunityFactory.create_batch(5)
    with CaptureQueriesContext(connection) as small:
        client.get("/opportunities/")
    OpportunityFactory.create_batch(15)
    with CaptureQueriesContext(connection) as large:
        client.get("/opportunities/")
    assert len(small) == len(large)


def test_detail_page(client, listings):
    farm = listings["farm"]
    html = client.get(f"/opportunities/{farm.reference}/").content.decode()
    assert farm.title_fa in html
    assert farm.reference in html
    english = client.get(f"/en/opportunities/{farm.reference}/").content.decode()
    assert "Industrial greenhouse" in english


def test_detail_page_says_when_an_opportunity_is_in_negotiation_or_contracted(client, listings):
    mine = listings["mining"][0]
    assert 'data-testid="status-notice"' not in client.get(f"/en/opportunities/{mine.reference}/").content.decode()
    for status, text in (("in_negotiation", "still ask about it"), ("contracted", "A contract for this opportunity")):
        type(mine).objects.filter(pk=mine.pk).update(status=status)
        html = client.get(f"/en/opportunities/{mine.reference}/").content.decode()
        assert 'data-testid="status-notice"' in html and text in html
    assert f"/en/opportunities/?sector={mine.sector.code}&amp;status=published" in html
    persian = client.get(f"/opportunities/{mine.reference}/").content.decode()
    assert "قرارداد" in persian


def test_draft_detail_is_404(client, listings):
    assert client.get(f"/opportunities/{listings['draft'].reference}/").status_code == 404
    assert client.get("/opportunities/XX-NOPE-1/").status_code == 404


@pytest.mark.parametrize(
    ("path", "expected"), [("/opportunities/?q=x", "/en/opportunities/?q=x"), ("/en/opportunities/", "/opportunities/")]
)
def test_language_switch_keeps_the_page(client, path, expected):
    html = client.get(path).content.decode()
    assert f'name="next" type="hidden" value="{expected}"' in html.replace("&amp;", "&")
