"""Core API: regions, institutions, service units, the current person."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["registri"])
