"""`Authorization: Api-Key <prefix>.<secret>`: the request acts as the partner's service user; request.auth is the
key, which carries the scopes. Expired, revoked or unknown keys are 401; a scope or address not allowed is 403; too
many requests is 429 with Retry-After."""

import ipaddress

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import PartnerAPIKey
from .scopes import required_scope
from .throttling import throttle_wait

KEYWORD = "Api-Key"


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def ip_allowed(allowed: list[str], address: str) -> bool:
    if not allowed:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in allowed)


class KeyRejected(exceptions.APIException):
    """401 with `WWW-Authenticate: Api-Key`. Not AuthenticationFailed: DRF turns that into 403 unless the first
    authentication class names a challenge, and anonymous requests must keep their 403 (session APIs)."""

    status_code = 401
    default_detail = _("Invalid API key.")
    default_code = "authentication_failed"

    def __init__(self, detail=None):
        super().__init__(detail)
        self.auth_header = KEYWORD


def key_lookup(raw: str) -> PartnerAPIKey:
    try:
        key = PartnerAPIKey.objects.get_from_key(raw)
    except PartnerAPIKey.DoesNotExist:
        raise KeyRejected(_("Unknown API key.")) from None
    if key.revoked:
        raise KeyRejected(_("This API key has been revoked."))
    if key.has_expired:
        raise KeyRejected(_("This API key has expired."))
    if not key.partner.is_active or not key.partner.user.is_active:
        raise KeyRejected(_("This partner is disabled."))
    return key


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        keyword, _sep, raw = header.partition(" ")
        if keyword != KEYWORD:
            return None
        key = key_lookup(raw.strip())
        if not ip_allowed(key.allowed_ips, _client_ip(request)):
            raise exceptions.PermissionDenied(_("This API key may not be used from this address."))
        wait = throttle_wait(key_prefix=key.prefix, rate=key.rate or None)
        if wait is not None:
            raise exceptions.Throttled(wait=wait)
        needed = required_scope(request.path, request.method)
        if needed not in key.scopes:
            raise exceptions.PermissionDenied(_("This API key lacks the scope %(scope)s.") % {"scope": needed})
        if key.last_used_at is None or (timezone.now() - key.last_used_at).total_seconds() > 60:
            PartnerAPIKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        return key.partner.user, key
