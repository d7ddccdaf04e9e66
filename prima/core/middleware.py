"""First-login gate: complete the profile, then change the password, before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a gated person may still reach: assets, the language switch, and the API
# (which authenticates on its own and has no pages to gate).
_ALWAYS_ALLOWED = ("/static/", "/i18n/", "/api/")
# URL names of the gates themselves and of logging out.
_GATE_NAMES = ("logout", "profile_complete", "password_change")


class FirstLoginMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and (user.must_complete_profile or user.must_change_password)
            and not request.path.startswith(_ALWAYS_ALLOWED)
            and request.path not in {reverse(name) for name in _GATE_NAMES}
        ):
            gate = "profile_complete" if user.must_complete_profile else "password_change"
            if getattr(request, "htmx", False):
                # An HTMX swap would paint the gate inside a fragment; send the whole page there.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse(gate)
                return response
            return redirect(gate)
        return self.get_response(request)
