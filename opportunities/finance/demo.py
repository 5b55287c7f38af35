"""Deterministic demo financial models: one plausible model for every demo opportunity.

Mining is modelled in US dollars: a 2-3 year build, production ramping up 50/80/100%, commodity prices per tonne
(ore from a mine or quarry, concentrate or product from a plant; gold plants per kilogram), a development loan and
sustaining capital. Everything else is modelled in rials at nominal prices that grow with inflation, discounted at a
nominal rial rate. The opportunity's capex, capacity and type set the size; `random.Random(seed:reference)` the rest,
so the same opportunity always gets the same model.

Nothing here touches the database: `build_drafts` returns unsaved rows, and `seed` hands them to
`services.financial_models_bulk_create`, which inserts them in batches and appraises them in the same run.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from opportunities.models import Opportunity

from .models import FinancialModel, Loan, YearLine

BASE_YEAR = 2026
ONE = Decimal(1)
CENT = Decimal("0.01")
MINING = "MIN"

# USD per tonne: (ore or raw block from a mine or quarry, concentrate or product from a plant).
PRICES_USD = {
    "copper": (45, 2200),
    "gold": (110, 95_000),  # a plant's capacity is in kg a year: 95,000 USD per kg
    "iron-ore": (35, 95),
    "lead-zinc": (60, 1100),
    "chromite": (150, 280),
    "manganese": (120, 220),
    "antimony": (400, 8000),
    "kaolin": (25, 90),
    "barite": (60, 160),
    "feldspar": (20, 70),
    "silica": (15, 45),
    "talc": (30, 180),
    "bentonite": (25, 110),
    "zeolite": (30, 150),
    "perlite": (40, 160),
    "diatomite": (40, 250),
    "salt": (10, 60),
    "sodium-sulphate": (40, 130),
    "decorative-stone": (90, 20),  # a processing plant sells slabs per square metre
    "marble": (100, 22),
    "onyx": (300, 60),
    "chini": (150, 30),
    "travertine": (80, 18),
    "granite": (110, 25),
    "limestone": (12, 80),
    "gypsum": (10, 35),
    "dolomite": (12, 30),
    "sand-gravel": (8, 9),
    "rubble-stone": (6, 6),
}
DEFAULT_PRICE = (40, 120)
# Production units that a price per unit makes sense for; other capacities (rooms, beds, MW) earn a revenue total.
PRICED_UNITS = {"tonnes/year", "kg/year", "m²/year", "pieces/year", "pairs/year", "MW/year"}
HORIZON_BY_ROOT = {"AGR": 15, "MFG": 15, "ENE": 20, "WAT": 20, "CON": 10, "TRD": 12, "TRN": 20, "TOU": 20, "ICT": 8}


@dataclass
class Draft:
    """An unsaved model with its rows, for one opportunity."""

    model: FinancialModel
    years: list[YearLine]
    loans: list[Loan]


def _sig(value: float, digits: int = 3) -> float:
    """Round to a few significant digits, as a study would state a tonnage."""
    return float(f"{value:.{digits}g}")


def _money(value: float) -> Decimal:
    return Decimal(repr(round(value, 2))).quantize(CENT, rounding=ROUND_HALF_UP)


def _root(opportunity: Opportunity) -> str:
    return opportunity.sector.root.code


def _capex_in(opportunity: Opportunity, code: str, rates: Mapping[str, Decimal], rng: random.Random) -> float:
    """The opportunity's capex in the model currency; a plausible figure when none was published."""
    usd = opportunity.capex_usd
    if usd is None and opportunity.capex_amount is not None and opportunity.capex_currency_id in rates:
        usd = opportunity.capex_amount / rates[opportunity.capex_currency_id]
    usd = float(usd) if usd else rng.uniform(1e6, 1e7)
    return usd * float(rates.get(code, ONE))


