"""COMFAR-style financial appraisal engine: the yearly statement and the headline indicators (pure Python, no Django).

Money enters as ``Decimal`` (see :mod:`.inputs`) and is converted to ``float`` once in :func:`prepare`; every statement
and indicator is then computed in float, which keeps a full appraisal plus sensitivity analysis sub-millisecond.

Conventions:

* Timing: model year ``t`` (0-based, calendar year ``base_year + t``) and every flow falls at the end of its year.
  NPV = sum(CF_t / (1 + r) ** t for t = 0..n): year 0 is **not** discounted (see :mod:`.indicators`).
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

from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

from .indicators import Indicator, carried_forward_tax, discount_factors, irr, mirr, npv, payback
from .inputs import InvalidInputs, Loan, ModelInputs, YearLine, inputs_hash, is_number, validate

ENGINE_VERSION = "1.1.0"


@dataclass(frozen=True, slots=True)
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
        One pass per year (EBIT, tax after losses carried forward, flow) keeps a sensitivity case to a few
        microseconds; with every multiplier at 1 the flows equal the statement's project flows bit for bit.
        """
        sales, rate, losses, flows = price * volume, self.tax_rate, 0.0, []
        append = flows.append
        for rev, var, fix, dep, out in zip(
            self.revenue, self.variable_cost, self.fixed_cost, self.depreciation, self.outlay, strict=True
        ):
            ebit = rev * sales - (var * volume + fix) * opex - dep * capex
            if ebit <= losses:
                losses -= ebit
                append(ebit + (dep - out) * capex)
            else:
                append(ebit - (ebit - losses) * rate + (dep - out) * capex)
                losses = 0.0
        return flows

    def project_npv(
        self,
        factors: Sequence[float],
        *,
        price: float = 1.0,
        volume: float = 1.0,
        capex: float = 1.0,
        opex: float = 1.0,
    ) -> float:
        """NPV of :meth:`project_flows` with the given discount factors, in the same pass and without a list.

        Root finding (switching values) needs only this number, many times over, so it skips building the flows.
        """
        sales, rate, losses, total = price * volume, self.tax_rate, 0.0, 0.0
        for rev, var, fix, dep, out, factor in zip(
            self.revenue, self.variable_cost, self.fixed_cost, self.depreciation, self.outlay, factors, strict=True
        ):
            ebit = rev * sales - (var * volume + fix) * opex - dep * capex
            if ebit <= losses:
                losses -= ebit
                total += (ebit + (dep - out) * capex) * factor
            else:
                total += (ebit - (ebit - losses) * rate + (dep - out) * capex) * factor
                losses = 0.0
        return total


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


def raise_if_invalid(*, inputs: ModelInputs, discount_rate: Decimal | None, fx_rate: Decimal | None = None) -> None:
    """Validate the inputs and the overrides together so that one InvalidInputs lists every problem."""
    errors = validate(inputs=inputs)
    if discount_rate is not None and not (is_number(discount_rate) and discount_rate > -1):
        errors.append(("discount_rate", "must be a Decimal fraction greater than -1 (-100%)"))
    if fx_rate is not None and not (is_number(fx_rate) and fx_rate > 0):
        errors.append(("fx_rate", "must be a positive Decimal"))
    if errors:
        raise InvalidInputs(errors)


def prepare(*, inputs: ModelInputs, discount_rate: Decimal | None = None) -> FlowModel:
    """Validate once and convert the Decimal inputs to float components that all later arithmetic reuses."""
    raise_if_invalid(inputs=inputs, discount_rate=discount_rate)
    return build(inputs=inputs, discount_rate=discount_rate)


def build(*, inputs: ModelInputs, discount_rate: Decimal | None) -> FlowModel:
    """The float components of inputs that are already validated (callers that validated once skip the checks)."""
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
    ebitda = [r - (v + f) for r, v, f in zip(m.revenue, m.variable_cost, m.fixed_cost, strict=True)]
    ebit = [e - d for e, d in zip(ebitda, m.depreciation, strict=True)]
    ebt = [e - i for e, i in zip(ebit, m.interest, strict=True)]
    tax = carried_forward_tax(profits=ebt, rate=m.tax_rate)
    unlevered_tax = carried_forward_tax(profits=ebit, rate=m.tax_rate)
    project = [e - x + (d - o) for e, x, d, o in zip(ebit, unlevered_tax, m.depreciation, m.outlay, strict=True)]
    debt_service = [i + p for i, p in zip(m.interest, m.principal, strict=True)]
    equity = [
        cf - ds + dd + (ut - lt)
        for cf, ds, dd, ut, lt in zip(project, debt_service, m.drawdown, unlevered_tax, tax, strict=True)
    ]
    cfads = [e - x - w for e, x, w in zip(ebitda, tax, m.working_capital_change, strict=True)]
    return _Ledger(ebitda, ebt, tax, project, equity, debt_service, cfads)


YEAR_COLUMNS = tuple(item.name for item in fields(YearResult))[2:]


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
    if fx != 1.0:
        columns = tuple([value * fx for value in column] for column in columns)
    return tuple(YearResult(t, base_year + t, *row) for t, row in enumerate(zip(*columns, strict=True)))


def _indicators(*, model: FlowModel, ledger: _Ledger, fx: float, project_irr: Indicator | None) -> Indicators:
    rate, project = model.discount_rate, ledger.project
    factors = discount_factors(rate=rate, count=model.horizon)
    value = npv(rate=rate, flows=project)
    project_irr = project_irr or irr(flows=project)
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
    raise_if_invalid(inputs=inputs, discount_rate=discount_rate, fx_rate=fx_rate)
    model = build(inputs=inputs, discount_rate=discount_rate)
    return appraise_prepared(inputs=inputs, model=model, fx_rate=fx_rate)


def appraise_prepared(
    *, inputs: ModelInputs, model: FlowModel, fx_rate: Decimal | None, project_irr: Indicator | None = None
) -> Appraisal:
    """The appraisal of inputs already validated and prepared, reusing a project IRR the caller already solved."""
    ledger = _ledger(model)
    fx = 1.0 if fx_rate is None else float(fx_rate)
    return Appraisal(
        engine_version=ENGINE_VERSION,
        inputs_hash=inputs_hash(inputs=inputs),
        currency=inputs.currency,
        fx_rate=Decimal(1) if fx_rate is None else fx_rate,
        discount_rate=model.discount_rate,
        years=_year_results(model=model, ledger=ledger, base_year=inputs.base_year, fx=fx),
        indicators=_indicators(model=model, ledger=ledger, fx=fx, project_irr=project_irr),
    )
