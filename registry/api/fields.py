"""Serializer fields that read numbers as people in Iran type them: «۱۲٫۵», «۵۰ میلیارد», "1,200" as well as 12.5.

Every number an API client sends may come from a form a person filled in, so it goes through the same
`registry.text.parse_number` as the web forms. JSON numbers are accepted too. The OpenAPI schema says so: the
decimal field is a string or a number without the ASCII-only pattern drf-spectacular would otherwise add.
"""

import math
from decimal import Decimal

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
    """A decimal read from Persian, Arabic-Indic or ASCII digits, with separators and scale words."""

    default_error_messages = {"invalid": _("Enter a number, e.g. 1200, ۱۲۰۰ or ۵۰ میلیارد.")}

    def to_internal_value(self, data):
        if isinstance(data, str) and not data.strip() and self.allow_null:
            return None
        try:
            number = _parse(data)
        except (ValueError, TypeError):
            self.fail("invalid")
        return super().to_internal_value(number)


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


class PersianDecimalFieldExtension(OpenApiSerializerFieldExtension):
    """Schema: a decimal as a string (Persian digits allowed) or a JSON number."""

    target_class = PersianDecimalField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        text = {**build_basic_type(OpenApiTypes.STR), "format": "decimal"}
        number = build_basic_type(OpenApiTypes.NUMBER)
        schema = {"oneOf": [text, number]} if direction == "request" else text
        if self.target.allow_null:
            schema["nullable"] = True
        return schema


class PersianIntegerFieldExtension(OpenApiSerializerFieldExtension):
    """Schema: an integer, or (in requests) its digits as a string in any script."""

    target_class = PersianIntegerField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        integer = build_basic_type(OpenApiTypes.INT)
        schema = {"oneOf": [integer, build_basic_type(OpenApiTypes.STR)]} if direction == "request" else integer
        if self.target.allow_null:
            schema["nullable"] = True
        return schema
