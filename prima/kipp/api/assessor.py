"""KIPP API for assessors (Tim Evaluasi, TPI), mounted at /api/v1/kipp/assessor.

The same scopes and domain functions as the assessor pages: until the code of conduct is
accepted and conflicts are declared every proposal or sheet answers 403; a conflicted or
unassigned assignment answers 404; a blind stage never names the proposer.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.models import Person
from prima.evaluation.domain.appointments import accept_code_of_conduct, declare_conflicts
from prima.evaluation.domain.catalogue import instrument_of
from prima.evaluation.domain.sheets import correct_sheet, finalise_sheet, save_sheet
from prima.evaluation.enums import ConflictKind, ConflictNature
from prima.evaluation.models import Appointment, Assignment, Conflict, Edition, Stage
from prima.kipp.interfaces.sheet_forms import (
    RUBRIC_HINTS,
    TODO_LABELS,
    GateClosed,
    anchors,
    assessor_assignment,
    chosen_stage,
    filter_todo,
    is_assessor,
    my_appointments,
    other_sheets,
    progress_of,
    proposal_of,
    proposal_view,
    scores_rubric,
    sheet_state,
    stage_criteria,
    todo_queryset,
)

router = Router(tags=["KIPP penilai"])


# --------------------------------------------------------------------------- schemas


class ConflictOut(Schema):
    id: int
    institution: int | None
    institution_name: str | None
    nature: str
    reason: str
    created_at: dt.datetime


class AppointmentOut(Schema):
    id: int
    edition: str
    edition_title: str
    role: str
    role_label: str
    code_of_conduct_accepted_at: dt.datetime | None
    conflicts_declared_at: dt.datetime | None
    is_ready: bool
    conflicts: list[ConflictOut]


class AppointmentList(Schema):
    count: int
    items: list[AppointmentOut]


class ConflictIn(Schema):
    institution: int = Field(description="ID instansi dari registri")
    nature: str = Field(
        ConflictNature.OTHER.value,
        description="family, consultancy, coauthorship, employment atau other",
    )
    reason: str = Field(description="keterangan hubungan")


class ConflictsIn(Schema):
    none: bool = Field(False, description="true: tidak ada konflik (hanya pernyataan pertama)")
    conflicts: list[ConflictIn] = Field(default_factory=list)


class ProgressOut(Schema):
    final: int
    total: int


class AssignmentOut(Schema):
    id: int
    edition: str
    stage: str
    status: str = Field(description="todo, draft, final atau excused")
    status_label: str
    title: str
    group: str
    category: str
    version: int | None
    total: Decimal | None
    finalised_at: dt.datetime | None
    deadline: dt.datetime | None


class AssignmentList(Schema):
    count: int
    progress: ProgressOut
    items: list[AssignmentOut]


class AssignmentFiltersIn(Schema):
    edition: str = Field(description="kode penyelenggaraan, mis. kipp-2025")
    stage: str = Field("", description="kode tahap; bawaan: tahap penilaian yang berjalan")
    status: str = Field("", description="todo, draft, final atau excused")
    group: str = ""
    category: str = ""
    q: str = Field("", description="cari judul")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class StageOut(Schema):
    code: str
    label: str
    is_open: bool
    blind: bool
    others_scores_visible: bool
    scoring: str
    ends_at: dt.datetime | None


class AnswerOut(Schema):
    code: str
    label: str
    text: str
    max_words: int
    weight: Decimal


class AttachmentOut(Schema):
    kind: str
    label: str
    name: str | None
    size: int


class IdentityOut(Schema):
    institution: str
    unit: str
    presenter_name: str
    presenter_position: str


class ExtraAnswerOut(Schema):
    code: str
    label: str
    text: str = Field(description="jawaban dalam kata-kata; kosong bila disembunyikan")
    hidden: bool = Field(
        description="jawaban yang menunjuk pengusul, disembunyikan saat tahap tanpa identitas"
    )


class ExtraFormOut(Schema):
    code: str
    title: str
    answers: list[ExtraAnswerOut]


class ProposalOut(Schema):
    title: str
    group: str
    group_label: str
    category: str
    category_label: str
    sdg_goals: list[int]
    video_url: str
    video_minutes: str | None
    answers: list[AnswerOut]
    attachments: list[AttachmentOut]
    identity: IdentityOut | None = Field(description="null selama tahap tanpa identitas")
    snapshot_hash: str
    extra_forms: list[ExtraFormOut] = Field(description="formulir tambahan (mis. SPBE), beku")


class CriterionOut(Schema):
    code: str
    label: str
    weight: Decimal
    hint: str | None


class AnchorOut(Schema):
    label: str
    min: Decimal
    max: Decimal


class ScaleOut(Schema):
    type: str
    min: Decimal
    max: Decimal
    anchors: list[AnchorOut]


class VersionOut(Schema):
    number: int
    created_at: dt.datetime
    reason: str
    total: Decimal | None


class SheetOut(Schema):
    status: str
    version: int | None
    values: dict[str, Decimal | None]
    comments: dict[str, str]
    evidence: dict[str, str]
    note: str
    total: Decimal | None
    versions: list[VersionOut]


class OtherSheetOut(Schema):
    label: str
    total: Decimal | None
    values: dict[str, Decimal | None]


class AssignmentDetailOut(Schema):
    id: int
    edition: str
    stage: StageOut
    editable: bool
    proposal: ProposalOut
    criteria: list[CriterionOut]
    scale: ScaleOut
    sheet: SheetOut
    others: list[OtherSheetOut]


class SheetIn(Schema):
    values: dict[str, Decimal | None] = Field(
        default_factory=dict, description="kode kriteria → nilai; kosong/null = belum dinilai"
    )
    note: str = ""
    comments: dict[str, str] = Field(default_factory=dict)
    evidence: dict[str, str] = Field(default_factory=dict)


class CorrectionIn(Schema):
    values: dict[str, Decimal] = Field(description="kriteria yang berubah → nilai baru")
    reason: str = Field(description="alasan koreksi, minimal 10 karakter")
    note: str | None = None


# --------------------------------------------------------------------------- helpers


def _person(request: HttpRequest) -> Person:
    person = request.auth  # type: ignore[attr-defined]
    if not isinstance(person, Person) or not is_assessor(person):
        raise HttpError(403, _("Layanan ini hanya untuk Tim Evaluasi dan Tim Panel Independen."))
    return person


def _gate_message(appointment: Appointment) -> str:
    if appointment.code_of_conduct_accepted_at is None:
        return _(
            "Setujui kode etik penilai terlebih dahulu sebelum melihat proposal apa pun "
            "(POST /api/v1/kipp/assessor/appointments/%(id)s/code-of-conduct)."
        ) % {"id": appointment.pk}
    return _(
        "Nyatakan konflik kepentingan Anda terlebih dahulu sebelum melihat proposal "
        "(POST /api/v1/kipp/assessor/appointments/%(id)s/conflicts)."
    ) % {"id": appointment.pk}


def _own_appointment(person: Person, appointment_id: int) -> Appointment:
    appointment = my_appointments(person).filter(pk=appointment_id).first()
    if appointment is None:
        raise HttpError(404, _("Penugasan penilai tidak ditemukan."))
    return appointment


def _appointment_out(appointment: Appointment, conflicts: list[Conflict]) -> dict[str, Any]:
    return {
        "id": appointment.pk,
        "edition": appointment.edition.code,
        "edition_title": appointment.edition.title,
        "role": appointment.role,
        "role_label": appointment.get_role_display(),
        "code_of_conduct_accepted_at": appointment.code_of_conduct_accepted_at,
        "conflicts_declared_at": appointment.conflicts_declared_at,
        "is_ready": appointment.is_ready,
        "conflicts": [
            {
                "id": c.pk,
                "institution": c.institution_id,
                "institution_name": c.institution.name if c.institution else None,
                "nature": c.nature,
                "reason": c.reason,
                "created_at": c.created_at,
            }
            for c in conflicts
        ],
    }


def _declared(appointments: list[Appointment]) -> dict[int, list[Conflict]]:
    """Conflicts the assessors declared themselves (entries by the secretariat may point
    at a subject the assessor must not learn of)."""
    found: dict[int, list[Conflict]] = {a.pk: [] for a in appointments}
    rows = (
        Conflict.objects.filter(appointment__in=appointments, kind=ConflictKind.DECLARED)
        .select_related("institution")
        .order_by("created_at", "pk")
    )
    for conflict in rows:
        found[conflict.appointment_id].append(conflict)
    return found


def _assignment(person: Person, assignment_id: int) -> Assignment:
    try:
        return assessor_assignment(person, assignment_id)
    except GateClosed as closed:
        raise HttpError(403, _gate_message(closed.appointment)) from closed


def _stage_out(stage: Stage) -> dict[str, Any]:
    return {
        "code": stage.code,
        "label": stage.get_code_display(),
        "is_open": stage.is_open,
        "blind": not stage.identities_visible,
        "others_scores_visible": stage.others_scores_visible,
        "scoring": stage.scoring,
        "ends_at": stage.ends_at,
    }


def _sheet_out(assignment: Assignment) -> dict[str, Any]:
    state = sheet_state(assignment)
    return {
        "status": state.status,
        "version": state.version,
        "values": state.values,
        "comments": state.comments,
        "evidence": state.evidence,
        "note": state.note,
        "total": state.total,
        "versions": [vars(v) for v in state.versions],
    }


def _detail(person: Person, assignment: Assignment) -> dict[str, Any]:
    stage = assignment.stage
    edition = stage.edition
    instrument = instrument_of(edition.instrument)
    proposal = proposal_view(proposal_of(person, assignment), stage, instrument)
    criteria = stage_criteria(stage, assignment.subject.group, instrument)
    rubric = scores_rubric(stage)
    return {
        "id": assignment.pk,
        "edition": edition.code,
        "stage": _stage_out(stage),
        "editable": stage.is_open and stage.assessors_score and not assignment.is_excused,
        "proposal": {
            **{k: v for k, v in vars(proposal).items() if k not in ("identity", "frozen")},
            "extra_forms": [
                {
                    "code": f.code,
                    "title": f.title,
                    "answers": [
                        {"code": a.code, "label": a.label, "text": a.text, "hidden": a.hidden}
                        for a in f.lines
                    ],
                }
                for f in proposal.extra_forms
            ],
            "sdg_goals": list(proposal.sdg_goals),
            "answers": [vars(a) for a in proposal.answers],
            "attachments": [vars(a) for a in proposal.attachments],
            "identity": vars(proposal.identity) if proposal.identity is not None else None,
        },
        "criteria": [
            {
                "code": c.code,
                "label": c.label,
                "weight": c.weight,
                "hint": str(RUBRIC_HINTS[c.code]) if rubric and c.code in RUBRIC_HINTS else None,
            }
            for c in criteria
        ],
        "scale": {
            "type": instrument.scale.type,
            "min": instrument.scale.min,
            "max": instrument.scale.max,
            "anchors": [vars(a) for a in anchors(instrument)],
        },
        "sheet": _sheet_out(assignment),
        "others": [vars(o) for o in other_sheets(assignment)],
    }


def _current_sheet(assignment: Assignment) -> Any:
    state = sheet_state(assignment)
    if state.sheet is None:
        raise HttpError(409, _("Belum ada draf lembar nilai; simpan draf terlebih dahulu."))
    return state.sheet


# --------------------------------------------------------------------------- appointments


@router.get("/assessor/appointments", response=AppointmentList)
def my_appointment_list(request: HttpRequest) -> dict[str, Any]:
    """My appointments per edition, with the steps done and my declared conflicts."""
    person = _person(request)
    appointments = list(my_appointments(person))
    declared = _declared(appointments)
    items = [_appointment_out(a, declared[a.pk]) for a in appointments]
    return {"count": len(items), "items": items}


@router.post("/assessor/appointments/{appointment_id}/code-of-conduct", response=AppointmentOut)
def accept_code(request: HttpRequest, appointment_id: int) -> dict[str, Any]:
    """Accept the code of conduct (independence, confidentiality, no contact with proposers)."""
    person = _person(request)
    appointment = accept_code_of_conduct(_own_appointment(person, appointment_id), actor=person)
    return _appointment_out(appointment, _declared([appointment])[appointment.pk])


@router.post("/assessor/appointments/{appointment_id}/conflicts", response=AppointmentOut)
def declare(request: HttpRequest, appointment_id: int, payload: ConflictsIn) -> dict[str, Any]:
    """Declare conflicts: `{"none": true}` once, or institutions with nature and reason.

    Later calls add conflicts; none is ever withdrawn.
    """
    person = _person(request)
    appointment = _own_appointment(person, appointment_id)
    first = appointment.conflicts_declared_at is None
    if payload.none and not first:
        raise HttpError(422, _("Pernyataan tidak ada konflik hanya untuk pernyataan pertama."))
    if payload.none and payload.conflicts:
        raise HttpError(
            422, _("Pilih salah satu: nyatakan tidak ada konflik, atau isi daftar konflik.")
        )
    if not payload.none and not payload.conflicts:
        raise HttpError(
            422,
            _("Isi «none»: true, atau minimal satu konflik.")
            if first
            else _("Isi minimal satu konflik baru untuk ditambahkan."),
        )
    declare_conflicts(
        appointment,
        [
            {"institution": c.institution, "nature": c.nature, "reason": c.reason}
            for c in payload.conflicts
        ],
        actor=person,
    )
    appointment.refresh_from_db()
    return _appointment_out(appointment, _declared([appointment])[appointment.pk])


# --------------------------------------------------------------------------- assignments


@router.get("/assessor/assignments", response=AssignmentList)
def my_assignments(request: HttpRequest, filters: Query[AssignmentFiltersIn]) -> dict[str, Any]:
    """My assignments in a stage of an edition: drafts first, then unscored, then final."""
    person = _person(request)
    appointment = my_appointments(person).filter(edition__code=filters.edition).first()
    if appointment is None:
        raise HttpError(404, _("Anda tidak ditugaskan pada penyelenggaraan ini."))
    if not appointment.is_ready:
        raise HttpError(403, _gate_message(appointment))
    edition: Edition = appointment.edition
    stage = chosen_stage(edition, filters.stage or None)
    if stage is None:
        return {"count": 0, "progress": {"final": 0, "total": 0}, "items": []}
    if filters.status and filters.status not in TODO_LABELS:
        raise HttpError(
            422, _("Status harus salah satu dari: %(codes)s.") % {"codes": ", ".join(TODO_LABELS)}
        )
    queryset: QuerySet[Assignment] = filter_todo(
        todo_queryset(appointment, stage),
        status=filters.status,
        group=filters.group,
        category=filters.category,
        q=filters.q,
    )
    count = queryset.count()
    rows = list(queryset[filters.offset : filters.offset + filters.limit])
    progress = progress_of(appointment, stage)
    return {
        "count": count,
        "progress": {"final": progress.final, "total": progress.total},
        "items": [
            {
                "id": a.pk,
                "edition": edition.code,
                "stage": stage.code,
                "status": a.todo,  # type: ignore[attr-defined]
                "status_label": str(TODO_LABELS[a.todo]),  # type: ignore[attr-defined]
                "title": a.subject.title,
                "group": a.subject.group,
                "category": a.subject.category,
                "version": a.sheet_version,  # type: ignore[attr-defined]
                "total": a.sheet_total,  # type: ignore[attr-defined]
                "finalised_at": a.sheet_finalised_at,  # type: ignore[attr-defined]
                "deadline": stage.ends_at,
            }
            for a in rows
        ],
    }


@router.get("/assessor/assignments/{assignment_id}", response=AssignmentDetailOut)
def assignment_detail(request: HttpRequest, assignment_id: int) -> dict[str, Any]:
    """The frozen proposal (without identities in a blind stage), criteria and my sheet."""
    person = _person(request)
    return _detail(person, _assignment(person, assignment_id))


@router.put("/assessor/assignments/{assignment_id}/sheet", response=SheetOut)
def save_draft(request: HttpRequest, assignment_id: int, payload: SheetIn) -> dict[str, Any]:
    """Save the whole draft (criteria left out or null are not yet scored)."""
    person = _person(request)
    assignment = _assignment(person, assignment_id)
    save_sheet(
        assignment,
        {k: _number(v) for k, v in payload.values.items()},
        note=payload.note,
        comments=payload.comments,
        evidence=payload.evidence,
        actor=person,
    )
    return _sheet_out(assignment)


@router.post("/assessor/assignments/{assignment_id}/sheet/finalise", response=SheetOut)
def finalise(request: HttpRequest, assignment_id: int) -> dict[str, Any]:
    """Finalise the draft: every criterion scored and the overall note written."""
    person = _person(request)
    assignment = _assignment(person, assignment_id)
    finalise_sheet(_current_sheet(assignment), actor=person)
    return _sheet_out(assignment)


@router.post("/assessor/assignments/{assignment_id}/sheet/corrections", response=SheetOut)
def correct(request: HttpRequest, assignment_id: int, payload: CorrectionIn) -> dict[str, Any]:
    """Correct a final sheet: a new version holding the changed values and the reason."""
    person = _person(request)
    assignment = _assignment(person, assignment_id)
    correct_sheet(
        _current_sheet(assignment),
        {k: _whole(v) for k, v in payload.values.items()},
        reason=payload.reason,
        note=payload.note,
        actor=person,
    )
    return _sheet_out(assignment)


def _whole(value: Decimal) -> int | Decimal:
    """JSON numbers arrive as Decimal; whole ones go to the domain as int."""
    return int(value) if value.is_finite() and value == value.to_integral_value() else value


def _number(value: Decimal | None) -> int | Decimal | None:
    return None if value is None else _whole(value)
