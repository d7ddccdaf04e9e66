"""The PKRI API, mounted at /api/v1/pkri. Each area contributes a router."""

from ninja import Router

from prima.pkri.api import decisions, desk, forms, interview_slots, province, public, scope

router = Router()
for module in (scope, forms, desk, decisions, interview_slots, province, public):
    router.add_router("", module.router)
