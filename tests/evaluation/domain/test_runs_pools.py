"""Category pools in assignment runs (kipp.md §10.1 "optional pools", §11.1, §13): the `pools`
run parameter, the stage rules' default, the per-pool supply check, and pins."""

from __future__ import annotations

import pytest

from prima.core.domain.errors import DomainError
from prima.core.models import AuditEntry
from prima.evaluation.domain.reviews import add_manual_assignment, replacement_candidates
from prima.evaluation.domain.runs import (
    add_pin,
    pin_deployed,
    resolve_settings,
    run_assignment,
)
from prima.evaluation.enums import EditionState, PinKind, RunStatus
from prima.evaluation.models import Assignment, AssignmentRun, Pin, Stage
from tests.evaluation.domain.db_factories import SubjectFactory, assessor, desk
from tests.kipp.factories import EditionFactory

POOLED = {"pools": "by_category"}


@pytest.fixture
def edition(db):
    return EditionFactory(stages=EditionState.DESK_EVALUATION)


@pytest.fixture
def stage(edition):
    return desk(edition)


@pytest.fixture
def final(db):
    """A 2025 edition in its final stage: `panel_assessment.pools: by_category`."""
    edition = EditionFactory(stages=EditionState.FINAL_STAGE)
    return Stage.objects.select_related("edition").get(
        edition=edition, code=EditionState.FINAL_STAGE
    )


def run_pairs(run) -> set[tuple[int, int]]:
    return {(s, a) for s, a, _ in run.pairs}


def test_pooled_run_assigns_only_pairs_within_the_pool(secretariat, edition, stage):
    health = SubjectFactory.create_batch(4, edition=edition, category="AC4")
    law = SubjectFactory.create_batch(4, edition=edition, category="AC7")
    doctors = [assessor(edition, f"Dokter {i}", categories=["AC4"]) for i in range(3)]
    lawyers = [assessor(edition, f"Jaksa {i}", categories=["AC7"]) for i in range(2)]
    both = assessor(edition, "Serba Bisa", categories=["AC4", "AC7"])
    assessor(edition, "Tanpa Kategori", categories=[])
    # Every cross-category pair is the attractive one, so only the pools can keep them out.
    cross = {(s.pk, a.pk): 1.0 for s in health for a in lawyers}
    cross |= {(s.pk, a.pk): 1.0 for s in law for a in doctors}

    pooled = run_assignment(
        stage, actor=secretariat, label="kelompok", parameters=POOLED, affinity=cross
    )
    plain = run_assignment(stage, actor=secretariat, label="bebas", affinity=cross)

    assert pooled.status == RunStatus.OPTIMAL
    allowed = {(s.pk, a.pk) for s in health for a in [*doctors, both]}
    allowed |= {(s.pk, a.pk) for s in law for a in [*lawyers, both]}
    assert run_pairs(pooled) <= allowed
    assert len(pooled.pairs) == 8 * 3
    assert pooled.parameters["pools"] == "by_category"
    assert pooled.parameters["requested"] == POOLED
    # Without pools the same affinities pull assessors across categories.
    assert plain.parameters["pools"] is None
    assert run_pairs(plain) - allowed


def test_stage_rules_set_the_default_and_a_parameter_overrides_it(final, stage):
    assert resolve_settings(final).pools == "by_category"  # 2025 panel_assessment
    assert resolve_settings(stage).pools is None  # desk evaluation: no pools
    assert resolve_settings(final, {"pools": None}).pools is None
    rules = final.edition.rules
    rules["panel_assessment"]["pools"] = "none"
    assert resolve_settings(final).pools is None
    # A 2021-like panel paper review with pools (kipp.md §11.1).
    rules["panel_review"] = {"enabled": True, "reviewers_per_proposal": 2, "pools": "by_category"}
    panel = Stage.objects.get(edition=final.edition, code=EditionState.PANEL_STAGE)
    panel.edition = final.edition
    assert resolve_settings(panel).pools == "by_category"
    assert resolve_settings(panel).demand == 2
    with pytest.raises(DomainError, match="pools") as caught:
        resolve_settings(stage, {"pools": "by_region"})
    assert caught.value.field == "pools"


def test_pool_supply_shortfall_is_diagnosed_by_category(secretariat, edition, stage):
    SubjectFactory.create_batch(5, edition=edition, category="AC4")
    SubjectFactory.create_batch(2, edition=edition, category="AC1")
    for i in range(3):
        assessor(edition, f"Dokter {i}", categories=["AC4"], max_load=4)
    for i in range(3):
        assessor(edition, f"Umum {i}", categories=["AC1"], max_load=10)

    run = run_assignment(
        stage, actor=secretariat, label="kurang", parameters={**POOLED, "demand": 3}
    )

    assert run.status == RunStatus.INFEASIBLE
    assert (
        "Kelompok kategori AC4: 5 subjek × 3 penilai = 15 penilaian, tetapi jumlah beban "
        "maksimum 3 penilai di kelompok ini hanya 12 (kurang 3)."
    ) in run.diagnosis
    assert not any("Kelompok kategori AC1" in line for line in run.diagnosis)


