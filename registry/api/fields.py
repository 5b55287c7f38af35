"""Serializer fields that read numbers as people in Iran type them: «۱۲٫۵», «۵۰ میلیارد», "1,200" as well as 12.5.

Every number an API client sends may come from a form a person filled in, so it goes through the same
`registry.text.parse_number` as the web forms. JSON numbers are accepted too. The OpenAPI schema says so: the
decimal field is a string or a number without the ASCII-only pattern drf-spectacular would otherwise add.
"""

import math
from decimal import ROUND_DOWN, Decimal, localcontext

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers

from registry.text import parse_number


def _parse(value) -> Decimal:
    """A Decimal from a JSON number or typed text; ValueError for anything else (floats via their shortest repr)."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return parse_number(Decimal(repr(value)))
    return parse_number(value if isinstance(value, (int, Decimal)) else str(value))


class PersianDecimalField(serializers.DecimalField):
    """A decimal read from Persian, Arabic-Indic or ASCII digits, with separators and scale words.

    The accepted values are exactly what the schema states: bounds (min_value/max_value, and below 10 to the power
    of the whole digits) are checked on the number as sent; then digits beyond `decimal_places` are dropped (towards
    zero, so the value never grows past a bound) rather than refused, as a person typing 12.3456789% would expect.
    """

    default_error_messages = {"invalid": _("Enter a number, e.g. 1200, ۱۲۰۰ or ۵۰ میلیارد.")}

    def to_internal_value(self, data):
        if isinstance(data, str) and not data.strip() and self.allow_null:
            return None
        try:
            number = _parse(data)
        except (ValueError, TypeError):
            self.fail("invalid")
        self._check_bounds(number)
        if self.decimal_places is not None:
            with localcontext(prec=MAX_PRECISION):
                number = number.quantize(Decimal(1).scaleb(-self.decimal_places), rounding=ROUND_DOWN)
        return super().to_internal_value(number)

    def _check_bounds(self, number: Decimal) -> None:
        if self.max_whole_digits is not None and abs(number) >= whole_digits_limit(self):
            self.fail("max_whole_digits", max_whole_digits=self.max_whole_digits)
        if self.max_value is not None and number > self.max_value:
            self.fail("max_value", max_value=self.max_value)
        if self.min_value is not None and number < self.min_value:
            self.fail("min_value", min_value=self.min_value)


MAX_PRECISION = 200  # parse_number's numbers lie below 10**100 and have at most 64 characters


def whole_digits_limit(field: serializers.DecimalField) -> Decimal:
    """The first magnitude a field cannot hold: 1000 for max_digits=9 with decimal_places=6."""
    return Decimal(10) ** field.max_whole_digits


class PersianIntegerField(serializers.IntegerField):
    """A whole number typed in any digits: «۱۴۰۴» → 1404."""

    default_error_messages = {"invalid": _("Enter a whole number, e.g. 1500 or ۱۵۰۰.")}

    def to_internal_value(self, data):
        try:
            number = _parse(data)
        except (ValueError, TypeError):
            self.fail("invalid")
        if number != number.to_integral_value():
            self.fail("invalid")
        return super().to_internal_value(int(number))


def _bounds(field, limit: Decimal | None = None) -> dict:
    """OpenAPI 3.0 bounds: the field's min/max values, else the exclusive limit of its digits (when it has one)."""
    bounds = {}
    for side, value, sign in (("maximum", field.max_value, 1), ("minimum", field.min_value, -1)):
        if value is not None:
            bounds[side] = value if isinstance(value, int) else float(value)
        elif limit is not None:
            bounds[side] = float(sign * limit)
            bounds[f"exclusive{side.capitalize()}"] = True
    return bounds


class PersianDecimalFieldExtension(OpenApiSerializerFieldExtension):
    """Schema: in requests a JSON number within the field's bounds (text in Persian or Arabic-Indic digits, with
    separators and scale words, is read too, as docs/integrating.md says); in responses the decimal as a string."""

    target_class = PersianDecimalField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            limit = whole_digits_limit(self.target) if self.target.max_whole_digits is not None else None
            schema = {**build_basic_type(OpenApiTypes.NUMBER), **_bounds(self.target, limit)}
        else:
            schema = {**build_basic_type(OpenApiTypes.STR), "format": "decimal"}
        if self.target.allow_null:
            schema["nullable"] = True
            if direction == "request":
                schema[BLANK_IS_UNSET] = True  # a blank query parameter (`discount_rate=`) means the default
        return schema


# Marks a schema whose field reads a blank value as "not given"; the schema hook turns it into the query
# parameter's `allowEmptyValue` (partners.schema.blank_parameters).
BLANK_IS_UNSET = "x-blank-is-unset"


class PersianIntegerFieldExtension(OpenApiSerializerFieldExtension):
    """Schema: an integer within the field's bounds (its digits as text in any script are read too)."""

    target_class = PersianIntegerField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = {**build_basic_type(OpenApiTypes.INT), **_bounds(self.target)}
        if self.target.allow_null:
            schema["nullable"] = True
        return schema
