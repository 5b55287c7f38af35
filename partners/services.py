"""Writes for partners: onboarding, keys, endpoints. Webhook fan-out and delivery are in webhooks.py."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import OrganisationKind, Role
from accounts.models import Organisation, User

from . import signing, ssrf
from .choices import EventType, Scope
from .models import Partner, PartnerAPIKey, WebhookEndpoint


@transaction.atomic
def partner_create(*, name: str, organisation: Organisation, email: str, provinces=()) -> Partner:
    """A partner and its service user. The user is province staff for `provinces` (the write scope) so the
    catalogue services and scoping treat it exactly like staff of those provinces; it cannot sign in (no password,
    is_staff False) and acts only through keys."""
    if organisation.kind != OrganisationKind.PARTNER_PORTAL:
        raise ValidationError({"organisation": _("A partner belongs to a partner-portal organisation.")})
    user = User.objects.create_user(
        email=email, password=None, role=Role.PROVINCE_STAFF, organisation=organisation, is_staff=False
    )
    user.provinces.set(provinces)
    return Partner.objects.create(name=name, organisation=organisation, user=user)


def key_issue(
    *, partner: Partner, name: str, scopes: list[str], expires_at=None, allowed_ips=(), rate: str = ""
) -> tuple[PartnerAPIKey, str]:
    """A new key; the plain key is returned once and only its hash is stored."""
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise ValidationError({"scopes": _("Unknown scopes: %(s)s") % {"s": ", ".join(sorted(unknown))}})
    return PartnerAPIKey.objects.create_key(
        partner=partner,
        name=name,
        scopes=sorted(set(scopes)),
        expiry_date=expires_at,
        allowed_ips=list(allowed_ips),
        rate=rate,
    )


def key_revoke(*, key: PartnerAPIKey) -> None:
    PartnerAPIKey.objects.filter(pk=key.pk).update(revoked=True)


def _check_event_types(event_types: list[str]) -> None:
    unknown = set(event_types) - set(EventType.values)
    if unknown or not event_types:
        raise ValidationError({"event_types": _("Choose one or more known event types.")})


def endpoint_register(*, partner: Partner, url: str, event_types: list[str]) -> WebhookEndpoint:
    """A new endpoint hears events from now on (its high-water marks start at the newest rows)."""
    _check_event_types(event_types)
    ssrf.url_check(url)
    from .webhooks import latest_event_ids

    last_opportunity, last_inquiry = latest_event_ids()
    return WebhookEndpoint.objects.create(
        partner=partner,
        url=url,
        event_types=sorted(set(event_types)),
        secret=signing.secret_generate(),
        last_opportunity_event_id=last_opportunity,
        last_inquiry_event_id=last_inquiry,
    )


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint, overlap: datetime.timedelta | None = None) -> str:
    """A new secret; the old one keeps signing alongside it for the overlap so receivers can switch over."""
    overlap = overlap or datetime.timedelta(hours=settings.WEBHOOKS_SECRET_OVERLAP_HOURS)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = timezone.now() + overlap
    endpoint.secret = signing.secret_generate()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    return endpoint.secret


def endpoint_signing_secrets(*, endpoint: WebhookEndpoint, now=None) -> list[str]:
    now = now or timezone.now()
    secrets_ = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_secret_expires_at and endpoint.previous_secret_expires_at > now:
        secrets_.append(endpoint.previous_secret)
    return secrets_


def endpoint_disable(*, endpoint: WebhookEndpoint, reason: str) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False, disabled_reason=reason[:200])
