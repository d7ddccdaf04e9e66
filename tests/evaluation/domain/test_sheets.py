"""Score sheets through the database: drafts, finalisation, corrections (kipp.md §10.2),
and the final stage's rubric: feasibility in 2025, presentation in 2021 (§6.1, §7.1, §13)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.evaluation.domain.catalogue import instrument_of
from prima.evaluation.domain.sheets import (
    SCORING_FEASIBILITY,
    SCORING_RUBRIC,
    correct_sheet,
    criteria_for,
    finalise_sheet,
    is_rubric,
    recompute_stage_totals,
    rubric_name,
    save_sheet,
    sheet_criteria,
    sheet_values,
)
from prima.evaluation.enums import ConflictKind, EditionState, SheetStatus, StageStatus
from prima.evaluation.models import Conflict, ScoreSheet, ScoreVersion
from tests.kipp.factories import (
    AppointmentFactory,
    AssignmentFactory,
    EditionFactory,
    ProposalFactory,
    instrument_from_file,
    rules_from_file,
)

D = Decimal
# kipp.md §18 A5, evaluator E1 (umum): LB KB IM SG AD SD KL → T_e 78.50.
E1 = {
    "ringkasan": 75,
    "latar_belakang": 80,
    "kebaruan": 70,
    "implementasi": 90,
    "signifikansi": 85,
    "adaptabilitas": 75,
    "sumber_daya": 60,
    "keberlanjutan": 80,
}
NOTE = "Inovasi relevan, bukti dampak cukup kuat."


@pytest.fixture
def edition(db):
    return EditionFactory(stages=EditionState.DESK_EVALUATION)


@pytest.fixture
def stage(edition):
    return edition.stages.get(code=EditionState.DESK_EVALUATION)


@pytest.fixture
def assignment(edition):
    subject = ProposalFactory(edition=edition, group="umum").subject
    return AssignmentFactory(subject=subject, appointment=AppointmentFactory(edition=edition))


@pytest.fixture
def assessor(assignment):
    return assignment.appointment.person


def test_draft_may_be_incomplete_and_is_edited_in_place(assignment, assessor):
    sheet = save_sheet(assignment, {"signifikansi": 85}, actor=assessor)
    assert sheet.status == SheetStatus.DRAFT
    assert sheet.total is None
    save_sheet(assignment, {"signifikansi": 80, "kebaruan": 70}, note="draf", actor=assessor)

    sheet.refresh_from_db()
    assert sheet.versions.count() == 1
    assert sheet_values(sheet) == {"signifikansi": D(80), "kebaruan": D(70)}
    assert sheet.versions.get().instrument_hash == sheet.instrument.content_hash
    assert AuditEntry.objects.filter(action="evaluation.sheet.save").count() == 2
    sheet.instrument.refresh_from_db()
    assert sheet.instrument.used_at is not None


def test_finalise_stores_exact_weighted_total(assignment, assessor):
    sheet = save_sheet(assignment, E1, note=NOTE, actor=assessor)
    sheet = finalise_sheet(sheet, actor=assessor)

    assert sheet.status == SheetStatus.FINAL
    assert sheet.total == D("78.50")
    assert sheet.finalised_at is not None
    version = sheet.versions.get()
    assert version.total == D("78.50")
    assert AuditEntry.objects.filter(action="evaluation.sheet.finalise", object_id=str(sheet.pk))


def test_finalise_needs_every_criterion_and_the_note(assignment, assessor):
    partial = {k: v for k, v in E1.items() if k != "ringkasan"}
    sheet = save_sheet(assignment, partial, note=NOTE, actor=assessor)
    # Zero-weight sections are scored too (kipp.md §10.2).
    with pytest.raises(DomainError, match="Ringkasan"):
        finalise_sheet(sheet, actor=assessor)

    sheet = save_sheet(assignment, E1, note="  ", actor=assessor)
    with pytest.raises(DomainError, match="Catatan umum"):
        finalise_sheet(sheet, actor=assessor)
    assert ScoreSheet.objects.get(pk=sheet.pk).status == SheetStatus.DRAFT


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (101, "«Signifikansi» harus 0–100, tertulis 101"),
        (-1, "«Signifikansi» harus 0–100, tertulis -1"),
        (D("85.5"), "«Signifikansi» harus bilangan bulat 0–100, tertulis 85.5"),
        ("85", "«Signifikansi» harus berupa angka"),
        (True, "«Signifikansi» harus berupa angka"),
    ],
)
def test_values_outside_the_scale_are_refused_naming_the_criterion(
    assignment, assessor, value, message
):
    with pytest.raises(DomainError, match=message):
        save_sheet(assignment, {"signifikansi": value}, actor=assessor)
    assert not ScoreSheet.objects.exists()


def test_criteria_follow_the_group(edition, assessor, assignment):
    # Kebaruan is hidden from replikasi; Faktor Pembeda from umum (kipp.md §7.1).
    with pytest.raises(DomainError, match="faktor_pembeda"):
        save_sheet(assignment, {"faktor_pembeda": 80}, actor=assessor)
    replica = ProposalFactory(edition=edition, group="replikasi").subject
    other = AssignmentFactory(subject=replica, appointment=assignment.appointment)
    with pytest.raises(DomainError, match="kebaruan"):
        save_sheet(other, {"kebaruan": 80}, actor=assessor)
    assert save_sheet(other, {"faktor_pembeda": 80}, actor=assessor).status == SheetStatus.DRAFT


def test_only_the_ready_assessor_may_save(assignment, secretariat, evaluator):
    with pytest.raises(PermissionDenied):
        save_sheet(assignment, E1, actor=evaluator)
    with pytest.raises(PermissionDenied):
        save_sheet(assignment, E1, actor=secretariat)
    appointment = assignment.appointment
    appointment.conflicts_declared_at = None
    appointment.save()
    with pytest.raises(PermissionDenied, match="kode etik"):
        save_sheet(assignment, E1, actor=appointment.person)


def test_conflicted_pair_is_refused(assignment, assessor, secretariat):
    Conflict.objects.create(
        appointment=assignment.appointment,
        kind=ConflictKind.DECLARED,
        subject=assignment.subject,
        reason="Saudara kandung bekerja di unit pengusul.",
        created_by=secretariat,
    )
    with pytest.raises(PermissionDenied, match="konflik kepentingan"):
        save_sheet(assignment, E1, actor=assessor)


def test_stage_must_be_open_for_scoring(edition, assignment, assessor):
    stage = assignment.stage
    stage.status = StageStatus.CLOSED
    stage.save()
    with pytest.raises(DomainError, match="tidak sedang berjalan"):
        save_sheet(assignment, E1, actor=assessor)


def test_final_sheet_is_changed_only_by_correction(assignment, assessor):
    sheet = finalise_sheet(save_sheet(assignment, E1, note=NOTE, actor=assessor), actor=assessor)
    with pytest.raises(DomainError, match="koreksi"):
        save_sheet(assignment, E1, note=NOTE, actor=assessor)

    # Signifikansi 85 → 95 adds 30 × 10 / 100 = 3 points.
    sheet = correct_sheet(
        sheet, {"signifikansi": 95}, reason="Salah ketik pada signifikansi.", actor=assessor
    )
    assert sheet.current_version == 2
    assert sheet.total == D("81.50")
    first, second = ScoreVersion.objects.filter(sheet=sheet).order_by("number")
    assert first.total == D("78.50")
    assert second.total == D("81.50")
    assert second.reason == "Salah ketik pada signifikansi."
    assert second.note == NOTE
    assert second.instrument_hash == sheet.instrument.content_hash
    assert sheet_values(sheet)["kebaruan"] == D(70)
    entry = AuditEntry.objects.get(action="evaluation.sheet.correct")
    assert entry.reason == "Salah ketik pada signifikansi."
    assert entry.before["total"] == "78.5000"


def test_correction_needs_a_reason_and_a_change(assignment, assessor):
    sheet = finalise_sheet(save_sheet(assignment, E1, note=NOTE, actor=assessor), actor=assessor)
    with pytest.raises(DomainError, match="minimal 10 karakter"):
        correct_sheet(sheet, {"signifikansi": 95}, reason="salah", actor=assessor)
    with pytest.raises(DomainError, match="tidak mengubah"):
        correct_sheet(sheet, {"signifikansi": 85}, reason="Periksa ulang nilai.", actor=assessor)
    with pytest.raises(DomainError, match="harus 0–100"):
        correct_sheet(sheet, {"signifikansi": 120}, reason="Periksa ulang nilai.", actor=assessor)
    assert ScoreVersion.objects.filter(sheet=sheet).count() == 1


def test_draft_is_not_corrected(assignment, assessor):
    sheet = save_sheet(assignment, E1, note=NOTE, actor=assessor)
    with pytest.raises(DomainError, match="Hanya lembar nilai final"):
        correct_sheet(sheet, {"signifikansi": 95}, reason="Salah ketik nilai.", actor=assessor)


def test_secretariat_may_correct_others_may_not(assignment, assessor, secretariat, evaluator):
    sheet = finalise_sheet(save_sheet(assignment, E1, note=NOTE, actor=assessor), actor=assessor)
    with pytest.raises(PermissionDenied):
        correct_sheet(sheet, {"signifikansi": 95}, reason="Koreksi pleno TE.", actor=evaluator)
    sheet = correct_sheet(
        sheet, {"signifikansi": 95}, reason="Koreksi hasil pleno TE.", actor=secretariat
    )
    assert sheet.versions.get(number=2).created_by == secretariat


def test_sheets_are_immutable_after_the_stage_closes(assignment, assessor, secretariat):
    sheet = finalise_sheet(save_sheet(assignment, E1, note=NOTE, actor=assessor), actor=assessor)
    stage = assignment.stage
    stage.status = StageStatus.CLOSED
    stage.save()
    for actor in (assessor, secretariat):
        with pytest.raises(DomainError, match="sudah ditutup"):
            correct_sheet(sheet, {"signifikansi": 95}, reason="Koreksi setelah tutup.", actor=actor)
    with pytest.raises(DomainError, match="sudah ditutup"):
        recompute_stage_totals(stage)


def test_recompute_applies_amended_weights(edition, stage, assignment, assessor):
    from tests.evaluation.domain.test_results import r5_instrument

    sheet = finalise_sheet(save_sheet(assignment, E1, note=NOTE, actor=assessor), actor=assessor)
    amended = r5_instrument()
    edition.instrument = amended
    edition.save()
    stage.refresh_from_db()

    assert recompute_stage_totals(stage) == 1
    sheet.refresh_from_db()
    # r5: 0.05 × Ringkasan 75 + 0.95 × 78.50 = 3.75 + 74.575.
    assert sheet.total == D("78.325")
    assert sheet.instrument == amended
    # The version keeps what it was scored with.
    assert sheet.versions.get().instrument_hash != amended.content_hash
    assert recompute_stage_totals(stage) == 0


# --------------------------------------------------------------------------- final-stage rubrics

# 2025 feasibility sheet of one panelist: 0.4·80 + 0.3·70 + 0.2·90 + 0.1·60 = 77.
FEASIBILITY = {
    "dampak": 80,
    "daya_tular": 70,
    "kesiapan_perluasan_nasional": 90,
    "keberlanjutan": 60,
}
PRESENTATION = {"penyampaian": 80, "substansi": 90, "video": 70, "kehadiran_pimpinan": 100}


def final_assignment(edition, group="umum"):
    subject = ProposalFactory(edition=edition, group=group).subject
    return AssignmentFactory(
        subject=subject,
        appointment=AppointmentFactory(edition=edition, role="panelist"),
        stage=edition.stages.get(code=EditionState.FINAL_STAGE),
    )


@pytest.mark.parametrize(
    ("scoring", "name"),
    [
        ("rubric", "presentation"),
        ("rubric:presentation", "presentation"),
        ("rubric:feasibility", "feasibility"),
        ("sections", None),
        ("", None),
        ("rubric:", None),
    ],
)
def test_the_stage_scoring_names_the_rubric(scoring, name):
    assert rubric_name(scoring) == name
    assert is_rubric(scoring) == (name is not None)


def test_2025_final_stage_scores_the_feasibility_rubric_of_the_instrument(db):
    edition = EditionFactory(stages=EditionState.FINAL_STAGE)  # kipp-2025 rules
    assignment = final_assignment(edition)
    panelist = assignment.appointment.person

    sheet = save_sheet(assignment, FEASIBILITY, note=NOTE, actor=panelist)
    sheet = finalise_sheet(sheet, actor=panelist)

    assert assignment.stage.scoring == SCORING_FEASIBILITY
    assert [(c.code, c.label, c.weight) for c in sheet_criteria(sheet)] == [
        ("dampak", "Dampak", 40),
        ("daya_tular", "Daya tular", 30),
        ("kesiapan_perluasan_nasional", "Kesiapan perluasan nasional", 20),
        ("keberlanjutan", "Keberlanjutan", 10),
    ]
    assert sheet.total == D(77)
    # The weights came from the instrument, whose hash the version records.
    assert sheet.versions.get().instrument_hash == edition.instrument.content_hash


def test_feasibility_sheet_refuses_presentation_items(db):
    edition = EditionFactory(stages=EditionState.FINAL_STAGE)
    assignment = final_assignment(edition, group="replikasi")
    with pytest.raises(DomainError, match="Kriteria «penyampaian, substansi» tidak ada"):
        save_sheet(
            assignment,
            {"penyampaian": 80, "substansi": 90},
            actor=assignment.appointment.person,
        )
    assert not ScoreSheet.objects.exists()


def test_2021_final_stage_keeps_the_presentation_rubric(db):
    edition = EditionFactory(
        year=2021,
        rules=rules_from_file("kipp-2021.yaml"),
        instrument=instrument_from_file("kipp-2021.yaml"),
        stages=EditionState.FINAL_STAGE,
    )
    assignment = final_assignment(edition)
    panelist = assignment.appointment.person

    sheet = finalise_sheet(
        save_sheet(assignment, PRESENTATION, note=NOTE, actor=panelist), actor=panelist
    )

    assert assignment.stage.scoring == SCORING_RUBRIC
    assert [c.code for c in sheet_criteria(sheet)] == list(PRESENTATION)
    # 0.3·80 + 0.5·90 + 0.1·70 + 0.1·100
    assert sheet.total == D(86)


def test_plain_rubric_and_rubric_presentation_read_the_same_items(db):
    named = instrument_of(instrument_from_file("kipp-2025.yaml"))  # version 2
    single = instrument_of(instrument_from_file("kipp-2025-v1.yaml"))  # version 1
    expected = criteria_for("rubric", "umum", single)
    assert [c.code for c in expected] == list(PRESENTATION)
    for instrument in (named, single):
        assert criteria_for("rubric", "umum", instrument) == expected
        assert criteria_for("rubric:presentation", "replikasi", instrument) == expected


def test_an_instrument_without_the_rubric_is_refused_by_name(db):
    version_1 = instrument_of(instrument_from_file("kipp-2025-v1.yaml"))
    with pytest.raises(DomainError) as caught:
        criteria_for(SCORING_FEASIBILITY, "umum", version_1)
    assert caught.value.message == (
        "Instrumen kipp-default-v1 versi 1 tidak memiliki rubrik kelayakan («feasibility») "
        "yang dinilai pada tahap ini."
    )


def test_recompute_of_a_feasibility_stage_uses_its_rubric(db):
    edition = EditionFactory(stages=EditionState.FINAL_STAGE)
    assignment = final_assignment(edition)
    panelist = assignment.appointment.person
    sheet = finalise_sheet(
        save_sheet(assignment, FEASIBILITY, note=NOTE, actor=panelist), actor=panelist
    )

    assert recompute_stage_totals(assignment.stage) == 0
    sheet.refresh_from_db()
    assert sheet.total == D(77)
