"""Staff enter a financial model from the spreadsheet template: the stored model round-trips unchanged, Persian
digits and scale words are read, every problem names its sheet, row and column, and nothing is stored on any error
or for anyone who may not change the opportunity."""

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from opportunities.finance.models import FinancialModel, FinancialResult, Loan, YearLine
from opportunities.finance.spreadsheet import FIRST_DATA_ROW
from tests.factories import OpportunityFactory
from tests.finance.factories import stored

pytestmark = pytest.mark.django_db


def page(opportunity) -> str:
    return f"/staff/opportunities/{opportunity.reference}/financial-model/"


def template_url(opportunity) -> str:
    return f"/staff/opportunities/{opportunity.reference}/financial-model.xlsx"


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def upload(client, opportunity, content: bytes, *, prefix: str = ""):
    return client.post(f"{prefix}{page(opportunity)}", {"file": SimpleUploadedFile("model.xlsx", content)})


def edited(content: bytes, changes) -> bytes:
    """The workbook with `changes(workbook)` applied, as a person editing it in a spreadsheet program would."""
    workbook = load_workbook(io.BytesIO(content))
    changes(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column(sheet, key: str) -> int:
    return next(cell.column for cell in sheet[1] if cell.value == key)


def model_row(sheet, key: str) -> int:
    return next(row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value == key)


def test_the_stored_model_round_trips_unchanged(modelled, people):
    # given the template downloaded for a modelled mine
    client = signed_in(people["staff_wa"])
    mine = modelled["mine"]
    response = client.get(template_url(mine))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    before_hash = FinancialModel.objects.get(opportunity=mine).inputs_hash
    lines_before = list(YearLine.objects.filter(model__opportunity=mine).order_by("year_index").values_list())
    # when it is uploaded again untouched
    response = upload(client, mine, response.content)
    # then it is saved with the same inputs
    assert response.status_code == 302
    model = FinancialModel.objects.get(opportunity=mine)
    assert model.inputs_hash == before_hash
    after = list(YearLine.objects.filter(model=model).order_by("year_index").values_list())
    assert [row[2:] for row in after] == [row[2:] for row in lines_before]  # the same values, in new rows
    assert Loan.objects.filter(model=model).count() == 1


def test_a_blank_template_filled_in_persian_digits_is_stored_and_appraised(people, django_capture_on_commit_callbacks):
    # given an opportunity without a model and its blank template
    opportunity = OpportunityFactory(title_fa="کارخانه آزمایشی", title_en="Trial plant")
    client = signed_in(people["staff_wa"])
    blank = client.get(template_url(opportunity)).content

    def fill(workbook):
        model = workbook["Model"]
        for key, value in {"currency": "irr", "base_year": "۱۴۰۵", "horizon_years": "۶", "discount_rate": "۰٫۲۵",
                           "tax_rate": "0.25", "recover_working_capital": "بله"}.items():  # fmt: skip
            model.cell(model_row(model, key), 4, value)
        years = workbook["Years"]
        years.cell(FIRST_DATA_ROW, column(years, "fixed_investment"), "۵۰ میلیارد")
        for offset in range(1, 6):
            row = FIRST_DATA_ROW + offset
            years.cell(row, column(years, "year_index"), offset)
            years.cell(row, column(years, "revenue"), "۳۰ میلیارد")
            years.cell(row, column(years, "operating_cost"), 12_000_000_000)

    # when it is filled in and uploaded
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, opportunity, edited(blank, fill))
    # then the model is stored as typed and appraised after commit
    assert response.status_code == 302, response.content.decode()[:2000]
    model = FinancialModel.objects.get(opportunity=opportunity)
    assert (model.currency_id, model.base_year, model.horizon_years) == ("IRR", 1405, 6)
    assert model.discount_rate == D("0.25")
    lines = list(model.years.order_by("year_index"))
    assert [line.year_index for line in lines] == [0, 1, 2, 3, 4, 5]
    assert lines[0].fixed_investment == D("50000000000") and lines[1].revenue == D("30000000000")
    opportunity.refresh_from_db()
    assert opportunity.has_financial_model and opportunity.fin_irr is not None
    assert FinancialResult.objects.filter(model=model).count() == 1


