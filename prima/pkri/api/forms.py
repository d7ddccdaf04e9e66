"""PKRI API: forms."""

from ninja import Router

router = Router(tags=["PKRI"])
