"""Facet counts for the listing: how many results each filter value would give, with the other filters applied.

Disjunctive facets: the count shown next to "West Azerbaijan" is what ticking it would give with every *other* filter
kept, so ticking a second province adds to the results instead of emptying them. So groups whose filter is not set
count over the result set, and each group whose filter is set counts over the rows that pass every filter but its own.

On PostgreSQL all of them come from one scan: the rows that pass the search, the filters that are not facets, and
all but at most one of the set groups' filters, each row carrying whether it passes each set group; one GROUPING
SETS query counts every column, each with `COUNT(*) FILTER (...)` over the rows its group may count. The search
condition, the costly part, is evaluated once per row instead of once per set group. With a search, the same scan
also gives the listing its total and its page (`listing_read`): the rows are materialised once, with the sort keys
computed on the rows that pass every filter, so the page does not search a second time. Elsewhere there is one GROUP BY
per column over the result set, and one more query per set group with its filter left out. Either way the number of
queries is bounded by the number of groups, never by the number of values.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import BooleanField, Case, Count, Expression, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from registry.models import Commodity, County, Event, Province, Sector

from .choices import PUBLIC_STATUSES, OpportunityType, Stage
from .filters import INCENTIVE_CONDITIONS, INCENTIVES, OpportunityFilterSet, StrictBooleanField, documents_exist


@dataclass(frozen=True)
class Group:
    """One facet: the parameters that filter on it and the columns (or expressions) whose values it counts."""

    name: str
    params: tuple[str, ...]
    columns: tuple[tuple[str, Expression], ...]


def _flag(condition: Q) -> Expression:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


GROUPS = (
    Group("province", ("province", "province_id"), (("province", F("province_id")),)),
    Group("county", ("county", "county_id"), (("county", F("county_id")),)),
    Group("sector", ("sector", "sector_id"), (("sector", F("sector_id")),)),
    Group("commodity", ("commodity", "commodity_id"), (("commodity", F("commodity_id")),)),
    Group("type", ("type",), (("type", F("type")),)),
    Group("stage", ("stage",), (("stage", F("stage")),)),
    Group("status", ("status",), (("status", F("status")),)),
    Group("event", ("event",), (("event", F("event_id")),)),
    Group(
        "incentive",
        ("incentive",),
        tuple((f"incentive_{key}", _flag(condition)) for key, condition in INCENTIVE_CONDITIONS.items()),
    ),
    Group("has_financial_model", ("has_financial_model",), (("has_financial_model", F("has_financial_model")),)),
    Group("has_documents", ("has_documents",), (("has_documents", documents_exist()),)),
)
GROUPS_BY_NAME = {group.name: group for group in GROUPS}


def _alias(column: str) -> str:
    return f"facet_{column}"


def _group_condition(filterset: OpportunityFilterSet, group: Group) -> Q:
    """The filter of a group whose parameters are set, as one condition on the row."""
    data = filterset.form.cleaned_data
    parts = [filterset.row_condition(param, data[param]) for param in group.params if filterset.active(param)]
    return reduce(and_, parts)


@dataclass(frozen=True)
class PageRequest:
    """Which page the listing asks for, read as Django's `Paginator.get_page` reads it: a number that is not an
    integer is the first page, one below 1 or past the end the last page."""

    number: str | int | None
    per_page: int

    @property
    def offset(self) -> int:
        try:
            number = int(self.number)
        except (TypeError, ValueError):
            return 0
        return min((number - 1) * self.per_page, LAST_OFFSET) if number >= 1 else LAST_OFFSET


LAST_OFFSET = 2**62  # clamped to the last page's offset in SQL; a larger number would not fit OFFSET's bigint


@dataclass(frozen=True)
class Listing:
    """What one read of the listing gives: facet counts, and on PostgreSQL also the total and one page of ids."""

    counts: dict[str, dict]
    total: int | None = None
    page: tuple[int, list[int]] | None = None  # the offset of the page read with the facets, and its ids


def _order_columns(
    filterset: OpportunityFilterSet, queryset: QuerySet, listed: Q | None
) -> tuple[QuerySet, list[tuple[str, Expression]], str]:
    """The listing's ordering as columns of the scan, and the ORDER BY that sorts the scan's rows the same way.

    A sort key is computed only on the rows `listed` (those passing every ticked group): the relevance rank costs
    more than the rest of the row, and the scan also holds the rows only the disjunctive facet counts need."""
    ordered = filterset.ordered(queryset)
    items = list(ordered.query.order_by) or list(ordered.model._meta.ordering)
    columns, clauses = [], []
    for index, item in enumerate(items):
        if isinstance(item, str):
            item = F(item[1:]).desc() if item.startswith("-") else F(item).asc()
        alias = f"facet_order_{index}"
        columns.append((alias, item.expression if listed is None else Case(When(listed, then=item.expression))))
        nulls = " NULLS FIRST" if item.nulls_first else " NULLS LAST" if item.nulls_last else ""
        clauses.append(f"{connection.ops.quote_name(alias)} {'DESC' if item.descending else 'ASC'}{nulls}")
    return ordered.order_by(), columns, ", ".join(clauses)


def _scan_one_pass(filterset: OpportunityFilterSet, page: PageRequest | None) -> Listing:
    """PostgreSQL: every group's disjunctive counts from one pass (see the module's docstring), and when a page is
    asked for, the total and that page's ids from the same rows, materialised once."""
    active = [group for group in GROUPS if filterset.active(*group.params)]
    queryset = filterset.queryset_without(frozenset(param for group in active for param in group.params))
    passes = {group.name: _group_condition(filterset, group) for group in active}
    if len(active) > 1:  # rows that fail two set groups are counted nowhere
        queryset = queryset.filter(reduce(or_, (_all_but(passes, group.name) for group in active)))
    flags = {f"facet_passes_{name}": ExpressionWrapper(condition, BooleanField()) for name, condition in passes.items()}
    columns = [(group.name, name, expression) for group in GROUPS for name, expression in group.columns]
    order_columns, order_by = [], ""
    if page is not None:
        listed_only = reduce(and_, passes.values()) if passes else None
        queryset, order_columns, order_by = _order_columns(filterset, queryset, listed_only)
    # The primary key keeps a DISTINCT, should a filter add one, from merging rows with the same values.
    inner = queryset.order_by().values(
        facet_pk=F("pk"),
        **{_alias(name): expression for _, name, expression in columns},
        **flags,
        **dict(order_columns),
    )
    sql, params = inner.query.sql_with_params()
    quote = connection.ops.quote_name
    names = [quote(_alias(name)) for _, name, _expression in columns]
    # One count per group that is set (over the rows passing every other set group), one for the rest (all of them).
    scopes = [None, *(group.name for group in active)]
    counted = [
        " AND ".join(quote(f"facet_passes_{name}") for name in passes if name != scope) or "TRUE" for scope in scopes
    ]
    selected = f"GROUPING({', '.join(names)}), {', '.join(names)}, " + ", ".join(
        f"COUNT(*) FILTER (WHERE {condition})" for condition in counted
    )
    grouping = f"GROUP BY GROUPING SETS ({', '.join(f'({name})' for name in names)})"
    page_params = []
    if page is None:
        statement = f"SELECT {selected} FROM ({sql}) AS facet_rows {grouping}"
    else:
        # The rows are read three times (counts, total, page), so they are materialised once. The page's offset is
        # the one asked for, or the last page's when that lies past the end (as Paginator.get_page reads it).
        listed = counted[0]
        offset = "LEAST(%s, GREATEST((SELECT total FROM listed_total) - 1, 0) / %s * %s)"
        statement = (
            f"WITH facet_rows AS MATERIALIZED ({sql}), "
            f"listed_total AS (SELECT COUNT(*) AS total FROM facet_rows WHERE {listed}) "
            f"SELECT {selected}, (SELECT total FROM listed_total), {offset}, "
            f"ARRAY(SELECT facet_pk FROM facet_rows WHERE {listed} ORDER BY {order_by} LIMIT %s OFFSET {offset}) "
            f"FROM facet_rows {grouping}"
        )
        bounds = [page.offset, page.per_page, page.per_page]
        page_params = [*bounds, page.per_page, *bounds]
    width = len(columns)
    scope_of = [scopes.index(group_name) if group_name in passes else 0 for group_name, _, _ in columns]
    counts: dict[str, dict] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *page_params])
        rows = cursor.fetchall()
    for row in rows:
        mask, values = row[0], row[1 : 1 + width]
        # GROUPING sets a bit for every column *not* grouped in this row; exactly one column is grouped.
        index = next(i for i in range(width) if not mask & (1 << (width - 1 - i)))
        count = row[1 + width + scope_of[index]]
        if count:
            counts[columns[index][1]][values[index]] = count
    if page is None:
        return Listing(counts)
    # Every row repeats the page's total, offset and ids; no row at all means nothing matched.
    total, offset, ids = rows[0][1 + width + len(scopes) :] if rows else (0, 0, [])
    return Listing(counts, total=total, page=(offset, ids))