def spoil(workbook):
    """Two values that are not numbers: a price and a tax rate."""
    years = workbook["Years"]
    years.cell(FIRST_DATA_ROW + 2, column(years, "unit_price"), "abc")
    model = workbook["Model"]
    model.cell(model_row(model, "tax_rate"), 4, "a quarter")


def test_every_problem_names_its_sheet_row_and_column_and_nothing_is_stored(modelled, people):
    client = signed_in(people["staff_wa"])
    mine = modelled["mine"]
    spoiled = edited(client.get(template_url(mine)).content, spoil)
    before = stored()
    response = upload(client, mine, spoiled, prefix="/en")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="sheet-problems"' in html
    assert f"Years, row {FIRST_DATA_ROW + 2}, unit price" in html
    assert "Model, income tax rate" in html
    assert stored() == before


def test_the_engines_rules_are_located_too(modelled, people):
    # given numbers that break the engine's rules: a year outside the twelve-year horizon, a rate of -150%
    client = signed_in(people["staff_wa"])
    mine = modelled["mine"]

    def outside(workbook):
        workbook["Years"].cell(FIRST_DATA_ROW + 5, column(workbook["Years"], "year_index"), 40)
        workbook["Model"].cell(model_row(workbook["Model"], "discount_rate"), 4, "-1.5")

    before = stored()
    response = upload(client, mine, edited(client.get(template_url(mine)).content, outside), prefix="/en")
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Years, row {FIRST_DATA_ROW + 5}, year" in html and "Model, discount rate" in html
    assert stored() == before


def test_the_problems_are_located_in_persian(modelled, people):
    client = signed_in(people["staff_wa"])
    mine = modelled["mine"]
    response = upload(client, mine, edited(client.get(template_url(mine)).content, spoil))
    assert response.status_code == 400
    assert "Years، ردیف ۶، قیمت واحد" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a workbook at all", "This is not an .xlsx workbook."),
        (None, "The workbook has no sheet named Model, Years"),
    ],
)
def test_a_file_that_is_not_the_template_is_refused(modelled, people, content, message):
    if content is None:
        buffer = io.BytesIO()
        Workbook().save(buffer)
        content = buffer.getvalue()
    client = signed_in(people["staff_wa"])
    before = stored()
    response = upload(client, modelled["mine"], content, prefix="/en")
    assert response.status_code == 400 and message in response.content.decode()
    assert stored() == before


def test_a_column_the_template_does_not_have_is_refused(modelled, people):
    client = signed_in(people["staff_wa"])
    template = client.get(template_url(modelled["mine"])).content
    spoiled = edited(template, lambda workbook: workbook["Years"].cell(1, 30, "royalty"))
    response = upload(client, modelled["mine"], spoiled, prefix="/en")
    assert response.status_code == 400 and "royalty" in response.content.decode()


@pytest.mark.parametrize("role", ["investor", "staff_ea"])
def test_people_who_may_not_change_it_get_a_404_and_change_nothing(modelled, people, role):
    mine = modelled["mine"]
    template = signed_in(people["staff_wa"]).get(template_url(mine)).content
    client = signed_in(people[role])
    before = stored()
    assert client.get(page(mine)).status_code == 404
    assert client.get(template_url(mine)).status_code == 404
    assert upload(client, mine, template).status_code == 404
    assert stored() == before


def test_anonymous_visitors_are_sent_to_sign_in(modelled):
    response = Client().get(page(modelled["mine"]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_page_offers_the_template_and_says_what_is_stored(modelled, people):
    html = signed_in(people["staff_wa"]).get(f"/en{page(modelled['mine'])}").content.decode()
    assert template_url(modelled["mine"]) in html
    assert 'data-testid="model-summary"' in html and "USD" in html


def test_the_detail_page_offers_the_spreadsheet_to_staff_only(modelled, people):
    mine = modelled["mine"]
    link = page(mine)
    assert link in signed_in(people["staff_wa"]).get(f"/opportunities/{mine.reference}/").content.decode()
    for role in ("anonymous", "investor", "staff_ea"):
        assert link not in signed_in(people[role]).get(f"/opportunities/{mine.reference}/").content.decode()


def test_a_file_over_five_megabytes_is_refused_unread(modelled, people):
    client = signed_in(people["staff_wa"])
    before = stored()
    response = upload(client, modelled["mine"], b"x" * (5 * 2**20 + 1), prefix="/en")
    assert response.status_code == 400 and "The file is larger than 5 MB." in response.content.decode()
    assert stored() == before
