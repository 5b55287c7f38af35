"""PostgreSQL only: one GIN trigram index on the normalised search key serves LIKE '%…%' and similarity search.

On SQLite this migration does nothing; the search falls back to a plain scan, which is fine at demo sizes.
"""

from django.db import migrations

INDEX = "opp_search_key_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON opportunities_opportunity USING gin (search_key gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
