"""Requests per key on the shared cache: a fixed window counter, so every web process counts against one budget."""

import time

from django.conf import settings
from django.core.cache import cache

PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400}
PERIODS["day"] = 86400


def parse_rate(rate: str) -> tuple[int, int]:
    """'600/minute' → (600, 60)."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip().lower()]


def throttle_wait(*, key_prefix: str, rate: str | None = None) -> int | None:
    """Count this request; None when within the budget, else the seconds until the window ends (Retry-After)."""
    limit, period = parse_rate(rate or settings.PARTNER_API_DEFAULT_RATE)
    now = time.time()
    window = int(now // period)
    cache_key = f"partners:rl:{key_prefix}:{period}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=period + 1)
        used = 1
    if used <= limit:
        return None
    return max(1, int((window + 1) * period - now + 0.999))
