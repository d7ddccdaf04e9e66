"""SKM API: surveys."""

from ninja import Router

router = Router(tags=["SKM"])
