"""Sensitivity analysis on the appraisal engine: tornado table, switching values and named scenarios.

A change of ``+10`` means the variable is 110% of its base value.  Variables: ``price`` (revenue per unit, or revenue
when no volume is given), ``volume`` (revenue and variable cost), ``capex`` (fixed investment, pre-production costs
and working capital, hence depreciation), ``opex`` (all operating cost) and ``discount_rate`` (relative, so +10 turns
12% into 13.2%).  Loans are never flexed: NPV and IRR here are project (unlevered) figures.

Fast path: the inputs are validated and converted to float components once (:func:`engine.prepare`); then every case
a call needs (tornado, scenarios, the switching-value probes) is one row of a (cases x years) matrix of project flows
computed in a few numpy operations (:meth:`engine.FlowModel.case_flows`). NPVs are the matrix times the discount
factors; sign changes and the scaling pyxirr needs are counted for all rows at once, and each distinct set of flows
goes to ``pyxirr.irr`` exactly once. Switching values run the per-variable root search of all four variables in
lock-step, so that each step is one batched evaluation.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .engine import Appraisal, FlowModel, appraise_prepared, build, discount_factor_array, prepare, raise_if_invalid
from .indicators import Indicator, irr_rows, payback, scaled_for_irr, sign_change_counts
from .inputs import InvalidInputs, ModelInputs, YearLine

VARIABLES = ("price", "volume", "capex", "opex", "discount_rate")
DEFAULT_STEPS = (-30, -20, -10, 10, 20, 30)
SWITCHING_BRACKET = (-99.0, 1000.0)

Changes = tuple[tuple[str, float], ...]


class SensitivityRow(NamedTuple):
    """One tornado case: NPV (and its change from the base) and project IRR after flexing one variable.

    A named tuple like :class:`Indicator`, for the same reason: a tornado builds thirty of them per request.
    """

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


class ScenarioResult(NamedTuple):
    """Outcome of one scenario: project NPV, project IRR and simple payback (a named tuple, like the rows)."""

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


Key = tuple[float, float, float, float]  # price, volume, capex, opex multipliers
BASE: Key = (1.0, 1.0, 1.0, 1.0)


def _flexed(index: int, pct: float) -> Key:
    """The key with one of the four flow variables changed by pct percent."""
    key = list(BASE)
    key[index] = 1 + pct / 100
    return tuple(key)


class _Cases:
    """The cases of one prepared model: flows, NPVs at the base rate and IRRs, each computed once per key."""

    def __init__(self, *, model: FlowModel) -> None:
        self.model = model
        self.rate = model.discount_rate
        self.factors = discount_factor_array(rate=self.rate, count=model.horizon)
        self.npvs: dict[Key, float] = {}
        self.flows: dict[Key, list[float]] = {}
        self.irrs: dict[Key, Indicator] = {}

    def solve(self, keys: Iterable[Key], *, with_irr: bool) -> None:
        """Flows and NPV (and, when asked, IRR) of every key not yet known, in one batch."""
        known = self.irrs if with_irr else self.npvs
        wanted = [key for key in dict.fromkeys(keys) if key not in known]
        if not wanted:
            return
        flows = self.model.case_flows(np.array(wanted))
        # A row-wise reduction rather than a matrix product: its rounding never depends on how many rows the batch
        # has, so analyse() and the separate calls give the same figures to the last bit.
        self.npvs.update(zip(wanted, np.add.reduce(flows * self.factors, axis=1).tolist(), strict=True))
        if with_irr:
            lists = flows.tolist()
            self.flows.update(zip(wanted, lists, strict=True))
            scaled = scaled_for_irr(flows)
            rows = lists if scaled is flows else scaled.tolist()
            found = irr_rows(rows=rows, changes=sign_change_counts(flows).tolist())
            self.irrs.update(zip(wanted, found, strict=True))

    def npvs_at(self, cases: list[tuple[Key, float]], fx: float) -> list[Indicator]:
        """NPVs (times fx) of solved keys at the base rate times a multiplier; the flexed rates in one batch."""
        values = [self.npvs[key] if rate == 1.0 else None for key, rate in cases]
        flexed = [index for index, (_, rate) in enumerate(cases) if rate != 1.0 and self.rate * rate > -1]
        if flexed:
            rates = np.array([self.rate * cases[index][1] for index in flexed])
            factors = (1.0 / (1.0 + rates))[:, None] ** np.arange(self.model.horizon)
            flows = np.array([self.flows[cases[index][0]] for index in flexed])
            for index, value in zip(flexed, np.add.reduce(flows * factors, axis=1).tolist(), strict=True):
                values[index] = value
        return [_FLEXED_TOO_FAR if value is None else Indicator(value * fx if fx != 1.0 else value) for value in values]


_FLEXED_TOO_FAR = Indicator(None, "the flexed discount rate is at or below -100%")


@lru_cache(maxsize=64)
def _tornado_layout(steps: tuple[float, ...]) -> tuple[tuple[str, float, Key, float], ...]:
    """(variable, step, key, rate multiplier) of each tornado row, in the order of the rows."""
    steps = tuple(float(step) for step in steps)
    for step in steps:
        if not step > -100:
            raise InvalidInputs([(f"changes.{VARIABLES[0]}", "a change must be greater than -100%")])
    flexed = enumerate(VARIABLES[:4])
    rows = [(variable, step, _flexed(index, step), 1.0) for index, variable in flexed for step in steps]
    return tuple(rows + [(VARIABLES[4], step, BASE, 1 + step / 100) for step in steps])


def _tornado_cases(steps: Iterable[float]) -> tuple[tuple[str, float, Key, float], ...]:
    return _tornado_layout(tuple(steps))


@lru_cache(maxsize=256)
def _scenario_layout(definitions: tuple[Scenario, ...]) -> tuple[tuple[Scenario, Key, float], ...]:
    cases = []
    for scenario in definitions:
        *key, rate = _multipliers(scenario.changes)
        cases.append((scenario, tuple(key), rate))
    return tuple(cases)


def _scenario_cases(definitions: Iterable[Scenario]) -> tuple[tuple[Scenario, Key, float], ...]:
    """(scenario, key, rate multiplier) per scenario; the layout of the same definitions is computed once."""
    definitions = tuple(definitions)
    try:
        return _scenario_layout(definitions)
    except TypeError:  # a scenario whose changes are not hashable (a list): no caching
        return _scenario_layout.__wrapped__(definitions)


def tornado(
    *, inputs: ModelInputs, discount_rate: Decimal | None = None, steps: Iterable[float] = DEFAULT_STEPS
) -> list[SensitivityRow]:
    """NPV and project IRR for each variable flexed by each step (in %), to show which assumption matters most."""
    cases = _tornado_cases(steps)
    solver = _Cases(model=prepare(inputs=inputs, discount_rate=discount_rate))
    solver.solve([BASE, *(key for _, _, key, _ in cases)], with_irr=True)
    return _tornado(solver, cases, 1.0)


def _tornado(solver: _Cases, cases: Iterable[tuple[str, float, Key, float]], fx: float) -> list[SensitivityRow]:
    """The rows from solved cases; amounts are multiplied by fx (display currency) as the last step."""
    base, irrs = solver.npvs[BASE], solver.irrs
    npvs = solver.npvs_at([(key, rate) for _, _, key, rate in cases], 1.0)
    rows = []
    for (variable, step, key, _), npv in zip(cases, npvs, strict=True):
        value = npv.value
        change = None if value is None else value - base
        if fx != 1.0 and value is not None:
            npv, change = Indicator(value * fx), change * fx
        rows.append(SensitivityRow(variable, step, npv, change, irrs[key]))
    return rows


def switching_values(*, inputs: ModelInputs, discount_rate: Decimal | None = None) -> dict[str, Indicator]:
    """Percentage change of each variable, alone, that brings project NPV to zero: the margin of safety.

    Price, volume, capex and opex are solved by Illinois regula falsi inside SWITCHING_BRACKET (NPV is piecewise
    linear in them, kinked only by the loss carry-forward, so this converges in a few steps); the discount rate
    switches at the project IRR, so its value is IRR / rate - 1 without any search.
    """
    solver = _Cases(model=prepare(inputs=inputs, discount_rate=discount_rate))
    solver.solve([BASE], with_irr=True)
    solver.solve(_PROBES, with_irr=False)
    return _switching(solver)


SECANT_PROBE = 10.0
_PROBES = [_flexed(index, SECANT_PROBE) for index in range(4)]


def _switching(solver: _Cases) -> dict[str, Indicator]:
    """Drive the four root searches together: every round evaluates all their pending points in one batch.

    The first round (the +10% probes, which a tornado usually has already) is solved like any case; the later
    rounds, inside the root search only, use the cheaper one-variable form of :class:`_Lines`.
    """
    base = solver.npvs[BASE]
    tolerance = sum(map(abs, solver.flows[BASE])) * 1e-12 or 1e-12
    searches = {index: _switch(base=base, tolerance=tolerance) for index in range(4)}
    found: dict[int, Indicator] = {}
    pending = {index: _advance(search, None, found, index) for index, search in searches.items()}
    keys = {index: _flexed(index, pct) for index, pct in pending.items() if pct is not None}
    solver.solve(keys.values(), with_irr=False)
    pending = {index: _advance(searches[index], solver.npvs[key], found, index) for index, key in keys.items()}
    lines = _Lines(solver) if any(pct is not None for pct in pending.values()) else None
    while pending := {index: pct for index, pct in pending.items() if pct is not None}:
        values = lines.npvs(list(pending.items()))
        answers = zip(pending, values, strict=True)
        pending = {index: _advance(searches[index], value, found, index) for index, value in answers}
    result = {variable: found[index] for index, variable in enumerate(VARIABLES[:4])}
    result["discount_rate"] = _rate_switch(base_irr=solver.irrs[BASE], rate=solver.rate)
    return result


class _Lines:
    """Project NPV along each variable alone, NPV(m) = a + (m - 1) d + k c - t (M . g): the root search's form.

    With one variable flexed, EBIT is the base EBIT plus (m - 1) times that variable's direction (revenue, revenue
    less variable cost, minus depreciation, minus operating cost); its discounted sum is two precomputed numbers.
    Tax is t times the increments of M, the running maximum of max(0, cumulative EBIT), so its present value is
    M . g with g_t = f_t - f_(t+1): each round is a cumulative sum shifted, two maxima and one reduction.
    """

    def __init__(self, solver: _Cases) -> None:
        m, factors = solver.model, solver.factors
        operating = m.variable_cost + m.fixed_cost
        ebit = m.revenue - operating - m.depreciation
        directions = np.array([m.revenue, m.revenue - m.variable_cost, -m.depreciation, -operating])
        self.cumulative, self.directions = ebit.cumsum(), directions.cumsum(axis=1)
        self.weights = factors.copy()
        self.weights[:-1] -= factors[1:]
        self.at_base = float(np.add.reduce(ebit * factors))
        self.slopes = np.add.reduce(directions * factors, axis=1).tolist()
        self.capital = float(np.add.reduce((m.depreciation - m.outlay) * factors))
        self.tax_rate = m.tax_rate

    def npvs(self, points: list[tuple[int, float]]) -> list[float]:
        """NPV for each (variable index, % change) point, all in one batch."""
        changes = [pct / 100 for _, pct in points]
        taxed = self.cumulative + np.array(changes)[:, None] * self.directions[[index for index, _ in points]]
        np.maximum(taxed, 0.0, out=taxed)
        np.maximum.accumulate(taxed, axis=1, out=taxed)
        taxes = np.add.reduce(taxed * self.weights, axis=1).tolist()
        return [
            self.at_base
            + change * self.slopes[index]
            + (1 + change if index == 2 else 1.0) * self.capital
            - tax * self.tax_rate
            for (index, _), change, tax in zip(points, changes, taxes, strict=True)
        ]


def _advance(search: Generator, value: float | None, found: dict[int, Indicator], index: int) -> float | None:
    """Send a search the NPV it asked for; the next percentage it wants, or None once it has its answer."""
    try:
        return next(search) if value is None else search.send(value)
    except StopIteration as stop:
        found[index] = stop.value
        return None


Search = Generator[float, float, Indicator]


def _switch(*, base: float, tolerance: float) -> Search:
    """Yields the percentage changes whose NPV it needs and returns the switching value.

    Try the secant through the base and a +10% probe first: NPV is linear in each variable between the kinks of
    the loss carry-forward, so this usually lands on the root in two evaluations. Otherwise find the bracket
    [low, 0] or [0, high] where NPV changes sign and solve inside it."""
    if abs(base) <= tolerance:
        return Indicator(0.0)
    low, high = SWITCHING_BRACKET
    at_probe = yield SECANT_PROBE
    guess = -base * SECANT_PROBE / (at_probe - base) if at_probe != base else None
    if guess is not None and low < guess < high:
        at_guess = yield guess
        if abs(at_guess) <= tolerance:
            return Indicator(guess)
        if (at_guess > 0) != (base > 0):
            return Indicator((yield from _illinois(0.0, base, guess, at_guess, tolerance)))
    at_low = yield low
    if (at_low > 0) != (base > 0):
        return Indicator((yield from _illinois(low, at_low, 0.0, base, tolerance)))
    at_high = yield high
    if (at_high > 0) != (base > 0):
        return Indicator((yield from _illinois(0.0, base, high, at_high, tolerance)))
    return Indicator(None, f"NPV keeps its sign for every change between {low:g}% and +{high:g}%")


def _illinois(a: float, fa: float, b: float, fb: float, tolerance: float) -> Generator[float, float, float]:
    """Regula falsi with the Illinois fix (halve the stale end's value), superlinear and always bracketed."""
    side = 0
    c = a
    for _ in range(200):
        c = (a * fb - b * fa) / (fb - fa)
        fc = yield c
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
    cases = _scenario_cases(definitions)
    solver = _Cases(model=prepare(inputs=inputs, discount_rate=discount_rate))
    solver.solve([key for _, key, _ in cases], with_irr=True)
    return _scenarios(solver, cases, 1.0)


def _scenarios(solver: _Cases, cases: Iterable[tuple[Scenario, Key, float]], fx: float) -> list[ScenarioResult]:
    npvs = solver.npvs_at([(key, rate) for _, key, rate in cases], fx)
    return [
        ScenarioResult(scenario.name, scenario.changes, npv, solver.irrs[key], payback(flows=solver.flows[key]))
        for (scenario, key, _), npv in zip(cases, npvs, strict=True)
    ]


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
    constant_prices: bool = False,
) -> Analysis:
    """Everything an investor sees, from one validation, one prepared model and one batch of cases.

    Amounts (NPVs and their changes) are multiplied by ``fx_rate`` like :func:`engine.appraise` does; rates,
    percentages and paybacks do not depend on the currency. ``constant_prices`` is :func:`engine.appraise`'s: every
    case's flows are deflated, so the tornado, switching values and scenarios are at constant prices too.
    """
    reading = raise_if_invalid(inputs=inputs, discount_rate=discount_rate, fx_rate=fx_rate)
    rows, named = _tornado_cases(steps), _scenario_cases(definitions)
    model = build(inputs=inputs, discount_rate=discount_rate, reading=reading, constant_prices=constant_prices)
    solver = _Cases(model=model)
    solver.solve([BASE, *(key for _, _, key, _ in rows), *(key for _, key, _ in named)], with_irr=True)
    solver.solve(_PROBES, with_irr=False)
    appraisal = appraise_prepared(
        inputs=inputs, model=solver.model, fx_rate=fx_rate, project_irr=solver.irrs[BASE], reading=reading
    )
    fx = 1.0 if fx_rate is None else float(fx_rate)
    return Analysis(
        appraisal=appraisal,
        tornado=_tornado(solver, rows, fx),
        switching=_switching(solver),
        scenarios=_scenarios(solver, named, fx),
    )


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
