"""The secretariat's evaluation decisions (kipp.md §8 #7, #8, #9, #11, #13; §10.5; §13):
acceptance examples A5 and A6, the desk review start, deployment e-mails, the final score
with a missing component, and winners per tier.

The helpers at the top are shared by the evaluation page and API tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pytest
from django.core import mail

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.evaluation.domain.runs import run_assignment
from prima.evaluation.domain.selections import adopt_selection
from prima.evaluation.domain.sheets import finalise_sheet, save_sheet
from prima.evaluation.enums import AssessorRole, EditionState, SelectionKind
from prima.evaluation.models import Assignment, Stage, Subject
from prima.kipp.domain.decisions import (
    combine_components,
    decide_finalists,
    decide_winners,
    deploy_assignments,
    final_score_rows,
    final_scores,
    mark_presented,
    nominate,
    propose_nomination,
    propose_winners,
    stage_candidates,
    start_desk_review,
)
from prima.kipp.enums import ProposalState
from prima.kipp.models import Proposal
from tests.factories import PersonFactory
from tests.kipp.factories import (
    AppointmentFactory,
    AssignmentFactory,
    EditionFactory,
    ProposalFactory,
)

D = Decimal
S = ProposalState
NOTE = "Catatan umum penilai untuk proposal ini."
UMUM = (
    "latar_belakang",
    "kebaruan",
    "implementasi",
    "signifikansi",
    "adaptabilitas",
    "sumber_daya",
    "keberlanjutan",
)
# Umum weights (kipp.md §7.1), largest first, to build a total from integer sections.
STEPS = (("signifikansi", 30), ("adaptabilitas", 20), ("kebaruan", 15), ("latar_belakang", 10))
# kipp.md §18 A5: LB KB IM SG AD SD KL.
A5 = (
    (80, 70, 90, 85, 75, 60, 80),
    (85, 80, 80, 90, 85, 70, 85),
    (70, 65, 85, 70, 60, 65, 70),
)
# The 2025 final stage scores the feasibility rubric (kipp.md §6.1 panel_assessment).
RUBRIC = ("dampak", "daya_tular", "kesiapan_perluasan_nasional", "keberlanjutan")


# --------------------------------------------------------------------------- helpers


def values_for(total: str) -> dict[str, int]:
    """Integer umum section scores whose weighted total is exactly `total` (× 0.05)."""
    base = int(D(total))
    rest = int((D(total) - base) * 100)
    values = {"ringkasan": base, **dict.fromkeys(UMUM, base)}
    for code, weight in (*STEPS, ("implementasi", 5)):
        step, rest = divmod(rest, weight)
        values[code] += step
    assert rest == 0, total
    return values


def a5_values(row: tuple[int, ...]) -> dict[str, int]:
    return {"ringkasan": 0, **dict(zip(UMUM, row, strict=True))}


def evaluator(edition, name: str, **kwargs):
    person = PersonFactory(username=name.lower().replace(" ", "_"), full_name=name)
    return AppointmentFactory(edition=edition, person=person, **kwargs)


def stage_of(edition, code: str) -> Stage:
    return Stage.objects.select_related("edition__instrument").get(edition=edition, code=code)


def score(subject: Subject, values: Mapping[str, int], appointment, *, stage=None) -> Assignment:
    """Assign the assessor, then save and finalise their sheet."""
    kwargs = {"stage": stage} if stage is not None else {}
    assignment = AssignmentFactory(subject=subject, appointment=appointment, **kwargs)
    sheet = save_sheet(assignment, values, note=NOTE, actor=appointment.person)
    finalise_sheet(sheet, actor=appointment.person)
    return assignment


def desk_proposal(edition, title: str, totals: list[str], evaluators, **kwargs) -> Proposal:
    """A proposal in desk review scored by `evaluators` with the given T_e totals."""
    proposal = ProposalFactory(
        edition=edition,
        title=title,
        state=S.DESK_REVIEW,
        participant_state=S.DESK_REVIEW,
        **kwargs,
    )
    for total, appointment in zip(totals, evaluators, strict=True):
        score(proposal.subject, values_for(total), appointment)
    return proposal


def a6_edition(edition):
    """kipp.md §18 A6 (and the A5 proposal) scored by three evaluators."""
    team = [evaluator(edition, f"Evaluator {i}") for i in (1, 2, 3)]
    proposals = {
        "A": desk_proposal(edition, "A", ["85.00", "85.00", "85.00"], team),
        "B": desk_proposal(edition, "B", ["85.00", "85.00", "84.95"], team),
        "C": desk_proposal(edition, "C", ["84.95", "84.95", "85.10"], team),
    }
    a5 = ProposalFactory(
        edition=edition, title="A5", state=S.DESK_REVIEW, participant_state=S.DESK_REVIEW
    )
    for row, appointment in zip(A5, team, strict=True):
        score(a5.subject, a5_values(row), appointment)
    proposals["A5"] = a5
    return proposals, team


def refreshed(proposals: Mapping[str, Proposal]) -> dict[str, Proposal]:
    return {name: Proposal.objects.get(pk=p.pk) for name, p in proposals.items()}


@pytest.fixture
def desk_edition(db):
    return EditionFactory(stages=EditionState.DESK_EVALUATION)


# --------------------------------------------------------------------------- #7 desk review


def test_start_desk_review_moves_assigned_proposals_and_retires_the_others(
    desk_edition, secretariat
):
    passed = ProposalFactory(edition=desk_edition, state=S.ADMIN_PASSED)
    unassigned = ProposalFactory(edition=desk_edition, state=S.ADMIN_PASSED)
    failed = ProposalFactory(edition=desk_edition, state=S.ADMIN_FAILED)
    desk = stage_of(desk_edition, EditionState.DESK_EVALUATION)
    AssignmentFactory(subject=passed.subject)
    run = run_assignment(
        desk, actor=secretariat, label="uji", subjects=Subject.objects.filter(pk=passed.subject_id)
    )
    run.deployed_at = run.created_at
    run.save()

    outcome = start_desk_review(desk_edition, actor=secretariat)

    assert outcome.moved == 1
    assert outcome.waiting == [unassigned.title]
    assert Proposal.objects.get(pk=passed.pk).state == S.DESK_REVIEW
    assert Proposal.objects.get(pk=unassigned.pk).state == S.ADMIN_PASSED
    assert Subject.objects.get(pk=failed.subject_id).is_active is False
    assert Subject.objects.get(pk=unassigned.subject_id).is_active is True
    assert AuditEntry.objects.filter(action="kipp.proposal.desk_review").count() == 1


def test_start_desk_review_needs_a_deployed_run(desk_edition, secretariat):
    ProposalFactory(edition=desk_edition, state=S.ADMIN_PASSED)
    with pytest.raises(DomainError, match="Belum ada proses penugasan yang diterapkan"):
        start_desk_review(desk_edition, actor=secretariat)


def test_deploying_a_run_starts_the_review_and_mails_each_evaluator_count_and_deadline(
    desk_edition, secretariat, django_capture_on_commit_callbacks
):
    proposals = [ProposalFactory(edition=desk_edition, state=S.ADMIN_PASSED) for _ in range(3)]
    ProposalFactory(edition=desk_edition, state=S.ADMIN_FAILED)
    team = [evaluator(desk_edition, f"Evaluator {i}") for i in range(4)]
    desk = stage_of(desk_edition, EditionState.DESK_EVALUATION)
    run = run_assignment(
        desk, actor=secretariat, label="Putaran 1", subjects=stage_candidates(desk)
    )
    assert run.status == "optimal"
    assert run.subject_count == 3  # the failed proposal is not a candidate

    with django_capture_on_commit_callbacks(execute=True):
        outcome = deploy_assignments(run, actor=secretariat)

    assert outcome.report.created == 9
    assert outcome.review is not None and outcome.review.moved == 3
    assert {p.state for p in Proposal.objects.filter(pk__in=[p.pk for p in proposals])} == {
        S.DESK_REVIEW
    }
    assert outcome.notified == len(mail.outbox) == 4
    loads = {a.person.email: Assignment.objects.filter(appointment=a).count() for a in team}
    for message in mail.outbox:
        [address] = message.to
        assert f"Jumlah proposal yang ditugaskan kepada Anda: {loads[address]}" in message.body
        assert "Batas waktu penilaian: 13 Juli 2025 23:59 WIB" in message.body


def test_only_the_secretariat_deploys(desk_edition, secretariat, evaluator):
    ProposalFactory(edition=desk_edition, state=S.ADMIN_PASSED)
    evaluator_on(desk_edition)
    desk = stage_of(desk_edition, EditionState.DESK_EVALUATION)
    run = run_assignment(desk, actor=secretariat, label="uji", parameters={"demand": 1})
    with pytest.raises(PermissionDenied):
        deploy_assignments(run, actor=evaluator)


def evaluator_on(edition):
    return evaluator(edition, "Evaluator Siap")


# --------------------------------------------------------------------------- #8 A6


def test_a6_threshold_85_nominates_a_and_c(desk_edition, secretariat):
    proposals, _team = a6_edition(desk_edition)
    [proposed] = propose_nomination(desk_edition, actor=secretariat)
    adopted = adopt_selection(proposed, minutes_ref="BA/TE/2025/01", actor=secretariat)

    decision = nominate(desk_edition, run=adopted, actor=secretariat)

    after = refreshed(proposals)
    assert after["A"].state == after["C"].state == S.NOMINATED
    assert after["B"].state == after["A5"].state == S.NOT_NOMINATED
    assert (after["A"].desk_score, after["B"].desk_score) == (D("85.00"), D("84.98"))
    assert (after["C"].desk_score, after["A5"].desk_score) == (D("85.00"), D("77.00"))
    assert sorted(decision.passed) == sorted([after["A"].subject_id, after["C"].subject_id])
    # Hidden until the nominees' announcement.
    assert {p.participant_state for p in after.values()} == {S.DESK_REVIEW}
    assert Subject.objects.get(pk=after["B"].subject_id).is_active is False
    entry = AuditEntry.objects.get(action="kipp.evaluation.nominated")
    assert entry.after["minutes_ref"] == "BA/TE/2025/01"


def test_nomination_waits_for_every_sheet_and_names_who_is_pending(desk_edition, secretariat):
    proposals, _team = a6_edition(desk_edition)
    late = evaluator(desk_edition, "Dr. Terlambat")
    AssignmentFactory(subject=proposals["B"].subject, appointment=late)
    [proposed] = propose_nomination(desk_edition, actor=secretariat)
    adopted = adopt_selection(proposed, minutes_ref="BA/TE/2025/01", actor=secretariat)

    with pytest.raises(DomainError, match=r"«B» menunggu Dr\. Terlambat"):
        nominate(desk_edition, run=adopted, actor=secretariat)
    assert Proposal.objects.get(pk=proposals["A"].pk).state == S.DESK_REVIEW


def test_nomination_needs_the_plenary_adoption(desk_edition, secretariat):
    a6_edition(desk_edition)
    [proposed] = propose_nomination(desk_edition, actor=secretariat)
    with pytest.raises(DomainError, match="ditetapkan pleno"):
        nominate(desk_edition, run=proposed, actor=secretariat)


def test_top_n_nomination_proposes_one_run_per_group(db, secretariat):
    edition = EditionFactory(stages=EditionState.DESK_EVALUATION)
    edition.rules["desk_evaluation"]["selection"] = {
        "mode": "top_n",
        "n": {"umum": 1, "replikasi": 1},
    }
    edition.save()
    team = [evaluator(edition, f"E{i}") for i in range(2)]
    desk_proposal(edition, "U1", ["90.00"], team[:1])
    desk_proposal(edition, "U2", ["80.00"], team[:1])

    runs = propose_nomination(edition, actor=secretariat)

    assert [run.tier for run in runs] == ["nominasi_umum"]
    assert [item["title"] for item in runs[0].ranking] == ["U1", "U2"]
    assert len(runs[0].selected_ids) == 1


# --------------------------------------------------------------------------- #9 finalists


def test_2025_every_nominee_becomes_a_finalist_of_finalis_2025(desk_edition, secretariat):
    nominees = [ProposalFactory(edition=desk_edition, state=S.NOMINATED) for _ in range(2)]
    dropped = ProposalFactory(edition=desk_edition, state=S.NOT_NOMINATED)

    decision = decide_finalists(desk_edition, actor=secretariat)

    assert sorted(decision.passed) == sorted(p.subject_id for p in nominees)
    for proposal in nominees:
        proposal.refresh_from_db()
        assert (proposal.state, proposal.tiers) == (S.FINALIST, ["finalis_2025"])
    assert Proposal.objects.get(pk=dropped.pk).state == S.NOT_NOMINATED


def test_top_n_finalists_need_an_adopted_run(desk_edition, secretariat):
    desk_edition.rules["finalists"] = {"mode": "top_n", "tiers": ["finalis_2025"]}
    desk_edition.rules["tiers"][0]["size"] = 10
    desk_edition.save()
    ProposalFactory(edition=desk_edition, state=S.NOMINATED)
    with pytest.raises(DomainError, match="ditetapkan pleno untuk satu tier"):
        decide_finalists(desk_edition, actor=secretariat)


# --------------------------------------------------------------------------- §13 final score


def test_final_score_redistributes_a_missing_public_component():
    weights = {"desk": D("0.6"), "panel_assessment": D("0.3"), "public_benefit": D("0.1")}

    score_value, used = combine_components(
        weights, {"desk": D("90"), "panel_assessment": D("80"), "public_benefit": None}
    )

    tenth = D("1e-10")
    assert used["desk"].quantize(tenth) == D("0.6666666667")  # 0.6 / 0.9 = 2/3
    assert used["panel_assessment"].quantize(tenth) == D("0.3333333333")  # 1/3
    assert used["desk"] + used["panel_assessment"] == 1
    assert "public_benefit" not in used
    assert score_value == D("86.67")  # 2/3 · 90 + 1/3 · 80


def test_final_score_with_every_component_and_with_zero_policy():
    weights = {"desk": D("0.6"), "panel_assessment": D("0.3"), "public_benefit": D("0.1")}
    full = {"desk": D("90"), "panel_assessment": D("80"), "public_benefit": D("70")}
    assert combine_components(weights, full)[0] == D("85.00")
    missing = {**full, "public_benefit": None}
    assert combine_components(weights, missing, missing="zero")[0] == D("78.00")
    assert combine_components(weights, dict.fromkeys(weights))[0] is None


@pytest.fixture
def final_edition(db):
    """A 2025-like edition in its final stage (feasibility assessment by panelists)."""
    return EditionFactory(stages=EditionState.FINAL_STAGE)


def finalist(edition, title: str, desk: str, panel: int, panelists, group: str = "umum"):
    proposal = ProposalFactory(
        edition=edition,
        title=title,
        group=group,
        state=S.CONFIRMED_FINALIST,
        desk_score=D(desk),
        tiers=["finalis_2025"],
    )
    final = stage_of(edition, EditionState.FINAL_STAGE)
    for appointment in panelists:
        score(proposal.subject, dict.fromkeys(RUBRIC, panel), appointment, stage=final)
    return proposal


def test_final_scores_of_presented_finalists(final_edition, secretariat):
    panel = [evaluator(final_edition, f"Panelis {i}", role=AssessorRole.PANELIST) for i in (1, 2)]
    proposal = finalist(final_edition, "Layanan A", "90.00", 80, panel)
    mark_presented(proposal, actor=secretariat)

    [row] = final_score_rows(final_edition)

    assert row.components == {
        "desk": D("90.00"),
        "panel_assessment": D("80.00"),
        "public_benefit": None,
    }
    assert final_scores(final_edition) == {proposal.subject_id: D("86.67")}


def test_mark_presented_waits_for_the_final_sheets(final_edition, secretariat):
    panel = [evaluator(final_edition, f"Panelis {i}", role=AssessorRole.PANELIST) for i in (1, 2)]
    proposal = finalist(final_edition, "Layanan A", "90.00", 80, panel[:1])
    final = stage_of(final_edition, EditionState.FINAL_STAGE)
    AssignmentFactory(subject=proposal.subject, appointment=panel[1], stage=final)

    with pytest.raises(DomainError, match="menunggu Panelis 2"):
        mark_presented(proposal, actor=secretariat)


def test_winners_keep_their_finalist_tier_and_store_the_final_score(final_edition, secretariat):
    panel = [evaluator(final_edition, f"Panelis {i}", role=AssessorRole.PANELIST) for i in (1, 2)]
    best = finalist(final_edition, "Terbaik", "95.00", 90, panel)
    other = finalist(final_edition, "Lainnya", "88.00", 70, panel)
    for proposal in (best, other):
        mark_presented(proposal, actor=secretariat)
    final_edition.rules["tiers"][1]["size"] = 1  # top45 → a Top-1 for the example
    final_edition.save()

    proposed = propose_winners(final_edition, "top45", actor=secretariat)
    assert proposed.selected_ids == [best.subject_id]
    assert [item["score"] for item in proposed.ranking] == ["93.33", "82.00"]
    adopted = adopt_selection(
        proposed, minutes_ref="BA/TPI/2025/09", acknowledge_violations=True, actor=secretariat
    )
    decision = decide_winners(final_edition, runs_by_tier={"top45": adopted}, actor=secretariat)

    best.refresh_from_db()
    other.refresh_from_db()
    assert decision.passed == [best.subject_id]
    assert (best.state, best.tiers, best.final_score) == (
        S.WINNER,
        ["finalis_2025", "top45"],
        D("93.33"),
    )
    assert (other.state, other.tiers, other.final_score) == (
        S.FINALIST_ONLY,
        ["finalis_2025"],
        D("82.00"),
    )
    assert best.participant_state == S.PRESENTED  # hidden until the winners' announcement


def test_winners_need_an_adopted_run_for_every_tier_with_candidates(final_edition, secretariat):
    panel = [evaluator(final_edition, "Panelis 1", role=AssessorRole.PANELIST)]
    umum = finalist(final_edition, "Umum", "90.00", 80, panel)
    mark_presented(umum, actor=secretariat)
    proposed = propose_winners(final_edition, "top45", actor=secretariat)
    assert proposed.kind == SelectionKind.PROPOSED

    with pytest.raises(DomainError, match="top45"):
        decide_winners(final_edition, runs_by_tier={}, actor=secretariat)
    with pytest.raises(DomainError, match="ditetapkan pleno"):
        decide_winners(final_edition, runs_by_tier={"top45": proposed}, actor=secretariat)
