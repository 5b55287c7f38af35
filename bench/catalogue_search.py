"""Catalogue search at scale: search + filters + facets through the selectors and ORM against hand-written SQL on the
same indexes, in the same run, at 100,000 and 1,000,000 generated listings on PostgreSQL; the growth between sizes;
EXPLAIN plans; the API list endpoint against hand-written SQL; peak memory of generating rows and of exports.

    .venv/bin/python bench/catalogue_search.py                     # 100k and 1M (databases iob_bench_search_<rows>)
    .venv/bin/python bench/catalogue_search.py --sizes 100000     # one size
    .venv/bin/python bench/catalogue_search.py --quick            # 10k rows, a smoke run

Goals: ORM ≤ 2x the hand-written SQL; median at 1M ≤ 2x the median at 100k. Figures are printed, never asserted.

Each size has a database of its own, kept between runs (`--fresh` starts again). Up to BASE_SIZE rows are generated
listing by listing; a larger size is a copy of the BASE_SIZE database whose listings are repeated in SQL, each copy
filed one year earlier (its references, search keys and dates shifted), so every size has the same mix of words,
provinces and sectors and the growth between sizes measures the size alone.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common as common
from bench._common import abbreviated, measure_memory, median_ms, out, ratio

DATABASE = "iob_bench_search"
BASE_SIZE = 100_000
PUBLIC = ("published", "in_negotiation", "contracted")


# ---------------------------------------------------------------------------------------------------------------
# Data


def _counters() -> dict[str, int]:
    """The last reference number used per prefix, so appended rows continue every sequence."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT regexp_replace(reference, '-[0-9]+$', ''), max(substring(reference from '[0-9]+$')::int) "
            "FROM opportunities_opportunity GROUP BY 1"
        )
        return dict(cursor.fetchall())


