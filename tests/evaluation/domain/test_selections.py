"""Ranking, Top-N proposals and plenary adoption through the database (kipp.md §10.4,
§10.5, §11.2, §11.3; acceptance examples A6 and A8)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.evaluation.domain.results import stage_results
from prima.evaluation.domain.selections import (
    adopt_selection,
    propose_selection,
    rank_results,
    threshold_selection,
)
from prima.evaluation.enums import PickReason, SelectionKind
from prima.evaluation.models import SelectionOverride, SelectionRun, Subject
from prima.innovations.enums import LinkStatus
from tests.evaluation.domain.test_results import (
    T_84_95,
    T_85_00,
    a6_subjects,
    desk,
    edition_with,
    score,
    subject_of,
    uniform,
)
from tests.factories import ReplicationLinkFactory
from tests.kipp.factories import AppointmentFactory

D = Decimal
WEIGHTS = {"signifikansi": 30, "adaptabilitas": 20, "kebaruan": 15, "latar_belakang": 10}
A8_CONSTRAINTS = [
    {"stratum": "region_3t", "value": True, "min": 1},
    {"stratum": "province_local", "max": 2},
]
# kipp.md §18 A8: (official score, province, 3T); every candidate is a local government.
A8 = {
    "P1": ("92.10", "35", False),
    "P2": ("91.40", "35", False),
    "P3": ("90.75", "35", False),
    "P4": ("89.20", "13", False),
    "P5": ("88.60", "64", False),
    "P6": ("87.90", "52", False),
    "P7": ("86.30", "91", True),
    "P8": ("85.50", "53", True),
}
SWAP = "Pleno menilai P6 lebih berdampak bagi layanan dasar di daerahnya."


def values_for(total: str) -> dict[str, int]:
    """Integer section scores whose weighted total is exactly `total` (a multiple of 0.05)."""
    base = int(D(total))
    rest = int((D(total) - base) * 100)
    values = uniform(base)
    for code, weight in (*WEIGHTS.items(), ("implementasi", 5)):
        step, rest = divmod(rest, weight)
        values[code] += step
    assert rest == 0
    return values


@pytest.fixture
def edition(db):
    return edition_with()


@pytest.fixture
def a8(edition):
    subjects = {}
    for name, (total, province, is_3t) in A8.items():
        subject = Subject.objects.create(
            edition=edition,
            kind="proposal",
            title=name,
            group="umum",
            category="AC4",
            institution_kind="kabupaten",
            province=province,
            region_3t=is_3t,
        )
        score(subject, values_for(total))
        subjects[name] = subject
    return subjects


def names(run: SelectionRun, subjects: dict[str, Subject]) -> list[str]:
    by_id = {s.pk: name for name, s in subjects.items()}
    return [by_id[i] for i in run.selected_ids]


def test_values_for_gives_the_a8_scores(edition, a8):
    results = {r.subject_id: r.official for r in stage_results(desk(edition))}
    assert {name: results[s.pk] for name, s in a8.items()} == {
        name: D(total) for name, (total, _p, _t) in A8.items()
    }


def test_a8_top5_with_strata_and_plenary_swap(edition, a8, secretariat):
    stage = desk(edition)
    proposed = propose_selection(stage, "top5", n=5, constraints=A8_CONSTRAINTS, actor=secretariat)

    assert proposed.kind == SelectionKind.PROPOSED
    assert names(proposed, a8) == ["P1", "P2", "P4", "P5", "P7"]
    reasons = {item["subject"]: item["reason"] for item in proposed.result["selected"]}
    assert reasons[a8["P7"].pk] == PickReason.QUOTA
    assert reasons[a8["P1"].pk] == PickReason.MERIT
    displaced = [item["subject"] for item in proposed.result["displaced"]]
    assert displaced == [a8["P3"].pk]
    assert [item["subject"] for item in proposed.ranking][:3] == [
        a8["P1"].pk,
        a8["P2"].pk,
        a8["P3"].pk,
    ]
    assert proposed.ranking[0]["score"] == "92.10"
    assert proposed.instrument_hash == edition.instrument.content_hash
    assert AuditEntry.objects.filter(action="evaluation.selection.propose").exists()

    adopted = adopt_selection(
        proposed,
        overrides=[{"removed": a8["P5"], "added": a8["P6"], "justification": SWAP}],
        minutes_ref="NOT/TPI/2025/07",
        actor=secretariat,
    )
    assert adopted.kind == SelectionKind.ADOPTED
    assert adopted.proposed == proposed
    assert names(adopted, a8) == ["P1", "P2", "P4", "P6", "P7"]
    assert adopted.violations == []  # province 52; the 3T minimum is still met
    override = SelectionOverride.objects.get(run=adopted)
    assert (override.removed, override.added) == (a8["P5"], a8["P6"])
    assert override.justification == SWAP
    assert override.minutes_ref == "NOT/TPI/2025/07"
    assert override.decided_by == secretariat
    assert names(SelectionRun.objects.get(pk=proposed.pk), a8) == ["P1", "P2", "P4", "P5", "P7"]
    entry = AuditEntry.objects.get(action="evaluation.selection.adopt")
    assert entry.reason == SWAP


def test_violating_override_needs_acknowledgement(edition, a8, secretariat):
    proposed = propose_selection(
        desk(edition), "top5", n=5, constraints=A8_CONSTRAINTS, actor=secretariat
    )
    swap = [{"removed": a8["P4"], "added": a8["P3"], "justification": SWAP}]
    with pytest.raises(DomainError, match="province_local = 35, maks 2"):
        adopt_selection(proposed, overrides=swap, minutes_ref="NOT/1", actor=secretariat)
    assert not SelectionRun.objects.filter(kind=SelectionKind.ADOPTED).exists()

    adopted = adopt_selection(
        proposed,
        overrides=swap,
        minutes_ref="NOT/1",
        acknowledge_violations=True,
        actor=secretariat,
    )
    assert adopted.violations
    assert adopted.violations_acknowledged is True
    assert names(adopted, a8) == ["P1", "P2", "P3", "P5", "P7"]


def test_override_rules(edition, a8, secretariat, evaluator):
    proposed = propose_selection(
        desk(edition), "top5", n=5, constraints=A8_CONSTRAINTS, actor=secretariat
    )
    short = [{"removed": a8["P5"], "added": a8["P6"], "justification": "Lebih baik."}]
    with pytest.raises(DomainError, match="minimal 20 karakter"):
        adopt_selection(proposed, overrides=short, minutes_ref="NOT/1", actor=secretariat)
    not_selected = [{"removed": a8["P8"], "added": a8["P6"], "justification": SWAP}]
    with pytest.raises(DomainError, match="tidak ada dalam daftar terpilih"):
        adopt_selection(proposed, overrides=not_selected, minutes_ref="NOT/1", actor=secretariat)
    with pytest.raises(DomainError, match="notulen"):
        adopt_selection(proposed, minutes_ref="", actor=secretariat)
    with pytest.raises(PermissionDenied):
        adopt_selection(proposed, minutes_ref="NOT/1", actor=evaluator)
    with pytest.raises(PermissionDenied):
        propose_selection(desk(edition), "top5", n=5, constraints=[], actor=evaluator)
    adopted = adopt_selection(proposed, minutes_ref="NOT/1", actor=secretariat)
    with pytest.raises(DomainError, match="usulan sistem"):
        adopt_selection(adopted, minutes_ref="NOT/2", actor=secretariat)
    assert not SelectionOverride.objects.exists()


def test_a6_threshold(edition, secretariat):
    subjects = a6_subjects(edition)
    run = threshold_selection(desk(edition), 85, tier="nominasi", actor=secretariat)

    by_id = {s.pk: name for name, s in subjects.items()}
    assert sorted(by_id[i] for i in run.selected_ids) == ["A", "C"]
    assert run.kind == SelectionKind.PROPOSED
    assert run.result["passing_grade"] == "85"
    scores = {by_id[item["subject"]]: item["score"] for item in run.ranking}
    assert scores["B"] == "84.98"


def test_tie_at_cutoff_is_flagged(edition, secretariat):
    # Equal scores and equal section means, no replications, no submission time: tied
    # after every breaker, straddling position 2.
    first, second, third = (subject_of(edition) for _ in range(3))
    score(first, uniform(90))
    score(second, uniform(80))
    score(third, uniform(80))
    run = propose_selection(desk(edition), "top2", n=2, constraints=[], actor=secretariat)

    flagged = {item["subject"] for item in run.ranking if item["tie_at_cutoff"]}
    assert flagged == {second.pk, third.pk}
    assert sorted(run.result["tie_at_cutoff"]) == sorted([second.pk, third.pk])
    assert len(run.selected_ids) == 2


def test_tie_breakers_in_order(edition):
    """Equal official scores: Signifikansi mean, then replications, then earlier submission."""
    stage = desk(edition)
    # Same total 85.00: more on Signifikansi (+1 × 30) and less on Adaptabilitas and
    # Latar Belakang (−1 × 20, −1 × 10).
    strong = subject_of(edition)
    score(strong, {**T_85_00, "signifikansi": 86, "adaptabilitas": 84, "latar_belakang": 84})
    replicated, early, late = (subject_of(edition) for _ in range(3))
    for subject in (replicated, early, late):
        score(subject, T_85_00)
    ReplicationLinkFactory(source=replicated.proposal.innovation, status=LinkStatus.VERIFIED)
    # Claimed and rejected replications do not count (pkri.md §9): `early` stays behind.
    ReplicationLinkFactory(source=early.proposal.innovation, status=LinkStatus.CLAIMED)
    ReplicationLinkFactory(source=early.proposal.innovation, status=LinkStatus.REJECTED)
    now = timezone.now()
    Subject.objects.filter(pk=early.pk).update(submitted_at=now - dt.timedelta(days=2))
    Subject.objects.filter(pk=late.pk).update(submitted_at=now - dt.timedelta(days=1))
    lower = subject_of(edition)
    score(lower, T_84_95)

    ranked = rank_results(
        stage_results(stage),
        ["section_mean:signifikansi", "verified_replications", "submitted_at"],
    )
    order = [r.subject_id for r in ranked]
    assert order == [strong.pk, replicated.pk, early.pk, late.pk, lower.pk]
    assert [r.rank for r in ranked] == [1, 2, 3, 4, 5]
    assert ranked[1].tie_values["verified_replications"] == 1
    assert ranked[2].tie_values["verified_replications"] == 0


def test_rank_within_strata_and_unknown_breaker(edition):
    umum, replica = subject_of(edition), subject_of(edition)
    Subject.objects.filter(pk=replica.pk).update(group="replikasi")
    score(umum, uniform(70))
    replica.refresh_from_db()
    score(replica, replica_values(60))
    ranked = rank_results(stage_results(desk(edition)), ["submitted_at"], lambda r: r.group)
    assert {(r.stratum, r.rank) for r in ranked} == {("umum", 1), ("replikasi", 1)}
    with pytest.raises(DomainError, match="tidak dikenal"):
        rank_results(stage_results(desk(edition)), ["undian"])


def replica_values(value: int) -> dict[str, int]:
    codes = (
        "ringkasan",
        "latar_belakang",
        "implementasi",
        "signifikansi",
        "adaptabilitas",
        "sumber_daya",
        "keberlanjutan",
        "inspirasi",
        "proses_replikasi",
        "faktor_pembeda",
    )
    return dict.fromkeys(codes, value)


def test_normalised_scores_drive_the_selection_only_when_asked(db, secretariat):
    edition = edition_with(normalisation={"method": "zscore", "min_sample": 3})
    x, y = AppointmentFactory(edition=edition), AppointmentFactory(edition=edition)
    s1, s2, s3 = (subject_of(edition) for _ in range(3))
    for subject, tx, ty in ((s1, 90, 70), (s2, 70, 60), (s3, 80, 65)):
        score(subject, uniform(tx), x)
        score(subject, uniform(ty), y)
    run = propose_selection(
        desk(edition), "top1", n=1, constraints=[], use_normalised=True, actor=secretariat
    )
    assert run.use_normalised is True
    assert run.ranking[0]["score"] == "84.62"
    assert run.ranking[0]["official"] == "80.00"
