"""Beat-driven webhook tasks: fan-out of new event rows, and the sweep that attempts due deliveries."""

from celery import shared_task

from . import webhooks


@shared_task(name="partners.webhook_deliver")
def webhook_deliver(delivery_id: int) -> str | None:
    return webhooks.delivery_attempt(delivery_id=delivery_id)


@shared_task(name="partners.webhooks_sweep")
def webhooks_sweep() -> int:
    due = webhooks.deliveries_due()
    for delivery_id in due:
        webhook_deliver.delay(delivery_id)
    return len(due)


@shared_task(name="partners.webhooks_fanout")
def webhooks_fanout() -> int:
    created = webhooks.fanout_all()
    if created:
        webhooks_sweep.delay()
    return created
