"""Home dashboard: totals, the mining share, chart data by sector and province, the latest published."""

import json
import re

import pytest
from django.utils import timezone

from opportunities.models import Opportunity
from registry.models import Sector
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dashboard():
    mining = [OpportunityFactory(title_fa=f"معدن {i}") for i in range(3)]
    farm = OpportunityFactory(title_fa="باغ", sector=Sector.objects.get(code="AGR.HRT"))
    draft = OpportunityFactory(title_fa="پیش‌نویس", published=False)
    Opportunity.objects.filter(pk=farm.pk).update(published_at=timezone.now())
    return {"mining": mining, "farm": farm, "draft": draft}


def charts(html: str) -> dict:
    match = re.search(r'<script id="home-charts" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_home_shows_the_mining_share_in_persian_digits(client, dashboard):
    html = client.get("/").content.decode()
    assert 'data-testid="mining-share"' in html
    # The words come from the Persian translation; a middle dot beside Persian digits would read as a zero («۰»).
    assert re.search(r'data-testid="mining-share">۳ از ۴ \(۷۵٪\)</div>', html)
    assert "vendor/chartjs/chart.umd.min.js" in html


def test_home_chart_data_by_sector_and_province(client, dashboard):
    data = charts(client.get("/en/").content.decode())
    assert dict(zip(data["sectors"]["codes"], data["sectors"]["counts"], strict=True)) == {"MIN": 3, "AGR": 1}
    assert data["provinces"]["codes"] == ["WA"] and data["provinces"]["counts"] == [4]
    assert data["provinces"]["labels"] == ["West Azerbaijan"]


def test_home_latest_published_first_and_no_drafts(client, dashboard):
    html = client.get("/en/").content.decode()
    latest = html.split("Latest published", 1)[1]
    assert latest.index(dashboard["farm"].reference) < latest.index(dashboard["mining"][0].reference)
    assert dashboard["draft"].reference not in html
