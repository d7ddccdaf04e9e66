"""KIPP API: the secretariat's evaluation desk (kipp.md §10, §11, §13).

Assignment runs (list, create, deploy), stage results and selections (list, propose,
adopt). Reads are for the secretariat and national readers who assess nothing in the
edition; every write is the secretariat's and goes through the same domain functions as
the pages (refusals become 403/422 through the global handlers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.api_auth import token_person
from prima.core.api_jobs import JobStarted, job_started
from prima.evaluation.domain.results import SubjectResult, stage_results
from prima.evaluation.domain.selections import adopt_selection
from prima.evaluation.enums import StageStatus
from prima.evaluation.models import Appointment, AssignmentRun, Edition, SelectionRun, Stage
from prima.kipp.domain.decisions import (
    REVIEW_STAGES,
    deploy_assignments,
    may_act,
    may_read_evaluation,
    propose_finalists,
    propose_nomination,
    propose_winners,
)
from prima.kipp.jobs import start_assignment_run

router = Router(tags=["KIPP"])

# An assignment run or a selection run: both hang off a stage and are listed newest first.
_Run = TypeVar("_Run", AssignmentRun, SelectionRun)


class ErrorOut(Schema):
    detail: str


class RunOut(Schema):
    id: int
    stage: str
    label: str
    status: str
    objective: float | None
    subject_count: int
    assessor_count: int
    duration_ms: int
    diagnosis: list[str]
    parameters: dict[str, Any]
    created_at: dt.datetime
    deployed_at: dt.datetime | None


class RunList(Schema):
    count: int
    items: list[RunOut]


class RunIn(Schema):
    label: str = Field(max_length=120)
    demand: int | None = Field(None, ge=1, description="penilai per proposal (k)")
    max_load: int | None = Field(None, ge=0, description="kosong = otomatis ⌈1,2·k·P/E⌉")


class DeployOut(Schema):
    run: int
    created: int
    removed: int
    unchanged: int
    kept_scored: list[list[int]]
    entered_review: int
    notified: int


class ReviewerTotal(Schema):
    appointment: int
    name: str
    total: Decimal
    normalised: Decimal | None


class ResultOut(Schema):
    subject: int
    title: str
    group: str
    category: str
    totals: list[ReviewerTotal]
    official: Decimal | None
    spread: Decimal | None
    disagreement: bool
    normalised: Decimal | None
    consolidated: Decimal | None
    decision_score: Decimal | None
    assigned: int
    finalised: int
    excused: int
    pending: list[str]


class ResultList(Schema):
    count: int
    items: list[ResultOut]


class ResultFilters(Schema):
    group: str = ""
    disagreement: bool | None = None
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class SelectionOut(Schema):
    id: int
    stage: str
    tier: str
    kind: str
    proposed: int | None
    n: int | None
    selected: list[dict[str, Any]]
    ranking: list[dict[str, Any]]
    violations: list[Any]
    minutes_ref: str
    created_at: dt.datetime


class SelectionList(Schema):
    count: int
    items: list[SelectionOut]


class ProposeIn(Schema):
    decision: Literal["nomination", "finalists", "winners"]
    tier: str = Field("", description="tier finalis atau pemenang (tidak untuk nominasi)")


class OverrideIn(Schema):
    removed: int | None = Field(None, description="nomor subjek yang dikeluarkan")
    added: int | None = Field(None, description="nomor subjek yang dimasukkan")
    justification: str = Field(description="minimal 20 karakter")


class AdoptIn(Schema):
    minutes_ref: str
    overrides: list[OverrideIn] = Field(default_factory=list)
    acknowledge_violations: bool = False


# --------------------------------------------------------------------------- helpers


def _edition(request: HttpRequest, code: str, *, write: bool = False) -> Edition:
    edition = (
        Edition.objects.filter(programme="kipp", code=code).select_related("instrument").first()
    )
    if edition is None:
        raise HttpError(404, _("Penyelenggaraan tidak ditemukan."))
    _check(request, edition, write=write)
    return edition


def _check(request: HttpRequest, edition: Edition, *, write: bool) -> None:
    person = token_person(request)
    if not may_read_evaluation(person, edition):
        raise HttpError(403, _("Anda tidak berwenang melihat penilaian penyelenggaraan ini."))
    if write and not may_act(person):
        raise HttpError(403, _("Hanya Sekretariat yang dapat melakukan ini."))


def _stage(edition: Edition, code: str) -> Stage:
    stage = (
        Stage.objects.filter(edition=edition, code=code, code__in=REVIEW_STAGES)
        .exclude(status=StageStatus.SKIPPED)
        .select_related("edition__instrument")
        .first()
    )
    if stage is None:
        raise HttpError(404, _("Tahap penilaian tidak ditemukan."))
    return stage


def _writable_run(request: HttpRequest, model: type[_Run], run_id: int, missing: str) -> _Run:
    """A KIPP run (assignment or selection) the caller may act on; 404 says ``missing``."""
    run = (
        model.objects.select_related("stage__edition")
        .filter(pk=run_id, stage__edition__programme="kipp")
        .first()
    )
    if run is None:
        raise HttpError(404, missing)
    _check(request, run.stage.edition, write=True)
    return run


def _newest_first(qs: QuerySet[_Run], out: Callable[[_Run], dict[str, Any]]) -> dict[str, Any]:
    """A ``{"count", "items"}`` list of runs, the newest first."""
    return {"count": qs.count(), "items": [out(run) for run in qs.order_by("-created_at", "-pk")]}


def _run_out(run: AssignmentRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "stage": run.stage.code,
        "label": run.label,
        "status": run.status,
        "objective": run.objective,
        "subject_count": run.subject_count,
        "assessor_count": run.assessor_count,
        "duration_ms": run.duration_ms,
        "diagnosis": list(run.diagnosis or []),
        "parameters": dict(run.parameters or {}),
        "created_at": run.created_at,
        "deployed_at": run.deployed_at,
    }


def _result_out(result: SubjectResult, names: dict[int, str]) -> dict[str, Any]:
    return {
        "subject": result.subject_id,
        "title": result.title,
        "group": result.group,
        "category": result.category,
        "totals": [
            {
                "appointment": appointment_id,
                "name": names.get(appointment_id, ""),
                "total": total,
                "normalised": (
                    result.normalised[appointment_id].value
                    if appointment_id in result.normalised
                    else None
                ),
            }
            for appointment_id, total in result.totals.items()
        ],
        "official": result.official,
        "spread": result.spread,
        "disagreement": result.disagreement,
        "normalised": result.normalised_score,
        "consolidated": result.consolidated,
        "decision_score": result.decision_score,
        "assigned": result.assigned,
        "finalised": result.finalised,
        "excused": result.excused,
        "pending": [reviewer.name for reviewer in result.pending],
    }


def _selection_out(run: SelectionRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "stage": run.stage.code,
        "tier": run.tier,
        "kind": run.kind,
        "proposed": run.proposed_id,
        "n": run.n,
        "selected": list(run.result.get("selected", [])),
        "ranking": list(run.ranking),
        "violations": list(run.violations or []),
        "minutes_ref": run.minutes_ref,
        "created_at": run.created_at,
    }


# --------------------------------------------------------------------------- runs


@router.get(
    "/editions/{code}/evaluation/{stage}/runs",
    response={200: RunList, 403: ErrorOut, 404: ErrorOut},
    summary="Daftar proses penugasan satu tahap",
)
def list_runs(request: HttpRequest, code: str, stage: str) -> dict[str, Any]:
    chosen = _stage(_edition(request, code), stage)
    qs = AssignmentRun.objects.filter(stage=chosen).defer("pairs").select_related("stage")
    return _newest_first(qs, _run_out)


@router.post(
    "/editions/{code}/evaluation/{stage}/runs",
    response={202: JobStarted, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Jalankan penugasan sebagai pekerjaan latar (tersimpan optimal atau tidak layak)",
)
def create_run(request: HttpRequest, code: str, stage: str, payload: RunIn) -> tuple[int, Any]:
    """Queue a solver run; the job's result names the stored run (`run`, `status`)."""
    chosen = _stage(_edition(request, code, write=True), stage)
    parameters: dict[str, Any] = {}
    if payload.demand is not None:
        parameters["demand"] = payload.demand
    if payload.max_load is not None:
        parameters["max_load"] = payload.max_load
    job = start_assignment_run(
        chosen, actor=token_person(request), label=payload.label, parameters=parameters
    )
    return 202, job_started(job)


