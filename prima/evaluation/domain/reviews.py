"""One review at a time: excuse a live assignment, undo the excuse, add a review by hand
(kipp.md §8 #8, §10.1).

A solver run replaces a stage's live assignments wholesale (`runs.deploy_run`). While a
stage runs the secretariat also acts on single reviews: an evaluator falls ill, so their
review is excused (it no longer blocks closing the stage, and the results count it as
done) and another assessor may be added to the subject. A review added by hand is also
force-pinned, so that the next solver run keeps it instead of deploying over it.

Every write is one audited transaction holding the edition's lock, as runs and deploys do,
so a deploy never interleaves with an excuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.evaluation.domain.runs import (
    ConflictIndex,
    add_pin,
    outside_pool_pairs,
    require_eligible,
    require_stage_pair,
    stage_roles,
)
from prima.evaluation.enums import PinKind, SheetStatus, StageStatus
from prima.evaluation.models import (
    Appointment,
    Assignment,
    Edition,
    Pin,
    ScoreSheet,
    Stage,
    Subject,
)

MIN_EXCUSE_REASON = 10  # characters, like every other note that explains a decision
ACTION_EXCUSE = "evaluation.assignment.excuse"
ACTION_RESTORE = "evaluation.assignment.restore"
ACTION_ADD = "evaluation.assignment.add"


@dataclass(frozen=True)
class Excusal:
    """The excused review and, when one was asked for, the replacement review."""

    assignment: Assignment
    replacement: Assignment | None


def _require_secretariat(actor: Any) -> None:
    access = access_for(actor)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat mengubah penugasan penilai."))


def _require_running(stage: Stage) -> None:
    """Reviews change only before the stage closes (pending or open)."""
    if stage.status not in (StageStatus.PENDING, StageStatus.OPEN):
        raise DomainError(
            _("Tahap «%(stage)s» sudah %(status)s; penugasannya tidak dapat diubah lagi.")
            % {"stage": stage.get_code_display(), "status": stage.get_status_display().lower()}
        )


def _lock(stage_id: int, edition_id: int) -> Stage:
    """Take the edition's lock (runs and deploys take it too) and re-read the stage."""
    Edition.objects.select_for_update(of=("self",)).get(pk=edition_id)
    stage = Stage.objects.get(pk=stage_id)
    _require_running(stage)
    return stage


def _sheet_status(assignment: Assignment) -> str | None:
    sheet = ScoreSheet.objects.filter(assignment=assignment).values_list("status", flat=True)
    return sheet.first()


def _person_name(appointment: Appointment) -> str:
    person = appointment.person
    return str(person.full_name or person.get_username())


def excuse_assignment(
    assignment: Assignment,
    *,
    reason: str,
    actor: Any,
    replacement: Appointment | None = None,
) -> Excusal:
    """Excuse one review (it no longer blocks the stage) and optionally add a replacement.

    The reason (at least 10 characters) is kept on the assignment. Refused when the sheet
    is already final (a final score is corrected, not excused) or the stage has closed.
    The replacement is added with :func:`add_manual_assignment` in the same transaction,
    so a refused replacement leaves the review unexcused.
    """
    _require_secretariat(actor)
    reason = (reason or "").strip()
    if len(reason) < MIN_EXCUSE_REASON:
        raise DomainError(
            _("Alasan pembebasan minimal %(n)s karakter.") % {"n": MIN_EXCUSE_REASON},
            field="reason",
        )
    with transaction.atomic():
        stage = _lock(assignment.stage_id, assignment.stage.edition_id)
        fresh = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("subject", "appointment__person", "stage")
            .get(pk=assignment.pk)
        )
        if fresh.is_excused:
            raise DomainError(_("Penilaian ini sudah dibebaskan."))
        status = _sheet_status(fresh)
        if status == SheetStatus.FINAL:
            raise DomainError(
                _(
                    "%(person)s sudah memfinalkan lembar nilai untuk «%(subject)s»; nilai final "
                    "tidak dapat dibebaskan (koreksi lembarnya bila perlu)."
                )
                % {"person": _person_name(fresh.appointment), "subject": fresh.subject}
            )
        fresh.is_excused = True
        fresh.excuse_reason = reason
        fresh.save(update_fields=["is_excused", "excuse_reason"])
        audit.record(
            actor=actor,
            action=ACTION_EXCUSE,
            obj=fresh,
            before={"is_excused": False},
            after={
                "is_excused": True,
                "stage": stage.pk,
                "subject": fresh.subject_id,
                "appointment": fresh.appointment_id,
                "sheet": status,
            },
            reason=reason,
        )
        added = None
        if replacement is not None:
            added = add_manual_assignment(
                stage,
                fresh.subject,
                replacement,
                actor=actor,
                reason=_("Pengganti penilaian %(person)s yang dibebaskan: %(reason)s")
                % {"person": _person_name(fresh.appointment), "reason": reason},
            )
    assignment.is_excused, assignment.excuse_reason = True, reason
    return Excusal(assignment=fresh, replacement=added)


