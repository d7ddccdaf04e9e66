"""PKRI API: self-assessment forms, mounted at /api/v1/pkri/forms.

Same scoped querysets (:mod:`prima.pkri.queries`) and domain functions as the pages: a
token sees and changes exactly what its person can on the web.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from prima.core.access import access_for
from prima.core.api_auth import token_person
from prima.core.models import Person
from prima.pkri.domain import evidence as evidence_domain
from prima.pkri.domain import forms as domain
from prima.pkri.enums import FormState
from prima.pkri.models import FormEvidence, SelfAssessment
from prima.pkri.queries import editions_visible_to, forms_visible_to

router = Router(tags=["PKRI"])


class ErrorOut(Schema):
    detail: str


class ProblemOut(Schema):
    code: str
    field: str = Field(description="jalur isian, mis. budget.2.amount; kosong bila umum")
    message: str


class FormOut(Schema):
    id: int
    edition: str = Field(description="kode penyelenggaraan, mis. pkri-2024")
    kind: str = Field(description="coaching, sustainability, replication")
    institution: dict[str, Any]
    innovation: dict[str, Any] | None
    unit: dict[str, Any] | None
    state: str
    state_label: str
    version: int
    submitted_at: dt.datetime | None
    snapshot_hash: str
    updated_at: dt.datetime


class FormDetailOut(FormOut):
    data: dict[str, Any] = Field(description="isian dengan kode kolom pkri.md §6")
    return_note: str
    actions: list[str] = Field(description="tindakan yang dapat Anda lakukan sekarang")
    problems: list[ProblemOut] = Field(description="yang masih menghalangi pengiriman")


class FormList(Schema):
    count: int
    items: list[FormOut]


class FiltersIn(Schema):
    edition: str = Field("", description="kode penyelenggaraan")
    state: str = ""
    kind: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class DataIn(Schema):
    version: int = Field(description="versi yang Anda baca; 409 jika sudah berubah")
    data: dict[str, Any] = Field(description="seluruh isian (menggantikan isian tersimpan)")


class NoteIn(Schema):
    note: str


class EvidenceOut(Schema):
    id: int
    field: str
    original_name: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    download_url: str = Field(description="halaman unduh yang memeriksa hak akses (sesi)")


class EvidenceList(Schema):
    count: int
    items: list[EvidenceOut]


def _scoped(person: Person) -> QuerySet[SelfAssessment]:
    access = access_for(person)
    if not (access.reads_nationally or access.is_superuser or access.institutions or access.units):
        return SelfAssessment.objects.none()
    editions = list(editions_visible_to(person))
    if not editions:
        return SelfAssessment.objects.none()
    scoped = [forms_visible_to(person, e) for e in editions]
    return functools.reduce(operator.or_, scoped).select_related("edition")


def _fetch(request: HttpRequest, form_id: int) -> SelfAssessment:
    form = _scoped(token_person(request)).filter(pk=form_id).first()
    if form is None:
        raise HttpError(404, _("Formulir tidak ditemukan."))
    return form


def _out(form: SelfAssessment) -> dict[str, Any]:
    institution = form.locus.institution
    return {
        "id": form.pk,
        "edition": form.edition.code,
        "kind": form.kind,
        "institution": {"id": institution.pk, "name": institution.name},
        "innovation": (
            {"id": form.object.innovation_id, "name": form.object.innovation.name}
            if form.object
            else None
        ),
        "unit": {"id": form.object.unit_id, "name": form.object.unit.name} if form.object else None,
        "state": form.state,
        "state_label": str(FormState(form.state).label),
        "version": form.version,
        "submitted_at": timezone.localtime(form.submitted_at) if form.submitted_at else None,
        "snapshot_hash": form.snapshot_hash,
        "updated_at": timezone.localtime(form.updated_at),
    }


def _detail(person: Person, form: SelfAssessment) -> dict[str, Any]:
    actions = domain.available_actions(person, form)
    problems = domain.submission_problems(form) if actions else []
    return {
        **_out(form),
        "data": form.data or {},
        "return_note": form.return_note,
        "actions": sorted(actions),
        "problems": [{"code": p.code, "field": p.field, "message": p.message} for p in problems],
    }


def _evidence_out(request: HttpRequest, e: FormEvidence) -> dict[str, Any]:
    return {
        "id": e.pk,
        "field": e.field,
        "original_name": e.original_name,
        "size": e.size,
        "sha256": e.sha256,
        "uploaded_at": timezone.localtime(e.uploaded_at),
        "download_url": request.build_absolute_uri(
            reverse("pkri_form_evidence_download", args=[e.form_id, e.pk])
        ),
    }


@router.get("/forms", response={200: FormList}, summary="Daftar formulir PKRI saya")
def list_forms(request: HttpRequest, params: Query[FiltersIn]) -> dict[str, Any]:
    """The forms the token's person works on (national readers: all)."""
    qs = _scoped(token_person(request))
    if params.edition:
        qs = qs.filter(edition__code=params.edition)
    if params.state:
        qs = qs.filter(state=params.state)
    if params.kind:
        qs = qs.filter(kind=params.kind)
    qs = qs.order_by("-edition__year", "kind", "pk")
    rows = qs[params.offset : params.offset + params.limit]
    return {"count": qs.count(), "items": [_out(f) for f in rows]}


