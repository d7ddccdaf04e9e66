"""Assignment runs through the database: diagnoses, deployment, pins (kipp.md §10.1, §18 A7)."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.utils import timezone

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry, Institution, Person
from prima.evaluation.domain.appointments import declare_conflicts, enter_conflict
from prima.evaluation.domain.runs import (
    add_pin,
    auto_max_load,
    build_problem,
    deploy_run,
    pin_deployed,
    remove_pin,
    run_assignment,
)
from prima.evaluation.domain.stages import advance_edition
from prima.evaluation.enums import (
    AssessorRole,
    ConflictKind,
    EditionState,
    PinKind,
    RunStatus,
    SheetStatus,
)
from prima.evaluation.models import (
    Appointment,
    Assignment,
    Conflict,
    Pin,
    ScoreSheet,
    Subject,
)
from prima.evaluation.queries import assignments_for_assessor
from tests.evaluation.domain.db_factories import SubjectFactory, assessor, desk
from tests.factories import InstitutionFactory
from tests.kipp.factories import EditionFactory


@pytest.fixture
def edition(db):
    return EditionFactory(stages=EditionState.DESK_EVALUATION)


@pytest.fixture
def stage(edition):
    return desk(edition)


def live_pairs(stage) -> set[tuple[int, int]]:
    return set(Assignment.objects.filter(stage=stage).values_list("subject_id", "appointment_id"))


def run_pairs(run) -> set[tuple[int, int]]:
    return {(s, a) for s, a, _ in run.pairs}


def score(assignment: Assignment, status: str = SheetStatus.FINAL) -> ScoreSheet:
    return ScoreSheet.objects.create(
        assignment=assignment,
        stage=assignment.stage,
        subject=assignment.subject,
        appointment=assignment.appointment,
        instrument=assignment.stage.edition.instrument,
        status=status,
    )


# --------------------------------------------------------------------------- A7 diagnoses


def test_a7_capacity_short_then_auto_max_passes(secretariat, edition, stage):
    subjects = SubjectFactory.create_batch(40, edition=edition)
    evaluators = [assessor(edition, f"V{i}") for i in range(1, 7)]

    short = run_assignment(stage, actor=secretariat, label="max 18", parameters={"max_load": 18})

    assert short.status == RunStatus.INFEASIBLE
    assert "Kapasitas penilai 108 < kebutuhan 120 penilaian (kurang 12)." in short.diagnosis
    assert short.pairs == [] and short.objective is None
    assert (short.subject_count, short.assessor_count) == (40, 6)

    auto = run_assignment(stage, actor=secretariat, label="max otomatis")

    assert auto.status == RunStatus.OPTIMAL
    assert auto.parameters["auto_max_load"] == auto_max_load(3, 40, 6) == 24
    per_subject = Counter(s for s, _a, _v in auto.pairs)
    assert per_subject == {s.pk: 3 for s in subjects}
    loads = Counter(a for _s, a, _v in auto.pairs)
    assert set(loads) <= {e.pk for e in evaluators} and max(loads.values()) <= 24
    assert auto.diagnosis == []
    assert auto.duration_ms >= 0


def test_a7_surabaya_proposal_blocked_by_province_and_declaration(
    secretariat, edition, stage, institution_b
):
    proposal = SubjectFactory(
        edition=edition, title="Surabaya Single Window", institution=institution_b, province="35"
    )
    assessor(edition, "V1", home_province="35")
    v2 = assessor(edition, "V2", conflicts_declared_at=None)
    assessor(edition, "V3", home_province="33")
    assessor(edition, "V4", home_province="73")
    declare_conflicts(
        v2,
        [{"subject": proposal, "nature": "consultancy", "reason": "Pendamping inovasi"}],
        actor=v2.person,
    )

    run = run_assignment(stage, actor=secretariat, label="Surabaya", parameters={"demand": 3})

    assert run.status == RunStatus.INFEASIBLE
    assert run.diagnosis == [
        f"Subjek #{proposal.pk} «Surabaya Single Window» hanya punya 2 penilai yang boleh "
        "menilai, padahal kebutuhannya 3; terblokir 2 (1 konflik eksplisit, 1 same_province): "
        "V1 [same_province], V2 [konflik]."
    ]


def test_same_institution_covers_affiliation_and_past_employment(secretariat, edition, stage):
    city, former = InstitutionFactory(), InstitutionFactory()
    at_city = SubjectFactory(edition=edition, institution=city)
    at_former = SubjectFactory(edition=edition, institution=former)
    employee = assessor(edition, "V1", affiliation=city)
    alumnus = assessor(edition, "V2")
    alumnus.past_institutions.add(former)
    free = [assessor(edition, f"V{i}") for i in (3, 4)]

    # k = 3 with four evaluators: each subject must take all three it is allowed.
    run = run_assignment(stage, actor=secretariat, label="k=3", parameters={"demand": 3})

    assert run.status == RunStatus.OPTIMAL
    pairs = run_pairs(run)
    assert (at_city.pk, employee.pk) not in pairs
    assert (at_former.pk, alumnus.pk) not in pairs
    assert {(at_city.pk, alumnus.pk), (at_former.pk, employee.pk)} <= pairs
    assert {a for _s, a in pairs} == {employee.pk, alumnus.pk} | {f.pk for f in free}


def test_only_ready_active_assessors_of_the_stage_role_are_used(secretariat, edition, stage):
    SubjectFactory(edition=edition)
    ready = assessor(edition, "Siap")
    assessor(edition, "Belum", conflicts_declared_at=None)
    assessor(edition, "Panel", role=AssessorRole.PANELIST)
    assessor(edition, "Nonaktif", is_active=False)
    SubjectFactory(edition=edition, is_active=False)

    built = build_problem(stage, parameters={"demand": 1})

    assert list(built.appointment_pk.values()) == [ready.pk]
    assert len(built.problem.subjects) == 1
    assert built.notes["assessors_not_ready"] == 1


def test_expertise_and_category_steer_the_assignment(secretariat, edition, stage):
    health = SubjectFactory(
        edition=edition, text="Imunisasi anak di puskesmas keliling desa", category="AC4"
    )
    permits = SubjectFactory(
        edition=edition, text="Perizinan usaha daring satu pintu", category="AC3"
    )
    doctor = assessor(edition, "Dokter", expertise="imunisasi, puskesmas, kesehatan anak")
    economist = assessor(edition, "Ekonom", expertise="perizinan usaha, investasi daring")

    run = run_assignment(
        stage,
        actor=secretariat,
        label="keahlian",
        parameters={"demand": 1, "max_load": 1, "category_bonus": 0},
    )

    assert run.parameters["affinity"] == "tfidf"
    assert run_pairs(run) == {(health.pk, doctor.pk), (permits.pk, economist.pk)}

    # A category match outweighs the text when the bonus is on.
    Appointment.objects.filter(pk=doctor.pk).update(categories=["AC3"])
    Appointment.objects.filter(pk=economist.pk).update(categories=["AC4"])
    swapped = run_assignment(
        stage, actor=secretariat, label="kategori", parameters={"demand": 1, "max_load": 1}
    )
    assert run_pairs(swapped) == {(health.pk, economist.pk), (permits.pk, doctor.pk)}


def test_explicit_affinity_replaces_the_computed_one(secretariat, edition, stage):
    a, b = SubjectFactory(edition=edition), SubjectFactory(edition=edition)
    x, y = assessor(edition, "X"), assessor(edition, "Y")

    run = run_assignment(
        stage,
        actor=secretariat,
        label="diberikan",
        parameters={"demand": 1, "max_load": 1},
        affinity={(a.pk, y.pk): 0.9, (b.pk, x.pk): 0.8, (a.pk, x.pk): 0.1},
    )

    assert run.parameters["affinity"] == "given"
    assert run_pairs(run) == {(a.pk, y.pk), (b.pk, x.pk)}
    assert run.objective == pytest.approx(1.7)


def test_bad_parameters_are_refused(secretariat, stage):
    with pytest.raises(DomainError, match="tidak dikenal"):
        run_assignment(stage, actor=secretariat, label="x", parameters={"k": 3})
    with pytest.raises(DomainError, match="demand"):
        run_assignment(stage, actor=secretariat, label="x", parameters={"demand": 0})
    with pytest.raises(DomainError, match="Label"):
        run_assignment(stage, actor=secretariat, label=" ")


def test_runs_are_for_the_secretariat(evaluator, stage):
    with pytest.raises(PermissionDenied):
        run_assignment(stage, actor=evaluator, label="x")


# --------------------------------------------------------------------------- deploy


@pytest.fixture
def small(edition, stage):
    """Six subjects, four evaluators, two reviews each."""
    subjects = SubjectFactory.create_batch(6, edition=edition)
    evaluators = [assessor(edition, f"E{i}") for i in range(1, 5)]
    return subjects, evaluators


def test_deploy_makes_the_run_live_and_is_audited(secretariat, stage, small):
    run = run_assignment(stage, actor=secretariat, label="pertama", parameters={"demand": 2})

    report = deploy_run(run, actor=secretariat)

    assert live_pairs(stage) == run_pairs(run)
    assert (report.created, report.removed, report.kept_scored) == (12, 0, [])
    run.refresh_from_db()
    assert run.deployed_at is not None and run.deployed_by == secretariat
    assert set(Assignment.objects.filter(stage=stage).values_list("run", flat=True)) == {run.pk}
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"evaluation.run.create", "evaluation.run.deploy"} <= actions


def test_a_new_deployment_replaces_unscored_pairs_and_keeps_scored_ones(secretariat, stage, small):
    first = run_assignment(stage, actor=secretariat, label="pertama", parameters={"demand": 2})
    deploy_run(first, actor=secretariat)
    scored = Assignment.objects.filter(stage=stage).order_by("pk").first()
    score(scored)
    # The plenary forbids that pair from now on; the sheet must still survive.
    add_pin(stage, scored.subject, scored.appointment, PinKind.FORBID, "Uji", actor=secretariat)
    second = run_assignment(stage, actor=secretariat, label="kedua", parameters={"demand": 2})
    assert (scored.subject_id, scored.appointment_id) not in run_pairs(second)

    report = deploy_run(second, actor=secretariat)

    assert report.kept_scored == [(scored.subject_id, scored.appointment_id)]
    assert live_pairs(stage) == run_pairs(second) | {(scored.subject_id, scored.appointment_id)}
    assert ScoreSheet.objects.get().assignment_id == scored.pk
    first.refresh_from_db()
    assert first.deployed_at is None
    assert report.removed + report.unchanged == 11


def test_a_rerun_keeps_pairs_that_already_have_a_sheet(secretariat, stage, small):
    first = run_assignment(stage, actor=secretariat, label="pertama", parameters={"demand": 2})
    deploy_run(first, actor=secretariat)
    scored = Assignment.objects.filter(stage=stage).order_by("pk").first()
    score(scored, SheetStatus.DRAFT)

    second = run_assignment(
        stage,
        actor=secretariat,
        label="kedua",
        parameters={"demand": 2},
        affinity={(scored.subject_id, a.pk): 1.0 for a in Appointment.objects.all()}
        | {(scored.subject_id, scored.appointment_id): 0.0},
    )

    assert (scored.subject_id, scored.appointment_id) in run_pairs(second)
    assert second.parameters["scored_pairs_pinned"] == 1


def test_only_optimal_runs_deploy_and_never_into_a_closed_stage(secretariat, edition, stage, small):
    infeasible = run_assignment(stage, actor=secretariat, label="x", parameters={"max_load": 1})
    assert infeasible.status == RunStatus.INFEASIBLE
    with pytest.raises(DomainError, match="optimal"):
        deploy_run(infeasible, actor=secretariat)

    good = run_assignment(stage, actor=secretariat, label="y", parameters={"demand": 1})
    advance_edition(edition, actor=secretariat)
    with pytest.raises(DomainError, match="ditutup"):
        deploy_run(good, actor=secretariat)
    with pytest.raises(DomainError, match="ditutup"):
        run_assignment(stage, actor=secretariat, label="z")
    assert not Assignment.objects.exists()


def test_deploy_refuses_pairs_that_became_conflicted(secretariat, stage, small):
    run = run_assignment(stage, actor=secretariat, label="x", parameters={"demand": 2})
    subject_id, appointment_id, _ = run.pairs[0]
    enter_conflict(
        Appointment.objects.get(pk=appointment_id),
        subject=subject_id,
        reason="Terungkap setelah proses dijalankan",
        actor=secretariat,
    )

    with pytest.raises(DomainError, match="berkonflik"):
        deploy_run(run, actor=secretariat)
    assert not Assignment.objects.exists()


# --------------------------------------------------------------------------- pins


def test_pins_survive_a_rerun(secretariat, stage, small):
    subjects, evaluators = small
    first = run_assignment(stage, actor=secretariat, label="pertama", parameters={"demand": 2})
    deploy_run(first, actor=secretariat)

    created = pin_deployed(stage, actor=secretariat)
    # Affinities that would pull every subject elsewhere if the pins did not hold.
    opposite = {
        (s, a.pk): (0.0 if (s, a.pk) in run_pairs(first) else 1.0)
        for s in (x.pk for x in subjects)
        for a in evaluators
    }
    second = run_assignment(
        stage,
        actor=secretariat,
        label="kedua",
        parameters={"demand": 2},
        affinity=opposite,
    )

    assert created == 12
    assert Pin.objects.filter(stage=stage, kind=PinKind.FORCE).count() == 12
    assert pin_deployed(stage, actor=secretariat) == 0  # already pinned
    assert second.status == RunStatus.OPTIMAL
    assert run_pairs(second) == run_pairs(first)
    assert AuditEntry.objects.filter(action="evaluation.pin.deployed").count() == 2


def test_force_pin_on_a_conflict_is_refused_on_entry(secretariat, edition, stage):
    proposal = SubjectFactory(edition=edition, province="35")
    local = assessor(edition, "V1", home_province="35")

    with pytest.raises(DomainError, match=ConflictKind.SAME_PROVINCE_LOCAL):
        add_pin(stage, proposal, local, PinKind.FORCE, "Ahli satu-satunya", actor=secretariat)

    forbid = add_pin(
        stage, proposal, local, PinKind.FORBID, "Sudah dilarang aturan", actor=secretariat
    )
    assert forbid.kind == PinKind.FORBID
    with pytest.raises(DomainError, match="sudah dipin"):
        add_pin(stage, proposal, local, PinKind.FORBID, "", actor=secretariat)


def test_forced_pin_is_kept_and_removed_pin_is_not(secretariat, edition, stage):
    a, b = SubjectFactory(edition=edition), SubjectFactory(edition=edition)
    x, y = assessor(edition, "X"), assessor(edition, "Y")
    pin = add_pin(stage, a, x, PinKind.FORCE, "Permintaan pleno", actor=secretariat)
    prefers_y = {(a.pk, y.pk): 1.0, (b.pk, x.pk): 1.0}

    pinned = run_assignment(
        stage, actor=secretariat, label="pin", parameters={"demand": 1}, affinity=prefers_y
    )
    remove_pin(pin, actor=secretariat, reason="Pleno membatalkan")
    unpinned = run_assignment(
        stage, actor=secretariat, label="tanpa pin", parameters={"demand": 1}, affinity=prefers_y
    )

    assert (a.pk, x.pk) in run_pairs(pinned)
    assert run_pairs(unpinned) == {(a.pk, y.pk), (b.pk, x.pk)}
    assert not Pin.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="evaluation.pin.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["evaluation.pin.add", "evaluation.pin.remove"]


# --------------------------------------------------------------------------- scale


def national_scale(edition, n_subjects: int = 2000, n_assessors: int = 120) -> None:
    """A 2025-sized desk stage: subjects from 300 institutions in 34 provinces, evaluators
    with affiliations, past employment and declared conflicts."""
    rng = random.Random(2025)
    # fmt: off
    words = [
        "layanan", "kesehatan", "pendidikan", "perizinan", "daring", "desa", "puskesmas",
        "imunisasi", "air", "bersih", "pangan", "pertanian", "nelayan", "kependudukan", "pajak",
        "retribusi", "transportasi", "sampah", "lingkungan", "disabilitas", "lansia",
        "perempuan", "anak", "umkm", "pasar", "digital", "aplikasi", "pengaduan", "bencana",
    ]
    # fmt: on
    institutions = Institution.objects.bulk_create(
        [
            Institution(kind="kota", name=f"Pemkot Uji {i}", short_name=f"Kota Uji {i}")
            for i in range(300)
        ]
    )
    provinces = [f"{p:02d}" for p in range(11, 45)]
    Subject.objects.bulk_create(
        [
            Subject(
                edition=edition,
                kind="proposal",
                title=f"Inovasi {i}",
                text=" ".join(rng.choices(words, k=40)),
                institution=institutions[i % 300],
                province=provinces[i % 34] if i % 5 else "",
                category=f"AC{1 + i % 8}",
            )
            for i in range(n_subjects)
        ],
        batch_size=500,
    )
    people = Person.objects.bulk_create(
        [Person(username=f"penilai{j}", full_name=f"Penilai {j}") for j in range(n_assessors)]
    )
    now = timezone.now()
    appointments = Appointment.objects.bulk_create(
        [
            Appointment(
                edition=edition,
                person=person,
                role=AssessorRole.EVALUATOR,
                affiliation=institutions[(7 * j) % 300],
                home_province=provinces[j % 34],
                expertise=", ".join(rng.sample(words, 4)),
                categories=[f"AC{1 + j % 8}"],
                code_of_conduct_accepted_at=now,
                conflicts_declared_at=now,
            )
            for j, person in enumerate(people)
        ]
    )
    through = Appointment.past_institutions.through
    through.objects.bulk_create(
        [
            through(appointment_id=a.pk, institution_id=institutions[(11 * j) % 300].pk)
            for j, a in enumerate(appointments)
        ]
    )
    subject_ids = list(Subject.objects.filter(edition=edition).values_list("pk", flat=True))
    Conflict.objects.bulk_create(
        [
            Conflict(
                appointment=a,
                kind=ConflictKind.DECLARED,
                subject_id=subject_ids[(13 * j) % len(subject_ids)],
                reason="Rekan penulis",
            )
            for j, a in enumerate(appointments)
        ]
    )


def test_building_a_national_problem_is_query_bounded(
    secretariat, edition, stage, django_assert_max_num_queries
):
    national_scale(edition)
    stage = desk(edition)  # fresh, nothing cached

    # Speed is measured by `python -m bench.assignment`, not here.
    with django_assert_max_num_queries(12):
        built = build_problem(stage)
    assert (len(built.problem.subjects), len(built.problem.assessors)) == (2000, 120)
    assert built.default_max_load == auto_max_load(3, 2000, 120) == 60
    assert len(built.problem.conflicts) > 0

    run = run_assignment(stage, actor=secretariat, label="nasional")
    assert run.status == RunStatus.OPTIMAL, run.diagnosis
    assert len(run.pairs) == 6000
    deploy_run(run, actor=secretariat)
    assert Assignment.objects.filter(stage=stage).count() == 6000
    # The conflict rules the solver saw agree with the querysets that scope what assessors
    # see: no deployed pair is hidden from its assessor.
    for appointment in Appointment.objects.filter(edition=edition):
        assert assignments_for_assessor(appointment, stage).count() == (
            Assignment.objects.filter(stage=stage, appointment=appointment).count()
        )
