"""Bearer-token authentication for the API; the session also works for the browser."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from prima.core.models import ApiToken, Person


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        # A logged-in browser session counts for reads, so the docs page works for users;
        # writes need a token, so a session can never be ridden cross-site.
        user = getattr(request, "user", None)
        if (
            request.method in ("GET", "HEAD", "OPTIONS")
            and user is not None
            and user.is_authenticated
            and not request.headers.get("Authorization")
        ):
            return user
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("person")
            .filter(digest=digest_of(token), revoked_at__isnull=True, person__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        # Write last use at most once a minute to keep reads cheap.
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.person
        return row.person


def person_from_request(request: HttpRequest) -> Any:
    """For endpoints open to everyone: the token's person, else the session's user (or
    anonymous). An invalid token is treated as no token, so the answer is the public one."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        person = TokenAuth().authenticate(request, token.strip())
        if person is not None:
            return person
    return getattr(request, "user", None)


def token_person(request: HttpRequest) -> Person:
    """The person of the request's token (operations behind `TokenAuth`)."""
    person = request.auth  # type: ignore[attr-defined]
    assert isinstance(person, Person)
    return person
