"""Account pages: sign-up, e-mail verification, sign-in (django-axes watches it), sign-out, password reset, profile.

Views check the shape of the request and who is asking; accounts.services does the writing."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from registry.text import parse_number, to_persian_digits

from . import services
from .forms import EmailAuthenticationForm, OutboxPasswordResetForm, ProfileForm, SignUpForm
from .selectors import investor_profile_of

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SIGN_UP_FIELDS = ("email", "password", "first_name", "last_name", "company", "country")


def _link_base(request) -> str:
    """Scheme and host of this request, for links in e-mails (the host is checked against ALLOWED_HOSTS)."""
    return request.build_absolute_uri("/").rstrip("/")


@require_http_methods(["GET", "POST"])
def sign_up(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {key: form.cleaned_data[key] for key in SIGN_UP_FIELDS}
        try:
            user = services.investor_sign_up(
                **data, language=translation.get_language() or "fa", link_base=_link_base(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend=MODEL_BACKEND)
            return redirect("accounts:verify_sent")
    status = 400 if form.errors else 200
    return render(request, "accounts/sign_up.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def verify_sent(request):
    """ "Check your inbox", with a button to send the link again (at most once a minute)."""
    profile = investor_profile_of(request.user)
    if request.method == "POST":
        try:
            services.email_verification_resend(user=request.user, link_base=_link_base(request))
        except ValidationError as error:
            messages.warning(request, " ".join(error.messages))
        else:
            messages.success(request, _("We sent a new link to %(email)s.") % {"email": request.user.email})
        return redirect("accounts:verify_sent")
    return render(request, "accounts/verify_sent.html", {"profile": profile})


@require_http_methods(["GET", "POST"])
def verify_email(request, token: str):
    """GET shows a confirm button, POST verifies: mail scanners that open links must not spend the one-time link."""
    if request.method == "GET":
        return render(request, "accounts/verify_email.html", {"token": token})
    try:
        user = services.email_verify(token=token)
    except ValidationError as error:
        context = {"token": token, "problem": error.code, "message": " ".join(error.messages)}
        return render(request, "accounts/verify_email.html", context, status=400)
    login(request, user, backend=MODEL_BACKEND)
    messages.success(request, _("Thank you: your e-mail address is verified."))
    return redirect("accounts:profile")


class SignInView(auth_views.LoginView):
    """Sign in by e-mail. Five failures for one address from one IP lock it out for 15 minutes (django-axes), and
    the lockout is the friendly accounts/locked_out.html page with HTTP 429."""

    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django 5): a link cannot sign anyone out."""

    next_page = reverse_lazy("opportunities:home")


class ResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs["class"] = "form-control"
        return form


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _typed_amount(value: Decimal | None) -> str:
    """A stored amount as a person would type it back: grouped, no trailing zeros, Persian digits in Persian."""
    if value is None:
        return ""
    text = format(parse_number(value), ",f")
    return to_persian_digits(text) if (translation.get_language() or "fa").startswith("fa") else text


def _profile_initial(user, profile) -> dict:
    initial = {"first_name": user.first_name, "last_name": user.last_name}
    initial["preferred_language"] = user.preferred_language
    if profile is not None:
        initial.update(
            company=profile.company,
            country=profile.country,
            sectors=list(profile.sectors.all()),
            ticket_min=_typed_amount(profile.ticket_min),
            ticket_max=_typed_amount(profile.ticket_max),
            ticket_currency=profile.ticket_currency,
        )
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The investor's profile. Saving a new preferred language switches the interface to it."""
    current = investor_profile_of(request.user)
    form = ProfileForm(request.POST or None, initial=_profile_initial(request.user, current))
    if request.method == "POST" and form.is_valid():
        try:
            services.investor_profile_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _after_profile_saved(request, form.cleaned_data["preferred_language"])
    context = {"form": form, "profile": current}
    return render(request, "accounts/profile.html", context, status=400 if form.errors else 200)


def _after_profile_saved(request, language: str) -> HttpResponseRedirect:
    with translation.override(language):
        messages.success(request, _("Your profile is saved."))
        target = reverse("accounts:profile")
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
    )
    return response
