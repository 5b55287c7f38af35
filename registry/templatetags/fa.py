"""Display in the reader's language: Persian digits, Jalali dates and amounts with scale words when Persian is on."""

import datetime
from decimal import Decimal, InvalidOperation

import jdatetime
from django import template
from django.urls import translate_url
from django.utils import timezone
from django.utils.translation import get_language

from registry.models import Currency
from registry.text import format_amount_en, format_amount_fa, to_persian_digits
from registry.units import unit_name

register = template.Library()


def _persian() -> bool:
    return not (get_language() or "fa").startswith("en")


@register.filter
def digits(value):
    """Persian digits in the Persian interface, as they are otherwise."""
    if value is None:
        return ""
    return to_persian_digits(str(value)) if _persian() else str(value)


def _grouped(value, decimal_places=None) -> str:
    """1,234,567.89 with as many decimals as given, or as the value needs: trailing zeros of a column's scale go
    (78000000.00 → 78,000,000; a grade stored as 38.7650 → 38.765), and 0.0007 stays."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if decimal_places not in (None, ""):
        return f"{amount:,.{int(decimal_places)}f}"
    return f"{amount.normalize():,f}"


@register.filter
def number(value, decimal_places=None):
    """A number with thousands separators in the reader's digits (۷۸٬۰۰۰٬۰۰۰ and ۰٫۰۰۰۷ in Persian)."""
    if value in (None, ""):
        return ""
    formatted = _grouped(value, decimal_places)
    return to_persian_digits(formatted) if _persian() else formatted


@register.filter
def unit(value):
    """A unit of capacity in the reader's language («تن در سال» for tonnes/year)."""
    return unit_name(value or "", language="fa" if _persian() else "en")


@register.filter
def percent(value, decimal_places=None):
    """A percentage in the reader's digits and percent sign: «۹۰٪» in Persian, "90%" in English."""
    if value in (None, ""):
        return ""
    return f"{number(value, decimal_places)}{'٪' if _persian() else '%'}"


@register.filter
def jdate(value, fmt="%-d %B %Y"):
    """A date in the Jalali calendar with Persian month names in Persian; Gregorian in English."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if _persian():
        text = jdatetime.date.fromgregorian(date=value, locale=jdatetime.FA_LOCALE).strftime(fmt)
        return to_persian_digits(text)
    return value.strftime(fmt)


@register.filter
def jdt(value):
    """A moment in Tehran time: «۳ تیر ۱۴۰۴، ۱۴:۳۰» in Persian, "3 Jul 2025, 14:30" in English."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    if _persian():
        moment = jdatetime.datetime.fromgregorian(datetime=value, locale=jdatetime.FA_LOCALE)
        return to_persian_digits(moment.strftime("%-d %B %Y، %H:%M"))
    return value.strftime("%-d %b %Y, %H:%M")


@register.simple_tag
def money(amount, currency):
    """«۵۰ هزار میلیارد ریال» in Persian, "50 trillion IRR" in English; empty when there is no amount."""
    if amount is None or currency is None:
        return ""
    if isinstance(currency, str):
        currency = Currency.objects.filter(pk=currency).first() or Currency(code=currency, name_fa=currency)
    amount = Decimal(amount)
    if _persian():
        return format_amount_fa(amount, currency.name_fa)
    return format_amount_en(amount, currency.code)


@register.simple_tag(takes_context=True)
def path_in(context, language: str) -> str:
    """This page's address in another language (the English pages live under /en/)."""
    return translate_url(context["request"].get_full_path(), language)
