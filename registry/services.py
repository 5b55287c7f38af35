"""Writes to the reference data; a new exchange rate asks the catalogue to refresh its USD equivalents."""

import datetime
from decimal import Decimal

from django.db import transaction

from registry.celery import app

from .models import Currency, ExchangeRate

USD_REFRESH_TASK = "opportunities.refresh_usd_equivalents"


def usd_refresh_dispatch(*, currency_code: str) -> None:
    """Ask the catalogue (a later app, so by task name) to recompute USD equivalents after this commit."""
    transaction.on_commit(lambda: app.signature(USD_REFRESH_TASK, kwargs={"currency_code": currency_code}).delay())


@transaction.atomic
def exchange_rate_record(
    *, currency: Currency, valid_from: datetime.date, units_per_usd: Decimal, source: str = "", actor=None
) -> ExchangeRate:
    """Record (or correct) the rate for a day; the catalogue's USD figures follow after commit."""
    rate, _ = ExchangeRate.objects.update_or_create(
        currency=currency,
        valid_from=valid_from,
        defaults={"units_per_usd": units_per_usd, "source": source, "entered_by": actor},
    )
    usd_refresh_dispatch(currency_code=currency.code)
    return rate
