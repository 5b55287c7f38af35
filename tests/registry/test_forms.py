"""Form fields that read numbers as people in Iran type them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from registry.forms import PersianDecimalField, PersianIntegerField


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("۱۲۰", 120), ("1,500", 1500), ("۲ هزار", 2000), ("٣٤٥", 345), (" 7 ", 7), ("", None)],
)
def test_integer_field_reads_persian_and_arabic_digits(typed, expected):
    assert PersianIntegerField(required=False, min_value=0).clean(typed) == expected


@pytest.mark.parametrize("typed", ["۱٫۵", "abc", "-3"])
def test_integer_field_rejects_what_is_not_a_whole_number(typed):
    with pytest.raises(ValidationError):
        PersianIntegerField(required=False, min_value=0).clean(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("۵۰ میلیارد", Decimal("50000000000")), ("۱٬۲۰۰٫۵", Decimal("1200.5")), ("2.5bn", Decimal("2500000000"))],
)
def test_decimal_field_reads_scale_words(typed, expected):
    assert PersianDecimalField(required=False, max_digits=24, decimal_places=2).clean(typed) == expected


def test_number_fields_are_text_boxes_so_browsers_accept_persian():
    assert PersianDecimalField().widget.input_type == "text"
    assert PersianIntegerField().widget.input_type == "text"