def _decorate(first_id: int) -> None:
    """What the generator does not make: headline financial figures and documents on some rows, statuses."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE opportunities_opportunity SET has_financial_model = true, "
            "fin_irr = (abs(hashtext(reference)) %% 4000) / 10000.0, "
            "fin_payback_years = 2 + (abs(hashtext(reference)) %% 120) / 10.0, "
            "completeness = 40 + abs(hashtext(reference)) %% 60 WHERE id >= %s AND id %% 3 = 0",
            [first_id],
        )
        cursor.execute(
            "UPDATE opportunities_opportunity SET status = 'in_negotiation' WHERE id >= %s AND id %% 50 = 7",
            [first_id],
        )
        _decorate_documents(cursor, first_id)


def _decorate_documents(cursor, first_id: int) -> None:
    """A public brochure on every twentieth listing from first_id on."""
    cursor.execute(
        "INSERT INTO opportunities_document (opportunity_id, title, file, kind, language, access_level, "
        "content_type, size_bytes, created_at) SELECT id, 'brochure', 'documents/' || reference || '/b.pdf', "
        "'brochure', 'fa', 'public', 'application/pdf', 1000, now() FROM opportunities_opportunity "
        "WHERE id >= %s AND id %% 20 = 0",
        [first_id],
    )


def rows_ensure(size: int, reference) -> None:
    """Bring the table to exactly `size` generated rows: append to a smaller table, start again from a larger one."""
    from django.db import connection

    from opportunities.models import Opportunity

    current = Opportunity.objects.count()
    if current > size:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE opportunities_opportunity, opportunities_document RESTART IDENTITY CASCADE")
        current = 0
    if current == size:
        out(f"  {size:,} rows already there")
        return
    missing = size - current
    common.search_index_drop()
    counters = _counters()
    first_id = (Opportunity.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    rows = common.listings_iter(reference=reference, count=missing, seed=1404 + current, counters=counters)
    if current == 0 and missing <= 100_000:
        written, memory = measure_memory(lambda: common.listings_insert(rows))
        out(f"  generated and inserted {written:,} rows: {memory}")
    else:
        started = time.perf_counter()
        written = common.listings_insert(rows)
        out(f"  generated and inserted {written:,} rows in {time.perf_counter() - started:.0f} s")
    _decorate(first_id)
    started = time.perf_counter()
    common.search_index_create()
    out(f"  GIN trigram index built and table analysed in {time.perf_counter() - started:.0f} s")


def rows_replicate(size: int) -> None:
    """Repeat the first BASE_SIZE listings until the table holds `size` rows; copy k is filed k years earlier."""
    from django.db import connection

    from opportunities.models import Opportunity

    current = Opportunity.objects.count()
    if current >= size:
        out(f"  {current:,} rows already there")
        return
    common.search_index_drop()
    fields = [field.column for field in Opportunity._meta.concrete_fields if not field.primary_key]
    new_reference = (
        "split_part(reference, '-', 1) || '-' || split_part(reference, '-', 2) || '-' || "
        "(split_part(reference, '-', 3)::int - %(k)s) || '-' || split_part(reference, '-', 4)"
    )
    shifted = {
        "reference": new_reference,
        "search_key": f"replace(search_key, lower(reference), lower({new_reference}))",
        "published_at": "published_at - make_interval(years => %(k)s)",
        "created_at": "created_at - make_interval(years => %(k)s)",
    }
    select = ", ".join(shifted.get(column, connection.ops.quote_name(column)) for column in fields)
    names = ", ".join(connection.ops.quote_name(column) for column in fields)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for k in range(current // BASE_SIZE, size // BASE_SIZE):
            first_id = Opportunity.objects.order_by("-id").values_list("id", flat=True).first() + 1
            cursor.execute(
                f"INSERT INTO opportunities_opportunity ({names}) SELECT {select} FROM opportunities_opportunity "
                "WHERE id <= %(base)s ORDER BY id",
                {"k": k, "base": BASE_SIZE},
            )
            _decorate_documents(cursor, first_id)
    out(f"  repeated the first {BASE_SIZE:,} listings up to {size:,} rows in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    common.search_index_create()
    out(f"  GIN trigram index built and table analysed in {time.perf_counter() - started:.0f} s")


def rows_prepare(size: int) -> None:
    """Switch to the database of this size and bring it to `size` rows (see the module's docstring)."""
    name = f"{DATABASE}_{size}"
    if size <= BASE_SIZE:
        common.database_switch(name)
        rows_ensure(size, common.reference_load())
        return
    if not common.database_exists(name):
        rows_prepare(BASE_SIZE)
        common.database_switch(name, template=f"{DATABASE}_{BASE_SIZE}")
    else:
        common.database_switch(name)
    rows_replicate(size)


# ---------------------------------------------------------------------------------------------------------------
# Scenarios: URL parameters for the ORM path, and the same conditions written by hand per facet group.


def _sector_subtree(code: str) -> list[int]:
    from registry.models import Sector

    root = Sector.objects.get(code=code)
    return [root.pk, *Sector.objects.filter(parent=root).values_list("pk", flat=True)]


def scenarios() -> list[dict]:
    """Each: params (the listing URL), where (group → (SQL, params)) and the hand-written ORDER BY."""
    from registry.models import Province

    wa = Province.objects.get(code="WA").pk
    mfg, mining = _sector_subtree("MFG"), _sector_subtree("MIN")
    rank = "{rank} DESC, o.published_at DESC NULLS LAST, o.id DESC"
    return [
        {
            "name": "Persian words + sector + type, by relevance",
            "params": {"q": "كارخانه توليد", "sector": "MFG", "type": "greenfield"},
            "terms": ["کارخانه", "تولید"],
            "where": {"sector": ("o.sector_id = ANY(%s)", [mfg]), "type": ("o.type = ANY(%s)", [["greenfield"]])},
            "order": rank,
        },
        {
            "name": "English word + capex range + incentive, by capex",
            "params": {
                "q": "copper",
                "capex_usd_min": "1000000",
                "incentive": "less_developed",
                "ordering": "-capex_usd",
            },
            "terms": ["copper"],
            "where": {
                None: ("o.capex_usd >= %s", [1_000_000]),
                "incentive": ("o.in_less_developed_area", []),
            },
            "order": "o.capex_usd DESC NULLS LAST, o.id DESC",
        },
        {
            "name": "filters only: province + sector + two stages, newest",
            "params": {"province": "WA", "sector": "MIN", "stage": ["feasibility", "ready"]},
            "terms": [],
            "where": {
                "province": ("o.province_id = ANY(%s)", [[wa]]),
                "sector": ("o.sector_id = ANY(%s)", [mining]),
                "stage": ("o.stage = ANY(%s)", [["feasibility", "ready"]]),
            },
            "order": "o.published_at DESC NULLS LAST, o.id DESC",
        },
        {
            "name": "a reference code, by relevance",
            "params": {"q": "wa-min-2025-0007"},
            "terms": ["wa-min-2025-0007"],
            "reference": "WA-MIN-2025-0007",  # a whole code: the unique index, not the key
            "where": {},
            "order": rank,
        },
        {
            "name": "a typo ('takeb'): trigram similarity fallback",
            "params": {"q": "takeb"},
            "terms": [],
            "fuzzy": ["takeb"],
            "where": {},
            "order": "word_similarity('takeb', o.search_key) DESC, o.published_at DESC NULLS LAST, o.id DESC",
        },
    ]


# ---------------------------------------------------------------------------------------------------------------
# The ORM path: exactly what the listing view runs (less the template).


def orm_listing(params: dict) -> dict:
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    from opportunities.facets import PageRequest, listing_read
    from opportunities.filters import OpportunityFilterSet
    from opportunities.pagination import ListingPaginator
    from opportunities.selectors import opportunity_list_queryset

    data = QueryDict(mutable=True)
    for key, value in params.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    filterset = OpportunityFilterSet(data, queryset=opportunity_list_queryset(AnonymousUser()))
    assert filterset.is_valid(), filterset.errors
    listing = listing_read(filterset, PageRequest(1, 20))
    page = ListingPaginator(filterset.qs, 20, total=listing.total, ids_at=listing.page).get_page(1)
    return {
        "count": page.paginator.count,
        "page": [row.reference for row in page.object_list],
        "facets": listing.counts,
    }


# ---------------------------------------------------------------------------------------------------------------
# The hand-written path: the same statements, composed as SQL strings.

FACET_COLUMNS = {
    "province": "o.province_id",
    "county": "o.county_id",
    "sector": "o.sector_id",
    "commodity": "o.commodity_id",
    "type": "o.type",
    "stage": "o.stage",
    "status": "o.status",
    "event": "o.event_id",
    "incentive": (
        "o.in_free_zone",
        "o.in_special_economic_zone",
        "o.in_less_developed_area",
        "(o.tax_holiday_years > 0)",
    ),
    "has_financial_model": "o.has_financial_model",
    "has_documents": "EXISTS (SELECT 1 FROM opportunities_document d WHERE d.opportunity_id = o.id)",
}
# Where the term first occurs in the key, against the marks that close its titles and summaries sections.
RANK = (
    "CASE WHEN strpos(o.search_key, %s) < 1 THEN 0 "
    "WHEN strpos(o.search_key, %s) < strpos(o.search_key, E'\\x1e') THEN 2 "
    "WHEN strpos(o.search_key, %s) < strpos(o.search_key, E'\\x1f') THEN 1 ELSE 0 END"
)


def _where(scenario: dict, *, leave_out: frozenset = frozenset()) -> tuple[str, list]:
    clauses, params = ["o.status = ANY(%s)"], [list(PUBLIC)]
    if scenario.get("reference"):
        clauses.append("o.reference = %s")
        params.append(scenario["reference"])
    for term in [] if scenario.get("reference") else scenario["terms"]:
        clauses.append("o.search_key LIKE %s")
        params.append(f"%{term}%")
    for term in scenario.get("fuzzy", []):
        clauses.append("o.search_key %%> %s")
        params.append(term)
    for group, (sql, values) in scenario["where"].items():
        if group not in leave_out:
            clauses.append(sql)
            params.extend(values)
    return " AND ".join(clauses), params


def _columns(groups) -> list[str]:
    columns = []
    for group in groups:
        value = FACET_COLUMNS[group]
        columns.extend(value if isinstance(value, tuple) else [value])
    return columns


def _facets_one_scan(scenario: dict, order: list[tuple[str, str, list]] | None) -> tuple[str, list]:
    """Every facet group's counts in one pass, as the listing reads them on PostgreSQL: the rows failing at most one
    ticked group, with a flag per ticked group; COUNT(*) FILTER per group over the rows that group may count. With
    an `order` (a search), the rows are materialised with their sort keys and the first page's ids come out of the
    same statement, from the rows that pass every group."""
    active = sorted(set(scenario["where"]) - {None})
    where, params = _where(scenario, leave_out=frozenset(active))
    ticked = {group: scenario["where"][group] for group in active}
    if len(active) > 1:
        alternatives = [[ticked[other] for other in active if other != group] for group in active]
        where += " AND (" + " OR ".join("(" + " AND ".join(sql for sql, _ in sides) + ")" for sides in alternatives)
        where += ")"
        params = params + [value for sides in alternatives for _, values in sides for value in values]
    columns = _columns(FACET_COLUMNS)
    names = [f"c{index}" for index in range(len(columns))]
    select = ", ".join(f"{column} AS {name}" for column, name in zip(columns, names, strict=True))
    flags = "".join(f", ({sql}) AS p_{group}" for group, (sql, _values) in ticked.items())
    flag_params = [value for _sql, values in ticked.values() for value in values]
    scopes = [None, *active]
    counted = [" AND ".join(f"p_{group}" for group in active if group != scope) or "TRUE" for scope in scopes]
    rows = f"SELECT o.id, {select}{flags}{{keys}} FROM opportunities_opportunity o WHERE {where}"
    counts = (
        f"GROUPING({', '.join(names)}), {', '.join(names)}, "
        f"{', '.join(f'count(*) FILTER (WHERE {condition})' for condition in counted)}"
    )
    grouping = f"GROUP BY GROUPING SETS ({', '.join(f'({name})' for name in names)})"
    if order is None:
        return f"SELECT {counts} FROM ({rows.replace('{keys}', '')}) AS hits {grouping}", flag_params + params
    # Each sort key is computed only on the rows that pass every ticked group (the others are there for the counts).
    guard = " AND ".join(f"({sql})" for sql, _values in ticked.values())
    keys, key_params = [], []
    for index, (expression, _direction, values) in enumerate(order):
        keys.append(f"CASE WHEN {guard} THEN {expression} END AS k{index}" if guard else f"{expression} AS k{index}")
        key_params += (flag_params if guard else []) + values
    outer = ", ".join(f"k{index}{direction}" for index, (_expression, direction, _values) in enumerate(order))
    sql = (
        f"WITH hits AS MATERIALIZED ({rows.replace('{keys}', ', ' + ', '.join(keys))}) SELECT {counts}, "
        f"(SELECT count(*) FROM hits WHERE {counted[0]}), "
        f"ARRAY(SELECT id FROM hits WHERE {counted[0]} ORDER BY {outer} LIMIT 20) FROM hits {grouping}"
    )
    return sql, flag_params + key_params + params


def _order_items(order: str) -> list[str]:
    """The ORDER BY's items, split at the commas outside parentheses."""
    items, depth, current = [], 0, ""
    for char in order:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and not depth:
            items.append(current.strip())
            current = ""
        else:
            current += char
    return [*items, current.strip()]


def sql_statements(scenario: dict, *, facets: bool = True) -> list[tuple[str, list]]:
    """The listing's statements by hand (facets and page from one scan), or without facets the API's (a page query;
    its count is added by the caller)."""
    where, params = _where(scenario)
    statements = []
    terms = scenario["terms"] + scenario.get("fuzzy", [])
    if scenario.get("reference"):
        # Is the query a visible listing's whole reference? Yes: one probe of the unique index, and no more checks.
        check = (
            "SELECT EXISTS (SELECT 1 FROM opportunities_opportunity o WHERE o.status = ANY(%s) AND o.reference = %s)"
        )
        statements.append((check, [list(PUBLIC), scenario["reference"]]))
    elif terms:
        like = " AND ".join("o.search_key LIKE %s" for _term in terms)
        # Does the whole query match? (The per-word checks run only when it does not; no scenario here needs them.)
        check = f"SELECT EXISTS (SELECT 1 FROM opportunities_opportunity o WHERE o.status = ANY(%s) AND {like})"
        # With sequential scans off, as search_plan runs it (a typo's check would otherwise read the whole table).
        statements.append(("SET enable_seqscan = off", []))
        statements.append((check, [list(PUBLIC), *(f"%{term}%" for term in terms)]))
        statements.append(("RESET enable_seqscan", []))
    if scenario.get("fuzzy"):
        statements.append(("SELECT set_config('pg_trgm.word_similarity_threshold', '0.4', false)", []))
    rank_sql, rank_params = "0", []
    if "{rank}" in scenario["order"]:
        parts = []
        for term in scenario["terms"]:
            parts.append(RANK)
            rank_params += [term, term, term]
        rank_sql = " + ".join(parts) or "0"
    if facets and terms:
        # With a search, the total and the page come out of the facet scan, as the listing reads them: the sort keys
        # are columns of the scan (k0, k1, ...), and the page is sorted by them outside it; then 20 joined rows.
        keys = []
        for item in _order_items(scenario["order"]):
            expression, direction = re.fullmatch(r"(.*?)((?: ASC| DESC)?(?: NULLS FIRST| NULLS LAST)?)", item).groups()
            uses_rank = "{rank}" in expression
            keys.append((expression.replace("{rank}", f"({rank_sql})"), direction, rank_params if uses_rank else []))
        statements.append(_facets_one_scan(scenario, keys))
    else:
        # The page by itself (ids, then 20 joined rows); the listing adds the facet scan, the API a count.
        if facets:
            statements.append(_facets_one_scan(scenario, None))
        order = scenario["order"].replace("{rank}", f"({rank_sql})")
        page = f"SELECT o.id FROM opportunities_opportunity o WHERE {where} ORDER BY {order} LIMIT 20"
        statements.append((page, params + rank_params))
    statements.append(
        (
            "SELECT o.*, p.*, c.*, cp.*, s.*, sp.*, cm.*, cu.*, e.* FROM opportunities_opportunity o "
            "JOIN registry_province p ON p.id = o.province_id "
            "LEFT JOIN registry_county c ON c.id = o.county_id LEFT JOIN registry_province cp ON cp.id = c.province_id "
            "JOIN registry_sector s ON s.id = o.sector_id LEFT JOIN registry_sector sp ON sp.id = s.parent_id "
            "LEFT JOIN registry_commodity cm ON cm.id = o.commodity_id "
            "LEFT JOIN registry_currency cu ON cu.code = o.capex_currency_id "
            "LEFT JOIN registry_event e ON e.id = o.event_id WHERE o.id = ANY(%s)",
            "PAGE_IDS",
        )
    )
    return statements


def sql_run(statements) -> None:
    """Run hand-written statements in order; the page's rows are fetched by the ids the statement before returned."""
    from django.db import connection

    ids: list[int] = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, [ids] if params == "PAGE_IDS" else params)
            rows = cursor.fetchall() if cursor.description else []
            if sql.startswith("WITH hits"):  # every row ends with the page's ids
                ids = rows[0][-1] if rows else []
            elif sql.startswith("SELECT o.id FROM"):
                ids = [row[0] for row in rows]


