"""Form fields that accept numbers as people in Iran type them: Persian or Arabic digits, separators, scale words."""

from decimal import Decimal

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from .text import parse_number


class PersianDecimalField(forms.DecimalField):
    """A decimal field reading «۵۰ میلیارد», «۱٬۲۰۰٫۵» or 2.5bn as well as 1200.5. A text box, not type=number:
    browsers refuse Persian digits and words in a number input before the server ever sees them."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    default_error_messages = {"invalid": _("Enter a number, e.g. 1200, ۱۲۰۰ or ۵۰ میلیارد.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            number = parse_number(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(str(number))


class PersianIntegerField(forms.IntegerField):
    """A whole number typed in any digits, with separators or scale words; «۱٬۵۰۰» → 1500, «۲ هزار» → 2000."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {"invalid": _("Enter a whole number, e.g. 1500 or ۱۵۰۰.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        try:
            number = parse_number(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if number != number.to_integral_value():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)


NUMBER_FILTER_LIMIT = 1e50  # django_filters.NumberFilter.get_max_validator


@extend_schema_field({"type": "number", "minimum": -NUMBER_FILTER_LIMIT, "maximum": NUMBER_FILTER_LIMIT})
class PersianDecimalFilter(django_filters.NumberFilter):
    """A number filter in any digits. Bounded both ways, as the schema says: django-filter refuses values above
    1e50, and so is anything below -1e50."""

    field_class = PersianDecimalField

    @property
    def field(self):
        if not hasattr(self, "_field"):
            field = super().field
            field.validators.append(MinValueValidator(-NUMBER_FILTER_LIMIT))
        return self._field
