"""Ties in affinity go to the lowest load spread, never at the cost of affinity (§10.1)."""

from __future__ import annotations

import itertools
import math
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prima.evaluation.domain.assignment import Assessor, Problem, Subject, solve, verify
from tests.evaluation.domain.test_assignment import oracle, pairs, problem


def squares(solution) -> int:
    return sum(load * load for load in solution.loads.values())


def test_equal_affinity_goes_to_the_smaller_load_spread():
    # Every assignment has affinity 0: the balanced one (2, 2, 2) must come back.
    p = problem(
        [Subject(f"P{i}", 1) for i in range(6)],
        [Assessor(id=f"E{j}", max_load=6) for j in range(3)],
    )
    solution = solve(p)
    assert solution.objective == 0
    assert solution.loads == {"E0": 2, "E1": 2, "E2": 2}


def test_tie_on_affinity_between_two_assessors_is_broken_by_load():
    # P1 likes E1 and E2 equally; P2 only likes E1. Both P1 → E1 and P1 → E2 give
    # affinity 2.0, and P1 → E2 leaves the loads at (1, 1) instead of (2, 0).
    p = problem(
        [Subject("P1", 1), Subject("P2", 1)],
        [Assessor(id="E1", max_load=2), Assessor(id="E2", max_load=2)],
        {("P1", "E1"): 1.0, ("P1", "E2"): 1.0, ("P2", "E1"): 1.0},
    )
    solution = solve(p)
    assert solution.objective == 2.0
    assert pairs(solution) == {("P1", "E2"), ("P2", "E1")}
    assert solution.loads == {"E1": 1, "E2": 1}


def test_affinity_is_never_traded_for_balance():
    # Both subjects prefer E1 by a hair: the loads (2, 0) win over (1, 1).
    p = problem(
        [Subject("P1", 1), Subject("P2", 1)],
        [Assessor(id="E1", max_load=2), Assessor(id="E2", max_load=2)],
        {("P1", "E1"): 1.0, ("P2", "E1"): 1.0, ("P1", "E2"): 0.999_999, ("P2", "E2"): 0.999_999},
    )
    solution = solve(p)
    assert solution.loads == {"E1": 2, "E2": 0}
    assert solution.objective == 2.0


def test_minimum_loads_count_in_the_spread():
    # E2 must take 2 of the 3 subjects; the third goes to E1: loads (1, 2), not (0, 3).
    p = problem(
        [Subject(f"P{i}", 1) for i in range(3)],
        [Assessor(id="E1", max_load=3), Assessor(id="E2", min_load=2, max_load=3)],
    )
    assert solve(p).loads == {"E1": 1, "E2": 2}


def test_a_pinned_assessor_gets_fewer_free_subjects():
    # E1 holds two pins; the two remaining subjects both go to E2: loads (2, 2).
    p = problem(
        [Subject(f"P{i}", 1) for i in range(4)],
        [Assessor(id="E1", max_load=4), Assessor(id="E2", max_load=4)],
        pinned=[("P0", "E1"), ("P1", "E1")],
    )
    solution = solve(p)
    assert solution.loads == {"E1": 2, "E2": 2}
    assert pairs(solution) >= {("P2", "E2"), ("P3", "E2")}


def test_the_answer_does_not_depend_on_input_order():
    rng = random.Random(7)
    subjects = [Subject(f"P{i:02d}", rng.choice([1, 2, 3])) for i in range(12)]
    assessors = [Assessor(id=f"E{j:02d}", max_load=8) for j in range(8)]
    affinity = {
        (s.id, a.id): rng.choice([0.0, 1.0])
        for s in subjects
        for a in assessors
        if rng.random() < 0.4
    }
    reference = pairs(solve(problem(subjects, assessors, affinity)))
    for _ in range(5):
        rng.shuffle(subjects)
        rng.shuffle(assessors)
        assert pairs(solve(problem(subjects, assessors, affinity))) == reference


# --------------------------------------------------------------------------- brute force


def brute_force(p: Problem) -> tuple[float, int] | None:
    """The best (affinity, -Σ L²) over every feasible assignment, by enumeration."""
    allowed = {
        s.id: [a.id for a in p.assessors if (s.id, a.id) not in p.conflicts] for s in p.subjects
    }
    best: tuple[float, int] | None = None
    choices = [itertools.combinations(allowed[s.id], s.demand) for s in p.subjects]
    for combo in itertools.product(*choices):
        chosen = {(s.id, a) for s, group in zip(p.subjects, combo, strict=True) for a in group}
        if not p.pinned <= chosen:
            continue
        loads = {a.id: 0 for a in p.assessors}
        for _, a in chosen:
            loads[a] += 1
        if any(not a.min_load <= loads[a.id] <= a.max_load for a in p.assessors):
            continue
        # Affinities are multiples of 0.5, so these float sums are exact.
        key = (
            sum(p.affinity.get(pair, 0.0) for pair in chosen),
            -sum(n * n for n in loads.values()),
        )
        if best is None or key > best:
            best = key
    return best


@st.composite
def tie_heavy(draw):
    n_s = draw(st.integers(1, 4))
    n_a = draw(st.integers(2, 4))
    subjects = [Subject(f"P{i}", draw(st.integers(1, 2))) for i in range(n_s)]
    assessors = []
    for j in range(n_a):
        max_load = draw(st.integers(1, 4))
        assessors.append(
            Assessor(id=f"E{j}", min_load=draw(st.integers(0, min(max_load, 2))), max_load=max_load)
        )
    all_pairs = [(s.id, a.id) for s in subjects for a in assessors]
    affinity = draw(st.dictionaries(st.sampled_from(all_pairs), st.sampled_from([0.0, 0.5, 1.0])))
    conflicts = draw(st.sets(st.sampled_from(all_pairs), max_size=2))
    pinned = draw(st.sets(st.sampled_from(all_pairs), max_size=1)) - conflicts
    return problem(subjects, assessors, affinity, conflicts, (), pinned)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tie_heavy())
def test_lexicographic_optimum_matches_enumeration(p):
    best = brute_force(p)
    solution = solve(p)
    if best is None:
        assert solution.status == "infeasible"
        return
    assert solution.status == "optimal", solution.diagnosis
    verify(p, solution)
    assert (solution.objective, -squares(solution)) == best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tie_heavy())
def test_objective_still_equals_the_lp_optimum(p):
    expected = oracle(p)
    solution = solve(p)
    if expected is None:
        assert solution.status == "infeasible"
        return
    assert math.isclose(solution.objective, expected, rel_tol=1e-6, abs_tol=1e-7)
