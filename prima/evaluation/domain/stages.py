"""Stage transitions of an edition: open, close, advance, skip, and stage settings.

Every transition locks the edition row first (`select_for_update`), so two requests
advancing the same edition are serialised and the second one sees the first's result:
`advance_edition` refuses when the edition has moved on since the caller loaded it.
Programme apps react to a closed stage through `on_stage_closed` callbacks, which run
inside the closing transaction (an exception in one rolls the close back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.evaluation.domain.catalogue import mark_used
from prima.evaluation.enums import AssessorRole, EditionState, SheetStatus, StageStatus
from prima.evaluation.models import Edition, ScoreSheet, Stage

StageCallback = Callable[[Stage, Any], None]

# Callables `(stage, actor)` run inside the transaction that closes a stage.
on_stage_closed: list[StageCallback] = []

BOOLEAN_FLAGS = (
    "participants_submit",
    "assessors_score",
    "identities_visible",
    "others_scores_visible",
    "decisions_open",
    "objections_open",
)
SCORING_PARTS = (
    "",
    "sections",
    "rubric",
    "rubric:presentation",
    "rubric:feasibility",
    "rubric:interview",  # PKRI interviews by the independent panel (pkri.md §7.3)
)
FLAG_FIELDS = (*BOOLEAN_FLAGS, "scoring", "assessor_role")
EDITABLE_STATUSES = (StageStatus.PENDING, StageStatus.OPEN)


def _require_secretariat(actor: Any) -> None:
    access = access_for(actor)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat mengatur tahap penyelenggaraan."))


def _lock(edition_id: int) -> Edition:
    """The edition row, locked until the end of the transaction."""
    return Edition.objects.select_for_update(of=("self",)).get(pk=edition_id)


def _locked_stage(stage: Stage) -> tuple[Edition, Stage]:
    edition = _lock(stage.edition_id)
    fresh = Stage.objects.get(pk=stage.pk)
    return edition, fresh


def _sync(target: Stage, source: Stage) -> None:
    """Copy the fresh row's fields onto the caller's object."""
    for field in target._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _label(stage: Stage) -> str:
    return str(stage.get_code_display())


def _open(edition: Edition, stage: Stage, *, actor: Any, reason: str) -> None:
    """Open a pending stage of a locked edition; the caller has closed the previous one."""
    if stage.status != StageStatus.PENDING:
        raise DomainError(
            _("Tahap «%(stage)s» berstatus %(status)s; hanya tahap yang belum dibuka dapat dibuka.")
            % {"stage": _label(stage), "status": stage.get_status_display()}
        )
    already = Stage.objects.filter(edition=edition, status=StageStatus.OPEN).first()
    if already is not None:
        raise DomainError(
            _("Tahap «%(open)s» masih berjalan; tutup tahap itu sebelum membuka «%(stage)s».")
            % {"open": _label(already), "stage": _label(stage)}
        )
    earlier = Stage.objects.filter(
        edition=edition, position__lt=stage.position, status=StageStatus.PENDING
    ).order_by("position")
    if earlier.exists():
        names = ", ".join(f"«{_label(s)}»" for s in earlier)
        raise DomainError(
            _("Tahap sebelumnya belum dilalui: %(names)s. Tutup atau lewati dulu tahap itu.")
            % {"names": names}
        )
    before = {"status": stage.status, "edition_state": edition.state}
    stage.status = StageStatus.OPEN
    stage.opened_at = timezone.now()
    stage.save(update_fields=["status", "opened_at"])
    edition.state = stage.code
    edition.save(update_fields=["state", "updated_at"])
    # Participants writing against it or assessors scoring with it freeze the instrument.
    if stage.participants_submit or stage.assessors_score:
        mark_used(edition.instrument, actor=actor)
    audit.record(
        actor=actor,
        action="evaluation.stage.open",
        obj=stage,
        before=before,
        after={"status": stage.status, "edition_state": edition.state},
        reason=reason,
    )


def _close(edition: Edition, stage: Stage, *, actor: Any, force: bool, reason: str) -> None:
    """Close the open stage of a locked edition and run the `on_stage_closed` hooks."""
    if stage.status != StageStatus.OPEN:
        raise DomainError(
            _("Tahap «%(stage)s» tidak sedang berjalan (%(status)s).")
            % {"stage": _label(stage), "status": stage.get_status_display()}
        )
    drafts = 0
    if stage.assessors_score:
        drafts = (
            ScoreSheet.objects.filter(stage=stage, status=SheetStatus.DRAFT)
            .exclude(assignment__is_excused=True)
            .count()
        )
        if drafts and not force:
            raise DomainError(
                _(
                    "Tahap «%(stage)s» belum dapat ditutup: masih ada %(count)s lembar nilai "
                    "berstatus draf. Minta penilai memfinalkannya, bebaskan penugasannya, atau "
                    "tutup paksa dengan alasan."
                )
                % {"stage": _label(stage), "count": drafts}
            )
        if drafts and not reason.strip():
            raise DomainError(
                _("Menutup paksa tahap dengan lembar nilai draf memerlukan alasan."),
                field="reason",
            )
    before = {"status": stage.status}
    stage.status = StageStatus.CLOSED
    stage.closed_at = timezone.now()
    stage.save(update_fields=["status", "closed_at"])
    after: dict[str, Any] = {"status": stage.status}
    if drafts:
        # The drafts stay drafts: the record shows they were never finalised.
        after["drafts_left"] = drafts
        after["forced"] = True
    audit.record(
        actor=actor,
        action="evaluation.stage.close",
        obj=stage,
        before=before,
        after=after,
        reason=reason,
    )
    for callback in list(on_stage_closed):
        callback(stage, actor)


def open_stage(stage: Stage, *, actor: Any, reason: str = "") -> Stage:
    """Open a pending stage: no other stage may be running and every earlier stage must
    be closed or skipped. The edition's state becomes the stage's code."""
    _require_secretariat(actor)
    with transaction.atomic():
        edition, fresh = _locked_stage(stage)
        if edition.state == EditionState.CLOSED:
            raise DomainError(_("Penyelenggaraan sudah ditutup."))
        _open(edition, fresh, actor=actor, reason=reason)
    _sync(stage, fresh)
    return stage


def close_stage(stage: Stage, *, actor: Any, force: bool = False, reason: str = "") -> Stage:
    """Close the running stage.

    A scoring stage with draft sheets (not excused) is refused unless `force=True` with a
    reason; the drafts then stay drafts and the count is recorded.
    """
    _require_secretariat(actor)
    with transaction.atomic():
        edition, fresh = _locked_stage(stage)
        _close(edition, fresh, actor=actor, force=force, reason=reason)
    _sync(stage, fresh)
    return stage


def advance_edition(
    edition: Edition, *, actor: Any, reason: str = "", force: bool = False
) -> Stage | None:
    """Close the running stage and open the next pending one by position.

    Returns the opened stage, or None when no stage is left: the edition is then closed.
    `edition.state` is the state the caller saw; when the edition has moved on since, the
    call is refused, so two concurrent advances never both succeed.
    """
    _require_secretariat(actor)
    seen_state = edition.state
    with transaction.atomic():
        locked = _lock(edition.pk)
        if locked.state != seen_state:
            raise DomainError(
                _(
                    "Tahap penyelenggaraan sudah berubah menjadi «%(state)s» sejak halaman "
                    "dimuat; muat ulang lalu periksa kembali."
                )
                % {"state": locked.get_state_display()}
            )
        if locked.state == EditionState.CLOSED:
            raise DomainError(_("Penyelenggaraan sudah ditutup."))
        current = Stage.objects.filter(edition=locked, status=StageStatus.OPEN).first()
        if current is not None:
            _close(locked, current, actor=actor, force=force, reason=reason)
        following = Stage.objects.filter(edition=locked, status=StageStatus.PENDING)
        if current is not None:
            following = following.filter(position__gt=current.position)
        upcoming = following.order_by("position").first()
        if upcoming is not None:
            _open(locked, upcoming, actor=actor, reason=reason)
        else:
            before = {"state": locked.state}
            locked.state = EditionState.CLOSED
            locked.save(update_fields=["state", "updated_at"])
            audit.record(
                actor=actor,
                action="evaluation.edition.close",
                obj=locked,
                before=before,
                after={"state": locked.state},
                reason=reason,
            )
    edition.state = locked.state
    return upcoming


def skip_stage(stage: Stage, *, actor: Any, reason: str = "") -> Stage:
    """Mark a pending stage as skipped; `advance_edition` then passes over it."""
    _require_secretariat(actor)
    with transaction.atomic():
        _edition, fresh = _locked_stage(stage)
        if fresh.status != StageStatus.PENDING:
            raise DomainError(
                _("Hanya tahap yang belum dibuka dapat dilewati; «%(stage)s» berstatus %(status)s.")
                % {"stage": _label(fresh), "status": fresh.get_status_display()}
            )
        fresh.status = StageStatus.SKIPPED
        fresh.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="evaluation.stage.skip",
            obj=fresh,
            before={"status": StageStatus.PENDING},
            after={"status": fresh.status},
            reason=reason,
        )
    _sync(stage, fresh)
    return stage


def _check_editable(stage: Stage) -> None:
    if stage.status not in EDITABLE_STATUSES:
        raise DomainError(
            _("Tahap «%(stage)s» sudah %(status)s dan tidak dapat diubah.")
            % {"stage": _label(stage), "status": stage.get_status_display().lower()}
        )


def update_stage_window(
    stage: Stage,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    *,
    actor: Any,
    reason: str = "",
) -> Stage:
    """Set the stage's dates (pending or running stages only); the end must follow the start."""
    _require_secretariat(actor)
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value is not None and timezone.is_naive(value):
            raise DomainError(_("Tanggal harus menyertakan zona waktu."), field=name)
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise DomainError(
            _("Waktu selesai harus sesudah waktu mulai."),
            field="ends_at",
        )
    with transaction.atomic():
        _edition, fresh = _locked_stage(stage)
        _check_editable(fresh)
        before = {"starts_at": fresh.starts_at, "ends_at": fresh.ends_at}
        fresh.starts_at, fresh.ends_at = starts_at, ends_at
        fresh.save(update_fields=["starts_at", "ends_at"])
        audit.record(
            actor=actor,
            action="evaluation.stage.window",
            obj=fresh,
            before=before,
            after={"starts_at": starts_at, "ends_at": ends_at},
            reason=reason,
        )
    _sync(stage, fresh)
    return stage


