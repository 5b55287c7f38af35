"""The demo catalogue: INOVA's 840 opportunities (169 in mining), identical on every run, with references that the
services continue from rather than collide with."""

import re
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.choices import Role
from accounts.models import User
from opportunities import services
from opportunities.choices import OpportunityType, Status
from opportunities.demo import build_opportunities
from opportunities.models import Opportunity, ReferenceCounter
from registry.models import Commodity, County, Currency, Event, Province, Sector

REFERENCE = re.compile(r"^WA-[A-Z]{3}-2025-\d{4}$")
# Persian letters, deliberately without the Arabic yeh (ي U+064A) and kaf (ك U+0643).
PERSIAN_LETTER = re.compile("[\u0621-\u063a\u0641\u0642\u0644-\u0648\u067e\u0686\u0698\u06a9\u06af\u06cc]")
ARABIC_YEH_KAF = re.compile("[\u064a\u0643]")
MINING = {"sector__code": "MIN"}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def catalogue() -> list[tuple[str, str, str]]:
    return list(Opportunity.objects.order_by("reference").values_list("reference", "title_fa", "title_en"))


def in_mining():
    return Opportunity.objects.filter(sector__parent__code="MIN") | Opportunity.objects.filter(**MINING)


@pytest.fixture
def seeded() -> str:
    call_command("load_reference", verbosity=0)
    return seed()


@pytest.mark.django_db
def test_seed_creates_840_opportunities_169_in_mining(seeded):
    assert Opportunity.objects.count() == 840
    assert Opportunity.objects.filter(is_demo=True).count() == 840
    assert in_mining().count() == 169
    assert "840 demo opportunities (169 in mining) in" in seeded


@pytest.mark.django_db
def test_every_opportunity_is_in_west_azerbaijan_and_one_of_its_counties(seeded):
    wa = Province.objects.get(code="WA")
    assert not Opportunity.objects.exclude(province=wa).exists()
    assert not Opportunity.objects.filter(county=None).exists()
    assert not Opportunity.objects.exclude(county__province=wa).exists()
    assert (
        Opportunity.objects.filter(county__code="WA-URM").count()
        > Opportunity.objects.filter(county__code="WA-KHY").count()
    )


@pytest.mark.django_db
def test_references_are_unique_and_well_formed(seeded):
    references = list(Opportunity.objects.values_list("reference", flat=True))
    assert len(set(references)) == 840
    assert all(REFERENCE.match(reference) for reference in references), references[:5]
    assert all(reference.startswith("WA-MIN-2025-") for reference in in_mining().values_list("reference", flat=True))


@pytest.mark.django_db
def test_reset_recreates_exactly_the_same_catalogue(seeded):
    first = catalogue()
    seed("--reset")
    second = catalogue()
    seed("--reset")
    assert first == second == catalogue()
    assert Opportunity.objects.count() == 840


@pytest.mark.django_db
def test_a_second_run_without_reset_adds_nothing(seeded):
    ids = set(Opportunity.objects.values_list("id", flat=True))
    output = seed()
    assert set(Opportunity.objects.values_list("id", flat=True)) == ids
    assert "nothing created" in output
    assert User.objects.filter(is_demo=True).count() == len(Role)


@pytest.mark.django_db
def test_titles_are_persian_without_arabic_yeh_or_kaf(seeded):
    for reference, title_fa, title_en in catalogue():
        assert PERSIAN_LETTER.search(title_fa), reference
        assert not ARABIC_YEH_KAF.search(title_fa), reference
        assert title_en and title_en.isascii(), reference


@pytest.mark.django_db
def test_there_is_a_demo_user_for_every_role(seeded):
    for role in Role:
        user = User.objects.get(role=role, is_demo=True)
        assert user.email.endswith("@demo.invest.ir")
    assert User.objects.get(email="admin@demo.invest.ir").is_superuser
    staff = User.objects.get(email="staff.wa@demo.invest.ir")
    assert staff.is_staff
    assert list(staff.provinces.values_list("code", flat=True)) == ["WA"]
    assert User.objects.get(email="reviewer@demo.invest.ir").is_staff
    assert User.objects.get(email="investor@demo.invest.ir").check_password("demo-pass-1404")
    assert "demo-pass-1404" in seeded


