"""Tests of tornado, switching values and scenarios, checked against full re-appraisals of flexed inputs."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from opportunities.finance import (
    DEFAULT_STEPS,
    VARIABLES,
    InvalidInputs,
    Scenario,
    SensitivityRow,
    YearLine,
    appraise,
    flex_inputs,
    scenarios,
    switching_values,
    tornado,
)
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
