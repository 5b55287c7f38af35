"""What the pages show: figures formatted for the reader (Persian digits and scale words in fa), table rows and the
data the charts draw. Display only; the numbers come from the selectors and the engine."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from registry.models import Currency
from registry.text import format_amount_en, format_amount_fa, to_persian_digits

from .engine import Appraisal, real_rate
from .indicators import Indicator
from .selectors import Comparison, InvestorView

TORNADO_STEP = 20.0
VARIABLE_LABELS = {
    "price": _("Price"),
    "volume": _("Volume"),
    "capex": _("Investment"),
    "opex": _("Operating cost"),
    "discount_rate": _("Discount rate"),
}
SCENARIO_LABELS = {
    "base": pgettext_lazy("scenario", "Base"),
    "optimistic": pgettext_lazy("scenario", "Optimistic"),
    "pessimistic": pgettext_lazy("scenario", "Pessimistic"),
}
# Table columns of the yearly statement: (YearResult attribute, heading).
TABLE_COLUMNS = (
    ("revenue", _("Revenue")),
    ("operating_cost", _("Operating cost")),
    ("depreciation", _("Depreciation")),
    ("tax", _("Tax")),
    ("investment", _("Investment")),
    ("working_capital_change", _("Working capital change")),
    ("project_fcf", _("Project cash flow")),
    ("cumulative", _("Cumulative")),
    ("equity_fcf", _("Equity cash flow")),
)
SCALES = (
    (Decimal(10) ** 9, "میلیارد", "billion"),
    (Decimal(10) ** 6, "میلیون", "million"),
    (Decimal(1000), "هزار", "thousand"),
)


def persian() -> bool:
    return not (get_language() or "fa").startswith("en")


def digits(text: str) -> str:
    return to_persian_digits(text) if persian() else text


def decimal_text(value: float, places: int) -> str:
    """A grouped number in the reader's digits, e.g. «۱۲٬۳۴۵٫۶» or 12,345.6; a figure that rounds to nothing is 0."""
    return digits(f"{round(value, places) + 0.0:,.{places}f}")  # + 0.0 turns -0.0 into 0.0


def percent(value: float | None, places: int = 1) -> str:
    if value is None:
        return ""
    text = decimal_text(value * 100, places)
    return f"{text}٪" if persian() else f"{text}%"


def signed_percent(value: float) -> str:
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{percent(abs(value) / 100, 0)}"


def money(value: float | None, currency: Currency) -> str:
    """An amount with a scale word in the reader's language: «۸۲٫۳۹ میلیون دلار آمریکا», "82.39 million USD"."""
    if value is None:
        return ""
    amount = Decimal(repr(round(value, 2 if abs(value) < 1000 else 0)))  # no cents on thousands
    return format_amount_fa(amount, currency.name_fa) if persian() else format_amount_en(amount, currency.code)


def years_text(value: float | None) -> str:
    if value is None:
        return ""
    text = decimal_text(value, 1)
    return f"{text} سال" if persian() else f"{text} years"


def times_text(value: float | None) -> str:
    return "" if value is None else f"{decimal_text(value, 2)}×"


# The engine explains in English; the pages explain in the reader's language. Unknown texts pass through.
_REASONS = (
    (
        r"cash flows never change sign, so the (?P<name>\w+) does not exist",
        _("Cash flows never change sign, so the %(name)s does not exist."),
    ),
    (
        r"no rate was found at which the (?P<name>\w+) is defined \(solver did not converge\)",
        _("No rate was found at which the %(name)s is defined."),
    ),
    (
        r"cash flows change sign (?P<n>\d+) times, so more than one rate may exist",
        _("Cash flows change sign %(n)s times, so more than one rate may exist."),
    ),
    (r"there is no investment outflow to pay back", _("There is no investment to pay back.")),
    (r"the (discounted )?cumulative cash flow is never negative", _("The cumulative cash flow is never negative.")),
    (
        r"the (discounted )?cumulative cash flow never turns positive within the horizon",
        _("The cumulative cash flow does not turn positive within the horizon."),
    ),
    (r"there is no investment outflow", _("There is no investment.")),
    (r"the project has no debt, so DSCR does not apply", _("The project has no debt, so DSCR does not apply.")),
    (r"no debt service falls in an operating year", _("No debt service falls in an operating year.")),
    (r"no production volumes were given", _("No production volumes were given.")),
    (r"no year reaches full production capacity", _("No year reaches full production capacity.")),
    (
        r"operating cost of the full-production year is not split into fixed and variable",
        _("The operating cost is not split into fixed and variable parts."),
    ),
    (
        r"revenue does not exceed variable cost in the first full-production year",
        _("Revenue does not exceed variable cost at full production."),
    ),
    (r"break-even lies above full capacity", _("Break-even lies above full capacity.")),
    (r"the flexed discount rate is at or below -100%", _("The changed discount rate is at or below -100%.")),
    (
        r"NPV keeps its sign for every change between .*",
        _("NPV keeps its sign for every change between -99% and +1000%."),
    ),
    (r"no discount rate makes NPV zero: .*", _("No discount rate makes NPV zero.")),
    (
        r"the base discount rate is zero, .*",
        _("The discount rate is zero, so no percentage change of it reaches the IRR."),
    ),
    (r"the IRR lies outside .*", _("The IRR lies far outside the discount rate.")),
)
_REASON_PATTERNS = tuple((re.compile(pattern), message) for pattern, message in _REASONS)


