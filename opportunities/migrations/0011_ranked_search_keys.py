"""Rewrite every opportunity's search key in sections (titles, summaries, the rest), so that a search ranks a match
by where it falls in the key alone instead of reading the title and summary columns of every matching row."""

from django.db import migrations

from registry.text import ranked_search_key

BATCH = 1000


def _names(row, sectors: dict) -> list[str]:
    names = []
    for related in (row.province, row.county, row.sector, row.commodity, row.event):
        if related is not None:
            names += [related.name_fa, related.name_en]
    sector = row.sector
    if sector.parent_id is not None:  # the root of the sector tree, as the services add it
        root = sector
        while root.parent_id is not None:
            root = sectors[root.parent_id]
        names += [root.name_fa, root.name_en]
    return names


def rewrite(apps, schema_editor):
    Opportunity = apps.get_model("opportunities", "Opportunity")
    Sector = apps.get_model("registry", "Sector")
    sectors = {sector.pk: sector for sector in Sector.objects.all()}
    rows = Opportunity.objects.select_related("province", "county", "sector", "commodity", "event").order_by("pk")
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        row.search_key = ranked_search_key(
            titles=(row.reference, row.title_fa, row.title_en),
            summaries=(row.summary_fa, row.summary_en),
            rest=_names(row, sectors),
        )
        batch.append(row)
        if len(batch) == BATCH:
            Opportunity.objects.bulk_update(batch, ["search_key"])
            batch = []
    Opportunity.objects.bulk_update(batch, ["search_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0010_verbose_names"),
        ("registry", "0001_initial"),
    ]

    # Backwards the sectioned keys are left as they are: every term still matches them, only the ranking differs.
    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop, elidable=True)]
