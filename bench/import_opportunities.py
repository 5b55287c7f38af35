"""Spreadsheet import of 10,000 rows against a bulk_create floor, in one run, on PostgreSQL.

The floor is the least any import must do: Opportunity.objects.bulk_create of the same 10,000 rows, already
built in memory (no parsing, no checks, no references, no history). The import parses the sheet, checks every
row, allocates references, derives USD figures, completeness and search keys, and writes rows, history and events.

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


def run(rows: int) -> tuple[float, int]:
    from accounts.choices import Role
    from accounts.models import User
    from opportunities.imports import run_import
    from registry.models import Province

    wa = Province.objects.get(code="WA")
    staff, _ = User.objects.get_or_create(email="bench@example.com", defaults={"role": Role.PROVINCE_STAFF})
    staff.provinces.add(wa)
    dataset = sheet(rows)
    tracemalloc.start()
    started = time.perf_counter()
    outcome = run_import(dataset=dataset, province=wa, actor=staff, dry_run=False)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not outcome.errors and outcome.created == rows, outcome.errors[:3]
    truncate()
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_database()
    floors, imports, peaks = [], [], []
    for _ in range(args.repeat):
        floors.append(floor(args.rows))
        elapsed, peak = run(args.rows)
        imports.append(elapsed)
        peaks.append(peak)
    f, i = statistics.median(floors), statistics.median(imports)
    print(f"rows: {args.rows}  (PostgreSQL, median of {args.repeat})")
    print(f"bulk_create floor:  {f:8.3f} s   {args.rows / f:10.0f} rows/s")
    print(f"spreadsheet import: {i:8.3f} s   {args.rows / i:10.0f} rows/s")
    print(f"import speed as a share of the floor: {f / i:.2f}x   (goal >= 0.2x)")
    print(f"import peak Python memory (tracemalloc): {max(peaks) / 2**20:.1f} MiB")
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
