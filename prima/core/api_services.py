"""API: the service catalogue of each unit (mpp.md §3 code and name).

Whoever may see the unit (`units_visible_to`) reads its services; the secretariat, the
institution's Admin Lokal and the unit's operators add and change them with a token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.api_auth import token_person
from prima.core.domain import services
from prima.core.domain.errors import PermissionDenied, StaleVersion
from prima.core.models import Service, ServiceUnit
from prima.core.queries import units_visible_to

router = Router(tags=["Registri"])
STATUSES = ("active", "inactive", "all")


class ErrorOut(Schema):
    detail: str


class ServiceOut(Schema):
    id: int
    unit: int
    institution: int
    code: str = Field(description="kode layanan, unik dalam satu instansi, mis. KK-BARU")
    name: str
    is_active: bool
    updated_at: str = Field(description="versi (waktu ISO 8601); kirim kembali saat mengubah")


class ServiceList(Schema):
    count: int
    items: list[ServiceOut]


class ServiceFilters(Schema):
    status: str = Field("all", description="active, inactive atau all")


class ServiceIn(Schema):
    code: str = Field(max_length=60, description="huruf besar A–Z, angka, tanda hubung")
    name: str = Field(max_length=300)


class ServicePatch(Schema):
    name: str | None = Field(None, max_length=300)
    is_active: bool | None = None
    reason: str = Field("", max_length=500)
    updated_at: str = Field(
        "", description="versi yang Anda baca; bila berbeda, perubahan ditolak (409)"
    )


def _out(service: Service) -> ServiceOut:
    return ServiceOut(
        id=service.pk,
        unit=service.unit_id,
        institution=service.institution_id,
        code=service.code,
        name=service.name,
        is_active=service.is_active,
        updated_at=service.updated_at.isoformat(),
    )


def _visible_unit(request: HttpRequest, unit_id: int) -> ServiceUnit:
    unit = units_visible_to(request.auth).filter(pk=unit_id).first()  # type: ignore[attr-defined]
    if unit is None:
        raise HttpError(404, _("Unit pelayanan tidak ditemukan."))
    return unit


def _rows(unit: ServiceUnit, status: str) -> QuerySet[Service]:
    rows = Service.objects.filter(unit=unit).order_by("code", "pk")
    if status == "active":
        return rows.filter(is_active=True)
    if status == "inactive":
        return rows.filter(is_active=False)
    return rows


@router.get(
    "/units/{unit_id}/services",
    response={200: ServiceList, 400: ErrorOut, 404: ErrorOut},
    summary="Daftar layanan unit",
)
def list_services(
    request: HttpRequest, unit_id: int, filters: Query[ServiceFilters]
) -> dict[str, Any]:
    """The unit's services ordered by code (404 when the caller may not see the unit)."""
    if filters.status not in STATUSES:
        raise HttpError(
            400,
            _("Parameter status '%(value)s' tidak dikenal; pilih salah satu: %(choices)s.")
            % {"value": filters.status, "choices": ", ".join(STATUSES)},
        )
    unit = _visible_unit(request, unit_id)
    items = [_out(s) for s in _rows(unit, filters.status)]
    return {"count": len(items), "items": items}


@router.post(
    "/units/{unit_id}/services",
    response={201: ServiceOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Tambah layanan unit",
)
def create_service(
    request: HttpRequest, unit_id: int, payload: ServiceIn
) -> tuple[int, ServiceOut]:
    """Add a service; the code is upper-cased and must be new to the institution."""
    unit = _visible_unit(request, unit_id)
    service = services.create_service(
        unit,
        services.ServiceData(code=payload.code, name=payload.name),
        actor=token_person(request),
    )
    return 201, _out(service)


@router.patch(
    "/services/{service_id}",
    response={200: ServiceOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Ubah layanan",
)
def patch_service(request: HttpRequest, service_id: int, payload: ServicePatch) -> ServiceOut:
    """Rename and/or (de)activate a service. The code cannot change."""
    person = token_person(request)
    service = (
        Service.objects.filter(unit__in=units_visible_to(person), pk=service_id)
        .select_related("unit__institution")
        .first()
    )
    if service is None:
        raise HttpError(404, _("Layanan tidak ditemukan."))
    if not services.may_manage_services(person, service.unit):
        raise PermissionDenied(_("Anda tidak berwenang mengelola daftar layanan unit ini."))
    # The version check and both changes hold together: all of them or none.
    with transaction.atomic():
        current = Service.objects.select_for_update().get(pk=service.pk)
        if payload.updated_at and _version(payload.updated_at) != current.updated_at:
            raise StaleVersion(
                _(
                    "Layanan ini telah diubah orang lain sejak Anda membacanya; baca ulang, lalu "
                    "ulangi perubahan Anda."
                )
            )
        if payload.name is not None:
            services.update_service(
                service,
                services.ServiceData(code=service.code, name=payload.name),
                actor=person,
                reason=payload.reason,
            )
        if payload.is_active is not None and payload.is_active != service.is_active:
            change = (
                services.reactivate_service if payload.is_active else services.deactivate_service
            )
            change(service, actor=person, reason=payload.reason)
    return _out(service)


def _version(text: str) -> datetime | None:
    """The ``updated_at`` a client sent back; None (a mismatch) when it is not a time."""
    try:
        return parse_datetime(text)
    except ValueError:
        return None
