"""The awards API, mounted at /api/v1/awards.

Reading is public where the pages are: a published edition's award list, certificate
verification (rate limited) and an institution's awards. Writes (decide, override,
decree, certificates) are the secretariat's, with a token; bulk certificates start a job.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from prima.awards.domain import certificates as certs
from prima.awards.domain.certificate_document import verification_url
from prima.awards.domain.permissions import require_secretariat
from prima.awards.domain.proposals import add_award, decide_awards, record_decree, remove_award
from prima.awards.interfaces.verification import verification_allowed
from prima.awards.jobs import start_certificates_job
from prima.awards.models import Award, AwardCategory, Certificate
from prima.awards.queries import (
    award_list,
    awards_of_institution,
    edition_for,
    override_recipient,
)
from prima.core.api_auth import person_from_request
from prima.core.api_jobs import JobStarted, job_started
from prima.core.queries import institutions_visible_to
from prima.evaluation.models import Edition

router = Router(tags=["Penghargaan"])


class ErrorOut(Schema):
    detail: str


class Named(Schema):
    id: int
    name: str


class InstitutionRef(Named):
    kind: str


class ListedOut(Schema):
    category: str = Field(description="kode kategori")
    category_title: str
    number: int = Field(description="urutan dalam daftar kategori")
    rank: int | None = Field(description="null bila peringkat tidak diumumkan")
    stratum: str
    institution: InstitutionRef
    innovation: Named | None
    score: Decimal | None = Field(description="null bila nilai tidak diumumkan")
    is_demo_placeholder: bool = Field(
        description="true bila baris ini data demo (ilustrasi), bukan penerima sebenarnya"
    )


class AwardListOut(Schema):
    edition: str
    count: int
    publish_ranks: bool
    publish_scores: bool
    items: list[ListedOut]


class VerificationOut(Schema):
    code: str
    status: str = Field(description="genuine | revoked | tampered | unknown")
    genuine: bool
    message: str
    number: str | None
    facts: dict[str, Any] | None = Field(description="isi piagam; null bila tidak asli")
    revoked_at: dt.datetime | None = Field(description="null bila tidak asli")
    revoked_reason: str | None = Field(description="null bila tidak asli")


class InstitutionAwardOut(Schema):
    source: str = Field(description="award (penghargaan program) | record (riwayat tier)")
    programme: str
    year: int
    title: str
    innovation: str
    edition: str
    decree_number: str
    decree_date: dt.date | None
    certificate_code: str


class InstitutionAwardsOut(Schema):
    institution: Named
    count: int
    items: list[InstitutionAwardOut]


class AwardOut(Schema):
    id: int
    category: str
    institution: Named
    innovation: Named | None
    status: str
    source: str
    rank: int | None
    score: Decimal | None
    reason: str
    decree_number: str
    decree_date: dt.date | None
    certificate: str | None = Field(description="nomor piagam yang berlaku (belum dicabut)")


class DecidedOut(Schema):
    decided: int


class AddIn(Schema):
    institution: int | None = None
    innovation: int | None = None
    reason: str = Field(description="sekurang-kurangnya 20 karakter")


class ReasonIn(Schema):
    reason: str = Field(description="sekurang-kurangnya 20 karakter")


class DecreeIn(Schema):
    number: str
    date: dt.date


class DecreeOut(Schema):
    awards: int


class CertificateOut(Schema):
    id: int
    number: str
    code: str
    verification_url: str
    file_sha256: str
    revoked_at: dt.datetime | None


def _award_out(award: Award) -> dict[str, Any]:
    certificate = certs.valid_certificate(award)
    return {
        "id": award.pk,
        "category": award.category.code,
        "institution": {"id": award.institution_id, "name": award.institution.name},
        "innovation": (
            {"id": award.innovation.pk, "name": award.innovation.name} if award.innovation else None
        ),
        "status": award.status,
        "source": award.source,
        "rank": award.rank,
        "score": award.score,
        "reason": award.reason,
        "decree_number": award.decree_number,
        "decree_date": award.decree_date,
        "certificate": certificate.number if certificate else None,
    }


def _certificate_out(certificate: Certificate) -> dict[str, Any]:
    return {
        "id": certificate.pk,
        "number": certificate.number,
        "code": certificate.code,
        "verification_url": verification_url(certificate.code),
        "file_sha256": certificate.file_sha256,
        "revoked_at": certificate.revoked_at,
    }


# --------------------------------------------------------------------------- public


@router.get(
    "/editions/{code}/awards",
    response={200: AwardListOut, 404: ErrorOut},
    auth=None,
    summary="Penerima penghargaan satu penyelenggaraan (setelah terbit)",
)
def edition_awards(request: HttpRequest, code: str) -> dict[str, Any]:
    """Decided awards per category, in the public page's order (alphabetical when ranks
    are not published); rank and score are null unless the edition publishes them."""
    try:
        edition = edition_for(person_from_request(request), code)
    except Http404 as exc:
        raise HttpError(404, _("Penyelenggaraan tidak ditemukan atau belum terbit.")) from exc
    listing = award_list(edition)
    items = [
        {
            "category": listed.category.code,
            "category_title": listed.category.title,
            "number": row.number,
            "rank": row.rank,
            "stratum": row.stratum,
            "institution": {
                "id": row.institution_id,
                "name": row.institution,
                "kind": row.institution_kind,
            },
            "innovation": (
                {"id": row.innovation_id, "name": row.innovation} if row.innovation_id else None
            ),
            "score": row.score,
            "is_demo_placeholder": row.is_demo_placeholder,
        }
        for listed in listing.categories
        for row in listed.rows
    ]
    return {
        "edition": edition.code,
        "count": len(items),
        "publish_ranks": listing.show_ranks,
        "publish_scores": listing.show_scores,
        "items": items,
    }


MESSAGES = {
    certs.GENUINE: "Piagam asli dan berlaku.",
    certs.REVOKED: "Piagam telah dicabut dan tidak berlaku.",
    certs.TAMPERED: "Piagam tidak asli: datanya tidak cocok dengan tanda tangan digitalnya.",
    certs.UNKNOWN: "Kode verifikasi tidak dikenal.",
}


@router.get(
    "/certificates/{code}",
    response={200: VerificationOut, 404: VerificationOut, 429: ErrorOut},
    auth=None,
    summary="Verifikasi piagam dengan kode verifikasinya",
)
def verify_certificate(request: HttpRequest, code: str) -> tuple[int, dict[str, Any]]:
    if not verification_allowed(request):
        return 429, {"detail": _("Terlalu banyak pemeriksaan; coba lagi dalam satu menit.")}
    result = certs.verify_certificate(code)
    certificate = result.certificate
    # Nothing of a tampered row is stated, its revocation included.
    trusted = certificate if result.reason != certs.TAMPERED else None
    body = {
        "code": certs.normalise_code(code),
        "status": result.reason,
        "genuine": result.genuine,
        "message": _(MESSAGES[result.reason]),
        "number": trusted.number if trusted else None,
        "facts": dict(result.facts) or None,
        "revoked_at": trusted.revoked_at if trusted else None,
        "revoked_reason": (trusted.revoked_reason or None) if trusted else None,
    }
    return (404 if certificate is None else 200), body


@router.get(
    "/institutions/{institution_id}",
    response={200: InstitutionAwardsOut, 404: ErrorOut},
    auth=None,
    summary="Penghargaan satu instansi dari semua program",
)
def institution_awards(request: HttpRequest, institution_id: int) -> dict[str, Any]:
    institution = get_object_or_404(
        institutions_visible_to(person_from_request(request)), pk=institution_id
    )
    rows = awards_of_institution(institution)
    return {
        "institution": {"id": institution.pk, "name": institution.name},
        "count": len(rows),
        "items": [
            {
                "source": row.source,
                "programme": row.programme,
                "year": row.year,
                "title": row.title,
                "innovation": row.innovation,
                "edition": row.edition_code,
                "decree_number": row.decree_number,
                "decree_date": row.decree_date,
                "certificate_code": row.certificate_code,
            }
            for row in rows
        ],
    }


# --------------------------------------------------------------------------- secretariat


def _category(request: HttpRequest, category_id: int) -> AwardCategory:
    require_secretariat(request.user)
    return get_object_or_404(AwardCategory, pk=category_id)


def _award(request: HttpRequest, award_id: int) -> Award:
    require_secretariat(request.user)
    return get_object_or_404(
        Award.objects.select_related("category", "institution", "innovation"), pk=award_id
    )


def _edition(request: HttpRequest, code: str) -> Edition:
    require_secretariat(request.user)
    return get_object_or_404(Edition, code=code)


@router.post(
    "/categories/{category_id}/decide",
    response={200: DecidedOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Tetapkan semua usulan satu kategori",
)
def decide(request: HttpRequest, category_id: int) -> dict[str, Any]:
    category = _category(request, category_id)
    return {"decided": decide_awards(category, actor=request.user)}


@router.post(
    "/categories/{category_id}/awards",
    response={201: AwardOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Tambah penerima di luar usulan (dengan alasan)",
)
def add(request: HttpRequest, category_id: int, payload: AddIn) -> tuple[int, dict[str, Any]]:
    category = _category(request, category_id)
    if not payload.innovation and payload.institution is None:
        raise HttpError(422, _("Sebutkan instansi atau inovasi penerima."))
    institution, innovation = override_recipient(
        institution_id=payload.institution, innovation_id=payload.innovation
    )
    if institution is None:
        raise Http404
    award = add_award(
        category,
        institution=institution,
        innovation=innovation,
        reason=payload.reason,
        actor=request.user,
    )
    return 201, _award_out(award)


@router.post(
    "/awards/{award_id}/remove",
    response={200: AwardOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Batalkan satu penghargaan (dengan alasan)",
)
def remove(request: HttpRequest, award_id: int, payload: ReasonIn) -> dict[str, Any]:
    award = remove_award(_award(request, award_id), reason=payload.reason, actor=request.user)
    return _award_out(award)


@router.post(
    "/editions/{code}/decree",
    response={200: DecreeOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Catat keputusan penetapan pada semua penghargaan yang ditetapkan",
)
def decree(request: HttpRequest, code: str, payload: DecreeIn) -> dict[str, Any]:
    edition = _edition(request, code)
    count = record_decree(edition, number=payload.number, date=payload.date, actor=request.user)
    return {"awards": count}


@router.post(
    "/awards/{award_id}/certificate",
    response={201: CertificateOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Terbitkan piagam satu penghargaan",
)
def issue(request: HttpRequest, award_id: int) -> tuple[int, dict[str, Any]]:
    certificate = certs.issue_certificate(_award(request, award_id), actor=request.user)
    return 201, _certificate_out(certificate)


@router.post(
    "/awards/{award_id}/certificate/revoke",
    response={200: CertificateOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Cabut piagam satu penghargaan (dengan alasan)",
)
def revoke(request: HttpRequest, award_id: int, payload: ReasonIn) -> dict[str, Any]:
    award = _award(request, award_id)
    certificate = certs.valid_certificate(award)
    if certificate is None:
        raise HttpError(404, _("Penghargaan ini tidak memiliki piagam yang berlaku."))
    return _certificate_out(
        certs.revoke_certificate(certificate, reason=payload.reason, actor=request.user)
    )


@router.post(
    "/editions/{code}/certificates",
    response={202: JobStarted, 403: ErrorOut, 404: ErrorOut},
    summary="Buat semua piagam yang belum ada (pekerjaan latar)",
)
def certificates_job(request: HttpRequest, code: str) -> tuple[int, dict[str, Any]]:
    """Queue the issue of every missing certificate of the edition; the job's result holds
    issued, already and the new numbers."""
    edition = _edition(request, code)
    return 202, job_started(start_certificates_job(edition, actor=request.user))
