"""Single reviews by hand: excuse, undo, replacement (kipp.md §8 #8, §10.1)."""

from __future__ import annotations

import pytest

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.evaluation.domain.results import stage_results
from prima.evaluation.domain.reviews import (
    add_manual_assignment,
    excuse_assignment,
    replacement_candidates,
    restore_assignment,
)
from prima.evaluation.domain.runs import add_pin, deploy_run, run_assignment
from prima.evaluation.domain.stages import close_stage
from prima.evaluation.enums import AssessorRole, EditionState, PinKind, SheetStatus, StageStatus
from prima.evaluation.models import Assignment, Pin, ScoreSheet
from tests.evaluation.domain.db_factories import SubjectFactory, assessor, desk
from tests.factories import InstitutionFactory
from tests.kipp.factories import EditionFactory

REASON = "Penilai sakit selama sepekan penilaian"


@pytest.fixture
def edition(db):
    return EditionFactory(stages=EditionState.DESK_EVALUATION)


@pytest.fixture
def stage(edition):
    return desk(edition)


def sheet(assignment: Assignment, status: str) -> ScoreSheet:
    return ScoreSheet.objects.create(
        assignment=assignment,
        stage=assignment.stage,
        subject=assignment.subject,
        appointment=assignment.appointment,
        instrument=assignment.stage.edition.instrument,
        status=status,
    )


@pytest.fixture
def review(edition, stage):
    """One subject reviewed by Ani (draft sheet) and Budi (final sheet)."""
    subject = SubjectFactory(edition=edition, title="Klinik Keliling")
    ani, budi = assessor(edition, "Ani"), assessor(edition, "Budi")
    first = Assignment.objects.create(stage=stage, subject=subject, appointment=ani)
    second = Assignment.objects.create(stage=stage, subject=subject, appointment=budi)
    sheet(first, SheetStatus.DRAFT)
    sheet(second, SheetStatus.FINAL)
    return subject, first, second


def test_an_excused_review_no_longer_blocks_results_or_closing(secretariat, stage, review):
    _subject, draft, _final = review
    [before] = stage_results(stage)
    assert [r.name for r in before.pending] == ["Ani"]
    with pytest.raises(DomainError, match="draf"):
        close_stage(stage, actor=secretariat)

    outcome = excuse_assignment(draft, reason=REASON, actor=secretariat)

    draft.refresh_from_db()
    assert (draft.is_excused, draft.excuse_reason) == (True, REASON)
    assert outcome.replacement is None
    [after] = stage_results(stage)
    assert after.pending == () and after.excused == 1 and after.is_complete
    entry = AuditEntry.objects.get(action="evaluation.assignment.excuse")
    assert entry.reason == REASON and entry.after["sheet"] == SheetStatus.DRAFT
    close_stage(stage, actor=secretariat)  # the excused draft does not block it


def test_excusing_needs_the_secretariat_and_a_real_reason(secretariat, evaluator, review):
    _subject, draft, _final = review
    with pytest.raises(PermissionDenied):
        excuse_assignment(draft, reason=REASON, actor=evaluator)
    with pytest.raises(DomainError) as short:
        excuse_assignment(draft, reason=" sakit ", actor=secretariat)
    assert short.value.field == "reason" and "10" in short.value.message
    draft.refresh_from_db()
    assert not draft.is_excused
    assert not AuditEntry.objects.filter(action="evaluation.assignment.excuse").exists()


def test_a_final_sheet_cannot_be_excused(secretariat, review):
    _subject, _draft, final = review
    with pytest.raises(DomainError, match="Budi sudah memfinalkan"):
        excuse_assignment(final, reason=REASON, actor=secretariat)
    final.refresh_from_db()
    assert not final.is_excused


def test_excuse_and_undo_only_before_the_stage_closes(secretariat, stage, review):
    _subject, draft, _final = review
    excuse_assignment(draft, reason=REASON, actor=secretariat)
    with pytest.raises(DomainError, match="sudah dibebaskan"):
        excuse_assignment(draft, reason=REASON, actor=secretariat)

    restore_assignment(draft, actor=secretariat, reason="Penilai sudah pulih")
    draft.refresh_from_db()
    assert (draft.is_excused, draft.excuse_reason) == (False, "")
    restore_entry = AuditEntry.objects.get(action="evaluation.assignment.restore")
    assert restore_entry.before == {"is_excused": True, "excuse_reason": REASON}
    with pytest.raises(DomainError, match="tidak sedang dibebaskan"):
        restore_assignment(draft, actor=secretariat)

    excuse_assignment(draft, reason=REASON, actor=secretariat)
    close_stage(stage, actor=secretariat)
    with pytest.raises(DomainError, match="ditutup"):
        restore_assignment(draft, actor=secretariat)
    draft.refresh_from_db()
    assert draft.is_excused


def test_undo_is_refused_when_the_assessor_is_now_conflicted(secretariat, edition, review):
    subject, draft, _final = review
    subject.institution = InstitutionFactory()
    subject.save()
    excuse_assignment(draft, reason=REASON, actor=secretariat)
    # The assessor's affiliation was corrected after the excuse: now the same institution.
    appointment = draft.appointment
    appointment.affiliation = subject.institution
    appointment.save()
    with pytest.raises(DomainError, match=r"berkonflik.*same_institution"):
        restore_assignment(draft, actor=secretariat)
    draft.refresh_from_db()
    assert draft.is_excused


