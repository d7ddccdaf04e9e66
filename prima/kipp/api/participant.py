"""KIPP API: participant."""

from ninja import Router

router = Router(tags=["KIPP"])
