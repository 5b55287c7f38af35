"""Digest tasks: the daily sweep (beat, 07:00 Tehran) and one task per saved search. Each is safe to run twice."""

import datetime

from celery import shared_task

from . import services


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@shared_task(name="investors.saved_search_digests")
def saved_search_digests_task(today: str | None = None) -> int:
    """Dispatch a digest task for every saved search without a digest row for the day; `today` (ISO) for tests."""
    return services.saved_search_digests_dispatch(today=_day(today))


@shared_task(name=services.DIGEST_TASK)
def saved_search_digest_task(*, saved_search_id: int, today: str) -> int | None:
    digest = services.saved_search_digest_send(saved_search_id=saved_search_id, today=_day(today))
    return digest.pk if digest else None
