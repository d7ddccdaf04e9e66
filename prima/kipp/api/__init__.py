"""The KIPP API, mounted at /api/v1/kipp. Each area contributes a router."""

from ninja import Router

from prima.kipp.api import (
    admin_check,
    assessor,
    evaluation,
    participant,
    public,
    publication,
    stats,
)

router = Router()
for module in (participant, admin_check, evaluation, assessor, publication, public, stats):
    router.add_router("", module.router)
