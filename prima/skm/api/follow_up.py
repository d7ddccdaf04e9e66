"""SKM API: follow_up."""

from ninja import Router

router = Router(tags=["SKM"])
