"""Appointing assessors, the code of conduct and conflict declarations (kipp.md §3, §10.1)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from prima.core.access import access_for
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry, Membership
from prima.evaluation.domain.appointments import (
    accept_code_of_conduct,
    appoint_assessor,
    deactivate_appointment,
    declare_conflicts,
    enter_conflict,
)
from prima.evaluation.enums import (
    AssessorRole,
    ConflictKind,
    EditionState,
    SheetStatus,
)
from prima.evaluation.models import Assignment, Conflict, ScoreSheet
from prima.evaluation.queries import subjects_for_assessor
from tests.evaluation.domain.db_factories import SubjectFactory, assessor, desk
from tests.factories import InstitutionFactory, PersonFactory
from tests.kipp.factories import AssignmentFactory, EditionFactory


@pytest.fixture
def edition(db):
    return EditionFactory(stages=EditionState.DESK_EVALUATION)


@pytest.fixture
def lecturer(db):
    return PersonFactory(username="dosen", full_name="Dr. Sari Dewi")


def sheet_for(assignment: Assignment, status: str) -> ScoreSheet:
    return ScoreSheet.objects.create(
        assignment=assignment,
        stage=assignment.stage,
        subject=assignment.subject,
        appointment=assignment.appointment,
        instrument=assignment.stage.edition.instrument,
        status=status,
    )


# --------------------------------------------------------------------------- appointing


def test_secretariat_appoints_an_evaluator_who_gains_nothing_else(secretariat, edition, lecturer):
    campus = InstitutionFactory()
    former = InstitutionFactory()

    appointment = appoint_assessor(
        edition,
        lecturer,
        AssessorRole.EVALUATOR,
        affiliation=campus,
        past_institutions=[former],
        home_province="35",
        university="Universitas Airlangga",
        expertise="kesehatan masyarakat, imunisasi",
        categories=["AC4"],
        max_load=20,
        actor=secretariat,
    )

    assert appointment.role == AssessorRole.EVALUATOR
    assert appointment.appointed_by == secretariat
    assert list(appointment.past_institutions.all()) == [former]
    assert appointment.is_ready is False  # code of conduct and declaration still to come
    assert not Membership.objects.filter(person=lecturer).exists()
    assert access_for(lecturer).roles == set()
    entry = AuditEntry.objects.get(action="evaluation.appointment.create")
    assert entry.after["past_institutions"] == [former.pk]
    assert entry.after["categories"] == ["AC4"]


def test_nobody_may_be_both_evaluator_and_panelist(secretariat, edition, lecturer):
    appoint_assessor(edition, lecturer, AssessorRole.EVALUATOR, actor=secretariat)

    with pytest.raises(DomainError, match="dua peran"):
        appoint_assessor(edition, lecturer, AssessorRole.PANELIST, actor=secretariat)
    with pytest.raises(DomainError, match="dua peran"):
        appoint_assessor(edition, lecturer, AssessorRole.EVALUATOR, actor=secretariat)

    other = EditionFactory()
    assert appoint_assessor(other, lecturer, AssessorRole.PANELIST, actor=secretariat).pk


def test_no_appointments_in_a_closed_edition(secretariat, lecturer):
    edition = EditionFactory(stages=EditionState.DECREED)
    edition.state = EditionState.CLOSED
    edition.save()

    with pytest.raises(DomainError, match="sudah ditutup"):
        appoint_assessor(edition, lecturer, AssessorRole.EVALUATOR, actor=secretariat)


def test_appointment_input_is_checked(secretariat, edition, lecturer):
    with pytest.raises(DomainError, match="Kategori tidak dikenal: AC99"):
        appoint_assessor(
            edition, lecturer, AssessorRole.EVALUATOR, categories=["AC99"], actor=secretariat
        )
    with pytest.raises(DomainError, match="melebihi"):
        appoint_assessor(
            edition, lecturer, AssessorRole.EVALUATOR, min_load=5, max_load=3, actor=secretariat
        )
    with pytest.raises(DomainError, match="dua angka"):
        appoint_assessor(
            edition, lecturer, AssessorRole.EVALUATOR, home_province="Jatim", actor=secretariat
        )


def test_only_the_secretariat_appoints(evaluator, admin_a, edition, lecturer):
    for person in (evaluator, admin_a, lecturer):
        with pytest.raises(PermissionDenied):
            appoint_assessor(edition, lecturer, AssessorRole.EVALUATOR, actor=person)


# --------------------------------------------------------------------------- readiness


def test_assessor_becomes_ready_after_code_and_declaration(secretariat, edition, lecturer):
    appointment = appoint_assessor(edition, lecturer, AssessorRole.EVALUATOR, actor=secretariat)

    with pytest.raises(PermissionDenied):
        accept_code_of_conduct(appointment, actor=secretariat)
    accept_code_of_conduct(appointment, actor=lecturer)
    assert appointment.is_ready is False
    declare_conflicts(appointment, [], actor=lecturer)  # nothing to declare

    appointment.refresh_from_db()
    assert appointment.is_ready is True
    assert not appointment.conflicts.exists()
    actions = AuditEntry.objects.filter(object_id=str(appointment.pk)).values_list(
        "action", flat=True
    )
    assert {"evaluation.appointment.accept_code", "evaluation.conflict.declare"} <= set(actions)


def test_declared_conflicts_accumulate_and_are_never_repeated(secretariat, edition, lecturer):
    appointment = appoint_assessor(edition, lecturer, AssessorRole.EVALUATOR, actor=secretariat)
    consulted = SubjectFactory(edition=edition)
    home_town = InstitutionFactory()

    declare_conflicts(
        appointment,
        [{"subject": consulted, "nature": "consultancy", "reason": "Pendamping inovasi 2024"}],
        actor=lecturer,
    )
    first_declared = appointment.conflicts_declared_at
    declare_conflicts(
        appointment,
        [
            {"subject": consulted.pk, "nature": "consultancy", "reason": "Diulang"},
            {"institution": home_town, "nature": "family", "reason": "Istri bekerja di sana"},
        ],
        actor=lecturer,
    )

    rows = Conflict.objects.filter(appointment=appointment)
    assert {(c.subject_id, c.institution_id, c.nature) for c in rows} == {
        (consulted.pk, None, "consultancy"),
        (None, home_town.pk, "family"),
    }
    assert rows.count() == 2
    assert {c.kind for c in rows} == {ConflictKind.DECLARED}
    appointment.refresh_from_db()
    assert appointment.conflicts_declared_at == first_declared


def test_declarations_are_checked(secretariat, edition, lecturer):
    appointment = appoint_assessor(edition, lecturer, AssessorRole.EVALUATOR, actor=secretariat)
    elsewhere = SubjectFactory(edition=EditionFactory())

    with pytest.raises(DomainError, match="Konflik 1: keterangan wajib"):
        declare_conflicts(
            appointment, [{"subject": SubjectFactory(edition=edition)}], actor=lecturer
        )
    with pytest.raises(DomainError, match="Konflik 1: subjek tidak ada"):
        declare_conflicts(appointment, [{"subject": elsewhere, "reason": "x"}], actor=lecturer)
    with pytest.raises(DomainError, match="tepat satu"):
        declare_conflicts(appointment, [{"reason": "tanpa sasaran"}], actor=lecturer)
    with pytest.raises(DomainError, match="sifat hubungan"):
        declare_conflicts(
            appointment,
            [{"subject": SubjectFactory(edition=edition), "nature": "musuh", "reason": "x"}],
            actor=lecturer,
        )
    with pytest.raises(PermissionDenied):
        declare_conflicts(appointment, [], actor=secretariat)

    appointment.refresh_from_db()
    assert appointment.conflicts_declared_at is None
    assert not Conflict.objects.exists()


# --------------------------------------------------------------------------- secretariat


def test_entered_conflict_removes_the_live_assignment_and_its_draft(secretariat, edition):
    assignment = AssignmentFactory(
        stage=desk(edition),
        subject=SubjectFactory(edition=edition),
        appointment=assessor(edition, "V1"),
    )
    sheet_for(assignment, SheetStatus.DRAFT)
    appointment = assignment.appointment
    assert subjects_for_assessor(appointment, desk(edition)).count() == 1

    conflict = enter_conflict(
        appointment,
        subject=assignment.subject,
        reason="Terungkap hubungan keluarga dengan kepala unit",
        nature="family",
        actor=secretariat,
    )

    assert conflict.kind == ConflictKind.SECRETARIAT_ENTERED
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert not ScoreSheet.objects.exists()
    entry = AuditEntry.objects.get(action="evaluation.conflict.enter")
    assert entry.after["assignments_removed"][0]["subject"] == assignment.subject_id
    assert entry.reason == "Terungkap hubungan keluarga dengan kepala unit"


def test_entered_conflict_with_a_final_sheet_is_refused(secretariat, edition):
    assignment = AssignmentFactory(
        stage=desk(edition),
        subject=SubjectFactory(edition=edition, title="Sipaduko"),
        appointment=assessor(edition, "V1"),
    )
    sheet_for(assignment, SheetStatus.FINAL)

    with pytest.raises(DomainError, match="«Sipaduko»"):
        enter_conflict(
            assignment.appointment,
            subject=assignment.subject,
            reason="Konsultan",
            actor=secretariat,
        )

    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert not Conflict.objects.exists()


def test_institution_conflict_removes_every_assignment_at_that_institution(secretariat, edition):
    city = InstitutionFactory()
    appointment = assessor(edition, "V1")
    hit = [
        AssignmentFactory(
            stage=desk(edition),
            subject=SubjectFactory(edition=edition, institution=city),
            appointment=appointment,
        )
        for _ in range(2)
    ]
    spared = AssignmentFactory(
        stage=desk(edition), subject=SubjectFactory(edition=edition), appointment=appointment
    )

    enter_conflict(
        appointment, institution=city, reason="Pernah menjadi tenaga ahli", actor=secretariat
    )

    assert not Assignment.objects.filter(pk__in=[a.pk for a in hit]).exists()
    assert Assignment.objects.filter(pk=spared.pk).exists()


def test_only_the_secretariat_enters_conflicts(edition, evaluator):
    appointment = assessor(edition, "V1")
    with pytest.raises(PermissionDenied):
        enter_conflict(
            appointment,
            subject=SubjectFactory(edition=edition),
            reason="x",
            actor=appointment.person,
        )


def test_a_late_declaration_withdraws_unscored_assignments(secretariat, edition):
    appointment = assessor(edition, "V1")
    scored = AssignmentFactory(
        stage=desk(edition), subject=SubjectFactory(edition=edition), appointment=appointment
    )
    sheet_for(scored, SheetStatus.FINAL)
    unscored = AssignmentFactory(
        stage=desk(edition), subject=SubjectFactory(edition=edition), appointment=appointment
    )

    declare_conflicts(
        appointment,
        [
            {"subject": scored.subject, "reason": "Baru tahu", "nature": "other"},
            {"subject": unscored.subject, "reason": "Rekan penulis", "nature": "coauthorship"},
        ],
        actor=appointment.person,
    )

    assert Assignment.objects.filter(pk=scored.pk).exists()  # kept, for the secretariat
    assert not Assignment.objects.filter(pk=unscored.pk).exists()
    assert subjects_for_assessor(appointment, desk(edition)).count() == 0
    entry = AuditEntry.objects.get(action="evaluation.conflict.declare")
    assert entry.after["scored_assignments_kept"] == [scored.pk]


def test_deactivated_assessor_sees_nothing(secretariat, edition):
    assignment = AssignmentFactory(
        stage=desk(edition),
        subject=SubjectFactory(edition=edition),
        appointment=assessor(edition, "V1"),
    )
    appointment = assignment.appointment

    with pytest.raises(DomainError, match="Alasan"):
        deactivate_appointment(appointment, actor=secretariat)
    deactivate_appointment(appointment, actor=secretariat, reason="Mengundurkan diri")

    appointment.refresh_from_db()
    assert appointment.is_active is False
    assert subjects_for_assessor(appointment, desk(edition)).count() == 0
    entry = AuditEntry.objects.get(action="evaluation.appointment.deactivate")
    assert entry.after == {"is_active": False, "live_assignments": 1}
    with pytest.raises(DomainError, match="tidak aktif"):
        accept_code_of_conduct(appointment, actor=appointment.person)


def test_code_acceptance_is_recorded_once(edition):
    appointment = assessor(edition, "V1", code_of_conduct_accepted_at=None)

    accept_code_of_conduct(appointment, actor=appointment.person)
    first = appointment.code_of_conduct_accepted_at
    accept_code_of_conduct(appointment, actor=appointment.person)

    assert first is not None and first <= timezone.now()
    appointment.refresh_from_db()
    assert appointment.code_of_conduct_accepted_at == first
    assert AuditEntry.objects.filter(action="evaluation.appointment.accept_code").count() == 1