def _all_but(passes: dict[str, Q], left_out: str) -> Q:
    return reduce(and_, (condition for name, condition in passes.items() if name != left_out), Q())


def _counts_group_by(queryset: QuerySet, groups: list[Group]) -> dict[str, dict]:
    """Any database: one GROUP BY per column."""
    counts: dict[str, dict] = {}
    for group in groups:
        for name, expression in group.columns:
            rows = queryset.order_by().values(**{_alias(name): expression}).annotate(n=Count("pk"))
            counts[name] = {row[_alias(name)]: row["n"] for row in rows}
    return counts


def facet_counts(filterset: OpportunityFilterSet) -> dict[str, dict]:
    """Counts per column value: {"province": {province_id: n}, "incentive_free_zone": {True: n, False: m}, ...}."""
    if connection.vendor == "postgresql":
        return _scan_one_pass(filterset, None).counts
    idle = [group for group in GROUPS if not filterset.active(*group.params)]
    counts = _counts_group_by(filterset.queryset_without(), idle)
    for group in GROUPS:
        if group not in idle:
            counts.update(_counts_group_by(filterset.queryset_without(frozenset(group.params)), [group]))
    return counts


def listing_read(filterset: OpportunityFilterSet, page: PageRequest) -> Listing:
    """The facet counts and the total of a listing, and, on PostgreSQL when there is a search, the asked-for page's
    ids from the same scan of the matching rows: the search condition is the costly part of both, and the page then
    does not evaluate it a second time (at 100k listings a broad Persian search took 424 ms instead of 726 ms).
    Without a search the page is a cheap read of its own through the indexes, and the paginator makes it; the total
    is then read off the facets when it can be."""
    if connection.vendor == "postgresql" and filterset.search.active:
        return _scan_one_pass(filterset, page)
    counts = facet_counts(filterset)
    return Listing(counts, total=result_total(filterset, counts))


