"""Fixed-window rate limits through the Django cache (Redis in production): per client IP and per e-mail address.

Why the cache and not the database: a flood of junk must cost one cache round trip per request, not a write. Each
window is one counter key that expires with the window; `cache.add` creates it atomically, `cache.incr` counts.
"""

import hashlib
import math
import re
import time

from django.conf import settings
from django.core.cache import cache

_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """A rate such as "30/hour" → (30, 3600) or "5/10min" → (5, 600); ValueError on anything else."""
    match = _RATE.match(rate.lower())
    if not match or match[3] not in _UNITS:
        raise ValueError(f"{rate!r} is not a rate such as '30/hour'")
    return int(match[1]), int(match[2] or 1) * _UNITS[match[3]]


def hit(*, scope: str, ident: str, rate: str, now: float | None = None) -> int | None:
    """Count one request for `ident`; None while within the rate, else the seconds until the window reopens."""
    limit, window = parse_rate(rate)
    now = time.time() if now is None else now
    bucket = int(now // window)
    digest = hashlib.sha256(ident.strip().lower().encode()).hexdigest()[:32]
    key = f"inquiries:rate:{scope}:{digest}:{window}:{bucket}"
    if cache.add(key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this is the first hit of a new window
            cache.add(key, 1, timeout=window + 1)
            count = 1
    if count <= limit:
        return None
    return max(1, math.ceil((bucket + 1) * window - now))


def client_ip(request) -> str:
    """The address the request came from (the proxy in front sets REMOTE_ADDR; X-Forwarded-For is not trusted)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def ip_limited(ip: str) -> int | None:
    return hit(scope="ip", ident=ip or "unknown", rate=settings.INQUIRY_RATE_LIMIT_PER_IP)


def email_limited(email: str) -> int | None:
    return hit(scope="email", ident=email, rate=settings.INQUIRY_RATE_LIMIT_PER_EMAIL)
