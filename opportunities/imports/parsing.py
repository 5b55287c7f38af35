"""Cells into field values. A sheet repeats the same few codes, choices and yes/no words thousands of times, so
each distinct cell of a column is read once and the answer (a value or the message for the person who typed it)
is remembered for the rest of the file."""

from collections.abc import Iterator
from dataclasses import dataclass

import tablib
from django.utils import translation
from django.utils.translation import gettext as _

from registry.models import County, Sector
from registry.text import normalize, parse_number

from .columns import COLUMNS, Column, header_map

TRUE_WORDS = {"1", "true", "yes", "y", "x", "بله", "اری", "دارد", "✓"}
FALSE_WORDS = {"0", "false", "no", "n", "خیر", "نه", "ندارد", ""}
# Free text is taken as typed; every other kind is worth remembering.
REMEMBERED_KINDS = frozenset({"code", "choice", "bool", "int", "decimal"})


class Lookups:
    """Every related row a file may name, loaded once, keyed by its normalised code."""

    def __init__(self):
        self.by_model: dict[type, dict[str, object]] = {}
        for column in COLUMNS:
            if column.kind == "code" and column.model not in self.by_model:
                queryset = column.model.objects.all()
                if column.model is Sector:
                    queryset = queryset.select_related("parent")
                if column.model is County:
                    queryset = queryset.select_related("province")
                self.by_model[column.model] = {normalize(getattr(obj, column.key)): obj for obj in queryset}
        self.choices = {column.field: _choice_map(column) for column in COLUMNS if column.kind == "choice"}

    def get(self, column: Column, value: str):
        """The row a code names, however it is spelt; None for an unknown code."""
        return self.by_model[column.model].get(normalize(value))


def _choice_map(column: Column) -> dict[str, str]:
    """Every spelling of a choice (its code, its English and Persian labels), normalised; the first choice to claim
    a spelling keeps it."""
    spellings: dict[str, str] = {}
    for language in ("en", "fa"):
        with translation.override(language):
            for choice_value, label in column.choices.choices:
                spellings.setdefault(normalize(choice_value), choice_value)
                spellings.setdefault(normalize(str(label)), choice_value)
    return spellings


def _parse_bool(value: str) -> bool:
    word = normalize(value)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_("Write yes or no (بله / خیر)."))


def _parse_choice(column: Column, value: str, lookups: Lookups) -> str:
    """A choice by its code or by its label in either language."""
    found = lookups.choices[column.field].get(normalize(value))
    if found is None:
        raise ValueError(_("Unknown value; use one of: %(values)s") % {"values": ", ".join(column.choices.values)})
    return found


def parse_cell(column: Column, raw, lookups: Lookups):
    """One cell into a field value, or ValueError with a message for the person who typed it."""
    value = "" if raw is None else str(raw).strip()
    if column.kind == "code":
        if not value:
            return None
        found = lookups.get(column, value)
        if found is None:
            raise ValueError(_("Unknown code “%(value)s”.") % {"value": value})
        return found
    if column.kind == "bool":
        return _parse_bool(value)
    if not value:
        return "" if column.kind in ("text", "choice") else None
    if column.kind == "decimal":
        return parse_number(value)
    if column.kind == "int":
        number = parse_number(value)
        if number != number.to_integral_value():
            raise ValueError(_("Enter a whole number."))
        return int(number)
    if column.kind == "choice":
        return _parse_choice(column, value, lookups)
    return value


class CellReader:
    """`parse_cell` with a memory per column: values are immutable (or shared reference rows), so reusing them is
    safe, and the cache holds at most one entry per distinct cell of the file."""

    def __init__(self, lookups: Lookups):
        self.lookups = lookups
        self.seen: dict[tuple[str, str], tuple[object, str | None]] = {}

    def read(self, column: Column, raw):
        """The cell's value; ValueError (with the same message every time) for a bad one."""
        if column.kind not in REMEMBERED_KINDS:
            return parse_cell(column, raw, self.lookups)
        key = (column.field, "" if raw is None else str(raw))
        answer = self.seen.get(key)
        if answer is None:
            try:
                answer = (parse_cell(column, raw, self.lookups), None)
            except ValueError as error:
                answer = (None, str(error))
            self.seen[key] = answer
        if answer[1] is not None:
            raise ValueError(answer[1])
        return answer[0]


@dataclass
class RowResult:
    """One data row: its spreadsheet number, the values read from it, and the cells that could not be read."""

    number: int
    data: dict
    errors: list[dict]


def parse_rows(dataset: tablib.Dataset, *, lookups: Lookups) -> Iterator[RowResult]:
    """Each data row's values and cell errors, numbered as the spreadsheet numbers them; unknown headers first."""
    mapping, unknown = header_map(list(dataset.headers or []))
    if unknown:
        yield RowResult(1, {}, [{"row": 1, "field": h, "message": _("Unknown column.")} for h in unknown])
    reader = CellReader(lookups)
    for offset, row in enumerate(dataset, start=2):  # row 1 is the header, as the spreadsheet numbers it
        data, errors = {}, []
        for index, column in mapping.items():
            try:
                data[column.field] = reader.read(column, row[index] if index < len(row) else None)
            except ValueError as error:
                errors.append({"row": offset, "field": column.field, "message": str(error)})
        yield RowResult(offset, data, errors)
