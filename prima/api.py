"""The REST API root, /api/v1/. Each app contributes a router from its api.py."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from prima.awards.api import router as awards_router
from prima.core.api import router as core_router
from prima.core.api_auth import TokenAuth
from prima.core.api_citizens import router as citizens_router
from prima.core.api_jobs import router as jobs_router
from prima.core.api_me import router as me_router
from prima.core.api_services import router as services_router
from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.innovations.api import router as innovations_router
from prima.innovations.api_jipp import router as jipp_router
from prima.kipp.api import router as kipp_router
from prima.pkri.api import router as pkri_router
from prima.skm.api import router as skm_router

api = NinjaAPI(
    title="Prima API",
    version="1",
    description=(
        "API Prima: registri nasional, akun, dan inovasi pelayanan publik. "
        "Autentikasi: header `Authorization: Bearer <token>`."
    ),
    auth=TokenAuth(),
    urls_namespace="api-v1",
)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Token tidak ada atau tidak berlaku.")}, status=401
    )


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A domain refusal: 403 not allowed, 409 stale version, 422 invalid (naming the field)."""
    if isinstance(exc, PermissionDenied):
        status, message = 403, exc.message
    elif isinstance(exc, StaleVersion):
        status, message = 409, exc.message
    else:
        status = 422
        message = (
            _("%(message)s (kolom: %(field)s)") % {"message": exc.message, "field": exc.field}
            if exc.field
            else exc.message
        )
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


api.add_router("/", core_router)
api.add_router("/", me_router)
api.add_router("/", services_router)
api.add_router("/", jobs_router)
api.add_router("/warga", citizens_router)
api.add_router("/innovations", innovations_router)
api.add_router("/jipp", jipp_router)
api.add_router("/kipp", kipp_router)
api.add_router("/pkri", pkri_router)
api.add_router("/skm", skm_router)
api.add_router("/awards", awards_router)
