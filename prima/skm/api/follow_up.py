"""SKM API: follow-up plans (rencana tindak lanjut, skm.md §8) and the RTL metrics that
PEKPPP indicators 8 and 9 read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.api_auth import token_person
from prima.core.models import ServiceUnit
from prima.skm.domain.follow_up import (
    ItemInput,
    Priority,
    add_item,
    adopt_plan,
    plan_metrics,
    priority_elements,
    rtl_metrics_for,
    set_item_status,
    start_plan,
    update_item,
)
from prima.skm.enums import RtlStatus
from prima.skm.models import FollowUpItem, FollowUpPlan, Survey
from prima.skm.queries import may_read_unit, may_run_survey, surveys_visible_to

router = Router(tags=["SKM"])


class ErrorOut(Schema):
    detail: str


class PriorityOut(Schema):
    rank: int
    code: str
    name: str
    nrr: Decimal


class ItemOut(Schema):
    id: int
    position: int
    elements: list[str]
    service_code: str
    problem: str
    action: str
    owner: str
    planned_start: dt.date
    planned_end: dt.date
    status: str
    cancel_reason: str
    realised_on: dt.date | None
    evidence_note: str
    has_evidence_file: bool
    version: int


class MetricsOut(Schema):
    survey: int | None = Field(description="survei rujukan; kosong bila tidak ada")
    rtl_realised_pct: Decimal | None = Field(
        description="butir DONE ÷ semua butir × 100, 2 desimal; hanya rencana yang ditetapkan"
    )
    rtl_completed_date: dt.date | None = Field(
        description="tanggal realisasi butir terakhir, hanya bila semua butir DONE"
    )
    rtl_report_date: dt.date | None = Field(description="tanggal publikasi hasil survei")


class PlanOut(Schema):
    survey: int
    adopted_on: dt.date | None
    decree_number: str
    note: str
    version: int
    priorities: list[PriorityOut]
    metrics: MetricsOut
    items: list[ItemOut]


class StartIn(Schema):
    draft_priorities: bool = Field(
        False, description="buat draf butir untuk setiap unsur prioritas"
    )
    note: str = ""


class ItemIn(Schema):
    elements: list[str] = Field(description="kode unsur instrumen, mis. U8")
    service_code: str = Field("", description="kode layanan; kosong = seluruh unit")
    problem: str
    action: str
    owner: str
    planned_start: dt.date
    planned_end: dt.date


class ItemPatch(Schema):
    version: int = Field(description="versi butir yang Anda baca (penguncian optimistis)")
    elements: list[str] | None = None
    service_code: str | None = None
    problem: str | None = None
    action: str | None = None
    owner: str | None = None
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    status: str | None = Field(None, description="PLANNED, IN_PROGRESS, DONE, CANCELLED")
    realised_on: dt.date | None = Field(None, description="wajib untuk DONE")
    cancel_reason: str = Field("", description="wajib untuk CANCELLED")
    evidence_note: str | None = None


class AdoptIn(Schema):
    adopted_on: dt.date
    decree_number: str


class YearQuery(Schema):
    year: int = Field(description="tahun penyelenggaraan PEKPPP", ge=2000, le=2100)


CONTENT_FIELDS = (
    "elements",
    "service_code",
    "problem",
    "action",
    "owner",
    "planned_start",
    "planned_end",
)


def _survey(request: HttpRequest, survey_id: int, *, run: bool = False) -> Survey:
    person = token_person(request)
    survey = surveys_visible_to(person).filter(pk=survey_id).first()
    if survey is None:
        raise HttpError(404, _("Survei tidak ditemukan."))
    if run and not may_run_survey(person, survey):
        raise HttpError(403, _("Anda tidak berwenang menjalankan survei unit ini."))
    return survey


def _plan(survey: Survey) -> FollowUpPlan:
    plan = FollowUpPlan.objects.filter(survey=survey).first()
    if plan is None:
        raise HttpError(404, _("Survei ini belum memiliki rencana tindak lanjut."))
    plan.survey = survey
    return plan


def _item_out(item: FollowUpItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "position": item.position,
        "elements": list(item.elements),
        "service_code": item.service_code,
        "problem": item.problem,
        "action": item.action,
        "owner": item.owner,
        "planned_start": item.planned_start,
        "planned_end": item.planned_end,
        "status": item.status,
        "cancel_reason": item.cancel_reason,
        "realised_on": item.realised_on,
        "evidence_note": item.evidence_note,
        "has_evidence_file": bool(item.evidence),
        "version": item.version,
    }


def _priority_out(priority: Priority) -> dict[str, Any]:
    return {
        "rank": priority.rank,
        "code": priority.code,
        "name": priority.name,
        "nrr": priority.nrr,
    }


def _plan_out(plan: FollowUpPlan, survey: Survey) -> dict[str, Any]:
    plan.survey = survey
    items = list(plan.items.all())
    metrics = plan_metrics(plan, items)
    return {
        "survey": survey.pk,
        "adopted_on": plan.adopted_on,
        "decree_number": plan.decree_number,
        "note": plan.note,
        "version": plan.version,
        "priorities": [_priority_out(p) for p in priority_elements(survey)],
        "metrics": {
            "survey": metrics.survey_id,
            "rtl_realised_pct": metrics.rtl_realised_pct,
            "rtl_completed_date": metrics.rtl_completed_date,
            "rtl_report_date": metrics.rtl_report_date,
        },
        "items": [_item_out(item) for item in items],
    }


@router.get(
    "/surveys/{survey_id}/follow-up",
    response={200: PlanOut, 404: ErrorOut},
    summary="Rencana tindak lanjut survei: butir, capaian, unsur prioritas",
)
def get_follow_up(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    survey = _survey(request, survey_id)
    return _plan_out(_plan(survey), survey)


@router.post(
    "/surveys/{survey_id}/follow-up",
    response={201: PlanOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Mulai rencana tindak lanjut (setelah hasil dihitung)",
)
def start_follow_up(
    request: HttpRequest, survey_id: int, payload: StartIn
) -> tuple[int, dict[str, Any]]:
    survey = _survey(request, survey_id, run=True)
    plan = start_plan(
        survey,
        actor=token_person(request),
        note=payload.note,
        draft_priorities=payload.draft_priorities,
    )
    return 201, _plan_out(plan, survey)


@router.post(
    "/surveys/{survey_id}/follow-up/items",
    response={201: ItemOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Tambah butir rencana tindak lanjut",
)
def add_follow_up_item(
    request: HttpRequest, survey_id: int, payload: ItemIn
) -> tuple[int, dict[str, Any]]:
    survey = _survey(request, survey_id, run=True)
    item = add_item(
        _plan(survey),
        actor=token_person(request),
        data=ItemInput(**payload.dict()),
    )
    return 201, _item_out(item)


@router.patch(
    "/surveys/{survey_id}/follow-up/items/{item_id}",
    response={200: ItemOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Ubah butir rencana atau statusnya (dengan versi)",
)
def patch_follow_up_item(
    request: HttpRequest, survey_id: int, item_id: int, payload: ItemPatch
) -> dict[str, Any]:
    survey = _survey(request, survey_id, run=True)
    plan = _plan(survey)
    item = FollowUpItem.objects.filter(plan=plan, pk=item_id).first()
    if item is None:
        raise HttpError(404, _("Butir rencana tidak ditemukan."))
    item.plan = plan
    person = token_person(request)
    given = payload.dict(exclude_unset=True)
    version = payload.version
    with transaction.atomic():
        if any(name in given for name in CONTENT_FIELDS):
            data = ItemInput(
                **{
                    name: given[name] if given.get(name) is not None else getattr(item, name)
                    for name in CONTENT_FIELDS
                }
            )
            item = update_item(item, actor=person, version=version, data=data)
            version = item.version
            item.plan = plan
        if "status" in given or "realised_on" in given or "evidence_note" in given:
            status = payload.status if payload.status is not None else item.status
            realised_on = payload.realised_on if "realised_on" in given else item.realised_on
            item = set_item_status(
                item,
                actor=person,
                version=version,
                status=status,
                realised_on=realised_on if status == RtlStatus.DONE else None,
                reason=payload.cancel_reason or item.cancel_reason,
                evidence_note=payload.evidence_note,
            )
    return _item_out(item)


@router.post(
    "/surveys/{survey_id}/follow-up/adopt",
    response={200: PlanOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Tetapkan rencana tindak lanjut (tanggal dan nomor keputusan)",
)
def adopt_follow_up(request: HttpRequest, survey_id: int, payload: AdoptIn) -> dict[str, Any]:
    survey = _survey(request, survey_id, run=True)
    plan = adopt_plan(
        _plan(survey),
        actor=token_person(request),
        adopted_on=payload.adopted_on,
        decree_number=payload.decree_number,
    )
    return _plan_out(plan, survey)


@router.get(
    "/units/{unit_id}/rtl-metrics",
    response={200: MetricsOut, 403: ErrorOut, 404: ErrorOut},
    summary="Capaian RTL unit untuk PEKPPP tahun tertentu (indikator 8 dan 9)",
)
def unit_rtl_metrics(request: HttpRequest, unit_id: int, query: Query[YearQuery]) -> dict[str, Any]:
    unit = ServiceUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise HttpError(404, _("Unit pelayanan tidak ditemukan."))
    if not may_read_unit(token_person(request), unit):
        raise HttpError(403, _("Anda tidak berwenang membaca data SKM unit ini."))
    metrics = rtl_metrics_for(unit, query.year)
    return {
        "survey": metrics.survey_id,
        "rtl_realised_pct": metrics.rtl_realised_pct,
        "rtl_completed_date": metrics.rtl_completed_date,
        "rtl_report_date": metrics.rtl_report_date,
    }