def sql_listing(scenario: dict) -> None:
    sql_run(sql_statements(scenario))


# ---------------------------------------------------------------------------------------------------------------
# Runs


PLAN_LINES = re.compile(r"Scan|CTE |Index Cond|Recheck Cond|Rows Removed|Heap Blocks|Sort Method|Execution Time")


def explain_scenarios(size: int, items: list[dict]) -> None:
    out(f"\nEXPLAIN (ANALYZE, BUFFERS) at {size:,} rows, abbreviated (the statements the ORM runs)")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for scenario in (items[0], items[2], items[3], items[4]):
        with CaptureQueriesContext(connection) as captured:
            orm_listing(scenario["params"])
        for query in captured.captured_queries:
            sql = query["sql"]
            if sql.startswith(("SET ", "RESET ")):  # the plan's checks run with sequential scans off: so here
                with connection.cursor() as cursor:
                    cursor.execute(sql)
                continue
            if not sql.startswith(("SELECT", "WITH")) or "set_config" in sql:
                continue
            if sql.split("FROM", 1)[1].lstrip().startswith('"registry_'):
                continue  # reference rows (a province by its code, a sector's subtree)
            kind = (
                "facets + total + page"
                if sql.startswith("WITH")
                else "facets"
                if "GROUPING SETS" in sql
                else "page rows"
                if "pk__in" in sql or '"id" IN (' in sql
                else "plan"
                if "EXISTS" in sql[:20] or "LIMIT 1" in sql[-10:]
                else "page ids"
            )
            out(f"\n  [{scenario['name']}] {kind}: {sql[:160]}…")
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = [row[0] for row in cursor.fetchall()]
            # The first line (the total), then the nodes that read rows and what they cost.
            kept = [plan[0], *(line for line in plan[1:] if PLAN_LINES.search(line))]
            out(abbreviated("\n".join(line[:240] for line in kept), lines=24))


