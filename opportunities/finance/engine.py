"""COMFAR-style financial appraisal engine: inputs, yearly statement and indicators (pure Python, no Django).

Money enters as ``Decimal`` (exact, hashable, round-trips from storage) and is converted to ``float`` once in
:func:`prepare`; every statement and indicator is then computed in float, which keeps a full appraisal plus
sensitivity analysis in the sub-millisecond range.

Conventions:

* Timing: model year ``t`` (0-based, calendar year ``base_year + t``) and every flow falls at the end of its year.
  NPV = sum(CF_t / (1 + r) ** t for t = 0..n): year 0 is **not** discounted.  This is the numpy / ``pyxirr.npv``
  convention (checked: ``pyxirr.npv(0.1, [-10000, 3000, 4200, 6800])`` = 1307.29 = Excel ``NPV(10%, 3000, 4200,
  6800) - 10000``); Excel's ``NPV()`` alone starts discounting at t = 1.
* Depreciation: fixed investment straight-line over ``useful_life_years`` and pre-production costs over
  ``amortisation_years``, starting the year after the outlay; charges beyond the horizon are dropped and no residual
  value is credited.
* Working capital: ``YearLine.working_capital`` is the balance required at the end of that year (missing years
  count as zero); the increase is an investment and, when ``recover_working_capital``, the balance is released in
  the final year.
* Tax: ``tax_rate`` times profit after losses carried forward without time limit; tax is never negative.  Project
  flows are taxed on EBIT (unlevered), the income statement and equity flows on EBT.
* Loans: drawn in full at the end of ``drawdown_year``; interest-only for ``grace_years``, then equal annual
  instalments (annuity) until ``tenor_years`` (which includes the grace) after the drawdown; they must be repaid
  inside the horizon.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from itertools import pairwise

import pyxirr

ENGINE_VERSION = "1.0.0"
MAX_HORIZON_YEARS = 40
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True, kw_only=True)
class YearLine:
    """Inputs of one model year, kept in Decimal so that stored models round-trip and hash exactly.

    Revenue is ``production_volume * unit_price`` when both are given, else ``revenue``.  Operating cost is
    ``production_volume * variable_cost_per_unit + fixed_operating_cost``, or the direct total ``operating_cost``.
    """

    year_index: int
    fixed_investment: Decimal = ZERO
    pre_production: Decimal = ZERO
    working_capital: Decimal = ZERO
    production_volume: Decimal | None = None
    unit_price: Decimal | None = None
    revenue: Decimal = ZERO
    variable_cost_per_unit: Decimal = ZERO
    fixed_operating_cost: Decimal = ZERO
    operating_cost: Decimal | None = None
    equity: Decimal = ZERO


@dataclass(frozen=True, slots=True, kw_only=True)
class Loan:
    """A term loan: interest-only during the grace years, then an annuity until the tenor ends."""

    amount: Decimal
    annual_rate: Decimal
    tenor_years: int
    grace_years: int = 0
    drawdown_year: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelInputs:
    """Everything an appraisal depends on; the SHA-256 of its canonical JSON identifies a model version."""

    currency: str
    base_year: int
    horizon_years: int
    discount_rate: Decimal
    tax_rate: Decimal
    useful_life_years: int
    years: tuple[YearLine, ...] = ()
    loans: tuple[Loan, ...] = ()
    reinvestment_rate: Decimal | None = None
    capacity_volume: Decimal | None = None
    amortisation_years: int = 5
    recover_working_capital: bool = True


class InvalidInputs(ValueError):
    """Raised by appraise() so that callers get every (field, message) problem at once instead of bad numbers."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Indicator:
    """A computed figure, or None with a reason: an indicator that does not exist must never read as zero."""

    value: float | None
    reason: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class YearResult:
    """One year of the statement, in the display currency (model currency times ``fx_rate``)."""

    year_index: int
    year: int
    revenue: float
    operating_cost: float
    ebitda: float
    depreciation: float
    ebit: float
    interest: float
    ebt: float
    tax: float
    net_income: float
    investment: float
    working_capital_change: float
    loan_drawdown: float
    principal_repayment: float
    debt_service: float
    cfads: float
    project_fcf: float
    equity_fcf: float
    equity_contribution: float
    cash_surplus: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicators:
    """Headline indicators; a missing value always comes with a reason instead of a misleading zero."""

    npv: Indicator
    project_irr: Indicator
    equity_irr: Indicator
    mirr: Indicator
    payback: Indicator
    discounted_payback: Indicator
    profitability_index: Indicator
    break_even: Indicator
    min_dscr: Indicator
    avg_dscr: Indicator


