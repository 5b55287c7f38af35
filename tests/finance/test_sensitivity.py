"""Tests of tornado, switching values and scenarios, checked against full re-appraisals of flexed inputs."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from opportunities.finance import (
    DEFAULT_STEPS,
    VARIABLES,
    FlowModel,
    InvalidInputs,
    Loan,
    ModelInputs,
    Scenario,
    SensitivityRow,
    YearLine,
    appraise,
    flex_inputs,
    prepare,
    scenarios,
    switching_values,
    tornado,
)
from opportunities.finance import analyse as full_analysis
from tests.finance.test_engine import mining_inputs, rial_inputs


def rows_by_variable(rows: list[SensitivityRow]) -> dict[str, list[SensitivityRow]]:
    """Tornado rows grouped per variable, keeping the engine's order."""
    grouped = {}
    for row in rows:
        grouped.setdefault(row.variable, []).append(row)
    return grouped


def test_tornado_has_every_variable_and_step():
    rows = tornado(inputs=mining_inputs())
    assert len(rows) == 5 * 6
    grouped = rows_by_variable(rows)
    assert tuple(grouped) == VARIABLES
    for variable_rows in grouped.values():
        assert [row.change_pct for row in variable_rows] == [float(step) for step in DEFAULT_STEPS]
        assert all(row.npv.value is not None and row.irr.value is not None for row in variable_rows)


def test_tornado_directions():
    grouped = rows_by_variable(tornado(inputs=mining_inputs()))

    def npvs(variable):
        return [row.npv.value for row in grouped[variable]]

    assert npvs("price") == sorted(npvs("price"))
    assert npvs("volume") == sorted(npvs("volume"))
    assert npvs("capex") == sorted(npvs("capex"), reverse=True)
    assert npvs("opex") == sorted(npvs("opex"), reverse=True)
    assert npvs("discount_rate") == sorted(npvs("discount_rate"), reverse=True)
    irrs = [row.irr.value for row in grouped["price"]]
    assert irrs == sorted(irrs)
    base_irr = appraise(inputs=mining_inputs()).indicators.project_irr
    assert all(row.irr == base_irr for row in grouped["discount_rate"])  # same flows, same IRR


@pytest.mark.parametrize("build", [mining_inputs, rial_inputs])
def test_fast_path_matches_full_reappraisal(build):
    inputs = build()
    base_npv = appraise(inputs=inputs).indicators.npv.value
    for row in tornado(inputs=inputs, steps=(-25, 15)):
        full = appraise(inputs=flex_inputs(inputs=inputs, changes={row.variable: row.change_pct})).indicators
        assert row.npv.value == pytest.approx(full.npv.value, rel=1e-9)
        assert row.npv_change == pytest.approx(full.npv.value - base_npv, rel=1e-9, abs=1e-6 * abs(base_npv))
        assert row.irr.value == pytest.approx(full.project_irr.value, rel=1e-9)


@pytest.mark.parametrize("build", [mining_inputs, rial_inputs])
def test_switching_values_bring_npv_to_zero(build):
    inputs = build()
    values = switching_values(inputs=inputs)
    assert set(values) == set(VARIABLES)
    investment = sum(float(line.fixed_investment + line.pre_production) for line in inputs.years)
    for variable, switch in values.items():
        assert switch.value is not None, (variable, switch.reason)
        flexed = flex_inputs(inputs=inputs, changes={variable: switch.value})
        assert abs(appraise(inputs=flexed).indicators.npv.value) < 1e-6 * investment, variable
    assert values["price"].value < 0 < values["capex"].value
    assert values["opex"].value > 0


def test_mining_switching_values_are_plausible():
    values = switching_values(inputs=mining_inputs())
    base = appraise(inputs=mining_inputs()).indicators
    assert values["discount_rate"].value == pytest.approx((base.project_irr.value / 0.10 - 1) * 100, rel=1e-12)
    # Price must fall less than volume: volume also saves variable cost.
    assert values["volume"].value < values["price"].value


def test_switching_value_not_calculable_without_a_root():
    inputs = rial_inputs()
    no_capex = dataclasses.replace(
        inputs,
        years=tuple(
            dataclasses.replace(line, fixed_investment=D(0), pre_production=D(0), working_capital=D(0))
            for line in inputs.years
        ),
    )
    values = switching_values(inputs=no_capex)
    assert values["capex"].value is None  # NPV is positive whatever the (zero) investment does
    assert "keeps its sign" in values["capex"].reason
    zero_rate = switching_values(inputs=dataclasses.replace(inputs, discount_rate=D(0)))["discount_rate"]
    assert zero_rate.value is None and zero_rate.reason


def test_default_scenarios_rank_as_expected():
    inputs = mining_inputs()
    results = {result.name: result for result in scenarios(inputs=inputs)}
    assert list(results) == ["base", "optimistic", "pessimistic"]
    base = appraise(inputs=inputs).indicators
    assert results["base"].npv.value == pytest.approx(base.npv.value, rel=1e-12)
    assert results["base"].irr == base.project_irr
    assert results["base"].payback == base.payback
    assert results["optimistic"].npv.value > results["base"].npv.value > results["pessimistic"].npv.value
    assert results["optimistic"].payback.value < results["base"].payback.value < results["pessimistic"].payback.value
    pessimistic = flex_inputs(inputs=inputs, changes=dict(results["pessimistic"].changes))
    assert results["pessimistic"].npv.value == pytest.approx(
        appraise(inputs=pessimistic).indicators.npv.value, rel=1e-9
    )


