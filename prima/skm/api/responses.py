"""SKM API: a survey's responses (skm.md §4, §7, §9).

- ``GET /skm/surveys/{id}/responses``: the responses of a survey the person reads, with
  filters; answers are named by element code.
- ``POST /skm/surveys/{id}/responses``: one response entered by staff (channel paper, the
  token's person as author); 422 lists every problem by field.
- ``POST /skm/surveys/{id}/responses/{response_id}/void``: take one out of the figures.

Same scoped querysets and domain functions as the pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.api_auth import token_person
from prima.skm.domain.answer_columns import answers_of
from prima.skm.domain.instruments import SkmInstrument
from prima.skm.domain.responses import (
    ResponseInput,
    ResponseRejected,
    record_response,
    response_problems,
    void_response,
)
from prima.skm.domain.versions import instrument as instrument_of
from prima.skm.enums import UNSPECIFIED_SERVICE, Channel
from prima.skm.models import Response, Survey
from prima.skm.queries import surveys_visible_to

router = Router(tags=["SKM"])


class ErrorOut(Schema):
    detail: str


class ProblemsOut(Schema):
    detail: str
    errors: dict[str, str] = Field(description="setiap masalah: nama kolom → pesan")


class ResponseOut(Schema):
    id: int
    respondent_ref: str
    answered_on: dt.date
    service_code: str
    gender: str
    age_band: str
    education: str
    occupation: str
    answers: dict[str, int | None] = Field(description="kode unsur → 1–4, null = tidak dijawab")
    suggestion: str
    channel: str
    created_at: dt.datetime
    voided: bool
    voided_at: dt.datetime | None
    void_reason: str


class ResponseList(Schema):
    count: int
    items: list[ResponseOut]


class FiltersIn(Schema):
    voided: bool = Field(False, description="true: hanya jawaban yang dibatalkan")
    channel: str = Field("", description="online, token, kiosk, paper atau import")
    service_code: str = Field("", description="kode layanan; unspecified = tidak disebutkan")
    answered_from: dt.date | None = Field(None, description="tanggal mengisi paling awal")
    answered_to: dt.date | None = Field(None, description="tanggal mengisi paling akhir")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class ResponseIn(Schema):
    respondent_ref: str = Field("", description="kosong: Prima memberi nomor")
    answered_on: str = Field(description="YYYY-MM-DD, di dalam periode survei")
    service_code: str = UNSPECIFIED_SERVICE
    gender: str = ""
    age_band: str = ""
    education: str = ""
    occupation: str = ""
    answers: dict[str, Any] = Field(description="kode unsur → 1–4 atau null (tidak dijawab)")
    suggestion: str = ""


class VoidIn(Schema):
    reason: str = Field(description="alasan pembatalan, paling sedikit 10 karakter")


def _survey(request: HttpRequest, survey_id: int) -> Survey:
    survey = surveys_visible_to(token_person(request)).filter(pk=survey_id).first()
    if survey is None:
        raise HttpError(404, _("Survei tidak ditemukan."))
    return survey


def _out(response: Response, instrument: SkmInstrument) -> dict[str, Any]:
    return {
        "id": response.pk,
        "respondent_ref": response.respondent_ref,
        "answered_on": response.answered_on,
        "service_code": response.service_code,
        "gender": response.gender,
        "age_band": response.age_band,
        "education": response.education,
        "occupation": response.occupation,
        "answers": answers_of(response, instrument),
        "suggestion": response.suggestion,
        "channel": response.channel,
        # Times are given in Asia/Jakarta (WIB), like everywhere in Prima.
        "created_at": timezone.localtime(response.created_at),
        "voided": response.voided_at is not None,
        "voided_at": timezone.localtime(response.voided_at) if response.voided_at else None,
        "void_reason": response.void_reason,
    }


def _filtered(survey: Survey, params: FiltersIn) -> QuerySet[Response]:
    queryset = Response.objects.filter(survey=survey, voided_at__isnull=not params.voided)
    if params.channel:
        queryset = queryset.filter(channel=params.channel)
    if params.service_code:
        queryset = queryset.filter(service_code=params.service_code)
    if params.answered_from:
        queryset = queryset.filter(answered_on__gte=params.answered_from)
    if params.answered_to:
        queryset = queryset.filter(answered_on__lte=params.answered_to)
    return queryset.order_by("id")


@router.get(
    "/surveys/{survey_id}/responses",
    response={200: ResponseList, 404: ErrorOut},
    summary="Jawaban survei",
)
def list_responses(
    request: HttpRequest, survey_id: int, params: Query[FiltersIn]
) -> dict[str, Any]:
    """Accepted responses (or, with ``voided=true``, the voided ones), oldest first."""
    survey = _survey(request, survey_id)
    instrument = instrument_of(survey.instrument)
    queryset = _filtered(survey, params)
    rows = queryset[params.offset : params.offset + params.limit]
    return {"count": queryset.count(), "items": [_out(row, instrument) for row in rows]}


def _input(survey: Survey, payload: ResponseIn) -> ResponseInput:
    """The payload as the domain's input; a bad date is reported with every other problem."""
    values = payload.model_dump(exclude={"answered_on"})
    try:
        day = dt.date.fromisoformat(payload.answered_on.strip())
    except ValueError:
        data = ResponseInput(answered_on=survey.period_start, **values)
        problems = {
            "answered_on": _("Tanggal %(value)s tidak sah; tulis YYYY-MM-DD.")
            % {"value": payload.answered_on},
            **response_problems(survey, instrument_of(survey.instrument), data),
        }
        raise ResponseRejected(problems) from None
    return ResponseInput(answered_on=day, **values)


def _rejected(rejected: ResponseRejected) -> tuple[int, dict[str, Any]]:
    detail = _("Jawaban ditolak: %(count)s masalah.") % {"count": len(rejected.errors)}
    return 422, {"detail": detail, "errors": rejected.errors}


@router.post(
    "/surveys/{survey_id}/responses",
    response={201: ResponseOut, 403: ErrorOut, 404: ErrorOut, 422: ProblemsOut},
    summary="Catat satu jawaban (kertas)",
)
def create_response(
    request: HttpRequest, survey_id: int, payload: ResponseIn
) -> tuple[int, dict[str, Any]]:
    """Entered by staff who run the survey: channel paper, the token's person as author."""
    person = token_person(request)
    survey = _survey(request, survey_id)
    try:
        response = record_response(
            survey, _input(survey, payload), channel=Channel.PAPER, actor=person
        )
    except ResponseRejected as rejected:
        return _rejected(rejected)
    return 201, _out(response, instrument_of(survey.instrument))


@router.post(
    "/surveys/{survey_id}/responses/{response_id}/void",
    response={200: ResponseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Batalkan satu jawaban",
)
def void(request: HttpRequest, survey_id: int, response_id: int, payload: VoidIn) -> dict[str, Any]:
    """The response stays stored with its reason, out of the figures (audited)."""
    person = token_person(request)
    survey = _survey(request, survey_id)
    response = Response.objects.filter(survey=survey, pk=response_id).first()
    if response is None:
        raise HttpError(404, _("Jawaban tidak ditemukan."))
    row = void_response(response, actor=person, reason=payload.reason)
    return _out(row, instrument_of(survey.instrument))