@dataclass
class _Plan:
    """The shape of a model before it becomes rows."""

    horizon: int
    build: int
    capex: float
    revenue: float  # at full production, in base-year prices
    volume: float | None  # units a year at full production, None when revenue is a total
    variable_share: float
    fixed_share: float  # fixed operating cost as a share of capex
    ramp: tuple[float, ...]
    inflation: float
    working_capital_share: float
    sustaining_share: float


def _mining_plan(opportunity: Opportunity, capex: float, rng: random.Random) -> _Plan:
    """A mine or plant in USD: price per tonne (or kg) by commodity, volume from the capacity when it fits."""
    title = (opportunity.title_en or "").lower()
    is_pit = opportunity.type == "exploration" or "mine" in title or "quarry" in title
    ore, product = PRICES_USD.get(opportunity.commodity.code if opportunity.commodity else "", DEFAULT_PRICE)
    price = ore if is_pit else product
    unit = opportunity.capacity_unit
    volume = float(opportunity.capacity_value) if opportunity.capacity_value and unit in PRICED_UNITS else 0.0
    turnover = volume * price / capex if capex else 0.0
    if not 0.3 <= turnover <= 1.4:
        volume = _sig(capex * rng.uniform(0.45, 0.9) / price)
    build = 3 if opportunity.type == "exploration" or capex > 150e6 else rng.choice((2, 2, 3))
    return _Plan(
        horizon=rng.choice((20, 22, 25)),
        build=build,
        capex=capex,
        revenue=volume * price,
        volume=volume,
        variable_share=rng.uniform(0.38, 0.55),
        fixed_share=rng.uniform(0.03, 0.06),
        ramp=(0.5, 0.8),
        inflation=0.0,
        working_capital_share=rng.uniform(0.10, 0.15),
        sustaining_share=rng.uniform(0.04, 0.08),
    )


def _rial_plan(opportunity: Opportunity, capex: float, rng: random.Random) -> _Plan:
    """Anything else in rials: revenue a multiple of capex, prices growing with inflation; small or half-built
    projects take one year to finish, the rest two."""
    unit = opportunity.capacity_unit
    priced = bool(opportunity.capacity_value) and unit in PRICED_UNITS
    quick = opportunity.type in {"completion", "revival"} or (opportunity.capex_usd or 0) < 2_000_000
    return _Plan(
        horizon=HORIZON_BY_ROOT.get(_root(opportunity), 15),
        build=1 if quick else 2,
        capex=capex,
        revenue=capex * rng.uniform(0.4, 0.85),
        volume=float(opportunity.capacity_value) if priced else None,
        variable_share=rng.uniform(0.4, 0.58),
        fixed_share=rng.uniform(0.04, 0.08),
        ramp=(0.6, 0.85),
        inflation=rng.choice((0.18, 0.2, 0.22, 0.25)),
        working_capital_share=rng.uniform(0.08, 0.14),
        sustaining_share=0.0,
    )


def _split(total: float, build: int) -> list[float]:
    shares = {1: (1.0,), 2: (0.4, 0.6), 3: (0.25, 0.45, 0.3)}[build]
    return [total * share for share in shares]


