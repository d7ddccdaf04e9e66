"""The assignment solver: worked examples, diagnoses, parsing, and an LP oracle."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from prima.evaluation.domain.assignment import (
    Assessor,
    Problem,
    ProblemError,
    Subject,
    parse_problem,
    solve,
    verify,
)


def problem(subjects, assessors, affinity=None, conflicts=(), rules=(), pinned=()):
    return Problem(
        subjects=tuple(subjects),
        assessors=tuple(assessors),
        affinity=dict(affinity or {}),
        conflicts=frozenset(conflicts),
        conflict_rules=frozenset(rules),
        pinned=frozenset(pinned),
    )


def pairs(solution):
    return {(s, a) for s, a, _ in solution.assignments}


# --------------------------------------------------------------------------- worked examples


def test_optimum_beats_greedy():
    # Greedy takes P1-E1 (0.9) then P2-E2 (0.1) = 1.0; the optimum swaps them: 0.8 + 0.7.
    p = problem(
        [Subject("P1", 1), Subject("P2", 1)],
        [Assessor(id="E1", max_load=1), Assessor(id="E2", max_load=1)],
        {("P1", "E1"): 0.9, ("P1", "E2"): 0.8, ("P2", "E1"): 0.7, ("P2", "E2"): 0.1},
    )
    solution = solve(p)
    assert solution.status == "optimal"
    assert solution.objective == pytest.approx(1.5)
    assert pairs(solution) == {("P1", "E2"), ("P2", "E1")}
    assert solution.loads == {"E1": 1, "E2": 1}
    assert solution.diagnosis is None


def test_demand_is_met_exactly_and_maximum_load_respected():
    p = problem(
        [Subject("P1", 2), Subject("P2", 2)],
        [
            Assessor(id="E1", max_load=2),
            Assessor(id="E2", max_load=1),
            Assessor(id="E3", max_load=4),
        ],
        {("P1", "E1"): 1.0, ("P2", "E1"): 1.0, ("P1", "E2"): 0.5, ("P2", "E2"): 0.6},
    )
    solution = solve(p)
    # E1 takes both subjects (2.0), E2 goes to P2 (0.6), E3 fills P1 with 0.
    assert solution.objective == pytest.approx(2.6)
    assert pairs(solution) == {("P1", "E1"), ("P2", "E1"), ("P2", "E2"), ("P1", "E3")}
    assert solution.loads == {"E1": 2, "E2": 1, "E3": 1}


def test_minimum_loads_are_respected_even_at_a_loss():
    p = problem(
        [Subject("P1", 1), Subject("P2", 1), Subject("P3", 1)],
        [Assessor(id="E1", max_load=3), Assessor(id="E2", min_load=2, max_load=3)],
        {(s, "E1"): 1.0 for s in ("P1", "P2", "P3")},
    )
    solution = solve(p)
    assert solution.loads == {"E1": 1, "E2": 2}
    assert solution.objective == pytest.approx(1.0)


def test_pairs_missing_from_affinity_may_be_assigned():
    p = problem(
        [Subject("P1", 2)],
        [Assessor(id="E1", max_load=1), Assessor(id="E2", max_load=1)],
        {("P1", "E1"): 0.4},
    )
    solution = solve(p)
    assert solution.assignments == [("P1", "E1", 0.4), ("P1", "E2", 0.0)]
    assert solution.objective == pytest.approx(0.4)


def test_pins_are_kept_and_count_towards_demand_and_load():
    p = problem(
        [Subject("P1", 1), Subject("P2", 1)],
        [Assessor(id="E1", max_load=1), Assessor(id="E2", max_load=1)],
        {("P1", "E1"): 0.9, ("P2", "E2"): 0.9, ("P1", "E2"): 0.1, ("P2", "E1"): 0.2},
        pinned=[("P1", "E2")],
    )
    solution = solve(p)
    assert pairs(solution) == {("P1", "E2"), ("P2", "E1")}
    assert solution.objective == pytest.approx(0.3)


def test_conflicts_by_both_rules_and_explicit_pairs_are_never_assigned():
    subjects = [Subject("P1", 1, institution="I1", province="13")]
    assessors = [
        Assessor(id="E1", max_load=1, institution="I1"),  # same institution
        Assessor(id="E2", max_load=1, province="13"),  # same province
        Assessor(id="E3", max_load=1),  # explicit conflict
        Assessor(id="E4", max_load=1, institution="I2", province="31"),
    ]
    affinity = {("P1", "E1"): 5.0, ("P1", "E2"): 4.0, ("P1", "E3"): 3.0}
    p = problem(
        subjects,
        assessors,
        affinity,
        conflicts=[("P1", "E3")],
        rules=["same_institution", "same_province"],
    )
    solution = solve(p)
    assert pairs(solution) == {("P1", "E4")}
    assert solution.objective == 0.0
    # Without the rules only the explicit conflict remains: E1 (5.0) wins.
    assert pairs(solve(problem(subjects, assessors, affinity, conflicts=[("P1", "E3")]))) == {
        ("P1", "E1")
    }


def test_unset_institutions_and_provinces_never_conflict():
    p = problem(
        [Subject("P1", 1)],
        [Assessor(id="E1", max_load=1)],
        {("P1", "E1"): 1.0},
        rules=["same_institution", "same_province"],
    )
    assert solve(p).status == "optimal"


def test_no_subjects_is_trivially_optimal():
    solution = solve(problem([], [Assessor(id="E1", max_load=2)]))
    assert solution.status == "optimal"
    assert solution.objective == 0
    assert solution.loads == {"E1": 0}


def test_issue_example_completed():
    data = {
        "demand_default": 3,
        "subjects": [
            {"id": "P1", "demand": 3, "institution": "I1", "province": "13"},
            {"id": "P2", "institution": "I2", "province": "31"},
        ],
        "assessors": [
            {"id": "E1", "min": 0, "max": 25, "institution": "X9", "province": "31"},
            {"id": "E2", "max": 2},
            {"id": "E3", "max": 2, "institution": "I1"},
            {"id": "E4", "max": 2, "province": "13"},
            {"id": "E5", "min": 1, "max": 2},
            {"id": "E7", "max": 2},
        ],
        "affinity": [["P1", "E1", 0.83], ["P2", "E7", 0.5], ["P1", "E7", 0.9]],
        "conflicts": [["P1", "E7"]],
        "conflict_rules": ["same_institution", "same_province"],
        "pinned": [["P2", "E3"]],
    }
    solution = solve(parse_problem(data))
    assert solution.status == "optimal"
    chosen = pairs(solution)
    assert ("P2", "E3") in chosen  # pinned
    assert ("P1", "E7") not in chosen  # explicit
    assert ("P1", "E3") not in chosen  # same_institution
    assert ("P1", "E4") not in chosen  # same_province
    assert ("P2", "E1") not in chosen  # same_province
    assert {s: sum(1 for x, _ in chosen if x == s) for s in ("P1", "P2")} == {"P1": 3, "P2": 3}
    assert solution.loads["E5"] >= 1
    assert solution.objective == pytest.approx(0.83 + 0.5)
    out = solution.to_dict()
    assert out["status"] == "optimal" and out["diagnosis"] is None
    assert {"subject": "P1", "assessor": "E1", "affinity": 0.83} in out["assignments"]


# --------------------------------------------------------------------------- diagnoses


def test_capacity_short():
    p = problem(
        [Subject("P1", 3), Subject("P2", 3)],
        [Assessor(id=f"E{j}", max_load=1) for j in range(5)],
    )
    solution = solve(p)
    assert solution.status == "infeasible"
    assert solution.to_dict() == {
        "status": "infeasible",
        "diagnosis": ["Kapasitas penilai 5 < kebutuhan 6 penilaian (kurang 1)."],
    }


def test_minimum_loads_exceed_demand():
    p = problem(
        [Subject("P1", 1)],
        [Assessor(id="E1", min_load=1, max_load=2), Assessor(id="E2", min_load=1, max_load=2)],
    )
    assert solve(p).diagnosis == [
        "Jumlah beban minimum penilai 2 > kebutuhan 1 penilaian (lebih 1)."
    ]


def test_subject_with_too_few_allowed_assessors_names_the_rules():
    p = problem(
        [Subject("P1", 3, institution="I1", province="13")],
        [
            Assessor(id="E1", max_load=5, institution="I1"),
            Assessor(id="E2", max_load=5, province="13"),
            Assessor(id="E3", max_load=5),
            Assessor(id="E4", max_load=5),
            Assessor(id="E5", max_load=0),
        ],
        conflicts=[("P1", "E3")],
        rules=["same_institution", "same_province"],
    )
    assert solve(p).diagnosis == [
        "Subjek P1 hanya punya 1 penilai yang boleh menilai, padahal kebutuhannya 3; "
        "terblokir 4 (1 konflik eksplisit, 1 same_institution, 1 same_province, "
        "1 beban maksimum 0): E1 [same_institution], E2 [same_province], E3 [konflik], "
        "E5 [max 0]."
    ]


def test_assessor_with_too_few_allowed_subjects():
    p = problem(
        [Subject("P1", 1, province="13"), Subject("P2", 1)],
        [Assessor(id="E1", min_load=2, max_load=2, province="13"), Assessor(id="E2", max_load=2)],
        rules=["same_province"],
    )
    assert solve(p).diagnosis == [
        "Penilai E1 hanya boleh menilai 1 subjek, padahal beban minimumnya 2."
    ]


def test_pins_that_conflict_or_exceed_bounds():
    p = problem(
        [Subject("P1", 1, institution="I1"), Subject("P2", 1), Subject("P3", 1)],
        [Assessor(id="E1", max_load=1, institution="I1"), Assessor(id="E2", max_load=3)],
        rules=["same_institution"],
        pinned=[("P1", "E1"), ("P2", "E1"), ("P3", "E1")],
    )
    diagnosis = solve(p).diagnosis
    assert "Pasangan tetap (P1, E1) berkonflik: same_institution (I1)." in diagnosis
    assert "Penilai E1 punya 3 pasangan tetap, melebihi beban maksimumnya 1." in diagnosis


def test_pins_exceeding_a_subjects_demand():
    p = problem(
        [Subject("P1", 1)],
        [Assessor(id="E1", max_load=1), Assessor(id="E2", max_load=1)],
        pinned=[("P1", "E1"), ("P1", "E2")],
    )
    assert "Subjek P1 punya 2 pasangan tetap, melebihi kebutuhannya 1 penilai." in (
        solve(p).diagnosis
    )


def test_group_of_subjects_whose_allowed_assessors_lack_capacity():
    # P1 and P2 (province 13) may each use E1 and E2 only; each alone is fine, together
    # they need 4 reviews and E1 + E2 can give 2.
    p = problem(
        [Subject("P1", 2, province="13"), Subject("P2", 2, province="13"), Subject("P3", 2)],
        [
            Assessor(id="E1", max_load=1),
            Assessor(id="E2", max_load=1),
            Assessor(id="E3", max_load=10, province="13"),
            Assessor(id="E4", max_load=10, province="13"),
        ],
        rules=["same_province"],
    )
    assert solve(p).diagnosis == [
        "Subjek P1, P2 (2 subjek) membutuhkan 4 penilaian, tetapi penilai yang boleh menilai "
        "mereka (2 penilai: E1, E2) dengan kapasitasnya hanya dapat memberi paling banyak 2 "
        "(kurang 2)."
    ]


def test_group_of_assessors_whose_minimum_loads_cannot_be_filled():
    # E1 and E2 (province 13) may only review P4 (one review); each alone is fine.
    subjects = [Subject(f"P{i}", 1, province="13") for i in (1, 2, 3)] + [Subject("P4", 1)]
    p = problem(
        subjects,
        [
            Assessor(id="E1", min_load=1, max_load=1, province="13"),
            Assessor(id="E2", min_load=1, max_load=1, province="13"),
            Assessor(id="E3", max_load=5),
        ],
        rules=["same_province"],
    )
    assert solve(p).diagnosis == [
        "Penilai E1, E2 (2 penilai) wajib menilai minimal 2 penilaian, tetapi subjek yang "
        "boleh mereka nilai (1 subjek: P4) hanya dapat memberi paling banyak 1 (kurang 1)."
    ]


# --------------------------------------------------------------------------- parsing

GOOD = {
    "subjects": [{"id": "P1"}],
    "assessors": [{"id": "E1", "max": 3}, {"id": "E2", "max": 3}, {"id": "E3", "max": 3}],
}


def with_(**changes):
    return {**GOOD, **changes}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([], "(berkas)"),
        ({"assessors": []}, "subjects"),
        (with_(subjects={"id": "P1"}), "subjects"),
        (with_(subjects=[{"id": "P1"}, {"id": "P1"}]), "subjects[1].id"),
        (with_(subjects=[{"id": ""}]), "subjects[0].id"),
        (with_(subjects=[{"id": "P1", "demand": 0}]), "subjects[0].demand"),
        (with_(subjects=[{"id": "P1", "demand": 2.5}]), "subjects[0].demand"),
        (with_(subjects=[{"id": "P1", "demand": True}]), "subjects[0].demand"),
        (with_(subjects=[{"id": "P1", "demnd": 2}]), "subjects[0].demnd"),
        (with_(subjects=[{"id": "P1", "province": 1.5}]), "subjects[0].province"),
        (with_(demand_default=-1), "demand_default"),
        (with_(assessors=[{"id": "E1"}]), "assessors[0].max"),
        (with_(assessors=[{"id": "E1", "max": -1}]), "assessors[0].max"),
        (with_(assessors=[{"id": "E1", "min": 4, "max": 3}]), "assessors[0].min"),
        (with_(affinity=[["P1", "E9", 0.5]]), "affinity[0]"),
        (with_(affinity=[["P9", "E1", 0.5]]), "affinity[0]"),
        (with_(affinity=[["P1", "E1", -0.5]]), "affinity[0]"),
        (with_(affinity=[["P1", "E1", float("nan")]]), "affinity[0]"),
        (with_(affinity=[["P1", "E1", "0.5"]]), "affinity[0]"),
        (with_(affinity=[["P1", "E1", 0.5], ["P1", "E1", 0.6]]), "affinity[1]"),
        (with_(affinity=[["P1", "E1"]]), "affinity[0]"),
        (with_(conflicts=[["P1", "E7"]]), "conflicts[0]"),
        (with_(pinned=[["P1"]]), "pinned[0]"),
        (with_(pinned=[["P1", "E1"], ["P1", "E1"]]), "pinned[1]"),
        (with_(conflict_rules=["same_family"]), "conflict_rules[0]"),
        (with_(conflict_rule=[]), "conflict_rule"),
    ],
)
def test_malformed_input_names_the_field(data, field):
    with pytest.raises(ProblemError) as caught:
        parse_problem(data)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


def test_defaults():
    p = parse_problem(with_(demand_default=2))
    assert p.subjects == (Subject("P1", 2),)
    assert p.assessors[0] == Assessor(id="E1", min_load=0, max_load=3)
    assert p.conflict_rules == frozenset() and p.pinned == frozenset()
    assert parse_problem(GOOD).subjects[0].demand == 3


def test_direct_construction_is_validated():
    with pytest.raises(ProblemError, match="affinity"):
        problem([Subject("P1", 1)], [Assessor(id="E1", max_load=1)], {("P1", "E2"): 1.0})
    with pytest.raises(ProblemError, match="conflict_rules"):
        problem([Subject("P1", 1)], [Assessor(id="E1", max_load=1)], rules=["same_city"])


# --------------------------------------------------------------------------- LP oracle


def oracle(p: Problem):
    """Optimum of the LP relaxation (integral: the constraint matrix is totally unimodular)."""
    s_index = {s.id: i for i, s in enumerate(p.subjects)}
    a_index = {a.id: j for j, a in enumerate(p.assessors)}
    conflict = set(p.conflicts)
    for s in p.subjects:
        for a in p.assessors:
            if (
                (
                    "same_institution" in p.conflict_rules
                    and s.institution is not None
                    and s.institution == a.institution
                )
                or (
                    "same_province" in p.conflict_rules
                    and s.province is not None
                    and s.province == a.province
                )
                or (p.pools == "by_category" and s.category not in a.categories)
            ):
                conflict.add((s.id, a.id))
    if p.pinned & conflict:
        return None
    variables = [
        (s.id, a.id) for s in p.subjects for a in p.assessors if (s.id, a.id) not in conflict
    ]
    n = len(variables)
    if n == 0:
        return 0.0 if not p.subjects and all(a.min_load == 0 for a in p.assessors) else None
    cost = np.array([-p.affinity.get(v, 0.0) for v in variables])
    a_eq = np.zeros((len(p.subjects), n))
    a_ub = np.zeros((2 * len(p.assessors), n))
    for k, (s, a) in enumerate(variables):
        a_eq[s_index[s], k] = 1
        a_ub[a_index[a], k] = 1
        a_ub[len(p.assessors) + a_index[a], k] = -1
    b_eq = np.array([s.demand for s in p.subjects], dtype=float)
    b_ub = np.array(
        [a.max_load for a in p.assessors] + [-a.min_load for a in p.assessors], dtype=float
    )
    bounds = [(1, 1) if v in p.pinned else (0, 1) for v in variables]
    result = linprog(
        cost,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq if len(p.subjects) else None,
        b_eq=b_eq if len(p.subjects) else None,
        bounds=bounds,
        method="highs",
    )
    if result.status == 2:
        return None
    assert result.status == 0, result.message
    return -result.fun


@st.composite
def problems(draw, roomy=False):
    """Small random instances; `roomy` ones are mostly feasible, the others often not."""
    n_s = draw(st.integers(1, 7))
    n_a = draw(st.integers(4 if roomy else 1, 7))
    codes = st.sampled_from([None, None, "A", "B", "C"])
    subjects = [
        Subject(f"P{i}", draw(st.sampled_from([1, 2, 2, 3])), draw(codes), draw(codes))
        for i in range(n_s)
    ]
    assessors = []
    for j in range(n_a):
        max_load = draw(
            st.integers(3, 8) if roomy else st.one_of(st.integers(2, 8), st.integers(0, 3))
        )
        min_load = draw(st.one_of(st.just(0), st.integers(0, min(max_load, 3))))
        assessors.append(
            Assessor(
                id=f"E{j}",
                min_load=min_load,
                max_load=max_load,
                institution=draw(codes),
                province=draw(codes),
            )
        )
    all_pairs = [(s.id, a.id) for s in subjects for a in assessors]
    value = st.one_of(
        st.sampled_from([0.0, 0.5, 1.0]),
        st.floats(0, 1, allow_nan=False),
        st.floats(0, 1000, allow_nan=False),
    )
    affinity = draw(st.dictionaries(st.sampled_from(all_pairs), value, max_size=len(all_pairs)))
    conflicts = draw(st.sets(st.sampled_from(all_pairs), max_size=len(all_pairs) // 5 + 1))
    pinned = draw(st.sets(st.sampled_from(all_pairs), max_size=2))
    rules = draw(st.sets(st.sampled_from(["same_institution", "same_province"])))
    return problem(subjects, assessors, affinity, conflicts, rules, pinned)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(problems(), problems(roomy=True)))
def test_solver_matches_the_lp_oracle(p):
    expected = oracle(p)
    solution = solve(p)
    if expected is None:
        assert solution.status == "infeasible"
        assert solution.diagnosis
        assert all(isinstance(line, str) and line for line in solution.diagnosis)
        return
    assert solution.status == "optimal", solution.diagnosis
    assert math.isclose(solution.objective, expected, rel_tol=1e-6, abs_tol=1e-7)
    verify(p, solution)
    assert p.pinned <= pairs(solution)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_tight_loads_match_the_oracle(p):
    # Make loads tight: every assessor's max is its min, and the total equals the demand
    # when possible, so the solver lives on the edge of feasibility.
    total = sum(s.demand for s in p.subjects)
    n_a = len(p.assessors)
    share = [total // n_a + (1 if j < total % n_a else 0) for j in range(n_a)]
    tight = Problem(
        subjects=p.subjects,
        assessors=tuple(
            Assessor(
                id=a.id, min_load=n, max_load=n, institution=a.institution, province=a.province
            )
            for a, n in zip(p.assessors, share, strict=True)
        ),
        affinity=p.affinity,
        conflicts=p.conflicts,
        conflict_rules=p.conflict_rules,
        pinned=p.pinned,
    )
    expected = oracle(tight)
    solution = solve(tight)
    if expected is None:
        assert solution.status == "infeasible" and solution.diagnosis
        return
    assert solution.status == "optimal", solution.diagnosis
    assert math.isclose(solution.objective, expected, rel_tol=1e-6, abs_tol=1e-7)
    assert solution.loads == {a.id: a.min_load for a in tight.assessors}