def test_subject_diagnosis_counts_assessors_outside_the_pool(secretariat, edition, stage):
    subject = SubjectFactory(edition=edition, title="Sekolah Rakyat", category="AC4")
    assessor(edition, "Dokter", categories=["AC4"])
    for i in range(4):
        assessor(edition, f"Jaksa {i}", categories=["AC7"])

    run = run_assignment(stage, actor=secretariat, label="sempit", parameters=POOLED)

    assert run.status == RunStatus.INFEASIBLE
    assert (
        f"Subjek #{subject.pk} «Sekolah Rakyat» hanya punya 1 penilai yang boleh menilai, "
        "padahal kebutuhannya 3; terblokir 4 (4 di luar kelompok kategori): "
        "Jaksa 0 [outside_pool]"
    ) in run.diagnosis[-1]


def test_subject_without_category_is_refused_by_name(secretariat, edition, stage):
    SubjectFactory(edition=edition, category="AC4")
    bare = SubjectFactory(edition=edition, title="Tanpa Kategori", category="")
    assessor(edition, "Dokter", categories=["AC4"])

    with pytest.raises(DomainError) as caught:
        run_assignment(stage, actor=secretariat, label="kelompok", parameters=POOLED)

    assert f"#{bare.pk} «Tanpa Kategori»" in caught.value.message
    assert "1 subjek tidak berkategori" in caught.value.message
    assert caught.value.field == "pools"
    assert not AssignmentRun.objects.exists()


def test_forced_pin_outside_the_pool_is_refused_on_entry(secretariat, final):
    edition = final.edition
    health = SubjectFactory(edition=edition, title="Posyandu Digital", category="AC4")
    lawyer = assessor(edition, "Jaksa", role="panelist", categories=["AC7"])
    bare = assessor(edition, "Baru", role="panelist", categories=[])
    doctor = assessor(edition, "Dokter", role="panelist", categories=["AC4"])

    with pytest.raises(DomainError) as caught:
        add_pin(final, health, lawyer, PinKind.FORCE, "Permintaan pleno", actor=secretariat)
    assert caught.value.message == (
        "Pin wajib ditolak: «Posyandu Digital» (kategori AC4) di luar kelompok kategori "
        "Jaksa (AC7); tahap ini memakai kelompok kategori."
    )
    with pytest.raises(DomainError, match="tanpa kategori"):
        add_pin(final, health, bare, PinKind.FORCE, "", actor=secretariat)

    # Forbidding is always allowed; forcing inside the pool too.
    add_pin(final, health, lawyer, PinKind.FORBID, "", actor=secretariat)
    add_pin(final, health, doctor, PinKind.FORCE, "Ahli gizi", actor=secretariat)
    assert set(Pin.objects.values_list("appointment_id", "kind")) == {
        (lawyer.pk, PinKind.FORBID),
        (doctor.pk, PinKind.FORCE),
    }


def test_pin_deployed_skips_live_pairs_outside_the_pool(secretariat, final):
    edition = final.edition
    health = SubjectFactory(edition=edition, category="AC4")
    lawyer = assessor(edition, "Jaksa", role="panelist", categories=["AC7"])
    doctor = assessor(edition, "Dokter", role="panelist", categories=["AC4"])
    # Live pairs from before the pools applied (e.g. a run deployed with pools off).
    Assignment.objects.create(stage=final, subject=health, appointment=lawyer)
    Assignment.objects.create(stage=final, subject=health, appointment=doctor)

    created = pin_deployed(final, actor=secretariat)

    assert created == 1
    assert set(Pin.objects.values_list("appointment_id", flat=True)) == {doctor.pk}
    entry = AuditEntry.objects.get(action="evaluation.pin.deployed")
    assert entry.after["outside_pool_skipped"] == [[health.pk, lawyer.pk]]


def test_a_review_added_by_hand_obeys_the_pools_like_a_force_pin(secretariat, final):
    edition = final.edition
    health = SubjectFactory(edition=edition, title="Posyandu Digital", category="AC4")
    lawyer = assessor(edition, "Jaksa", role="panelist", categories=["AC7"])
    doctor = assessor(edition, "Dokter", role="panelist", categories=["AC4"])
    gone = Assignment.objects.create(
        stage=final, subject=health, appointment=assessor(edition, "Lama", role="panelist")
    )

    for pin in (True, False):
        with pytest.raises(DomainError) as caught:
            add_manual_assignment(final, health, lawyer, actor=secretariat, pin=pin)
        assert caught.value.message == (
            "«Posyandu Digital» (kategori AC4) di luar kelompok kategori Jaksa (AC7); "
            "tahap ini memakai kelompok kategori."
        )
    assert replacement_candidates(gone) == [doctor]
    add_manual_assignment(final, health, doctor, actor=secretariat, pin=False)
    assert not Assignment.objects.filter(appointment=lawyer).exists()