@dataclass(frozen=True, slots=True, kw_only=True)
class Appraisal:
    """Result of :func:`appraise`, stamped with engine version and inputs hash so stored results are traceable."""

    engine_version: str
    inputs_hash: str
    currency: str
    fx_rate: Decimal
    discount_rate: float
    years: tuple[YearResult, ...]
    indicators: Indicators


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowModel:
    """Float view of validated inputs: the yearly components from which every cash flow is rebuilt cheaply.

    Sensitivity analysis flexes these components with multipliers instead of rebuilding the inputs.
    """

    horizon: int
    tax_rate: float
    discount_rate: float
    reinvestment_rate: float
    revenue: tuple[float, ...]
    variable_cost: tuple[float, ...]
    fixed_cost: tuple[float, ...]
    direct_opex: tuple[bool, ...]
    volume: tuple[float | None, ...]
    capacity: float | None
    investment: tuple[float, ...]
    working_capital_change: tuple[float, ...]
    outlay: tuple[float, ...]
    depreciation: tuple[float, ...]
    equity: tuple[float, ...]
    drawdown: tuple[float, ...]
    interest: tuple[float, ...]
    principal: tuple[float, ...]
    has_loans: bool

    def project_flows(
        self, *, price: float = 1.0, volume: float = 1.0, capex: float = 1.0, opex: float = 1.0
    ) -> list[float]:
        """Unlevered free cash flow per year, EBIT*(1-t)+D&A-investment-dWC with loss carry-forward, for any flex.

        Multipliers: ``price`` scales revenue; ``volume`` scales revenue and variable cost; ``capex`` scales all
        investment (fixed, pre-production, working capital) and hence depreciation; ``opex`` scales operating cost.
        """
        sales = price * volume
        ebit = [
            rev * sales - (var * volume + fix) * opex - dep * capex
            for rev, var, fix, dep in zip(
                self.revenue, self.variable_cost, self.fixed_cost, self.depreciation, strict=True
            )
        ]
        taxes = carried_forward_tax(profits=ebit, rate=self.tax_rate)
        return [e - x + (d - o) * capex for e, x, d, o in zip(ebit, taxes, self.depreciation, self.outlay, strict=True)]


def carried_forward_tax(*, profits: Sequence[float], rate: float) -> list[float]:
    """Tax per year on profit net of earlier losses (carried forward indefinitely), so tax is never negative."""
    losses = 0.0
    taxes = []
    for profit in profits:
        if profit <= losses:
            losses -= profit
            taxes.append(0.0)
        else:
            taxes.append((profit - losses) * rate)
            losses = 0.0
    return taxes


def _is_number(value: object) -> bool:
    return isinstance(value, Decimal) and value.is_finite()


def _check_model(inputs: ModelInputs) -> list[tuple[str, str]]:
    errors = []
    currency = inputs.currency
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha() and currency.isupper()):
        errors.append(("currency", "must be a three-letter ISO 4217 code such as USD or IRR"))
    if not 1 <= inputs.horizon_years <= MAX_HORIZON_YEARS:
        errors.append(("horizon_years", f"must be between 1 and {MAX_HORIZON_YEARS} years"))
    for name in ("discount_rate", "reinvestment_rate"):
        rate = getattr(inputs, name)
        if (rate is not None or name == "discount_rate") and not (_is_number(rate) and rate > -1):
            errors.append((name, "must be a Decimal fraction greater than -1 (-100%)"))
    if not (_is_number(inputs.tax_rate) and 0 <= inputs.tax_rate <= 1):
        errors.append(("tax_rate", "must be a Decimal fraction between 0 and 1"))
    for name in ("useful_life_years", "amortisation_years"):
        if getattr(inputs, name) < 1:
            errors.append((name, "must be at least one year"))
    if inputs.capacity_volume is not None and not (_is_number(inputs.capacity_volume) and inputs.capacity_volume > 0):
        errors.append(("capacity_volume", "must be a positive Decimal"))
    return errors


