"""Spreadsheet import and export of opportunities, in the columns of the downloadable template.

Reading and writing files goes through tablib, the engine django-import-export is built on. The row logic is
ours rather than an import-export Resource's, because it must (1) check every row against the
importer's province and report each problem with its row and field, (2) write nothing unless the whole file is
good, (3) upsert by reference through the same rules as the services (references, derived fields, history,
event rows), and (4) be fast enough for tens of thousands of rows: related rows are looked up once, each distinct
cell is parsed and each distinct field value validated once, and rows, history and events are written in bulk
(bench/import_opportunities.py measures it against a bare bulk_create).

`columns` (the template, files in and out), `parsing` (cells into values), `checking` (rows against the
province and the model), `writing` (references, derivation, rows, history, events), `runner` (the whole run and
the stored job).
"""

from .columns import COLUMN_BY_FIELD, COLUMNS, Column, export_rows, header_map, read_dataset
from .runner import ImportOutcome, import_job_run, run_import

__all__ = [
    "COLUMNS",
    "COLUMN_BY_FIELD",
    "Column",
    "ImportOutcome",
    "export_rows",
    "header_map",
    "import_job_run",
    "read_dataset",
    "run_import",
]
