from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from prima.core.access import access_for
from prima.core.citizen_session import current_citizen
from prima.core.domain.citizens import mask_phone


def _citizen_badge(request: HttpRequest) -> dict[str, Any] | None:
    citizen = current_citizen(request)
    if citizen is None:
        return None
    return {"label": str(citizen), "masked_phone": mask_phone(citizen.phone)}


def prima(request: HttpRequest) -> dict[str, Any]:
    return {
        "access": access_for(getattr(request, "user", None)),
        "PRIMA_DEMO": settings.PRIMA_DEMO,
        # A callable, so templates look the citizen up only where they show it.
        "citizen_badge": lambda: _citizen_badge(request),
    }
