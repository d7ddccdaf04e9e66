"""Fixed-window rate limits for public forms, counted in the shared cache.

Embedded mode uses the in-process cache (per worker); production sets REDIS_URL so every
app server counts in the same place.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP; behind a trusted proxy, the first X-Forwarded-For hop."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def allow(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False once `limit` attempts were made in the current window."""
    bucket = int(time.time() // window_seconds)
    cache_key = f"prima:rl:{scope}:{key}:{bucket}"
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


def seconds_until_reset(window_seconds: int) -> int:
    """Seconds until the current fixed window ends and `allow` counts from zero again."""
    return max(1, window_seconds - int(time.time()) % window_seconds)
