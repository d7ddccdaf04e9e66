"""PKRI API: desk."""

from ninja import Router

router = Router(tags=["PKRI"])