@router.get(
    "/forms/{form_id}", response={200: FormDetailOut, 404: ErrorOut}, summary="Satu formulir PKRI"
)
def get_form(request: HttpRequest, form_id: int) -> dict[str, Any]:
    return _detail(token_person(request), _fetch(request, form_id))


def _changed(
    request: HttpRequest, form_id: int, change: Callable[[SelfAssessment, Person], object]
) -> dict[str, Any]:
    """Apply a domain change to the form and return the form as it now stands."""
    person = token_person(request)
    change(_fetch(request, form_id), person)
    return _detail(person, _fetch(request, form_id))


def _action_responses() -> dict[int, type[Schema]]:
    return {200: FormDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.put(
    "/forms/{form_id}/data",
    response={200: FormDetailOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Simpan isian formulir (draf)",
)
def put_data(request: HttpRequest, form_id: int, payload: DataIn) -> dict[str, Any]:
    return _changed(
        request,
        form_id,
        lambda form, person: domain.save_form(
            form, payload.data, actor=person, version=payload.version
        ),
    )


@router.post(
    "/forms/{form_id}/send",
    response=_action_responses(),
    summary="Kirim formulir unit ke Admin Lokal",
)
def send_form(request: HttpRequest, form_id: int) -> dict[str, Any]:
    return _changed(
        request, form_id, lambda form, person: domain.send_to_institution(form, actor=person)
    )


@router.post(
    "/forms/{form_id}/return",
    response=_action_responses(),
    summary="Kembalikan formulir ke unit dengan catatan",
)
def return_form(request: HttpRequest, form_id: int, payload: NoteIn) -> dict[str, Any]:
    return _changed(
        request,
        form_id,
        lambda form, person: domain.return_form(form, note=payload.note, actor=person),
    )


@router.post(
    "/forms/{form_id}/submit",
    response=_action_responses(),
    summary="Kirim formulir ke sekretariat (Admin Lokal)",
)
def submit_form(request: HttpRequest, form_id: int) -> dict[str, Any]:
    """Refused with 422 naming every problem (window closed, answers breaking §6)."""
    return _changed(request, form_id, lambda form, person: domain.submit_form(form, actor=person))


@router.get(
    "/forms/{form_id}/evidence",
    response={200: EvidenceList, 404: ErrorOut},
    summary="Berkas bukti formulir",
)
def list_evidence(request: HttpRequest, form_id: int) -> dict[str, Any]:
    form = _fetch(request, form_id)
    items = [_evidence_out(request, e) for e in form.evidence.all()]
    return {"count": len(items), "items": items}


@router.post(
    "/forms/{form_id}/evidence",
    response={201: EvidenceOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Unggah berkas bukti (PDF ≤ 2 MB) untuk satu isian",
)
def upload_evidence(
    request: HttpRequest, form_id: int, field: Form[str], file: File[UploadedFile]
) -> tuple[int, dict[str, Any]]:
    """`field` is the answer path (e.g. `sop.file`); a file slot of the stored answers
    gets the new file's id at once."""
    form = _fetch(request, form_id)
    evidence = evidence_domain.add_evidence(
        form, field=field, upload=file, actor=token_person(request)
    )
    return 201, _evidence_out(request, evidence)


class ExtendIn(Schema):
    until: dt.date = Field(description="tanggal akhir baru masa pengisian (WIB, inklusif)")
    number: str = Field(description="nomor pengumuman perpanjangan")
    date: dt.date = Field(description="tanggal pengumuman")


class ExtensionOut(Schema):
    id: int
    kind: str
    number: str
    date: dt.date
    title: str
    until: dt.date
    window: list[dt.date] = Field(description="masa pengisian setelah perpanjangan [awal, akhir]")


@router.post(
    "/editions/{code}/forms/extend",
    response={201: ExtensionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Perpanjang masa pengisian formulir dengan pengumuman (Sekretariat)",
)
def extend_forms(request: HttpRequest, code: str, payload: ExtendIn) -> tuple[int, dict[str, Any]]:
    person = token_person(request)
    edition = editions_visible_to(person).filter(code=code).first()
    if edition is None:
        raise HttpError(404, _("Penyelenggaraan tidak ditemukan."))
    announcement = domain.extend_forms_window(
        edition, until=payload.until, number=payload.number, date=payload.date, actor=person
    )
    return 201, {
        "id": announcement.pk,
        "kind": announcement.kind,
        "number": announcement.number,
        "date": announcement.date,
        "title": announcement.title,
        "until": dt.date.fromisoformat(announcement.listing["until"]),
        "window": list(domain.forms_window(edition)),
    }
