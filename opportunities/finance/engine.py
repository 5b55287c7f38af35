"""COMFAR-style financial appraisal engine: the yearly statement and the headline indicators (numpy, no Django).

Money enters as ``Decimal`` (see :mod:`.inputs`) and is read once into a float table (:func:`.inputs.read`); every
statement line is then a numpy array over the years, and the sensitivity cases are rows of one (cases x years)
matrix built by :meth:`FlowModel.case_flows`, the same function that gives the statement its project flows.

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
* Prices: a model states its amounts at nominal prices that carry ``inflation_rate`` a year (0 for constant
  prices). With ``constant_prices`` the statement is still worked out as stated (tax and losses carried forward
  are nominal) and every amount of year ``t`` is then divided by ``(1 + inflation_rate) ** t``: the model at
  constant base-year prices, which is how it is shown in another currency and beside other models (converting
  nominal rials at today's rate would count rial inflation as growth). The model's own rates become real
  rates, ``(1 + r) / (1 + inflation_rate) - 1``, so its NPV is unchanged; a rate the caller gives is taken as
  real. IRR and MIRR come out real; DSCR and break-even, being ratios within a year, do not change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import numpy as np

from .indicators import Indicator, irr, mirr, npv, payback, taxable_profit
from .inputs import (
    OPERATING,
    PRICE,
    VOLUME,
    InvalidInputs,
    Loan,
    ModelInputs,
    Reading,
    is_number,
    read,
    reading_hash,
)

ENGINE_VERSION = "1.2.0"


class YearResult(NamedTuple):
    """One year of the statement, in the display currency (model currency times ``fx_rate``).

    An immutable named tuple rather than a frozen dataclass, because a statement builds one per year and a frozen
    dataclass of 21 fields costs ten times more to build; read it by attribute (``YEAR_COLUMNS`` names them).
    """

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
    inflation_removed: float = 0.0  # the yearly inflation taken out at constant prices; 0 as stated


class FlowModel(NamedTuple):
    """Float view of validated inputs: the yearly components (numpy arrays) from which every cash flow is rebuilt.

    Sensitivity analysis flexes these components with multipliers instead of rebuilding the inputs. ``volume`` is
    NaN in years without a production volume.
    """

    horizon: int
    tax_rate: float
    discount_rate: float
    reinvestment_rate: float
    revenue: np.ndarray
    variable_cost: np.ndarray
    fixed_cost: np.ndarray
    direct_opex: np.ndarray
    volume: np.ndarray
    capacity: float | None
    investment: np.ndarray
    working_capital_change: np.ndarray
    outlay: np.ndarray
    depreciation: np.ndarray
    equity: np.ndarray
    drawdown: np.ndarray
    interest: np.ndarray
    principal: np.ndarray
    has_loans: bool
    inflation_removed: float = 0.0  # at constant prices, the model's inflation; 0 as stated
    deflator: np.ndarray | None = None  # (1 + inflation_removed) ** -t; None as stated

    def case_flows(self, multipliers: np.ndarray) -> np.ndarray:
        """Unlevered free cash flow, EBIT*(1-t)+D&A-investment-dWC with loss carry-forward, for many flexes at once.

        ``multipliers`` is (cases x 4): price, volume, capex, opex. ``price`` scales revenue; ``volume`` scales
        revenue and variable cost; ``capex`` scales all investment (fixed, pre-production, working capital) and hence
        depreciation; ``opex`` scales operating cost. Returns (cases x years). Every operation is element by element,
        so a row never depends on the others, and with every multiplier at 1 it equals the statement's project flows
        bit for bit (:func:`_ledger` spells the same expressions without the multipliers).
        """
        price, volume, capex, opex = multipliers.T[:, :, None]
        ebit = self.revenue * (price * volume)
        ebit -= (self.variable_cost * volume + self.fixed_cost) * opex
        ebit -= self.depreciation * capex
        flows = self.tax_rate * taxable_profit(ebit)
        np.subtract(ebit, flows, out=flows)
        flows += (self.depreciation - self.outlay) * capex
        if self.deflator is not None:
            flows *= self.deflator
        return flows

    def at_constant_prices(self, amounts: np.ndarray) -> np.ndarray:
        """Yearly amounts (the last axis is the year) as the model is shown: deflated at constant prices."""
        return amounts if self.deflator is None else amounts * self.deflator

    def project_flows(
        self, *, price: float = 1.0, volume: float = 1.0, capex: float = 1.0, opex: float = 1.0
    ) -> list[float]:
        """The project flows of one flex (see :meth:`case_flows`), as a list."""
        return self.case_flows(np.array([[price, volume, capex, opex]]))[0].tolist()


def _straight_line(charges: np.ndarray, *, amounts: np.ndarray, life: int) -> None:
    """Add equal charges of amount/life in the life years after each outlay, cut at the end of the horizon."""
    last = len(charges) - 1
    for start in amounts.nonzero()[0].tolist():
        charges[start + 1 : min(start + life, last) + 1] += amounts[start] / life


def _loan_schedule(*, loans: Sequence[Loan], horizon: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
    return np.array(drawdown), np.array(interest), np.array(principal)


def raise_if_invalid(*, inputs: ModelInputs, discount_rate: Decimal | None, fx_rate: Decimal | None = None) -> Reading:
    """Validate the inputs and the overrides together so that one InvalidInputs lists every problem.

    Returns the reading of the inputs (float table, values for the hash), which the rest of the appraisal reuses.
    """
    reading = read(inputs=inputs)
    errors = list(reading.errors)
    if discount_rate is not None and not (is_number(discount_rate) and discount_rate > -1):
        errors.append(("discount_rate", "must be a Decimal fraction greater than -1 (-100%)"))
    if fx_rate is not None and not (is_number(fx_rate) and fx_rate > 0):
        errors.append(("fx_rate", "must be a positive Decimal"))
    if errors:
        raise InvalidInputs(errors)
    return reading


def prepare(*, inputs: ModelInputs, discount_rate: Decimal | None = None) -> FlowModel:
    """Validate once and convert the Decimal inputs to float components that all later arithmetic reuses."""
    reading = raise_if_invalid(inputs=inputs, discount_rate=discount_rate)
    return build(inputs=inputs, discount_rate=discount_rate, reading=reading)


_MISSING_YEAR = np.zeros((10, 1))
_MISSING_YEAR[[VOLUME, PRICE, OPERATING]] = np.nan  # a year without a line: no volume, no direct operating cost


def _horizon_table(*, inputs: ModelInputs, reading: Reading | None) -> np.ndarray:
    """(amounts x horizon) floats of the lines, a missing year as zeros without volume, price or direct cost."""
    if reading is None or reading.table is None:
        reading = read(inputs=inputs)
    table = np.empty((len(_MISSING_YEAR), inputs.horizon_years))
    table[:] = _MISSING_YEAR
    if reading.indexes:
        table[:, reading.indexes] = reading.table.T
    return table


def _working_capital_changes(levels: np.ndarray, *, recover: bool) -> np.ndarray:
    """Increase of the working capital balance each year; the balance is released in the last year if recovered."""
    changes = levels.copy()
    changes[1:] -= levels[:-1]
    if recover:
        changes[-1] -= levels[-1]
    return changes


def _capacity(volume: np.ndarray, *, given: Decimal | None) -> float | None:
    """The stated capacity, else the largest volume; None without any production volume (no break-even then)."""
    volumes = volume[volume > 0]
    if not volumes.size:
        return None
    return float(given) if given is not None else float(np.maximum.reduce(volumes))


def real_rate(rate: float, *, inflation: float) -> float:
    """The real rate of a nominal one: (1 + r) / (1 + inflation) - 1."""
    return (1 + rate) / (1 + inflation) - 1


def build(
    *,
    inputs: ModelInputs,
    discount_rate: Decimal | None,
    reading: Reading | None = None,
    constant_prices: bool = False,
) -> FlowModel:
    """The float components of inputs that are already validated (callers that validated once skip the checks).

    Validation guarantees that a line gives revenue either directly or as volume times price, and operating cost
    either directly or as its parts, the other being zero: so each is the product (NaN when a factor is missing,
    then taken as zero by fmax) plus the direct figure, in one pass per column.
    """
    horizon, table = inputs.horizon_years, _horizon_table(inputs=inputs, reading=reading)
    fixed_investment, pre_production, levels, volume, price, revenue, variable, fixed, operating, equity = table
    capital = fixed_investment + pre_production
    wc_change = _working_capital_changes(levels, recover=inputs.recover_working_capital)
    depreciation = np.zeros(horizon)
    _straight_line(depreciation, amounts=fixed_investment, life=inputs.useful_life_years)
    _straight_line(depreciation, amounts=pre_production, life=inputs.amortisation_years)
    drawdown, interest, principal = _loan_schedule(loans=inputs.loans, horizon=horizon)
    own_rate = float(inputs.discount_rate)
    reinvestment = None if inputs.reinvestment_rate is None else float(inputs.reinvestment_rate)
    inflation = float(inputs.inflation_rate) if constant_prices else 0.0
    deflator = None
    if inflation:
        deflator = (1.0 / (1.0 + inflation)) ** np.arange(horizon)
        own_rate = real_rate(own_rate, inflation=inflation)
        reinvestment = None if reinvestment is None else real_rate(reinvestment, inflation=inflation)
    rate = own_rate if discount_rate is None else float(discount_rate)
    return FlowModel(
        horizon=horizon,
        tax_rate=float(inputs.tax_rate),
        discount_rate=rate,
        reinvestment_rate=rate if reinvestment is None else reinvestment,
        revenue=np.fmax(volume * price, 0.0) + revenue,
        variable_cost=np.fmax(volume * variable, 0.0),
        fixed_cost=np.fmax(operating, 0.0) + fixed,
        direct_opex=operating == operating,
        volume=volume,
        capacity=_capacity(volume, given=inputs.capacity_volume),
        investment=capital,
        working_capital_change=wc_change,
        outlay=capital + wc_change,
        depreciation=depreciation,
        equity=equity,
        drawdown=drawdown,
        interest=interest,
        principal=principal,
        has_loans=bool(inputs.loans),
        inflation_removed=inflation,
        deflator=deflator,
    )


@dataclass(frozen=True, slots=True)
class _Ledger:
    ebitda: np.ndarray
    ebt: np.ndarray
    tax: np.ndarray
    project: np.ndarray
    equity: np.ndarray
    debt_service: np.ndarray
    cfads: np.ndarray


def _ledger(model: FlowModel) -> _Ledger:
    """Levered statement lines in model currency; equity FCF = project FCF - debt service + drawdown + tax shield.

    The project flows spell out :meth:`FlowModel.case_flows` with every multiplier at 1, so they are bit-identical.
    """
    m = model
    ebitda = m.revenue - (m.variable_cost + m.fixed_cost)
    ebit = ebitda - m.depreciation
    unlevered_tax = m.tax_rate * taxable_profit(ebit)
    project = ebit - unlevered_tax
    project += m.depreciation - m.outlay
    if m.has_loans:
        ebt = ebit - m.interest
        tax = m.tax_rate * taxable_profit(ebt)
        debt_service = m.interest + m.principal
        equity = project - debt_service + m.drawdown + (unlevered_tax - tax)
    else:
        ebt, tax, debt_service, equity = ebit, unlevered_tax, m.interest, project
    return _Ledger(ebitda, ebt, tax, project, equity, debt_service, ebitda - tax - m.working_capital_change)


YEAR_COLUMNS = YearResult._fields[2:]


def _year_results(*, model: FlowModel, ledger: _Ledger, base_year: int, fx: float) -> tuple[YearResult, ...]:
    """Statement rows in display currency; columns follow the YearResult field order after year_index and year."""
    m, lg = model, ledger
    columns = np.array(
        [
            m.revenue,
            m.variable_cost + m.fixed_cost,
            lg.ebitda,
            m.depreciation,
            lg.ebitda - m.depreciation,
            m.interest,
            lg.ebt,
            lg.tax,
            lg.ebt - lg.tax,
            m.investment,
            m.working_capital_change,
            m.drawdown,
            m.principal,
            lg.debt_service,
            lg.cfads,
            lg.project,
            lg.equity,
            m.equity,
            lg.equity + m.equity,
        ]
    )
    columns = m.at_constant_prices(columns)
    if fx != 1.0:
        columns *= fx
    years = range(m.horizon)
    return tuple(map(YearResult, years, range(base_year, base_year + m.horizon), *columns.tolist()))


def discount_factor_array(*, rate: float, count: int) -> np.ndarray:
    """End-of-year factors 1/(1+r)**t for t = 0..count-1 (year 0 undiscounted), as an array."""
    return (1.0 / (1.0 + rate)) ** np.arange(count)


def _indicators(*, model: FlowModel, ledger: _Ledger, fx: float, project_irr: Indicator | None) -> Indicators:
    """The indicators of the flows as shown (see `FlowModel.at_constant_prices`); ratios within a year as stated."""
    rate, shown = model.discount_rate, model.at_constant_prices
    project_flows, equity_flows = shown(ledger.project), shown(ledger.equity)
    project = project_flows.tolist()
    factors = discount_factor_array(rate=rate, count=model.horizon)
    value = npv(rate=rate, flows=project)
    project_irr = project_irr or irr(flows=project)
    same = bool(np.logical_and.reduce(equity_flows == project_flows))
    equity_irr = project_irr if same else irr(flows=equity_flows.tolist())
    invested = float(shown(model.investment + np.maximum(model.working_capital_change, 0.0)) @ factors)
    ratios = _dscr_ratios(model=model, ledger=ledger)
    return Indicators(
        npv=Indicator(value * fx),
        project_irr=project_irr,
        equity_irr=equity_irr,
        mirr=mirr(flows=project, finance_rate=rate, reinvest_rate=model.reinvestment_rate),
        payback=payback(flows=project),
        discounted_payback=payback(flows=(project_flows * factors).tolist(), discounted=True),
        profitability_index=(
            Indicator(1 + value / invested) if invested > 0 else Indicator(None, "there is no investment outflow")
        ),
        break_even=_break_even(model=model),
        min_dscr=ratios if isinstance(ratios, Indicator) else Indicator(float(np.minimum.reduce(ratios))),
        avg_dscr=ratios if isinstance(ratios, Indicator) else Indicator(float(np.add.reduce(ratios)) / ratios.size),
    )


def _dscr_ratios(*, model: FlowModel, ledger: _Ledger) -> np.ndarray | Indicator:
    """CFADS (EBITDA - tax paid - dWC) / debt service in operating years (from first revenue) with debt service."""
    if not model.has_loans:
        return Indicator(None, "the project has no debt, so DSCR does not apply")
    operating = np.maximum.accumulate(model.revenue > 0) & (ledger.debt_service > 0)
    if not np.logical_or.reduce(operating):
        return Indicator(None, "no debt service falls in an operating year")
    return ledger.cfads[operating] / ledger.debt_service[operating]


def _break_even(*, model: FlowModel) -> Indicator:
    """Share of capacity at which the first full-production year breaks even (fixed incl. depreciation, interest)."""
    m = model
    if m.capacity is None:
        return Indicator(None, "no production volumes were given")
    full = m.volume >= m.capacity * (1 - 1e-12)
    if not np.logical_or.reduce(full):
        return Indicator(None, "no year reaches full production capacity")
    year = int(full.argmax())
    if m.direct_opex[year]:
        return Indicator(None, "operating cost of the full-production year is not split into fixed and variable")
    margin = float(m.revenue[year] - m.variable_cost[year])
    if margin <= 0:
        return Indicator(None, "revenue does not exceed variable cost in the first full-production year")
    fixed = float(m.fixed_cost[year] + m.depreciation[year] + m.interest[year])
    share = fixed / margin * float(m.volume[year]) / m.capacity
    return Indicator(share, None, "break-even lies above full capacity" if share > 1 else None)


def appraise(
    *,
    inputs: ModelInputs,
    discount_rate: Decimal | None = None,
    fx_rate: Decimal | None = None,
    constant_prices: bool = False,
) -> Appraisal:
    """Build the yearly statement and indicators of a model; raises InvalidInputs rather than computing nonsense.

    ``discount_rate`` overrides the model's rate (and the MIRR reinvestment default); ``fx_rate`` (target currency
    units per unit of model currency) multiplies every amount and NPV while rates, ratios and paybacks are unchanged.
    ``constant_prices`` takes the model's inflation out of every amount first (see the module's conventions).
    NPV discounts end-of-year flows with year 0 undiscounted: NPV = sum(CF_t / (1 + r) ** t, t = 0..n).
    """
    reading = raise_if_invalid(inputs=inputs, discount_rate=discount_rate, fx_rate=fx_rate)
    model = build(inputs=inputs, discount_rate=discount_rate, reading=reading, constant_prices=constant_prices)
    return appraise_prepared(inputs=inputs, model=model, fx_rate=fx_rate, reading=reading)


def appraise_prepared(
    *,
    inputs: ModelInputs,
    model: FlowModel,
    fx_rate: Decimal | None,
    project_irr: Indicator | None = None,
    reading: Reading | None = None,
) -> Appraisal:
    """The appraisal of inputs already validated and prepared, reusing a project IRR the caller already solved."""
    ledger = _ledger(model)
    fx = 1.0 if fx_rate is None else float(fx_rate)
    return Appraisal(
        engine_version=ENGINE_VERSION,
        inputs_hash=reading_hash(inputs=inputs, reading=reading or read(inputs=inputs)),
        currency=inputs.currency,
        fx_rate=Decimal(1) if fx_rate is None else fx_rate,
        discount_rate=model.discount_rate,
        years=_year_results(model=model, ledger=ledger, base_year=inputs.base_year, fx=fx),
        indicators=_indicators(model=model, ledger=ledger, fx=fx, project_irr=project_irr),
        inflation_removed=model.inflation_removed,
    )
