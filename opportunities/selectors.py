"""Reads of the catalogue: who may see what, and the one search used by pages, API and exports."""

from collections import Counter

from django.db.models import Case, Count, IntegerField, Q, QuerySet, When
from django.shortcuts import get_object_or_404

from accounts.scoping import province_q
from registry.models import Province, Sector
from registry.selectors import sector_descendant_ids

from .choices import PUBLIC_STATUSES, Status
from .models import NEWEST_FIRST, Opportunity
from .pagination import rows_in_order
from .search import opportunities_matching

LIST_RELATED = ("province", "county__province", "sector__parent", "commodity", "capex_currency", "event")


def opportunities_visible_to(user) -> QuerySet[Opportunity]:
    """The catalogue as this person may see it: national roles everything, province staff their provinces'
    opportunities in any status, everyone the public ones. Anything else does not exist for them (404)."""
    queryset = Opportunity.objects.all()
    scope = province_q(user)
    if scope is None:
        return queryset
    return queryset.filter(scope | Q(status__in=PUBLIC_STATUSES))


def opportunities_editable_by(user) -> QuerySet[Opportunity]:
    """What this person may change: national roles everything, province staff their provinces, others nothing."""
    queryset = Opportunity.objects.all()
    scope = province_q(user)
    if scope is None:
        return queryset
    return queryset.filter(scope)


def opportunities_search(queryset: QuerySet[Opportunity], query: str | None) -> QuerySet[Opportunity]:
    """Every word of the query, normalised like the stored key, must appear in the key (substring, any order); when
    nothing matches, words are matched by similarity (see opportunities/search.py)."""
    return opportunities_matching(queryset, query)


def opportunity_list_queryset(user) -> QuerySet[Opportunity]:
    """What a listing shows, with everything a card or a serializer touches fetched in the same query."""
    return opportunities_visible_to(user).select_related(*LIST_RELATED)


def opportunity_get(*, user, reference: str) -> Opportunity:
    """One opportunity by its public reference; one the user may not see does not exist (404)."""
    queryset = opportunity_list_queryset(user).prefetch_related("documents")
    return get_object_or_404(queryset, reference=reference.upper())


SIMILAR_COUNT = 3  # one row of cards on a wide screen


def similar_opportunities(*, opportunity: Opportunity, user, limit: int = SIMILAR_COUNT) -> list[Opportunity]:
    """Open (published) opportunities like this one, for the foot of its page: the same commodity first, then the
    same sector, then the rest of its top-level sector; newest first within each. Ids first, then the rows (as the
    listing reads them, see `pagination`)."""
    family = sector_descendant_ids(sector_ids=[opportunity.sector.root.pk])
    closeness = [When(sector_id=opportunity.sector_id, then=1)]
    if opportunity.commodity_id is not None:
        closeness.insert(0, When(commodity_id=opportunity.commodity_id, then=2))
    candidates = opportunities_visible_to(user).filter(status=Status.PUBLISHED, sector_id__in=family)
    ids = (
        candidates.exclude(pk=opportunity.pk)
        .annotate(closeness=Case(*closeness, default=0, output_field=IntegerField()))
        .order_by("-closeness", *NEWEST_FIRST)
        .values_list("pk", flat=True)[:limit]
    )
    return rows_in_order(candidates.select_related(*LIST_RELATED), list(ids))


def catalogue_stats(user) -> dict:
    """Home-page figures: totals, the mining share, counts by top-level sector and by province, the latest published."""
    visible = opportunities_visible_to(user)
    # One scan gives both breakdowns: counts per (sector, province) pair, summed each way here. With the facet index
    # (opp_facets_cover) it reads no table page; two GROUP BYs read it twice.
    by_sector_id: Counter[int] = Counter()
    by_province_id: Counter[int] = Counter()
    for sector_id, province_id, count in (
        visible.values_list("sector_id", "province_id").annotate(n=Count("id")).order_by()
    ):
        by_sector_id[sector_id] += count
        by_province_id[province_id] += count
    sectors = list(Sector.objects.select_related("parent"))
    roots = {sector.id: sector for sector in sectors if sector.parent_id is None}
    parent_of = {sector.id: sector.parent_id for sector in sectors}
    by_root: dict[int, int] = {}
    for sector_id, count in by_sector_id.items():
        root_id = sector_id
        while parent_of.get(root_id):
            root_id = parent_of[root_id]
        by_root[root_id] = by_root.get(root_id, 0) + count
    provinces = Province.objects.in_bulk(list(by_province_id))
    by_province = sorted(
        (
            {
                "province__code": provinces[province_id].code,
                "province__name_fa": provinces[province_id].name_fa,
                "province__name_en": provinces[province_id].name_en,
                "n": count,
            }
            for province_id, count in by_province_id.items()
        ),
        key=lambda row: (-row["n"], row["province__code"]),
    )
    sector_rows = sorted(
        ({"sector": roots[root_id], "n": count} for root_id, count in by_root.items()),
        key=lambda row: (-row["n"], row["sector"].sort_order),
    )
    mining = next((row["n"] for row in sector_rows if row["sector"].code == "MIN"), 0)
    total = sum(by_sector_id.values())
    published = visible.filter(status__in=PUBLIC_STATUSES, published_at__isnull=False).select_related(*LIST_RELATED)
    latest = rows_in_order(published, published.order_by(*NEWEST_FIRST).values_list("pk", flat=True)[:6])
    return {
        "total": total,
        "mining": mining,
        "mining_pct": round(100 * mining / total) if total else 0,
        "by_sector": sector_rows,
        "by_province": by_province,
        "latest": latest,
    }


def opportunity_history(*, opportunity: Opportunity) -> list[dict]:
    """Field history, newest first: each saved version compared with the one before it."""
    records = list(opportunity.history.select_related("history_user").order_by("-history_date", "-history_id"))
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            changes = [{"field": c.field, "from": _plain(c.old), "to": _plain(c.new)} for c in delta.changes]
        entries.append(
            {
                "at": newer.history_date,
                "by": newer.history_user.email if newer.history_user else None,
                "type": {"+": "created", "~": "changed", "-": "deleted"}[newer.history_type],
                "reason": newer.history_change_reason,
                "changes": changes,
            }
        )
    return entries


def _plain(value):
    return value if value is None or isinstance(value, bool | int | str) else str(value)
