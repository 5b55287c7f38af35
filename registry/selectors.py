"""Reads of the reference data that other apps share: exchange rates and the sector tree."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from .models import ExchangeRate, Sector


def exchange_rate_latest(*, currency_code: str, on: datetime.date | None = None) -> ExchangeRate | None:
    """The rate in force on a day: the newest one entered for a date on or before it."""
    on = on or timezone.localdate()
    return ExchangeRate.objects.filter(currency_id=currency_code, valid_from__lte=on).order_by("-valid_from").first()


def usd_round(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def units_per_usd(*, currency_code: str, on: datetime.date | None = None) -> Decimal | None:
    """How many units of the currency one US dollar buys on a day (1 for the dollar), or None without a rate."""
    if currency_code == "USD":
        return Decimal(1)
    rate = exchange_rate_latest(currency_code=currency_code, on=on)
    return None if rate is None else rate.units_per_usd


def usd_equivalent(
    *,
    amount: Decimal | None,
    currency_code: str | None,
    on: datetime.date | None = None,
    exact: bool = False,
    rates: dict[str, Decimal | None] | None = None,
):
    """An amount in US dollars through the stored rate (to the cent unless `exact`), or None without amount or rate.

    `rates` memoises the units per dollar by currency across calls (an import converts thousands of amounts)."""
    if amount is None or not currency_code:
        return None
    if rates is None:
        units = units_per_usd(currency_code=currency_code, on=on)
    elif currency_code in rates:
        units = rates[currency_code]
    else:
        units = rates[currency_code] = units_per_usd(currency_code=currency_code, on=on)
    if units is None:
        return None
    usd = amount / units
    return usd if exact else usd_round(usd)


def sector_descendant_ids(*, sector_ids: list[int]) -> set[int]:
    """A sector and everything below it, by walking the (shallow) tree one level per query."""
    found = set(sector_ids)
    frontier = set(sector_ids)
    while frontier:
        frontier = set(Sector.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return found
