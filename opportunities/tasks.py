"""Catalogue tasks: each loads what it needs by key and calls a service, so running it twice changes nothing."""

from celery import shared_task

from . import services
from .imports import import_job_run


@shared_task(name="opportunities.refresh_usd_equivalents")
def opportunities_refresh_usd_task(*, currency_code: str | None = None) -> int:
    """Bring capex-in-USD in line with the rates in force; beat also runs it as a sweeper for missed dispatches."""
    return services.opportunities_refresh_usd(currency_code=currency_code)


@shared_task(name="opportunities.import_run")
def import_run_task(*, job_id: int) -> str:
    """Large spreadsheet imports run here; the job row says whether it already ran, so a redelivery is harmless."""
    return import_job_run(job_id=job_id).state