def runs_for(seconds: float, repeat: int) -> int:
    """At least `repeat` timed runs, and for a quick scenario enough to fill about a second (at most 40): the median
    of three runs of a 10 ms page moved by half from one run of the bench to the next."""
    return max(repeat, min(40, int(1.0 / max(seconds, 0.001))))


def run_scenarios(size: int, items: list[dict], repeat: int) -> dict[str, float]:
    out(
        f"\nsearch + filters + facets at {size:,} rows (median of at least {repeat} runs, more for quick ones; "
        "ORM = the listing's selectors and filters)"
    )
    results = {}
    for scenario in items:
        started = time.perf_counter()
        answer = orm_listing(scenario["params"])
        runs = runs_for(time.perf_counter() - started, repeat)
        orm = median_ms(lambda scenario=scenario: orm_listing(scenario["params"]), repeat=runs)
        raw = median_ms(lambda scenario=scenario: sql_listing(scenario), repeat=runs)
        results[scenario["name"]] = orm
        out(
            f"  {scenario['name']:<55} {answer['count']:>8,} hits  ORM {orm:8.1f} ms  SQL {raw:8.1f} ms  "
            f"ratio {ratio(orm, raw)}  ({runs} runs)"
        )
    return results


def run_api(size: int, repeat: int) -> None:
    """Issue 2's benchmark: list + search through the API endpoint against hand-written SQL (count + page)."""
    from django.test import Client

    client = Client()
    out(f"\nAPI list endpoint at {size:,} rows (median of {repeat})")
    for label, params, scenario in (
        ("list, no filter", {}, {"terms": [], "where": {}, "order": "o.published_at DESC NULLS LAST, o.id DESC"}),
        (
            "list + search 'معدن'",
            {"q": "معدن"},
            {"terms": ["معدن"], "where": {}, "order": "{rank} DESC, o.published_at DESC NULLS LAST, o.id DESC"},
        ),
    ):
        assert client.get("/api/v1/opportunities/", params).status_code == 200
        api = median_ms(lambda params=params: client.get("/api/v1/opportunities/", params), repeat=repeat)
        where, where_params = _where(scenario)
        count = (f"SELECT count(*) FROM opportunities_opportunity o WHERE {where}", where_params)
        # The API reads the count, then the page ids, then their rows (opportunities.pagination); the floor is the count
        # and the page by hand.
        statements = [count, *sql_statements(scenario, facets=False)]
        floor = median_ms(lambda statements=statements: sql_run(statements), repeat=repeat)
        out(f"  {label:<30} API {api:8.1f} ms  SQL {floor:8.1f} ms  ratio {ratio(api, floor)}")


