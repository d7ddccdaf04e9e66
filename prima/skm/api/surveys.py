"""SKM API: surveys and their life (skm.md §4–§6), and the instrument settings.

The same scoped querysets and domain functions as the staff pages: a person reads the
surveys `surveys_visible_to` gives them (404 otherwise) and the domain refuses writes they
may not make (403); a stale ``version`` gives 409, an invalid value 422.
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
from prima.core.models import Service, ServiceUnit
from prima.skm.domain import surveys as lifecycle
from prima.skm.domain.versions import instrument, known_codes, setting_for
from prima.skm.models import Survey
from prima.skm.queries import surveys_visible_to

router = Router(tags=["SKM"])


class ErrorOut(Schema):
    detail: str


class Ref(Schema):
    id: int
    name: str


class SurveyOut(Schema):
    id: int
    public_id: str
    unit: Ref
    institution: Ref
    province_code: str
    period: str
    period_kind: str
    period_start: dt.date
    period_end: dt.date
    instrument: str
    services: list[str] = Field(description="kode layanan; kosong = semua layanan unit")
    population: int | None
    sample_target: int | None
    respondents: int
    state: str
    actions: list[str] = Field(description="tindakan status yang tersedia saat ini")
    requires_token: bool
    weight_rule: str
    result_status: str
    ikm: str | None
    ikm_converted: str | None
    grade: str
    missing_elements: list[str] = Field(description="unsur tanpa jawaban pada hasil beku")
    calculated_at: dt.datetime | None
    published_on: dt.date | None
    publication_media: list[str]
    publication_url: str
    version: int


class SurveyList(Schema):
    count: int
    items: list[SurveyOut]


class FiltersIn(Schema):
    period: str = Field("", description="kode periode (2025-Q2) atau tahun (2025)")
    state: str = Field("", description="PLANNED, COLLECTING, CLOSED, CALCULATED, PUBLISHED")
    unit: int | None = None
    institution: int | None = None
    province: str = Field("", description="kode provinsi dua digit")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class SurveyIn(Schema):
    unit: int = Field(description="ID unit pelayanan")
    period: str = Field(description="2025-Q1 … 2025-Q4, 2025-S1, 2025-S2 atau 2025")
    instrument: str | None = Field(None, description="versi instrumen; bawaan skm-2017")
    services: list[str] = Field(default_factory=list, description="kode layanan unit")
    population: int | None = Field(None, description="N periode ini; kosong = bawaan unit")
    requires_token: bool = False


class SurveyPatch(Schema):
    version: int = Field(description="versi yang Anda baca; 409 jika sudah berubah")
    population: int | None = None
    services: list[str] | None = None
    requires_token: bool | None = None


class ReasonIn(Schema):
    reason: str = Field(description="paling sedikit 10 karakter")


class PublishIn(Schema):
    published_on: dt.date
    media: list[str] = Field(description="notice_board, website, social_media, …")
    url: str = ""


class InstrumentOut(Schema):
    code: str
    title: str
    legal_basis: list[str]
    elements: list[str]
    weight_rule: str
    accepts_new_surveys: bool
    results_on_other_rule: int


class InstrumentList(Schema):
    items: list[InstrumentOut]


class InstrumentIn(Schema):
    weight_rule: str = Field(description="printed atau exact")
    accepts_new_surveys: bool


def _text(value: Any) -> str | None:
    return None if value is None else format(value, "f")


def _out(survey: Survey) -> dict[str, Any]:
    answers = (survey.result or {}).get("answers", {}) if survey.calculated_at else {}
    return {
        "id": survey.pk,
        "public_id": survey.public_id,
        "unit": {"id": survey.unit_id, "name": survey.unit.name},
        "institution": {"id": survey.institution_id, "name": survey.institution.name},
        "province_code": survey.province_code,
        "period": survey.period_code,
        "period_kind": survey.period_kind,
        "period_start": survey.period_start,
        "period_end": survey.period_end,
        "instrument": survey.instrument,
        "services": sorted(service.code for service in survey.services.all()),
        "population": survey.population,
        "sample_target": survey.sample_target,
        "respondents": survey.respondents,
        "state": survey.state,
        "actions": lifecycle.available_actions(survey),
        "requires_token": survey.requires_token,
        "weight_rule": survey.weight_rule,
        "result_status": survey.result_status,
        "ikm": _text(survey.ikm),
        "ikm_converted": _text(survey.ikm_converted),
        "grade": survey.grade,
        "missing_elements": [code for code, n in answers.items() if not n],
        "calculated_at": timezone.localtime(survey.calculated_at) if survey.calculated_at else None,
        "published_on": survey.published_on,
        "publication_media": list(survey.publication_media),
        "publication_url": survey.publication_url,
        "version": survey.version,
    }


def _visible(request: HttpRequest) -> QuerySet[Survey]:
    return surveys_visible_to(token_person(request)).prefetch_related("services")


def _fetch(request: HttpRequest, survey_id: int) -> Survey:
    survey = _visible(request).filter(pk=survey_id).first()
    if survey is None:
        raise HttpError(404, _("Survei tidak ditemukan."))
    return survey


def _fresh(survey_id: int) -> dict[str, Any]:
    survey = (
        Survey.objects.select_related("unit", "institution")
        .prefetch_related("services")
        .get(pk=survey_id)
    )
    return _out(survey)


def _services(unit_id: int, codes: list[str]) -> list[Service]:
    wanted = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    found = {s.code: s for s in Service.objects.filter(unit_id=unit_id, code__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise HttpError(
            422,
            _("Kode layanan %(codes)s tidak ada di katalog unit ini.")
            % {"codes": ", ".join(unknown)},
        )
    return [found[code] for code in wanted]


WRITE = {200: SurveyOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("/surveys", response={200: SurveyList, 403: ErrorOut}, summary="Daftar survei")
def list_surveys(request: HttpRequest, params: Query[FiltersIn]) -> dict[str, Any]:
    """Surveys in the person's scope, newest period first."""
    person = token_person(request)
    if not lifecycle.reads_surveys(person):
        raise HttpError(403, _("Anda tidak memiliki akses ke survei SKM."))
    qs = _visible(request)
    period = params.period.strip().upper()
    if period.isdigit() and len(period) == 4:
        qs = qs.filter(period_start__year=int(period))
    elif period:
        qs = qs.filter(period_code=period)
    if params.state:
        qs = qs.filter(state=params.state.upper())
    if params.unit is not None:
        qs = qs.filter(unit_id=params.unit)
    if params.institution is not None:
        qs = qs.filter(institution_id=params.institution)
    if params.province:
        qs = qs.filter(province_code=params.province)
    qs = qs.order_by("-period_start", "unit__name", "pk")
    rows = qs[params.offset : params.offset + params.limit]
    return {"count": qs.count(), "items": [_out(survey) for survey in rows]}


