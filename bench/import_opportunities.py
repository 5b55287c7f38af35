"""Spreadsheet import of 10,000 rows against a bulk_create floor, in one run, on PostgreSQL.

The floor is the least any import must do: Opportunity.objects.bulk_create of the same 10,000 rows, already
built in memory (no parsing, no checks, no references, no history). The import parses the sheet, checks every
row, allocates references, derives USD figures, completeness and search keys, and writes rows, history and events.
Floor and import alternate in each run; peak memory comes from one more import under tracemalloc, because tracing
slows the Python side (and only the import's side) by a large factor.

    .venv/bin/python bench/import_opportunities.py [--rows 10000]
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = "iob_bench_import"


def setup_database() -> None:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-E", "UTF8", "--lc-ctype=C.UTF-8", "-T", "template0", DB],
        check=True,
    )
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)


def sheet(rows: int):
    import tablib

    dataset = tablib.Dataset(
        headers=["title_fa", "title_en", "county", "sector", "type", "capex_amount", "capex_currency", "jobs"]
    )
    for i in range(rows):
        dataset.append(
            [
                f"طرح وارداتی شماره {i}",
                f"Imported project {i}",
                "WA-URM" if i % 2 else "WA-KHY",
                "MIN.MET" if i % 3 else "AGR.HRT",
                "greenfield",
                "۵۰ میلیارد" if i % 2 else "1500000",
                "IRR" if i % 2 else "USD",
                "۱۲۰",
            ]
        )
    return dataset


def floor(rows: int) -> float:
    """bulk_create of rows already built: the database's share of the work and nothing else."""
    from opportunities.models import Opportunity
    from registry.models import County, Province, Sector

    wa, urmia, sector = (
        Province.objects.get(code="WA"),
        County.objects.get(code="WA-URM"),
        Sector.objects.get(code="MIN.MET"),
    )
    objs = [
        Opportunity(
            reference=f"FLOOR-{i:06d}", title_fa=f"طرح {i}", title_en=f"Project {i}", province=wa, county=urmia,
            sector=sector, type="greenfield", search_key=f"طرح {i} project {i}",
        )
        for i in range(rows)
    ]  # fmt: skip
    started = time.perf_counter()
    Opportunity.objects.bulk_create(objs, batch_size=1000)
    elapsed = time.perf_counter() - started
    truncate()
    return elapsed


def truncate() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE opportunities_opportunity, opportunities_historicalopportunity, opportunities_opportunityevent,"
            " opportunities_referencecounter CASCADE"
        )


def _importer():
    from accounts.choices import Role
    from accounts.models import User
    from registry.models import Province

    wa = Province.objects.get(code="WA")
    staff, _ = User.objects.get_or_create(email="bench@example.com", defaults={"role": Role.PROVINCE_STAFF})
    staff.provinces.add(wa)
    return wa, User.objects.get(pk=staff.pk)


def run(rows: int, *, dry_run: bool = False) -> float:
    """One import of a fresh sheet into an empty catalogue, timed without tracing (tracemalloc slows Python code,
    not the database, so a traced import would be measured against an untraced floor)."""
    from opportunities.imports import run_import

    wa, staff = _importer()
    dataset = sheet(rows)
    started = time.perf_counter()
    outcome = run_import(dataset=dataset, province=wa, actor=staff, dry_run=dry_run)
    elapsed = time.perf_counter() - started
    assert not outcome.errors and outcome.created == (0 if dry_run else rows), outcome.errors[:3]
    truncate()
    return elapsed


def reimport(rows: int) -> float:
    """The sheet imported, then imported again with one more column: every row is updated (with history)."""
    from opportunities.imports import run_import

    wa, staff = _importer()
    run_import(dataset=sheet(rows), province=wa, actor=staff, dry_run=False)
    dataset = sheet(rows)
    dataset.append_col([f"Updated summary {i}" for i in range(rows)], header="summary_en")
    started = time.perf_counter()
    outcome = run_import(dataset=dataset, province=wa, actor=staff, dry_run=False)
    elapsed = time.perf_counter() - started
    assert not outcome.errors and outcome.updated == rows, outcome.errors[:3]
    truncate()
    return elapsed


def traced(rows: int) -> tuple[float, float, float]:
    """A separate import under tracemalloc: its Python allocation peak, and the process's peak RSS after it."""
    from opportunities.imports import run_import

    wa, staff = _importer()
    dataset = sheet(rows)
    tracemalloc.start()
    started = time.perf_counter()
    run_import(dataset=dataset, province=wa, actor=staff, dry_run=False)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    truncate()
    return elapsed, peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_database()
    floors, imports, dry_runs = [], [], []
    for _ in range(args.repeat):
        floors.append(floor(args.rows))
        imports.append(run(args.rows))
        dry_runs.append(run(args.rows, dry_run=True))
    updating = reimport(args.rows)
    traced_seconds, peak, rss = traced(args.rows)
    f, i, d = statistics.median(floors), statistics.median(imports), statistics.median(dry_runs)
    runs = ", ".join(f"{floor_s:.2f}/{import_s:.2f}" for floor_s, import_s in zip(floors, imports, strict=True))
    print(f"rows: {args.rows}  (PostgreSQL, median of {args.repeat}; floor/import per run: {runs} s)")
    print(f"bulk_create floor:  {f:8.3f} s   {args.rows / f:10.0f} rows/s")
    print(f"spreadsheet import: {i:8.3f} s   {args.rows / i:10.0f} rows/s")
    print(f"dry run (checks only, nothing written): {d:.3f} s")
    print(f"re-import updating every row (one run): {updating:.3f} s")
    print(f"import speed as a share of the floor: {f / i:.2f}x   (goal >= 0.2x)")
    print(f"import peak Python memory (tracemalloc, separate run of {traced_seconds:.1f} s): {peak / 2**20:.1f} MiB")
    print(f"process peak RSS: {rss:.1f} MiB")


if __name__ == "__main__":
    main()
