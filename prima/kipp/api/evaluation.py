"""KIPP API: evaluation."""

from ninja import Router

router = Router(tags=["KIPP"])
