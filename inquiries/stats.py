"""Public accountability figures, computed with aggregate queries: per province, how fast inquiries get a first
answer and how many within the SLA; per province and sector, how far inquiries get (negotiation, contract).

Counts come from SQL (`Count(..., filter=...)` grouped by province); the median comes from one bounded list of
response durations (the last `WINDOW` of answered inquiries), because a median is not portable SQL across
PostgreSQL and SQLite. Spam is never counted.
"""

import datetime
import statistics

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from opportunities.choices import Status as OpportunityStatus
from registry.models import Province, Sector

from .choices import Status
from .models import Inquiry

WINDOW = datetime.timedelta(days=365)
NEGOTIATION_OR_LATER = (OpportunityStatus.IN_NEGOTIATION, OpportunityStatus.CONTRACTED)


def _counted(now: datetime.datetime):
    return Inquiry.objects.exclude(status=Status.SPAM).filter(created_at__gte=now - WINDOW, created_at__lte=now)


def _median_hours(now: datetime.datetime) -> dict[int, float]:
    """Median time to first response per province, in hours, from one query of durations."""
    duration = ExpressionWrapper(F("first_response_at") - F("created_at"), output_field=DurationField())
    rows = _counted(now).filter(first_response_at__isnull=False).values_list("province_id", duration)
    per_province: dict[int, list[float]] = {}
    for province_id, elapsed in rows.iterator(chunk_size=2000):
        per_province.setdefault(province_id, []).append(elapsed.total_seconds() / 3600)
    return {province_id: round(statistics.median(hours), 1) for province_id, hours in per_province.items()}


def response_times(*, now: datetime.datetime | None = None) -> list[dict]:
    """Per province with inquiries: counts, the median hours to a first answer and the share answered in time.
    The share counts the inquiries whose deadline has passed or that were answered (the others are undecided)."""
    now = now or timezone.now()
    rows = (
        _counted(now)
        .values("province_id")
        .annotate(
            inquiries=Count("id"),
            answered=Count("id", filter=Q(first_response_at__isnull=False)),
            decided=Count("id", filter=Q(first_response_at__isnull=False) | Q(first_response_due_at__lte=now)),
            within_sla=Count("id", filter=Q(first_response_at__lte=F("first_response_due_at"))),
        )
        .order_by()
    )
    rows = list(rows)
    medians = _median_hours(now)
    provinces = Province.objects.in_bulk([row["province_id"] for row in rows])
    result = []
    for row in rows:
        province = provinces[row["province_id"]]
        decided = row.pop("decided")
        result.append(
            {
                "province": province,
                **row,
                "median_first_response_hours": medians.get(row["province_id"]),
                "within_sla_share": round(row["within_sla"] / decided, 3) if decided else None,
            }
        )
    return sorted(result, key=lambda item: (-item["inquiries"], item["province"].code))


def funnel(*, now: datetime.datetime | None = None) -> list[dict]:
    """Inquiries → opportunities asked about → reached negotiation → contracted, by province and top-level sector
    (the opportunity's own status says how far it got). Distinct opportunities add up across sub-sectors because
    each opportunity has one sector."""
    now = now or timezone.now()
    rows = (
        _counted(now)
        .values("province_id", "sector_id")
        .annotate(
            inquiries=Count("id"),
            opportunities=Count("opportunity", distinct=True),
            negotiation=Count("opportunity", distinct=True, filter=Q(opportunity__status__in=NEGOTIATION_OR_LATER)),
            contracted=Count("opportunity", distinct=True, filter=Q(opportunity__status=OpportunityStatus.CONTRACTED)),
        )
        .order_by()
    )
    sectors = {sector.pk: sector for sector in Sector.objects.all()}
    merged: dict[tuple[int, int | None], dict] = {}
    for row in rows:
        sector = sectors.get(row["sector_id"])
        while sector is not None and sector.parent_id is not None:
            sector = sectors[sector.parent_id]
        key = (row["province_id"], sector.pk if sector else None)
        entry = merged.setdefault(key, {"sector": sector, "inquiries": 0, "opportunities": 0, "negotiation": 0,
                                        "contracted": 0, "province_id": row["province_id"]})  # fmt: skip
        for name in ("inquiries", "opportunities", "negotiation", "contracted"):
            entry[name] += row[name]
    provinces = Province.objects.in_bulk({entry["province_id"] for entry in merged.values()})
    for entry in merged.values():
        entry["province"] = provinces[entry.pop("province_id")]
    return sorted(merged.values(), key=lambda e: (e["province"].code, -e["inquiries"], e["sector"].code if e["sector"]
                                                  else ""))  # fmt: skip


def accountability(*, now: datetime.datetime | None = None) -> dict:
    """Everything the public page and `GET /api/v1/accountability/` show."""
    now = now or timezone.now()
    return {
        "since": (now - WINDOW),
        "until": now,
        "sla_working_days": settings.INQUIRY_SLA_WORKING_DAYS,
        "provinces": response_times(now=now),
        "funnel": funnel(now=now),
    }