_AMOUNTS = (
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
)


def _check_line(line: YearLine, prefix: str) -> list[tuple[str, str]]:
    errors = []
    for name in _AMOUNTS:
        value = getattr(line, name)
        if value is not None and not (_is_number(value) and value >= 0):
            errors.append((f"{prefix}.{name}", "must be a finite, non-negative Decimal"))
    has_volume, has_price = line.production_volume is not None, line.unit_price is not None
    if has_price and not has_volume:
        errors.append((f"{prefix}.unit_price", "needs production_volume"))
    if has_price and has_volume and line.revenue:
        errors.append((f"{prefix}.revenue", "give either revenue or production_volume and unit_price, not both"))
    if line.variable_cost_per_unit and not has_volume:
        errors.append((f"{prefix}.variable_cost_per_unit", "needs production_volume"))
    if line.operating_cost is not None and (line.variable_cost_per_unit or line.fixed_operating_cost):
        errors.append((f"{prefix}.operating_cost", "give either operating_cost or its variable and fixed parts"))
    return errors


def _check_loan(loan: Loan, prefix: str, horizon: int) -> list[tuple[str, str]]:
    errors = []
    if not (_is_number(loan.amount) and loan.amount > 0):
        errors.append((f"{prefix}.amount", "must be a positive Decimal"))
    if not (_is_number(loan.annual_rate) and loan.annual_rate >= 0):
        errors.append((f"{prefix}.annual_rate", "must be a non-negative Decimal fraction"))
    if loan.grace_years < 0:
        errors.append((f"{prefix}.grace_years", "must not be negative"))
    if loan.tenor_years <= max(loan.grace_years, 0):
        errors.append((f"{prefix}.tenor_years", "must be longer than the grace period"))
    elif not 0 <= loan.drawdown_year < horizon:
        errors.append((f"{prefix}.drawdown_year", f"must lie in the horizon 0..{horizon - 1}"))
    elif loan.drawdown_year + loan.tenor_years > horizon - 1:
        errors.append((f"{prefix}.tenor_years", "the loan would run past the end of the horizon"))
    return errors


def validate(*, inputs: ModelInputs) -> list[tuple[str, str]]:
    """List every (field, message) problem so a form can show them all; an empty list means appraise() may run."""
    errors = _check_model(inputs)
    horizon, seen = inputs.horizon_years, set()
    known = 1 <= horizon <= MAX_HORIZON_YEARS  # otherwise every year and loan would be reported as well
    for position, line in enumerate(inputs.years):
        prefix = f"years[{position}]"
        if known and not 0 <= line.year_index < horizon:
            errors.append((f"{prefix}.year_index", f"year {line.year_index} is outside the horizon 0..{horizon - 1}"))
        elif line.year_index in seen:
            errors.append((f"{prefix}.year_index", f"year {line.year_index} is given more than once"))
        seen.add(line.year_index)
        errors.extend(_check_line(line, prefix))
    for position, loan in enumerate(inputs.loans):
        errors.extend(_check_loan(loan, f"loans[{position}]", horizon if known else MAX_HORIZON_YEARS))
    return errors


