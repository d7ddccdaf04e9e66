"""JIPP API: data exchange with JIPPNas (under /api/v1/jipp; pkri.md §9).

- ``GET /nodes``, ``GET /edges``: the network, page by page. Anyone gets the public part
  (published innovations; links not rejected between published innovations); the
  secretariat gets everything unless it asks ``public=true``.
- ``POST /import``: a JIPPNas file (secretariat), all rows or none.
- ``GET /stale``: innovations the caller may see whose profile is more than 24 months old.
- ``POST /update-requests``: ask the owners of innovations to update them (secretariat).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from prima.core.api import ErrorOut, Page, Ref
from prima.core.api_auth import person_from_request, token_person
from prima.core.interfaces.tabular import TableError
from prima.innovations.api_jipp.common import all_of
from prima.innovations.domain.update_requests import request_profile_updates
from prima.innovations.interfaces.jipp_exchange import (
    edge_record,
    import_network_file,
    node_record,
)
from prima.innovations.models import Innovation
from prima.innovations.queries import may_read_registry
from prima.innovations.queries_exchange import (
    REQUESTED_CHOICES,
    StaleFilters,
    exports_everything,
    may_manage_exchange,
    network_edges,
    network_nodes,
    stale_innovations,
)

router = Router(tags=["jipp"])


class NetworkIn(Schema):
    public: bool = Field(False, description="true: only the public part, also for the secretariat")
    limit: int = Field(500, ge=1, le=5000)
    offset: int = Field(0, ge=0)


class NodeOut(Schema):
    id: int
    name: str
    acronym: str
    institution_id: int
    institution_name: str
    institution_kind: str
    province_code: str
    unit_name: str
    started_on: dt.date
    status: str
    status_confirmed_on: dt.date | None
    open_to_replication: bool
    replication_contact: str
    tiers: str = Field(description="programme:year:tier;… of tiers not revoked")
    updated_at: dt.datetime
    is_published: bool


class NodeList(Schema):
    count: int
    public: bool
    items: list[NodeOut]


class EdgeOut(Schema):
    source_id: int
    replica_id: int
    replicated_on: dt.date
    scope: str
    status: str
    origin: str
    differences: str
    evidence_note: str


class EdgeList(Schema):
    count: int
    public: bool
    items: list[EdgeOut]


def _public(request: HttpRequest, params: NetworkIn) -> bool:
    return params.public or not exports_everything(person_from_request(request))


@router.get("/nodes", response=NodeList, auth=None, summary="Simpul jaringan: inovasi")
def list_nodes(request: HttpRequest, params: Query[NetworkIn]) -> dict[str, Any]:
    """Innovations by id; the public part unless the caller is the secretariat."""
    public = _public(request, params)
    qs = network_nodes(public=public)
    rows = qs[params.offset : params.offset + params.limit]
    return {
        "count": qs.count(),
        "public": public,
        "items": [node_record(i, public=public) for i in rows],
    }


@router.get("/edges", response=EdgeList, auth=None, summary="Sisi jaringan: tautan replikasi")
def list_edges(request: HttpRequest, params: Query[NetworkIn]) -> dict[str, Any]:
    """Replication links by id; the public part unless the caller is the secretariat."""
    public = _public(request, params)
    qs = network_edges(public=public)
    rows = qs[params.offset : params.offset + params.limit]
    return {"count": qs.count(), "public": public, "items": [edge_record(link) for link in rows]}


class ImportOut(Schema):
    links_created: int
    links_updated: int
    links_unchanged: int
    nodes_updated: int
    nodes_unchanged: int
    audit_entry: int | None


class ProblemOut(Schema):
    row: int = Field(description="row number (CSV/XLSX: spreadsheet row; JSON: position)")
    column: str
    message: str


class ImportErrorOut(Schema):
    detail: str
    errors: list[ProblemOut]


@router.post(
    "/import",
    response={200: ImportOut, 403: ErrorOut, 422: ImportErrorOut},
    summary="Impor berkas jaringan JIPPNas",
)
def import_file(
    request: HttpRequest, file: File[UploadedFile], update: Form[bool] = False
) -> tuple[int, dict[str, Any]]:
    """Multipart upload of a JSON, CSV, XLSX or ZIP file; every row is checked first and
    nothing is written unless all pass (422 lists every problem)."""
    try:
        result = import_network_file(file, actor=token_person(request), update=update)
    except TableError as error:
        return 422, {
            "detail": error.message,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message} for e in error.errors
            ],
        }
    return 200, {
        "links_created": result.links_created,
        "links_updated": result.links_updated,
        "links_unchanged": result.links_unchanged,
        "nodes_updated": result.nodes_updated,
        "nodes_unchanged": result.nodes_unchanged,
        "audit_entry": result.entry_id,
    }


class StaleIn(Page):
    institution: int | None = None
    province: str = Field("", description="kode provinsi dua digit, mis. 13")
    kind: str = Field("", description="jenis instansi, mis. city")
    requested: str = Field("", description="belum (never asked) or sudah (asked before)")


class StaleOut(Schema):
    id: int
    name: str
    institution: Ref
    unit: Ref
    updated_at: dt.datetime
    last_requested_at: dt.datetime | None


class StaleList(Schema):
    count: int
    items: list[StaleOut]


@router.get(
    "/stale",
    response={200: StaleList, 403: ErrorOut, 422: ErrorOut},
    summary="Inovasi yang datanya belum diperbarui lebih dari 24 bulan",
)
def list_stale(request: HttpRequest, params: Query[StaleIn]) -> dict[str, Any]:
    person = token_person(request)
    if not may_read_registry(person):
        raise HttpError(403, _("Anda tidak memiliki akses ke registri inovasi."))
    if params.requested and params.requested not in REQUESTED_CHOICES:
        raise HttpError(422, _("requested harus belum atau sudah."))
    qs = stale_innovations(
        person,
        timezone.localdate(),
        StaleFilters(
            institution=params.institution,
            province=params.province,
            kind=params.kind,
            requested=params.requested,
        ),
    )
    rows = qs[params.offset : params.offset + params.limit]
    return {"count": qs.count(), "items": [_stale_out(i) for i in rows]}


def _stale_out(innovation: Innovation) -> dict[str, Any]:
    asked: dt.datetime | None = getattr(innovation, "last_requested_at", None)
    return {
        "id": innovation.pk,
        "name": innovation.name,
        "institution": {"id": innovation.institution_id, "name": innovation.institution.name},
        "unit": {"id": innovation.unit_id, "name": innovation.unit.name},
        "updated_at": timezone.localtime(innovation.updated_at),
        "last_requested_at": timezone.localtime(asked) if asked else None,
    }


class UpdateRequestIn(Schema):
    innovations: list[int] = Field(description="innovation ids")
    message: str = ""


class RequestedOut(Schema):
    innovation: int
    request: int
    recipients: list[str]


class SkippedOut(Schema):
    innovation: int
    last_requested_at: dt.datetime


class UpdateRequestsOut(Schema):
    requested: list[RequestedOut]
    skipped: list[SkippedOut]
    without_recipients: list[int]
    emails: int


@router.post(
    "/update-requests",
    response={201: UpdateRequestsOut, 403: ErrorOut, 422: ErrorOut},
    summary="Minta pemilik inovasi memperbarui data",
)
def create_update_requests(
    request: HttpRequest, payload: UpdateRequestIn
) -> tuple[int, dict[str, Any]]:
    """One request per innovation not asked in the last 7 days (the others come back as
    `skipped`); one e-mail per recipient."""
    person = token_person(request)
    if not may_manage_exchange(person):
        raise HttpError(403, _("Hanya Sekretariat yang dapat mengirim permintaan pembaruan data."))
    innovations = all_of(
        Innovation.objects.all(), payload.innovations, _("Inovasi tidak ditemukan: %(ids)s.")
    )
    result = request_profile_updates(innovations, message=payload.message, actor=person)
    return 201, {
        "requested": [
            {"innovation": r.innovation_id, "request": r.pk, "recipients": r.recipients}
            for r in result.requests
        ],
        "skipped": [
            {"innovation": i.pk, "last_requested_at": timezone.localtime(when)}
            for i, when in result.skipped
        ],
        "without_recipients": [i.pk for i in result.without_recipients],
        "emails": result.emails,
    }
