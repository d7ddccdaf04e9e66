"""KIPP API: the secretariat's invitations, single reviews and pins, and the withdrawal
queue (kipp.md §6, §8 #15, §9.4, §10.1).

Same access and domain functions as the pages: the secretariat acts; national readers
read (for reviews and pins only those who assess nothing in the edition,
`decisions.may_read_evaluation`); everyone else gets 403. Lists are `{"count", "items"}`
with `limit`/`offset`, errors `{"detail"}`; an invitation file with bad rows answers 422
with every problem in `errors`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from prima.core.api_auth import token_person
from prima.core.interfaces.tabular import TableError
from prima.evaluation.domain.reviews import excuse_assignment, restore_assignment
from prima.evaluation.domain.runs import add_pin, remove_pin
from prima.evaluation.enums import StageStatus
from prima.evaluation.models import Appointment, Assignment, Edition, Pin, Stage, Subject
from prima.innovations.models import Innovation
from prima.kipp.domain import invitations as invitation_domain
from prima.kipp.domain import withdrawals as withdrawal_domain
from prima.kipp.domain.decisions import REVIEW_STAGES, may_act, may_read_evaluation
from prima.kipp.domain.proposals import keyed_ip_hash
from prima.kipp.interfaces.invitations import import_invitations
from prima.kipp.interfaces.review_forms import live_assignments
from prima.kipp.interfaces.sheet_forms import TODO_CONDITIONS
from prima.kipp.models import Invitation, Proposal

router = Router(tags=["KIPP"])

MAX_LIMIT = 500


class ErrorOut(Schema):
    detail: str


class Page(Schema):
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


# --------------------------------------------------------------------------- schemas


class InvitationOut(Schema):
    id: int
    innovation: int
    innovation_title: str
    unit: str
    institution: int
    institution_name: str
    group: str
    invited_by: str
    invited_at: dt.datetime
    proposal: int | None = Field(description="proposal (not withdrawn) made from it, if any")
    proposal_state: str | None


class InvitationList(Schema):
    count: int
    items: list[InvitationOut]


class InvitationFilters(Page):
    group: str = ""
    used: bool | None = Field(None, description="true: a proposal was made from it")


class InviteIn(Schema):
    innovation: int = Field(description="innovation number in the registry")
    group: str = Field("", description="invitation-only group; empty when there is only one")


class CellErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportErrorOut(Schema):
    detail: str
    errors: list[CellErrorOut]


class ImportOut(Schema):
    created: list[InvitationOut]
    already_invited_rows: list[int]


class LiveAssignmentOut(Schema):
    id: int
    subject: int
    title: str
    appointment: int
    assessor: str
    status: str = Field(description="todo, draft, final atau excused")
    excuse_reason: str
    manual: bool = Field(description="added by hand, not deployed from a run")


class LiveAssignmentList(Schema):
    count: int
    items: list[LiveAssignmentOut]


class AssignmentFilters(Page):
    status: str = Field("", description="todo, draft, final atau excused")


class ExcuseIn(Schema):
    reason: str = Field(description="minimal 10 karakter")
    replacement: int | None = Field(None, description="appointment of the replacing assessor")


class ExcuseOut(Schema):
    assignment: LiveAssignmentOut
    replacement: LiveAssignmentOut | None


class RestoreIn(Schema):
    reason: str = ""


class PinOut(Schema):
    id: int
    subject: int
    title: str
    appointment: int
    assessor: str
    kind: str
    reason: str
    created_by: str
    created_at: dt.datetime


class PinList(Schema):
    count: int
    items: list[PinOut]


class PinIn(Schema):
    subject: int
    appointment: int
    kind: Literal["force", "forbid"] = "force"
    reason: str = Field(max_length=300)


class WithdrawalOut(Schema):
    proposal: int
    title: str
    institution: str
    state: str
    requested_by: str
    requested_at: dt.datetime
    reason: str


class WithdrawalList(Schema):
    count: int
    items: list[WithdrawalOut]


class DecisionIn(Schema):
    decision: Literal["approve", "reject"]
    note: str = Field(description="minimal 10 karakter")


class DecisionOut(Schema):
    proposal: int
    state: str


# --------------------------------------------------------------------------- helpers


def _kipp_edition(code: str) -> Edition:
    edition = Edition.objects.filter(programme="kipp", code=code).first()
    if edition is None:
        raise HttpError(404, _("Penyelenggaraan tidak ditemukan."))
    return edition


def _invitation_edition(request: HttpRequest, code: str, *, write: bool = False) -> Edition:
    person = token_person(request)
    allowed = (
        invitation_domain.may_manage_invitations(person)
        if write
        else invitation_domain.may_read_invitations(person)
    )
    if not allowed:
        raise HttpError(403, _("Anda tidak berwenang mengatur undangan."))
    return _kipp_edition(code)


def _evaluation_check(request: HttpRequest, edition: Edition, *, write: bool) -> None:
    person = token_person(request)
    if not may_read_evaluation(person, edition):
        raise HttpError(403, _("Anda tidak berwenang melihat penilaian penyelenggaraan ini."))
    if write and not may_act(person):
        raise HttpError(403, _("Hanya Sekretariat yang dapat melakukan ini."))


def _stage(request: HttpRequest, code: str, stage: str, *, write: bool = False) -> Stage:
    edition = _kipp_edition(code)
    _evaluation_check(request, edition, write=write)
    found = (
        Stage.objects.filter(edition=edition, code=stage, code__in=REVIEW_STAGES)
        .exclude(status=StageStatus.SKIPPED)
        .select_related("edition")
        .first()
    )
    if found is None:
        raise HttpError(404, _("Tahap penilaian tidak ditemukan."))
    return found


def _name(person: Any) -> str:
    if person is None:
        return ""
    return str(person.full_name or person.get_username())


def _invitation_out(invitation: Invitation) -> dict[str, Any]:
    return {
        "id": invitation.pk,
        "innovation": invitation.innovation_id,
        "innovation_title": invitation.innovation.name,
        "unit": invitation.innovation.unit.name,
        "institution": invitation.institution_id,
        "institution_name": invitation.institution.name,
        "group": invitation.group,
        "invited_by": _name(invitation.created_by),
        "invited_at": invitation.created_at,
        "proposal": getattr(invitation, "used_by", None),
        "proposal_state": getattr(invitation, "used_state", None),
    }


def _assignment_out(assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "subject": assignment.subject_id,
        "title": assignment.subject.title,
        "appointment": assignment.appointment_id,
        "assessor": _name(assignment.appointment.person),
        "status": getattr(assignment, "todo", ""),
        "excuse_reason": assignment.excuse_reason,
        "manual": assignment.run_id is None,
    }


def _fresh_assignment_out(assignment: Assignment) -> dict[str, Any]:
    return _assignment_out(live_assignments(assignment.stage).get(pk=assignment.pk))


def _pin_out(pin: Pin) -> dict[str, Any]:
    return {
        "id": pin.pk,
        "subject": pin.subject_id,
        "title": pin.subject.title,
        "appointment": pin.appointment_id,
        "assessor": _name(pin.appointment.person),
        "kind": pin.kind,
        "reason": pin.reason,
        "created_by": _name(pin.created_by),
        "created_at": pin.created_at,
    }


def _writable_assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.select_related("stage__edition", "subject", "appointment__person")
        .filter(pk=assignment_id, stage__edition__programme="kipp")
        .first()
    )
    if assignment is None:
        raise HttpError(404, _("Penugasan tidak ditemukan."))
    _evaluation_check(request, assignment.stage.edition, write=True)
    return assignment


# --------------------------------------------------------------------------- invitations


@router.get(
    "/editions/{code}/invitations",
    response={200: InvitationList, 403: ErrorOut, 404: ErrorOut},
    summary="Daftar undangan kelompok khusus",
)
def list_invitations(
    request: HttpRequest, code: str, filters: Query[InvitationFilters]
) -> dict[str, Any]:
    edition = _invitation_edition(request, code)
    qs = invitation_domain.invitations_of(edition, used=filters.used)
    if filters.group:
        qs = qs.filter(group=filters.group)
    rows = qs[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [_invitation_out(row) for row in rows]}


@router.post(
    "/editions/{code}/invitations",
    response={201: InvitationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Undang inovasi (syarat kelompok diperiksa)",
)
def create_invitation(request: HttpRequest, code: str, payload: InviteIn) -> tuple[int, Any]:
    edition = _invitation_edition(request, code, write=True)
    innovation = Innovation.objects.filter(pk=payload.innovation).first()
    if innovation is None:
        raise HttpError(404, _("Inovasi tidak ditemukan."))
    invitation = invitation_domain.invite_innovation(
        edition, innovation, group=payload.group or None, actor=token_person(request)
    )
    return 201, _invitation_out(invitation_domain.invitations_of(edition).get(pk=invitation.pk))


@router.post(
    "/editions/{code}/invitations/import",
    response={201: ImportOut, 403: ErrorOut, 404: ErrorOut, 422: ImportErrorOut},
    summary="Impor undangan dari CSV/XLSX (semua baris benar atau tidak ada yang diterapkan)",
)
def import_invitation_file(
    request: HttpRequest, code: str, file: File[UploadedFile]
) -> tuple[int, Any]:
    edition = _invitation_edition(request, code, write=True)
    try:
        outcome = import_invitations(edition, file, actor=token_person(request))
    except TableError as exc:
        return 422, {
            "detail": exc.message,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message} for e in exc.errors
            ],
        }
    created = invitation_domain.invitations_of(edition).filter(
        pk__in=[i.pk for i in outcome.created]
    )
    return 201, {
        "created": [_invitation_out(row) for row in created],
        "already_invited_rows": outcome.already,
    }


@router.delete(
    "/invitations/{invitation_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Cabut undangan yang belum dipakai proposal",
)
def revoke_invitation(request: HttpRequest, invitation_id: int) -> tuple[int, None]:
    if not invitation_domain.may_manage_invitations(token_person(request)):
        raise HttpError(403, _("Anda tidak berwenang mengatur undangan."))
    invitation = (
        Invitation.objects.filter(pk=invitation_id, edition__programme="kipp")
        .select_related("innovation")
        .first()
    )
    if invitation is None:
        raise HttpError(404, _("Undangan tidak ditemukan."))
    invitation_domain.revoke_invitation(invitation, actor=token_person(request))
    return 204, None


# --------------------------------------------------------------------------- reviews


@router.get(
    "/editions/{code}/evaluation/{stage}/assignments",
    response={200: LiveAssignmentList, 403: ErrorOut, 404: ErrorOut},
    summary="Penugasan yang berlaku pada satu tahap, dengan status lembar nilainya",
)
def list_live_assignments(
    request: HttpRequest, code: str, stage: str, filters: Query[AssignmentFilters]
) -> dict[str, Any]:
    chosen = _stage(request, code, stage)
    qs = live_assignments(chosen).order_by("subject_id", "pk")
    if filters.status in TODO_CONDITIONS:
        qs = qs.filter(TODO_CONDITIONS[filters.status])
    rows = qs[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [_assignment_out(row) for row in rows]}


@router.post(
    "/evaluation/assignments/{assignment_id}/excuse",
    response={200: ExcuseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Bebaskan satu penilaian (opsional dengan penilai pengganti yang dipin)",
)
def excuse(request: HttpRequest, assignment_id: int, payload: ExcuseIn) -> dict[str, Any]:
    assignment = _writable_assignment(request, assignment_id)
    replacement = None
    if payload.replacement is not None:
        replacement = (
            Appointment.objects.select_related("person")
            .filter(pk=payload.replacement, edition_id=assignment.stage.edition_id)
            .first()
        )
        if replacement is None:
            raise HttpError(404, _("Penilai pengganti tidak ditemukan di penyelenggaraan ini."))
    outcome = excuse_assignment(
        assignment, reason=payload.reason, replacement=replacement, actor=token_person(request)
    )
    return {
        "assignment": _fresh_assignment_out(assignment),
        "replacement": (
            _fresh_assignment_out(outcome.replacement) if outcome.replacement else None
        ),
    }


@router.post(
    "/evaluation/assignments/{assignment_id}/restore",
    response={200: LiveAssignmentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Batalkan pembebasan penilaian (selama tahap belum ditutup)",
)
def restore(request: HttpRequest, assignment_id: int, payload: RestoreIn) -> dict[str, Any]:
    assignment = _writable_assignment(request, assignment_id)
    restore_assignment(assignment, actor=token_person(request), reason=payload.reason)
    return _fresh_assignment_out(assignment)


@router.get(
    "/editions/{code}/evaluation/{stage}/pins",
    response={200: PinList, 403: ErrorOut, 404: ErrorOut},
    summary="Pin penugasan satu tahap",
)
def list_pins(request: HttpRequest, code: str, stage: str, page: Query[Page]) -> dict[str, Any]:
    chosen = _stage(request, code, stage)
    qs = (
        Pin.objects.filter(stage=chosen)
        .select_related("subject", "appointment__person", "created_by")
        .order_by("-created_at", "-pk")
    )
    rows = qs[page.offset : page.offset + page.limit]
    return {"count": qs.count(), "items": [_pin_out(row) for row in rows]}


@router.post(
    "/editions/{code}/evaluation/{stage}/pins",
    response={201: PinOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Tambah pin wajib/terlarang (pin wajib yang berkonflik ditolak)",
)
def create_pin(request: HttpRequest, code: str, stage: str, payload: PinIn) -> tuple[int, Any]:
    chosen = _stage(request, code, stage, write=True)
    subject = Subject.objects.filter(pk=payload.subject, edition_id=chosen.edition_id).first()
    appointment = (
        Appointment.objects.select_related("person")
        .filter(pk=payload.appointment, edition_id=chosen.edition_id)
        .first()
    )
    if subject is None or appointment is None:
        raise HttpError(404, _("Subjek atau penilai tidak ditemukan di penyelenggaraan ini."))
    pin = add_pin(
        chosen, subject, appointment, payload.kind, payload.reason, actor=token_person(request)
    )
    fresh = Pin.objects.select_related("subject", "appointment__person", "created_by").get(
        pk=pin.pk
    )
    return 201, _pin_out(fresh)


@router.delete(
    "/evaluation/pins/{pin_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Hapus pin (proses berikutnya tidak lagi mengikutinya)",
)
def delete_pin(request: HttpRequest, pin_id: int) -> tuple[int, None]:
    pin = (
        Pin.objects.select_related("stage__edition")
        .filter(pk=pin_id, stage__edition__programme="kipp")
        .first()
    )
    if pin is None:
        raise HttpError(404, _("Pin tidak ditemukan."))
    _evaluation_check(request, pin.stage.edition, write=True)
    remove_pin(pin, actor=token_person(request))
    return 204, None


# --------------------------------------------------------------------------- withdrawals


@router.get(
    "/editions/{code}/withdrawals",
    response={200: WithdrawalList, 403: ErrorOut, 404: ErrorOut},
    summary="Permohonan penarikan yang menunggu sekretariat",
)
def list_withdrawals(request: HttpRequest, code: str) -> dict[str, Any]:
    if not withdrawal_domain.may_read_withdrawals(token_person(request)):
        raise HttpError(403, _("Anda tidak berwenang melihat permohonan penarikan."))
    pending = withdrawal_domain.pending_withdrawals(_kipp_edition(code))
    return {
        "count": len(pending),
        "items": [
            {
                "proposal": item.proposal.pk,
                "title": item.proposal.title,
                "institution": item.proposal.institution.name,
                "state": item.proposal.state,
                "requested_by": item.requested_by,
                "requested_at": item.request.created_at,
                "reason": item.request.reason,
            }
            for item in pending
        ],
    }


@router.post(
    "/withdrawals/{proposal_id}/decision",
    response={200: DecisionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Setujui atau tolak permohonan penarikan (catatan wajib)",
)
def decide_withdrawal(request: HttpRequest, proposal_id: int, payload: DecisionIn) -> Any:
    person = token_person(request)
    if not withdrawal_domain.may_decide_withdrawals(person):
        raise HttpError(403, _("Hanya sekretariat yang memutus permohonan penarikan."))
    proposal = (
        Proposal.objects.select_related("edition", "institution")
        .filter(pk=proposal_id, edition__programme="kipp")
        .first()
    )
    if proposal is None:
        raise HttpError(404, _("Proposal tidak ditemukan."))
    decided = withdrawal_domain.decide_withdrawal(
        proposal,
        decision=payload.decision,
        note=payload.note,
        actor=person,
        ip_hash=keyed_ip_hash(str(request.META.get("REMOTE_ADDR", ""))),
    )
    return {"proposal": decided.pk, "state": decided.state}
