"""What an appraisal depends on: the Decimal inputs of a model, their validation and their identifying hash.

Money enters as ``Decimal`` (exact, hashable, round-trips from storage); the engine converts it to ``float`` once.
Validation lists every problem as ``(field, message)`` with the field named the way a form or an API client names it
(``horizon_years``, ``years[3].year_index``, ``loans[0].tenor_years``), so a caller can show all of them at once.

:func:`read` reads the yearly lines once for the engine: their float table, the validation and the hash all come from
one pass over the values, because converting a Decimal to float or to canonical text costs far more than the
arithmetic done with it.  Conversions are memoised per value; values whose float hides what validation must see
(non-finite, or a non-zero that underflows to zero) send the model through the exact, value-by-value checks.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import lru_cache
from itertools import chain
from operator import attrgetter

import numpy as np

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
    inflation_rate: Decimal = ZERO  # a year, built into nominal prices; 0 for constant prices


class InvalidInputs(ValueError):
    """Raised by appraise() so that callers get every (field, message) problem at once instead of bad numbers."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors))
        self.errors = errors


def is_number(value: object) -> bool:
    """A finite Decimal: floats are refused so that stored and recomputed inputs can never differ by rounding."""
    return isinstance(value, Decimal) and value.is_finite()


def _check_model(inputs: ModelInputs) -> list[tuple[str, str]]:
    errors = []
    currency = inputs.currency
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha() and currency.isupper()):
        errors.append(("currency", "must be a three-letter ISO 4217 code such as USD or IRR"))
    if not 1 <= inputs.horizon_years <= MAX_HORIZON_YEARS:
        errors.append(("horizon_years", f"must be between 1 and {MAX_HORIZON_YEARS} years"))
    for name in ("discount_rate", "reinvestment_rate", "inflation_rate"):
        rate = getattr(inputs, name)
        if (rate is not None or name != "reinvestment_rate") and not (is_number(rate) and rate > -1):
            errors.append((name, "must be a Decimal fraction greater than -1 (-100%)"))
    if not (is_number(inputs.tax_rate) and 0 <= inputs.tax_rate <= 1):
        errors.append(("tax_rate", "must be a Decimal fraction between 0 and 1"))
    for name in ("useful_life_years", "amortisation_years"):
        if getattr(inputs, name) < 1:
            errors.append((name, "must be at least one year"))
    if inputs.capacity_volume is not None and not (is_number(inputs.capacity_volume) and inputs.capacity_volume > 0):
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
        if value is not None and not (is_number(value) and value >= 0):
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
    if not (is_number(loan.amount) and loan.amount > 0):
        errors.append((f"{prefix}.amount", "must be a positive Decimal"))
    if not (is_number(loan.annual_rate) and loan.annual_rate >= 0):
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
    return read(inputs=inputs).errors


def _exact_errors(inputs: ModelInputs) -> list[tuple[str, str]]:
    """Every problem, checked value by value: the reference rules, run whenever the fast checks are not sure."""
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
    return errors + _loan_errors(inputs, horizon if known else MAX_HORIZON_YEARS)


def _loan_errors(inputs: ModelInputs, horizon: int) -> list[tuple[str, str]]:
    errors = []
    for position, loan in enumerate(inputs.loans):
        errors.extend(_check_loan(loan, f"loans[{position}]", horizon))
    return errors


_LINE_FIELDS = tuple(item.name for item in fields(YearLine))
_LOAN_FIELDS = tuple(item.name for item in fields(Loan))
_MODEL_FIELDS = tuple(item.name for item in fields(ModelInputs) if item.name not in {"years", "loans"})
# The field names head the canonical text, so adding or renaming a field changes every hash, as it should.
_HEADER = "|".join(",".join(names) for names in (_MODEL_FIELDS, _LINE_FIELDS, _LOAN_FIELDS))


@lru_cache(maxsize=8192)
def _plain_decimal(value: Decimal) -> str:
    """One string per value: equal Decimals ("0.1000" and "0.1", "1E+8" and "100000000") give the same text."""
    if not value:
        return "0"
    if not value.is_finite():
        return str(value)
    return format(value.normalize(), "f")


