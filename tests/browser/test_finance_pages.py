"""The financial section and the comparison page in Chromium, in Persian and English: charts drawn, the investor's
own discount rate applied in place by htmx, screenshots in var/screenshots/."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from opportunities.choices import PUBLIC_STATUSES
from opportunities.models import Opportunity

DESKTOP = {"width": 1366, "height": 900}

# True when the canvas has a chart and a good share of its pixels are painted (not a blank box).
DRAWN = """(id) => {
  const canvas = document.getElementById(id);
  if (!canvas || !window.Chart || !Chart.getChart(canvas)) return false;
  const { width, height } = canvas;
  const pixels = canvas.getContext("2d").getImageData(0, 0, width, height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
  return painted > width * height * 0.02;
}"""


@pytest.fixture
def demo(reference_data):
    call_command("seed_demo", count=40, mining=12, verbosity=0)
    public = Opportunity.objects.filter(is_demo=True, status__in=PUBLIC_STATUSES, has_financial_model=True)
    mines = list(public.filter(sector__parent__code="MIN").order_by("reference")[:3])
    others = list(public.exclude(sector__parent__code="MIN").order_by("reference")[:1])
    return mines + others


def expect_drawn(page, canvas_id: str) -> None:
    page.wait_for_function(DRAWN, arg=canvas_id, timeout=10_000)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_detail_page_charts_and_your_discount_rate(page, live_server, demo, screenshot, language):
    prefix = "" if language == "fa" else "/en"
    mine = demo[0]
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}{prefix}/opportunities/{mine.reference}/")

    section = page.get_by_test_id("finance-section")
    expect(section).to_be_visible()
    expect_drawn(page, "finance-cashflow-chart")
    expect_drawn(page, "finance-tornado-chart")
    assert page.evaluate("Chart.getChart('finance-cashflow-chart').options.scales.x.reverse") is (language == "fa")
    figures = page.get_by_test_id("finance-figures")
    expect(figures.locator("[data-figure=npv]")).to_contain_text("دلار" if language == "fa" else "USD")
    section.scroll_into_view_if_needed()
    screenshot(f"finance-detail-{language}")

    rate = page.locator("#id_fin-discount_rate_pct")
    rate.fill("۱۵" if language == "fa" else "15")
    page.get_by_test_id("finance-section").locator("button[type=submit]").click()
    expect(page.get_by_test_id("finance-basis")).to_contain_text("۱۵٫۰٪" if language == "fa" else "15.0%")
    expect(page).to_have_url(f"{live_server.url}{prefix}/opportunities/{mine.reference}/")  # no full reload
    expect_drawn(page, "finance-cashflow-chart")
    expect_drawn(page, "finance-tornado-chart")

    page.select_option("#id_fin-currency", "IRR")
    expect(page.get_by_test_id("finance-basis")).to_contain_text("ریال" if language == "fa" else "Iranian rial")
    expect_drawn(page, "finance-tornado-chart")
    page.get_by_test_id("finance-section").scroll_into_view_if_needed()
    screenshot(f"finance-detail-{language}-rate-15-rial")

    page.locator("#id_fin-discount_rate_pct").fill("-100")  # a 400 with the form error, swapped in place
    page.get_by_test_id("finance-section").locator("button[type=submit]").click()
    expect(page.locator("#id_fin-discount_rate_pct")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#fin-rate-errors")).to_be_visible()
    expect_drawn(page, "finance-cashflow-chart")


@pytest.mark.parametrize("language", ["fa", "en"])
def test_compare_page(page, live_server, demo, screenshot, language):
    prefix = "" if language == "fa" else "/en"
    refs = ",".join(opportunity.reference for opportunity in demo)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}{prefix}/compare/?refs={refs}")

    table = page.get_by_test_id("compare-table")
    expect(table).to_be_visible()
    expect(table.locator("thead th.compare-col")).to_have_count(len(demo))
    expect_drawn(page, "compare-chart")
    screenshot(f"compare-{language}")

    page.locator("#id_refs").fill(f"{refs},WA-MIN-2025-9999")
    page.locator("#id_refs").press("Enter")
    expect(page.get_by_test_id("refs-errors")).to_be_visible()
    screenshot(f"compare-{language}-too-many")


def test_staff_edit_a_model_in_the_spreadsheet_template(page, live_server, demo, screenshot, tmp_path):
    """Staff follow the link on the detail page, download the template, change a price and upload it back."""
    from openpyxl import load_workbook

    from accounts.choices import Role
    from opportunities.finance.models import FinancialModel
    from registry.models import Province
    from tests.factories import UserFactory

    staff = UserFactory(email="staff.sheet@example.com", role=Role.PROVINCE_STAFF, is_staff=True)
    staff.provinces.set(Province.objects.filter(code="WA"))
    mine = demo[0]
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/accounts/login/?next=/opportunities/{mine.reference}/")
    page.fill("#id_username", staff.email)
    page.fill("#id_password", "a-strong-password-1404")
    page.locator("main form button[type='submit']").click()
    page.get_by_test_id("staff-model-sheet").get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("مدل مالی از صفحه‌گسترده")

    with page.expect_download() as download:
        page.locator("a[download]").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    workbook = load_workbook(template)
    years = workbook["Years"]
    price = next(cell.column for cell in years[1] if cell.value == "unit_price")
    row = next(cells[0].row for cells in years.iter_rows(min_row=4) if cells[price - 1].value)
    years.cell(row, price, "۳۰۰۰")  # typed in Persian digits
    workbook.save(template)

    page.set_input_files("#id_file", template)
    screenshot("finance-model-sheet-fa")
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    line = FinancialModel.objects.get(opportunity=mine).years.get(year_index=row - 4)
    assert line.unit_price == 3000
