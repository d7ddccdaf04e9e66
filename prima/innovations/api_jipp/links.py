"""JIPP API: the replication-link review queue (under /api/v1/jipp).

The same scoped querysets and domain functions as the pages: a person lists, reads and
reviews exactly the links the queue shows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.api import ErrorOut, Page, Ref
from prima.core.api_auth import token_person
from prima.core.models import AuditEntry, Person
from prima.innovations.domain import link_review
from prima.innovations.models import Innovation, ReplicationLink
from prima.innovations.queries import province_code_of
from prima.innovations.queries_links import (
    DEFAULT_SORT,
    LinkFilters,
    apply_link_filters,
    apply_link_filters_except_status,
    link_history,
    links_for_review,
    may_open_link_review,
    status_counts,
    with_link_relations,
)

router = Router(tags=["jipp"])

Review = Callable[..., ReplicationLink]

READ_ERRORS = {403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {**READ_ERRORS, 422: ErrorOut}


class LinkParams(Page):
    status: str = Field("", description="claimed, confirmed, verified atau rejected")
    origin: str = Field("", description="kipp_proposal, pkri_form, jipp_import atau manual")
    province: str = Field("", description="kode provinsi dua digit (replika atau asal)")
    q: str = Field("", description="kata dalam nama inovasi atau instansi (replika atau asal)")
    side: str = Field("", description="asal: inovasi asal milik Anda; replika: replika milik Anda")
    sort: str = Field(DEFAULT_SORT, description="lama (bawaan), baru atau tanggal")

    def filters(self) -> LinkFilters:
        return LinkFilters(
            status=self.status,
            origin=self.origin,
            province=self.province,
            q=self.q,
            side=self.side,
            sort=self.sort,
        )


class LinkInnovation(Schema):
    id: int
    name: str
    institution: Ref
    unit: Ref
    province_code: str


class LinkOut(Schema):
    id: int
    replica: LinkInnovation
    source: LinkInnovation
    replicated_on: dt.date
    adaptation: str
    differences: str
    scope: str = Field(description="full, partial atau kosong")
    evidence_note: str
    status: str = Field(description="claimed, confirmed, verified atau rejected")
    origin: str
    reviewed_by: Ref | None
    reviewed_at: dt.datetime | None
    review_note: str
    created_at: dt.datetime
    actions: list[str] = Field(
        description="tinjauan yang boleh Anda lakukan sekarang: confirm, verify, reject, reopen"
    )


class HistoryOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    status_before: str
    status_after: str
    note: str


class LinkDetailOut(LinkOut):
    history: list[HistoryOut]


class LinkList(Schema):
    count: int
    counts: dict[str, int] = Field(
        description="jumlah per status dengan saringan lain yang sama ('' = semua status)"
    )
    items: list[LinkOut]


class NoteIn(Schema):
    note: str = ""


class ReasonIn(Schema):
    reason: str = Field(description="minimal 20 karakter")


class BulkVerifyIn(Schema):
    ids: list[int] = Field(description="ID tautan; semua diverifikasi atau tidak satu pun")
    note: str = ""


class BulkVerifyOut(Schema):
    count: int
    items: list[LinkOut]


def _side_out(innovation: Innovation) -> dict[str, Any]:
    return {
        "id": innovation.pk,
        "name": innovation.name,
        "institution": {"id": innovation.institution_id, "name": innovation.institution.name},
        "unit": {"id": innovation.unit_id, "name": innovation.unit.name},
        "province_code": province_code_of(innovation),
    }


def _out(link: ReplicationLink, person: Person) -> dict[str, Any]:
    reviewer = link.reviewed_by
    return {
        "id": link.pk,
        "replica": _side_out(link.replica),
        "source": _side_out(link.source),
        "replicated_on": link.replicated_on,
        "adaptation": link.adaptation,
        "differences": link.differences,
        "scope": link.scope,
        "evidence_note": link.evidence_note,
        "status": link.status,
        "origin": link.origin,
        "reviewed_by": {"id": reviewer.pk, "name": str(reviewer)} if reviewer else None,
        # Times are given in Asia/Jakarta (WIB), like everywhere in Prima.
        "reviewed_at": timezone.localtime(link.reviewed_at) if link.reviewed_at else None,
        "review_note": link.review_note,
        "created_at": timezone.localtime(link.created_at),
        "actions": link_review.allowed_actions(person, link),
    }


def _status(state: Any) -> str:
    return str(state.get("status", "")) if isinstance(state, dict) else ""


def _history_out(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": timezone.localtime(entry.created_at),
        "actor": str(entry.actor) if entry.actor else entry.actor_label,
        "action": entry.action,
        "status_before": _status(entry.before),
        "status_after": _status(entry.after),
        "note": entry.reason,
    }


def _scoped(request: HttpRequest) -> Person:
    person = token_person(request)
    if not may_open_link_review(person):
        raise HttpError(
            403, _("Tautan replikasi hanya untuk Sekretariat, Admin Lokal, dan operator UPP.")
        )
    return person


def _fetch(request: HttpRequest, link_id: int) -> ReplicationLink:
    person = _scoped(request)
    link = with_link_relations(links_for_review(person)).filter(pk=link_id).first()
    if link is None:
        raise HttpError(404, _("Tautan replikasi tidak ditemukan."))
    return link


def _fresh(link_id: int, person: Person) -> dict[str, Any]:
    link = with_link_relations(ReplicationLink.objects.all()).get(pk=link_id)
    return _out(link, person)


@router.get(
    "/links",
    response={200: LinkList, 403: ErrorOut},
    summary="Antrean tautan replikasi",
)
def list_links(request: HttpRequest, params: Query[LinkParams]) -> dict[str, Any]:
    """Links the person may see, filtered like the queue page, with counts per status."""
    person = _scoped(request)
    filters = params.filters()
    scoped = links_for_review(person)
    counts = status_counts(apply_link_filters_except_status(scoped, filters, person))
    qs = with_link_relations(apply_link_filters(scoped, filters, person))
    rows = qs[params.offset : params.offset + params.limit]
    return {
        "count": qs.count(),
        "counts": counts,
        "items": [_out(link, person) for link in rows],
    }


# Declared before `/links/{link_id}` so that "verify" is never read as a link id.
@router.post(
    "/links/verify",
    response={200: BulkVerifyOut, 403: ErrorOut, 422: ErrorOut},
    summary="Verifikasi beberapa tautan sekaligus (Sekretariat)",
)
def verify_many(request: HttpRequest, payload: BulkVerifyIn) -> dict[str, Any]:
    """All of `ids` are verified, or none (the refusal names the links concerned)."""
    person = _scoped(request)
    links = link_review.verify_links(payload.ids, actor=person, note=payload.note)
    fresh = with_link_relations(ReplicationLink.objects.filter(pk__in=[k.pk for k in links]))
    return {"count": len(links), "items": [_out(link, person) for link in fresh.order_by("pk")]}


@router.get(
    "/links/{link_id}",
    response={200: LinkDetailOut, **READ_ERRORS},
    summary="Satu tautan replikasi dengan riwayatnya",
)
def get_link(request: HttpRequest, link_id: int) -> dict[str, Any]:
    link = _fetch(request, link_id)
    return {
        **_out(link, token_person(request)),
        "history": [_history_out(entry) for entry in link_history(link)],
    }


def _reviewed(request: HttpRequest, link_id: int, review: Review, **values: str) -> dict[str, Any]:
    """Run one review on a link of the person's queue; the link as it is afterwards."""
    link = _fetch(request, link_id)
    person = token_person(request)
    review(link, actor=person, **values)
    return _fresh(link.pk, person)


