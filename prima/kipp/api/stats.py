"""KIPP API: stats."""

from ninja import Router

router = Router(tags=["KIPP"])