def _year_rows(plan: _Plan, *, debt_share: float) -> list[YearLine]:
    """Build years (investment, pre-production, equity), then production years at ramp-up and full capacity."""
    rows = []
    pre_production = plan.capex * 0.04
    for t, amount in enumerate(_split(plan.capex * 0.96, plan.build)):
        rows.append(
            YearLine(
                year_index=t,
                fixed_investment=_money(amount),
                pre_production=_money(pre_production if t == 0 else 0),
                equity=_money((amount + (pre_production if t == 0 else 0)) * (1 - debt_share)),
            )
        )
    for t in range(plan.build, plan.horizon):
        k = t - plan.build
        level = plan.ramp[k] if k < len(plan.ramp) else 1.0
        prices = (1 + plan.inflation) ** t
        revenue = plan.revenue * level * prices
        sustaining = plan.capex * plan.sustaining_share if k and k % 5 == 0 else 0.0
        line = YearLine(
            year_index=t,
            fixed_investment=_money(sustaining * prices),
            working_capital=_money(revenue * plan.working_capital_share),
        )
        fixed = plan.capex * plan.fixed_share * prices
        if plan.volume:
            volume = Decimal(repr(round(plan.volume * level)))
            unit_price = Decimal(repr(round(plan.revenue / plan.volume * prices, 2)))
            line.production_volume, line.unit_price = volume, unit_price
            line.variable_cost_per_unit = (unit_price * Decimal(repr(round(plan.variable_share, 4)))).quantize(CENT)
            line.fixed_operating_cost = _money(fixed)
        else:
            line.revenue = _money(revenue)
            line.operating_cost = _money(revenue * plan.variable_share + fixed)
        rows.append(line)
    return rows


def _loan(plan: _Plan, *, share: float, rate: float, rng: random.Random) -> Loan | None:
    if not share:
        return None
    grace = plan.build
    tenor = grace + rng.choice((5, 6, 7, 8))
    drawdown = 1 if plan.build > 1 else 0
    if drawdown + tenor > plan.horizon - 1:
        return None
    return Loan(
        position=0,
        amount=_money(plan.capex * share),
        annual_rate=Decimal(repr(rate)),
        tenor_years=tenor,
        grace_years=grace,
        drawdown_year=drawdown,
    )


def build_draft(*, opportunity: Opportunity, rates: Mapping[str, Decimal], seed: int) -> Draft:
    """One opportunity's model: USD for mining, rials for the rest (USD when there is no rial rate)."""
    rng = random.Random(f"{seed}:{opportunity.reference}")
    mining = _root(opportunity) == MINING
    code = "USD" if mining or "IRR" not in rates else "IRR"
    capex = _capex_in(opportunity, code, rates, rng)
    plan = _mining_plan(opportunity, capex, rng) if mining else _rial_plan(opportunity, capex, rng)
    debt = rng.choice((0.5, 0.55, 0.6)) if mining else rng.choice((0.0, 0.0, 0.4, 0.5))
    loan = _loan(plan, share=debt, rate=rng.choice((0.06, 0.07, 0.08) if mining else (0.18, 0.2, 0.23)), rng=rng)
    model = FinancialModel(
        opportunity=opportunity,
        currency_id=code,
        base_year=BASE_YEAR,
        horizon_years=plan.horizon,
        discount_rate=Decimal(repr(rng.choice((0.10, 0.11, 0.12) if code == "USD" else (0.25, 0.28, 0.30)))),
        inflation_rate=Decimal(repr(plan.inflation)),
        tax_rate=Decimal("0.25"),
        useful_life_years=rng.choice((10, 12, 15)),
        amortisation_years=5,
        capacity_volume=Decimal(repr(round(plan.volume))) if plan.volume else None,
        volume_unit=(opportunity.capacity_unit or "").replace("/year", "") if plan.volume else "",
    )
    return Draft(model=model, years=_year_rows(plan, debt_share=debt if loan else 0.0), loans=[loan] if loan else [])


def build_drafts(*, opportunities: Iterable[Opportunity], rates: Mapping[str, Decimal], seed: int) -> list[Draft]:
    return [build_draft(opportunity=opportunity, rates=rates, seed=seed) for opportunity in opportunities]


def seed(*, opportunities: list[Opportunity], units_per_usd: Mapping[str, Decimal], seed: int = 1404) -> int:
    """Called by `seed_demo` after the opportunities exist: models, rows and results in one go; returns the count."""
    from .services import financial_models_bulk_create

    rates = {"USD": ONE, **units_per_usd}
    drafts = build_drafts(opportunities=opportunities, rates=rates, seed=seed)
    return financial_models_bulk_create(drafts=drafts, units_per_usd=rates)