def _plain(value: object) -> str:
    if value.__class__ is Decimal:
        return _plain_decimal(value)
    return "" if value is None else str(value)


def inputs_hash(*, inputs: ModelInputs) -> str:
    """SHA-256 of a canonical text, so that equal models (whatever the Decimal spelling or year order) match.

    The text is a header naming the fields, then one line for the model, one per year (sorted by index, prefixed
    ``Y``) and one per loan (in order, prefixed ``L``), each listing its fields in declaration order; None is empty.
    Plain text rather than JSON because the hash is computed on every appraisal and JSON costs three times as much.
    """
    rows = [_HEADER, ",".join([_plain(getattr(inputs, name)) for name in _MODEL_FIELDS])]
    for line in sorted(inputs.years, key=_year_index):
        rows.append("Y" + ",".join([_plain(getattr(line, name)) for name in _LINE_FIELDS]))
    for loan in inputs.loans:
        rows.append("L" + ",".join([_plain(getattr(loan, name)) for name in _LOAN_FIELDS]))
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def _year_index(line: YearLine) -> int:
    return line.year_index


# --- reading the yearly lines once ------------------------------------------------------------------------------

_AMOUNT_VALUES = attrgetter(*_AMOUNTS)
_YEAR_INDEX = attrgetter("year_index")
_DECIMAL_OR_NONE = frozenset({Decimal, type(None)})
VOLUME, PRICE, REVENUE, VARIABLE, FIXED, OPERATING = (_AMOUNTS.index(name) for name in _AMOUNTS[3:9])


class _Memo(dict):
    """A bounded value -> derived value memo; a miss derives the value, and a full memo starts again empty.

    Keys are Decimals (and None), so equal Decimals spelled differently share an entry: the derived values here
    (float, canonical text) are equal for equal Decimals by construction.
    """

    __slots__ = ("_derive", "_seed")

    def __init__(self, derive, seed: dict) -> None:
        super().__init__(seed)
        self._derive, self._seed = derive, seed

    def __missing__(self, key):
        value = self._derive(key)
        if len(self) >= 65536:
            self.reset()
        self[key] = value
        return value

    def reset(self) -> None:
        """Forget every derived value but the seeds."""
        self.clear()
        self.update(self._seed)


_UNDERFLOWS: set[Decimal] = set()  # non-zero Decimals whose float is zero: the fast checks cannot see them


def _to_float(value: Decimal) -> float:
    """float(value) for a finite Decimal; inf for anything else, which the fast checks reject."""
    if not value.is_finite():
        return math.inf
    number = float(value)
    if number == 0 and value and len(_UNDERFLOWS) < 4096:
        _UNDERFLOWS.add(value)
    return number


def _float_and_text(value: Decimal) -> tuple[float, str]:
    """What the engine needs of a Decimal: its float and its canonical text, looked up together (a Decimal does
    not keep its hash, so one lookup instead of two halves the hashing too)."""
    return _to_float(value), _plain_decimal.__wrapped__(value)


_VALUES = _Memo(_float_and_text, {None: (math.nan, ""), ZERO: (0.0, "0")})


def forget_values() -> None:
    """Empty the per-value memo, so that a benchmark can also measure models whose values were never seen."""
    _VALUES.reset()
    _UNDERFLOWS.clear()
    _plain_decimal.cache_clear()


@dataclass(frozen=True, slots=True, eq=False)
class Reading:
    """The inputs read once: every validation problem, the float table of the lines and what the hash needs.

    ``table`` has one row per given line (in input order) and one column per amount in ``_AMOUNTS`` order, None as
    NaN; ``indexes`` are the lines' year indexes and ``texts`` the canonical texts of the amounts, row by row.
    ``texts`` is None when some value is not a Decimal, in which case the table is None too and only the exact
    checks and hash apply.
    """

    errors: list[tuple[str, str]]
    table: np.ndarray | None
    indexes: list[int]
    texts: tuple[str, ...] | None


