"""The rate limit of public certificate verification, shared by the page and the API."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from prima.core import ratelimit

SCOPE = "awards-verify"
WINDOW_SECONDS = 60


def verify_limit() -> int:
    """Checks allowed per client address and minute (`AWARDS_VERIFY_PER_MINUTE`)."""
    return int(getattr(settings, "AWARDS_VERIFY_PER_MINUTE", 30))


def verification_allowed(request: HttpRequest) -> bool:
    """Count one check from the request's address; False once over the limit."""
    return ratelimit.allow(
        SCOPE,
        ratelimit.client_address(request),
        limit=verify_limit(),
        window_seconds=WINDOW_SECONDS,
    )


def retry_after() -> str:
    """The Retry-After header value: seconds until the window resets."""
    return str(ratelimit.seconds_until_reset(WINDOW_SECONDS))
