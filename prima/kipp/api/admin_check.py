"""KIPP API: admin_check."""

from ninja import Router

router = Router(tags=["KIPP"])