def test_a_replacement_is_added_live_and_pinned(secretariat, edition, stage, review):
    subject, draft, _final = review
    citra = assessor(edition, "Citra")

    outcome = excuse_assignment(draft, reason=REASON, replacement=citra, actor=secretariat)

    added = outcome.replacement
    assert added is not None and added.run_id is None
    assert Assignment.objects.filter(stage=stage, subject=subject, appointment=citra).exists()
    pin = Pin.objects.get(stage=stage, subject=subject, appointment=citra)
    assert pin.kind == PinKind.FORCE and "Ani" in pin.reason
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == [
        "evaluation.assignment.excuse",
        "evaluation.assignment.add",
        "evaluation.pin.add",
    ]
    [result] = stage_results(stage)
    assert [r.name for r in result.pending] == ["Citra"]


def test_a_conflicted_replacement_is_refused_and_nothing_changes(secretariat, edition, review):
    subject, draft, _final = review
    subject.institution = InstitutionFactory()
    subject.save()
    insider = assessor(edition, "Dedi", affiliation=subject.institution)
    with pytest.raises(DomainError, match=r"Dedi berkonflik.*same_institution"):
        excuse_assignment(draft, reason=REASON, replacement=insider, actor=secretariat)
    draft.refresh_from_db()
    assert not draft.is_excused
    assert not Assignment.objects.filter(appointment=insider).exists()
    assert not AuditEntry.objects.filter(action__startswith="evaluation.assignment").exists()


def test_manual_assignments_are_refused_with_the_reason(secretariat, edition, stage, review):
    subject, draft, _final = review
    ani = draft.appointment
    with pytest.raises(DomainError, match="sudah ditugaskan"):
        add_manual_assignment(stage, subject, ani, actor=secretariat)
    unready = assessor(edition, "Eka", conflicts_declared_at=None)
    with pytest.raises(DomainError, match="kode etik"):
        add_manual_assignment(stage, subject, unready, actor=secretariat)
    panelist = assessor(edition, "Fajar", role=AssessorRole.PANELIST)
    with pytest.raises(DomainError, match="bukan penilai"):
        add_manual_assignment(stage, subject, panelist, actor=secretariat)
    barred = assessor(edition, "Gita")
    add_pin(stage, subject, barred, PinKind.FORBID, "Pernah membina", actor=secretariat)
    with pytest.raises(DomainError, match="terlarang"):
        add_manual_assignment(stage, subject, barred, actor=secretariat)
    with pytest.raises(PermissionDenied):
        add_manual_assignment(stage, subject, assessor(edition, "Hadi"), actor=ani.person)
    assert Assignment.objects.filter(stage=stage).count() == 2


def test_the_next_run_keeps_a_manual_review(secretariat, edition, stage):
    subject = SubjectFactory(edition=edition)
    x, y = assessor(edition, "Xena"), assessor(edition, "Yudi")
    add_manual_assignment(stage, subject, x, actor=secretariat, reason="Keahlian langka")
    prefers_y = {(subject.pk, y.pk): 5.0, (subject.pk, x.pk): 0.0}
    run = run_assignment(
        stage, actor=secretariat, label="ulang", parameters={"demand": 1}, affinity=prefers_y
    )
    assert [(s, a) for s, a, _v in run.pairs] == [(subject.pk, x.pk)]
    deploy_run(run, actor=secretariat)
    assert set(Assignment.objects.filter(stage=stage).values_list("appointment_id", flat=True)) == {
        x.pk
    }


def test_replacement_candidates_leave_out_who_cannot_take_over(secretariat, edition, stage, review):
    subject, draft, _final = review
    subject.institution = InstitutionFactory()
    subject.save()
    busy = assessor(edition, "Citra")
    other = SubjectFactory(edition=edition)
    Assignment.objects.create(stage=stage, subject=other, appointment=busy)
    free = assessor(edition, "Dewi")
    assessor(edition, "Eko", affiliation=subject.institution)  # conflicted
    assessor(edition, "Fani", code_of_conduct_accepted_at=None)  # not ready
    assessor(edition, "Gani", is_active=False)
    barred = assessor(edition, "Hana")
    add_pin(stage, subject, barred, PinKind.FORBID, "Pernah membina", actor=secretariat)

    candidates = replacement_candidates(draft)

    assert [(c.person.full_name, c.load) for c in candidates] == [("Dewi", 0), ("Citra", 1)]
    assert free in candidates


def test_nothing_changes_on_a_closed_stage(secretariat, edition, stage, review):
    subject, draft, _final = review
    stage.status = StageStatus.CLOSED
    stage.save()
    with pytest.raises(DomainError, match="ditutup"):
        excuse_assignment(draft, reason=REASON, actor=secretariat)
    with pytest.raises(DomainError, match="ditutup"):
        add_manual_assignment(stage, subject, assessor(edition, "Citra"), actor=secretariat)
