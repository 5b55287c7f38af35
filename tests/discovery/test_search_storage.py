"""How PostgreSQL stores and indexes the search key: what every search's speed depends on."""

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
