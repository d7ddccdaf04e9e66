"""SKM API: one-time codes and after-service links (skm.md §7, mpp.md §9).

Both answers carry the clear secrets once: only their SHA-256 digests are stored.
For the people who run the unit's surveys (operators, Admin Lokal, secretariat).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from prima.core.api_auth import token_person
from prima.core.models import ServiceUnit
from prima.skm.domain.tokens import (
    CODE_VALID_DAYS,
    MAX_CODES_PER_BATCH,
    MAX_VALID_DAYS,
    code_expiry,
    default_batch_label,
    digest,
    issue_codes,
    issue_link_token,
)
from prima.skm.interfaces.posters import code_page_link, token_link
from prima.skm.models import SurveyToken

router = Router(tags=["SKM"])


class ErrorOut(Schema):
    detail: str


class CodesIn(Schema):
    count: int = Field(description=f"jumlah kode, 1–{MAX_CODES_PER_BATCH}")
    issued_on: dt.date | None = Field(None, description="berlaku mulai; bawaan hari ini (WIB)")
    valid_days: int = Field(CODE_VALID_DAYS, description=f"masa berlaku, 1–{MAX_VALID_DAYS} hari")
    service_code: str = Field("", description="kode layanan unit, atau kosong untuk semua")
    batch: str = Field("", description="nama kelompok; bawaan tanggal dan jam terbit")


class CodesOut(Schema):
    unit: int
    batch: str
    service_code: str
    issued_on: dt.date
    expires_at: dt.datetime
    url: str = Field(description="halaman tempat kode diketik (/survei/kode/)")
    codes: list[str] = Field(description="kode jelas, hanya ditampilkan sekali")


class LinkIn(Schema):
    service_code: str = Field("", description="kode layanan unit yang diterima, atau kosong")
    completed_on: dt.date | None = Field(None, description="tanggal layanan selesai")


class LinkOut(Schema):
    unit: int
    service_code: str
    url: str = Field(description="tautan sekali pakai /survei/t/<token>/, hanya sekali")
    token: str
    expires_at: dt.datetime


def _unit(unit_id: int) -> ServiceUnit:
    unit = ServiceUnit.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None:
        raise HttpError(404, _("Unit pelayanan tidak ditemukan."))
    return unit


@router.post(
    "/units/{unit_id}/codes",
    response={201: CodesOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Terbitkan kode survei sekali pakai",
)
def create_codes(request: HttpRequest, unit_id: int, payload: CodesIn) -> tuple[int, Any]:
    """Issue a batch of one-time codes; the clear codes are in this answer only."""
    person = token_person(request)
    unit = _unit(unit_id)
    issued_on = payload.issued_on or timezone.localdate()
    batch = " ".join(payload.batch.split()) or default_batch_label(issued_on)
    codes = issue_codes(
        actor=person,
        unit=unit,
        count=payload.count,
        issued_on=issued_on,
        service_code=payload.service_code,
        batch=batch,
        valid_days=payload.valid_days,
    )
    return 201, {
        "unit": unit.pk,
        "batch": batch,
        "service_code": payload.service_code,
        "issued_on": issued_on,
        "expires_at": timezone.localtime(code_expiry(issued_on, payload.valid_days)),
        "url": code_page_link(),
        "codes": codes,
    }


@router.post(
    "/units/{unit_id}/after-service-links",
    response={201: LinkOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Terbitkan tautan survei setelah layanan",
)
def create_link(request: HttpRequest, unit_id: int, payload: LinkIn) -> tuple[int, Any]:
    """Issue one after-service link (mpp.md §9), valid 7 days; the link is in this answer only."""
    person = token_person(request)
    unit = _unit(unit_id)
    secret = issue_link_token(
        actor=person,
        unit=unit,
        service_code=payload.service_code,
        completed_on=payload.completed_on or timezone.localdate(),
    )
    expires_at = SurveyToken.objects.values_list("expires_at", flat=True).get(digest=digest(secret))
    return 201, {
        "unit": unit.pk,
        "service_code": payload.service_code,
        "url": token_link(secret),
        "token": secret,
        "expires_at": timezone.localtime(expires_at),
    }
