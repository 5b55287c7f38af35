"""A financial model as a spreadsheet: the template staff download (filled with the stored model) and read back.

Three sheets. "Model": one row per model field (its key, Persian and English names, and the value in column D).
"Years": a column per yearly line and a row per year. "Loans": a column per loan term and a row per loan. In
"Years" and "Loans" the first row holds the keys the reader goes by, the second and third the Persian and English
names, and the data starts on row 4, so columns may be moved or left out (a missing line column counts as empty).
Cells may hold numbers or text in Persian or Arabic digits with scale words («۵۰ میلیارد»): the save service reads
them as it reads the API's. Reading returns plain values; `services.financial_model_save` checks and stores them,
and `locate` turns its error keys (``years[3].unit_price``) into the sheet, row and column a person can find.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from registry.templatetags.fa import digits
from registry.text import normalize

from .models import FinancialModel, Loan, YearLine
from .services import LINE_FIELDS, LOAN_FIELDS, MODEL_FIELDS

MODEL_SHEET, YEARS_SHEET, LOANS_SHEET = "Model", "Years", "Loans"
MODEL_ROWS = tuple(name for name in MODEL_FIELDS if name != "scenarios")  # the fields the save service takes
FIRST_DATA_ROW = 4  # after the keys, the Persian names and the English names
MAX_BYTES = 5 * 2**20
TRUE_WORDS = frozenset({"true", "yes", "1", "بله", "آری", "درست"})
FALSE_WORDS = frozenset({"false", "no", "0", "خیر", "نه", "نادرست"})


def _names(model_class, key: str) -> tuple[str, str]:
    """The field's name in Persian and in English."""
    verbose = model_class._meta.get_field(key).verbose_name
    with translation.override("fa"):
        persian = str(verbose)
    with translation.override("en"):
        english = str(verbose)
    return persian, english


