"""KIPP API: assessor."""

from ninja import Router

router = Router(tags=["KIPP"])