def inputs_hash(*, inputs: ModelInputs) -> str:
    """SHA-256 of canonical JSON (sorted keys, normalised Decimal strings, years sorted) so equal models match."""
    payload = _canonical(inputs)
    payload["years"].sort(key=lambda line: line["year_index"])
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _canonical(value: object) -> object:
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        return "0" if value == 0 else format(value.normalize(), "f")
    names = _FIELD_NAMES.get(type(value))
    if names is not None:
        return {name: _canonical(getattr(value, name)) for name in names}
    if isinstance(value, (tuple, list)):
        return [_canonical(item) for item in value]
    return value


_FIELD_NAMES = {cls: tuple(item.name for item in fields(cls)) for cls in (YearLine, Loan, ModelInputs)}


def _num(value: Decimal | None) -> float:
    return 0.0 if value is None else float(value)


def _line_amounts(line: YearLine | None) -> tuple[float, float, float, bool, float | None]:
    """Revenue, variable cost, fixed cost, direct-opex flag and volume of one year (zeros for a missing year)."""
    if line is None:
        return 0.0, 0.0, 0.0, False, None
    volume = None if line.production_volume is None else float(line.production_volume)
    if volume is not None and line.unit_price is not None:
        revenue = volume * float(line.unit_price)
    else:
        revenue = float(line.revenue)
    if line.operating_cost is not None:
        return revenue, 0.0, float(line.operating_cost), True, volume
    variable = (volume or 0.0) * float(line.variable_cost_per_unit)
    return revenue, variable, float(line.fixed_operating_cost), False, volume


def _straight_line(*, amounts: Sequence[float], life: int, horizon: int) -> list[float]:
    charges = [0.0] * horizon
    for start, amount in enumerate(amounts):
        if amount:
            for year in range(start + 1, min(start + life, horizon - 1) + 1):
                charges[year] += amount / life
    return charges


def _working_capital_changes(*, levels: Sequence[float], recover: bool) -> list[float]:
    changes = [level - previous for previous, level in zip([0.0, *levels[:-1]], levels, strict=True)]
    if recover:
        changes[-1] -= levels[-1]
    return changes


def _loan_schedule(*, loans: Sequence[Loan], horizon: int) -> tuple[list[float], list[float], list[float]]:
    """Drawdowns, interest and principal per year, summed over loans (annuity after interest-only grace)."""
    drawdown, interest, principal = [0.0] * horizon, [0.0] * horizon, [0.0] * horizon
    for loan in loans:
        balance, rate = float(loan.amount), float(loan.annual_rate)
        drawdown[loan.drawdown_year] += balance
        periods = loan.tenor_years - loan.grace_years
        instalment = balance / periods if rate == 0 else balance * rate / (1 - (1 + rate) ** -periods)
        for k in range(1, loan.tenor_years + 1):
            year = loan.drawdown_year + k
            charge = balance * rate
            repaid = balance if k == loan.tenor_years else (0.0 if k <= loan.grace_years else instalment - charge)
            interest[year] += charge
            principal[year] += repaid
            balance -= repaid
    return drawdown, interest, principal


def _raise_if_invalid(*, inputs: ModelInputs, discount_rate: Decimal | None, fx_rate: Decimal | None = None) -> None:
    errors = validate(inputs=inputs)
    if discount_rate is not None and not (_is_number(discount_rate) and discount_rate > -1):
        errors.append(("discount_rate", "must be a Decimal fraction greater than -1 (-100%)"))
    if fx_rate is not None and not (_is_number(fx_rate) and fx_rate > 0):
        errors.append(("fx_rate", "must be a positive Decimal"))
    if errors:
        raise InvalidInputs(errors)


def prepare(*, inputs: ModelInputs, discount_rate: Decimal | None = None) -> FlowModel:
    """Validate once and convert the Decimal inputs to float components that all later arithmetic reuses."""
    _raise_if_invalid(inputs=inputs, discount_rate=discount_rate)
    return _build(inputs=inputs, discount_rate=discount_rate)


