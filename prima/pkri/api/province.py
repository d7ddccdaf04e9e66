"""PKRI API: the provincial coordinator's progress view (pkri.md §2), read-only.

`GET /api/v1/pkri/editions/{code}/province-progress?province=35` answers what the page
`/pkri/{kode}/provinsi/` shows: the loci of the province with their object forms per
state and their coaching form's state, and the totals. A coordinator (``viewer`` at a
province government) reads only its provinces, once the scope is frozen; national readers
read any province. No form contents, no scores.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.api import ErrorOut
from prima.core.api_auth import token_person
from prima.pkri.domain.progress import totals
from prima.pkri.interfaces.province_progress import as_api, progress_rows, provinces
from prima.pkri.queries import (
    loci_in_province_for,
    pkri_editions,
    progress_provinces,
    province_progress_editions,
)

router = Router(tags=["PKRI"])

READ_ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ProgressParams(Schema):
    province: str = Field(
        "",
        max_length=2,
        description="kode provinsi (mis. 35); bawaan bagi koordinator: provinsinya",
    )


class ProvinceOut(Schema):
    code: str
    name: str


class ProgressInstitution(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    region: str


class LocusProgressOut(Schema):
    locus: int
    institution: ProgressInstitution
    objects: int
    forms: dict[str, int] = Field(
        description="formulir objek per status: announced, draft, at_institution, returned, "
        "submitted, missing"
    )
    coaching: str | None = Field(description="status formulir pembinaan; null bila tidak ikut")


class ProgressTotalsOut(Schema):
    loci: int
    objects: int
    forms: dict[str, int]
    coaching: dict[str, int]


class ProvinceProgressOut(Schema):
    edition: str
    state: str
    province: ProvinceOut
    loci: list[LocusProgressOut]
    totals: ProgressTotalsOut


@router.get(
    "/editions/{code}/province-progress",
    response={200: ProvinceProgressOut, **READ_ERRORS},
    summary="Kemajuan formulir lokus satu provinsi (koordinator provinsi, pembaca nasional)",
)
def get_province_progress(
    request: HttpRequest, code: str, params: Query[ProgressParams]
) -> dict[str, Any]:
    person = token_person(request)
    allowed = progress_provinces(person)
    if allowed is not None and not allowed:
        raise HttpError(403, _("Anda bukan koordinator provinsi maupun pembaca nasional."))
    edition = province_progress_editions(person).filter(code=code).first()
    if edition is None:
        if not pkri_editions().filter(code=code).exists():
            raise HttpError(404, _("Penyelenggaraan tidak ditemukan."))
        raise HttpError(403, _("Kemajuan penyelenggaraan ini belum dapat Anda lihat."))
    asked = params.province.strip() or (min(allowed) if allowed else "")
    if not asked:
        raise HttpError(422, _("Sebutkan kode provinsi (province), mis. 35."))
    if allowed is not None and asked not in allowed:
        raise HttpError(403, _("Anda bukan koordinator provinsi %(code)s.") % {"code": asked})
    region = next(iter(provinces({asked})), None)
    if region is None:
        raise HttpError(404, _("Provinsi %(code)s tidak dikenal.") % {"code": asked})
    rows = progress_rows(loci_in_province_for(person, edition, asked))
    total = totals(rows)
    return {
        "edition": edition.code,
        "state": edition.state,
        "province": {"code": region.province_code, "name": region.name},
        "loci": as_api(rows),
        "totals": {
            "loci": total.loci,
            "objects": total.objects,
            "forms": dict(total.forms),
            "coaching": dict(total.coaching),
        },
    }
