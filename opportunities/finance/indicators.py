"""The discounted-cash-flow primitives: NPV, IRR, MIRR, payback and the tax rule they all share.

NPV convention: every flow falls at the end of its year and year 0 is **not** discounted,
NPV = sum(CF_t / (1 + r) ** t, t = 0..n).  This is the numpy / ``pyxirr.npv`` convention (checked:
``pyxirr.npv(0.1, [-10000, 3000, 4200, 6800])`` = 1307.29 = Excel ``NPV(10%, 3000, 4200, 6800) - 10000``); Excel's
``NPV()`` alone starts discounting at t = 1.  A rate or payback that does not exist is an :class:`Indicator` with
``value=None`` and a reason, never 0 and never an exception.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial
from itertools import pairwise
from operator import ne
from typing import NamedTuple

import numpy as np
import pyxirr


class Indicator(NamedTuple):
    """A computed figure, or None with a reason: an indicator that does not exist must never read as zero.

    An immutable named tuple rather than a frozen dataclass: one analysis builds about a hundred of them, and a tuple
    is built an order of magnitude faster. Read it by attribute; treat it as a value, not as a sequence.
    """

    value: float | None
    reason: str | None = None
    note: str | None = None


def carried_forward_tax(*, profits: Sequence[float], rate: float) -> list[float]:
    """Tax per year on profit net of earlier losses (carried forward indefinitely), so tax is never negative."""
    return (taxable_profit(np.asarray(profits, dtype=float)) * rate).tolist()


def taxable_profit(profits: np.ndarray) -> np.ndarray:
    """Profit left to tax each year after losses carried forward indefinitely (no carry-back), along the last axis.

    Closed form, so that many cases are taxed in a few array operations: the profit taxed up to year t is
    max(0, the highest cumulative profit so far), and the year's taxable profit is its increase. A year that only
    recovers earlier losses leaves that maximum unchanged and is taxed exactly zero.
    """
    taxed = profits.cumsum(axis=-1)
    np.maximum(taxed, 0.0, out=taxed)
    np.maximum.accumulate(taxed, axis=-1, out=taxed)
    taxable = taxed.copy()
    taxable[..., 1:] -= taxed[..., :-1]
    return taxable


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
    return sum(map(ne, signs, signs[1:]))


def sign_change_counts(flows: np.ndarray) -> np.ndarray:
    """sign_changes() of every row of a (cases x years) array at once: zeros take the sign of the last non-zero."""
    signs = np.sign(flows)
    if np.logical_and.reduce(flows, axis=None):
        held = signs
    else:
        last = np.maximum.accumulate(np.where(signs != 0, np.arange(flows.shape[1]), 0), axis=1)
        held = signs[np.arange(flows.shape[0])[:, None], last]
    return np.add.reduce(held[:, 1:] * held[:, :-1] < 0, axis=1)


def _rate(compute: Callable[[], float | None], flows: Sequence[float], name: str) -> Indicator:
    return _rate_counted(compute, sign_changes(flows=flows), name)


def _rate_counted(compute: Callable[[], float | None], changes: int, name: str) -> Indicator:
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


# Rates at which NPV is probed when Newton's method from pyxirr's default guess (10%) does not converge, which
# happens for fast-growing nominal flows with an IRR far above 10%.
_LARGE = 1e10  # pyxirr converges on flows up to about this size (checked: 5e13 fails, 6e10 does not)
_PROBE_RATES = (-0.9, -0.5, -0.2, 0.0, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)


def _irr_value(flows: Sequence[float]) -> float | None:
    """pyxirr.irr on flows scaled to at most 1 in size; when it gives up, solve from the lowest probed bracket.

    The IRR does not depend on the scale of the flows, but pyxirr's convergence test does: rial flows in the
    trillions never meet it. Scaling first makes a rial model converge like the same model in dollars.
    """
    largest = max(map(abs, flows), default=0.0)
    if largest > _LARGE:
        flows = [value / largest for value in flows]
    return _irr_scaled(flows)


def _irr_scaled(flows: Sequence[float]) -> float | None:
    """The IRR search of _irr_value on flows already scaled to at most _LARGE in size."""
    value = pyxirr.irr(flows)
    if value is not None and math.isfinite(value):
        return value
    return _irr_search(flows)


def _irr_search(flows: Sequence[float]) -> float | None:
    """When Newton from the default guess failed: probe NPV for a sign change, then solve inside that bracket."""
    values = [(rate, pyxirr.npv(rate, flows)) for rate in _PROBE_RATES]
    for (low, at_low), (high, at_high) in pairwise(values):
        if (at_low > 0) != (at_high > 0):
            value = pyxirr.irr(flows, guess=(low + high) / 2)
            if value is not None and low <= value <= high:
                return value
            return _bisect(flows, low, at_low, high)
    return None


def _bisect(flows: Sequence[float], low: float, at_low: float, high: float) -> float:
    """Plain bisection inside a bracket: slow but certain, and only reached when Newton failed twice."""
    for _ in range(80):
        middle = (low + high) / 2
        at_middle = pyxirr.npv(middle, flows)
        if (at_middle > 0) == (at_low > 0):
            low, at_low = middle, at_middle
        else:
            high = middle
    return (low + high) / 2


def irr(*, flows: Sequence[float]) -> Indicator:
    """IRR via pyxirr.irr, or None with a reason when flows never change sign or no rate makes NPV zero."""
    return _rate(lambda: _irr_value(flows), flows, "IRR")


def irr_counted(*, flows: list[float], changes: int) -> Indicator:
    """irr() for flows already scaled like _irr_value scales them and whose sign changes were counted in bulk.

    Sensitivity analysis counts and scales all its cases in a few array operations, then calls this per case.
    """
    return _rate_counted(lambda: _irr_scaled(flows), changes, "IRR")


def irr_rows(*, rows: list[list[float]], changes: list[int]) -> list[Indicator]:
    """irr_counted() of many cases with the same pyxirr calls, minus the per-case wrapping for the common case.

    Rows with exactly one sign change whose first pyxirr.irr converges (nearly all of them) become an Indicator
    directly; every other row continues exactly where irr_counted() would.
    """
    found = []
    for flows, count in zip(rows, changes, strict=True):
        if count != 1:
            found.append(irr_counted(flows=flows, changes=count))
            continue
        try:
            value = pyxirr.irr(flows)
        except (pyxirr.InvalidPaymentsError, ValueError, ArithmeticError):
            found.append(_rate_counted(_no_rate, count, "IRR"))
            continue
        if value is not None and math.isfinite(value):
            found.append(Indicator(float(value)))
        else:
            found.append(_rate_counted(partial(_irr_search, flows), count, "IRR"))
    return found


def _no_rate() -> None:
    return None


def scaled_for_irr(flows: np.ndarray) -> np.ndarray:
    """Rows of flows larger than pyxirr converges on, divided by their largest magnitude as _irr_value does."""
    largest = np.maximum.reduce(np.abs(flows), axis=1)
    large = largest > _LARGE
    if np.logical_or.reduce(large):
        flows = flows.copy()
        flows[large] /= largest[large, None]
    return flows


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