@router.post(
    "/links/{link_id}/confirm",
    response={200: LinkOut, **WRITE_ERRORS},
    summary="Konfirmasi klaim (Admin Lokal inovasi asal atau Sekretariat)",
)
def confirm(request: HttpRequest, link_id: int, payload: NoteIn) -> dict[str, Any]:
    return _reviewed(request, link_id, link_review.confirm_replication_link, note=payload.note)


@router.post(
    "/links/{link_id}/verify",
    response={200: LinkOut, **WRITE_ERRORS},
    summary="Verifikasi tautan (Sekretariat)",
)
def verify(request: HttpRequest, link_id: int, payload: NoteIn) -> dict[str, Any]:
    return _reviewed(request, link_id, link_review.verify_replication_link, note=payload.note)


@router.post(
    "/links/{link_id}/reject",
    response={200: LinkOut, **WRITE_ERRORS},
    summary="Tolak tautan dengan alasan",
)
def reject(request: HttpRequest, link_id: int, payload: ReasonIn) -> dict[str, Any]:
    return _reviewed(request, link_id, link_review.reject_replication_link, reason=payload.reason)


@router.post(
    "/links/{link_id}/reopen",
    response={200: LinkOut, **WRITE_ERRORS},
    summary="Buka kembali tautan yang ditolak (Sekretariat)",
)
def reopen(request: HttpRequest, link_id: int, payload: ReasonIn) -> dict[str, Any]:
    return _reviewed(request, link_id, link_review.reopen_replication_link, reason=payload.reason)
