"""Shared tasks: the e-mail outbox. Each loads its row by id and calls a service; running twice sends once."""

from celery import shared_task

from . import services


@shared_task(name=services.EMAIL_DELIVER_TASK)
def email_deliver_task(*, email_id: int) -> bool:
    return services.email_deliver(email_id=email_id)


@shared_task(name="registry.emails_sweep")
def emails_sweep_task() -> int:
    """Beat runs this every minute: pending rows whose dispatch was lost are dispatched again."""
    return services.emails_pending_redispatch()
