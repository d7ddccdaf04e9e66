"""The KIPP API, mounted at /api/v1/kipp. Each area contributes a router."""

from ninja import Router

from prima.kipp.api import (
    admin_check,
    assessor,
    benefit,
    documents,
    evaluation,
    participant,
    public,
    publication,
    secretariat_tools,
    stats,
)

router = Router()
for module in (participant, admin_check, evaluation, assessor, publication, public, stats):
    router.add_router("", module.router)
router.add_router("", documents.router)
router.add_router("", benefit.router)
router.add_router("", secretariat_tools.router)
