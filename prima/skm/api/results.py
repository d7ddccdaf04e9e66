"""SKM API: results."""

from ninja import Router

router = Router(tags=["SKM"])