@router.post(
    "/surveys",
    response={201: SurveyOut, 403: ErrorOut, 422: ErrorOut},
    summary="Rencanakan survei",
)
def create_survey(request: HttpRequest, payload: SurveyIn) -> tuple[int, dict[str, Any]]:
    """A new survey in state PLANNED; 422 for an overlapping period or invalid values."""
    person = token_person(request)
    unit = ServiceUnit.objects.select_related("institution").filter(pk=payload.unit).first()
    if unit is None:
        raise HttpError(
            422, _("Unit pelayanan dengan ID %(id)s tidak ditemukan.") % {"id": payload.unit}
        )
    survey = lifecycle.create_survey(
        actor=person,
        unit=unit,
        period_code=payload.period,
        instrument=payload.instrument,
        services=_services(unit.pk, payload.services),
        population=payload.population,
        requires_token=payload.requires_token,
    )
    return 201, _fresh(survey.pk)


@router.get("/surveys/{survey_id}", response={200: SurveyOut, 404: ErrorOut}, summary="Satu survei")
def get_survey(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    return _out(_fetch(request, survey_id))


@router.patch("/surveys/{survey_id}", response=WRITE, summary="Ubah pengaturan survei")
def patch_survey(request: HttpRequest, survey_id: int, payload: SurveyPatch) -> dict[str, Any]:
    """Change N, services or the token requirement before calculation. Fields left out keep
    their value; ``population: null`` means the unit's default N."""
    survey = _fetch(request, survey_id)
    sent = payload.model_dump(exclude_unset=True)
    services = (
        _services(survey.unit_id, sent["services"])
        if sent.get("services") is not None
        else list(survey.services.all())
    )
    lifecycle.update_survey(
        survey,
        actor=token_person(request),
        version=payload.version,
        population=sent.get("population", survey.population),
        services=services,
        requires_token=(
            sent["requires_token"]
            if sent.get("requires_token") is not None
            else survey.requires_token
        ),
    )
    return _fresh(survey.pk)


@router.post("/surveys/{survey_id}/start", response=WRITE, summary="Mulai pengumpulan")
def start(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    survey = _fetch(request, survey_id)
    lifecycle.start_collecting(survey, actor=token_person(request))
    return _fresh(survey.pk)


@router.post("/surveys/{survey_id}/close", response=WRITE, summary="Tutup pengumpulan")
def close(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    survey = _fetch(request, survey_id)
    lifecycle.close_survey(survey, actor=token_person(request))
    return _fresh(survey.pk)


@router.post("/surveys/{survey_id}/reopen", response=WRITE, summary="Buka kembali pengumpulan")
def reopen(request: HttpRequest, survey_id: int, payload: ReasonIn) -> dict[str, Any]:
    survey = _fetch(request, survey_id)
    lifecycle.reopen_survey(survey, actor=token_person(request), reason=payload.reason)
    return _fresh(survey.pk)


@router.post("/surveys/{survey_id}/calculate", response=WRITE, summary="Hitung dan bekukan hasil")
def calculate(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    survey = _fetch(request, survey_id)
    lifecycle.calculate_survey(survey, actor=token_person(request))
    return _fresh(survey.pk)


@router.post("/surveys/{survey_id}/publish", response=WRITE, summary="Catat publikasi hasil")
def publish(request: HttpRequest, survey_id: int, payload: PublishIn) -> dict[str, Any]:
    survey = _fetch(request, survey_id)
    lifecycle.publish_survey(
        survey,
        actor=token_person(request),
        published_on=payload.published_on,
        media=payload.media,
        url=payload.url,
    )
    return _fresh(survey.pk)


@router.post(
    "/surveys/{survey_id}/recalculate",
    response=WRITE,
    summary="Hitung ulang dengan aturan bobot yang berlaku",
)
def recalculate(request: HttpRequest, survey_id: int, payload: ReasonIn) -> dict[str, Any]:
    survey = _fetch(request, survey_id)
    lifecycle.recalculate_survey(survey, actor=token_person(request), reason=payload.reason)
    return _fresh(survey.pk)


def _instrument_out(code: str) -> dict[str, Any]:
    setting = setting_for(code)
    version = instrument(code)
    return {
        "code": code,
        "title": version.title,
        "legal_basis": list(version.legal_basis),
        "elements": list(version.element_codes),
        "weight_rule": setting.weight_rule,
        "accepts_new_surveys": setting.accepts_new_surveys,
        "results_on_other_rule": lifecycle.results_on_other_rule(code, setting.weight_rule).count(),
    }


@router.get(
    "/instruments",
    response={200: InstrumentList, 403: ErrorOut},
    summary="Versi instrumen dan pengaturannya",
)
def list_instruments(request: HttpRequest) -> dict[str, Any]:
    if not lifecycle.reads_surveys(token_person(request)):
        raise HttpError(403, _("Anda tidak memiliki akses ke survei SKM."))
    return {"items": [_instrument_out(code) for code in known_codes()]}


@router.put(
    "/instruments/{code}",
    response={200: InstrumentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Ubah aturan bobot instrumen (sekretariat)",
)
def put_instrument(request: HttpRequest, code: str, payload: InstrumentIn) -> dict[str, Any]:
    """Calculated results keep their rule; recalculate each explicitly if needed."""
    if code not in known_codes():
        raise HttpError(404, _("Instrumen tidak ditemukan."))
    lifecycle.set_weight_rule(
        code,
        actor=token_person(request),
        rule=payload.weight_rule,
        accepts_new_surveys=payload.accepts_new_surveys,
    )
    return _instrument_out(code)
