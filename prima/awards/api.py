"""The awards API, mounted at /api/v1/awards."""

from ninja import Router

router = Router(tags=["Penghargaan"])
