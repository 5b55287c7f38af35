"""Tests of the financial appraisal engine: published reference values, properties and two realistic models."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from opportunities.finance import (
    ENGINE_VERSION,
    Indicator,
    InvalidInputs,
    Loan,
    ModelInputs,
    YearLine,
    appraise,
    carried_forward_tax,
    inputs_hash,
    irr,
    mirr,
    npv,
    payback,
    sign_changes,
    validate,
)
from opportunities.finance.indicators import sign_change_counts
from opportunities.finance.inputs import _exact_errors, read, reading_hash

# --- independent plain-Python references ------------------------------------------------------------------------


def exact_npv(rate: Fraction, flows: list[int]) -> Fraction:
    """NPV in exact rational arithmetic, year 0 undiscounted."""
    return sum((Fraction(cash) / (1 + rate) ** t for t, cash in enumerate(flows)), Fraction(0))


def bisect_irr(flows: list[float], low: float = -0.99, high: float = 10.0) -> float:
    """IRR by plain bisection, for conventional flows whose NPV falls as the rate rises."""

    def value(rate: float) -> float:
        return sum(cash / (1 + rate) ** t for t, cash in enumerate(flows))

    for _ in range(200):
        middle = (low + high) / 2
        if value(middle) > 0:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def textbook_mirr(flows: list[float], finance: float, reinvest: float) -> float:
    """MIRR = (FV of inflows at reinvest rate / -PV of outflows at finance rate) ** (1 / n) - 1."""
    n = len(flows) - 1
    future = sum(cash * (1 + reinvest) ** (n - t) for t, cash in enumerate(flows) if cash > 0)
    present = sum(cash / (1 + finance) ** t for t, cash in enumerate(flows) if cash < 0)
    return (future / -present) ** (1 / n) - 1


EXCEL_IRR_FLOWS = [-70000, 12000, 15000, 18000, 21000, 26000]
EXCEL_MIRR_FLOWS = [-120000, 39000, 30000, 21000, 37000, 46000]


# --- reference values -------------------------------------------------------------------------------------------


def test_npv_uses_year_zero_undiscounted_like_excel_npv_plus_initial_outlay():
    # Excel docs, NPV example 1: NPV(10%, -10000, 3000, 4200, 6800) = $1,188.44 discounts all four flows from t=1.
    # With year 0 undiscounted the same flows give NPV(10%, 3000, 4200, 6800) - 10000 = 1307.287754 (= 1188.44 * 1.1).
    flows = [-10000, 3000, 4200, 6800]
    reference = exact_npv(Fraction(1, 10), flows)
    assert float(reference) == pytest.approx(1307.2877535687, abs=1e-6)
    assert npv(rate=0.1, flows=flows) == pytest.approx(float(reference), abs=1e-6)
    assert round(float(reference) / 1.1, 2) == 1188.44


def test_npv_matches_excel_example_two():
    # Excel docs, NPV example 2: NPV(8%, 8000, 9200, 10000, 12000, 14500) + (-40000) = $1,922.06, and -$3,749.47
    # when a further -9000 falls in year 6.
    flows = [-40000, 8000, 9200, 10000, 12000, 14500]
    assert npv(rate=0.08, flows=flows) == pytest.approx(float(exact_npv(Fraction(8, 100), flows)), abs=1e-6)
    assert round(npv(rate=0.08, flows=flows), 2) == 1922.06
    assert round(npv(rate=0.08, flows=[*flows, -9000]), 2) == -3749.47


def test_irr_matches_excel_documentation_examples():
    full = irr(flows=EXCEL_IRR_FLOWS)
    first_five = irr(flows=EXCEL_IRR_FLOWS[:5])
    first_three = irr(flows=EXCEL_IRR_FLOWS[:3])
    assert full.value == pytest.approx(0.086630948036531, abs=1e-9)
    assert first_five.value == pytest.approx(-0.021244848, abs=1e-9)
    assert first_three.value == pytest.approx(-0.443506941, abs=1e-9)
    for result, flows in ((full, EXCEL_IRR_FLOWS), (first_five, EXCEL_IRR_FLOWS[:5])):
        assert result.value == pytest.approx(bisect_irr(flows), abs=1e-9)
        assert result.reason is None
        assert result.note is None


def test_mirr_matches_excel_documentation_examples():
    assert mirr(flows=EXCEL_MIRR_FLOWS, finance_rate=0.1, reinvest_rate=0.12).value == pytest.approx(0.126094, abs=1e-6)
    assert mirr(flows=EXCEL_MIRR_FLOWS[:4], finance_rate=0.1, reinvest_rate=0.12).value == pytest.approx(
        -0.048045, abs=1e-6
    )
    assert mirr(flows=EXCEL_MIRR_FLOWS, finance_rate=0.1, reinvest_rate=0.14).value == pytest.approx(0.134759, abs=1e-6)
    for flows, reinvest in ((EXCEL_MIRR_FLOWS, 0.12), (EXCEL_MIRR_FLOWS[:4], 0.12), (EXCEL_MIRR_FLOWS, 0.14)):
        expected = textbook_mirr([float(cash) for cash in flows], 0.1, reinvest)
        assert mirr(flows=flows, finance_rate=0.1, reinvest_rate=reinvest).value == pytest.approx(expected, abs=1e-9)


def test_simple_and_discounted_payback():
    flows = [-1000, 300, 400, 500]
    # cumulative -1000, -700, -300, +200: the last 300 are recovered 300/500 into year 3.
    assert payback(flows=flows).value == pytest.approx(2 + 300 / 500, abs=1e-12)
    assert payback(flows=flows).value == pytest.approx(2.6, abs=1e-6)
    # At 10% the same flows never pay back; one more year of 200 does, 3 + 21.036/136.603 years in.
    discounted = [cash / 1.1**t for t, cash in enumerate([*flows, 200])]
    assert payback(flows=discounted[:4], discounted=True).value is None
    still_owed = -sum(discounted[:4])
    assert still_owed == pytest.approx(21.036814, abs=1e-6)
    assert payback(flows=discounted, discounted=True).value == pytest.approx(3 + still_owed / discounted[4], abs=1e-12)
    assert payback(flows=discounted, discounted=True).value == pytest.approx(3.154, abs=1e-3)


def test_payback_reasons():
    assert payback(flows=[-1000, 100, 100]) == Indicator(
        None, "the cumulative cash flow never turns positive within the horizon"
    )
    assert payback(flows=[0, 100, 100]).reason == "there is no investment outflow to pay back"
    assert payback(flows=[500, -100, 100]).value == 0.0


def test_multiple_sign_changes_still_give_irr_with_note():
    result = irr(flows=[-100, 230, -132])  # roots at 10% and 20%
    assert result.value in (pytest.approx(0.1, abs=1e-9), pytest.approx(0.2, abs=1e-9))
    assert "2 times" in result.note


def test_carried_forward_tax_never_negative_and_uses_losses():
    assert carried_forward_tax(profits=[-100.0, 60.0, 60.0, -10.0, 30.0], rate=0.25) == [0.0, 0.0, 5.0, 0.0, 5.0]


# --- properties -------------------------------------------------------------------------------------------------

inflows = st.lists(st.floats(min_value=1.0, max_value=1e6), min_size=1, max_size=30)
outlay = st.floats(min_value=1.0, max_value=1e6)


@given(initial=outlay, later=inflows)
def test_npv_at_irr_is_zero(initial, later):
    flows = [-initial, *later]
    result = irr(flows=flows)
    assert result.value is not None
    scale = sum(abs(cash) / (1 + result.value) ** t for t, cash in enumerate(flows))
    assert abs(npv(rate=result.value, flows=flows)) <= 1e-7 * scale


@given(initial=outlay, later=inflows, rate=st.floats(min_value=-0.5, max_value=1.0), step=st.floats(1e-3, 1.0))
def test_npv_strictly_decreases_with_rate_for_conventional_flows(initial, later, rate, step):
    flows = [-initial, *later]
    assert npv(rate=rate, flows=flows) > npv(rate=rate + step, flows=flows)


@given(
    flows=st.lists(st.floats(min_value=0.0, max_value=1e9), min_size=1, max_size=30),
    sign=st.sampled_from([1.0, -1.0]),
)
def test_flows_without_sign_change_have_no_irr(flows, sign):
    signed = [sign * cash for cash in flows]
    for result in (irr(flows=signed), mirr(flows=signed, finance_rate=0.1, reinvest_rate=0.1)):
        assert result.value is None
        assert result.reason


# --- realistic models -------------------------------------------------------------------------------------------

MINING_LOAN = Loan(amount=D("180000000"), annual_rate=D("0.075"), tenor_years=10, grace_years=3, drawdown_year=1)


def mining_inputs() -> ModelInputs:
    """Copper concentrate mine, USD: 2 construction years, ramp-up 50/80/100%, sustaining capex, one loan."""
    capex = {0: D("120000000"), 1: D("180000000"), 12: D("25000000"), 18: D("25000000")}
    pre_production = {0: D("10000000"), 1: D("5000000")}
    equity = {0: D("130000000"), 1: D("5000000")}
    ramp = {2: D("0.5"), 3: D("0.8")}
    years = []
    for t in range(25):
        common = {"year_index": t, "fixed_investment": capex.get(t, D(0)), "equity": equity.get(t, D(0))}
        if t < 2:
            years.append(YearLine(**common, pre_production=pre_production[t]))
            continue
        volume = D("100000") * ramp.get(t, D(1))  # tonnes of concentrate
        years.append(
            YearLine(
                **common,
                production_volume=volume,
                unit_price=D("2400"),
                variable_cost_per_unit=D("950"),
                fixed_operating_cost=D("35000000"),
                working_capital=volume * D("2400") * D("0.12"),
            )
        )
    return ModelInputs(
        currency="USD",
        base_year=2025,
        horizon_years=25,
        discount_rate=D("0.10"),
        tax_rate=D("0.25"),
        useful_life_years=10,
        years=tuple(years),
        loans=(MINING_LOAN,),
        capacity_volume=D("100000"),
    )


def rial_inputs() -> ModelInputs:
    """Rial manufacturing plant: direct revenue and operating-cost totals, no debt, 28% nominal discount rate."""
    years = [
        YearLine(year_index=0, fixed_investment=D("800000000000"), pre_production=D("40000000000"), equity=D("840e9"))
    ]
    for t in range(1, 12):
        growth = D("1.05") ** (t - 1)
        years.append(
            YearLine(
                year_index=t,
                revenue=(D("720000000000") * growth).quantize(D(1)),
                operating_cost=(D("380000000000") * growth).quantize(D(1)),
                working_capital=D("90000000000"),
            )
        )
    return ModelInputs(
        currency="IRR",
        base_year=1403,
        horizon_years=12,
        discount_rate=D("0.28"),
        tax_rate=D("0.25"),
        useful_life_years=10,
        years=tuple(years),
    )


@pytest.mark.parametrize("build", [mining_inputs, rial_inputs])
def test_statement_identities(build):
    inputs = build()
    result = appraise(inputs=inputs)
    years = result.years
    assert len(years) == inputs.horizon_years
    assert all(year.tax >= 0 for year in years)
    assert sum(year.working_capital_change for year in years) == pytest.approx(0, abs=1e-3)
    for year in years:
        assert year.ebit == pytest.approx(year.revenue - year.operating_cost - year.depreciation)
        assert year.net_income == pytest.approx(year.ebt - year.tax)
        unlevered_tax = year.ebit + year.depreciation - year.investment - year.working_capital_change - year.project_fcf
        assert unlevered_tax >= -1e-6
        assert year.equity_fcf == pytest.approx(
            year.net_income
            + year.depreciation
            - year.investment
            - year.working_capital_change
            + year.loan_drawdown
            - year.principal_repayment,
            rel=1e-12,
            abs=1e-3,
        )
    # Project FCF re-derived independently: EBIT taxed with loss carry-forward.
    losses, expected = 0.0, []
    for year in years:
        taxable = max(year.ebit - losses, 0.0)
        losses = max(losses - year.ebit, 0.0)
        cash = year.ebit - taxable * float(inputs.tax_rate) + year.depreciation
        expected.append(cash - year.investment - year.working_capital_change)
    assert [year.project_fcf for year in years] == pytest.approx(expected, rel=1e-12, abs=1e-3)
    assert result.indicators.npv.value == pytest.approx(
        sum(cash / (1 + float(inputs.discount_rate)) ** t for t, cash in enumerate(expected)), rel=1e-10
    )


@pytest.mark.parametrize("build", [mining_inputs, rial_inputs])
def test_depreciation_total_equals_investment_depreciable_within_horizon(build):
    inputs = build()
    last = inputs.horizon_years - 1
    expected = sum(
        float(line.fixed_investment) * min(inputs.useful_life_years, last - line.year_index) / inputs.useful_life_years
        + float(line.pre_production)
        * min(inputs.amortisation_years, last - line.year_index)
        / inputs.amortisation_years
        for line in inputs.years
    )
    assert sum(year.depreciation for year in appraise(inputs=inputs).years) == pytest.approx(expected, rel=1e-12)


def test_mining_loan_schedule_is_interest_only_then_annuity():
    years = appraise(inputs=mining_inputs()).years
    amount, rate = 180e6, 0.075
    assert years[1].loan_drawdown == amount
    for t in (2, 3, 4):
        assert years[t].interest == pytest.approx(amount * rate)
        assert years[t].principal_repayment == 0
    instalment = amount * rate / (1 - (1 + rate) ** -7)
    for t in range(5, 12):
        assert years[t].debt_service == pytest.approx(instalment, rel=1e-12)
    assert sum(year.principal_repayment for year in years) == pytest.approx(amount, rel=1e-12)
    assert all(year.debt_service == 0 for year in years[12:])


def test_mining_indicators():
    result = appraise(inputs=mining_inputs())
    ind, years = result.indicators, result.years
    assert result.engine_version == ENGINE_VERSION
    assert result.currency == "USD"
    assert ind.npv.value > 0
    assert ind.project_irr.value > 0.10
    assert ind.equity_irr.value > ind.project_irr.value  # cheap debt levers the equity return
    assert 0.10 < ind.mirr.value < ind.project_irr.value
    assert 2 < ind.payback.value < ind.discounted_payback.value < 25
    assert ind.profitability_index.value > 1
    full = years[4]  # first year at 100% of capacity
    margin = full.revenue - 100000 * 950
    assert ind.break_even.value == pytest.approx((35e6 + full.depreciation + full.interest) / margin, rel=1e-12)
    operating = [y.cfads / y.debt_service for y in years if y.debt_service > 0 and y.revenue > 0]
    assert ind.min_dscr.value == pytest.approx(min(operating))
    assert ind.avg_dscr.value == pytest.approx(sum(operating) / len(operating))


def test_rial_model_without_debt():
    result = appraise(inputs=rial_inputs())
    ind = result.indicators
    assert result.currency == "IRR"
    assert ind.min_dscr.value is None and "no debt" in ind.min_dscr.reason
    assert ind.avg_dscr.value is None and ind.avg_dscr.reason
    assert ind.break_even.value is None and ind.break_even.reason == "no production volumes were given"
    assert ind.equity_irr == ind.project_irr
    assert [year.equity_fcf for year in result.years] == [year.project_fcf for year in result.years]
    assert result.years[0].year == 1403


def test_fx_rate_scales_amounts_but_not_rates():
    inputs = rial_inputs()
    base = appraise(inputs=inputs)
    fx = D("0.0000016")  # USD per rial
    converted = appraise(inputs=inputs, fx_rate=fx)
    assert converted.fx_rate == fx
    assert converted.indicators.npv.value == pytest.approx(base.indicators.npv.value * 0.0000016, rel=1e-12)
    assert converted.years[3].revenue == pytest.approx(base.years[3].revenue * 0.0000016, rel=1e-12)
    for name in ("project_irr", "mirr", "payback", "discounted_payback", "profitability_index"):
        assert getattr(converted.indicators, name) == getattr(base.indicators, name)
    with pytest.raises(InvalidInputs):
        appraise(inputs=inputs, fx_rate=D(0))


def nominal_rial_inputs() -> ModelInputs:
    """The rial plant with its prices growing with 20% inflation and a loan, as a nominal model is entered."""
    inputs = rial_inputs()
    years = tuple(
        dataclasses.replace(
            line,
            revenue=(line.revenue * D("1.2") ** line.year_index).quantize(D(1)),
            operating_cost=(line.operating_cost * D("1.2") ** line.year_index).quantize(D(1))
            if line.operating_cost is not None
            else None,
        )
        for line in inputs.years
    )
    loan = Loan(amount=D("400000000000"), annual_rate=D("0.23"), tenor_years=6, grace_years=1, drawdown_year=0)
    return dataclasses.replace(
        inputs, years=years, loans=(loan,), discount_rate=D("0.40"), inflation_rate=D("0.2"), reinvestment_rate=D("0.3")
    )


def test_constant_prices_take_the_inflation_out_of_every_amount():
    inputs = nominal_rial_inputs()
    nominal, constant = appraise(inputs=inputs), appraise(inputs=inputs, constant_prices=True)
    assert (nominal.inflation_removed, constant.inflation_removed) == (0.0, 0.2)
    for before, after in zip(nominal.years, constant.years, strict=True):
        deflator = 1.2**before.year_index
        for name in ("revenue", "operating_cost", "tax", "net_income", "investment", "project_fcf", "equity_fcf"):
            assert getattr(after, name) == pytest.approx(getattr(before, name) / deflator, rel=1e-12, abs=1e-3)
    # the model's own rates become real ones, so the NPV (a present value) is unchanged
    assert constant.discount_rate == pytest.approx(1.40 / 1.2 - 1, rel=1e-12)
    assert constant.indicators.npv.value == pytest.approx(nominal.indicators.npv.value, rel=1e-9)
    # IRR and MIRR come out real: (1 + nominal) / (1 + inflation) - 1
    for name in ("project_irr", "equity_irr", "mirr"):
        real = (1 + getattr(nominal.indicators, name).value) / 1.2 - 1
        assert getattr(constant.indicators, name).value == pytest.approx(real, rel=1e-9), name
    # ratios within a year do not move; the simple payback waits for deflated inflows
    for name in ("min_dscr", "avg_dscr", "break_even", "profitability_index"):
        assert getattr(constant.indicators, name).value == pytest.approx(getattr(nominal.indicators, name).value)
    assert constant.indicators.payback.value > nominal.indicators.payback.value
    assert constant.indicators.discounted_payback.value == pytest.approx(nominal.indicators.discounted_payback.value)


def test_a_rate_given_at_constant_prices_is_real():
    inputs = nominal_rial_inputs()
    constant = appraise(inputs=inputs, discount_rate=D("0.1"), constant_prices=True)
    flows = [year.project_fcf for year in constant.years]
    assert constant.discount_rate == 0.1
    assert constant.indicators.npv.value == pytest.approx(sum(f / 1.1**t for t, f in enumerate(flows)), rel=1e-9)


def test_a_model_at_constant_prices_is_unchanged_by_the_constant_basis():
    inputs = mining_inputs()  # inflation 0: its prices are constant already
    assert appraise(inputs=inputs, constant_prices=True) == appraise(inputs=inputs)


def test_inflation_of_minus_100_percent_or_below_is_refused():
    with pytest.raises(InvalidInputs) as raised:
        appraise(inputs=dataclasses.replace(rial_inputs(), inflation_rate=D("-1")))
    assert [name for name, _ in raised.value.errors] == ["inflation_rate"]


def test_discount_rate_override():
    inputs = mining_inputs()
    lower = appraise(inputs=inputs, discount_rate=D("0.05"))
    assert lower.discount_rate == 0.05
    assert lower.indicators.npv.value > appraise(inputs=inputs).indicators.npv.value
    assert lower.indicators.project_irr == appraise(inputs=inputs).indicators.project_irr


def test_indicators_without_value_carry_reasons():
    losing = ModelInputs(
        currency="USD",
        base_year=2025,
        horizon_years=5,
        discount_rate=D("0.1"),
        tax_rate=D("0.2"),
        useful_life_years=5,
        years=(YearLine(year_index=0, fixed_investment=D(1000)), YearLine(year_index=1, fixed_operating_cost=D(50))),
    )
    ind = appraise(inputs=losing).indicators
    for name in ("project_irr", "equity_irr", "mirr", "payback", "discounted_payback"):
        assert getattr(ind, name).value is None
        assert getattr(ind, name).reason
    no_investment = dataclasses.replace(losing, years=(YearLine(year_index=1, revenue=D(100)),))
    pi = appraise(inputs=no_investment).indicators.profitability_index
    assert pi == Indicator(None, "there is no investment outflow")


# --- hashing and validation -------------------------------------------------------------------------------------


def test_inputs_hash_is_stable_and_sensitive():
    inputs = mining_inputs()
    digest = inputs_hash(inputs=inputs)
    assert len(digest) == 64
    assert inputs_hash(inputs=mining_inputs()) == digest
    assert appraise(inputs=inputs).inputs_hash == digest
    assert inputs_hash(inputs=dataclasses.replace(inputs, discount_rate=D("0.1000"))) == digest
    assert inputs_hash(inputs=dataclasses.replace(inputs, years=inputs.years[::-1])) == digest
    changed_line = dataclasses.replace(inputs.years[7], unit_price=D("2400.01"))
    variants = [
        dataclasses.replace(inputs, discount_rate=D("0.11")),
        dataclasses.replace(inputs, currency="EUR"),
        dataclasses.replace(inputs, base_year=2026),
        dataclasses.replace(inputs, amortisation_years=4),
        dataclasses.replace(inputs, recover_working_capital=False),
        dataclasses.replace(inputs, inflation_rate=D("0.2")),
        dataclasses.replace(inputs, loans=()),
        dataclasses.replace(inputs, loans=(dataclasses.replace(MINING_LOAN, grace_years=2),)),
        dataclasses.replace(inputs, years=(*inputs.years[:7], changed_line, *inputs.years[8:])),
    ]
    hashes = {inputs_hash(inputs=variant) for variant in variants}
    assert digest not in hashes
    assert len(hashes) == len(variants)


def error_fields(inputs: ModelInputs) -> set[str]:
    """Just the field names validate() blames, which is what a form needs to highlight."""
    return {name for name, _ in validate(inputs=inputs)}


def test_validate_names_the_offending_fields():
    inputs = mining_inputs()
    assert validate(inputs=inputs) == []
    assert "horizon_years" in error_fields(dataclasses.replace(inputs, horizon_years=-3))
    assert "horizon_years" in error_fields(dataclasses.replace(inputs, horizon_years=41))
    assert error_fields(dataclasses.replace(inputs, discount_rate=D(-1))) == {"discount_rate"}
    assert error_fields(dataclasses.replace(inputs, tax_rate=D("1.2"))) == {"tax_rate"}
    outside = dataclasses.replace(inputs, years=(*inputs.years, YearLine(year_index=25, revenue=D(1))))
    assert error_fields(outside) == {"years[25].year_index"}
    duplicate = dataclasses.replace(inputs, years=(*inputs.years, YearLine(year_index=3)))
    assert error_fields(duplicate) == {"years[25].year_index"}
    negative = dataclasses.replace(inputs, years=(YearLine(year_index=0, fixed_investment=D(-5)),))
    assert error_fields(negative) == {"years[0].fixed_investment"}
    bad_loan = dataclasses.replace(inputs, loans=(dataclasses.replace(MINING_LOAN, tenor_years=3),))
    assert error_fields(bad_loan) == {"loans[0].tenor_years"}
    long_loan = dataclasses.replace(inputs, loans=(dataclasses.replace(MINING_LOAN, drawdown_year=20),))
    assert error_fields(long_loan) == {"loans[0].tenor_years"}


def test_appraise_raises_with_all_errors():
    inputs = dataclasses.replace(mining_inputs(), horizon_years=0, discount_rate=D("-1.5"))
    with pytest.raises(InvalidInputs) as caught:
        appraise(inputs=inputs, fx_rate=D(-2))
    fields = {name for name, _ in caught.value.errors}
    assert fields == {"horizon_years", "discount_rate", "fx_rate"}  # years are not all blamed for a bad horizon
    assert "horizon_years" in str(caught.value)


def test_irr_solver_failure_is_reported_not_raised():
    # Flows change sign twice but NPV never reaches zero for rates above -100%: pyxirr returns None.
    result = irr(flows=[1e10, -1, -1, -1, -1, -1, 1e10])
    assert result.value is None
    assert "did not converge" in result.reason


# --- the array forms equal the straightforward rules --------------------------------------------------------------


def loop_carried_forward_tax(profits: list[float], rate: float) -> list[float]:
    """Tax after losses carried forward, year by year: the rule as an accountant applies it."""
    losses, taxes = 0.0, []
    for profit in profits:
        if profit <= losses:
            losses -= profit
            taxes.append(0.0)
        else:
            taxes.append((profit - losses) * rate)
            losses = 0.0
    return taxes


@given(
    profits=st.lists(st.integers(min_value=-(10**9), max_value=10**9).map(float), min_size=1, max_size=40),
    rate=st.sampled_from([0.0, 0.1, 0.25, 0.5, 1.0]),
)
def test_closed_form_tax_equals_year_by_year_carry_forward(profits, rate):
    # Integer profits keep every sum exact, so the two forms must agree to the last bit.
    assert carried_forward_tax(profits=profits, rate=rate) == loop_carried_forward_tax(profits, rate)


@given(rows=st.lists(st.lists(st.sampled_from([-2.5, -1.0, 0.0, 0.0, 1.0, 3.0]), min_size=6, max_size=6), min_size=1))
def test_sign_change_counts_equal_sign_changes_per_row(rows):
    counts = sign_change_counts(np.array(rows))
    assert counts.tolist() == [sign_changes(flows=row) for row in rows]


amounts = st.one_of(
    st.just(D(0)),
    st.integers(min_value=1, max_value=10**7).map(D),
    st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2),
)
odd_amounts = st.one_of(
    amounts,
    st.none(),
    st.sampled_from([D("-1"), D("-0"), D("-1E-400"), D("1E-400"), D("Infinity"), D("NaN"), D("1E+400")]),
)


@st.composite
def year_lines(draw, horizon: int, values=amounts, duplicates: bool = True) -> tuple[YearLine, ...]:
    """Lines for some years of the horizon, with any mix of volume, price, revenue and cost fields (valid or not)."""
    lines = []
    for index in draw(st.lists(st.integers(-1, horizon), max_size=horizon + 1, unique=not duplicates)):
        fields = {
            name: draw(values)
            for name in ("fixed_investment", "working_capital", "revenue", "fixed_operating_cost", "equity")
            if draw(st.booleans())
        }
        for name in ("production_volume", "unit_price", "operating_cost", "variable_cost_per_unit"):
            if draw(st.booleans()):
                fields[name] = draw(values)
        lines.append(YearLine(year_index=index, **fields))
    return tuple(lines)


@st.composite
def any_inputs(draw, values=odd_amounts) -> ModelInputs:
    horizon = draw(st.integers(1, 12))
    return ModelInputs(
        currency="USD",
        base_year=2025,
        horizon_years=horizon,
        discount_rate=draw(st.sampled_from([D("0.1"), D("0.12"), D("-1.5")])),
        tax_rate=D("0.25"),
        useful_life_years=draw(st.integers(1, 8)),
        years=draw(year_lines(horizon, values)),
    )


@given(inputs=st.one_of(any_inputs(), any_inputs(values=amounts)))
def test_fast_validation_and_hash_equal_the_value_by_value_rules(inputs):
    # Lines mixing None, negative zero, underflowing and non-finite Decimals: the fast checks on the float table
    # must never pass what the exact rules refuse, nor report anything else.
    assert validate(inputs=inputs) == _exact_errors(inputs)
    assert reading_hash(inputs=inputs, reading=read(inputs=inputs)) == inputs_hash(inputs=inputs)