def reason_text(text: str | None) -> str:
    """An engine reason or note in the reader's language (numbers in the reader's digits)."""
    if not text:
        return ""
    for pattern, message in _REASON_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            values = {key: digits(value) for key, value in match.groupdict().items() if value}
            return str(message) % values if values else str(message)
    return text


@dataclass(frozen=True)
class Figure:
    """One headline figure: its label, its text, or 'not calculable' with the engine's reason."""

    key: str
    label: str
    text: str
    reason: str = ""
    note: str = ""

    @property
    def calculable(self) -> bool:
        return not self.reason


def _figure(key: str, label, indicator: Indicator, render) -> Figure:
    if indicator.value is None:
        return Figure(key, str(label), "", reason_text(indicator.reason) or str(_("not calculable")))
    return Figure(key, str(label), render(indicator.value), "", reason_text(indicator.note))


def headline(appraisal: Appraisal, currency: Currency, *, has_debt: bool) -> list[Figure]:
    """NPV, IRR, MIRR, paybacks, PI, break-even and (with debt) DSCR, in this order."""
    ind = appraisal.indicators
    figures = [
        _figure("npv", _("NPV"), ind.npv, lambda v: money(v, currency)),
        _figure("project_irr", _("Project IRR"), ind.project_irr, percent),
        _figure("equity_irr", _("Equity IRR"), ind.equity_irr, percent),
        _figure("mirr", _("MIRR"), ind.mirr, percent),
        _figure("payback", _("Payback"), ind.payback, years_text),
        _figure("discounted_payback", _("Discounted payback"), ind.discounted_payback, years_text),
        _figure("profitability_index", _("Profitability index"), ind.profitability_index, times_text),
        _figure("break_even", _("Break-even (share of capacity)"), ind.break_even, percent),
    ]
    if has_debt:
        figures += [
            _figure("min_dscr", _("Minimum DSCR"), ind.min_dscr, times_text),
            _figure("avg_dscr", _("Average DSCR"), ind.avg_dscr, times_text),
        ]
    return figures


def table_scale(values: list[float]) -> tuple[Decimal, str, str]:
    """The largest unit in which the biggest figure still has three digits: billions of rials for a plant,
    millions of dollars for a mine, thousands of dollars for a workshop."""
    largest = max((abs(v) for v in values), default=0.0)
    for divisor, word_fa, word_en in SCALES:
        if largest >= divisor * 100:
            return divisor, word_fa, word_en
    return Decimal(1), "", ""


def cash_flow_table(appraisal: Appraisal, currency: Currency) -> dict:
    """Rows of the yearly statement scaled to one unit named in the caption, with the cumulative project flow."""
    rows, cumulative = [], 0.0
    for year in appraisal.years:
        cumulative += year.project_fcf
        row = {name: getattr(year, name) for name, _label in TABLE_COLUMNS if name != "cumulative"}
        rows.append({**row, "cumulative": cumulative, "year": year.year})
    divisor, word_fa, word_en = table_scale([row[name] for row in rows for name, _label in TABLE_COLUMNS])
    scale = float(divisor)
    largest = max((abs(row[name]) for row in rows for name, _label in TABLE_COLUMNS), default=0.0)
    places = 1 if largest / scale < 1000 else 0
    unit = f"{word_fa} {currency.name_fa}".strip() if persian() else f"{word_en} {currency.code}".strip()
    return {
        "unit": unit,
        "headings": [str(label) for _name, label in TABLE_COLUMNS],
        "rows": [
            {
                "year": digits(str(row["year"])),
                "cells": [(decimal_text(row[name] / scale, places), row[name] < 0) for name, _label in TABLE_COLUMNS],
            }
            for row in rows
        ],
        "scale": scale,
        "raw": rows,
    }


def tornado_bars(view: InvestorView) -> list[dict]:
    """The ±20% NPV changes per variable, largest swing first, for the tornado chart and its table."""
    by_variable: dict[str, dict] = {}
    for row in view.analysis.tornado:
        if abs(row.change_pct) == TORNADO_STEP and row.npv_change is not None:
            side = "high" if row.change_pct > 0 else "low"
            by_variable.setdefault(row.variable, {"variable": row.variable})[side] = row.npv_change
    bars = [bar for bar in by_variable.values() if "low" in bar and "high" in bar]
    return sorted(bars, key=lambda bar: -abs(bar["high"] - bar["low"]))


def switching_rows(view: InvestorView) -> list[dict]:
    return [
        {
            "label": str(VARIABLE_LABELS[name]),
            "text": "" if value.value is None else signed_percent(value.value),
            "reason": reason_text(value.reason),
        }
        for name, value in view.analysis.switching.items()
    ]


