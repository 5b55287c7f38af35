"""How PostgreSQL stores and indexes the catalogue (search key, facet columns): what every listing's speed rests on."""

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
def test_facets_without_a_search_are_read_from_the_covering_index_alone(params):
    """Every column the facet statement reads is in opp_facets_cover (migration 0008): an index-only scan of narrow
    entries instead of one page of the table per row. A facet or range filter added without widening the index
    turns this plan into a table read and fails here."""
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
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {statement}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using opp_facets_cover on opportunities_opportunity" in plan, plan
    assert "Index Scan using" not in plan.replace("Index Only Scan using", ""), plan