# Columns that are never NULL: when such a group is counted over the full result set, its counts add up to the total.
TOTAL_COLUMNS = ("status", "type", "stage", "has_financial_model", "has_documents")


def result_total(filterset: OpportunityFilterSet, counts: dict[str, dict]) -> int | None:
    """The number of results, read off a facet the reader has not filtered on: the listing needs no COUNT query."""
    for column in TOTAL_COLUMNS:
        if not filterset.active(*GROUPS_BY_NAME[column].params):
            return sum(counts.get(column, {}).values())
    return None


# ---------------------------------------------------------------------------------------------------------------
# What the page shows: every option with its label, count and whether it is ticked.


@dataclass
class Option:
    value: str
    label: str
    count: int | None
    selected: bool
    depth: int = 0


@dataclass
class Facet:
    name: str
    param: str
    label: str
    options: list[Option] = field(default_factory=list)

    @property
    def selected_count(self) -> int:
        return sum(1 for option in self.options if option.selected)


def _selected(filterset: OpportunityFilterSet, param: str) -> set[str]:
    if filterset.data is None:
        return set()
    return set(filterset.data.getlist(param)) if hasattr(filterset.data, "getlist") else set()


def _sector_options(counts: dict | None, selected: set[str]) -> list[Option]:
    """The sector tree in its order, each count including everything below it (as the sector filter does)."""
    sectors = list(Sector.objects.order_by("sort_order", "code"))
    children: dict[int | None, list[Sector]] = defaultdict(list)
    for sector in sectors:
        children[sector.parent_id].append(sector)
    own = counts or {}

    def subtree(sector: Sector) -> int:
        return own.get(sector.pk, 0) + sum(subtree(child) for child in children[sector.pk])

    options: list[Option] = []

    def walk(parent_id, depth):
        for sector in children[parent_id]:
            count = subtree(sector) if counts is not None else None
            options.append(Option(sector.code, sector.name, count, sector.code in selected, depth))
            walk(sector.pk, depth + 1)

    walk(None, 0)
    return options


