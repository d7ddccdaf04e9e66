"""PKRI API: desk evaluation (pkri.md §7.1), mounted at /api/v1/pkri.

Evaluators: their to-do list across PKRI editions, one sheet (frozen answers, indicators
with suggested level and rule, their levels), and saving or finalising levels. The same
scopes as the pages: a conflicted or unassigned form answers 404.
Secretariat and national readers: the desk score table of a group. Secretariat: the
consolidated desk score of a form (kipp.md §10.3).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.models import Person
from prima.evaluation.enums import SheetStatus
from prima.evaluation.models import Assignment, Edition
from prima.kipp.domain.decisions import may_act, may_read_evaluation
from prima.kipp.interfaces.sheet_forms import is_assessor
from prima.pkri.domain.desk import (
    GROUP_OF_KIND,
    consolidate_desk_score,
    desk_stage,
    record_levels,
)
from prima.pkri.enums import Group
from prima.pkri.interfaces.desk_scores import (
    TABLE_STATES,
    ScoreRow,
    group_counts,
    score_rows,
)
from prima.pkri.interfaces.desk_sheets import (
    TODO_LABELS,
    desk_assignment,
    sheet_view,
    todo_queryset,
)
from prima.pkri.models import SelfAssessment

router = Router(tags=["PKRI"])


# --------------------------------------------------------------------------- schemas


class ProgressOut(Schema):
    final: int
    total: int


class TodoOut(Schema):
    id: int = Field(description="ID penugasan (dipakai di /assessor/assignments/{id})")
    edition: str
    edition_title: str
    title: str
    group: str
    status: str = Field(description="todo, draft, final atau excused")
    status_label: str


class TodoList(Schema):
    count: int
    progress: ProgressOut
    items: list[TodoOut]


class TodoFiltersIn(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class AnswerOut(Schema):
    code: str
    label: str
    text: str


class IndicatorOut(Schema):
    code: str
    label: str
    weight: Decimal
    rule: str
    suggested: int | None = Field(description="level saran sistem; null untuk pertimbangan")
    level: int | None
    comment: str


class SheetOut(Schema):
    status: str
    version: int | None
    note: str
    total: Decimal | None
    finalised_at: dt.datetime | None


class SheetDetailOut(Schema):
    id: int
    edition: str
    form: int
    kind: str
    title: str
    group: str
    editable: bool
    answers: list[AnswerOut]
    derived: dict[str, Any]
    indicators: list[IndicatorOut]
    sheet: SheetOut


class LevelsIn(Schema):
    levels: dict[str, int | None] = Field(
        default_factory=dict, description="kode indikator → level 0–4; null = belum dipilih"
    )
    comments: dict[str, str] = Field(
        default_factory=dict,
        description="kode indikator → komentar; wajib bila level berbeda dari saran",
    )
    note: str = Field("", description="catatan umum; wajib sebelum finalisasi")
    finalise: bool = Field(False, description="true: simpan lalu finalkan")


class EvaluatorTotalOut(Schema):
    name: str
    total: Decimal


class ScoreRowOut(Schema):
    form: int
    subject: int
    title: str
    institution: str
    institution_kind: str
    state: str
    totals: list[EvaluatorTotalOut]
    assigned: int
    finalised: int
    mean: Decimal | None
    spread: Decimal | None
    disagreement: bool
    consolidated: Decimal | None
    desk_score: Decimal | None


class ScoreTableOut(Schema):
    edition: str
    group: str
    count: int
    flagged: int
    complete: int
    items: list[ScoreRowOut]


class ScoreFiltersIn(Schema):
    group: str = Field(Group.KEBERLANJUTAN.value, description="pembinaan, keberlanjutan, replikasi")


class ConsolidationIn(Schema):
    score: Decimal = Field(description="nilai konsolidasi 0–100, paling banyak 2 desimal")
    justification: str = Field(description="justifikasi rapat, minimal 20 karakter")
    attendees: str | list[str] = Field(description="peserta rapat: daftar nama atau teks")
    minutes_ref: str = Field(description="nomor notulen rapat")


# --------------------------------------------------------------------------- helpers


def _evaluator(request: HttpRequest) -> Person:
    person = request.auth  # type: ignore[attr-defined]
    if not isinstance(person, Person) or not is_assessor(person):
        raise HttpError(403, _("Layanan ini hanya untuk penilai PKRI."))
    return person


def _detail(assignment: Assignment) -> dict[str, Any]:
    view = sheet_view(assignment)
    state = view.state
    sheet = state.sheet
    return {
        "id": assignment.pk,
        "edition": assignment.stage.edition.code,
        "form": view.form.pk,
        "kind": view.form.kind,
        "title": assignment.subject.title,
        "group": assignment.subject.group,
        "editable": view.editable,
        "answers": [vars(a) for a in view.answers],
        "derived": dict(view.derived),
        "indicators": [vars(i) for i in view.indicators],
        "sheet": {
            "status": state.status,
            "version": state.version,
            "note": state.note,
            "total": state.total,
            "finalised_at": sheet.finalised_at if sheet is not None else None,
        },
    }


# --------------------------------------------------------------------------- evaluators


@router.get("/assessor/assignments", response=TodoList)
def pkri_todo(request: HttpRequest, filters: Query[TodoFiltersIn]) -> dict[str, Any]:
    """My PKRI desk assignments across editions: drafts first, then unscored, then final.
    Conflicted forms are never listed nor counted."""
    person = _evaluator(request)
    queryset = todo_queryset(person)
    progress = queryset.aggregate(
        total=Count("pk", filter=Q(is_excused=False)),
        final=Count("pk", filter=Q(is_excused=False, sheet__status=SheetStatus.FINAL)),
    )
    count = queryset.count()
    rows = queryset[filters.offset : filters.offset + filters.limit]
    return {
        "count": count,
        "progress": {"final": progress["final"] or 0, "total": progress["total"] or 0},
        "items": [
            {
                "id": a.pk,
                "edition": a.stage.edition.code,
                "edition_title": a.stage.edition.title,
                "title": a.subject.title,
                "group": a.subject.group,
                "status": a.todo,  # type: ignore[attr-defined]
                "status_label": str(TODO_LABELS[a.todo]),  # type: ignore[attr-defined]
            }
            for a in rows
        ],
    }


@router.get("/assessor/assignments/{assignment_id}", response=SheetDetailOut)
def pkri_sheet(request: HttpRequest, assignment_id: int) -> dict[str, Any]:
    """One assigned form: frozen answers, indicators with suggestion and rule, my levels."""
    person = _evaluator(request)
    return _detail(desk_assignment(person, assignment_id))


@router.put("/assessor/assignments/{assignment_id}/sheet", response=SheetDetailOut)
def pkri_sheet_save(request: HttpRequest, assignment_id: int, payload: LevelsIn) -> dict[str, Any]:
    """Save my levels as a draft, or finalise with `"finalise": true` (every level and the
    note needed). A level other than the suggestion needs a comment (422 naming it)."""
    person = _evaluator(request)
    assignment = desk_assignment(person, assignment_id)
    record_levels(
        assignment,
        payload.levels,
        payload.comments,
        note=payload.note,
        actor=person,
        finalise=payload.finalise,
    )
    return _detail(assignment)


# --------------------------------------------------------------------------- secretariat


@router.get("/desk/{code}/scores", response=ScoreTableOut)
def pkri_desk_scores(
    request: HttpRequest, code: str, filters: Query[ScoreFiltersIn]
) -> dict[str, Any]:
    """The desk score table of one group: each evaluator's total, mean, spread and the
    disagreement flag; the same rows as the page and its export."""
    edition = get_object_or_404(Edition, code=code, programme="pkri")
    person = request.auth  # type: ignore[attr-defined]
    if not isinstance(person, Person) or not may_read_evaluation(person, edition):
        raise HttpError(403, _("Tabel nilai hanya untuk Sekretariat."))
    if filters.group not in Group.values:
        raise HttpError(
            422,
            _("Kelompok harus salah satu dari: %(codes)s.") % {"codes": ", ".join(Group.values)},
        )
    rows = score_rows(desk_stage(edition), filters.group)
    counts = group_counts(rows)
    return {
        "edition": edition.code,
        "group": filters.group,
        "count": counts["forms"],
        "flagged": counts["flagged"],
        "complete": counts["complete"],
        "items": [_row(r) for r in rows],
    }


@router.post("/desk/{code}/forms/{form_id}/consolidation", response=ScoreRowOut)
def pkri_desk_consolidate(
    request: HttpRequest, code: str, form_id: int, payload: ConsolidationIn
) -> dict[str, Any]:
    """Record the team's consolidated desk score of a form in review (kipp.md §10.3);
    answers the form's score-table row. A later call replaces the earlier score. 422
    names the field (score, justification, attendees, minutes_ref) when refused."""
    edition = get_object_or_404(Edition, code=code, programme="pkri")
    person = request.auth  # type: ignore[attr-defined]
    if not isinstance(person, Person) or not may_act(person):
        raise HttpError(403, _("Hanya Sekretariat yang dapat mencatat nilai konsolidasi."))
    form = get_object_or_404(
        SelfAssessment,
        pk=form_id,
        edition=edition,
        state__in=TABLE_STATES,
        subject__isnull=False,
    )
    consolidate_desk_score(
        form,
        score=payload.score,
        justification=payload.justification,
        attendees=payload.attendees,
        minutes_ref=payload.minutes_ref,
        actor=person,
    )
    rows = score_rows(desk_stage(edition), GROUP_OF_KIND[form.kind], form_ids=[form.pk])
    return _row(rows[0])


def _row(r: ScoreRow) -> dict[str, Any]:
    return {
        "form": r.form_id,
        "subject": r.subject_id,
        "title": r.title,
        "institution": r.institution,
        "institution_kind": r.institution_kind,
        "state": r.state,
        "totals": [vars(t) for t in r.totals],
        "assigned": r.assigned,
        "finalised": r.finalised,
        "mean": r.mean,
        "spread": r.spread,
        "disagreement": r.disagreement,
        "consolidated": r.consolidated,
        "desk_score": r.desk_score,
    }
