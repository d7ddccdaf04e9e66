"""Who the citizen on this request is: a verified citizen account in the session or a
citizen bearer token. Citizens are kept apart from staff logins (`request.user`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from ninja.security import HttpBearer

from prima.core.api_auth import digest_of
from prima.core.models import Citizen, CitizenToken

SESSION_KEY = "prima_citizen_id"


def current_citizen(request: HttpRequest) -> Citizen | None:
    """The active citizen signed in on this browser session, cached on the request."""
    if hasattr(request, "_prima_citizen"):
        return request._prima_citizen
    citizen = None
    citizen_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if citizen_id is not None:
        citizen = Citizen.objects.filter(pk=citizen_id, is_active=True).first()
    request._prima_citizen = citizen  # type: ignore[attr-defined]
    return citizen


def login_citizen(request: HttpRequest, citizen: Citizen) -> None:
    # A new session key on sign-in, so a planted session id is never promoted.
    request.session.cycle_key()
    request.session[SESSION_KEY] = citizen.pk
    request._prima_citizen = citizen  # type: ignore[attr-defined]


def logout_citizen(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    request._prima_citizen = None  # type: ignore[attr-defined]


def citizen_login_url(next_url: str) -> str:
    return f"{reverse('citizen-login')}?{urlencode({'next': next_url})}"


def citizen_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send a visitor without a verified citizen account to the one-time-code sign-in."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if current_citizen(request) is None:
            return HttpResponseRedirect(citizen_login_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper


class CitizenTokenAuth(HttpBearer):
    """API authentication for citizens: a bearer token from `POST /api/v1/warga/token`."""

    def authenticate(self, request: HttpRequest, token: str) -> Citizen | None:
        now = timezone.now()
        row = (
            CitizenToken.objects.select_related("citizen")
            .filter(
                digest=digest_of(token),
                revoked_at__isnull=True,
                expires_at__gt=now,
                citizen__is_active=True,
            )
            .first()
        )
        if row is None:
            return None
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            CitizenToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request._prima_citizen = row.citizen  # type: ignore[attr-defined]
        return row.citizen
