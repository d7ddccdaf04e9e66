"""Core API: regions, institutions and service units (the national registry).

Regions and institutions are public; service units need a token (or a browser session
for reads) and are scoped exactly like the unit pages, through `units_visible_to`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.api_auth import TokenAuth
from prima.core.enums import InstitutionKind, RegionLevel, ServiceType, UnitKind
from prima.core.interfaces import registry_io
from prima.core.models import Institution, Region, ServiceUnit
from prima.core.queries import (
    institutions_visible_to,
    units_visible_to,
    with_active_unit_counts,
)

router = Router(tags=["registri"])


def _anonymous_unless_token(request: HttpRequest) -> Any:
    """Public endpoints: no credentials means the public; a wrong token is still a 401."""
    if request.headers.get("Authorization"):
        return None
    return AnonymousUser()


# Session or token when given (national readers then also see inactive institutions), else public.
PUBLIC_OR_TOKEN = [TokenAuth(), _anonymous_unless_token]
# In the OpenAPI document: added to the token requirement, the empty one makes it optional.
OPTIONAL_TOKEN: dict[str, Any] = {"security": [{}]}


def _code_or_400(value: str, choices: list[str], name: str) -> str:
    if value and value not in choices:
        raise HttpError(
            400,
            _("Parameter %(name)s '%(value)s' tidak dikenal; pilih salah satu: %(choices)s.")
            % {"name": name, "value": value, "choices": ", ".join(choices)},
        )
    return value


def _province_or_400(value: str) -> str:
    if value and not (len(value) == 2 and value.isdigit()):
        raise HttpError(
            400,
            _("Parameter province '%(value)s' harus kode provinsi dua digit, mis. 13.")
            % {"value": value},
        )
    return value


def _sort_or_400(value: str, sorts: dict[str, tuple[str, ...]]) -> str:
    if value and value.lstrip("-") not in sorts:
        allowed = ", ".join(f"{k}, -{k}" for k in sorts)
        raise HttpError(
            400,
            _("Parameter sort '%(value)s' tidak dikenal; pilih salah satu: %(choices)s.")
            % {"value": value, "choices": allowed},
        )
    return value


class ErrorOut(Schema):
    detail: str


class Ref(Schema):
    id: int
    name: str


class RegionOut(Schema):
    code: str
    name: str
    level: str = Field(description="province, regency atau city")
    level_label: str
    province_code: str
    population: int | None


class RegionList(Schema):
    count: int
    items: list[RegionOut]


class InstitutionOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str = Field(description=", ".join(InstitutionKind.values))
    kind_label: str
    region_code: str | None
    region_name: str | None
    province_code: str = Field(description="kode provinsi dua digit; kosong untuk instansi pusat")
    parent: Ref | None = Field(description="pemerintah daerah pemilik BUMD")
    is_disadvantaged: bool
    is_border: bool
    official_email_domain: str
    is_active: bool
    active_units: int


class InstitutionList(Schema):
    count: int
    items: list[InstitutionOut]


class UnitOut(Schema):
    id: int
    name: str
    institution: Ref
    kind: str = Field(description=", ".join(UnitKind.values))
    kind_label: str
    service_type: str = Field(description=", ".join(ServiceType.values))
    service_type_label: str
    region_code: str | None
    region_name: str | None
    user_population: int | None
    address: str
    is_active: bool


class UnitList(Schema):
    count: int
    items: list[UnitOut]


class Page(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class RegionFilters(Page):
    level: str = Field("", description="province, regency atau city")
    province: str = Field("", description="kode provinsi dua digit, mis. 13")
    q: str = Field("", description="kata dalam nama, atau awal kode")


class InstitutionFilters(Page):
    kind: str = Field("", description=", ".join(InstitutionKind.values))
    province: str = Field("", description="kode provinsi dua digit, mis. 13")
    q: str = Field("", description="kata dalam nama atau nama singkat")
    disadvantaged: bool | None = Field(None, description="daerah 3T")
    border: bool | None = Field(None, description="daerah perbatasan")
    sort: str = Field("name", description="name, kind, province; awali '-' untuk menurun")


class UnitFilters(Page):
    institution: int | None = Field(None, description="id instansi")
    kind: str = Field("", description=", ".join(UnitKind.values))
    service_type: str = Field("", description=", ".join(ServiceType.values))
    province: str = Field("", description="kode provinsi dua digit wilayah unit")
    q: str = Field("", description="kata dalam nama unit, nama instansi, atau alamat")
    status: str = Field("active", description="active, inactive atau all")
    sort: str = Field(
        "institution", description="name, institution, kind, province; awali '-' untuk menurun"
    )


def _region_out(region: Region) -> RegionOut:
    return RegionOut(
        code=region.code,
        name=region.name,
        level=region.level,
        level_label=str(region.get_level_display()),
        province_code=region.province_code,
        population=region.population,
    )


def _institution_out(institution: Institution) -> InstitutionOut:
    region = institution.region
    parent = institution.parent
    return InstitutionOut(
        id=institution.pk,
        name=institution.name,
        short_name=institution.short_name,
        kind=institution.kind,
        kind_label=str(institution.get_kind_display()),
        region_code=region.code if region is not None else None,
        region_name=region.name if region is not None else None,
        province_code=institution.province_code,
        parent=Ref(id=parent.pk, name=parent.name) if parent is not None else None,
        is_disadvantaged=institution.is_disadvantaged,
        is_border=institution.is_border,
        official_email_domain=institution.official_email_domain,
        is_active=institution.is_active,
        active_units=getattr(institution, "active_units", 0),
    )


def _unit_out(unit: ServiceUnit) -> UnitOut:
    region = unit.region
    return UnitOut(
        id=unit.pk,
        name=unit.name,
        institution=Ref(id=unit.institution_id, name=unit.institution.name),
        kind=unit.kind,
        kind_label=str(unit.get_kind_display()),
        service_type=unit.service_type,
        service_type_label=str(unit.get_service_type_display()),
        region_code=region.code if region is not None else None,
        region_name=region.name if region is not None else None,
        user_population=unit.user_population,
        address=unit.address,
        is_active=unit.is_active,
    )


@router.get(
    "/regions", response={200: RegionList, 400: ErrorOut}, auth=None, summary="Daftar wilayah"
)
def list_regions(request: HttpRequest, filters: Query[RegionFilters]) -> dict[str, Any]:
    """Provinces, regencies and cities with their Kemendagri codes (public)."""
    _code_or_400(filters.level, list(RegionLevel.values), "level")
    _province_or_400(filters.province)
    regions = Region.objects.order_by("code")
    if filters.level:
        regions = regions.filter(level=filters.level)
    if filters.province:
        regions = regions.filter(province_code=filters.province)
    for term in filters.q.split()[:8]:
        regions = regions.filter(Q(name__icontains=term) | Q(code__startswith=term))
    window = regions[filters.offset : filters.offset + filters.limit]
    return {"count": regions.count(), "items": [_region_out(r) for r in window]}


@router.get(
    "/regions/{code}",
    response={200: RegionOut, 404: ErrorOut},
    auth=None,
    summary="Satu wilayah",
)
def get_region(request: HttpRequest, code: str) -> RegionOut:
    """One region by its Kemendagri code, e.g. 13.76 (public)."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise HttpError(404, _("Wilayah dengan kode %(code)s tidak ditemukan.") % {"code": code})
    return _region_out(region)


