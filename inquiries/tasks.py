"""Inquiry tasks: each loads its rows by id and calls a service, so running one twice has one effect."""

from celery import shared_task

from . import services, sweeps


@shared_task(name=services.ASSIGN_TASK)
def inquiry_assign_task(*, inquiry_id: int) -> bool:
    """Dispatched after the submission commits; assigns only an inquiry that still has no assignee."""
    return services.inquiry_auto_assign(inquiry_id=inquiry_id)


@shared_task(name="inquiries.sla_sweep")
def inquiries_sla_sweep_task() -> dict[str, int]:
    """Beat, every five minutes: missed assignments, reminders before the deadline, escalations after it."""
    return sweeps.sla_sweep()


@shared_task(name="inquiries.digest")
def inquiries_digest_task() -> int:
    """Beat, hourly: the daily digest of open inquiries, once per staff member per day."""
    return sweeps.digests_send()