@router.post(
    "/evaluation/runs/{run_id}/deploy",
    response={200: DeployOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Terapkan proses penugasan (penilai diberi tahu lewat surel)",
)
def deploy(request: HttpRequest, run_id: int) -> dict[str, Any]:
    run = _writable_run(request, AssignmentRun, run_id, _("Proses penugasan tidak ditemukan."))
    outcome = deploy_assignments(run, actor=token_person(request))
    return {
        "run": run.pk,
        "created": outcome.report.created,
        "removed": outcome.report.removed,
        "unchanged": outcome.report.unchanged,
        "kept_scored": [list(pair) for pair in outcome.report.kept_scored],
        "entered_review": outcome.review.moved if outcome.review else 0,
        "notified": outcome.notified,
    }


# --------------------------------------------------------------------------- results


@router.get(
    "/editions/{code}/evaluation/{stage}/results",
    response={200: ResultList, 403: ErrorOut, 404: ErrorOut},
    summary="Hasil per proposal pada satu tahap (T_e, nilai resmi, rentang, konsolidasi)",
)
def list_results(
    request: HttpRequest, code: str, stage: str, filters: Query[ResultFilters]
) -> dict[str, Any]:
    edition = _edition(request, code)
    chosen = _stage(edition, stage)
    results = stage_results(chosen)
    if filters.group:
        results = [r for r in results if r.group == filters.group]
    if filters.disagreement is not None:
        results = [r for r in results if r.disagreement == filters.disagreement]
    names = {
        pk: full or user
        for pk, full, user in Appointment.objects.filter(edition=edition).values_list(
            "pk", "person__full_name", "person__username"
        )
    }
    page = results[filters.offset : filters.offset + filters.limit]
    return {"count": len(results), "items": [_result_out(r, names) for r in page]}


# --------------------------------------------------------------------------- selections


@router.get(
    "/editions/{code}/evaluation/selections",
    response={200: SelectionList, 403: ErrorOut, 404: ErrorOut},
    summary="Daftar seleksi (usulan sistem dan penetapan pleno)",
)
def list_selections(request: HttpRequest, code: str) -> dict[str, Any]:
    edition = _edition(request, code)
    qs = SelectionRun.objects.filter(stage__edition=edition).select_related("stage")
    return _newest_first(qs, _selection_out)


@router.post(
    "/editions/{code}/evaluation/selections",
    response={201: SelectionList, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Buat usulan seleksi: nominasi, finalis atau pemenang satu tier",
)
def propose(request: HttpRequest, code: str, payload: ProposeIn) -> tuple[int, Any]:
    edition = _edition(request, code, write=True)
    person = token_person(request)
    if payload.decision == "nomination":
        runs = propose_nomination(edition, actor=person)
    elif payload.decision == "finalists":
        runs = [propose_finalists(edition, payload.tier, actor=person)]
    else:
        runs = [propose_winners(edition, payload.tier, actor=person)]
    return 201, {"count": len(runs), "items": [_selection_out(run) for run in runs]}


@router.post(
    "/evaluation/selections/{run_id}/adopt",
    response={201: SelectionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Tetapkan daftar pleno dari usulan sistem (dengan perubahan beralasan)",
)
def adopt(request: HttpRequest, run_id: int, payload: AdoptIn) -> tuple[int, Any]:
    run = _writable_run(request, SelectionRun, run_id, _("Seleksi tidak ditemukan."))
    adopted = adopt_selection(
        run,
        overrides=[o.dict() for o in payload.overrides],
        minutes_ref=payload.minutes_ref,
        acknowledge_violations=payload.acknowledge_violations,
        actor=token_person(request),
    )
    return 201, _selection_out(adopted)