def test_custom_scenario_and_invalid_changes():
    inputs = mining_inputs()
    [result] = scenarios(inputs=inputs, definitions=(Scenario(name="dear money", changes=(("discount_rate", 50.0),)),))
    assert result.npv.value == pytest.approx(appraise(inputs=inputs, discount_rate=D("0.15")).indicators.npv.value)
    with pytest.raises(InvalidInputs):
        tornado(inputs=inputs, steps=(-100,))
    with pytest.raises(InvalidInputs):
        scenarios(inputs=inputs, definitions=(Scenario(name="bad", changes=(("tariff", 5.0),)),))


def test_sensitivity_rejects_invalid_inputs():
    broken = dataclasses.replace(mining_inputs(), years=(YearLine(year_index=99),))
    for analyse in (tornado, switching_values, scenarios):
        with pytest.raises(InvalidInputs):
            analyse(inputs=broken)


# --- the batched cases equal the straightforward per-case computation ----------------------------------------------

money = st.integers(min_value=0, max_value=10**6).map(D)


@st.composite
def valid_models(draw) -> ModelInputs:
    """A valid model: build years with investment, then years of sales (volume x price or a revenue total) and
    costs (split or a direct total), losses in some years so the carry-forward matters, sometimes a loan."""
    horizon = draw(st.integers(3, 20))
    build = draw(st.integers(1, min(3, horizon - 1)))
    lines = [YearLine(year_index=t, fixed_investment=draw(money) + 1, equity=draw(money)) for t in range(build)]
    for t in range(build, horizon):
        cost = draw(money)
        if draw(st.booleans()):
            sales = {"production_volume": draw(money), "unit_price": D(draw(st.integers(1, 50)))}
            costs = {"variable_cost_per_unit": D(draw(st.integers(0, 40))), "fixed_operating_cost": cost}
        else:
            sales, costs = {"revenue": draw(money)}, {"operating_cost": cost}
        lines.append(YearLine(year_index=t, working_capital=draw(money) // 10, **sales, **costs))
    loans = ()
    if horizon > 4 and draw(st.booleans()):
        loans = (Loan(amount=D(draw(st.integers(1, 10**6))), annual_rate=D("0.08"), tenor_years=3, grace_years=1),)
    return ModelInputs(
        currency="USD",
        base_year=2025,
        horizon_years=horizon,
        discount_rate=D(draw(st.sampled_from(["0.05", "0.1", "0.2"]))),
        tax_rate=D(draw(st.sampled_from(["0", "0.25", "0.4"]))),
        useful_life_years=draw(st.integers(1, 10)),
        years=tuple(lines),
        loans=loans,
    )


def loop_flows(model: FlowModel, price: float, volume: float, capex: float, opex: float) -> list[float]:
    """Project flows of one flex, year by year with a running loss balance (the engine's former per-case loop)."""
    losses, flows = 0.0, []
    for rev, var, fix, dep, out in zip(
        model.revenue.tolist(),
        model.variable_cost.tolist(),
        model.fixed_cost.tolist(),
        model.depreciation.tolist(),
        model.outlay.tolist(),
        strict=True,
    ):
        ebit = rev * price * volume - (var * volume + fix) * opex - dep * capex
        taxable = max(ebit - losses, 0.0)
        losses = max(losses - ebit, 0.0)
        flows.append(ebit - taxable * model.tax_rate + (dep - out) * capex)
    return flows


factors = st.floats(min_value=0.05, max_value=3.0)


@given(inputs=valid_models(), flexes=st.lists(st.tuples(factors, factors, factors, factors), min_size=1, max_size=8))
def test_case_matrix_equals_per_case_loop(inputs, flexes):
    model = prepare(inputs=inputs)
    matrix = model.case_flows(np.array(flexes))
    scale = 1.0 + max(abs(value) for value in model.revenue.tolist() + model.outlay.tolist()) * 10
    for row, flex in zip(matrix.tolist(), flexes, strict=True):
        assert row == pytest.approx(loop_flows(model, *flex), rel=1e-9, abs=1e-9 * scale)
    # The statement's project flows are the case with every multiplier at 1, bit for bit.
    statement = [year.project_fcf for year in appraise(inputs=inputs).years]
    assert model.case_flows(np.ones((1, 4)))[0].tolist() == statement


@given(inputs=valid_models())
def test_analysis_equals_the_separate_calls_and_full_reappraisals(inputs):
    analysis = full_analysis(inputs=inputs, steps=(-20, 10))
    assert analysis.tornado == tornado(inputs=inputs, steps=(-20, 10))
    assert analysis.switching == switching_values(inputs=inputs)
    assert analysis.scenarios == scenarios(inputs=inputs)
    assert analysis.appraisal == appraise(inputs=inputs)
    base = analysis.appraisal.indicators.npv.value
    scale = sum(abs(year.project_fcf) for year in analysis.appraisal.years) or 1.0
    for row in analysis.tornado:
        full = appraise(inputs=flex_inputs(inputs=inputs, changes={row.variable: row.change_pct})).indicators
        assert row.npv.value == pytest.approx(full.npv.value, rel=1e-9, abs=1e-9 * scale)
        assert row.npv_change == pytest.approx(full.npv.value - base, rel=1e-9, abs=1e-9 * scale)
        # Compare where the IRR is unique (one sign change) and found on both sides: near -100% pyxirr may converge on
        # one rounding of the flows and not the other, and with several roots it may find another one.
        unique = row.irr.note is None and full.project_irr.note is None
        if unique and row.irr.value is not None and full.project_irr.value is not None:
            assert row.irr.value == pytest.approx(full.project_irr.value, rel=1e-6, abs=1e-9)
    for variable, switch in analysis.switching.items():
        if switch.value is not None and variable != "discount_rate":
            flexed = appraise(inputs=flex_inputs(inputs=inputs, changes={variable: switch.value})).indicators
            assert abs(flexed.npv.value) <= 1e-6 * scale
