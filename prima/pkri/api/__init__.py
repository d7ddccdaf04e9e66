"""The PKRI API, mounted at /api/v1/pkri. Each area contributes a router."""

from ninja import Router

from prima.pkri.api import decisions, desk, forms, public, scope

router = Router()
for module in (scope, forms, desk, decisions, public):
    router.add_router("", module.router)
