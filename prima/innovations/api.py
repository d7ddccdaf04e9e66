"""Innovation registry API, mounted at /api/v1/innovations.

Same scoped querysets and domain functions as the web pages: a person sees, counts and
changes exactly what the UI lets them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from prima.core.api_auth import token_person
from prima.core.models import ServiceUnit
from prima.innovations.domain.awards import record_award
from prima.innovations.domain.evidence import add_evidence, remove_evidence
from prima.innovations.domain.innovations import (
    InnovationData,
    change_innovation_status,
    publish_innovation,
    register_innovation,
    unpublish_innovation,
    update_innovation,
)
from prima.innovations.domain.permissions import may_edit
from prima.innovations.domain.replication import link_replication, unlink_replication
from prima.innovations.models import AwardRecord, Evidence, Innovation, ReplicationLink
from prima.innovations.queries import (
    InnovationFilters,
    LineageEntry,
    apply_filters,
    evidence_downloadable_by,
    innovations_visible_to,
    lineage_for,
    may_read_registry,
    province_code_of,
    published_innovations,
    replication_candidates,
    with_list_relations,
)

router = Router(tags=["inovasi"])

NOT_FOUND = gettext_lazy("Inovasi tidak ditemukan.")


class Ref(Schema):
    id: int
    name: str


class ErrorOut(Schema):
    detail: str


class PublicInnovationOut(Schema):
    id: int
    name: str
    acronym: str
    summary: str
    problem: str
    approach: str
    results: str
    beneficiaries: str
    started_on: dt.date
    is_digital: bool
    categories: list[str]
    sdg_goals: list[int]
    status: str
    status_reason: str
    status_changed_on: dt.date | None
    institution: Ref
    unit: Ref
    province_code: str


class InnovationOut(PublicInnovationOut):
    is_published: bool
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class InnovationList(Schema):
    count: int
    items: list[InnovationOut]


class PublicInnovationList(Schema):
    count: int
    items: list[PublicInnovationOut]


class PublicFiltersIn(Schema):
    q: str = Field("", description="kata dalam nama, akronim atau ringkasan")
    category: str = Field("", description="kode kategori, mis. kesehatan")
    province: str = Field("", description="kode provinsi dua digit, mis. 13")
    status: str = Field("", description="active, paused atau stopped")
    digital: bool | None = None
    year: int | None = Field(None, description="tahun mulai diterapkan")
    sort: str = Field("", description="baru, nama, -nama, mulai, -mulai, instansi, diperbarui")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)

    def filters(self) -> InnovationFilters:
        return InnovationFilters(
            q=self.q,
            category=self.category,
            province=self.province,
            status=self.status,
            digital=self.digital,
            year=self.year,
            sort=self.sort,
        )


class FiltersIn(PublicFiltersIn):
    institution: int | None = None
    unit: int | None = None
    published: bool | None = None

    def filters(self) -> InnovationFilters:
        base = super().filters()
        return InnovationFilters(
            q=base.q,
            institution=self.institution,
            unit=self.unit,
            category=base.category,
            status=base.status,
            digital=base.digital,
            province=base.province,
            published=self.published,
            year=base.year,
            sort=base.sort,
        )


class ContentIn(Schema):
    name: str
    acronym: str = ""
    summary: str
    problem: str = ""
    approach: str = ""
    results: str = ""
    beneficiaries: str = ""
    started_on: dt.date
    is_digital: bool = False
    categories: list[str] = Field(default_factory=list, description="kode kategori")
    sdg_goals: list[int] = Field(default_factory=list, description="nomor tujuan SDGs 1–17")


class InnovationIn(ContentIn):
    unit: int = Field(description="ID unit pelayanan pemilik")


class InnovationPut(ContentIn):
    version: int = Field(description="versi yang Anda baca; 409 jika sudah berubah")


class InnovationPatch(Schema):
    version: int = Field(description="versi yang Anda baca; 409 jika sudah berubah")
    name: str | None = None
    acronym: str | None = None
    summary: str | None = None
    problem: str | None = None
    approach: str | None = None
    results: str | None = None
    beneficiaries: str | None = None
    started_on: dt.date | None = None
    is_digital: bool | None = None
    categories: list[str] | None = None
    sdg_goals: list[int] | None = None


class StatusIn(Schema):
    status: str = Field(description="active, paused atau stopped")
    reason: str = ""
    changed_on: dt.date | None = None
    version: int | None = None


def _public_out(innovation: Innovation) -> dict[str, Any]:
    return {
        "id": innovation.pk,
        "name": innovation.name,
        "acronym": innovation.acronym,
        "summary": innovation.summary,
        "problem": innovation.problem,
        "approach": innovation.approach,
        "results": innovation.results,
        "beneficiaries": innovation.beneficiaries,
        "started_on": innovation.started_on,
        "is_digital": innovation.is_digital,
        "categories": [c.code for c in innovation.categories.all()],
        "sdg_goals": innovation.sdg_goals,
        "status": innovation.status,
        "status_reason": innovation.status_reason,
        "status_changed_on": innovation.status_changed_on,
        "institution": {"id": innovation.institution_id, "name": innovation.institution.name},
        "unit": {"id": innovation.unit_id, "name": innovation.unit.name},
        "province_code": province_code_of(innovation),
    }


def _out(innovation: Innovation) -> dict[str, Any]:
    return {
        **_public_out(innovation),
        "is_published": innovation.is_published,
        "version": innovation.version,
        # Times are given in Asia/Jakarta (WIB), like everywhere in Prima.
        "created_at": timezone.localtime(innovation.created_at),
        "updated_at": timezone.localtime(innovation.updated_at),
    }


def _page(qs: QuerySet[Innovation], params: PublicFiltersIn, out: Any) -> dict[str, Any]:
    qs = with_list_relations(apply_filters(qs, params.filters()))
    rows = qs[params.offset : params.offset + params.limit]
    return {"count": qs.count(), "items": [out(innovation) for innovation in rows]}


def _fetch(request: HttpRequest, innovation_id: int) -> Innovation:
    innovation = (
        with_list_relations(innovations_visible_to(token_person(request)))
        .filter(pk=innovation_id)
        .first()
    )
    if innovation is None:
        raise HttpError(404, str(NOT_FOUND))
    return innovation


def _fresh(innovation_id: int) -> dict[str, Any]:
    return _out(with_list_relations(Innovation.objects.all()).get(pk=innovation_id))


@router.get("/public", response=PublicInnovationList, auth=None, summary="Katalog publik")
def public_list(request: HttpRequest, params: Query[PublicFiltersIn]) -> dict[str, Any]:
    """Published innovations, for anyone: the open data behind the public catalogue."""
    return _page(published_innovations(), params, _public_out)


@router.get(
    "/public/{innovation_id}",
    response={200: PublicInnovationOut, 404: ErrorOut},
    auth=None,
    summary="Satu inovasi di katalog publik",
)
def public_detail(request: HttpRequest, innovation_id: int) -> dict[str, Any]:
    innovation = with_list_relations(published_innovations()).filter(pk=innovation_id).first()
    if innovation is None:
        raise HttpError(404, str(NOT_FOUND))
    return _public_out(innovation)


@router.get("", response={200: InnovationList, 403: ErrorOut}, summary="Daftar inovasi")
def list_innovations(request: HttpRequest, params: Query[FiltersIn]) -> dict[str, Any]:
    """Innovations the person may see, filtered like the web list."""
    person = token_person(request)
    if not may_read_registry(person):
        raise HttpError(403, _("Anda tidak memiliki akses ke registri inovasi."))
    return _page(innovations_visible_to(person), params, _out)


@router.post(
    "",
    response={201: InnovationOut, 403: ErrorOut, 422: ErrorOut},
    summary="Daftarkan inovasi",
)
def create_innovation(request: HttpRequest, payload: InnovationIn) -> tuple[int, dict[str, Any]]:
    person = token_person(request)
    unit = ServiceUnit.objects.filter(pk=payload.unit).first()
    if unit is None:
        raise HttpError(
            422, _("Unit pelayanan dengan ID %(id)s tidak ditemukan.") % {"id": payload.unit}
        )
    data = payload.model_dump(exclude={"unit"})
    innovation = register_innovation(actor=person, unit=unit, data=cast(InnovationData, data))
    return 201, _fresh(innovation.pk)


@router.get(
    "/{innovation_id}",
    response={200: InnovationOut, 404: ErrorOut},
    summary="Satu inovasi",
)
def get_innovation(request: HttpRequest, innovation_id: int) -> dict[str, Any]:
    return _out(_fetch(request, innovation_id))


def _update(request: HttpRequest, innovation_id: int, values: dict[str, Any]) -> dict[str, Any]:
    innovation = _fetch(request, innovation_id)
    person = token_person(request)
    if not may_edit(person, innovation):
        raise HttpError(403, _("Anda tidak berwenang mengubah inovasi ini."))
    version = values.pop("version")
    update_innovation(
        innovation, actor=person, data=cast(InnovationData, values), expected_version=version
    )
    return _fresh(innovation.pk)


@router.put(
    "/{innovation_id}",
    response={200: InnovationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Ganti isi inovasi",
)
def put_innovation(
    request: HttpRequest, innovation_id: int, payload: InnovationPut
) -> dict[str, Any]:
    """Replace every content field; `version` must be the one you read (else 409)."""
    return _update(request, innovation_id, payload.model_dump())


@router.patch(
    "/{innovation_id}",
    response={200: InnovationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Ubah sebagian isi inovasi",
)
def patch_innovation(
    request: HttpRequest, innovation_id: int, payload: InnovationPatch
) -> dict[str, Any]:
    """Change only the fields sent; `version` must be the one you read (else 409)."""
    return _update(request, innovation_id, payload.model_dump(exclude_unset=True))


@router.post(
    "/{innovation_id}/status",
    response={200: InnovationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Ubah status inovasi",
)
def set_status(request: HttpRequest, innovation_id: int, payload: StatusIn) -> dict[str, Any]:
    """Active, paused or stopped; paused and stopped need a `reason`."""
    innovation = _fetch(request, innovation_id)
    change_innovation_status(
        innovation,
        actor=token_person(request),
        status=payload.status,
        reason=payload.reason,
        changed_on=payload.changed_on,
        expected_version=payload.version,
    )
    return _fresh(innovation.pk)


@router.post(
    "/{innovation_id}/publish",
    response={200: InnovationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Publikasikan ke katalog publik",
)
def publish(request: HttpRequest, innovation_id: int) -> dict[str, Any]:
    innovation = _fetch(request, innovation_id)
    publish_innovation(innovation, actor=token_person(request))
    return _fresh(innovation.pk)


@router.post(
    "/{innovation_id}/unpublish",
    response={200: InnovationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Tarik dari katalog publik",
)
def unpublish(request: HttpRequest, innovation_id: int) -> dict[str, Any]:
    innovation = _fetch(request, innovation_id)
    unpublish_innovation(innovation, actor=token_person(request))
    return _fresh(innovation.pk)


# --- Records around an innovation: evidence, replication lineage, awards -------------------


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    description: str
    is_public: bool
    uploaded_at: dt.datetime
    download_url: str = Field(
        description="halaman unduh yang memeriksa hak akses (sesi peramban; siapa pun untuk "
        "bukti publik dari inovasi yang dipublikasikan)"
    )


class EvidenceList(Schema):
    count: int
    items: list[EvidenceOut]


class LineageInnovation(Schema):
    id: int
    name: str
    institution: Ref
    internal: bool = Field(
        description="true jika Anda dapat membukanya di /innovations/{id}; selain itu hanya "
        "di katalog publik"
    )


class LineageLinkOut(Schema):
    id: int = Field(description="ID tautan replikasi")
    innovation: LineageInnovation
    replicated_on: dt.date
    adaptation: str
    differences: str


class LineageOut(Schema):
    sources: list[LineageLinkOut] = Field(description="inovasi yang direplikasi inovasi ini")
    replicas: list[LineageLinkOut] = Field(description="inovasi yang mereplikasi inovasi ini")
    hidden_sources: int = Field(
        description="sumber yang tidak dapat Anda lihat (belum dipublikasikan)"
    )
    hidden_replicas: int = Field(
        description="replika yang tidak dapat Anda lihat (belum dipublikasikan)"
    )


class ReplicationIn(Schema):
    source: int = Field(description="ID inovasi yang direplikasi")
    replicated_on: dt.date
    adaptation: str
    differences: str = ""


class AwardOut(Schema):
    id: int
    programme: str
    year: int
    tier: str
    level: str
    group: str
    decree_ref: str
    decree_date: dt.date | None
    revoked: bool
    created_at: dt.datetime


class AwardList(Schema):
    count: int
    items: list[AwardOut]


class AwardIn(Schema):
    programme: str = Field(description="kipp, pkri, pekppp, inclusive atau other")
    year: int
    tier: str = Field(description="peringkat, mis. top99 atau top45")
    level: str = Field(description="finalist atau winner")
    group: str = Field("", description="kelompok peserta, mis. umum, replikasi, khusus")
    decree_ref: str = ""
    decree_date: dt.date | None = None


def _owner(request: HttpRequest, innovation_id: int) -> Innovation:
    """The innovation whose records are asked for, if the person may see it (else 404)."""
    innovation = innovations_visible_to(token_person(request)).filter(pk=innovation_id).first()
    if innovation is None:
        raise HttpError(404, str(NOT_FOUND))
    return innovation


def _evidence_out(request: HttpRequest, evidence: Evidence) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "original_name": evidence.original_name,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "description": evidence.description,
        "is_public": evidence.is_public,
        "uploaded_at": timezone.localtime(evidence.uploaded_at),
        "download_url": request.build_absolute_uri(
            reverse("evidence_download", args=[evidence.pk])
        ),
    }


def _lineage_out(entry: LineageEntry) -> dict[str, Any]:
    link, other = entry.link, entry.other
    return {
        "id": link.pk,
        "innovation": {
            "id": other.pk,
            "name": other.name,
            "institution": {"id": other.institution_id, "name": other.institution.name},
            "internal": entry.internal,
        },
        "replicated_on": link.replicated_on,
        "adaptation": link.adaptation,
        "differences": link.differences,
    }


def _award_out(award: AwardRecord) -> dict[str, Any]:
    return {
        "id": award.pk,
        "programme": award.programme,
        "year": award.year,
        "tier": award.tier,
        "level": award.level,
        "group": award.group,
        "decree_ref": award.decree_ref,
        "decree_date": award.decree_date,
        "revoked": award.revoked,
        "created_at": timezone.localtime(award.created_at),
    }


@router.get(
    "/{innovation_id}/evidence",
    response={200: EvidenceList, 404: ErrorOut},
    summary="Bukti dukung inovasi",
)
def list_evidence(request: HttpRequest, innovation_id: int) -> dict[str, Any]:
    innovation = _owner(request, innovation_id)
    rows = list(evidence_downloadable_by(token_person(request)).filter(innovation=innovation))
    return {"count": len(rows), "items": [_evidence_out(request, row) for row in rows]}


@router.post(
    "/{innovation_id}/evidence",
    response={201: EvidenceOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Unggah bukti dukung",
)
def upload_evidence(
    request: HttpRequest,
    innovation_id: int,
    file: File[UploadedFile],
    description: Form[str] = "",
    is_public: Form[bool] = False,
) -> tuple[int, dict[str, Any]]:
    """Multipart upload of a PDF, JPEG, PNG or WebP; the type is read from the content."""
    innovation = _owner(request, innovation_id)
    evidence = add_evidence(
        innovation,
        actor=token_person(request),
        upload=file,
        description=description,
        is_public=is_public,
    )
    return 201, _evidence_out(request, evidence)


@router.delete(
    "/{innovation_id}/evidence/{evidence_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    summary="Hapus bukti dukung",
)
def delete_evidence(request: HttpRequest, innovation_id: int, evidence_id: int) -> tuple[int, None]:
    innovation = _owner(request, innovation_id)
    evidence = (
        Evidence.objects.select_related("innovation")
        .filter(innovation=innovation, pk=evidence_id)
        .first()
    )
    if evidence is None:
        raise HttpError(404, _("Bukti dukung tidak ditemukan."))
    remove_evidence(evidence, actor=token_person(request))
    return 204, None


@router.get(
    "/{innovation_id}/lineage",
    response={200: LineageOut, 404: ErrorOut},
    summary="Silsilah replikasi",
)
def get_lineage(request: HttpRequest, innovation_id: int) -> dict[str, Any]:
    """Sources and replicas you may see or that are published, like the detail page."""
    innovation = _owner(request, innovation_id)
    lineage = lineage_for(innovation, token_person(request))
    return {
        "sources": [_lineage_out(entry) for entry in lineage.sources],
        "replicas": [_lineage_out(entry) for entry in lineage.replicas],
        "hidden_sources": lineage.hidden_sources,
        "hidden_replicas": lineage.hidden_replicas,
    }


@router.post(
    "/{innovation_id}/replications",
    response={201: LineageLinkOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Catat replikasi dari inovasi lain",
)
def create_replication(
    request: HttpRequest, innovation_id: int, payload: ReplicationIn
) -> tuple[int, dict[str, Any]]:
    """This innovation (the replica) adapted `source`; the lineage may not become circular."""
    innovation = _owner(request, innovation_id)
    person = token_person(request)
    if not may_edit(person, innovation):
        raise HttpError(403, _("Anda tidak berwenang mengubah silsilah replikasi inovasi ini."))
    if payload.source == innovation.pk:
        source: Innovation | None = innovation  # the domain explains why not
    else:
        source = replication_candidates(person, innovation).filter(pk=payload.source).first()
    if source is None:
        raise HttpError(404, _("Inovasi sumber tidak ditemukan."))
    link = link_replication(
        innovation,
        source,
        payload.replicated_on,
        payload.adaptation,
        payload.differences,
        actor=person,
    )
    entry = LineageEntry(
        link=link,
        other=source,
        internal=innovations_visible_to(person).filter(pk=source.pk).exists(),
    )
    return 201, _lineage_out(entry)


@router.delete(
    "/{innovation_id}/replications/{link_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    summary="Hapus tautan replikasi",
)
def delete_replication(request: HttpRequest, innovation_id: int, link_id: int) -> tuple[int, None]:
    """Only from the replica's side, by someone who may edit the replica."""
    innovation = _owner(request, innovation_id)
    link = (
        ReplicationLink.objects.select_related("replica", "source")
        .filter(replica=innovation, pk=link_id)
        .first()
    )
    if link is None:
        raise HttpError(404, _("Tautan replikasi tidak ditemukan."))
    unlink_replication(link, actor=token_person(request))
    return 204, None


@router.get(
    "/{innovation_id}/awards",
    response={200: AwardList, 404: ErrorOut},
    summary="Riwayat penghargaan",
)
def list_awards(request: HttpRequest, innovation_id: int) -> dict[str, Any]:
    """Every recorded tier, revoked ones included (marked `revoked`), like the detail page."""
    innovation = _owner(request, innovation_id)
    rows = list(innovation.awards.all())
    return {"count": len(rows), "items": [_award_out(row) for row in rows]}


@router.post(
    "/{innovation_id}/awards",
    response={201: AwardOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Catat penghargaan (Sekretariat)",
)
def create_award(
    request: HttpRequest, innovation_id: int, payload: AwardIn
) -> tuple[int, dict[str, Any]]:
    innovation = _owner(request, innovation_id)
    award = record_award(
        innovation,
        actor=token_person(request),
        programme=payload.programme,
        year=payload.year,
        tier=payload.tier,
        level=payload.level,
        decree_ref=payload.decree_ref,
        group=payload.group,
        decree_date=payload.decree_date,
    )
    return 201, _award_out(award)
