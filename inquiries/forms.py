"""Forms for the inquiry pages: the investor's question, and the staff's moves, notes, messages and assignment.

They check shape only (lengths, numbers typed in Persian digits, choices); the services decide everything else.
"""

import datetime
import re

import jdatetime
from django import forms
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from registry.forms import PersianDecimalField
from registry.models import Currency, Province, Sector
from registry.text import normalize, to_persian_digits

from .choices import MAX_LENGTHS, MIN_MESSAGE_LENGTH, InvestmentMode, Language, Status

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
PHONE_CHARACTERS = frozenset("0123456789+-() ")


def phone_clean(value: str) -> str:
    """A phone number typed in any digits, kept in ASCII digits; letters are a typing mistake."""
    value = " ".join((value or "").translate(_DIGITS).split())
    if value and not set(value) <= PHONE_CHARACTERS:
        raise ValidationError(_("Use digits, spaces, +, - and brackets only."), code="invalid")
    return value


def bootstrap_widgets(form: forms.Form) -> None:
    """Bootstrap classes on every visible widget, so templates render fields without per-field markup."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def initial_for(user) -> dict:
    """A signed-in person's details, so they need not type them again."""
    if not (user and user.is_authenticated):
        return {}
    initial = {"name": user.get_full_name(), "email": user.email, "language": user.preferred_language}
    organisation = getattr(user, "organisation", None)
    if organisation is not None:
        initial.update(company=organisation.name_en or organisation.name_fa, country=organisation.country)
    try:
        profile = user.investor_profile
    except (AttributeError, ObjectDoesNotExist):
        profile = None
    if profile is not None:
        initial.update({k: v for k, v in {"company": profile.company, "country": profile.country}.items() if v})
        if profile.ticket_currency_id:
            initial["ticket_currency"] = profile.ticket_currency_id
    return {key: value for key, value in initial.items() if value}


class InquiryForm(forms.Form):
    """The investor's question, on an opportunity page or for a province and sector in general."""

    name = forms.CharField(label=_("Your name"), max_length=MAX_LENGTHS["name"])
    email = forms.EmailField(label=_("E-mail"), max_length=MAX_LENGTHS["email"])
    company = forms.CharField(label=_("Company"), max_length=MAX_LENGTHS["company"], required=False)
    country = forms.CharField(label=_("Country"), max_length=MAX_LENGTHS["country"], required=False)
    phone = forms.CharField(label=_("Phone"), max_length=MAX_LENGTHS["phone"], required=False)
    ticket_size = PersianDecimalField(
        label=_("Ticket size"), required=False, max_digits=24, decimal_places=2, min_value=0,
        help_text=_("Persian digits and words welcome, e.g. ۵۰ میلیون."),
    )  # fmt: skip
    ticket_currency = forms.ModelChoiceField(
        label=_("Currency"), queryset=Currency.objects.all(), to_field_name="code", required=False
    )
    investment_mode = forms.ChoiceField(
        label=_("Intended mode of investment"), choices=[("", "—"), *InvestmentMode.choices], required=False
    )
    language = forms.ChoiceField(label=_("Reply in"), choices=Language.choices, initial=Language.FA)
    message = forms.CharField(
        label=_("Your question"), max_length=MAX_LENGTHS["message"], min_length=MIN_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )  # fmt: skip
    # A honeypot: hidden from people, filled in by bots. Anything in it files the inquiry as spam, silently.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    opportunity = forms.CharField(required=False, widget=forms.HiddenInput)
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.all(), to_field_name="code", required=False
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.filter(parent=None), to_field_name="code", required=False
    )
    idempotency_key = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)
        self.fields["email"].widget.attrs.update(dir="ltr", autocomplete="email")
        self.fields["phone"].widget.attrs.update(dir="ltr", autocomplete="tel", inputmode="tel")
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["company"].widget.attrs["autocomplete"] = "organization"
        self.fields["country"].widget.attrs["autocomplete"] = "country-name"
        self.fields["ticket_size"].widget = forms.TextInput(
            attrs={"class": "form-control", "inputmode": "decimal", "placeholder": "۵۰ میلیون"}
        )
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def clean_phone(self):
        return phone_clean(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if data.get("ticket_size") is not None and not data.get("ticket_currency"):
            self.add_error("ticket_currency", _("Give the currency of the ticket size."))
        if not data.get("opportunity") and not data.get("province") and "province" not in self.errors:
            self.add_error("province", _("Choose the province your question is about."))
        return data

    def contact_data(self) -> dict:
        fields = ("name", "email", "company", "country", "phone", "ticket_size", "ticket_currency",
                  "investment_mode", "language", "message")  # fmt: skip
        data = {name: self.cleaned_data[name] for name in fields}
        data["email"] = data["email"].strip()
        if data["ticket_size"] is None:
            data["ticket_currency"] = None
        return data


class StaffForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)


class TransitionForm(StaffForm):
    status = forms.ChoiceField(label=_("Move to"), choices=Status.choices)
    note = forms.CharField(
        label=_("Note"), max_length=MAX_LENGTHS["note"], required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("Reason (when lost)"), max_length=MAX_LENGTHS["reason"], required=False)

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(value, Status(value).label) for value in moves]


class NoteForm(StaffForm):
    note = forms.CharField(
        label=_("Internal note"), max_length=MAX_LENGTHS["note"], widget=forms.Textarea(attrs={"rows": 3})
    )


class MessageForm(StaffForm):
    message = forms.CharField(
        label=_("Message to the investor"), max_length=MAX_LENGTHS["message"], widget=forms.Textarea(attrs={"rows": 4})
    )


_DATE = re.compile(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})")


class JalaliDateField(forms.DateField):
    """A date typed the Iranian way (۱۴۰۵/۰۹/۱۰, in any digits) or as an ISO date (2026-12-01)."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Enter a date such as ۱۴۰۵/۰۹/۱۰ or 2026-12-01.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        match = _DATE.fullmatch(normalize(str(value)))
        if match is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month, day = map(int, match.groups())
        try:
            if year < 1700:  # a Jalali year
                return jdatetime.date(year, month, day).togregorian()
            return datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, datetime.date) and not (get_language() or "fa").startswith("en"):
            return to_persian_digits(jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d"))
        return value.isoformat() if isinstance(value, datetime.date) else value


class FollowUpForm(StaffForm):
    follow_up_on = JalaliDateField(label=_("Follow up on"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up_on"].widget.attrs.update(placeholder="۱۴۰۵/۰۹/۱۰", inputmode="numeric")


class AssignForm(StaffForm):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=None, required=False)

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees
        self.fields["assignee"].label_from_instance = lambda user: f"{user.get_full_name() or user.email}"
