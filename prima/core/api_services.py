"""API: the service catalogue of each unit."""

from ninja import Router

router = Router(tags=["Registri"])
