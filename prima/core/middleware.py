"""First-login gate: complete the profile, then change the password, before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a gated person may still reach (logout, the gates themselves, assets, i18n switch).
_ALWAYS_ALLOWED = ("/static/", "/i18n/", "/api/")


class FirstLoginMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALWAYS_ALLOWED)
        ):
            allowed = {reverse("logout"), reverse("profile_complete"), reverse("password_change")}
            if request.path not in allowed:
                if user.must_complete_profile:
                    return redirect("profile_complete")
                if user.must_change_password:
                    return redirect("password_change")
        return self.get_response(request)
