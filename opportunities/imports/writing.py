"""Writing a checked file: references, derived fields, the rows, their history and their event rows, at once.

The history row and the event row of an imported opportunity are copies of the row just written (its tracked
fields; its id and status), so they are copied inside the database with one INSERT … SELECT per batch rather than
rebuilt in Python as two more model instances per row. What they hold is what django-simple-history and
`OpportunityEvent` would have stored: the history is read back by `opportunity.history`, the API and the admin.
"""

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from ..choices import AccessLevel
from ..models import Opportunity, OpportunityEvent, ReferenceCounter
from ..services import EDITABLE_FIELDS, DeriveShared, opportunity_derive, reference_prefix

BATCH_SIZE = 1000
# Ids per INSERT … SELECT: under SQLite's 999 bound parameters, with room for the constants.
COPY_BATCH_SIZE = 900
UPDATED_FIELDS = sorted((EDITABLE_FIELDS | {"capex_usd", "completeness", "search_key", "updated_at"}) - {"province"})


@transaction.atomic
def write(*, instances: list[Opportunity], actor) -> tuple[int, int]:
    """Create the new rows and update the changed ones, each with a history row and an event row."""
    new = [o for o in instances if o.pk is None]
    changed = [o for o in instances if o.pk is not None]
    _allocate_references(new)
    shared = DeriveShared(public_documents=_public_document_counts(changed))
    for opportunity in instances:
        opportunity_derive(opportunity=opportunity, shared=shared)
    Opportunity.objects.bulk_create(new, batch_size=BATCH_SIZE)
    _fill_missing_ids(new)
    now = timezone.now()
    for opportunity in changed:
        opportunity.updated_at = now
    _update_rows(changed)
    _copy(ids=[o.pk for o in new], history_type="+", kind=OpportunityEvent.Kind.CREATED, actor=actor, at=now)
    _copy(ids=[o.pk for o in changed], history_type="~", kind=OpportunityEvent.Kind.UPDATED, actor=actor, at=now)
    return len(new), len(changed)


def _copy(*, ids: list[int], history_type: str, kind: str, actor, at) -> None:
    for start in range(0, len(ids), COPY_BATCH_SIZE):
        batch = ids[start : start + COPY_BATCH_SIZE]
        _copy_history(ids=batch, history_type=history_type, actor=actor, at=at)
        _copy_events(ids=batch, kind=kind, actor=actor, at=at)


def _update_rows(changed: list[Opportunity]) -> None:
    """Django's bulk_update builds a CASE ... WHEN per field and row in Python (minutes for 10,000 rows of 40
    fields); the same values go out as one parametrised UPDATE per row, sent with a single executemany."""
    if not changed:
        return
    fields = [Opportunity._meta.get_field(name) for name in UPDATED_FIELDS]
    quote = connection.ops.quote_name
    sql = "UPDATE {table} SET {values} WHERE {pk} = %s".format(
        table=quote(Opportunity._meta.db_table),
        values=", ".join(f"{quote(field.column)} = %s" for field in fields),
        pk=quote(Opportunity._meta.pk.column),
    )
    rows = [[*(f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields), o.pk] for o in changed]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _allocate_references(new: list[Opportunity]) -> None:
    """One counter update per prefix for the whole file, so the import stays fast and references stay unique."""
    year = timezone.now().year
    by_prefix: dict[str, list[Opportunity]] = {}
    for opportunity in new:
        by_prefix.setdefault(
            reference_prefix(province=opportunity.province, sector=opportunity.sector, year=year), []
        ).append(opportunity)
    for prefix, rows in by_prefix.items():
        ReferenceCounter.objects.get_or_create(prefix=prefix)
        ReferenceCounter.objects.filter(prefix=prefix).update(last=F("last") + len(rows))
        last = ReferenceCounter.objects.values_list("last", flat=True).get(prefix=prefix)
        for number, opportunity in enumerate(rows, start=last - len(rows) + 1):
            opportunity.reference = f"{prefix}-{number:04d}"


def _fill_missing_ids(new: list[Opportunity]) -> None:
    """A database that cannot return ids from a bulk insert: read them back by the (unique) reference."""
    missing = [o for o in new if o.pk is None]
    for start in range(0, len(missing), COPY_BATCH_SIZE):
        batch = missing[start : start + COPY_BATCH_SIZE]
        found = Opportunity.objects.filter(reference__in=[o.reference for o in batch])
        ids = dict(found.values_list("reference", "pk"))
        for opportunity in batch:
            opportunity.pk = ids[opportunity.reference]


def _public_document_counts(changed: list[Opportunity]) -> dict[int, int]:
    if not changed:
        return {}
    return dict(
        Opportunity.objects.filter(pk__in=[o.pk for o in changed])
        .annotate(n=Count("documents", filter=Q(documents__access_level=AccessLevel.PUBLIC)))
        .values_list("pk", "n")
    )


def _insert_select(*, table: str, columns: list[str], values: list[str], ids: list[int], params: list) -> None:
    """INSERT INTO table (columns) SELECT values FROM the opportunity table WHERE id IN ids."""
    quote = connection.ops.quote_name
    sql = "INSERT INTO {table} ({columns}) SELECT {values} FROM {source} WHERE {pk} IN ({ids})".format(
        table=quote(table),
        columns=", ".join(map(quote, columns)),
        values=", ".join(values),
        source=quote(Opportunity._meta.db_table),
        pk=quote(Opportunity._meta.pk.column),
        ids=", ".join(["%s"] * len(ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ids])


def _copy_history(*, ids: list[int], history_type: str, actor, at) -> None:
    """The history row django-simple-history would write: the tracked fields, when, by whom, how."""
    history = Opportunity.history.model
    tracked = [field.column for field in history.tracked_fields]
    extra = [history._meta.get_field(name).column for name in ("history_date", "history_type", "history_user")]
    _insert_select(
        table=history._meta.db_table,
        columns=[*tracked, *extra],
        values=[*map(connection.ops.quote_name, tracked), "%s", "%s", "%s"],
        ids=ids,
        params=[connection.ops.adapt_datetimefield_value(at), history_type, actor.pk if actor else None],
    )


def _copy_events(*, ids: list[int], kind: str, actor, at) -> None:
    """One event row per opportunity, as the services write one per create or update: to its current status."""
    meta = OpportunityEvent._meta
    names = ("opportunity", "to_status", "kind", "action", "from_status", "note", "actor", "created_at")
    source = [Opportunity._meta.pk.column, Opportunity._meta.get_field("status").column]
    _insert_select(
        table=meta.db_table,
        columns=[meta.get_field(name).column for name in names],
        values=[*map(connection.ops.quote_name, source), "%s", "%s", "%s", "%s", "%s", "%s"],
        ids=ids,
        params=[kind, "", "", "import", actor.pk if actor else None, connection.ops.adapt_datetimefield_value(at)],
    )
