"""Innovation registry API, mounted at /api/v1/innovations.

Same scoped querysets and domain functions as the web pages: a person sees, counts and
changes exactly what the UI lets them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.models import Person, ServiceUnit
from prima.innovations.domain.innovations import (
    InnovationData,
    change_innovation_status,
    publish_innovation,
    register_innovation,
    unpublish_innovation,
    update_innovation,
)
from prima.innovations.domain.permissions import may_edit
from prima.innovations.models import Innovation
from prima.innovations.queries import (
    InnovationFilters,
    apply_filters,
    innovations_visible_to,
    may_read_registry,
    published_innovations,
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
    q: str = ""
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
    region = innovation.unit.region
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
        "province_code": region.province_code if region else innovation.institution.province_code,
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


def _person(request: HttpRequest) -> Person:
    person = request.auth  # type: ignore[attr-defined]
    assert isinstance(person, Person)
    return person


def _fail(error: DomainError) -> HttpError:
    """A domain refusal as an HTTP error: 403 not allowed, 409 stale version, 422 invalid."""
    if isinstance(error, PermissionDenied):
        return HttpError(403, error.message)
    if isinstance(error, StaleVersion):
        return HttpError(409, error.message)
    if error.field:
        message = _("%(message)s (kolom: %(field)s)") % {
            "message": error.message,
            "field": error.field,
        }
    else:
        message = error.message
    return HttpError(422, message)


def _fetch(request: HttpRequest, innovation_id: int) -> Innovation:
    innovation = (
        with_list_relations(innovations_visible_to(_person(request)))
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
    person = _person(request)
    if not may_read_registry(person):
        raise HttpError(403, _("Anda tidak memiliki akses ke registri inovasi."))
    return _page(innovations_visible_to(person), params, _out)


@router.post(
    "",
    response={201: InnovationOut, 403: ErrorOut, 422: ErrorOut},
    summary="Daftarkan inovasi",
)
def create_innovation(request: HttpRequest, payload: InnovationIn) -> tuple[int, dict[str, Any]]:
    person = _person(request)
    unit = ServiceUnit.objects.filter(pk=payload.unit).first()
    if unit is None:
        raise HttpError(
            422, _("Unit pelayanan dengan ID %(id)s tidak ditemukan.") % {"id": payload.unit}
        )
    data = payload.model_dump(exclude={"unit"})
    try:
        innovation = register_innovation(actor=person, unit=unit, data=cast(InnovationData, data))
    except DomainError as error:
        raise _fail(error) from error
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
    person = _person(request)
    if not may_edit(person, innovation):
        raise HttpError(403, _("Anda tidak berwenang mengubah inovasi ini."))
    version = values.pop("version")
    try:
        update_innovation(
            innovation, actor=person, data=cast(InnovationData, values), expected_version=version
        )
    except DomainError as error:
        raise _fail(error) from error
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
    try:
        change_innovation_status(
            innovation,
            actor=_person(request),
            status=payload.status,
            reason=payload.reason,
            changed_on=payload.changed_on,
            expected_version=payload.version,
        )
    except DomainError as error:
        raise _fail(error) from error
    return _fresh(innovation.pk)


@router.post(
    "/{innovation_id}/publish",
    response={200: InnovationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Publikasikan ke katalog publik",
)
def publish(request: HttpRequest, innovation_id: int) -> dict[str, Any]:
    innovation = _fetch(request, innovation_id)
    try:
        publish_innovation(innovation, actor=_person(request))
    except DomainError as error:
        raise _fail(error) from error
    return _fresh(innovation.pk)


@router.post(
    "/{innovation_id}/unpublish",
    response={200: InnovationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Tarik dari katalog publik",
)
def unpublish(request: HttpRequest, innovation_id: int) -> dict[str, Any]:
    innovation = _fetch(request, innovation_id)
    try:
        unpublish_innovation(innovation, actor=_person(request))
    except DomainError as error:
        raise _fail(error) from error
    return _fresh(innovation.pk)
