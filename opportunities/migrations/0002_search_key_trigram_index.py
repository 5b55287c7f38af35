"""PostgreSQL only: one GIN trigram index on the normalised search key serves LIKE '%…%' and similarity search.

On SQLite this migration does nothing; the search falls back to a plain scan, which is fine at demo sizes.
"""

from django.db import migrations

from registry.migration_sql import sql_per_vendor

INDEX = "opp_search_key_trgm"
CREATE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON opportunities_opportunity USING gin (search_key gin_trgm_ops)",
)


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_initial")]

    operations = [sql_per_vendor({"postgresql": CREATE}, {"postgresql": f"DROP INDEX IF EXISTS {INDEX}"})]
