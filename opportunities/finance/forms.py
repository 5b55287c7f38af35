"""Forms people type numbers into: the investor's own discount rate and currency, the comparison, the admin.

Every number accepts Persian or Arabic-Indic digits (`registry.forms`), and the inputs are text boxes with a decimal
keyboard rather than `type=number`, which browsers use to refuse «۱۲».
"""

from decimal import Decimal

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.forms import PersianDecimalField
from registry.models import Currency
from registry.text import parse_number

from .selectors import MAX_COMPARE
from .spreadsheet import MAX_BYTES

HUNDRED = Decimal(100)


def number_input(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr", "autocomplete": "off", **attrs})


def currency_choices() -> list[tuple[str, str]]:
    return [(currency.code, f"{currency.code} · {currency.name}") for currency in Currency.objects.order_by("code")]


class RateAndCurrencyForm(forms.Form):
    """A discount rate in percent (what people type: «۱۲» is 12%) and a currency to show amounts in."""

    discount_rate_pct = PersianDecimalField(
        label=_("Your discount rate (%)"),
        required=False,
        max_digits=9,
        decimal_places=4,
        widget=number_input(placeholder=_("e.g. ۱۲")),
    )
    currency = forms.ChoiceField(label=_("Currency"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [("", _("The model's currency")), *currency_choices()]

    def clean_discount_rate_pct(self):
        value = self.cleaned_data["discount_rate_pct"]
        if value is not None and value <= -HUNDRED:
            raise forms.ValidationError(_("The discount rate must be greater than -100%."))
        return value

    @property
    def discount_rate(self) -> Decimal | None:
        """The rate as the engine takes it, a fraction; None keeps the model's own."""
        value = self.cleaned_data.get("discount_rate_pct") if self.is_bound and hasattr(self, "cleaned_data") else None
        return None if value is None else value / HUNDRED


class CompareForm(RateAndCurrencyForm):
    """Which opportunities to compare, on which common rate and currency."""

    refs = forms.CharField(
        label=_("Opportunity references"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "WA-MIN-2025-0007, WA-MFG-2025-0012"}),
    )
    field_order = ["refs", "discount_rate_pct", "currency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices()
        self.fields["discount_rate_pct"].help_text = _("10% when empty.")
        # Filled in per request: a lazy text formatted at import would be fixed in the language active then.
        self.fields["refs"].help_text = _("Up to %(max)d references separated by commas.") % {"max": MAX_COMPARE}


class WholeNumberField(forms.IntegerField):
    """A whole number typed in any digits («۱۲» → 12).

    Not `registry.forms.PersianIntegerField`: that one inherits DecimalField.validate, which calls
    `is_finite()` on the int it returns and fails on every non-empty value.
    """

    default_error_messages = {"invalid": _("Enter a whole number, e.g. 12 or ۱۲.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = parse_number(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if number != number.to_integral_value():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)


def persian_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """The admin's form field for a number column: Persian digits accepted, a text box with a decimal keyboard."""
    common = {
        "label": kwargs.get("label", db_field.verbose_name),
        "required": not (db_field.blank or db_field.has_default()),  # an empty cell keeps the default (0)
        "initial": db_field.get_default() if db_field.has_default() else None,
        "help_text": db_field.help_text,
        "widget": number_input(size=12),
    }
    if isinstance(db_field, models.DecimalField):
        return PersianDecimalField(max_digits=db_field.max_digits, decimal_places=db_field.decimal_places, **common)
    if isinstance(db_field, models.IntegerField) and not db_field.choices and db_field.editable:
        return WholeNumberField(**common)
    return None


class ModelSheetForm(forms.Form):
    """A filled financial-model template (see `spreadsheet`); a file too large is refused before it is read."""

    file = forms.FileField(label=_("Filled template (.xlsx)"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return uploaded
