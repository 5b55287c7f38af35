"""Numbers on pages: grouped thousands, the value's own decimals, and the reader's digits and percent sign."""

from decimal import Decimal

import pytest
from django.utils import translation

from registry.templatetags.fa import number, percent, unit


@pytest.mark.parametrize(
    ("value", "places", "fa", "en"),
    [
        (Decimal("78000000"), None, "۷۸٬۰۰۰٬۰۰۰", "78,000,000"),
        (Decimal("78000000.00"), None, "۷۸٬۰۰۰٬۰۰۰", "78,000,000"),
        (Decimal("0.0007"), None, "۰٫۰۰۰۷", "0.0007"),  # a grade of 7 g/t is not 0.00
        (Decimal("1234.5"), None, "۱٬۲۳۴٫۵", "1,234.5"),
        (Decimal("38.7650"), None, "۳۸٫۷۶۵", "38.765"),  # a DecimalField's scale adds no digits
        (Decimal("1E+3"), None, "۱٬۰۰۰", "1,000"),
        (840, None, "۸۴۰", "840"),
        (12345, None, "۱۲٬۳۴۵", "12,345"),
        (Decimal("12.345"), 0, "۱۲", "12"),
        (Decimal("-1500"), 2, "-۱٬۵۰۰٫۰۰", "-1,500.00"),
    ],
)
def test_number_groups_thousands_in_the_readers_digits(value, places, fa, en):
    with translation.override("fa"):
        assert number(value, places) == fa
    with translation.override("en"):
        assert number(value, places) == en


def test_percent_uses_the_readers_sign():
    with translation.override("fa"):
        assert percent(90) == "۹۰٪"
    with translation.override("en"):
        assert percent(90) == "90%"
        assert percent(Decimal("83.3333"), 0) == "83%"


def test_empty_values_show_nothing_and_junk_is_shown_as_it_is():
    assert number(None) == "" and number("") == "" and percent(None) == ""
    with translation.override("en"):
        assert number("n/a") == "n/a"


def test_units_of_capacity_are_named_in_the_readers_language():
    with translation.override("fa"):
        assert unit("tonnes/year") == "تن در سال"
        assert unit("بشکه در روز") == "بشکه در روز"  # typed in Persian already: shown as typed
    with translation.override("en"):
        assert unit("tonnes/year") == "tonnes/year"
