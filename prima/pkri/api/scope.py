"""PKRI API: scope."""

from ninja import Router

router = Router(tags=["PKRI"])