def scenario_rows(view: InvestorView, currency: Currency) -> list[dict]:
    return [
        {
            "label": str(SCENARIO_LABELS.get(result.name, result.name)),
            "changes": ("، " if persian() else ", ").join(
                f"{VARIABLE_LABELS.get(name, name)} {signed_percent(pct)}" for name, pct in result.changes
            ),
            "cells": [
                _figure("npv", "", result.npv, lambda v: money(v, currency)),
                _figure("irr", "", result.irr, percent),
                _figure("payback", "", result.payback, years_text),
            ],
        }
        for result in view.analysis.scenarios
    ]


def chart_data(view: InvestorView, table: dict) -> dict:
    """What finance.js draws: cash flows and cumulative flow by year, and the tornado; labels already translated."""
    scale = table["scale"]
    raw = table["raw"]
    bars = tornado_bars(view)
    return {
        "rtl": persian(),
        "locale": "fa-IR" if persian() else "en-US",
        "unit": table["unit"],
        "years": [digits(str(row["year"])) for row in raw],
        "fcf": [round(row["project_fcf"] / scale, 3) for row in raw],
        "cumulative": [round(row["cumulative"] / scale, 3) for row in raw],
        "tornado": {
            "labels": [str(VARIABLE_LABELS[bar["variable"]]) for bar in bars],
            "low": [round(bar["low"] / scale, 3) for bar in bars],
            "high": [round(bar["high"] / scale, 3) for bar in bars],
        },
        "text": {
            "fcf": str(_("Project cash flow")),
            "cumulative": str(_("Cumulative cash flow")),
            "low": signed_percent(-TORNADO_STEP),
            "high": signed_percent(TORNADO_STEP),
            "npv_change": str(_("Change in NPV")),
        },
    }


def _nominal_note(view: InvestorView) -> dict | None:
    """For a nominal model shown as entered: its inflation and its real IRR, the figure the listing shows.

    The real IRR follows from the nominal one exactly (`engine.real_rate`), so nothing is re-run.
    """
    appraisal, inflation = view.analysis.appraisal, float(view.model.inflation_rate)
    if appraisal.inflation_removed or not inflation:
        return None
    nominal_irr = appraisal.indicators.project_irr.value
    real_irr = None if nominal_irr is None else real_rate(nominal_irr, inflation=inflation)
    return {"inflation": percent(inflation), "real_irr": None if real_irr is None else percent(real_irr)}


def section_context(view: InvestorView, currency: Currency) -> dict:
    appraisal = view.analysis.appraisal
    table = cash_flow_table(appraisal, currency)
    bars = tornado_bars(view)
    return {
        "view": view,
        "currency": currency,
        "discount_rate_text": percent(view.discount_rate),
        # In another currency a nominal model is shown at constant prices (selectors.investor_analysis).
        "inflation_taken_out": percent(appraisal.inflation_removed) if appraisal.inflation_removed else None,
        "nominal": _nominal_note(view),
        "figures": headline(appraisal, currency, has_debt=bool(view.model.loans.all())),
        "table": table,
        "switching": switching_rows(view),
        "scenarios": scenario_rows(view, currency),
        "tornado_rows": [
            {
                "label": str(VARIABLE_LABELS[bar["variable"]]),
                "low": money(bar["low"], currency),
                "high": money(bar["high"], currency),
            }
            for bar in bars
        ],
        "chart": chart_data(view, table),
    }


def comparison_context(comparison: Comparison, currency: Currency) -> dict:
    """Columns of the comparison table and the cumulative-flow chart, all in one currency at one rate."""
    columns, series = [], []
    for item in comparison.items:
        appraisal = item.appraisal
        figures = [] if appraisal is None else headline(appraisal, currency, has_debt=True)
        columns.append({"opportunity": item.opportunity, "figures": figures, "problem": item.problem})
        if appraisal is not None:
            cumulative, points = 0.0, []
            for year in appraisal.years:
                cumulative += year.project_fcf
                points.append(cumulative)
            series.append({"label": item.opportunity.reference, "values": points})
    values = [v for line in series for v in line["values"]]
    divisor, word_fa, word_en = table_scale(values)
    scale = float(divisor)
    unit = f"{word_fa} {currency.name_fa}".strip() if persian() else f"{word_en} {currency.code}".strip()
    longest = max((len(line["values"]) for line in series), default=0)
    rows = []
    if columns and any(column["figures"] for column in columns):
        keys = [(figure.key, figure.label) for figure in next(c["figures"] for c in columns if c["figures"])]
        for key, label in keys:
            cells = [next((f for f in column["figures"] if f.key == key), None) for column in columns]
            rows.append({"label": label, "cells": cells})
    return {
        "columns": columns,
        "rows": rows,
        "discount_rate_text": percent(float(comparison.discount_rate)),
        "chart": {
            "rtl": persian(),
            "locale": "fa-IR" if persian() else "en-US",
            "unit": unit,
            "years": [digits(str(t)) for t in range(longest)],
            "series": [
                {"label": line["label"], "values": [round(v / scale, 3) for v in line["values"]]} for line in series
            ],
            "text": {"cumulative": str(_("Cumulative cash flow")), "year": str(_("Year"))},
        },
    }
