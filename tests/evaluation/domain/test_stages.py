"""Stage transitions: advancing an edition, closing atomically, stage settings (kipp.md §5)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.evaluation.domain import stages as stage_domain
from prima.evaluation.domain.stages import (
    advance_edition,
    close_stage,
    on_stage_closed,
    open_stage,
    set_stage_flags,
    skip_stage,
    update_stage_window,
)
from prima.evaluation.enums import EditionState, SheetStatus, StageStatus
from prima.evaluation.models import Edition, ScoreSheet, Stage
from tests.evaluation.domain.db_factories import SubjectFactory, assessor, desk
from tests.kipp.factories import AssignmentFactory, EditionFactory


def status(edition: Edition, code: str) -> str:
    return Stage.objects.get(edition=edition, code=code).status


@pytest.fixture
def hooks():
    """Register callbacks for one test only."""
    added: list = []

    def register(callback):
        on_stage_closed.append(callback)
        added.append(callback)

    yield register
    for callback in added:
        on_stage_closed.remove(callback)


def draft_sheet(edition: Edition, *, excused: bool = False) -> ScoreSheet:
    stage = desk(edition)
    assignment = AssignmentFactory(
        stage=stage,
        subject=SubjectFactory(edition=edition),
        appointment=assessor(edition, f"Penilai{ScoreSheet.objects.count()}"),
        is_excused=excused,
    )
    return ScoreSheet.objects.create(
        assignment=assignment,
        stage=stage,
        subject=assignment.subject,
        appointment=assignment.appointment,
        instrument=edition.instrument,
        status=SheetStatus.DRAFT,
    )


# --------------------------------------------------------------------------- advancing


def test_advance_closes_the_running_stage_and_opens_the_next(secretariat):
    edition = EditionFactory()  # registration open

    opened = advance_edition(edition, actor=secretariat, reason="Sesuai jadwal")

    assert opened is not None and opened.code == EditionState.REGISTRATION_CLOSED
    assert status(edition, EditionState.REGISTRATION_OPEN) == StageStatus.CLOSED
    assert status(edition, EditionState.REGISTRATION_CLOSED) == StageStatus.OPEN
    edition.refresh_from_db()
    assert edition.state == EditionState.REGISTRATION_CLOSED
    closed = Stage.objects.get(edition=edition, code=EditionState.REGISTRATION_OPEN)
    assert closed.closed_at is not None and opened.opened_at is not None
    actions = set(
        AuditEntry.objects.filter(object_type="evaluation.stage").values_list("action", flat=True)
    )
    assert {"evaluation.stage.close", "evaluation.stage.open"} <= actions


def test_advance_passes_over_skipped_stages(secretariat):
    # kipp-2025 disables the panel review, so desk evaluation leads to the objection window.
    edition = EditionFactory(stages=EditionState.DESK_EVALUATION)
    assert status(edition, EditionState.PANEL_STAGE) == StageStatus.SKIPPED

    opened = advance_edition(edition, actor=secretariat)

    assert opened is not None and opened.code == EditionState.OBJECTION_WINDOW
    assert status(edition, EditionState.PANEL_STAGE) == StageStatus.SKIPPED


def test_advancing_past_the_last_stage_closes_the_edition(secretariat):
    edition = EditionFactory(stages=EditionState.DECREED)

    assert advance_edition(edition, actor=secretariat) is None

    edition.refresh_from_db()
    assert edition.state == EditionState.CLOSED
    assert status(edition, EditionState.DECREED) == StageStatus.CLOSED
    assert AuditEntry.objects.filter(action="evaluation.edition.close").exists()
    with pytest.raises(DomainError, match="sudah ditutup"):
        advance_edition(edition, actor=secretariat)


def test_opening_registration_freezes_the_instrument(secretariat):
    edition = EditionFactory(stages=EditionState.LAUNCHED)
    assert edition.instrument.used_at is None

    advance_edition(edition, actor=secretariat)

    edition.instrument.refresh_from_db()
    assert edition.instrument.used_at is not None


def test_a_repeated_advance_with_a_stale_edition_is_refused(secretariat):
    edition = EditionFactory()
    same_page_twice = Edition.objects.get(pk=edition.pk)

    advance_edition(edition, actor=secretariat)
    with pytest.raises(DomainError, match="sudah berubah"):
        advance_edition(same_page_twice, actor=secretariat)

    edition.refresh_from_db()
    assert edition.state == EditionState.REGISTRATION_CLOSED
    assert Stage.objects.filter(edition=edition, status=StageStatus.OPEN).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_advances_never_both_succeed(secretariat):
    edition = EditionFactory()
    copies = [Edition.objects.get(pk=edition.pk) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def advance(copy: Edition) -> None:
        try:
            barrier.wait()
            advance_edition(copy, actor=secretariat)
            outcomes.append("advanced")
        except DomainError:
            outcomes.append("refused")  # waited for the lock, then saw the new state
        except OperationalError as error:
            # SQLite's shared in-memory test database refuses instead of waiting.
            outcomes.append("locked" if "locked" in str(error) else str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=advance, args=(copy,)) for copy in copies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winner, loser = sorted(outcomes)
    assert winner == "advanced" and loser in ("locked", "refused"), outcomes
    edition.refresh_from_db()
    assert edition.state == EditionState.REGISTRATION_CLOSED
    assert list(
        Stage.objects.filter(edition=edition, status=StageStatus.OPEN).values_list(
            "code", flat=True
        )
    ) == [EditionState.REGISTRATION_CLOSED]


# --------------------------------------------------------------------------- closing


def test_closing_a_scoring_stage_with_drafts_is_refused(secretariat):
    edition = EditionFactory(stages=EditionState.DESK_EVALUATION)
    draft_sheet(edition)

    with pytest.raises(DomainError, match="1 lembar nilai"):
        close_stage(desk(edition), actor=secretariat)
    with pytest.raises(DomainError, match="1 lembar nilai"):
        advance_edition(edition, actor=secretariat)

    assert status(edition, EditionState.DESK_EVALUATION) == StageStatus.OPEN


def test_excused_drafts_do_not_block_closing(secretariat):
    edition = EditionFactory(stages=EditionState.DESK_EVALUATION)
    draft_sheet(edition, excused=True)

    close_stage(desk(edition), actor=secretariat)

    assert status(edition, EditionState.DESK_EVALUATION) == StageStatus.CLOSED


def test_forced_close_needs_a_reason_and_keeps_drafts_as_drafts(secretariat):
    edition = EditionFactory(stages=EditionState.DESK_EVALUATION)
    sheet = draft_sheet(edition)

    with pytest.raises(DomainError, match="alasan"):
        close_stage(desk(edition), actor=secretariat, force=True)
    close_stage(desk(edition), actor=secretariat, force=True, reason="Penilai sakit, rapat pleno")

    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT
    entry = AuditEntry.objects.get(action="evaluation.stage.close")
    assert entry.after == {"status": "closed", "drafts_left": 1, "forced": True}
    assert entry.reason == "Penilai sakit, rapat pleno"


def test_closed_stage_hooks_run_inside_the_closing_transaction(secretariat, hooks):
    edition = EditionFactory()
    seen: list[tuple[str, object]] = []
    hooks(lambda stage, actor: seen.append((stage.code, actor)))

    advance_edition(edition, actor=secretariat)

    assert seen == [(EditionState.REGISTRATION_OPEN, secretariat)]


def test_a_failing_hook_rolls_the_close_back(secretariat, hooks):
    edition = EditionFactory()

    def refuse(stage, actor):
        raise DomainError("Program menolak penutupan.")

    hooks(refuse)

    with pytest.raises(DomainError, match="menolak"):
        advance_edition(edition, actor=secretariat)

    assert status(edition, EditionState.REGISTRATION_OPEN) == StageStatus.OPEN
    edition.refresh_from_db()
    assert edition.state == EditionState.REGISTRATION_OPEN
    assert not AuditEntry.objects.filter(action="evaluation.stage.close").exists()


# --------------------------------------------------------------------------- open, skip


def test_open_stage_refuses_while_another_stage_runs(secretariat):
    edition = EditionFactory()
    pending = Stage.objects.get(edition=edition, code=EditionState.REGISTRATION_CLOSED)

    with pytest.raises(DomainError, match="masih berjalan"):
        open_stage(pending, actor=secretariat)


def test_open_stage_refuses_to_jump_over_pending_stages(secretariat):
    edition = EditionFactory()
    close_stage(
        Stage.objects.get(edition=edition, code=EditionState.REGISTRATION_OPEN), actor=secretariat
    )
    later = Stage.objects.get(edition=edition, code=EditionState.DESK_EVALUATION)

    with pytest.raises(DomainError, match="belum dilalui"):
        open_stage(later, actor=secretariat)

    for code in (EditionState.REGISTRATION_CLOSED, EditionState.ADMIN_SELECTION):
        skip_stage(Stage.objects.get(edition=edition, code=code), actor=secretariat, reason="Uji")
    open_stage(later, actor=secretariat)
    assert later.status == StageStatus.OPEN
    edition.refresh_from_db()
    assert edition.state == EditionState.DESK_EVALUATION


def test_only_pending_stages_can_be_skipped(secretariat):
    edition = EditionFactory()
    running = Stage.objects.get(edition=edition, code=EditionState.REGISTRATION_OPEN)

    with pytest.raises(DomainError, match="belum dibuka"):
        skip_stage(running, actor=secretariat)

    pending = Stage.objects.get(edition=edition, code=EditionState.REGISTRATION_CLOSED)
    skip_stage(pending, actor=secretariat, reason="Tidak diperlukan")
    assert status(edition, EditionState.REGISTRATION_CLOSED) == StageStatus.SKIPPED
    assert AuditEntry.objects.filter(action="evaluation.stage.skip").exists()


def test_stage_changes_are_for_the_secretariat(evaluator, operator_a):
    edition = EditionFactory()
    stage = Stage.objects.get(edition=edition, code=EditionState.REGISTRATION_OPEN)

    for person in (evaluator, operator_a, None):
        with pytest.raises(PermissionDenied):
            advance_edition(edition, actor=person)
        with pytest.raises(PermissionDenied):
            close_stage(stage, actor=person)
        with pytest.raises(PermissionDenied):
            set_stage_flags(stage, {"decisions_open": True}, actor=person)

    assert status(edition, EditionState.REGISTRATION_OPEN) == StageStatus.OPEN


# --------------------------------------------------------------------------- settings


def test_stage_window_is_audited_and_must_be_ordered(secretariat):
    edition = EditionFactory()
    stage = Stage.objects.get(edition=edition, code=EditionState.DESK_EVALUATION)
    start = timezone.make_aware(dt.datetime(2025, 6, 30, 8, 0))
    end = timezone.make_aware(dt.datetime(2025, 7, 13, 23, 59))

    with pytest.raises(DomainError, match="sesudah"):
        update_stage_window(stage, end, start, actor=secretariat)
    update_stage_window(stage, start, end, actor=secretariat, reason="Jadwal pedoman")

    stage.refresh_from_db()
    assert (stage.starts_at, stage.ends_at) == (start, end)
    entry = AuditEntry.objects.get(action="evaluation.stage.window")
    assert entry.before == {"starts_at": None, "ends_at": None}


def test_closed_stages_cannot_be_changed(secretariat):
    edition = EditionFactory(stages=EditionState.ADMIN_SELECTION)
    closed = Stage.objects.get(edition=edition, code=EditionState.REGISTRATION_OPEN)

    with pytest.raises(DomainError, match="tidak dapat diubah"):
        update_stage_window(closed, None, None, actor=secretariat)
    with pytest.raises(DomainError, match="tidak dapat diubah"):
        set_stage_flags(closed, {"participants_submit": True}, actor=secretariat)


def test_stage_flags_change_only_known_settings(secretariat):
    edition = EditionFactory(stages=EditionState.DESK_EVALUATION)
    stage = desk(edition)

    with pytest.raises(DomainError, match="tidak dikenal"):
        set_stage_flags(stage, {"can_dance": True}, actor=secretariat)
    with pytest.raises(DomainError, match="ya/tidak"):
        set_stage_flags(stage, {"identities_visible": "ya"}, actor=secretariat)
    set_stage_flags(
        stage,
        {"identities_visible": True, "assessors_score": True, "scoring": "sections"},
        actor=secretariat,
        reason="Penilaian terbuka",
    )

    stage.refresh_from_db()
    assert stage.identities_visible is True
    entry = AuditEntry.objects.get(action="evaluation.stage.flags")
    assert entry.before == {"identities_visible": False}  # unchanged values are not logged
    assert entry.after == {"identities_visible": True}


def test_callbacks_registry_is_a_plain_list():
    assert stage_domain.on_stage_closed is on_stage_closed
    assert isinstance(on_stage_closed, list)
