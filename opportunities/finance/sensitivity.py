"""Sensitivity analysis on the appraisal engine: tornado table, switching values and named scenarios.

A change of ``+10`` means the variable is 110% of its base value.  Variables: ``price`` (revenue per unit, or revenue
when no volume is given), ``volume`` (revenue and variable cost), ``capex`` (fixed investment, pre-production costs
and working capital, hence depreciation), ``opex`` (all operating cost) and ``discount_rate`` (relative, so +10 turns
12% into 13.2%).  Loans are never flexed: NPV and IRR here are project (unlevered) figures.

Fast path: the inputs are validated and converted to float components once (:func:`engine.prepare`); every case only
recomputes the yearly flows from those components with multipliers.  NPVs use cached discount factors instead of a
pyxirr call, and each distinct set of flows goes to ``pyxirr.irr`` at most once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from operator import mul

from .engine import Appraisal, FlowModel, appraise_prepared, build, prepare, raise_if_invalid
from .indicators import Indicator, discount_factors, irr, payback
from .inputs import InvalidInputs, ModelInputs, YearLine

VARIABLES = ("price", "volume", "capex", "opex", "discount_rate")
DEFAULT_STEPS = (-30, -20, -10, 10, 20, 30)
SWITCHING_BRACKET = (-99.0, 1000.0)

Changes = tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SensitivityRow:
    """One tornado case: NPV (and its change from the base) and project IRR after flexing one variable."""

    variable: str
    change_pct: float
    npv: Indicator
    npv_change: float | None
    irr: Indicator


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """A named set of simultaneous percentage changes, e.g. an optimistic or pessimistic case."""

    name: str
    changes: Changes = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioResult:
    """Outcome of one scenario: project NPV, project IRR and simple payback."""

    name: str
    changes: Changes
    npv: Indicator
    irr: Indicator
    payback: Indicator


DEFAULT_SCENARIOS = (
    Scenario(name="base"),
    Scenario(name="optimistic", changes=(("price", 10.0), ("capex", -10.0), ("opex", -5.0))),
    Scenario(name="pessimistic", changes=(("price", -15.0), ("capex", 20.0), ("opex", 10.0))),
)


def _multipliers(changes: Iterable[tuple[str, float]]) -> tuple[float, ...]:
    """Multipliers in VARIABLES order; rejects unknown names and cuts of 100% or more, which have no meaning."""
    factors = dict.fromkeys(VARIABLES, 1.0)
    for name, pct in changes:
        if name not in factors:
            raise InvalidInputs([(f"changes.{name}", f"unknown variable; use one of {', '.join(VARIABLES)}")])
        if not pct > -100:
            raise InvalidInputs([(f"changes.{name}", "a change must be greater than -100%")])
        factors[name] = 1 + pct / 100
    return tuple(factors.values())


@dataclass(frozen=True, slots=True)
class _Case:
    flows: list[float]
    npv: Indicator
    irr: Indicator


class _Evaluator:
    """Caches discount factors and IRRs for one prepared model so that each case costs only the flow arithmetic."""

    def __init__(self, *, model: FlowModel) -> None:
        self.model = model
        self.rate = model.discount_rate
        self._factors: dict[float, list[float]] = {}
        self._flows: dict[tuple[float, ...], list[float]] = {}
        self._irr: dict[tuple[float, ...], Indicator] = {}

    def flows(self, key: tuple[float, ...]) -> list[float]:
        """Project flows for (price, volume, capex, opex) multipliers, computed once per distinct key."""
        flows = self._flows.get(key)
        if flows is None:
            price, volume, capex, opex = key
            flows = self._flows[key] = self.model.project_flows(price=price, volume=volume, capex=capex, opex=opex)
        return flows

    def factors(self, rate: float) -> list[float]:
        factors = self._factors.get(rate)
        if factors is None:
            factors = self._factors[rate] = discount_factors(rate=rate, count=self.model.horizon)
        return factors

    def npv(self, flows: list[float], rate: float) -> Indicator:
        """NPV with year 0 undiscounted, as a dot product with cached factors (no pyxirr call per case)."""
        if rate <= -1:
            return Indicator(None, "the flexed discount rate is at or below -100%")
        return Indicator(sum(map(mul, flows, self.factors(rate))))

    def npv_only(self, key: tuple[float, ...]) -> float:
        """NPV at the base rate for multipliers, fused with the flow arithmetic (no list, no IRR)."""
        price, volume, capex, opex = key
        factors = self.factors(self.rate)
        return self.model.project_npv(factors, price=price, volume=volume, capex=capex, opex=opex)

    def evaluate(self, multipliers: tuple[float, ...]) -> _Case:
        """Flows, NPV and IRR of one case; the IRR depends only on the flows, so it is cached by their multipliers."""
        key = multipliers[:4]
        flows = self.flows(key)
        found = self._irr.get(key)
        if found is None:
            found = self._irr[key] = irr(flows=flows)
        return _Case(flows, self.npv(flows, self.rate * multipliers[4]), found)


def tornado(
    *, inputs: ModelInputs, discount_rate: Decimal | None = None, steps: Iterable[float] = DEFAULT_STEPS
) -> list[SensitivityRow]:
    """NPV and project IRR for each variable flexed by each step (in %), to show which assumption matters most."""
    return _tornado(_Evaluator(model=prepare(inputs=inputs, discount_rate=discount_rate)), steps)


def _tornado(evaluator: _Evaluator, steps: Iterable[float]) -> list[SensitivityRow]:
    base = evaluator.evaluate(_multipliers(())).npv.value
    rows = []
    for variable in VARIABLES:
        for step in steps:
            case = evaluator.evaluate(_multipliers(((variable, step),)))
            change = None if case.npv.value is None or base is None else case.npv.value - base
            rows.append(
                SensitivityRow(variable=variable, change_pct=float(step), npv=case.npv, npv_change=change, irr=case.irr)
            )
    return rows


def switching_values(*, inputs: ModelInputs, discount_rate: Decimal | None = None) -> dict[str, Indicator]:
    """Percentage change of each variable, alone, that brings project NPV to zero: the margin of safety.

    Price, volume, capex and opex are solved by Illinois regula falsi inside SWITCHING_BRACKET (NPV is piecewise
    linear in them, kinked only by the loss carry-forward, so this converges in a few steps); the discount rate
    switches at the project IRR, so its value is IRR / rate - 1 without any search.
    """
    return _switching(_Evaluator(model=prepare(inputs=inputs, discount_rate=discount_rate)))


def _switching(evaluator: _Evaluator) -> dict[str, Indicator]:
    base = evaluator.evaluate(_multipliers(()))
    scale = sum(abs(value) for value in base.flows) or 1.0
    result = {}
    for index, variable in enumerate(VARIABLES[:4]):

        def npv_at(pct: float, index: int = index) -> float:
            """NPV with only this variable flexed, the function whose root is the switching value."""
            key = tuple(1 + pct / 100 if position == index else 1.0 for position in range(4))
            return evaluator.npv_only(key)

        result[variable] = _switch(npv_at=npv_at, base=base.npv.value, tolerance=scale * 1e-12)
    result["discount_rate"] = _rate_switch(base_irr=base.irr, rate=evaluator.rate)
    return result


SECANT_PROBE = 10.0


def _switch(*, npv_at: Callable[[float], float], base: float, tolerance: float) -> Indicator:
    """Try the secant through the base and a +10% probe first: NPV is linear in each variable between the kinks of
    the loss carry-forward, so this usually lands on the root in two evaluations. Otherwise find the bracket
    [low, 0] or [0, high] where NPV changes sign and solve inside it."""
    if abs(base) <= tolerance:
        return Indicator(0.0)
    low, high = SWITCHING_BRACKET
    at_probe = npv_at(SECANT_PROBE)
    guess = -base * SECANT_PROBE / (at_probe - base) if at_probe != base else None
    if guess is not None and low < guess < high:
        at_guess = npv_at(guess)
        if abs(at_guess) <= tolerance:
            return Indicator(guess)
        if (at_guess > 0) != (base > 0):
            return Indicator(_illinois(npv_at, 0.0, base, guess, at_guess, tolerance))
    at_low = npv_at(low)
    if (at_low > 0) != (base > 0):
        return Indicator(_illinois(npv_at, low, at_low, 0.0, base, tolerance))
    at_high = npv_at(high)
    if (at_high > 0) != (base > 0):
        return Indicator(_illinois(npv_at, 0.0, base, high, at_high, tolerance))
    return Indicator(None, f"NPV keeps its sign for every change between {low:g}% and +{high:g}%")


def _illinois(func: Callable[[float], float], a: float, fa: float, b: float, fb: float, tolerance: float) -> float:
    """Regula falsi with the Illinois fix (halve the stale end's value), superlinear and always bracketed."""
    side = 0
    c = a
    for _ in range(200):
        c = (a * fb - b * fa) / (fb - fa)
        fc = func(c)
        if abs(fc) <= tolerance or abs(b - a) <= 1e-12 * (1 + abs(c)):
            return c
        if (fc > 0) == (fb > 0):
            b, fb = c, fc
            if side == -1:
                fa /= 2
            side = -1
        else:
            a, fa = c, fc
            if side == 1:
                fb /= 2
            side = 1
    return c


def _rate_switch(*, base_irr: Indicator, rate: float) -> Indicator:
    """The discount rate brings NPV to zero exactly at the IRR, so the switching value is IRR / rate - 1."""
    if base_irr.value is None:
        return Indicator(None, f"no discount rate makes NPV zero: {base_irr.reason}")
    if rate == 0:
        return Indicator(None, "the base discount rate is zero, so no percentage change of it reaches the IRR")
    pct = (base_irr.value / rate - 1) * 100
    low, high = SWITCHING_BRACKET
    if not low <= pct <= high:
        return Indicator(None, f"the IRR lies outside {low:g}%..+{high:g}% of the discount rate")
    return Indicator(pct, None, base_irr.note)


def scenarios(
    *, inputs: ModelInputs, discount_rate: Decimal | None = None, definitions: Iterable[Scenario] = DEFAULT_SCENARIOS
) -> list[ScenarioResult]:
    """NPV, project IRR and payback of named scenarios, so investors see a range rather than one point estimate."""
    return _scenarios(_Evaluator(model=prepare(inputs=inputs, discount_rate=discount_rate)), definitions)


def _scenarios(evaluator: _Evaluator, definitions: Iterable[Scenario]) -> list[ScenarioResult]:
    results = []
    for scenario in definitions:
        case = evaluator.evaluate(_multipliers(scenario.changes))
        results.append(
            ScenarioResult(
                name=scenario.name,
                changes=scenario.changes,
                npv=case.npv,
                irr=case.irr,
                payback=payback(flows=case.flows),
            )
        )
    return results


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    """An appraisal with its tornado, switching values and scenarios, all at one discount rate and in one currency."""

    appraisal: Appraisal
    tornado: list[SensitivityRow]
    switching: dict[str, Indicator]
    scenarios: list[ScenarioResult]


def analyse(
    *,
    inputs: ModelInputs,
    discount_rate: Decimal | None = None,
    fx_rate: Decimal | None = None,
    steps: Iterable[float] = DEFAULT_STEPS,
    definitions: Iterable[Scenario] = DEFAULT_SCENARIOS,
) -> Analysis:
    """Everything an investor sees, from one validation and one prepared model sharing one IRR cache.

    Amounts (NPVs and their changes) are multiplied by ``fx_rate`` like :func:`engine.appraise` does; rates,
    percentages and paybacks do not depend on the currency.
    """
    raise_if_invalid(inputs=inputs, discount_rate=discount_rate, fx_rate=fx_rate)
    evaluator = _Evaluator(model=build(inputs=inputs, discount_rate=discount_rate))
    base = evaluator.evaluate(_multipliers(()))
    appraisal = appraise_prepared(inputs=inputs, model=evaluator.model, fx_rate=fx_rate, project_irr=base.irr)
    rows, switching, results = _tornado(evaluator, steps), _switching(evaluator), _scenarios(evaluator, definitions)
    if fx_rate is not None and fx_rate != 1:
        fx = float(fx_rate)
        rows = [
            replace(row, npv=_times(row.npv, fx), npv_change=None if row.npv_change is None else row.npv_change * fx)
            for row in rows
        ]
        results = [replace(result, npv=_times(result.npv, fx)) for result in results]
    return Analysis(appraisal=appraisal, tornado=rows, switching=switching, scenarios=results)


def _times(indicator: Indicator, factor: float) -> Indicator:
    return indicator if indicator.value is None else replace(indicator, value=indicator.value * factor)


def flex_inputs(*, inputs: ModelInputs, changes: Mapping[str, float]) -> ModelInputs:
    """Apply percentage changes to the Decimal inputs, so a sensitivity case can be stored or fully re-appraised.

    Flexing here and calling ``appraise`` gives the same NPV as the fast path of this module.
    """
    price, volume, capex, opex, rate = (Decimal(repr(factor)) for factor in _multipliers(changes.items()))
    years = tuple(_flex_line(line, price=price, volume=volume, capex=capex, opex=opex) for line in inputs.years)
    return replace(inputs, years=years, discount_rate=inputs.discount_rate * rate)


def _scaled(value: Decimal | None, factor: Decimal) -> Decimal | None:
    return None if value is None else value * factor


def _flex_line(line: YearLine, *, price: Decimal, volume: Decimal, capex: Decimal, opex: Decimal) -> YearLine:
    return replace(
        line,
        fixed_investment=line.fixed_investment * capex,
        pre_production=line.pre_production * capex,
        working_capital=line.working_capital * capex,
        production_volume=_scaled(line.production_volume, volume),
        unit_price=_scaled(line.unit_price, price),
        revenue=line.revenue * price * volume,
        variable_cost_per_unit=line.variable_cost_per_unit * opex,
        fixed_operating_cost=line.fixed_operating_cost * opex,
        operating_cost=_scaled(line.operating_cost, opex),
    )
