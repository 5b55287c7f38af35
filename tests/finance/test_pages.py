"""The financial section of the detail page and the comparison page, in Persian (RTL, Persian digits) and English."""

import json
import re

import pytest

from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def section(html: str) -> str:
    start = html.index('id="finance-section"')
    return html[start : html.index("</section>", start)]


def chart_data(html: str) -> dict:
    match = re.search(r'<script id="finance-chart-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_detail_page_in_persian(client, modelled):
    html = client.get(f"/opportunities/{modelled['mine'].reference}/").content.decode()
    part = section(html)
    assert "vendor/chartjs/chart.umd.min.js" in html and "finance/finance.js" in html
    assert 'id="finance-cashflow-chart"' in part and 'id="finance-tornado-chart"' in part
    assert "۱۰٫۰٪" in part  # the model's own discount rate, in Persian digits
    assert "میلیون دلار آمریکا" in part  # NPV with a Persian scale word and currency name
    assert "۲۰۲۶" in part  # the years of the table
    assert not re.search(r">\s*-?[0-9][0-9,.]*\s*<", part)  # no ASCII digits shown as numbers
    data = chart_data(html)
    assert data["rtl"] is True and data["locale"] == "fa-IR" and len(data["fcf"]) == 12
    assert len(data["tornado"]["labels"]) == 5


def test_detail_page_in_english(client, modelled):
    html = client.get(f"/en/opportunities/{modelled['mine'].reference}/").content.decode()
    part = section(html)
    assert "Financial appraisal" in part and "10.0%" in part and "million USD" in part
    assert "Minimum DSCR" in part  # the mine has a loan
    data = chart_data(html)
    assert data["rtl"] is False and data["years"][0] == "2026"


def test_without_debt_there_is_no_dscr_and_missing_figures_say_why(client, modelled):
    part = section(client.get(f"/en/opportunities/{modelled['plant'].reference}/").content.decode())
    assert "Minimum DSCR" not in part
    assert "Not calculable" in part and "No production volumes were given." in part  # break-even of a rial plant


def test_no_model_no_section(client):
    opportunity = OpportunityFactory()
    html = client.get(f"/opportunities/{opportunity.reference}/").content.decode()
    assert 'id="finance-section"' not in html and "chart.umd.min.js" not in html


def test_your_discount_rate_in_persian_digits_and_your_currency(client, modelled):
    url = f"/opportunities/{modelled['mine'].reference}/financials/"
    response = client.get(url, {"fin-discount_rate_pct": "۱۲٫۵", "fin-currency": "IRR"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<section") and "<html" not in html  # the section alone, for htmx
    assert "۱۲٫۵٪" in html and "ریال" in html


def test_the_no_script_form_goes_to_the_detail_page(client, modelled):
    reference = modelled["mine"].reference
    part = section(client.get(f"/en/opportunities/{reference}/", {"fin-discount_rate_pct": "8"}).content.decode())
    assert "At a discount rate of 8.0%" in part


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"fin-currency": "GBP"}, "No exchange rate is recorded for GBP"),
        ({"fin-discount_rate_pct": "-100"}, "greater than -100%"),
        ({"fin-discount_rate_pct": "lots"}, "Enter a number"),
    ],
)
def test_bad_rate_or_currency_is_a_form_error(client, modelled, pound, query, message):
    response = client.get(f"/en/opportunities/{modelled['mine'].reference}/financials/", query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "is-invalid" in html
    assert "At a discount rate of 10.0%" in html  # the model's own figures stay on screen


def test_section_of_a_draft_is_404_to_the_public(client, modelled, people):
    url = f"/opportunities/{modelled['draft'].reference}/financials/"
    assert client.get(url).status_code == 404
    client.force_login(people["staff_wa"])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_compare_page(client, modelled, prefix):
    refs = f"{modelled['mine'].reference},{modelled['plant'].reference}"
    response = client.get(f"{prefix}/compare/", {"refs": refs, "currency": "USD"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="compare-table"' in html and 'id="compare-chart"' in html
    assert modelled["mine"].title in html or modelled["mine"].title_fa in html
    data = json.loads(re.search(r'id="compare-chart-data" type="application/json">(.*?)</script>', html, re.S)[1])
    assert len(data["series"]) == 2 and data["rtl"] is (prefix == "")
    if prefix == "":
        assert "۱۰٫۰٪" in html


@pytest.mark.parametrize(
    ("prefix", "expected", "foreign"),
    [("", "حداکثر ۴ کد شناسه", "Up to 4 references"), ("/en", "Up to 4 references", "حداکثر")],
)
def test_compare_form_help_is_in_the_readers_language(client, prefix, expected, foreign):
    # given a reader of either language (the Persian one first, as the site starts)
    # when each opens the empty compare form
    html = client.get(f"{prefix}/compare/").content.decode()
    # then the help under the references box is in that reader's language and digits
    help_text = re.search(r'id="refs-help">(.*?)</div>', html)[1]
    assert expected in help_text and foreign not in help_text


def test_compare_page_says_clearly_when_more_than_four(client, modelled):
    refs = ",".join(f"WA-MIN-2026-{n:04d}" for n in range(1, 6))
    response = client.get("/en/compare/", {"refs": refs})
    assert response.status_code == 400
    assert "At most 4 opportunities can be compared; 5 were given." in response.content.decode()


def test_compare_page_reports_a_draft_as_not_found(client, modelled):
    refs = f"{modelled['mine'].reference},{modelled['draft'].reference}"
    html = client.get("/en/compare/", {"refs": refs}).content.decode()
    assert 'data-testid="not-found"' in html and modelled["draft"].reference in html
    assert modelled["draft"].title_en not in html


def test_compare_page_without_refs_shows_the_form(client):
    response = client.get("/compare/")
    assert response.status_code == 200 and 'name="refs"' in response.content.decode()


def test_a_nominal_model_in_dollars_says_it_is_at_constant_prices(client, modelled):
    # given the rial plant entered at nominal prices carrying 20% inflation
    from opportunities.finance.models import FinancialModel, FinancialResult

    FinancialModel.objects.filter(opportunity=modelled["plant"]).update(inflation_rate="0.2")
    url = f"/en/opportunities/{modelled['plant'].reference}/financials/"
    # then in dollars the section says so, and in rials (as entered) it does not
    dollars = client.get(url, {"fin-currency": "USD"}, HTTP_HX_REQUEST="true").content.decode()
    assert "at constant prices (the model's 20.0% a year of inflation taken out)" in dollars
    as_entered = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "at constant prices (the model" not in as_entered
    # as entered, the section says the rates are nominal and gives the real IRR the listing shows
    nominal_irr = float(FinancialResult.objects.get(model__opportunity=modelled["plant"]).project_irr)
    assert 'data-testid="finance-nominal"' in as_entered and "carry 20.0% inflation a year" in as_entered
    assert f"the project IRR is {((1 + nominal_irr) / 1.2 - 1) * 100:.1f}%" in as_entered
    html = client.get(f"/en/compare/?refs={modelled['plant'].reference}").content.decode()
    assert "in US dollar at constant prices: each model's own inflation is taken out" in html


@pytest.mark.parametrize(
    ("language", "value", "places", "expected"),
    [
        ("fa", 1234567.891, 1, "۱٬۲۳۴٬۵۶۷٫۹"),
        ("fa", -2638162.4, 0, "-۲٬۶۳۸٬۱۶۲"),
        ("en", 1234567.891, 1, "1,234,567.9"),
        ("en", 999.96, 1, "1,000.0"),
        ("en", -0.04, 1, "0.0"),  # no "-0.0" for a figure that rounds to nothing
        ("en", -0.4, 0, "0"),
    ],
)
def test_table_figures_are_grouped_in_thousands(language, value, places, expected):
    from django.utils import translation

    from opportunities.finance.presenters import decimal_text

    with translation.override(language):
        assert decimal_text(value, places) == expected


def test_the_cash_flow_table_groups_its_figures(client, modelled):
    html = client.get(f"/en/opportunities/{modelled['plant'].reference}/").content.decode()
    start = html.index('data-testid="finance-cashflow-table"')
    table = html[start : html.index("</table>", start)]
    cells = re.findall(r'<td class="num[^"]*" dir="ltr">([^<]+)</td>', table)
    assert any("," in cell for cell in cells)  # the rial plant has figures of thousands of billions
    assert not [cell for cell in cells if re.search(r"\d{4}", cell)], cells  # 1234 would read 1,234