def _reference_options(rows, *, key: str, counts: dict | None, selected: set[str], hide_empty: bool) -> list[Option]:
    """Options in the reader's alphabet: the rows come ordered by their Persian names, English readers get A to Z.

    Where values without results stay listed (provinces), they follow those with results or ticked, so that a
    search in one province does not open on a column of other provinces' zeros."""
    if (get_language() or "fa").startswith("en"):
        rows = sorted(rows, key=lambda row: row.name_en)
    options = []
    for row in rows:
        value = getattr(row, key)
        count = (counts or {}).get(row.pk, 0) if counts is not None else None
        if hide_empty and not count and value not in selected:
            continue
        options.append(Option(value, row.name, count, value in selected))
    if counts is not None and not hide_empty:
        options.sort(key=lambda option: not (option.count or option.selected))  # stable: alphabetical within each
    return options


def _choice_options(choices, *, counts: dict | None, selected: set[str]) -> list[Option]:
    return [
        Option(value, str(label), (counts or {}).get(value, 0) if counts is not None else None, value in selected)
        for value, label in choices
    ]


def _yes_option(label, *, counts: dict | None, value, selected: set[str]) -> Option:
    count = (counts or {}).get(True, 0) if counts is not None else None
    return Option(value, str(label), count, value in selected)


FACET_LABELS = {
    "province": _("Province"),
    "county": _("County"),
    "sector": _("Sector"),
    "commodity": _("Commodity"),
    "type": _("Type"),
    "stage": _("Stage"),
    "status": _("Status"),
    "incentive": _("Incentives"),
    "event": _("Event"),
    "has_financial_model": _("Financial model"),
    "has_documents": _("Documents"),
}
# name: (reference rows, the field a URL names them by, whether values without results are hidden)
REFERENCE_FACETS = {
    "province": (Province, "code", False),
    "county": (County, "code", True),
    "commodity": (Commodity, "code", True),
    "event": (Event, "slug", True),
}
YES_LABELS = {"has_financial_model": _("Has a financial model"), "has_documents": _("Has documents")}


def _options(name: str, filterset: OpportunityFilterSet, counts: dict | None) -> list[Option]:
    """One facet's options; `counts` is None when the filters were junk (options without numbers)."""

    def count_of(column):
        return None if counts is None else counts.get(column, {})

    selected = _selected(filterset, name)
    if name in REFERENCE_FACETS:
        model, key, hide_empty = REFERENCE_FACETS[name]
        return _reference_options(
            model.objects.all(), key=key, counts=count_of(name), selected=selected, hide_empty=hide_empty
        )
    if name == "sector":
        return _sector_options(count_of(name), selected)
    if name in ("type", "stage", "status"):
        choices = {
            "type": OpportunityType.choices,
            "stage": Stage.choices,
            "status": [(status.value, status.label) for status in PUBLIC_STATUSES],
        }[name]
        return _choice_options(choices, counts=count_of(name), selected=selected)
    if name == "incentive":
        return [
            _yes_option(label, counts=count_of(f"incentive_{key}"), value=key, selected=selected)
            for key, label in INCENTIVES
        ]
    ticked = {"true"} if selected & StrictBooleanField.TRUE else set()
    return [_yes_option(YES_LABELS[name], counts=count_of(name), value="true", selected=ticked)]


def catalogue_facets(filterset: OpportunityFilterSet, *, counts: dict[str, dict] | None) -> dict[str, Facet]:
    """Every facet the listing shows, in order, from `facet_counts`; counts are None when the filters were junk."""
    return {name: Facet(name, name, label, _options(name, filterset, counts)) for name, label in FACET_LABELS.items()}
