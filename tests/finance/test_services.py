"""Saving a model (validated, atomic, nothing stored on error), the appraisal task (idempotent) and the sweeper."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opportunities.finance import ENGINE_VERSION, services
from opportunities.finance.models import FinancialModel, FinancialResult, Loan, YearLine
from opportunities.finance.tasks import finance_appraisals_sweep_task, finance_appraise_model_task
from opportunities.models import Opportunity
from registry.selectors import exchange_rate_latest
from tests.factories import OpportunityFactory
from tests.finance.factories import MINE_LOAN, mine_data, mine_model, mine_years, rial_data, rial_years

pytestmark = pytest.mark.django_db


def snapshot() -> tuple:
    """Everything the finance app stores, to assert that a refused write changed nothing."""
    return (
        list(FinancialModel.objects.order_by("pk").values()),
        list(YearLine.objects.order_by("pk").values()),
        list(Loan.objects.order_by("pk").values()),
        list(FinancialResult.objects.order_by("pk").values_list("pk", flat=True)),
        list(Opportunity.objects.order_by("pk").values("has_financial_model", "fin_npv_usd", "fin_irr")),
    )


def test_save_stores_rows_and_dispatches_one_appraisal_after_commit(django_capture_on_commit_callbacks):
    opportunity = OpportunityFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        model = mine_model(opportunity)
    assert len(callbacks) == 1
    assert model.years.count() == 12 and model.loans.count() == 1
    assert model.needs_appraisal and FinancialResult.objects.count() == 0
    assert Opportunity.objects.get(pk=opportunity.pk).has_financial_model

    callbacks[0]()

    model.refresh_from_db()
    opportunity.refresh_from_db()
    result = FinancialResult.objects.get()
    assert not model.needs_appraisal
    assert (result.inputs_hash, result.engine_version) == (model.inputs_hash, ENGINE_VERSION)
    assert opportunity.fin_npv_usd == result.npv.quantize(D("0.01"))  # already in USD
    assert opportunity.fin_irr == result.project_irr.quantize(D("0.000001"))
    assert opportunity.fin_payback_years == result.payback_years.quantize(D("0.01"))


BAD_INPUTS = [
    ("negative horizon", {"horizon_years": -3}, None, None, "horizon_years"),
    ("horizon over 40", {"horizon_years": 41}, None, None, "horizon_years"),
    ("rate of -100%", {"discount_rate": D("-1")}, None, None, "discount_rate"),
    ("tax above 100%", {"tax_rate": D("1.5")}, None, None, "tax_rate"),
    ("unknown currency", {"currency": "XYZ"}, None, None, "currency"),
    ("not a number", {"discount_rate": "ده درصد"}, None, None, "discount_rate"),
    ("year outside horizon", {}, [*mine_years(), {"year_index": 12, "revenue": D(1)}], None, "years[12].year_index"),
    ("negative investment", {}, [{"year_index": 0, "fixed_investment": D(-5)}], None, "years[0].fixed_investment"),
    ("price without volume", {}, [{"year_index": 3, "unit_price": D(5)}], None, "years[0].unit_price"),
    ("loan past the horizon", {}, None, [{**MINE_LOAN, "drawdown_year": 6}], "loans[0].tenor_years"),
    ("bad scenario", {"scenarios": [{"name": "x", "changes": {"weather": 5}}]}, None, None, "scenarios"),
]


@pytest.mark.parametrize(("case", "data", "years", "loans", "field"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_names_the_field_and_stores_nothing(case, data, years, loans, field):
    opportunity = OpportunityFactory()
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        services.financial_model_save(
            opportunity=opportunity,
            actor=None,
            data=mine_data(**data),
            years=mine_years() if years is None else years,
            loans=[MINE_LOAN] if loans is None else loans,
        )
    assert field in caught.value.message_dict
    assert snapshot() == before


def test_currency_without_rate_is_refused(pound):
    opportunity = OpportunityFactory()
    with pytest.raises(ValidationError) as caught:
        services.financial_model_save(
            opportunity=opportunity, actor=None, data=mine_data(currency="GBP"), years=mine_years(), loans=[]
        )
    assert "GBP" in caught.value.message_dict["currency"][0]
    assert not FinancialModel.objects.exists()


def test_refused_update_keeps_the_stored_model(modelled):
    model = modelled["mine"].financial_model
    before = snapshot()
    with pytest.raises(ValidationError):
        services.financial_model_save(
            opportunity=modelled["mine"], actor=None, data={"horizon_years": 5}, years=mine_years(), loans=[MINE_LOAN]
        )
    assert snapshot() == before
    model.refresh_from_db()
    assert model.horizon_years == 12


def test_numbers_typed_in_persian_digits_are_read():
    opportunity = OpportunityFactory()
    data = mine_data(discount_rate="۰٫۱۲", tax_rate="٠.٢٥", horizon_years="۱۲", base_year="۱۴۰۵")
    years = mine_years()
    years[0] = {"year_index": "۰", "fixed_investment": "۴۰ میلیون", "equity": "۲۲٬۰۰۰٬۰۰۰"}
    model = services.financial_model_save(opportunity=opportunity, actor=None, data=data, years=years, loans=[])
    model.refresh_from_db()
    first = model.years.get(year_index=0)
    assert (model.discount_rate, model.tax_rate, model.horizon_years, model.base_year) == (
        D("0.12"),
        D("0.25"),
        12,
        1405,
    )
    assert (first.fixed_investment, first.equity) == (D("40000000"), D("22000000"))


def test_appraisal_task_twice_writes_one_result_and_copies_the_headline_once(django_capture_on_commit_callbacks):
    opportunity = OpportunityFactory()
    with django_capture_on_commit_callbacks():  # the dispatch is lost: the task is run by hand below
        model = mine_model(opportunity)

    assert finance_appraise_model_task(model_id=model.pk) is True
    copied = Opportunity.objects.values("fin_npv_usd", "fin_irr", "fin_payback_years").get(pk=opportunity.pk)
    with CaptureQueriesContext(connection) as second_run:
        assert finance_appraise_model_task(model_id=model.pk) is False

    assert FinancialResult.objects.filter(model=model).count() == 1
    writes = [q["sql"] for q in second_run.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert writes == []
    assert Opportunity.objects.values("fin_npv_usd", "fin_irr", "fin_payback_years").get(pk=opportunity.pk) == copied
    assert all(copied.values())


def test_a_change_is_appraised_once_more(modelled, django_capture_on_commit_callbacks):
    opportunity = modelled["mine"]
    first = FinancialResult.objects.get(model__opportunity=opportunity)
    with django_capture_on_commit_callbacks(execute=True):
        services.financial_model_save(
            opportunity=opportunity,
            actor=None,
            data={"discount_rate": D("0.08")},
            years=mine_years(),
            loans=[MINE_LOAN],
        )
    finance_appraise_model_task(model_id=opportunity.financial_model.pk)  # a redelivery changes nothing

    results = FinancialResult.objects.filter(model__opportunity=opportunity).order_by("pk")
    assert results.count() == 2 and results[0] == first
    latest = results[1]
    assert latest.discount_rate == D("0.08") and latest.npv > first.npv
    opportunity.refresh_from_db()
    assert opportunity.fin_npv_usd == latest.npv.quantize(D("0.01"))


def test_saving_the_same_inputs_again_dispatches_nothing(modelled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        services.financial_model_save(
            opportunity=modelled["mine"], actor=None, data=mine_data(), years=mine_years(), loans=[MINE_LOAN]
        )
    assert callbacks == []


def test_rial_npv_is_copied_in_us_dollars_through_the_rate(modelled):
    plant = modelled["plant"]
    result = FinancialResult.objects.get(model__opportunity=plant)
    rate = exchange_rate_latest(currency_code="IRR").units_per_usd
    assert result.currency == "IRR"
    assert plant.fin_npv_usd == (result.npv / rate).quantize(D("0.01"))


def test_the_catalogue_copies_a_nominal_models_irr_and_payback_at_constant_prices(django_capture_on_commit_callbacks):
    # given a rial plant entered at nominal prices that carry 20% inflation
    opportunity = OpportunityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.financial_model_save(
            opportunity=opportunity, actor=None, data=rial_data(inflation_rate=D("0.2")), years=rial_years()
        )
    # then the stored result is the model as entered, and the listing's copy is on the common, real basis
    result = FinancialResult.objects.get(model__opportunity=opportunity)
    opportunity.refresh_from_db()
    real_irr = (1 + result.project_irr) / D("1.2") - 1
    assert opportunity.fin_irr == pytest.approx(real_irr, abs=D("0.000001"))
    assert opportunity.fin_irr < result.project_irr
    assert opportunity.fin_payback_years > result.payback_years
    rate = exchange_rate_latest(currency_code="IRR").units_per_usd
    assert opportunity.fin_npv_usd == (result.npv / rate).quantize(D("0.01"))  # a present value: unchanged


def test_figures_that_do_not_exist_are_stored_as_null_with_reason(django_capture_on_commit_callbacks):
    opportunity = OpportunityFactory()
    years = [{"year_index": 0, "fixed_investment": D(1000)}, {"year_index": 1, "fixed_operating_cost": D(50)}]
    with django_capture_on_commit_callbacks(execute=True):
        services.financial_model_save(
            opportunity=opportunity, actor=None, data=mine_data(horizon_years=5), years=years, loans=[]
        )
    result = FinancialResult.objects.get()
    assert result.project_irr is None and result.payback_years is None
    assert result.indicators["project_irr"]["value"] is None
    assert "never change sign" in result.indicators["project_irr"]["reason"]
    opportunity.refresh_from_db()
    assert opportunity.fin_irr is None and opportunity.fin_payback_years is None and opportunity.has_financial_model


def test_sweeper_appraises_only_models_without_a_result(modelled, django_capture_on_commit_callbacks):
    lost = OpportunityFactory()
    with django_capture_on_commit_callbacks():  # committed, but the message never reached a worker
        model = services.financial_model_save(
            opportunity=lost, actor=None, data=rial_data(), years=rial_years(), loans=[]
        )
    assert services.financial_models_due(older_than_seconds=0) == [model.pk]

    assert finance_appraisals_sweep_task() == 0  # too recent: its own dispatch may still be on the way
    assert services.financial_models_sweep(older_than_seconds=0) == 1  # runs inline in tests

    assert services.financial_models_due(older_than_seconds=0) == []
    assert FinancialResult.objects.filter(model=model).count() == 1


def test_delete_removes_the_headline(modelled):
    mine = modelled["mine"]
    services.financial_model_delete(model=mine.financial_model, actor=None)
    mine.refresh_from_db()
    assert (mine.has_financial_model, mine.fin_npv_usd, mine.fin_irr, mine.fin_payback_years) == (
        False,
        None,
        None,
        None,
    )
    assert not YearLine.objects.filter(model__opportunity=mine).exists()
