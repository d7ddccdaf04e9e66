"""Stage results and consolidation through the database: kipp.md §18 A5, A6, A9; §10.3."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.evaluation.domain import instruments
from prima.evaluation.domain.catalogue import json_ready
from prima.evaluation.domain.results import record_consolidation, stage_results
from prima.evaluation.domain.sheets import finalise_sheet, save_sheet
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Assignment, Instrument, Stage, Subject
from tests.kipp.factories import (
    ROOT,
    AppointmentFactory,
    AssignmentFactory,
    EditionFactory,
    ProposalFactory,
)

D = Decimal
UMUM = (
    "latar_belakang",
    "kebaruan",
    "implementasi",
    "signifikansi",
    "adaptabilitas",
    "sumber_daya",
    "keberlanjutan",
)
# kipp.md §18 A5: LB KB IM SG AD SD KL, and the r5 variant's Ringkasan score.
A5 = {
    "E1": ((80, 70, 90, 85, 75, 60, 80), 80),
    "E2": ((85, 80, 80, 90, 85, 70, 85), 90),
    "E3": ((70, 65, 85, 70, 60, 65, 70), 70),
}
NOTE = "Catatan umum penilai untuk proposal ini."


def r5_instrument() -> Instrument:
    """Variant kipp-default-v1-r5 (kipp.md §7.1): Ringkasan 5, every other weight × 0.95."""
    data = instruments.to_data(instruments.load_instrument(ROOT / "instruments" / "kipp-2025.yaml"))
    data["code"] = "kipp-default-v1-r5"
    for section in data["sections"]:
        for group, weight in section["weights"].items():
            if weight == instruments.HIDDEN:
                continue
            section["weights"][group] = (
                D(5) if section["code"] == "ringkasan" else weight * D("0.95")
            )
    assert not instruments.validate(data)  # visible weights still sum to 100 per group
    built = instruments.build(data)
    row, _ = Instrument.objects.get_or_create(
        code=built.code,
        version=built.version,
        defaults={
            "programme": built.programme,
            "title": built.title,
            "content": json_ready(instruments.to_data(built)),
            "content_hash": instruments.content_hash(built),
        },
    )
    return row


def sections(values: tuple[int, ...], ringkasan: int = 0) -> dict[str, int]:
    return {"ringkasan": ringkasan, **dict(zip(UMUM, values, strict=True))}


def uniform(value: int) -> dict[str, int]:
    """Every umum section at one value: T_e equals that value."""
    return sections((value,) * len(UMUM), value)


def score(subject: Subject, values: Mapping[str, int], appointment=None) -> Assignment:
    """Assign an assessor to the subject, then save and finalise their sheet."""
    appointment = appointment or AppointmentFactory(edition=subject.edition)
    assignment = AssignmentFactory(subject=subject, appointment=appointment)
    sheet = save_sheet(assignment, values, note=NOTE, actor=appointment.person)
    finalise_sheet(sheet, actor=appointment.person)
    return assignment


def desk(edition) -> Stage:
    return Stage.objects.select_related("edition__instrument").get(
        edition=edition, code=EditionState.DESK_EVALUATION
    )


def edition_with(instrument: Instrument | None = None, **desk_rules):
    edition = EditionFactory(stages=EditionState.DESK_EVALUATION)
    edition.rules["desk_evaluation"].update(desk_rules)
    if instrument is not None:
        edition.instrument = instrument
    edition.save()
    return edition


@pytest.fixture
def edition(db):
    return edition_with()


def subject_of(edition) -> Subject:
    return ProposalFactory(edition=edition, group="umum").subject


def test_a5_three_evaluators_mean_spread_disagreement(edition):
    subject = subject_of(edition)
    for values, ringkasan in A5.values():
        score(subject, sections(values, ringkasan))

    [result] = stage_results(desk(edition))
    assert sorted(result.totals.values()) == [D("67.75"), D("78.50"), D("84.75")]
    assert result.raw == D(77)
    assert result.official == D("77.00")
    assert str(result.official) == "77.00"
    assert result.spread == D(17)
    assert result.disagreement is True
    assert result.decision_score == D("77.00")
    assert (result.assigned, result.finalised, result.excused) == (3, 3, 0)
    assert result.pending == ()
    assert result.instrument_hash == edition.instrument.content_hash
    # Signifikansi mean for the tie breaker: (85 + 90 + 70) / 3.
    assert result.section_means["signifikansi"].quantize(D("0.0001")) == D("81.6667")


def test_a5_median(db):
    edition = edition_with(aggregation="median")
    subject = subject_of(edition)
    for values, ringkasan in A5.values():
        score(subject, sections(values, ringkasan))

    [result] = stage_results(desk(edition))
    assert result.method == "median"
    assert result.official == D("78.50")


def test_a5_r5_variant(db):
    edition = edition_with(r5_instrument())
    subject = subject_of(edition)
    for values, ringkasan in A5.values():
        score(subject, sections(values, ringkasan))

    [result] = stage_results(desk(edition))
    assert sorted(result.totals.values()) == [D("67.8625"), D("78.575"), D("85.0125")]
    assert result.raw == D("77.15")
    assert result.official == D("77.15")
    assert result.instrument_hash == edition.instrument.content_hash
    assert result.instrument_hash != Instrument.objects.get(code="kipp-default-v1").content_hash


# Integer scores giving the A6 totals: 85.00 everywhere; Implementasi 84 (weight 5) takes
# 0.05 off; Latar Belakang 86 (weight 10) adds 0.10.
T_85_00 = uniform(85)
T_84_95 = {**uniform(85), "implementasi": 84}
T_85_10 = {**uniform(85), "latar_belakang": 86}


def a6_subjects(edition) -> dict[str, Subject]:
    subjects = {name: subject_of(edition) for name in ("A", "B", "C", "A5")}
    for values in (T_85_00, T_85_00, T_85_00):
        score(subjects["A"], values)
    for values in (T_85_00, T_85_00, T_84_95):
        score(subjects["B"], values)
    for values in (T_84_95, T_84_95, T_85_10):
        score(subjects["C"], values)
    for a5_values, ringkasan in A5.values():
        score(subjects["A5"], sections(a5_values, ringkasan))
    return subjects


def test_a6_official_scores(edition):
    subjects = a6_subjects(edition)
    results = {r.subject_id: r for r in stage_results(desk(edition))}
    official = {name: results[s.pk].official for name, s in subjects.items()}
    assert official == {"A": D("85.00"), "B": D("84.98"), "C": D("85.00"), "A5": D("77.00")}
    assert results[subjects["B"].pk].raw == D("84.98333333333333333333333333333333333333")


def test_a9_normalisation_beside_raw(db):
    edition = edition_with(normalisation={"method": "zscore", "min_sample": 3})
    x = AppointmentFactory(edition=edition)
    y = AppointmentFactory(edition=edition)
    s1, s2, s3 = (subject_of(edition) for _ in range(3))
    for subject, tx, ty in ((s1, 90, 70), (s2, 70, 60), (s3, 80, 65)):
        score(subject, uniform(tx), x)
        score(subject, uniform(ty), y)

    results = {r.subject_id: r for r in stage_results(desk(edition))}
    r1 = results[s1.pk]
    assert r1.official == D("80.00")  # raw stays beside
    assert all(n.normalised for n in r1.normalised.values())
    assert {n.value.quantize(D("0.01")) for n in r1.normalised.values()} == {D("84.62")}
    assert r1.normalised_score == D("84.62")
    assert results[s2.pk].normalised_score == D("60.38")
    assert results[s3.pk].normalised_score == D("72.50")
    assert r1.score_for(use_normalised=True) == D("84.62")
    assert r1.decision_score == D("80.00")


def test_default_min_sample_leaves_small_samples_not_normalised(edition):
    subject = subject_of(edition)
    score(subject, uniform(90))
    [result] = stage_results(desk(edition))
    [normalised] = result.normalised.values()
    assert normalised.normalised is False
    assert result.normalised_score == D("90.00")


def test_counts_pending_and_excused(edition):
    subject = subject_of(edition)
    score(subject, uniform(80))
    drafting = AssignmentFactory(subject=subject, appointment=AppointmentFactory(edition=edition))
    save_sheet(drafting, {"signifikansi": 70}, actor=drafting.appointment.person)
    unstarted = AssignmentFactory(subject=subject, appointment=AppointmentFactory(edition=edition))
    AssignmentFactory(
        subject=subject,
        appointment=AppointmentFactory(edition=edition),
        is_excused=True,
        excuse_reason="Sakit",
    )
    unscored = subject_of(edition)
    AssignmentFactory(subject=unscored, appointment=AppointmentFactory(edition=edition))

    results = {r.subject_id: r for r in stage_results(desk(edition))}
    result = results[subject.pk]
    assert (result.assigned, result.finalised, result.excused) == (4, 1, 1)
    assert [p.appointment_id for p in result.pending] == sorted(
        [drafting.appointment_id, unstarted.appointment_id]
    )
    assert result.pending[0].name
    assert result.official == D("80.00")  # drafts do not count
    empty = results[unscored.pk]
    assert empty.official is None and empty.decision_score is None
    assert empty.is_complete is False


def test_subjects_restrict_the_output(edition):
    first, second = subject_of(edition), subject_of(edition)
    score(first, uniform(80))
    score(second, uniform(60))
    results = stage_results(desk(edition), subjects=[second.pk])
    assert [r.subject_id for r in results] == [second.pk]
    assert results[0].official == D("60.00")


def test_query_count_does_not_depend_on_rows(edition, django_assert_num_queries):
    def results_for(count: int) -> int:
        local = edition_with()
        for _ in range(count):
            subject = subject_of(local)
            score(subject, uniform(80))
            score(subject, uniform(70))
        stage = desk(local)
        with CaptureQueriesContext(connection) as queries:
            results = stage_results(stage)
        assert len(results) == count
        return len(queries)

    one, five = results_for(1), results_for(5)
    assert one == five
    stage = desk(edition)
    for _ in range(5):
        score(subject_of(edition), uniform(75))
    with django_assert_num_queries(one):
        assert len(stage_results(stage)) == 5


# --------------------------------------------------------------------------- consolidation

JUSTIFICATION = "Selisih penilai besar; tim sepakat setelah membaca bukti."


def test_consolidation_replaces_the_aggregate_as_decision_score(edition, secretariat):
    subject = subject_of(edition)
    for values, ringkasan in A5.values():
        score(subject, sections(values, ringkasan))
    stage = desk(edition)
    record_consolidation(
        stage,
        subject,
        D("80.5"),
        justification=JUSTIFICATION,
        attendees=["Dr. Ani", "Budi, M.Si."],
        minutes_ref="NOT/TE/2025/014",
        actor=secretariat,
    )
    [result] = stage_results(stage)
    assert result.official == D("77.00")  # the raw aggregate is kept beside
    assert result.consolidated == D("80.50")
    assert result.decision_score == D("80.50")
    assert result.score_for(use_normalised=True) == D("80.50")


def test_consolidation_is_replaced_with_audit(edition, secretariat):
    subject = subject_of(edition)
    stage = desk(edition)
    kwargs = {"justification": JUSTIFICATION, "attendees": "Tim A", "actor": secretariat}
    record_consolidation(stage, subject, 80, minutes_ref="NOT/1", **kwargs)
    record_consolidation(stage, subject, 82, minutes_ref="NOT/2", **kwargs)

    assert subject.consolidations.get().score == D("82.00")
    entries = AuditEntry.objects.filter(action="evaluation.consolidation.record").order_by("id")
    assert entries[0].before is None
    assert entries[1].before["score"] == "80.00"
    assert entries[1].after["minutes_ref"] == "NOT/2"


def test_consolidation_rules(edition, secretariat, evaluator):
    subject = subject_of(edition)
    stage = desk(edition)
    good = {"attendees": "Tim A", "minutes_ref": "NOT/1"}
    with pytest.raises(PermissionDenied):
        record_consolidation(
            stage, subject, 80, justification=JUSTIFICATION, actor=evaluator, **good
        )
    with pytest.raises(DomainError, match="minimal 20 karakter"):
        record_consolidation(
            stage, subject, 80, justification="Sepakat.", actor=secretariat, **good
        )
    with pytest.raises(DomainError, match="0–100"):
        record_consolidation(
            stage, subject, 101, justification=JUSTIFICATION, actor=secretariat, **good
        )
    with pytest.raises(DomainError, match="notulen"):
        record_consolidation(
            stage,
            subject,
            80,
            justification=JUSTIFICATION,
            attendees="Tim A",
            minutes_ref=" ",
            actor=secretariat,
        )
    registration = edition.stages.get(code=EditionState.REGISTRATION_OPEN)
    with pytest.raises(DomainError, match="tidak sedang membuka keputusan"):
        record_consolidation(
            registration, subject, 80, justification=JUSTIFICATION, actor=secretariat, **good
        )
    assert not subject.consolidations.exists()
