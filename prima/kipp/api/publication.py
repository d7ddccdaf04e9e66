"""KIPP API: publication."""

from ninja import Router

router = Router(tags=["KIPP"])
