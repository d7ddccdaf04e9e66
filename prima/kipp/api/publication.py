"""KIPP API: the secretariat's objection queue and resolutions (§12).

Only the secretariat sees objections here, with who filed them; the same scoped queryset
and domain function as the web queue.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.kipp.domain.objections import objections_visible_to, resolve_objection, sees_objectors
from prima.kipp.models import Objection

router = Router(tags=["KIPP"])


class ErrorOut(Schema):
    detail: str


class ProposalRef(Schema):
    id: int
    title: str
    institution: str
    state: str


class PersonRef(Schema):
    id: int
    name: str
    email: str


class CitizenRef(Schema):
    id: int
    label: str = Field(description="«Warga #id»; nomor ponsel tidak pernah ditampilkan")
    email: str = Field(description="surel terverifikasi warga, atau kosong")


class ObjectionOut(Schema):
    id: int
    edition: str
    proposal: ProposalRef
    ground: str
    statement: str
    has_evidence: bool
    status: str
    resolution: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    filed_by: PersonRef | None = Field(description="penyanggah berakun Prima, atau null")
    citizen: CitizenRef | None = Field(description="penyanggah berakun warga, atau null")


class ObjectionList(Schema):
    count: int
    items: list[ObjectionOut]


class ObjectionFilters(Schema):
    edition: str = Field("", description="kode penyelenggaraan, mis. kipp-2025")
    status: str = Field("", description="open, rejected, upheld atau referred_to_panel")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class ResolveIn(Schema):
    status: str = Field(description="rejected, upheld atau referred_to_panel")
    resolution: str = Field(description="tanggapan, sekurang-kurangnya 10 karakter")


def _out(objection: Objection) -> dict[str, Any]:
    proposal, person, citizen = objection.proposal, objection.filed_by, objection.citizen
    return {
        "id": objection.pk,
        "edition": proposal.edition.code,
        "proposal": {
            "id": proposal.pk,
            "title": proposal.title,
            "institution": proposal.institution.name,
            "state": proposal.state,
        },
        "ground": objection.ground,
        "statement": objection.statement,
        "has_evidence": bool(objection.evidence),
        "status": objection.status,
        "resolution": objection.resolution,
        "created_at": timezone.localtime(objection.created_at),
        "resolved_at": (
            timezone.localtime(objection.resolved_at) if objection.resolved_at else None
        ),
        "filed_by": (
            {
                "id": person.pk,
                "name": person.full_name or person.get_username(),
                "email": person.email,
            }
            if person is not None
            else None
        ),
        "citizen": (
            {
                "id": citizen.pk,
                "label": str(citizen),
                "email": citizen.email if citizen.email_verified_at else "",
            }
            if citizen is not None
            else None
        ),
    }


def _secretariat(request: HttpRequest) -> Any:
    person = request.auth  # type: ignore[attr-defined]
    if not sees_objectors(person):
        raise HttpError(403, _("Hanya Sekretariat yang dapat melihat sanggahan."))
    return person


@router.get(
    "/objections",
    response={200: ObjectionList, 403: ErrorOut},
    summary="Antrean sanggahan uji publik (Sekretariat)",
)
def list_objections(request: HttpRequest, params: Query[ObjectionFilters]) -> dict[str, Any]:
    person = _secretariat(request)
    qs = objections_visible_to(person)
    if params.edition:
        qs = qs.filter(proposal__edition__code=params.edition)
    if params.status:
        qs = qs.filter(status=params.status)
    qs = qs.order_by("status", "created_at", "pk")
    rows = qs[params.offset : params.offset + params.limit]
    return {"count": qs.count(), "items": [_out(o) for o in rows]}


@router.post(
    "/objections/{objection_id}/resolve",
    response={200: ObjectionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Tangani sanggahan (Sekretariat)",
)
def resolve(request: HttpRequest, objection_id: int, payload: ResolveIn) -> dict[str, Any]:
    """Reject, uphold (disqualifies the proposal) or refer the objection to the panel."""
    person = request.auth  # type: ignore[attr-defined]
    objection = objections_visible_to(person).filter(pk=objection_id).first()
    if objection is None:
        raise HttpError(404, _("Sanggahan tidak ditemukan."))
    resolve_objection(objection, status=payload.status, resolution=payload.resolution, actor=person)
    fresh = objections_visible_to(person).get(pk=objection_id)
    return _out(fresh)