def _build(*, inputs: ModelInputs, discount_rate: Decimal | None) -> FlowModel:
    horizon = inputs.horizon_years
    lines = {line.year_index: line for line in inputs.years}
    rows = [lines.get(year) for year in range(horizon)]
    revenue, variable, fixed, direct, volume = zip(*(_line_amounts(line) for line in rows), strict=True)
    investment = [_num(row and row.fixed_investment) for row in rows]
    pre_production = [_num(row and row.pre_production) for row in rows]
    levels = [_num(row and row.working_capital) for row in rows]
    wc_change = _working_capital_changes(levels=levels, recover=inputs.recover_working_capital)
    fixed_dep = _straight_line(amounts=investment, life=inputs.useful_life_years, horizon=horizon)
    amortisation = _straight_line(amounts=pre_production, life=inputs.amortisation_years, horizon=horizon)
    capital = [a + b for a, b in zip(investment, pre_production, strict=True)]
    drawdown, interest, principal = _loan_schedule(loans=inputs.loans, horizon=horizon)
    rate = float(inputs.discount_rate if discount_rate is None else discount_rate)
    volumes = [v for v in volume if v]
    capacity = float(inputs.capacity_volume) if inputs.capacity_volume is not None else max(volumes, default=None)
    return FlowModel(
        horizon=horizon,
        tax_rate=float(inputs.tax_rate),
        discount_rate=rate,
        reinvestment_rate=rate if inputs.reinvestment_rate is None else float(inputs.reinvestment_rate),
        revenue=revenue,
        variable_cost=variable,
        fixed_cost=fixed,
        direct_opex=direct,
        volume=volume,
        capacity=capacity if volumes else None,
        investment=tuple(capital),
        working_capital_change=tuple(wc_change),
        outlay=tuple(c + w for c, w in zip(capital, wc_change, strict=True)),
        depreciation=tuple(a + b for a, b in zip(fixed_dep, amortisation, strict=True)),
        equity=tuple(_num(row and row.equity) for row in rows),
        drawdown=tuple(drawdown),
        interest=tuple(interest),
        principal=tuple(principal),
        has_loans=bool(inputs.loans),
    )


def discount_factors(*, rate: float, count: int) -> list[float]:
    """End-of-year factors 1/(1+r)**t for t = 0..count-1 (year 0 undiscounted), computed once per rate."""
    step = 1.0 / (1.0 + rate)
    factors = [1.0] * count
    for t in range(1, count):
        factors[t] = factors[t - 1] * step
    return factors


def npv(*, rate: float, flows: Sequence[float]) -> float:
    """NPV with year 0 undiscounted, NPV = sum(CF_t / (1 + r) ** t, t = 0..n), delegated to pyxirr.npv."""
    return pyxirr.npv(rate, flows)


def sign_changes(*, flows: Sequence[float]) -> int:
    """Number of sign changes (zeros skipped): none means no IRR, several mean possibly several IRRs."""
    signs = [value > 0 for value in flows if value]
    return sum(a != b for a, b in pairwise(signs))


def _rate(compute: Callable[[], float | None], flows: Sequence[float], name: str) -> Indicator:
    changes = sign_changes(flows=flows)
    if not changes:
        return Indicator(None, f"cash flows never change sign, so the {name} does not exist")
    try:
        value = compute()
    except (pyxirr.InvalidPaymentsError, ValueError, ArithmeticError):
        value = None
    if value is None or not math.isfinite(value):
        return Indicator(None, f"no rate was found at which the {name} is defined (solver did not converge)")
    note = f"cash flows change sign {changes} times, so more than one rate may exist" if changes > 1 else None
    return Indicator(float(value), None, note)


def irr(*, flows: Sequence[float]) -> Indicator:
    """IRR via pyxirr.irr, or None with a reason when flows never change sign or the solver gives up."""
    return _rate(lambda: pyxirr.irr(flows), flows, "IRR")


def mirr(*, flows: Sequence[float], finance_rate: float, reinvest_rate: float) -> Indicator:
    """MIRR via pyxirr.mirr; avoids IRR's reinvest-at-IRR assumption and its multiple roots."""
    return _rate(lambda: pyxirr.mirr(flows, finance_rate, reinvest_rate), flows, "MIRR")


