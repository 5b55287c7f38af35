"""The engine's results as plain data: JSON for storage and the API, Decimal key figures for columns and headlines.

Why a module of its own: the stored result, the API and the pages must show the same figures with the same reasons,
so there is one translation from the engine's dataclasses to dicts. A figure that does not exist stays
``{"value": null, "reason": "..."}``; it never becomes 0.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from .engine import YEAR_COLUMNS, Appraisal
from .indicators import Indicator
from .sensitivity import Analysis

INDICATOR_NAMES = (
    "npv",
    "project_irr",
    "equity_irr",
    "mirr",
    "payback",
    "discounted_payback",
    "profitability_index",
    "break_even",
    "min_dscr",
    "avg_dscr",
)
AMOUNT_INDICATORS = frozenset({"npv"})


def _amount(value: float) -> float:
    """Amounts to the cent: more digits are float noise and only bloat the stored JSON."""
    return round(value, 2)


def indicator_json(indicator: Indicator, *, amount: bool = False) -> dict:
    value = indicator.value
    if value is not None and amount:
        value = _amount(value)
    return {"value": value, "reason": indicator.reason, "note": indicator.note}


def indicators_json(appraisal: Appraisal) -> dict[str, dict]:
    values = appraisal.indicators
    return {name: indicator_json(getattr(values, name), amount=name in AMOUNT_INDICATORS) for name in INDICATOR_NAMES}


def years_json(appraisal: Appraisal) -> list[dict]:
    """The yearly statement, one dict per year, amounts to the cent."""
    return [
        {"year_index": row.year_index, "year": row.year, **{name: _amount(getattr(row, name)) for name in YEAR_COLUMNS}}
        for row in appraisal.years
    ]


def sensitivity_json(analysis: Analysis) -> dict:
    """Tornado rows, switching values (in % change of each variable) and named scenarios."""
    return {
        "tornado": [
            {
                "variable": row.variable,
                "change_pct": row.change_pct,
                "npv": indicator_json(row.npv, amount=True),
                "npv_change": None if row.npv_change is None else _amount(row.npv_change),
                "irr": indicator_json(row.irr),
            }
            for row in analysis.tornado
        ],
        "switching_values": {name: indicator_json(value) for name, value in analysis.switching.items()},
        "scenarios": [
            {
                "name": result.name,
                "changes": dict(result.changes),
                "npv": indicator_json(result.npv, amount=True),
                "irr": indicator_json(result.irr),
                "payback": indicator_json(result.payback),
            }
            for result in analysis.scenarios
        ],
    }


def to_decimal(value: float | Decimal | None, *, places: int, max_digits: int) -> Decimal | None:
    """A figure as a Decimal column value, or None when it does not exist or does not fit the column."""
    if value is None or not math.isfinite(value):
        return None
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if abs(number) >= Decimal(10) ** (max_digits - places):
        return None
    return number


def key_figures(appraisal: Appraisal) -> dict[str, Decimal | None]:
    """The Decimal columns of a stored result (field name → value), null where the indicator is not calculable."""
    values = appraisal.indicators
    rate = {"places": 8, "max_digits": 16}
    years = {"places": 4, "max_digits": 8}
    return {
        "npv": to_decimal(values.npv.value, places=2, max_digits=30),
        "project_irr": to_decimal(values.project_irr.value, **rate),
        "equity_irr": to_decimal(values.equity_irr.value, **rate),
        "mirr": to_decimal(values.mirr.value, **rate),
        "payback_years": to_decimal(values.payback.value, **years),
        "discounted_payback_years": to_decimal(values.discounted_payback.value, **years),
        "profitability_index": to_decimal(values.profitability_index.value, places=6, max_digits=16),
    }