def run_exports(size: int) -> None:
    from django.contrib.auth.models import AnonymousUser

    from opportunities.exports import opportunities_download
    from opportunities.selectors import opportunity_list_queryset

    out(f"\nexport of the whole result set at {size:,} rows (rows capped at 100,000)")
    for fmt in ("csv", "xlsx"):
        for limit in (10_000, 100_000):

            def download(fmt=fmt, limit=limit):
                queryset = opportunity_list_queryset(AnonymousUser()).order_by("-published_at", "-id")[:limit]
                response = opportunities_download(queryset, fmt=fmt, language="fa", detail_url="/o/__reference__/")
                total = 0
                for chunk in response.streaming_content:
                    total += len(chunk)
                if hasattr(response, "close"):
                    response.close()
                return total

            written, memory = measure_memory(download)
            out(f"  {fmt.upper():<4} {limit:>7,} rows: {written / 2**20:6.1f} MB written, {memory}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated row counts, ascending")
    parser.add_argument("--quick", action="store_true", help="10,000 rows only: a smoke run")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per figure (median)")
    parser.add_argument("--fresh", action="store_true", help="drop the bench databases and build them again")
    options = parser.parse_args(argv)
    sizes = [10_000] if options.quick else sorted(int(size) for size in options.sizes.split(","))
    if options.fresh:
        for size in {*sizes, BASE_SIZE}:
            common.database_drop(f"{DATABASE}_{size}")
    common.database_ensure(f"{DATABASE}_{sizes[0]}")
    common.django_setup(f"{DATABASE}_{sizes[0]}")
    medians: dict[int, dict[str, float]] = {}
    for size in sizes:
        out(f"\n=== {size:,} listings (database {DATABASE}_{size}) ===")
        rows_prepare(size)
        items = scenarios()
        medians[size] = run_scenarios(size, items, options.repeat)
        explain_scenarios(size, items)
        if size == sizes[0]:
            run_api(size, options.repeat)
            run_exports(size)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        out(f"\ngrowth from {small:,} to {large:,} rows (goal ≤ 2x)")
        for name, value in medians[large].items():
            out(f"  {name:<55} {medians[small][name]:8.1f} ms → {value:8.1f} ms  {ratio(value, medians[small][name])}")


if __name__ == "__main__":
    main()