def payback(*, flows: Sequence[float], discounted: bool = False) -> Indicator:
    """Years from year 0 until cumulative flow first turns non-negative, interpolated linearly inside that year.

    Pass already-discounted flows with ``discounted=True`` for the discounted payback (only the wording changes).
    """
    kind = "discounted cumulative" if discounted else "cumulative"
    if not any(value < 0 for value in flows):
        return Indicator(None, "there is no investment outflow to pay back")
    cumulative = lowest = 0.0
    for year, value in enumerate(flows):
        previous, cumulative = cumulative, cumulative + value
        if previous < 0 <= cumulative:
            return Indicator(year - 1 - previous / value)
        lowest = min(lowest, cumulative)
    if lowest >= 0:
        return Indicator(0.0, None, f"the {kind} cash flow is never negative")
    return Indicator(None, f"the {kind} cash flow never turns positive within the horizon")


@dataclass(frozen=True, slots=True)
class _Ledger:
    ebitda: list[float]
    ebt: list[float]
    tax: list[float]
    project: list[float]
    equity: list[float]
    debt_service: list[float]
    cfads: list[float]


def _ledger(model: FlowModel) -> _Ledger:
    """Levered statement lines in model currency; equity FCF = project FCF - debt service + drawdown + tax shield."""
    m = model
    ebitda = [r - v - f for r, v, f in zip(m.revenue, m.variable_cost, m.fixed_cost, strict=True)]
    ebit = [e - d for e, d in zip(ebitda, m.depreciation, strict=True)]
    ebt = [e - i for e, i in zip(ebit, m.interest, strict=True)]
    tax = carried_forward_tax(profits=ebt, rate=m.tax_rate)
    unlevered_tax = carried_forward_tax(profits=ebit, rate=m.tax_rate)
    project = [e - x + d - o for e, x, d, o in zip(ebit, unlevered_tax, m.depreciation, m.outlay, strict=True)]
    debt_service = [i + p for i, p in zip(m.interest, m.principal, strict=True)]
    equity = [
        cf - ds + dd + (ut - lt)
        for cf, ds, dd, ut, lt in zip(project, debt_service, m.drawdown, unlevered_tax, tax, strict=True)
    ]
    cfads = [e - x - w for e, x, w in zip(ebitda, tax, m.working_capital_change, strict=True)]
    return _Ledger(ebitda, ebt, tax, project, equity, debt_service, cfads)


_COLUMNS = tuple(item.name for item in fields(YearResult))[2:]


def _year_results(*, model: FlowModel, ledger: _Ledger, base_year: int, fx: float) -> tuple[YearResult, ...]:
    """Statement rows in display currency; columns follow the YearResult field order after year_index and year."""
    m, lg = model, ledger
    net_income = [e - x for e, x in zip(lg.ebt, lg.tax, strict=True)]
    columns = (
        m.revenue,
        [v + f for v, f in zip(m.variable_cost, m.fixed_cost, strict=True)],
        lg.ebitda,
        m.depreciation,
        [e - d for e, d in zip(lg.ebitda, m.depreciation, strict=True)],
        m.interest,
        lg.ebt,
        lg.tax,
        net_income,
        m.investment,
        m.working_capital_change,
        m.drawdown,
        m.principal,
        lg.debt_service,
        lg.cfads,
        lg.project,
        lg.equity,
        m.equity,
        [e + q for e, q in zip(lg.equity, m.equity, strict=True)],
    )
    rows = zip(*columns, strict=True)
    return tuple(
        YearResult(
            year_index=t, year=base_year + t, **{name: value * fx for name, value in zip(_COLUMNS, row, strict=True)}
        )
        for t, row in enumerate(rows)
    )


