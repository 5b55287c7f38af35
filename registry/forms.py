"""Form fields that accept numbers as people in Iran type them: Persian or Arabic digits, separators, scale words."""

from decimal import Decimal

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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


class PersianIntegerField(PersianDecimalField):
    """A whole number typed in any digits; «۱٬۵۰۰» → 1500."""

    default_error_messages = {"invalid": _("Enter a whole number, e.g. 1500 or ۱۵۰۰.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("decimal_places", 0)
        super().__init__(**kwargs)

    def to_python(self, value):
        number = super().to_python(value)
        return None if number is None else int(number)


class PersianDecimalFilter(django_filters.NumberFilter):
    field_class = PersianDecimalField
