"""SKM API: tokens."""

from ninja import Router

router = Router(tags=["SKM"])
