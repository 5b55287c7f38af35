"""Similar opportunities at the foot of a detail page: open ones of the same commodity, then the same sector, then the
same top-level sector, newest first within each; never itself, another sector family, or one that is not open."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opportunities.choices import Status
from opportunities.models import Opportunity
from opportunities.selectors import similar_opportunities
from registry.models import Commodity, Sector
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def made(title: str, sector: str, commodity: str | None = None, days_ago: int = 0, **extra) -> Opportunity:
    row = OpportunityFactory(
        title_en=title,
        title_fa=f"طرح {title}",
        sector=Sector.objects.get(code=sector),
        commodity=Commodity.objects.get(code=commodity) if commodity else None,
        **extra,
    )
    Opportunity.objects.filter(pk=row.pk).update(published_at=timezone.now() - datetime.timedelta(days=days_ago))
    return Opportunity.objects.select_related("sector__parent").get(pk=row.pk)


@pytest.fixture
def family():
    rows = {
        "mine": made("Copper mine", "MIN.MET", "copper", days_ago=50),
        "copper_old": made("Old copper", "MIN.MET", "copper", days_ago=30),
        "copper_new": made("New copper", "MIN.MET", "copper", days_ago=1),
        "gold": made("Gold mine", "MIN.MET", "gold", days_ago=2),
        "quarry": made("Stone quarry", "MIN.CNS", days_ago=3),
        "kaolin": made("Kaolin pit", "MIN.NMT", "kaolin", days_ago=40),
        "farm": made("Greenhouse", "AGR.GRH", days_ago=0),
        "talks": made("Copper in talks", "MIN.MET", "copper", days_ago=0),
        "draft": made("Copper draft", "MIN.MET", "copper", published=False),
    }
    Opportunity.objects.filter(pk=rows["talks"].pk).update(status=Status.IN_NEGOTIATION)
    return rows


def titles(rows) -> list[str]:
    return [row.title_en for row in rows]


def test_same_commodity_then_sector_then_family_newest_first(family):
    found = similar_opportunities(opportunity=family["mine"], user=AnonymousUser(), limit=10)
    assert titles(found) == ["New copper", "Old copper", "Gold mine", "Stone quarry", "Kaolin pit"]


def test_at_most_the_limit_and_the_rows_carry_what_a_card_shows(family, django_assert_num_queries):
    with django_assert_num_queries(4):  # the sector family (two levels), the ids, the rows with their relations
        found = similar_opportunities(opportunity=family["mine"], user=AnonymousUser())
        assert [row.sector.root.code for row in found] == ["MIN"] * 3
        assert [row.province.name for row in found]
    assert titles(found) == ["New copper", "Old copper", "Gold mine"]


def test_an_opportunity_alone_in_its_family_has_none(family):
    assert similar_opportunities(opportunity=family["farm"], user=AnonymousUser()) == []


def test_the_detail_page_shows_them_with_a_query_count_that_does_not_grow(client, family):
    html = client.get(f"/en/opportunities/{family['mine'].reference}/").content.decode()
    assert 'data-testid="similar"' in html and "Similar opportunities" in html
    section = html.split('data-testid="similar"', 1)[1]
    assert section.index("New copper") < section.index("Old copper") < section.index("Gold mine")
    assert "Copper draft" not in section and "Copper in talks" not in section and "Greenhouse" not in section
    assert 'data-testid="similar"' not in client.get(f"/en/opportunities/{family['farm'].reference}/").content.decode()

    def queries(reference: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/en/opportunities/{reference}/").status_code == 200
        return len(captured)

    assert queries(family["mine"].reference) == queries(family["kaolin"].reference)  # three similar either way
    persian = client.get(f"/opportunities/{family['mine'].reference}/").content.decode()
    assert "فرصت‌های مشابه" in persian
