"""The admin's lists in Persian: Jalali dates and grouped numbers in Persian digits, for the provincial staff.

Django's admin writes dates in the Gregorian calendar whatever the language («۸ دسامبر ۲۰۲۶») and numbers as stored
(12000000.00), and its date hierarchy drills into Gregorian months. :class:`PersianColumns` shows every date and
date-time column of a list in the Jalali calendar and every number column grouped in Persian digits (Gregorian dates
and ASCII digits in English), still sortable by the field; :func:`jalali_period` is a list filter by Jalali month and
year in place of ``date_hierarchy``.
"""

from __future__ import annotations

import datetime
import functools

import jdatetime
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .templatetags.fa import _persian, jdate, jdt, number

NUMBERS = (models.DecimalField, models.FloatField, models.IntegerField)  # the big, small and positive ones too


@functools.cache
def _column(model: type[models.Model], name):
    """A date or number field's column as Persian text, labelled and sorted as the field; anything else unchanged.

    Cached: the admin asks for the list display more than once per page (the columns, then which are sortable) and
    matches the columns by identity."""
    if not isinstance(name, str):
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a method or an attribute of the admin
        return name
    if isinstance(field, models.DateTimeField):
        text = jdt
    elif isinstance(field, models.DateField):
        text = jdate
    elif isinstance(field, NUMBERS) and not field.choices and not field.primary_key:
        text = number
    else:
        return name

    @admin.display(description=field.verbose_name, ordering=name, empty_value="-")
    def column(obj):
        value = getattr(obj, name)
        return None if value is None else text(value)

    column.__name__ = name  # the column keeps the field's CSS class (column-created_at)
    return column


class PersianColumns:
    """Put before ModelAdmin in the bases: the list's date and number columns read in Persian (and its reference
    codes and titles are given room, see css/admin.css)."""

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_list_display(self, request):
        return [_column(self.model, name) for name in super().get_list_display(request)]


def _jalali_now() -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=timezone.localdate())


def _month_start(year: int, month: int) -> jdatetime.date:
    while month < 1:
        year, month = year - 1, month + 12
    while month > 12:
        year, month = year + 1, month - 12
    return jdatetime.date(year, month, 1)


def _periods() -> list[tuple[str, str, jdatetime.date, jdatetime.date]]:
    """(value, label, first day, day after) of this and last Jalali month, this and last Jalali year."""
    today = _jalali_now()
    persian = _persian()

    def month_name(day: jdatetime.date) -> str:
        if persian:
            return jdate(day.togregorian(), "%B %Y")
        return f"{jdatetime.date.j_months_en[day.month - 1]} {day.year}"

    this_month = _month_start(today.year, today.month)
    last_month = _month_start(today.year, today.month - 1)
    next_month = _month_start(today.year, today.month + 1)

    def year_name(day: jdatetime.date) -> str:
        return _("Year %(year)s") % {"year": jdate(day.togregorian(), "%Y") if persian else day.year}

    this_year, next_year, last_year = (jdatetime.date(y, 1, 1) for y in (today.year, today.year + 1, today.year - 1))
    return [
        ("month", month_name(this_month), this_month, next_month),
        ("last-month", month_name(last_month), last_month, this_month),
        ("year", year_name(this_year), this_year, next_year),
        ("last-year", year_name(last_year), last_year, this_year),
    ]


def jalali_period(field_name: str) -> type[admin.SimpleListFilter]:
    """A list filter of ``field_name`` by this and last Jalali month and year, titled by the field."""

    class JalaliPeriodFilter(admin.SimpleListFilter):
        parameter_name = f"{field_name}__jalali"

        def __init__(self, request, params, model, model_admin):
            self.title = model._meta.get_field(field_name).verbose_name
            super().__init__(request, params, model, model_admin)

        def lookups(self, request, model_admin):
            return [(value, label) for value, label, _first, _after in _periods()]

        def queryset(self, request, queryset):
            for value, _label, first, after in _periods():
                if self.value() == value:
                    field = queryset.model._meta.get_field(field_name)
                    start, end = first.togregorian(), after.togregorian()
                    if isinstance(field, models.DateTimeField):
                        zone = timezone.get_current_timezone()
                        start, end = (
                            datetime.datetime.combine(day, datetime.time(), tzinfo=zone) for day in (start, end)
                        )
                    return queryset.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
            return queryset

    JalaliPeriodFilter.__name__ = f"JalaliPeriodFilter_{field_name}"
    return JalaliPeriodFilter
