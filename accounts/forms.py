"""Account forms: they check the shape of what was typed; accounts.services does the writing."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from registry.forms import PersianDecimalField
from registry.models import Currency, Sector

from . import services
from .models import User
from .selectors import login_email_canonical

LANGUAGES = [("fa", "فارسی"), ("en", "English")]


class BootstrapMixin:
    """Bootstrap classes on every widget, and `is-invalid` on fields with errors, so templates stay plain loops."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class SignUpForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "aria-describedby": "password-rules"}),
    )
    password_confirm = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    company = forms.CharField(
        label=_("Company"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    country = forms.CharField(
        label=_("Country"), max_length=64, widget=forms.TextInput(attrs={"autocomplete": "country-name"})
    )
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of use and the privacy notice."),
        error_messages={"required": _("Please accept the terms of use to create an account.")},
    )

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"].strip()).lower()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password_confirm") != cleaned.get("password"):
            self.add_error("password_confirm", _("The two passwords differ."))
        return cleaned


class EmailAuthenticationForm(BootstrapMixin, AuthenticationForm):
    """Sign in with an e-mail address, whatever its case or surrounding spaces."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or the password is not right. Note that the password is case-sensitive."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True, "class": "form-control", "dir": "ltr"}
        )
        self.fields["password"].widget.attrs["class"] = "form-control"

    def clean_username(self):
        return login_email_canonical(self.cleaned_data.get("username") or "")


class OutboxPasswordResetForm(BootstrapMixin, PasswordResetForm):
    """Django's reset form, but the message becomes an outbox row (sent after commit, retried by the sweeper)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["dir"] = "ltr"

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body_text = loader.render_to_string(email_template_name, context)
        body_html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else ""
        services.password_reset_email_enqueue(
            user=context["user"], token=context["token"], subject=subject, body_text=body_text, body_html=body_html
        )


class ProfileForm(BootstrapMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    country = forms.CharField(label=_("Country"), max_length=64, required=False)
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors of interest"),
        queryset=Sector.objects.filter(parent__isnull=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    ticket_min = PersianDecimalField(
        label=_("From"),
        required=False,
        min_value=0,
        max_digits=24,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "aria-describedby": "ticket-help"}),
    )
    ticket_max = PersianDecimalField(
        label=_("Up to"),
        required=False,
        min_value=0,
        max_digits=24,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "aria-describedby": "ticket-help"}),
    )
    ticket_currency = forms.ModelChoiceField(
        label=_("Currency"), queryset=Currency.objects.all(), required=False, empty_label=_("Choose…")
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_("Pages and e-mails use this language."),
    )
