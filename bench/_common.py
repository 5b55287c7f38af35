"""Shared helpers for the benchmarks: a UTF-8 PostgreSQL bench database, generated listings, medians and memory.

Why a bench database of its own: the figures must come from a PostgreSQL database with a UTF-8 ctype (with a `C`
ctype the trigrams of Persian text are empty and the GIN index finds nothing) holding hundreds of thousands of rows,
which neither the development database nor a test database should carry. Call `django_setup` before importing any
model: it points DATABASE_URL at the bench database before Django reads its settings.
"""

from __future__ import annotations

import datetime
import gc
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
BATCH = 5_000
GIN_INDEX = "opp_search_key_trgm"


def out(line: str = "") -> None:
    """Benchmarks report on stdout (no print, as the house style asks)."""
    sys.stdout.write(f"{line}\n")
    sys.stdout.flush()


def database_url(name: str) -> str:
    return f"{DEFAULT_SERVER.rstrip('/')}/{name}"


def database_ensure(name: str, *, fresh: bool = False) -> None:
    """Create the bench database from template0 with a UTF-8 encoding and ctype (dropped first when `fresh`)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            admin.execute(
                sql.SQL(
                    "CREATE DATABASE {} WITH TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                ).format(sql.Identifier(name))
            )


def django_setup(name: str) -> None:
    """Point Django at the bench database and start it; migrations and reference data are brought up to date."""
    os.environ["DATABASE_URL"] = database_url(name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    _bring_up_to_date()


def database_switch(name: str, *, template: str | None = None) -> None:
    """Point the running Django at another bench database, created first (as a copy of `template`, if given)."""
    from django.db import connections

    connections.close_all()
    if template is not None:
        database_copy(name, template=template)
    else:
        database_ensure(name)
    connections["default"].settings_dict["NAME"] = name
    _bring_up_to_date()


def database_drop(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def database_copy(name: str, *, template: str) -> None:
    """A new database as a file-level copy of `template` (which must have no open connections)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        statement = sql.SQL("CREATE DATABASE {} WITH TEMPLATE {}")
        admin.execute(statement.format(sql.Identifier(name), sql.Identifier(template)))


def _bring_up_to_date() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)


@dataclass
class Reference:
    """The reference rows every generated listing points at, read once."""

    provinces: list
    counties_by_province: dict
    sectors: list
    commodities: list
    currencies: list
    event: object
    units_per_usd: dict[str, Decimal]


def reference_load() -> Reference:
    from registry.models import Commodity, County, Currency, Event, Province, Sector
    from registry.selectors import exchange_rate_latest

    counties: dict[int, list] = {}
    for county in County.objects.all():
        counties.setdefault(county.province_id, []).append(county)
    currencies = list(Currency.objects.all())
    rates = {}
    for currency in currencies:
        rate = exchange_rate_latest(currency_code=currency.code)
        if rate is not None:
            rates[currency.code] = rate.units_per_usd
    return Reference(
        provinces=list(Province.objects.all()),
        counties_by_province=counties,
        sectors=list(Sector.objects.all()),
        commodities=list(Commodity.objects.all()),
        currencies=currencies,
        event=Event.objects.order_by("starts_on").first(),
        units_per_usd=rates,
    )


def listings_iter(*, reference: Reference, count: int, seed: int, counters: dict[str, int]) -> Iterator:
    """`count` generated listings spread over every province, numbered after `counters` (advanced in place)."""
    from opportunities.demo import iter_opportunities

    return iter_opportunities(
        count=count,
        province=None,
        provinces=reference.provinces,
        counties_by_province=reference.counties_by_province,
        sectors=reference.sectors,
        commodities=reference.commodities,
        currencies=reference.currencies,
        event=reference.event,
        units_per_usd=reference.units_per_usd,
        seed=seed,
        reference_counters=counters,
    )


def _copy_columns():
    from opportunities.models import Opportunity

    return [field for field in Opportunity._meta.concrete_fields if not field.primary_key]


def listings_insert(rows: Iterator, *, batch: int = BATCH) -> int:
    """Insert generated rows with COPY on PostgreSQL (bulk_create elsewhere), `batch` rows at a time.

    COPY skips the ORM's per-row INSERT building; values go through each field's `get_db_prep_save`, so what lands in
    the table is what `bulk_create` would have written. created/updated timestamps are set here because COPY does not
    run `pre_save`.
    """
    from django.db import connection

    from opportunities.models import Opportunity

    fields = _copy_columns()
    now = datetime.datetime.now(tz=datetime.UTC)
    written = 0
    if connection.vendor != "postgresql":
        while chunk := list(islice(rows, batch)):
            Opportunity.objects.bulk_create(chunk, batch_size=batch)
            written += len(chunk)
        return written
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(Opportunity._meta.db_table)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        while chunk := list(islice(rows, batch)):
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in chunk:
                    row.created_at = row.updated_at = now
                    copy.write_row(
                        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
                    )
            written += len(chunk)
    return written


def search_index_drop() -> None:
    """Loading a million rows into a GIN index row by row is slow; the index is rebuilt once after the load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


def search_index_create() -> None:
    """The same index as opportunities/migrations/0002, built in one pass, then fresh statistics for the planner."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON opportunities_opportunity USING gin (search_key gin_trgm_ops)"
        )
    vacuum_analyze()


def vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE opportunities_opportunity")
        cursor.execute("VACUUM ANALYZE opportunities_document")


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def median_ms(fn: Callable[[], object], *, repeat: int = 7, warmup: int = 1) -> float:
    """Median wall time in milliseconds after `warmup` untimed runs (to warm caches and the plan)."""
    for _ in range(warmup):
        fn()
    return statistics.median(timed(fn) for _ in range(repeat)) * 1000


def max_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Memory:
    seconds: float
    traced_peak_mb: float
    rss_before_mb: float
    rss_after_mb: float

    def __str__(self) -> str:
        grown = self.rss_after_mb - self.rss_before_mb
        return (
            f"{self.seconds:.1f} s, tracemalloc peak {self.traced_peak_mb:.1f} MB, "
            f"ru_maxrss {self.rss_after_mb:.0f} MB (grew {grown:.0f} MB)"
        )


def measure_memory(fn: Callable[[], object]) -> tuple[object, Memory]:
    """Run `fn` under tracemalloc: its Python allocation peak and the process's ru_maxrss before and after."""
    gc.collect()
    before = max_rss_mb()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = fn()
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    seconds = time.perf_counter() - started
    return result, Memory(seconds, peak / 2**20, before, max_rss_mb())


def explain(sql: str, params=(), *, analyze: bool = True) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of one statement, as text."""
    from django.db import connection

    options = "ANALYZE, BUFFERS" if analyze else "COSTS"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def abbreviated(plan: str, *, lines: int = 14) -> str:
    """The top of a plan, which names the nodes and indexes that matter."""
    rows = plan.splitlines()
    shown = rows[:lines]
    if len(rows) > lines:
        shown.append(f"  … ({len(rows) - lines} more lines)")
    return "\n".join(f"    {row}" for row in shown)


def ratio(measured: float, floor: float) -> str:
    return f"{measured / floor:.2f}x" if floor else "n/a"