@pytest.mark.django_db
def test_reference_counters_continue_after_the_demo(seeded):
    last_numbers = defaultdict(int)
    for reference in Opportunity.objects.values_list("reference", flat=True):
        prefix, _, number = reference.rpartition("-")
        last_numbers[prefix] = max(last_numbers[prefix], int(number))
    counters = dict(ReferenceCounter.objects.filter(prefix__startswith="WA-").values_list("prefix", "last"))
    assert all(counters[prefix] == last for prefix, last in last_numbers.items())

    created = services.opportunity_create(
        actor=None,
        data={
            "title_fa": "فرصت تازه پس از داده نمونه",
            "province": Province.objects.get(code="WA"),
            "sector": Sector.objects.get(code="MIN.MET"),
            "type": OpportunityType.GREENFIELD,
            "event": Event.objects.get(slug="inova-2025"),
        },
    )
    assert created.reference == f"WA-MIN-2025-{last_numbers['WA-MIN-2025'] + 1:04d}"
    assert Opportunity.objects.filter(reference=created.reference).count() == 1


@pytest.mark.django_db
def test_rows_carry_consistent_facts(seeded):
    moved = Opportunity.objects.exclude(status=Status.PUBLISHED)  # the few the demo inquiries took further
    assert set(moved.values_list("status", flat=True)) <= {Status.IN_NEGOTIATION, Status.CONTRACTED}
    assert moved.count() < 840 // 20
    assert not Opportunity.objects.filter(published_at=None).exists()
    assert not Opportunity.objects.filter(search_key="").exists()
    assert not Opportunity.objects.filter(capex_usd=None).exists()
    assert not Opportunity.objects.exclude(event__slug="inova-2025").exists()
    assert not in_mining().filter(reserves_tonnes=None).exists()
    assert not in_mining().filter(licence_status="").exists()
    assert not Opportunity.objects.exclude(id__in=in_mining()).exclude(reserves_tonnes=None).exists()
    completions = Opportunity.objects.filter(type=OpportunityType.COMPLETION)
    assert completions.exists()
    assert all(60 <= pct <= 95 for pct in completions.values_list("physical_progress_pct", flat=True))
    assert not Opportunity.objects.exclude(type=OpportunityType.COMPLETION).exclude(physical_progress_pct=None).exists()
    assert Opportunity.objects.filter(owner_organisation__kind="province_office").count() == 840


@pytest.mark.django_db
def test_missing_reference_data_says_to_load_it():
    Event.objects.filter(slug="inova-2025").delete()
    with pytest.raises(CommandError, match="load_reference"):
        seed()


@pytest.mark.django_db
def test_generator_spreads_rows_over_every_province_without_queries(django_assert_num_queries):
    provinces = list(Province.objects.all())
    counties = defaultdict(list)
    for county in County.objects.all():
        counties[county.province_id].append(county)
    arguments = {
        "count": 620,
        "mining_count": 100,
        "province": None,
        "provinces": provinces,
        "counties_by_province": counties,
        "sectors": list(Sector.objects.all()),
        "commodities": list(Commodity.objects.all()),
        "currencies": list(Currency.objects.all()),
        "event": None,
        "units_per_usd": {"IRR": 1_100_000, "EUR": "0.87"},
    }
    with django_assert_num_queries(0):
        rows = build_opportunities(**arguments)
        again = build_opportunities(**arguments)
    assert [(row.reference, row.title_fa) for row in rows] == [(row.reference, row.title_fa) for row in again]
    assert sum(row.sector.root.code == "MIN" for row in rows) == 100
    assert {row.province.code for row in rows} == {province.code for province in provinces}
    assert all(row.reference.startswith(f"{row.province.code}-") for row in rows)
    assert all(row.county is None or row.county.province_id == row.province.pk for row in rows)
    assert len({row.reference for row in rows}) == 620


@pytest.mark.django_db
def test_demo_opportunities_have_completeness_and_financial_models(seeded):
    demo = Opportunity.objects.filter(is_demo=True)
    assert not demo.filter(completeness=0).exists()
    assert demo.filter(has_financial_model=True).count() == 840
