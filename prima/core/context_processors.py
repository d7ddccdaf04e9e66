from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from prima.core.access import access_for


def prima(request: HttpRequest) -> dict[str, Any]:
    return {
        "access": access_for(getattr(request, "user", None)),
        "PRIMA_DEMO": settings.PRIMA_DEMO,
    }
