"""The SKM API, mounted at /api/v1/skm. Each area contributes a router."""

from ninja import Router

from prima.skm.api import follow_up, imports, responses, results, surveys, tokens

router = Router()
for module in (surveys, responses, imports, results, follow_up, tokens):
    router.add_router("", module.router)
