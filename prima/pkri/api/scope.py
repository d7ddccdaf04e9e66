"""PKRI API: the scope of an edition (/api/v1/pkri/editions/{code}/scope/...).

Reads follow `prima.pkri.queries` (national readers see all; Admin Lokal and operators see
their own loci/objects once the scope is frozen); writes are the secretariat's, except
reassigning an object's unit (Admin Lokal of the locus).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.access import access_for
from prima.core.api import ErrorOut, Page
from prima.core.api_auth import token_person
from prima.core.models import Institution, ServiceUnit
from prima.evaluation.models import Edition
from prima.innovations.models import Innovation
from prima.pkri.domain import scope as domain
from prima.pkri.models import Announcement, Locus, ScopeObject
from prima.pkri.queries import (
    editions_visible_to,
    loci_visible_to,
    may_manage_scope,
    objects_visible_to,
)
from prima.pkri.views.scope import filter_loci, filter_objects

router = Router(tags=["PKRI"])
MAX_LIMIT = 500


READ_ERRORS = {403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {**READ_ERRORS, 422: ErrorOut}


class ListParams(Page):
    jenis: str = ""
    kelompok: str = ""
    provinsi: str = ""
    pembinaan: str = ""
    dikeluarkan: str = ""
    q: str = ""
    limit: int = Field(100, ge=1, le=MAX_LIMIT)


class AnnouncementOut(Schema):
    id: int
    kind: str
    number: str
    date: dt.date
    title: str
    amends: int | None
    listing: dict[str, Any]


class ExpectedRow(Schema):
    key: str
    expected: int
    actual: int
    matches: bool


class ScopeSummaryOut(Schema):
    edition: str
    state: str
    counts: dict[str, Any]
    expected: list[ExpectedRow]
    announcements: list[AnnouncementOut]


class LocusOut(Schema):
    id: int
    institution: dict[str, Any]
    in_pembinaan: bool
    origin: str
    reason: str
    excluded: bool
    excluded_reason: str


class ObjectOut(Schema):
    id: int
    innovation: dict[str, Any]
    locus: int
    institution_id: int
    unit: dict[str, Any]
    group: str
    source_tier: str
    award_year: int | None
    original: int | None
    origin: str
    reason: str
    excluded: bool
    excluded_reason: str


class LociPage(Schema):
    count: int
    items: list[LocusOut]


class ObjectsPage(Schema):
    count: int
    items: list[ObjectOut]


class DeriveOut(Schema):
    report: dict[str, Any]


class LocusIn(Schema):
    institution: int
    in_pembinaan: bool = False
    reason: str


class ObjectIn(Schema):
    innovation: int
    group: str
    reason: str
    original: int | None = None


class ReasonIn(Schema):
    reason: str


class PembinaanIn(Schema):
    in_pembinaan: bool
    reason: str = ""


class UnitIn(Schema):
    unit: int


class FreezeIn(Schema):
    number: str
    date: dt.date
    title: str = ""


class AmendLocusIn(LocusIn):
    pass


class AmendObjectIn(ObjectIn):
    pass


class AmendExclusionIn(Schema):
    locus: int | None = None
    object: int | None = None
    reason: str


class AmendIn(FreezeIn):
    amends: int
    add_loci: list[AmendLocusIn] = []
    add_objects: list[AmendObjectIn] = []
    exclusions: list[AmendExclusionIn] = []


class StateOut(Schema):
    edition: str
    state: str


# --------------------------------------------------------------------------- helpers


def _edition(request: HttpRequest, code: str, *, manage: bool = False) -> Edition:
    person = token_person(request)
    edition = editions_visible_to(person).filter(code=code).first()
    if edition is None:
        if Edition.objects.filter(code=code, programme="pkri").exists():
            raise HttpError(403, _("Anda tidak berwenang membuka penyelenggaraan ini."))
        raise HttpError(404, _("Penyelenggaraan tidak ditemukan."))
    if manage and not may_manage_scope(person):
        raise HttpError(403, _("Hanya Sekretariat yang dapat mengubah lingkup."))
    return edition


def _announcement_out(a: Announcement) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "number": a.number,
        "date": a.date,
        "title": a.title,
        "amends": a.amends_id,
        "listing": a.listing,
    }


def _locus_out(locus: Locus) -> dict[str, Any]:
    i = locus.institution
    return {
        "id": locus.pk,
        "institution": {
            "id": i.pk,
            "name": i.name,
            "short_name": i.short_name,
            "kind": i.kind,
            "province_code": i.province_code,
        },
        "in_pembinaan": locus.in_pembinaan,
        "origin": locus.origin,
        "reason": locus.reason,
        "excluded": locus.excluded,
        "excluded_reason": locus.excluded_reason,
    }


def _object_out(obj: ScopeObject) -> dict[str, Any]:
    return {
        "id": obj.pk,
        "innovation": {"id": obj.innovation_id, "name": obj.innovation.name},
        "locus": obj.locus_id,
        "institution_id": obj.locus.institution_id,
        "unit": {"id": obj.unit_id, "name": obj.unit.name},
        "group": obj.group,
        "source_tier": obj.source_tier,
        "award_year": obj.award_year,
        "original": obj.original_id,
        "origin": obj.origin,
        "reason": obj.reason,
        "excluded": obj.excluded,
        "excluded_reason": obj.excluded_reason,
    }


def _get(model: Any, pk: int, message: str, **filters: Any) -> Any:
    row = model.objects.filter(pk=pk, **filters).first()
    if row is None:
        raise HttpError(404, message)
    return row


def _locus(edition: Edition, pk: int) -> Locus:
    return _get(Locus, pk, _("Lokus tidak ditemukan."), edition=edition)


def _object(edition: Edition, pk: int) -> ScopeObject:
    return _get(ScopeObject, pk, _("Objek tidak ditemukan."), edition=edition)


def _innovation(pk: int) -> Innovation:
    return _get(Innovation, pk, _("Inovasi tidak ditemukan."))


def _original(pk: int | None) -> Innovation | None:
    return _get(Innovation, pk, _("Inovasi asal tidak ditemukan.")) if pk else None


def _institution(pk: int) -> Institution:
    return _get(Institution, pk, _("Instansi tidak ditemukan."))


def _fresh_object_out(pk: int) -> dict[str, Any]:
    return _object_out(ScopeObject.objects.select_related("innovation", "unit", "locus").get(pk=pk))


def _national(request: HttpRequest) -> None:
    access = access_for(token_person(request))
    if not (access.reads_nationally or access.is_superuser):
        raise HttpError(403, _("Ringkasan lingkup hanya untuk Sekretariat dan pembaca nasional."))


# --------------------------------------------------------------------------- reads


@router.get(
    "/editions/{code}/scope",
    response={200: ScopeSummaryOut, **READ_ERRORS},
    summary="Ringkasan lingkup: jumlah, angka yang diharapkan, pengumuman",
)
def scope_summary(request: HttpRequest, code: str) -> dict[str, Any]:
    edition = _edition(request, code)
    _national(request)
    counts = domain.scope_counts(edition)
    return {
        "edition": edition.code,
        "state": edition.state,
        "counts": counts,
        "expected": domain.expected_vs_actual(edition, counts),
        "announcements": [_announcement_out(a) for a in domain.scope_announcements(edition)],
    }


@router.get(
    "/editions/{code}/scope/loci",
    response={200: LociPage, **READ_ERRORS},
    summary="Lokus yang boleh dilihat (saringan: jenis, provinsi, pembinaan, dikeluarkan, q)",
)
def scope_loci(request: HttpRequest, code: str, params: Query[ListParams]) -> dict[str, Any]:
    edition = _edition(request, code)
    loci = filter_loci(loci_visible_to(token_person(request), edition), params.dict()).order_by(
        "institution__name", "pk"
    )
    items = loci[params.offset : params.offset + params.limit]
    return {"count": loci.count(), "items": [_locus_out(locus) for locus in items]}


@router.get(
    "/editions/{code}/scope/objects",
    response={200: ObjectsPage, **READ_ERRORS},
    summary="Objek yang boleh dilihat (saringan: kelompok, jenis, provinsi, dikeluarkan, q)",
)
def scope_objects(request: HttpRequest, code: str, params: Query[ListParams]) -> dict[str, Any]:
    edition = _edition(request, code)
    objects = filter_objects(
        objects_visible_to(token_person(request), edition), params.dict()
    ).order_by("group", "innovation__name", "pk")
    items = objects[params.offset : params.offset + params.limit]
    return {"count": objects.count(), "items": [_object_out(obj) for obj in items]}


# --------------------------------------------------------------------------- writes


@router.post(
    "/editions/{code}/scope/derive",
    response={200: DeriveOut, **WRITE_ERRORS},
    summary="Turunkan lingkup dari registri (boleh diulang)",
)
def scope_derive(request: HttpRequest, code: str) -> dict[str, Any]:
    edition = _edition(request, code, manage=True)
    report = domain.derive_scope(edition, actor=token_person(request))
    return {"report": report.as_dict()}


@router.post(
    "/editions/{code}/scope/loci",
    response={201: LocusOut, **WRITE_ERRORS},
    summary="Tambah lokus (dengan alasan)",
)
def scope_add_locus(request: HttpRequest, code: str, payload: LocusIn) -> tuple[int, Any]:
    edition = _edition(request, code, manage=True)
    institution = _institution(payload.institution)
    locus = domain.add_locus(
        edition,
        institution,
        in_pembinaan=payload.in_pembinaan,
        reason=payload.reason,
        actor=token_person(request),
    )
    return 201, _locus_out(locus)


@router.post(
    "/editions/{code}/scope/loci/{locus_id}/exclude",
    response={200: LocusOut, **WRITE_ERRORS},
    summary="Keluarkan lokus beserta objeknya (dengan alasan)",
)
def scope_exclude_locus(
    request: HttpRequest, code: str, locus_id: int, payload: ReasonIn
) -> dict[str, Any]:
    edition = _edition(request, code, manage=True)
    locus = _locus(edition, locus_id)
    return _locus_out(
        domain.exclude_locus(locus, reason=payload.reason, actor=token_person(request))
    )


@router.post(
    "/editions/{code}/scope/loci/{locus_id}/pembinaan",
    response={200: LocusOut, **WRITE_ERRORS},
    summary="Ikutkan lokus di kelompok pembinaan atau batalkan",
)
def scope_pembinaan(
    request: HttpRequest, code: str, locus_id: int, payload: PembinaanIn
) -> dict[str, Any]:
    edition = _edition(request, code, manage=True)
    locus = _locus(edition, locus_id)
    fresh = domain.set_in_pembinaan(
        locus, payload.in_pembinaan, actor=token_person(request), reason=payload.reason
    )
    return _locus_out(fresh)


@router.post(
    "/editions/{code}/scope/objects",
    response={201: ObjectOut, **WRITE_ERRORS},
    summary="Tambah objek (dengan alasan)",
)
def scope_add_object(request: HttpRequest, code: str, payload: ObjectIn) -> tuple[int, Any]:
    edition = _edition(request, code, manage=True)
    innovation = _innovation(payload.innovation)
    original = _original(payload.original)
    obj = domain.add_object(
        edition,
        innovation,
        payload.group,
        reason=payload.reason,
        original=original,
        actor=token_person(request),
    )
    return 201, _object_out(obj)


@router.post(
    "/editions/{code}/scope/objects/{object_id}/exclude",
    response={200: ObjectOut, **WRITE_ERRORS},
    summary="Keluarkan objek (dengan alasan)",
)
def scope_exclude_object(
    request: HttpRequest, code: str, object_id: int, payload: ReasonIn
) -> dict[str, Any]:
    edition = _edition(request, code, manage=True)
    obj = _object(edition, object_id)
    fresh = domain.exclude_object(obj, reason=payload.reason, actor=token_person(request))
    return _fresh_object_out(fresh.pk)


@router.post(
    "/editions/{code}/scope/objects/{object_id}/unit",
    response={200: ObjectOut, **WRITE_ERRORS},
    summary="Pindahkan objek ke unit pengganti (Admin Lokal lokus)",
)
def scope_object_unit(
    request: HttpRequest, code: str, object_id: int, payload: UnitIn
) -> dict[str, Any]:
    edition = _edition(request, code)
    person = token_person(request)
    obj = objects_visible_to(person, edition).filter(pk=object_id).first()
    if obj is None:
        raise HttpError(404, _("Objek tidak ditemukan."))
    unit = _get(ServiceUnit, payload.unit, _("Unit tidak ditemukan."))
    domain.reassign_object_unit(obj, unit, actor=person)
    return _fresh_object_out(obj.pk)


@router.post(
    "/editions/{code}/scope/freeze",
    response={201: AnnouncementOut, **WRITE_ERRORS},
    summary="Tetapkan lingkup dengan pengumuman (formulir dibuat)",
)
def scope_freeze(request: HttpRequest, code: str, payload: FreezeIn) -> tuple[int, Any]:
    edition = _edition(request, code, manage=True)
    announcement = domain.freeze_scope(
        edition,
        number=payload.number,
        date=payload.date,
        title=payload.title,
        actor=token_person(request),
    )
    return 201, _announcement_out(announcement)


@router.post(
    "/editions/{code}/scope/amendments",
    response={201: AnnouncementOut, **WRITE_ERRORS},
    summary="Pengumuman perubahan lingkup (tambah/keluarkan setelah penetapan)",
)
def scope_amend(request: HttpRequest, code: str, payload: AmendIn) -> tuple[int, Any]:
    edition = _edition(request, code, manage=True)
    amends = _get(Announcement, payload.amends, _("Pengumuman tidak ditemukan."), edition=edition)
    additions: list[domain.Addition] = []
    for item in payload.add_loci:
        institution = _institution(item.institution)
        additions.append(domain.LocusAddition(institution, item.reason, item.in_pembinaan))
    for obj_item in payload.add_objects:
        innovation = _innovation(obj_item.innovation)
        original = _original(obj_item.original)
        additions.append(
            domain.ObjectAddition(innovation, obj_item.group, obj_item.reason, original)
        )
    exclusions: list[domain.Exclusion] = []
    for ex in payload.exclusions:
        target: Locus | ScopeObject
        if ex.locus is not None:
            target = _locus(edition, ex.locus)
        elif ex.object is not None:
            target = _object(edition, ex.object)
        else:
            raise HttpError(422, _("Sebutkan lokus atau objek yang dikeluarkan."))
        exclusions.append(domain.Exclusion(target, ex.reason))
    announcement = domain.amend_scope(
        edition,
        number=payload.number,
        date=payload.date,
        amends=amends,
        title=payload.title,
        additions=additions,
        exclusions=exclusions,
        actor=token_person(request),
    )
    return 201, _announcement_out(announcement)


@router.post(
    "/editions/{code}/scope/open-forms",
    response={200: StateOut, **WRITE_ERRORS},
    summary="Buka pengisian formulir (setelah lingkup ditetapkan)",
)
def scope_open_forms(request: HttpRequest, code: str) -> dict[str, Any]:
    edition = _edition(request, code, manage=True)
    domain.open_forms(edition, actor=token_person(request))
    return {"edition": edition.code, "state": edition.state}