def restore_assignment(assignment: Assignment, *, actor: Any, reason: str = "") -> Assignment:
    """Undo an excuse while the stage has not closed: the review is due again.

    Refused when the pair is no longer eligible (`require_eligible`: the assessor is
    inactive, now conflicted or outside the stage's category pools), as the review could
    never be done.
    """
    _require_secretariat(actor)
    with transaction.atomic():
        _lock(assignment.stage_id, assignment.stage.edition_id)
        fresh = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("subject", "appointment__person", "stage")
            .get(pk=assignment.pk)
        )
        if not fresh.is_excused:
            raise DomainError(_("Penilaian ini tidak sedang dibebaskan."))
        require_eligible(
            fresh.stage,
            fresh.subject,
            fresh.appointment,
            refusal=_("Pembebasan tidak dapat dibatalkan: "),
        )
        before = fresh.excuse_reason
        fresh.is_excused = False
        fresh.excuse_reason = ""
        fresh.save(update_fields=["is_excused", "excuse_reason"])
        audit.record(
            actor=actor,
            action=ACTION_RESTORE,
            obj=fresh,
            before={"is_excused": True, "excuse_reason": before},
            after={"is_excused": False},
            reason=(reason or "").strip(),
        )
    assignment.is_excused, assignment.excuse_reason = False, ""
    return fresh


def _check_candidate(stage: Stage, subject: Subject, appointment: Appointment) -> None:
    """Refuse a pair that may not be reviewed, naming why (conflict codes and category
    pools included, as for a force pin)."""
    require_stage_pair(stage, subject, appointment)
    if not appointment.is_ready:
        raise DomainError(
            _(
                "%(person)s belum menyetujui kode etik dan menyatakan konflik kepentingan; "
                "penilai itu belum dapat ditugaskan."
            )
            % {"person": _person_name(appointment)},
            field="appointment",
        )
    if not subject.is_active:
        raise DomainError(
            _("«%(subject)s» sudah tidak dalam penilaian.") % {"subject": subject},
            field="subject",
        )
    require_eligible(stage, subject, appointment)


def add_manual_assignment(
    stage: Stage,
    subject: Subject,
    appointment: Appointment,
    *,
    actor: Any,
    reason: str = "",
    pin: bool = True,
) -> Assignment:
    """Add one live review outside a solver run and, unless `pin=False`, force-pin it so
    later runs keep it (kipp.md §10.1 "pins survive re-runs").

    Refused for a conflicted pair (naming the codes), a pair outside the stage's category
    pools, an inactive or not-ready assessor, an assessor of another role, a subject out of
    the running, a pair already assigned or
    pinned `forbid`, and a closed stage.
    """
    _require_secretariat(actor)
    _check_candidate(stage, subject, appointment)
    reason = (reason or "").strip()[:300]
    with transaction.atomic():
        fresh = _lock(stage.pk, stage.edition_id)
        if Assignment.objects.filter(
            stage=fresh, subject=subject, appointment=appointment
        ).exists():
            raise DomainError(
                _("%(person)s sudah ditugaskan menilai «%(subject)s» pada tahap ini.")
                % {"person": _person_name(appointment), "subject": subject},
                field="appointment",
            )
        existing_pin = Pin.objects.filter(stage=fresh, subject=subject, appointment=appointment)
        kind = existing_pin.values_list("kind", flat=True).first()
        if kind == PinKind.FORBID:
            raise DomainError(
                _("Pasangan ini dipin terlarang; hapus pin itu dulu bila memang diperlukan."),
                field="appointment",
            )
        assignment = Assignment.objects.create(
            stage=fresh, subject=subject, appointment=appointment, run=None, affinity=0.0
        )
        audit.record(
            actor=actor,
            action=ACTION_ADD,
            obj=assignment,
            after={
                "stage": fresh.pk,
                "subject": subject.pk,
                "appointment": appointment.pk,
                "pinned": pin,
            },
            reason=reason,
        )
        if pin and kind is None:
            add_pin(fresh, subject, appointment, PinKind.FORCE, reason, actor=actor)
    return assignment


def replacement_candidates(assignment: Assignment) -> list[Appointment]:
    """Assessors who could take over this review: the stage's role, active and ready, not
    yet on the subject, not conflicted, inside the stage's category pools and not pinned
    `forbid`; each annotated with
    `load` (their live, non-excused reviews in the stage). A fixed number of queries."""
    stage = assignment.stage
    subject_id = assignment.subject_id
    taken = set(
        Assignment.objects.filter(stage=stage, subject_id=subject_id).values_list(
            "appointment_id", flat=True
        )
    )
    forbidden = set(
        Pin.objects.filter(stage=stage, subject_id=subject_id, kind=PinKind.FORBID).values_list(
            "appointment_id", flat=True
        )
    )
    candidates = list(
        Appointment.objects.filter(
            edition_id=stage.edition_id,
            role__in=stage_roles(stage),
            is_active=True,
            code_of_conduct_accepted_at__isnull=False,
            conflicts_declared_at__isnull=False,
        )
        .exclude(pk__in=taken | forbidden)
        .select_related("person")
        .annotate(
            load=Count(
                "assignments",
                filter=Q(assignments__stage=stage, assignments__is_excused=False),
            )
        )
        .order_by("load", "person__full_name", "pk")
    )
    pairs = [(subject_id, a.pk) for a in candidates]
    index = ConflictIndex.for_pairs(stage.edition_id, pairs)
    outside = outside_pool_pairs(stage, pairs)
    return [
        a
        for a in candidates
        if not index.reasons(subject_id, a.pk) and (subject_id, a.pk) not in outside
    ]
