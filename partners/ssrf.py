"""Webhook URLs must not reach inside: private, loopback, link-local, multicast, reserved and unspecified addresses
are refused when an endpoint is registered and again before every send (DNS may have changed in between).
Loopback is allowed only with settings.WEBHOOKS_ALLOW_LOOPBACK (tests and the benchmark)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def address_refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return not settings.WEBHOOKS_ALLOW_LOOPBACK
    return ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise ValidationError({"url": _("The host name does not resolve.")}) from None
    return sorted({info[4][0] for info in infos})


def url_check(url: str) -> None:
    """Raise ValidationError({'url': ...}) unless every address the URL's host resolves to is public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": _("Give an http or https URL.")})
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for address in resolve(parts.hostname, port):
        if address_refused(ipaddress.ip_address(address.split("%")[0])):
            raise ValidationError({"url": _("This address is not reachable from here (private or reserved).")})