def _clean_flags(flags: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in flags.items():
        if name in BOOLEAN_FLAGS:
            if not isinstance(value, bool):
                raise DomainError(_("Isian %(name)s harus ya/tidak.") % {"name": name}, field=name)
        elif name == "scoring":
            if value not in SCORING_PARTS:
                raise DomainError(
                    _(
                        "Bagian yang dinilai harus kosong, «sections», «rubric», "
                        "«rubric:presentation», «rubric:feasibility» atau «rubric:interview»."
                    ),
                    field=name,
                )
        elif name == "assessor_role":
            if value != "" and value not in AssessorRole.values:
                raise DomainError(
                    _("Peran penilai tidak dikenal: %(value)s.") % {"value": value}, field=name
                )
        else:
            raise DomainError(
                _("Pengaturan tahap tidak dikenal: %(name)s; yang ada: %(known)s.")
                % {"name": name, "known": ", ".join(FLAG_FIELDS)},
                field=name,
            )
        cleaned[name] = value
    return cleaned


def set_stage_flags(
    stage: Stage, flags: Mapping[str, Any], *, actor: Any, reason: str = ""
) -> Stage:
    """Change what a pending or running stage allows (`BOOLEAN_FLAGS`, `scoring`,
    `assessor_role`); unknown names are refused, unchanged values are ignored."""
    _require_secretariat(actor)
    cleaned = _clean_flags(flags)
    with transaction.atomic():
        _edition, fresh = _locked_stage(stage)
        _check_editable(fresh)
        changed = {k: v for k, v in cleaned.items() if getattr(fresh, k) != v}
        if changed:
            before = {k: getattr(fresh, k) for k in changed}
            for name, value in changed.items():
                setattr(fresh, name, value)
            fresh.save(update_fields=list(changed))
            audit.record(
                actor=actor,
                action="evaluation.stage.flags",
                obj=fresh,
                before=before,
                after=changed,
                reason=reason,
            )
    _sync(stage, fresh)
    return stage
