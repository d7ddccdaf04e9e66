"""SKM API: responses."""

from ninja import Router

router = Router(tags=["SKM"])
