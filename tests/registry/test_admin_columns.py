"""The admin in the Jalali calendar: date columns read «۱۶ آذر ۱۴۰۵، ۱۰:۰۰» in Persian and sort by the field, and a
list filters by this or last Jalali month and year instead of Django's Gregorian date hierarchy."""

import datetime
import re

import jdatetime
import pytest

from opportunities.models import Opportunity
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

TEHRAN = datetime.timezone(datetime.timedelta(hours=3, minutes=30))


def created(opportunity, moment: datetime.datetime) -> Opportunity:
    Opportunity.objects.filter(pk=opportunity.pk).update(created_at=moment, updated_at=moment)
    return opportunity


def references(html: str) -> list[str]:
    return re.findall(r'<th class="field-reference"><a [^>]*>([^<]+)</a>', html)


@pytest.fixture
def dated(settings):
    """One listing made on 1 Azar 1405 (22 Nov 2026) and one on 29 Esfand 1404 (20 Mar 2026, the last day of 1404)."""
    settings.TIME_ZONE = "Asia/Tehran"
    azar = created(OpportunityFactory(), datetime.datetime(2026, 11, 22, 10, 0, tzinfo=TEHRAN))
    esfand = created(OpportunityFactory(), datetime.datetime(2026, 3, 20, 23, 30, tzinfo=TEHRAN))
    return azar, esfand


def test_a_date_column_reads_in_the_jalali_calendar(admin_client, dated):
    html = admin_client.get("/admin/opportunities/opportunity/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "۱ آذر ۱۴۰۵، ۱۰:۰۰" in html and "۲۹ اسفند ۱۴۰۴، ۲۳:۳۰" in html
    assert "نوامبر" not in html and "دسامبر" not in html  # no Gregorian month names in the list
    assert re.search(r'<th scope="col" class="sortable[^"]* column-updated_at', html)  # sortable, named by the field


def test_in_english_the_column_stays_gregorian(admin_client, dated):
    html = admin_client.get("/en/admin/opportunities/opportunity/").content.decode()
    assert "22 Nov 2026, 10:00" in html


def test_the_date_column_sorts_by_the_field(admin_client, dated):
    azar, esfand = dated
    url = "/admin/opportunities/opportunity/"
    index = 1 + ["reference", "title_fa", "province", "sector", "type", "stage", "status", "completeness_pct",
                 "capex_usd", "updated_at"].index("updated_at")  # fmt: skip
    oldest_first = references(admin_client.get(f"{url}?o={index}").content.decode())
    newest_first = references(admin_client.get(f"{url}?o=-{index}").content.decode())
    assert oldest_first == [esfand.reference, azar.reference] and newest_first == oldest_first[::-1]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("month", ["azar"]),
        ("last-month", []),
        ("year", ["azar"]),
        ("last-year", ["esfand"]),
        (None, ["azar", "esfand"]),
    ],
)
def test_the_period_filter_counts_jalali_months_and_years(admin_client, dated, monkeypatch, period, expected):
    import registry.admin_columns as admin_columns

    monkeypatch.setattr(admin_columns, "_jalali_now", lambda: jdatetime.date(1405, 9, 16))  # 7 Dec 2026
    azar, esfand = dated
    query = f"?created_at__jalali={period}" if period else ""
    html = admin_client.get(f"/admin/opportunities/opportunity/{query}", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    names = {azar.reference: "azar", esfand.reference: "esfand"}
    assert sorted(names[ref] for ref in references(html)) == expected
    assert "آذر ۱۴۰۵" in html and "آبان ۱۴۰۵" in html and "سال ۱۴۰۵" in html and "سال ۱۴۰۴" in html


def test_the_period_of_a_date_field_is_inclusive_of_its_first_day(admin_client, monkeypatch):
    """Exchange rates are dated (a DateField): the first of Azar 1405 is in the month, the last of Aban is not."""
    import registry.admin_columns as admin_columns
    from registry.models import Currency, ExchangeRate

    monkeypatch.setattr(admin_columns, "_jalali_now", lambda: jdatetime.date(1405, 9, 16))
    euro = Currency.objects.get(code="EUR")
    for day in (datetime.date(2026, 11, 21), datetime.date(2026, 11, 22)):  # 30 Aban, 1 Azar 1405
        ExchangeRate.objects.create(currency=euro, valid_from=day, units_per_usd="0.9", source="test")
    html = admin_client.get("/admin/registry/exchangerate/?currency__code__exact=EUR&valid_from__jalali=month").content
    assert html.decode().count('class="field-valid_from"') == 1


def test_number_columns_are_grouped_in_the_readers_digits(admin_client, dated):
    persian = admin_client.get("/admin/opportunities/opportunity/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    english = admin_client.get("/en/admin/opportunities/opportunity/").content.decode()
    capex = re.findall(r'<td class="field-capex_usd">([^<]*)</td>', persian)
    assert capex and all(re.fullmatch(r"[۰-۹٬٫]+", text) for text in capex), capex
    assert re.findall(r'<td class="field-capex_usd">([^<]*)</td>', english)[0].count(",") >= 1
    assert re.search(r'<td class="field-completeness_pct">[۰-۹]+٪</td>', persian)