def _indicators(*, model: FlowModel, ledger: _Ledger, fx: float) -> Indicators:
    rate, project = model.discount_rate, ledger.project
    factors = discount_factors(rate=rate, count=model.horizon)
    value = npv(rate=rate, flows=project)
    project_irr = irr(flows=project)
    equity_irr = project_irr if ledger.equity == project else irr(flows=ledger.equity)
    outflows = zip(model.investment, model.working_capital_change, factors, strict=True)
    invested = sum((capital + max(change, 0.0)) * f for capital, change, f in outflows)
    ratios = _dscr_ratios(model=model, ledger=ledger)
    return Indicators(
        npv=Indicator(value * fx),
        project_irr=project_irr,
        equity_irr=equity_irr,
        mirr=mirr(flows=project, finance_rate=rate, reinvest_rate=model.reinvestment_rate),
        payback=payback(flows=project),
        discounted_payback=payback(flows=[c * f for c, f in zip(project, factors, strict=True)], discounted=True),
        profitability_index=(
            Indicator(1 + value / invested) if invested > 0 else Indicator(None, "there is no investment outflow")
        ),
        break_even=_break_even(model=model),
        min_dscr=ratios if isinstance(ratios, Indicator) else Indicator(min(ratios)),
        avg_dscr=ratios if isinstance(ratios, Indicator) else Indicator(sum(ratios) / len(ratios)),
    )


def _dscr_ratios(*, model: FlowModel, ledger: _Ledger) -> list[float] | Indicator:
    """CFADS (EBITDA - tax paid - dWC) / debt service in operating years (from first revenue) with debt service."""
    if not model.has_loans:
        return Indicator(None, "the project has no debt, so DSCR does not apply")
    start = next((t for t, rev in enumerate(model.revenue) if rev > 0), model.horizon)
    ratios = [
        cfads / service
        for cfads, service in zip(ledger.cfads[start:], ledger.debt_service[start:], strict=True)
        if service > 0
    ]
    return ratios or Indicator(None, "no debt service falls in an operating year")


def _break_even(*, model: FlowModel) -> Indicator:
    """Share of capacity at which the first full-production year breaks even (fixed incl. depreciation, interest)."""
    m = model
    if m.capacity is None:
        return Indicator(None, "no production volumes were given")
    year = next((t for t, v in enumerate(m.volume) if v is not None and v >= m.capacity * (1 - 1e-12)), None)
    if year is None:
        return Indicator(None, "no year reaches full production capacity")
    if m.direct_opex[year]:
        return Indicator(None, "operating cost of the full-production year is not split into fixed and variable")
    margin = m.revenue[year] - m.variable_cost[year]
    if margin <= 0:
        return Indicator(None, "revenue does not exceed variable cost in the first full-production year")
    fixed = m.fixed_cost[year] + m.depreciation[year] + m.interest[year]
    share = fixed / margin * m.volume[year] / m.capacity
    return Indicator(share, None, "break-even lies above full capacity" if share > 1 else None)


def appraise(*, inputs: ModelInputs, discount_rate: Decimal | None = None, fx_rate: Decimal | None = None) -> Appraisal:
    """Build the yearly statement and indicators of a model; raises InvalidInputs rather than computing nonsense.

    ``discount_rate`` overrides the model's rate (and the MIRR reinvestment default); ``fx_rate`` (target currency
    units per unit of model currency) multiplies every amount and NPV while rates, ratios and paybacks are unchanged.
    NPV discounts end-of-year flows with year 0 undiscounted: NPV = sum(CF_t / (1 + r) ** t, t = 0..n).
    """
    _raise_if_invalid(inputs=inputs, discount_rate=discount_rate, fx_rate=fx_rate)
    model = _build(inputs=inputs, discount_rate=discount_rate)
    ledger = _ledger(model)
    fx = 1.0 if fx_rate is None else float(fx_rate)
    return Appraisal(
        engine_version=ENGINE_VERSION,
        inputs_hash=inputs_hash(inputs=inputs),
        currency=inputs.currency,
        fx_rate=Decimal(1) if fx_rate is None else fx_rate,
        discount_rate=model.discount_rate,
        years=_year_results(model=model, ledger=ledger, base_year=inputs.base_year, fx=fx),
        indicators=_indicators(model=model, ledger=ledger, fx=fx),
    )
