"""Display in the reader's language: Persian digits, Jalali dates and amounts with scale words when Persian is on."""

import datetime
from decimal import Decimal

import jdatetime
from django import template
from django.urls import translate_url
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language

from registry.models import Currency
from registry.text import format_amount_en, format_amount_fa, to_persian_digits

register = template.Library()


def _persian() -> bool:
    return not (get_language() or "fa").startswith("en")


@register.filter
def digits(value):
    """Persian digits in the Persian interface, as they are otherwise."""
    if value is None:
        return ""
    return to_persian_digits(str(value)) if _persian() else str(value)


@register.filter
def number(value, decimal_places=None):
    """A number with thousands separators, in the reader's digits."""
    if value in (None, ""):
        return ""
    formatted = number_format(value, decimal_pos=decimal_places, use_l10n=False, force_grouping=True)
    return to_persian_digits(formatted) if _persian() else formatted


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