@router.get(
    "/institutions",
    response={200: InstitutionList, 400: ErrorOut},
    auth=PUBLIC_OR_TOKEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="Daftar instansi",
)
def list_institutions(request: HttpRequest, filters: Query[InstitutionFilters]) -> dict[str, Any]:
    """Institutions with filters (public). Sorted by name unless `sort` says otherwise."""
    _code_or_400(filters.kind, list(InstitutionKind.values), "kind")
    _province_or_400(filters.province)
    _sort_or_400(filters.sort, registry_io.INSTITUTION_SORTS)
    institutions = registry_io.filter_institutions(
        institutions_visible_to(request.auth),  # type: ignore[attr-defined]
        kind=filters.kind,
        province=filters.province,
        q=filters.q,
        disadvantaged=filters.disadvantaged,
        border=filters.border,
    )
    ordering = registry_io.sort_fields(registry_io.INSTITUTION_SORTS, filters.sort, "name")
    window = with_active_unit_counts(institutions.order_by(*ordering))[
        filters.offset : filters.offset + filters.limit
    ]
    return {"count": institutions.count(), "items": [_institution_out(i) for i in window]}


@router.get(
    "/institutions/{institution_id}",
    response={200: InstitutionOut, 404: ErrorOut},
    auth=PUBLIC_OR_TOKEN,
    openapi_extra=OPTIONAL_TOKEN,
    summary="Satu instansi",
)
def get_institution(request: HttpRequest, institution_id: int) -> InstitutionOut:
    """One institution with its number of active units (public)."""
    institution = (
        with_active_unit_counts(institutions_visible_to(request.auth))  # type: ignore[attr-defined]
        .filter(pk=institution_id)
        .first()
    )
    if institution is None:
        raise HttpError(404, _("Instansi tidak ditemukan."))
    return _institution_out(institution)


@router.get("/units", response={200: UnitList, 400: ErrorOut}, summary="Daftar unit pelayanan")
def list_units(request: HttpRequest, filters: Query[UnitFilters]) -> dict[str, Any]:
    """Service units the caller may see: national readers all, members their institution's."""
    _code_or_400(filters.kind, list(UnitKind.values), "kind")
    _code_or_400(filters.service_type, list(ServiceType.values), "service_type")
    _code_or_400(filters.status, list(registry_io.UNIT_STATUSES), "status")
    _province_or_400(filters.province)
    _sort_or_400(filters.sort, registry_io.UNIT_SORTS)
    units = registry_io.filter_units(
        units_visible_to(request.auth),  # type: ignore[attr-defined]
        institution=filters.institution,
        kind=filters.kind,
        service_type=filters.service_type,
        province=filters.province,
        q=filters.q,
        status=filters.status or "active",
    )
    ordering = registry_io.sort_fields(registry_io.UNIT_SORTS, filters.sort, "institution")
    window = units.order_by(*ordering)[filters.offset : filters.offset + filters.limit]
    return {"count": units.count(), "items": [_unit_out(u) for u in window]}


@router.get(
    "/units/{unit_id}", response={200: UnitOut, 404: ErrorOut}, summary="Satu unit pelayanan"
)
def get_unit(request: HttpRequest, unit_id: int) -> UnitOut:
    """One service unit, if the caller may see it (404 otherwise, never 403)."""
    unit = units_visible_to(request.auth).filter(pk=unit_id).first()  # type: ignore[attr-defined]
    if unit is None:
        raise HttpError(404, _("Unit pelayanan tidak ditemukan."))
    return _unit_out(unit)
