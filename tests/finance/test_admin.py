"""The staff admin: a change saved there is validated by the engine, goes through the service and is appraised once."""

from decimal import Decimal as D

import pytest

from opportunities.finance.models import FinancialModel, FinancialResult, YearLine
from opportunities.finance.tasks import finance_appraise_model_task
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

ADMIN = "/en/admin/finance/financialmodel/"
MODEL_FIELDS = [
    "currency_id",
    "base_year",
    "horizon_years",
    "discount_rate",
    "tax_rate",
    "useful_life_years",
    "amortisation_years",
    "inflation_rate",
    "capacity_volume",
    "volume_unit",
]
LINE_FIELDS = [
    "year_index",
    "fixed_investment",
    "pre_production",
    "working_capital",
    "production_volume",
    "unit_price",
    "revenue",
    "variable_cost_per_unit",
    "fixed_operating_cost",
    "operating_cost",
    "equity",
]
LOAN_FIELDS = ["amount", "annual_rate", "tenor_years", "grace_years", "drawdown_year"]


def text(value) -> str:
    return "" if value is None else str(value)


def form_data(model: FinancialModel, **changes) -> dict:
    """The change form as the browser posts it, with the inline years and loans as stored."""
    data = {name.removesuffix("_id"): text(getattr(model, name)) for name in MODEL_FIELDS}
    data.update(recover_working_capital="on", scenarios='[{"name": "base", "changes": {}}]', reinvestment_rate="")
    years, loans = list(model.years.order_by("year_index")), list(model.loans.all())
    for prefix, rows, fields in (("years", years, LINE_FIELDS), ("loans", loans, LOAN_FIELDS)):
        data.update({f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(len(rows))})
        data.update({f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = str(row.pk)
            data[f"{prefix}-{i}-model"] = str(model.pk)
            data.update({f"{prefix}-{i}-{name}": text(getattr(row, name)) for name in fields})
    data.update(changes)
    return data


def errors(response) -> list:
    """The form and inline errors of an admin page that did not save, for the failure message."""
    context = response.context
    return [context["adminform"].form.errors, *(inline.formset.errors for inline in context["inline_admin_formsets"])]


@pytest.fixture
def staff_client(client, people):
    client.force_login(people["staff_wa"])
    return client


def test_a_change_in_the_admin_is_appraised_once_per_change(modelled, staff_client, django_capture_on_commit_callbacks):
    model = modelled["mine"].financial_model
    first = FinancialResult.objects.get(model=model)
    data = form_data(model, discount_rate="۰٫۰۸", **{"years-5-unit_price": "۲۶۰۰"})  # Persian digits

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(f"{ADMIN}{model.pk}/change/", data)

    assert response.status_code == 302, errors(response)
    assert len(callbacks) == 1  # the appraisal task, dispatched by the service after commit
    model.refresh_from_db()
    assert model.discount_rate == D("0.08") and model.years.get(year_index=5).unit_price == D("2600")
    latest = FinancialResult.objects.filter(model=model).latest("pk")
    assert latest != first and latest.inputs_hash == model.inputs_hash and not model.needs_appraisal
    modelled["mine"].refresh_from_db()
    assert modelled["mine"].fin_npv_usd == latest.npv.quantize(D("0.01")) != first.npv.quantize(D("0.01"))

    assert finance_appraise_model_task(model_id=model.pk) is False  # the task again: nothing more
    assert FinancialResult.objects.filter(model=model).count() == 2


def test_a_year_outside_the_horizon_is_a_row_error_and_nothing_changes(modelled, staff_client):
    model = modelled["mine"].financial_model
    before = list(YearLine.objects.filter(model=model).values())
    data = form_data(model, **{"years-3-year_index": "۱۵"})

    response = staff_client.post(f"{ADMIN}{model.pk}/change/", data)

    assert response.status_code == 200
    assert "outside the horizon" in response.content.decode()
    assert list(YearLine.objects.filter(model=model).values()) == before


def test_a_negative_horizon_is_a_field_error(modelled, staff_client):
    model = modelled["mine"].financial_model
    response = staff_client.post(f"{ADMIN}{model.pk}/change/", form_data(model, horizon_years="-3"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["horizon_years"]
    model.refresh_from_db()
    assert model.horizon_years == 12


def test_add_in_the_admin_goes_through_the_service(people, staff_client, django_capture_on_commit_callbacks):
    opportunity = OpportunityFactory()
    data = {
        "opportunity": str(opportunity.pk),
        "currency": "IRR",
        "base_year": "۱۴۰۵",
        "horizon_years": "10",
        "discount_rate": "0.28",
        "tax_rate": "0.25",
        "useful_life_years": "10",
        "amortisation_years": "5",
        "reinvestment_rate": "",
        "inflation_rate": "۰٫۲",
        "capacity_volume": "",
        "volume_unit": "",
        "recover_working_capital": "on",
        "scenarios": "[]",
        "years-TOTAL_FORMS": "2",
        "years-INITIAL_FORMS": "0",
        "years-0-year_index": "0",
        "years-0-fixed_investment": "۸۰۰ میلیارد",
        "years-1-year_index": "1",
        "years-1-revenue": "600000000000",
        "years-1-operating_cost": "330000000000",
        "loans-TOTAL_FORMS": "0",
        "loans-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{ADMIN}add/", data)
    assert response.status_code == 302, errors(response)
    model = FinancialModel.objects.get(opportunity=opportunity)
    assert model.base_year == 1405 and model.years.get(year_index=0).fixed_investment == D("800000000000")
    assert model.inflation_rate == D("0.2")  # typed in Persian digits with the Persian decimal separator
    assert model.updated_by == people["staff_wa"]
    assert FinancialResult.objects.filter(model=model).count() == 1


def test_staff_of_another_province_do_not_see_the_model(modelled, client, people):
    model = modelled["mine"].financial_model
    client.force_login(people["staff_ea"])
    assert client.get(f"{ADMIN}{model.pk}/change/").status_code == 404
    listing = client.get(ADMIN)
    assert listing.status_code == 200 and modelled["mine"].reference not in listing.content.decode()


def test_change_page_shows_the_latest_result(modelled, staff_client):
    model = modelled["mine"].financial_model
    html = staff_client.get(f"{ADMIN}{model.pk}/change/").content.decode()
    assert "project_irr" in html and "current" in html
    assert 'inputmode="decimal"' in html
