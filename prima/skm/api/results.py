"""SKM API: results (skm.md §10).

- ``GET /skm/surveys/{id}/result``: one survey's result in the §10 layout — frozen once
  calculated, live ("provisional") before, for staff who may read the survey; published
  results for everyone.
- ``GET /skm/results``: published results (staff also see the calculated ones in their
  scope), with filters.
- ``GET /skm/results/summary``: pooled institution or province figures for a period.

All three answer without a token too (public data); a token widens what is visible.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.api_auth import person_from_request
from prima.core.domain.errors import DomainError
from prima.skm.domain.aggregates import (
    GROUPS,
    province_names,
    summary,
    survey_figures,
    within_period,
)
from prima.skm.domain.results import unit_reference
from prima.skm.domain.versions import instrument
from prima.skm.enums import SurveyState
from prima.skm.models import Survey
from prima.skm.queries import published_surveys, surveys_visible_to

router = Router(tags=["SKM"])


class ErrorOut(Schema):
    detail: str


class AlternativeOut(Schema):
    weight_rule: str
    ikm: str
    ikm_converted: str
    grade: str


class ResultDocumentOut(Schema):
    unit: str | None
    survey: int | None
    instrument: str
    period: str | None
    status: str
    respondents: int
    answers: dict[str, int]
    nrr: dict[str, str | None]
    ikm: str | None
    ikm_converted: str | None
    grade: str | None
    performance: str | None
    weight_rule: str
    alternative: AlternativeOut | None
    sample_target: int | None
    sample_adequate: bool | None
    warnings: list[str]
    state: str = Field(description="status survei: COLLECTING, CLOSED, CALCULATED, PUBLISHED")
    provisional: bool = Field(description="true bila angka sementara (survei belum dihitung)")


def _anyone(request: HttpRequest) -> Any:
    person = person_from_request(request)
    return person if person is not None and person.is_authenticated else None


def _readable(person: Any) -> QuerySet[Survey]:
    """Published surveys, and for staff every survey they may read."""
    if person is None:
        return published_surveys()
    visible = surveys_visible_to(person).values("pk")
    return Survey.objects.filter(Q(state=SurveyState.PUBLISHED) | Q(pk__in=visible)).select_related(
        "unit", "institution"
    )


@router.get(
    "/surveys/{int:survey_id}/result",
    response={200: ResultDocumentOut, 404: ErrorOut},
    auth=None,
    summary="Hasil satu survei (susunan skm.md §10)",
)
def survey_result_read(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    """The frozen result of a calculated survey, or live figures while collecting."""
    survey = _readable(_anyone(request)).filter(pk=survey_id).first()
    if survey is None:
        raise HttpError(404, _("Survei tidak ditemukan."))
    figures = survey_figures(survey)
    return {**figures.document, "state": survey.state, "provisional": figures.provisional}


class UnitOut(Schema):
    id: int
    code: str
    name: str


class NamedOut(Schema):
    id: int
    name: str


class ProvinceOut(Schema):
    code: str
    name: str


class ResultItemOut(Schema):
    survey: int
    public_id: str | None
    unit: UnitOut
    institution: NamedOut
    province: ProvinceOut
    instrument: str
    period: str
    state: str
    respondents: int
    ikm: str | None
    ikm_converted: str | None
    grade: str | None
    performance: str | None
    weight_rule: str | None
    published_on: str | None


class ResultList(Schema):
    count: int
    items: list[ResultItemOut]


class ResultFilters(Schema):
    unit: int | None = Field(None, description="id unit pelayanan")
    institution: int | None = Field(None, description="id instansi")
    province: str = Field("", description="kode provinsi Kemendagri, mis. 35")
    period: str = Field("", description="periode: 2025, 2025-S1 atau 2025-Q2 (memuat subperiode)")
    instrument: str = Field("", description="versi instrumen, mis. skm-2017")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


def _period(surveys: QuerySet[Survey], period: str) -> QuerySet[Survey]:
    if not period:
        return surveys
    try:
        return within_period(surveys, period)
    except DomainError as problem:
        raise HttpError(422, problem.message) from problem


def _text(value: Any) -> str | None:
    return None if value is None else format(value, "f")


@router.get(
    "/results",
    response={200: ResultList, 422: ErrorOut},
    auth=None,
    summary="Daftar hasil SKM",
)
def results_list(request: HttpRequest, params: Query[ResultFilters]) -> dict[str, Any]:
    """Published results for everyone; staff also see the calculated (not yet published)
    results of the surveys they may read. Newest period first."""
    person = _anyone(request)
    surveys = _readable(person).filter(state__in=(SurveyState.CALCULATED, SurveyState.PUBLISHED))
    if params.unit is not None:
        surveys = surveys.filter(unit_id=params.unit)
    if params.institution is not None:
        surveys = surveys.filter(institution_id=params.institution)
    if params.province:
        surveys = surveys.filter(province_code=params.province)
    if params.instrument:
        surveys = surveys.filter(instrument=params.instrument)
    surveys = _period(surveys, params.period)
    count = surveys.count()
    page = list(
        surveys.order_by("-period_start", "unit_id", "pk")[
            params.offset : params.offset + params.limit
        ]
    )
    provinces = province_names(s.province_code for s in page)
    items = []
    for survey in page:
        performance = None
        if survey.ikm_converted is not None:
            performance = instrument(survey.instrument).band_for(survey.ikm_converted).performance
        items.append(
            {
                "survey": survey.pk,
                "public_id": survey.public_id if survey.state == SurveyState.PUBLISHED else None,
                "unit": {
                    "id": survey.unit_id,
                    "code": unit_reference(survey.unit_id),
                    "name": survey.unit.name,
                },
                "institution": {"id": survey.institution_id, "name": survey.institution.name},
                "province": {
                    "code": survey.province_code,
                    "name": provinces.get(survey.province_code, ""),
                },
                "instrument": survey.instrument,
                "period": survey.period_code,
                "state": survey.state,
                "respondents": survey.respondents,
                "ikm": _text(survey.ikm),
                "ikm_converted": _text(survey.ikm_converted),
                "grade": survey.grade or None,
                "performance": performance,
                "weight_rule": survey.weight_rule or None,
                "published_on": survey.published_on.isoformat() if survey.published_on else None,
            }
        )
    return {"count": count, "items": items}


class SummaryFilters(Schema):
    period: str = Field(..., description="periode: 2025, 2025-S1 atau 2025-Q2")
    group: str = Field("institution", description="institution atau province")
    instrument: str = Field("", description="versi instrumen, mis. skm-2017")


class GroupOut(Schema):
    rank: int
    code: str
    name: str
    surveys: int
    units: int
    respondents: int
    ikm: str | None
    ikm_converted: str | None
    grade: str | None
    performance: str | None
    status: str


class InstrumentSummaryOut(Schema):
    instrument: str
    weight_rule: str
    groups: list[GroupOut]


class SummaryOut(Schema):
    period: str
    group: str
    instruments: list[InstrumentSummaryOut]


@router.get(
    "/results/summary",
    response={200: SummaryOut, 422: ErrorOut},
    auth=None,
    summary="Rekap hasil SKM per instansi atau provinsi",
)
def results_summary(request: HttpRequest, params: Query[SummaryFilters]) -> dict[str, Any]:
    """Pooled figures: the responses of every survey in the group and period added up
    (never an average of IKMs), one list per instrument version (never ranked together).
    Everyone gets published surveys; staff also the calculated ones they may read."""
    if params.group not in GROUPS:
        raise HttpError(422, _("Kelompok harus institution atau province."))
    person = _anyone(request)
    surveys = Survey.objects.filter(state=SurveyState.PUBLISHED)
    if person is not None:
        visible = surveys_visible_to(person).filter(state=SurveyState.CALCULATED).values("pk")
        surveys = Survey.objects.filter(Q(state=SurveyState.PUBLISHED) | Q(pk__in=visible))
    if params.instrument:
        surveys = surveys.filter(instrument=params.instrument)
    tables = summary(_period(surveys, params.period), group=params.group)
    return {
        "period": params.period,
        "group": params.group,
        "instruments": [
            {
                "instrument": table.instrument,
                "weight_rule": str(table.weight_rule),
                "groups": [
                    {
                        "rank": position,
                        "code": row.code,
                        "name": row.name,
                        "surveys": row.surveys,
                        "units": row.units,
                        "respondents": row.respondents,
                        "ikm": _text(row.result.result.ikm) if row.result.result else None,
                        "ikm_converted": _text(row.result.result.ikm_converted)
                        if row.result.result
                        else None,
                        "grade": row.result.result.grade if row.result.result else None,
                        "performance": row.result.result.performance if row.result.result else None,
                        "status": str(row.result.status),
                    }
                    for position, row in enumerate(table.rows, start=1)
                ],
            }
            for table in tables
        ],
    }
