"""A small catalogue whose words exercise every way Persian and English get typed, plus helpers to read results."""

from decimal import Decimal

import pytest

from opportunities.choices import OpportunityType, Stage, Status
from opportunities.models import Document, Opportunity
from registry.models import Commodity, County, Currency, Event, Province, Sector
from tests.factories import OpportunityFactory


def make(**fields):
    """One published opportunity made through the services, as staff would make it."""
    county = fields.pop("county", None)
    if county is not None:
        fields["county"] = County.objects.get(code=county)
        fields.setdefault("province", fields["county"].province)
    if isinstance(fields.get("sector"), str):
        fields["sector"] = Sector.objects.get(code=fields["sector"])
    if isinstance(fields.get("commodity"), str):
        fields["commodity"] = Commodity.objects.get(code=fields["commodity"])
    return OpportunityFactory(**fields)


@pytest.fixture
def search_catalogue():
    """Fifteen listings; the dict keys are the names the search cases use."""
    rows = {
        "copper": make(
            title_fa="استخراج و فرآوری مس در تکاب",
            title_en="Copper mining and processing in Takab",
            summary_fa="تولید کنسانتره با عیار بالا",
            summary_en="High-grade concentrate",
            county="WA-TKB",
            sector="MIN.MET",
            commodity="copper",
        ),
        "stone": make(
            title_fa="کارخانه فرآوری سنگ‌های تزئینی",
            title_en="Decorative stone processing plant",
            county="WA-KHY",
            sector="MIN.CNS",
            type=OpportunityType.EXPANSION,
        ),
        "apple": make(
            title_fa="سردخانه سیب ارومیه",
            title_en="Urmia apple cold storage",
            summary_fa="ظرفیت ۵۰ هزار تن",
            summary_en="Capacity 50 thousand tonnes",
            county="WA-URM",
            sector="AGR.HRT",
            type=OpportunityType.COMPLETION,
        ),
        "hotel": make(
            title_fa="هتل چهار ستاره در ماکو",
            title_en="Four-star hotel in Maku",
            county="WA-MAK",
            sector="TOU.HTL",
            type=OpportunityType.PPP,
        ),
        "tabriz": make(
            title_fa="شهرک صنعتی قطعات خودرو تبریز",
            title_en="Tabriz auto parts industrial estate",
            county="EA-TBZ",
            sector="MFG.MCH",
        ),
        "expo": make(
            title_fa="مرکز نمایشگاهی بین‌المللی",
            title_en="International exhibition centre",
            summary_fa="در شهر ارومیه",
            summary_en="In the city of Urmia",
            county="WA-URM",
            sector="TRD.WHL",
        ),
        "gold": make(
            title_fa="بهره‌برداری از مَعدِنِ طـــلای زَرشوران",
            title_en="Zarshuran gold mine development",
            county="WA-TKB",
            sector="MIN.MET",
            commodity="gold",
        ),
        "iron": make(
            title_fa="تولید ۱۲۰۰ تن کنسانتره آهن",
            title_en="1200 tonne iron concentrate",
            county="WA-SHD",
            sector="MIN.MET",
            commodity="iron-ore",
        ),
        "cathode": make(
            title_fa="کارخانه کاتد",
            title_en="Cathode plant",
            summary_fa="ورودی کارخانه کنسانتره مس است",
            summary_en="Fed with copper concentrate",
            county="WA-MHB",
            sector="MFG.MET",
        ),
        "smelter": make(
            title_fa="توسعه ذوب",
            title_en="Smelter expansion",
            county="WA-MHB",
            sector="MFG.MET",
            commodity="copper-cathode",
        ),
        "carpet": make(
            title_fa="كارگاه قاليبافي دستباف",  # stored as typed on an Arabic keyboard
            title_en="Hand-woven carpet workshop",
            county="WA-SLM",
            sector="MFG.TEX",
        ),
        "water": make(
            title_fa="کارخانه آب معدنی",
            title_en="Mineral water bottling plant",
            county="WA-SRD",
            sector="MFG.FOD",
        ),
        "institute": make(
            title_fa="مؤسسه آموزش عالی گردشگری",
            title_en="Tourism higher-education institute",
            county="WA-URM",
            sector="EDU.HIG",
        ),
        "solar": make(
            title_fa="نیروگاه خورشیدی",
            title_en="Solar power plant",
            county="WA-NQD",
            sector="ENE.SOL",
            capex_amount=Decimal("50000000000000"),
            capex_currency=Currency.objects.get(code="IRR"),
        ),
        "draft": make(title_fa="پیش‌نویس مس محرمانه", title_en="Secret copper draft", published=False),
    }
    return rows


def refs(response) -> set[str]:
    return {row["reference"] for row in response.json()["results"]}


@pytest.fixture
def facet_catalogue():
    """Thirty listings over provinces, sectors, types, stages, statuses, incentives, models, documents and events."""
    event = Event.objects.get(slug="inova-2025")
    ea = Province.objects.get(code="EA")
    sectors = ["MIN.MET", "MIN.CNS", "AGR.HRT", "MFG.MCH", "TOU.HTL"]
    counties = ["WA-URM", "WA-TKB", "WA-MAK", "EA-TBZ", "EA-MRG"]
    types = [OpportunityType.GREENFIELD, OpportunityType.EXPANSION, OpportunityType.PPP]
    stages = [Stage.FEASIBILITY, Stage.READY, Stage.IDENTIFICATION, Stage.OPERATION]
    rows = []
    for index in range(30):
        county = counties[index % 5]
        rows.append(
            make(
                title_fa=f"طرح {'معدن' if index % 3 == 0 else 'صنعت'} شماره {index}",
                title_en=f"{'Mining' if index % 3 == 0 else 'Industry'} project {index}",
                county=county,
                sector=sectors[index % 5 if index % 7 else 0],
                type=types[index % 3],
                stage=stages[index % 4],
                capex_amount=Decimal(1_000_000 * (index + 1)),
                jobs=10 * (index + 1),
                event=event if index % 4 == 0 else None,
                in_free_zone=index % 6 == 0,
                in_less_developed_area=index % 5 == 1,
                tax_holiday_years=5 if index % 3 == 1 else None,
            )
        )
    ids = [row.pk for row in rows]
    Opportunity.objects.filter(pk__in=ids[::8]).update(status=Status.IN_NEGOTIATION)
    Opportunity.objects.filter(pk__in=ids[5::9]).update(status=Status.CONTRACTED)
    Opportunity.objects.filter(pk__in=ids[::2]).update(has_financial_model=True, fin_irr=Decimal("0.18"))
    Opportunity.objects.filter(pk__in=ids[1::4]).update(fin_irr=Decimal("0.07"), fin_payback_years=Decimal("9"))
    for row in rows[::3]:
        Document.objects.create(
            opportunity=row,
            title="brochure",
            file=f"documents/{row.reference}/b.pdf",
            content_type="application/pdf",
            size_bytes=100,
        )
    assert Opportunity.objects.filter(province=ea).exists()
    return rows
