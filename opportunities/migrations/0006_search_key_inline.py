"""PostgreSQL only: the search key stays inside the listing's row (storage MAIN) instead of moving to TOAST.

A text search rechecks the key of every candidate row the trigram index gives. With the default storage a key
(about 2.3 KB of UTF-8, 1.3 KB compressed) is moved out of the row whenever the row would pass 2 KB, which it
does for most listings: each recheck was then a lookup in the TOAST table's index and a second heap read before the
decompression. With MAIN, PostgreSQL moves the descriptions out first and keeps the compressed key in the row
(out-of-line only as a last resort, for a row that cannot fit a page otherwise). On the bench's 100,000 listings a
two-word Persian search counting 14,696 matches took 155 ms before and 71 ms after; a filter-only scan that never
reads the key took the same time (the row is about as wide: the key takes the place of the descriptions).

Setting the storage changes only what is written from then on, so the stored keys are written once more here.
On SQLite this migration does nothing.
"""

from django.db import migrations

from registry.migration_sql import sql_per_vendor

SET_MAIN = """
ALTER TABLE opportunities_opportunity ALTER COLUMN search_key SET STORAGE MAIN;
UPDATE opportunities_opportunity SET search_key = search_key || '';
"""
SET_EXTENDED = "ALTER TABLE opportunities_opportunity ALTER COLUMN search_key SET STORAGE EXTENDED"


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0005_search_key_lz4")]

    operations = [sql_per_vendor({"postgresql": SET_MAIN}, {"postgresql": SET_EXTENDED})]
