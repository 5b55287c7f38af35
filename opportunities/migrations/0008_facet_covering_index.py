"""PostgreSQL only: one covering index holds every column the facets count and the range filters read.

Counting a listing's facets without a search reads every visible row that passes all but one ticked group; from the
table that is one random page read per row, since a listing's row is about 2 KB. With the status, province, sector
and stage as keys and the other facet and range columns included, the same counts come from an index-only scan of
narrow entries. At 100,000 listings, province + sector + two stages counted 10,329 rows in 36 ms instead of 149 ms
(1,663 buffers instead of 19,026); the home page's counts by sector and province read it too.

On SQLite, which has no included columns, this migration does nothing.
"""

from django.db import migrations

from registry.migration_sql import sql_per_vendor

INDEX = "opp_facets_cover"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON opportunities_opportunity (status, province_id, sector_id, stage) "
    "INCLUDE (county_id, commodity_id, type, event_id, in_free_zone, in_special_economic_zone, "
    "in_less_developed_area, tax_holiday_years, has_financial_model, capex_usd, fin_irr, fin_payback_years, jobs, id)"
)


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0007_newest_first_index")]

    operations = [sql_per_vendor({"postgresql": CREATE}, {"postgresql": f"DROP INDEX IF EXISTS {INDEX}"})]
