"""Writes about people: investor sign-up, e-mail verification and the investor profile.

Accounts are active but unverified from sign-up: the investor can sign in, browse and keep a watchlist at once, a lost
verification e-mail never locks anyone out (password reset still works, since Django mails active users only), and
nothing but the verification and password-reset messages goes to an address until it is verified — saved-search
digests wait for verification, so an address typed by someone else receives no recurring mail.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.models import Currency, OutboundEmail, Sector
from registry.services import email_enqueue

from . import tokens
from .choices import Role
from .models import InvestorProfile, User
from .selectors import verification_email_recent

RESEND_INTERVAL = datetime.timedelta(minutes=1)


def _absolute(link_base: str, path: str) -> str:
    return f"{link_base.rstrip('/')}{path}"


@transaction.atomic
def investor_sign_up(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str = "",
    company: str = "",
    country: str = "",
    language: str = "fa",
    link_base: str,
) -> User:
    """Create an investor's account (active, e-mail unverified) and queue the verification e-mail in the same
    transaction. The password is checked by the site's validators; a taken address is a field error."""
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip(), role=Role.INVESTOR)
    user.preferred_language = language if language in {"fa", "en"} else "fa"
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # a simultaneous sign-up with the same address won the race
        raise ValidationError({"email": _("An account with this e-mail address already exists.")}) from None
    InvestorProfile.objects.create(
        user=user, company=company.strip(), country=country.strip(), terms_accepted_at=timezone.now()
    )
    email_verification_send(user=user, link_base=link_base)
    return user


def email_verification_send(*, user: User, link_base: str) -> OutboundEmail:
    """Queue a verification e-mail with a fresh signed link (outbox key `verify:<user id>:<token hash>`)."""
    token = tokens.verification_token_make(user)
    language = user.preferred_language or "fa"
    with translation.override(language):
        context = {
            "user": user,
            "link": _absolute(link_base, reverse("accounts:verify_email", kwargs={"token": token})),
            "days": 3,
        }
        subject = _("Confirm your e-mail address · Investment Opportunity Bank")
        body_text = render_to_string("accounts/email/verify_email.txt", context)
        body_html = render_to_string("accounts/email/verify_email.html", context)
    email, _created = email_enqueue(
        key=f"verify:{user.pk}:{tokens.token_digest(token)}",
        to=user.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=language,
    )
    return email


def email_verification_resend(*, user: User, link_base: str) -> OutboundEmail:
    """Send another link on request, at most one a minute, and none once the address is verified."""
    profile = investor_profile_ensure(user=user)
    if profile.email_verified:
        raise ValidationError(_("Your e-mail address is already verified."), code="verified")
    if verification_email_recent(user=user, within=RESEND_INTERVAL):
        raise ValidationError(_("A link was sent less than a minute ago. Please check your inbox."), code="throttled")
    return email_verification_send(user=user, link_base=link_base)


VERIFY_PROBLEMS = {
    tokens.TokenProblem.INVALID: gettext_lazy("This verification link is not valid. Was it copied completely?"),
    tokens.TokenProblem.EXPIRED: gettext_lazy("This verification link has expired. Sign in and ask for a new one."),
    tokens.TokenProblem.USED: gettext_lazy(
        "This verification link has already been used. Your e-mail address is verified."
    ),
}


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Mark the address in the token verified. The link works once: verifying changes the state the token is bound
    to. Raises ValidationError whose code says why it failed (invalid, expired, used)."""
    user_id, state_hash, problem = tokens.verification_token_read(token)
    user = None
    if problem is None:
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            problem = tokens.TokenProblem.INVALID
    if problem is None:
        profile = InvestorProfile.objects.select_for_update().get_or_create(user=user)[0]
        user.investor_profile = profile
        if not tokens.verification_token_matches(user, state_hash):
            problem = tokens.TokenProblem.USED if profile.email_verified else tokens.TokenProblem.INVALID
    if problem is not None:
        raise ValidationError(VERIFY_PROBLEMS[problem], code=problem.value)
    profile.email_verified_at = timezone.now()
    profile.save(update_fields=["email_verified_at", "updated_at"])
    return user


def investor_profile_ensure(*, user: User) -> InvestorProfile:
    """The profile of any signed-in person; staff accounts made in the admin get an empty one on first visit."""
    profile, _created = InvestorProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def investor_profile_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    preferred_language: str,
    company: str,
    country: str,
    sectors: list[Sector],
    ticket_min: Decimal | None,
    ticket_max: Decimal | None,
    ticket_currency: Currency | None,
) -> InvestorProfile:
    """Save what the investor says about themselves; the ticket range must be in order and name its currency."""
    errors = {}
    if ticket_min is not None and ticket_max is not None and ticket_min > ticket_max:
        errors["ticket_max"] = _("The upper end must not be below the lower end.")
    if (ticket_min is not None or ticket_max is not None) and ticket_currency is None:
        errors["ticket_currency"] = _("Give the currency of the ticket size.")
    if preferred_language not in {"fa", "en"}:
        errors["preferred_language"] = _("Choose Persian or English.")
    if errors:
        raise ValidationError(errors)
    user.first_name, user.last_name, user.preferred_language = first_name.strip(), last_name.strip(), preferred_language
    user.save(update_fields=["first_name", "last_name", "preferred_language"])
    profile = InvestorProfile.objects.select_for_update().get_or_create(user=user)[0]
    profile.company, profile.country = company.strip(), country.strip()
    profile.ticket_min, profile.ticket_max, profile.ticket_currency = ticket_min, ticket_max, ticket_currency
    profile.save()
    profile.sectors.set(sectors)
    return profile


def password_reset_email_enqueue(*, user: User, token: str, subject: str, body_text: str, body_html: str = "") -> None:
    """Django's password reset hands its message to the outbox instead of sending it inside the request; one row
    per token (`password-reset:<user id>:<token hash>`), so a double submit sends one message."""
    email_enqueue(
        key=f"password-reset:{user.pk}:{tokens.token_digest(token)}",
        to=user.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=translation.get_language() or "fa",
    )