def _cell(value):
    """A stored value as a spreadsheet cell: Decimals as numbers (exact up to 15 digits, as spreadsheets keep them)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _table(sheet, model_class, keys: tuple[str, ...], rows: list[list]) -> None:
    names = [_names(model_class, key) for key in keys]
    sheet.append(list(keys))
    sheet.append([persian for persian, _english in names])
    sheet.append([english for _persian, english in names])
    for cells in sheet.iter_rows(min_row=1, max_row=3):
        for cell in cells:
            cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    sheet.freeze_panes = f"B{FIRST_DATA_ROW}"


def template_workbook(*, model: FinancialModel | None, right_to_left: bool = True) -> bytes:
    """The template as .xlsx bytes, holding the stored model's values (or a blank model of five years)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = MODEL_SHEET
    sheet.append(["key", "عنوان", "Field", "مقدار / Value"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for key in MODEL_ROWS:
        if key == "currency":
            value = model.currency_id if model else "IRR"
        else:
            value = getattr(model, key) if model else FinancialModel._meta.get_field(key).get_default()
        sheet.append([key, *_names(FinancialModel, key), _cell(value)])
    sheet.column_dimensions["B"].width = sheet.column_dimensions["C"].width = 36
    keys = LINE_FIELDS
    if model:
        lines = [[getattr(line, key) for key in keys] for line in model.years.order_by("year_index")]
        loans = [[getattr(loan, key) for key in LOAN_FIELDS] for loan in model.loans.order_by("position", "id")]
    else:
        lines, loans = [[year, *([None] * (len(keys) - 1))] for year in range(5)], []
    _table(workbook.create_sheet(YEARS_SHEET), YearLine, keys, lines)
    _table(workbook.create_sheet(LOANS_SHEET), Loan, LOAN_FIELDS, loans)
    for each in workbook.worksheets:
        each.sheet_view.rightToLeft = right_to_left
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class SheetInputs:
    """What a filled template says, as the save service takes it, and where each value came from."""

    data: dict = field(default_factory=dict)
    years: list[dict] = field(default_factory=list)
    loans: list[dict] = field(default_factory=list)
    rows: dict[str, list[int]] = field(default_factory=dict)  # "years"/"loans" → the sheet row of each position

    def locate(self, key: str) -> str:
        """Where a person finds an error's field: «Years, row 7, unit price» for ``years[3].unit_price``."""
        found = re.fullmatch(r"(years|loans)\[(\d+)\]\.(\w+)", key)
        if found:
            table, position, name = found.group(1), int(found.group(2)), found.group(3)
            sheet, model_class = (YEARS_SHEET, YearLine) if table == "years" else (LOANS_SHEET, Loan)
            rows = self.rows.get(table, [])
            row = rows[position] if position < len(rows) else position + FIRST_DATA_ROW
            return _("%(sheet)s, row %(row)s, %(field)s") % {
                "sheet": sheet,
                "row": digits(row),
                "field": _label(model_class, name),
            }
        if key in MODEL_ROWS:
            return _("%(sheet)s, %(field)s") % {"sheet": MODEL_SHEET, "field": _label(FinancialModel, key)}
        return key


def _label(model_class, name: str) -> str:
    try:
        return str(model_class._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # an error about a column the model does not have keeps its key
        return name


def _value(value):
    """A cell as the save service takes it: text stripped (empty is None), floats as their shortest decimal."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    text = normalize(str(value)) if value is not None else ""
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValidationError({"recover_working_capital": [_("Enter yes or no.")]})


def _keyed_rows(sheet, known: tuple[str, ...], table: str, result: SheetInputs) -> list[dict]:
    header = [(_value(cell) or "") for cell in next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())]
    unknown = [str(name) for name in header if name and name not in known]
    if unknown:
        raise ValidationError(
            {"file": [_("The sheet %(sheet)s has columns the template does not: %(names)s.")
                      % {"sheet": sheet.title, "names": ", ".join(unknown)}]}
        )  # fmt: skip
    rows, numbers = [], []
    for number, values in enumerate(sheet.iter_rows(min_row=FIRST_DATA_ROW, values_only=True), FIRST_DATA_ROW):
        # An empty cell is a value not given (zero, or none for volume and price); an empty row is skipped.
        record = {name: value for name, value in zip(header, map(_value, values), strict=False) if name}
        record = {name: value for name, value in record.items() if value is not None}
        if not record:
            continue
        rows.append(record)
        numbers.append(number)
    result.rows[table] = numbers
    return rows


def read_workbook(content: bytes) -> SheetInputs:
    """The model fields, years and loans a filled template holds; a file that is not one is a `file` error.

    The upload form has refused files over MAX_BYTES before they are read."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ValidationError({"file": [_("This is not an .xlsx workbook.")]}) from None
    missing = [name for name in (MODEL_SHEET, YEARS_SHEET) if name not in workbook.sheetnames]
    if missing:
        raise ValidationError(
            {"file": [_("The workbook has no sheet named %(names)s; start from the template.")
                      % {"names": ", ".join(missing)}]}
        )  # fmt: skip
    result = SheetInputs()
    for row in workbook[MODEL_SHEET].iter_rows(min_row=2, values_only=True):
        key = _value(row[0]) if row else None
        if key in MODEL_ROWS:
            value = _value(row[3]) if len(row) > 3 else None
            result.data[key] = _boolean(value) if key == "recover_working_capital" else value
        elif key is not None:
            message = _("The Model sheet has a row the template does not: %(key)s.") % {"key": key}
            raise ValidationError({"file": [message]})
    if result.data.get("volume_unit") is None and "volume_unit" in result.data:
        result.data["volume_unit"] = ""
    result.years = _keyed_rows(workbook[YEARS_SHEET], LINE_FIELDS, "years", result)
    if LOANS_SHEET in workbook.sheetnames:
        result.loans = _keyed_rows(workbook[LOANS_SHEET], LOAN_FIELDS, "loans", result)
    workbook.close()
    return result
