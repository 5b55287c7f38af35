"""Public accountability: median time to first answer and the share within the SLA per province, and the funnel
inquiries → negotiation → contracted by province and sector; on the public page and in the API."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inquiries import stats
from inquiries.models import Inquiry
from opportunities.choices import Status as OpportunityStatus
from opportunities.models import Opportunity
from registry.models import Province, Sector
from tests.factories import OpportunityFactory

from .factories import make_inquiry

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def received(days_ago: float, *, answered_after: dt.timedelta | None = None, **kwargs) -> Inquiry:
    """An inquiry received some days ago (its deadline computed then), answered some time later or not at all."""
    inquiry = make_inquiry(now=NOW - dt.timedelta(days=days_ago), **kwargs)
    if answered_after is not None:
        Inquiry.objects.filter(pk=inquiry.pk).update(first_response_at=inquiry.created_at + answered_after)
    return Inquiry.objects.get(pk=inquiry.pk)


@pytest.fixture
def history():
    ea = Province.objects.get(code="EA")
    return {
        "fast": received(30, answered_after=dt.timedelta(hours=2)),
        "late": received(30, answered_after=dt.timedelta(days=10)),
        "ignored": received(20),  # past its deadline, never answered
        "fresh": received(0),  # not due yet: undecided
        "spam": received(30, answered_after=dt.timedelta(hours=1), spam=True),
        "old": received(400, answered_after=dt.timedelta(hours=1)),  # outside the twelve months
        "ea": received(10, answered_after=dt.timedelta(hours=10), province=ea),
    }


def test_median_and_share_within_the_sla_per_province(history):
    rows = {row["province"].code: row for row in stats.response_times(now=NOW)}

    assert set(rows) == {"WA", "EA"}
    wa = rows["WA"]
    assert (wa["inquiries"], wa["answered"], wa["within_sla"]) == (4, 2, 1)
    assert wa["median_first_response_hours"] == pytest.approx((2 + 240) / 2)
    assert wa["within_sla_share"] == pytest.approx(1 / 3, abs=0.001)  # fast of {fast, late, ignored}
    ea = rows["EA"]
    assert (ea["median_first_response_hours"], ea["within_sla_share"]) == (10.0, 1.0)


def test_funnel_by_province_and_top_level_sector():
    copper = OpportunityFactory(sector=Sector.objects.get(code="MIN.MET"))
    stone = OpportunityFactory(sector=Sector.objects.get(code="MIN.CNS"))
    apples = OpportunityFactory(sector=Sector.objects.get(code="AGR.HRT"))
    for opportunity in (copper, copper, stone, apples):
        make_inquiry(opportunity=opportunity)
    make_inquiry()  # a general question about West Azerbaijan
    make_inquiry(opportunity=apples, spam=True)
    Opportunity.objects.filter(pk=copper.pk).update(status=OpportunityStatus.IN_NEGOTIATION)
    Opportunity.objects.filter(pk=stone.pk).update(status=OpportunityStatus.CONTRACTED)

    rows = {(row["province"].code, row["sector"].code if row["sector"] else None): row for row in stats.funnel()}

    counts = {key: (r["inquiries"], r["opportunities"], r["negotiation"], r["contracted"]) for key, r in rows.items()}
    assert counts == {("WA", "MIN"): (3, 2, 2, 1), ("WA", "AGR"): (1, 1, 0, 0), ("WA", None): (1, 0, 0, 0)}


def test_figures_cost_the_same_queries_for_few_or_many_inquiries():
    received(5, answered_after=dt.timedelta(hours=3))

    def measure():
        with CaptureQueriesContext(connection) as queries:
            stats.accountability(now=NOW)
        return len(queries)

    few = measure()
    for days in range(1, 12):
        received(days, answered_after=dt.timedelta(hours=days), province=Province.objects.get(code="EA"))
    assert measure() == few


def test_the_api_is_public_and_names_provinces_by_code(api_client, history):
    response = api_client.get("/api/v1/accountability/")

    assert response.status_code == 200
    data = response.json()
    wa = next(row for row in data["provinces"] if row["province"]["code"] == "WA")
    assert wa["inquiries"] == 4 and wa["median_first_response_hours"] == pytest.approx(121.0)
    assert data["sla_working_days"] == 2
    assert {row["province"] for row in data["funnel"]} == {"WA", "EA"}


def test_the_public_page_is_persian_with_a_local_chart(client, history):
    html = client.get("/accountability/").content.decode()

    assert 'dir="rtl"' in html
    assert "آذربایجان غربی" in html
    assert "۱۲۱" in html  # the WA median in Persian digits
    assert "vendor/chartjs/chart.umd.min.js" in html and "inquiries/accountability.js" in html
    assert 'id="chart-data"' in html
    assert "https://" not in html.replace("https://testserver", "")


def test_the_public_page_in_english(client, history):
    html = client.get("/en/accountability/").content.decode()
    assert 'dir="ltr"' in html and "West Azerbaijan" in html and "121" in html


def test_the_public_page_with_no_inquiries(client):
    response = client.get("/accountability/")
    assert response.status_code == 200
    assert "chart.umd.min.js" not in response.content.decode()
