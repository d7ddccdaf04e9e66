"""Panels that programme apps add to the dashboard, so core never imports them.

A provider takes the person and returns `(template_name, context)` or None when it has
nothing for that person; apps register providers in their `AppConfig.ready`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PanelProvider = Callable[[Any], tuple[str, dict[str, Any]] | None]
PROVIDERS: list[PanelProvider] = []


def register(provider: PanelProvider) -> PanelProvider:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def panels_for(person: Any) -> list[tuple[str, dict[str, Any]]]:
    return [panel for provider in PROVIDERS if (panel := provider(person)) is not None]
