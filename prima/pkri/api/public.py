"""PKRI API: public statistics and results of an edition (pkri.md §8, open data).

Both operations answer everyone once the edition is published (results once it is in a
results state), national readers at any time; before that the edition does not exist
for the caller (404).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.api_auth import person_from_request
from prima.pkri.domain.results import (
    edition_of_year,
    group_results,
    may_read_results,
)
from prima.pkri.domain.statistics import edition_statistics
from prima.pkri.enums import Group

router = Router(tags=["PKRI"])


class ErrorOut(Schema):
    detail: str


class CountsByKind(Schema):
    total: int
    by_kind: dict[str, int]


class CountsByGroup(Schema):
    total: int
    by_group: dict[str, int]


class EditionStatisticsOut(Schema):
    year: int
    loci: CountsByKind
    objects: CountsByGroup
    interviewed: dict[str, int]
    coaching_assessed: int
    awards: CountsByGroup
    sentences: dict[str, str] = Field(
        description="T3 dan T4 (pkri.md §8); kosong sebelum hasil ditetapkan"
    )


class InstitutionOut(Schema):
    id: int
    name: str
    kind: str
    region_code: str | None


class InnovationOut(Schema):
    id: int
    name: str


class ResultItemOut(Schema):
    rank_in_kind: int | None
    institution: InstitutionOut
    innovation: InnovationOut | None = None
    score: str | None
    award: str | None


class ResultList(Schema):
    count: int
    items: list[ResultItemOut]


class ResultFilters(Schema):
    group: str = Field(..., description="pembinaan, keberlanjutan, atau replikasi")
    kind: str = Field("", description="jenis instansi, mis. city")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


def _edition(request: HttpRequest, year: int) -> Any:
    edition = edition_of_year(year, person_from_request(request))
    if edition is None:
        raise HttpError(404, _("PKRI tahun ini belum diumumkan."))
    return edition


@router.get(
    "/editions/{int:year}",
    response={200: EditionStatisticsOut, 404: ErrorOut},
    auth=None,
    summary="Statistik publik PKRI satu tahun",
)
def edition_statistics_read(request: HttpRequest, year: int) -> dict[str, Any]:
    """Loci by kind, objects by group, interviewees, coaching participants, awards and
    the sentences T3/T4 of the edition."""
    return edition_statistics(_edition(request, year))


@router.get(
    "/editions/{int:year}/results",
    response={200: ResultList, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="Hasil PKRI per kelompok",
)
def edition_results_read(
    request: HttpRequest, year: int, params: Query[ResultFilters]
) -> dict[str, Any]:
    """Participants of one group with their award; score and rank only when the
    edition publishes them (otherwise null, in alphabetical order)."""
    person = person_from_request(request)
    edition = _edition(request, year)
    if not may_read_results(person, edition):
        raise HttpError(404, _("Hasil PKRI tahun ini belum diumumkan."))
    if params.group not in Group.values:
        raise HttpError(422, _("Kelompok harus salah satu dari: %s.") % ", ".join(Group.values))
    rows = group_results(edition, params.group, kind=params.kind)
    page = rows[params.offset : params.offset + params.limit]
    return {"count": len(rows), "items": [row.as_item() for row in page]}
