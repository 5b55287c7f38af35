"""Reads about people: investor profiles, verification state, and the e-mail address a sign-in attempt was for."""

import datetime

from django.utils import timezone

from registry.models import OutboundEmail

from .models import InvestorProfile, User


def login_attempt_username(request, credentials: dict | None = None) -> str:
    """The address a sign-in attempt names, folded as the login form folds it, so django-axes counts «A@x.com» and
    «a@x.com » as one address (AXES_USERNAME_CALLABLE)."""
    source = credentials if credentials else getattr(request, "POST", None) or {}
    return str(source.get("username") or source.get("email") or "").strip().lower()


def login_email_canonical(typed: str) -> str:
    """The stored spelling of an address typed at sign-in, whatever its case: accounts made in the admin may keep
    capitals, and the login lookup itself is exact."""
    folded = (typed or "").strip()
    stored = User.objects.filter(email__iexact=folded).values_list("email", flat=True).first()
    return stored or folded.lower()


def investor_profile_of(user: User) -> InvestorProfile | None:
    """The person's profile with what the profile page shows, or None (staff accounts made in the admin)."""
    if not user.is_authenticated:
        return None
    return InvestorProfile.objects.select_related("ticket_currency").filter(user=user).first()


def email_is_verified(user: User) -> bool:
    """Whether mail other than verification and password reset may go to this person's address."""
    return bool(
        user.is_authenticated and InvestorProfile.objects.filter(user=user, email_verified_at__isnull=False).exists()
    )


def verification_email_recent(*, user: User, within: datetime.timedelta) -> bool:
    """A verification e-mail was queued for this person within the interval (resends are throttled)."""
    since = timezone.now() - within
    return OutboundEmail.objects.filter(key__startswith=f"verify:{user.pk}:", created_at__gte=since).exists()
