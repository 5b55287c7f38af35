"""How PostgreSQL stores and indexes the catalogue (search key, facet columns): what every listing's speed rests on."""

import re

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL storage"),
]


def _one(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def test_the_key_is_compressed_with_lz4():
    # pglz decompression was a third of the cost of reading a candidate row's key (migration 0005).
    compression = _one(
        "SELECT attcompression FROM pg_attribute "
        "WHERE attrelid = 'opportunities_opportunity'::regclass AND attname = 'search_key'"
    )
    assert compression == "l"


def test_a_broad_search_has_the_memory_to_keep_its_bitmap_exact():
    # 4 MB, the default, made the bitmap of ~150k candidates lossy at 1M listings (registry/settings/base.py).
    assert _one("SHOW work_mem") == "16MB"


def test_one_trigram_gin_index_serves_the_key():
    definition = _one("SELECT indexdef FROM pg_indexes WHERE indexname = 'opp_search_key_trgm'")
    assert "USING gin (search_key gin_trgm_ops)" in definition


def test_the_key_stays_in_the_row():
    # Out-of-line keys made each candidate's recheck a TOAST index lookup and a second read (migration 0006).
    storage = _one(
        "SELECT attstorage FROM pg_attribute "
        "WHERE attrelid = 'opportunities_opportunity'::regclass AND attname = 'search_key'"
    )
    assert storage == "m"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"province": "WA", "sector": "MIN", "stage": ["feasibility", "ready"]},
        {"incentive": "free_zone", "capex_usd_min": "1000000", "irr_min": "10", "jobs_max": "500"},
    ],
)
def test_facets_without_a_search_read_only_columns_of_the_covering_index(params):
    """Every column of the listing table that the facet statement reads is in opp_facets_cover (migration 0008), so
    PostgreSQL can answer it with an index-only scan of narrow entries instead of one page of the table per row (the
    plan at 100,000 rows is in bench/catalogue_search.py). A facet or range filter added without widening the index
    fails here. The columns come from the verbose plan, which names every column each step reads, whichever plan the
    planner picks for three rows."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from opportunities.facets import PageRequest, listing_read
    from opportunities.filters import OpportunityFilterSet
    from opportunities.selectors import opportunity_list_queryset
    from tests.factories import OpportunityFactory

    OpportunityFactory.create_batch(3)
    data = QueryDict(mutable=True)
    for key, value in params.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    filterset = OpportunityFilterSet(data, queryset=opportunity_list_queryset(AnonymousUser()))
    assert filterset.is_valid(), filterset.errors
    with CaptureQueriesContext(connection) as queries:
        listing_read(filterset, PageRequest(1, 20))
    statement = next(query["sql"] for query in queries if "GROUPING SETS" in query["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (VERBOSE) {statement}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(
            "SELECT a.attname FROM pg_index i "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indexrelid = 'opp_facets_cover'::regclass"
        )
        covered = {row[0] for row in cursor.fetchall()}
    read = set(re.findall(r"\bopportunities_opportunity\.(\w+)", plan))
    assert {"status", "province_id", "sector_id"} <= read, plan  # the pattern finds the columns
    assert read <= covered, f"read outside opp_facets_cover: {sorted(read - covered)}"
