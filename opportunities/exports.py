"""Streamed CSV and XLSX downloads of a result set, in constant memory, safe to open in a spreadsheet.

Reusable by design: a download is a list of `Column`s (a values() path or a function of the row, a Persian and an
English header) applied to any queryset. Rows are read with `values_list(...).iterator()` (a server-side cursor on
PostgreSQL), so no model instance is built and memory does not grow with the row count. CSV is written row by row
into a `StreamingHttpResponse`; XLSX goes through openpyxl's write-only workbook, which spills rows to a temporary
file, and the finished file is streamed from an unlinked temporary file.

Every text cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return) gets a
leading apostrophe: a title typed as `=HYPERLINK(...)` stays text.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .choices import OpportunityType, Stage, Status

CHUNK_ROWS = 2_000
MAX_ROWS = 100_000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell_safe(value):
    """A value a spreadsheet shows as typed: text that looks like a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


@dataclass(frozen=True)
class Column:
    """One output column: the row fields it reads, how it turns them into a cell, and its two headers."""

    header_fa: str
    header_en: str
    paths: tuple[str, ...]
    render: Callable[..., object] | None = None

    def header(self, language: str) -> str:
        return self.header_en if language == "en" else self.header_fa


def _plain(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def tabular_rows(
    queryset: QuerySet, columns: Sequence[Column], *, language: str, max_rows: int | None = MAX_ROWS
) -> Iterator[list]:
    """The header row, then one list of cell values per row, read in chunks from a server-side cursor."""
    yield [column.header(language) for column in columns]
    paths = list(dict.fromkeys(path for column in columns for path in column.paths))
    positions = {path: index for index, path in enumerate(paths)}
    if max_rows is not None:
        queryset = queryset[:max_rows]
    for record in queryset.values_list(*paths).iterator(chunk_size=CHUNK_ROWS):
        cells = []
        for column in columns:
            values = [record[positions[path]] for path in column.paths]
            value = column.render(*values) if column.render else values[0]
            cells.append(cell_safe(_plain(value)))
        yield cells


class _Echo:
    """csv.writer writes into this and gets the line back, so each row is yielded as soon as it is formatted."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(rows: Iterable[list]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, so Excel shows Persian correctly when the file is opened directly."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    for row in rows:
        yield writer.writerow(["" if cell is None else cell for cell in row]).encode()


def csv_response(rows: Iterable[list], *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_chunks(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_file(rows: Iterable[list], *, sheet_title: str, right_to_left: bool):
    """The workbook in an anonymous temporary file (deleted when closed), positioned at its start."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.sheet_view.rightToLeft = right_to_left
    for row in rows:
        sheet.append(row)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it when sent
    workbook.save(handle)
    handle.seek(0)
    return handle


def xlsx_response(rows: Iterable[list], *, filename: str, sheet_title: str, right_to_left: bool) -> FileResponse:
    handle = xlsx_file(rows, sheet_title=sheet_title, right_to_left=right_to_left)
    return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE)


# ---------------------------------------------------------------------------------------------------------------
# The catalogue's columns


def _labels(choices) -> Callable[[str], str]:
    """Choice labels in the language active when the download starts (the rows are written after the view returns)."""
    table = {value: str(label) for value, label in choices}
    return lambda value: table.get(value, value or "")


def _yes_no(language: str) -> Callable[[bool], str]:
    yes, no = ("yes", "no") if language == "en" else ("بله", "خیر")
    return lambda value: yes if value else no


def _percent(value):
    return None if value is None else (value * 100).quantize(Decimal("0.01"))


def opportunity_columns(*, language: str, detail_url: str = "/opportunities/__reference__/") -> list[Column]:
    """The catalogue download: what an investor compares in a spreadsheet, names in the download's language.

    `detail_url` is a link to one opportunity with `__reference__` in place of its reference.
    """
    suffix = "en" if language == "en" else "fa"
    with translation.override(language):
        kind, stage, status = _labels(OpportunityType.choices), _labels(Stage.choices), _labels(Status.choices)
    yes_no = _yes_no(language)
    return [
        Column("شناسه", "Reference", ("reference",)),
        Column("عنوان", "Title", (f"title_{suffix}", "title_fa"), lambda own, fa: own or fa),
        Column("استان", "Province", (f"province__name_{suffix}",)),
        Column("شهرستان", "County", (f"county__name_{suffix}",)),
        Column("بخش", "Sector", (f"sector__name_{suffix}",)),
        Column("محصول", "Commodity", (f"commodity__name_{suffix}",)),
        Column("نوع", "Type", ("type",), kind),
        Column("مرحله", "Stage", ("stage",), stage),
        Column("وضعیت", "Status", ("status",), status),
        Column("سرمایه‌گذاری", "Capex", ("capex_amount",)),
        Column("واحد پول", "Currency", ("capex_currency_id",)),
        Column("سرمایه‌گذاری (دلار)", "Capex (USD)", ("capex_usd",)),
        Column("نرخ بازده داخلی واقعی (٪)", "Real IRR (%)", ("fin_irr",), _percent),
        Column("دوره بازگشت (سال)", "Payback (years)", ("fin_payback_years",)),
        Column("اشتغال مستقیم", "Direct jobs", ("jobs",)),
        Column("منطقه آزاد", "Free zone", ("in_free_zone",), yes_no),
        Column("منطقه ویژه اقتصادی", "Special economic zone", ("in_special_economic_zone",), yes_no),
        Column("منطقه کمتر توسعه‌یافته", "Less-developed area", ("in_less_developed_area",), yes_no),
        Column("معافیت مالیاتی (سال)", "Tax holiday (years)", ("tax_holiday_years",)),
        Column("مدل مالی", "Financial model", ("has_financial_model",), yes_no),
        Column("کامل بودن (٪)", "Completeness (%)", ("completeness",)),
        Column("تاریخ انتشار", "Published", ("published_at",)),
        Column("نشانی", "Link", ("reference",), lambda reference: detail_url.replace("__reference__", reference)),
    ]


def opportunities_download(queryset: QuerySet, *, fmt: str, language: str, detail_url: str):
    """The response for a catalogue download in `fmt` ("csv" or "xlsx")."""
    rows = tabular_rows(queryset, opportunity_columns(language=language, detail_url=detail_url), language=language)
    filename = f"opportunities-{timezone.localdate().isoformat()}"
    if fmt == "xlsx":
        title = str(_("Opportunities")) if language == "en" else "فرصت‌ها"
        return xlsx_response(rows, filename=filename, sheet_title=title, right_to_left=language != "en")
    return csv_response(rows, filename=filename)
