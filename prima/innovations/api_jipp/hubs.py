"""JIPP API: replication-network hubs (Simpul JIPP, pkri.md §9), under /api/v1/jipp.

Reading hubs is open to everyone (no token); creating, changing, deleting hubs and setting
their members is the secretariat's. Figures are those of the public pages
(`prima.innovations.queries_hubs`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.api import ErrorOut, Page
from prima.core.api_auth import token_person
from prima.core.models import Institution, Person, Region
from prima.innovations.api_jipp.common import all_of
from prima.innovations.domain import hubs as domain
from prima.innovations.models import JippHub
from prima.innovations.queries_hubs import hub_with_members, hubs_with_figures, member_rows

router = Router(tags=["jipp"])

READ_ERRORS = {404: ErrorOut}
WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ProvinceOut(Schema):
    code: str
    name: str


class HubOut(Schema):
    id: int
    province: ProvinceOut
    decree_ref: str
    year: int
    universities: list[str]
    members: int = Field(description="jumlah instansi anggota")
    published_innovations: int = Field(description="inovasi terpublikasi milik anggota")
    counted_replications: int = Field(
        description=(
            "tautan replikasi dikonfirmasi/diverifikasi dengan replika milik anggota "
            "(kedua inovasi terpublikasi)"
        )
    )


class HubList(Schema):
    count: int
    items: list[HubOut]


class InnovationRef(Schema):
    id: int
    name: str
    unit: str


class MemberOut(Schema):
    id: int
    name: str
    kind: str
    region_code: str | None
    published_innovations: list[InnovationRef]


class HubDetailOut(HubOut):
    member_list: list[MemberOut]


class HubIn(Schema):
    province: str = Field(description="kode Kemendagri provinsi, mis. 35 untuk Jawa Timur")
    decree_ref: str
    year: int
    universities: list[str] = []


class HubPatch(Schema):
    province: str | None = None
    decree_ref: str | None = None
    year: int | None = None
    universities: list[str] | None = None


class MembersIn(Schema):
    institutions: list[int] = Field(description="nomor id instansi anggota (seluruhnya)")


# --------------------------------------------------------------------------- helpers


def _manager(request: HttpRequest) -> Person:
    person = token_person(request)
    domain.require_hub_manager(person)
    return person


def _province(code: str) -> Region:
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        raise HttpError(
            422, _("Wilayah dengan kode %(code)s tidak ada di registri.") % {"code": code}
        )
    return region


def _hub(hub_id: int) -> JippHub:
    hub = JippHub.objects.select_related("province").filter(pk=hub_id).first()
    if hub is None:
        raise HttpError(404, _("Simpul JIPP tidak ditemukan."))
    return hub


def _out(hub: JippHub) -> dict[str, Any]:
    return {
        "id": hub.pk,
        "province": {"code": hub.province.code, "name": hub.province.name},
        "decree_ref": hub.decree_ref,
        "year": hub.year,
        "universities": list(hub.universities),
        "members": hub.n_members,  # type: ignore[attr-defined]
        "published_innovations": hub.n_published,  # type: ignore[attr-defined]
        "counted_replications": hub.n_links,  # type: ignore[attr-defined]
    }


def _detail(hub_id: int) -> dict[str, Any]:
    hub = hub_with_members().filter(pk=hub_id).first()
    if hub is None:
        raise HttpError(404, _("Simpul JIPP tidak ditemukan."))
    return {
        **_out(hub),
        "member_list": [
            {
                "id": row.institution.pk,
                "name": row.institution.name,
                "kind": row.institution.kind,
                "region_code": row.institution.region.code if row.institution.region else None,
                "published_innovations": [
                    {"id": i.pk, "name": i.name, "unit": i.unit.name} for i in row.innovations
                ],
            }
            for row in member_rows(hub)
        ],
    }


# --------------------------------------------------------------------------- reads


@router.get("/hubs", response=HubList, auth=None, summary="Daftar simpul JIPP")
def list_hubs(request: HttpRequest, params: Query[Page]) -> dict[str, Any]:
    """Every hub with its figures, by year then province code."""
    hubs = hubs_with_figures()
    return {
        "count": hubs.count(),
        "items": [_out(hub) for hub in hubs[params.offset : params.offset + params.limit]],
    }


@router.get(
    "/hubs/{hub_id}",
    response={200: HubDetailOut, **READ_ERRORS},
    auth=None,
    summary="Satu simpul JIPP",
)
def get_hub(request: HttpRequest, hub_id: int) -> dict[str, Any]:
    """The hub, its members and each member's published innovations."""
    return _detail(hub_id)


# --------------------------------------------------------------------------- writes


@router.post("/hubs", response={201: HubDetailOut, **WRITE_ERRORS}, summary="Tetapkan simpul JIPP")
def create_hub(request: HttpRequest, payload: HubIn) -> tuple[int, dict[str, Any]]:
    person = _manager(request)
    hub = domain.create_hub(
        _province(payload.province),
        payload.decree_ref,
        payload.year,
        payload.universities,
        actor=person,
    )
    return 201, _detail(hub.pk)


@router.patch("/hubs/{hub_id}", response={200: HubDetailOut, **WRITE_ERRORS}, summary="Ubah simpul")
def update_hub(request: HttpRequest, hub_id: int, payload: HubPatch) -> dict[str, Any]:
    """Change only the fields sent (null or absent: unchanged)."""
    person = _manager(request)
    hub = _hub(hub_id)
    changes: dict[str, Any] = {
        name: value
        for name, value in payload.model_dump(exclude_unset=True).items()
        if value is not None
    }
    if "province" in changes:
        changes["province"] = _province(changes["province"])
    domain.update_hub(hub, **changes, actor=person)
    return _detail(hub.pk)


@router.delete("/hubs/{hub_id}", response={204: None, **WRITE_ERRORS}, summary="Hapus simpul")
def delete_hub(request: HttpRequest, hub_id: int) -> tuple[int, None]:
    """The hub and its member list go (institutions stay); the audit entry keeps both."""
    person = _manager(request)
    domain.delete_hub(_hub(hub_id), actor=person)
    return 204, None


@router.put(
    "/hubs/{hub_id}/members",
    response={200: HubDetailOut, **WRITE_ERRORS},
    summary="Tetapkan anggota simpul",
)
def set_members(request: HttpRequest, hub_id: int, payload: MembersIn) -> dict[str, Any]:
    """Replace the member list with `institutions` (an empty list removes every member)."""
    person = _manager(request)
    hub = _hub(hub_id)
    institutions = all_of(
        Institution.objects.all(),
        payload.institutions,
        _("Instansi dengan nomor id %(ids)s tidak ada di registri."),
    )
    domain.set_hub_members(hub, institutions, actor=person)
    return _detail(hub.pk)