def read(*, inputs: ModelInputs) -> Reading:
    """Validate and convert the lines in one pass; exactly the problems of the value-by-value rules, in order."""
    lines = inputs.years
    indexes = list(map(_YEAR_INDEX, lines))
    values = list(chain.from_iterable(map(_AMOUNT_VALUES, lines)))
    plain = set(map(type, values)) <= _DECIMAL_OR_NONE and set(map(type, indexes)) <= {int}
    if not plain:
        return Reading(_exact_errors(inputs), None, indexes, None)
    try:
        floats, texts = zip(*map(_VALUES.__getitem__, values), strict=True) if values else ((), ())
    except TypeError:  # a signalling NaN cannot be hashed
        return Reading(_exact_errors(inputs), None, indexes, None)
    table = np.array(floats, dtype=float).reshape(len(lines), len(_AMOUNTS))
    if _plainly_valid(inputs, table, indexes, values):
        errors = _loan_errors(inputs, inputs.horizon_years) if inputs.loans else []
    else:
        errors = _exact_errors(inputs)
    return Reading(errors, table, indexes, texts)


def _broken_line(code: int) -> bool:
    """The cross-field rules of _check_line on a line's presence code (see _plainly_valid)."""
    no_volume, no_price, no_operating = code & 1, code & 2, code & 4
    revenue, variable, fixed = code & 8, code & 16, code & 32
    pricing = not no_price and (no_volume or revenue)
    return bool(pricing or (variable and no_volume) or (not no_operating and (variable or fixed)))


_BROKEN = np.array([_broken_line(code) for code in range(64)])
_MISSING_BITS, _SET_BITS = np.zeros(len(_AMOUNTS)), np.zeros(len(_AMOUNTS))
_MISSING_BITS[[VOLUME, PRICE, OPERATING]] = 1, 2, 4
_SET_BITS[[REVENUE, VARIABLE, FIXED]] = 8, 16, 32


def _plainly_valid(inputs: ModelInputs, table: np.ndarray, indexes: list[int], values: list) -> bool:
    """True only when the exact rules would find no problem in the model fields and lines (loans are apart).

    Each line's cross-field rules depend only on which of six amounts are missing or non-zero, so each line gets a
    6-bit code (two small matrix products) looked up in a table of the rules; a None where zero is expected counts
    as non-zero, which only sends the model to the exact checks.
    """
    if _check_model(inputs) or (_UNDERFLOWS and not _UNDERFLOWS.isdisjoint(values)):
        return False
    inside = not indexes or (min(indexes) >= 0 and max(indexes) < inputs.horizon_years)
    if not inside or len(set(indexes)) != len(indexes):
        return False
    if not table.size:
        return True
    if not (np.fmin.reduce(table, axis=None) >= 0 and np.fmax.reduce(table, axis=None) < math.inf):
        return False
    codes = np.isnan(table) @ _MISSING_BITS + (table != 0) @ _SET_BITS
    return not np.logical_or.reduce(_BROKEN[codes.astype(np.intp)])


def reading_hash(*, inputs: ModelInputs, reading: Reading) -> str:
    """inputs_hash() from a reading, reusing its texts: the same text, without a function call per value."""
    if reading.texts is None:
        return inputs_hash(inputs=inputs)
    rows = map(",".join, zip(*[iter(reading.texts)] * len(_AMOUNTS), strict=True))
    lines = list(map("Y{},{}".format, reading.indexes, rows))
    if reading.indexes != sorted(reading.indexes):
        lines = [line for _, line in sorted(zip(reading.indexes, lines, strict=True), key=_first)]
    head = [_HEADER, ",".join([_plain(getattr(inputs, name)) for name in _MODEL_FIELDS])]
    loans = ["L" + ",".join([_plain(getattr(loan, name)) for name in _LOAN_FIELDS]) for loan in inputs.loans]
    return hashlib.sha256("\n".join(head + lines + loans).encode()).hexdigest()


def _first(pair: tuple) -> object:
    return pair[0]
