"""Category pools in the pure solver (kipp.md §10.1 "optional pools", §11.1, §13): an
assessor only takes subjects of their own categories; per-pool supply is pre-checked."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prima.evaluation.domain.assignment import (
    Assessor,
    Problem,
    ProblemError,
    Subject,
    parse_problem,
    solve,
    verify,
)
from tests.evaluation.domain.test_assignment import oracle, pairs


def pooled(subjects, assessors, affinity=None, conflicts=(), pinned=(), rules=()):
    return Problem(
        subjects=tuple(subjects),
        assessors=tuple(assessors),
        affinity=dict(affinity or {}),
        conflicts=frozenset(conflicts),
        conflict_rules=frozenset(rules),
        pinned=frozenset(pinned),
        pools="by_category",
    )


def diagnosis_of(problem: Problem) -> list[str]:
    return solve(problem).diagnosis or []


def member(id_: str, max_load: int, *categories: str, **kwargs) -> Assessor:
    return Assessor(id=id_, max_load=max_load, categories=frozenset(categories), **kwargs)


# --------------------------------------------------------------------------- solving


def test_pooled_run_assigns_only_pairs_within_the_pool_even_against_affinity():
    # Every out-of-pool pair is the most attractive one; the pool must still win.
    subjects = [Subject("P1", 2, category="AC1"), Subject("P2", 2, category="AC4")]
    assessors = [
        member("E1", 2, "AC1"),
        member("E2", 2, "AC1", "AC4"),
        member("E3", 2, "AC4"),
        member("E4", 2),  # no category: belongs to no pool
    ]
    affinity = {("P1", "E3"): 9.0, ("P2", "E1"): 9.0, ("P1", "E4"): 9.0, ("P1", "E1"): 0.5}

    solution = solve(pooled(subjects, assessors, affinity))

    assert solution.status == "optimal"
    assert pairs(solution) == {("P1", "E1"), ("P1", "E2"), ("P2", "E2"), ("P2", "E3")}
    assert solution.objective == pytest.approx(0.5)
    assert solution.loads["E4"] == 0


def test_without_pools_the_same_problem_crosses_categories():
    subjects = [Subject("P1", 1, category="AC1")]
    assessors = [member("E1", 1, "AC1"), member("E2", 1, "AC4")]
    problem = Problem(
        subjects=tuple(subjects), assessors=tuple(assessors), affinity={("P1", "E2"): 1.0}
    )

    assert pairs(solve(problem)) == {("P1", "E2")}


# --------------------------------------------------------------------------- diagnoses


def test_pool_supply_short_names_the_category_and_the_numbers():
    subjects = [Subject(f"P{i}", 2, category="AC4") for i in range(1, 13)] + [
        Subject("Q1", 2, category="AC1")
    ]
    assessors = [member(f"E{j}", 4, "AC4") for j in range(1, 6)] + [
        member("F1", 50, "AC1"),
        member("F2", 50, "AC1"),
    ]

    diagnosis = diagnosis_of(pooled(subjects, assessors))

    assert (
        "Kelompok kategori AC4: 12 subjek × 2 penilai = 24 penilaian, tetapi jumlah beban "
        "maksimum 5 penilai di kelompok ini hanya 20 (kurang 4)."
    ) in diagnosis
    assert not any("Kelompok kategori AC1" in line for line in diagnosis)


def test_pool_without_members_and_mixed_demands():
    subjects = [Subject("P1", 2, category="AC7"), Subject("P2", 3, category="AC7")]
    assessors = [member("E1", 10, "AC1")]

    diagnosis = diagnosis_of(pooled(subjects, assessors))

    assert diagnosis[0] == (
        "Kelompok kategori AC7: 2 subjek membutuhkan 5 penilaian, tetapi tidak ada penilai "
        "di kelompok ini (kurang 5)."
    )


def test_subject_diagnosis_counts_assessors_outside_the_pool_and_lists_conflicts_first():
    subjects = [Subject("P12", 3, category="AC4", institution="I1")]
    assessors = [member(f"A{j:02d}", 5, "AC1") for j in range(14)] + [
        member("Z1", 5, "AC4"),
        member("Z2", 5, "AC4", institution="I1"),
    ]

    diagnosis = diagnosis_of(pooled(subjects, assessors, rules=["same_institution"]))

    [line] = [line for line in diagnosis if line.startswith("Subjek P12")]
    assert line.startswith(
        "Subjek P12 hanya punya 1 penilai yang boleh menilai, padahal kebutuhannya 3; "
        "terblokir 15 (1 same_institution, 14 di luar kelompok kategori): "
        "Z2 [same_institution], A00 [outside_pool], "
    )
    assert line.endswith("dan 5 lainnya.")


def test_pinned_pair_outside_the_pool_is_refused_by_name():
    subjects = [Subject("P1", 1, category="AC4")]
    assessors = [member("E1", 1, "AC1"), member("E2", 1, "AC4")]

    diagnosis = diagnosis_of(pooled(subjects, assessors, pinned=[("P1", "E1")]))

    assert "Pasangan tetap (P1, E1) berkonflik: outside_pool (AC4)." in diagnosis


def test_subject_without_category_is_refused_by_name():
    with pytest.raises(ProblemError) as caught:
        pooled([Subject("P1", 1, category="AC1"), Subject("P2", 1)], [member("E1", 2, "AC1")])
    assert caught.value.field == "subjects[1].category"
    assert "P2" in str(caught.value)


def test_unknown_pools_value_is_refused():
    with pytest.raises(ProblemError, match="pools"):
        Problem(subjects=(), assessors=(), pools="by_region")


# --------------------------------------------------------------------------- file format

FILE = {
    "pools": "by_category",
    "demand_default": 1,
    "subjects": [{"id": "P1", "category": "AC1"}, {"id": "P2", "category": "AC4"}],
    "assessors": [
        {"id": "E1", "max": 2, "categories": ["AC4"]},
        {"id": "E2", "max": 2, "categories": ["AC1"]},
    ],
    "affinity": [["P1", "E1", 1.0], ["P2", "E2", 1.0]],
}


def test_file_format_reads_pools_categories_and_pool_members():
    problem = parse_problem(FILE)

    assert problem.pools == "by_category"
    assert problem.subjects[0].category == "AC1"
    assert problem.assessors[0].categories == frozenset({"AC4"})
    assert pairs(solve(problem)) == {("P1", "E2"), ("P2", "E1")}
    assert parse_problem({**FILE, "pools": None}).pools is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**FILE, "pools": "by_region"}, "pools"),
        ({**FILE, "subjects": [{"id": "P1"}]}, "subjects[0].category"),
        ({**FILE, "subjects": [{"id": "P1", "category": 1.5}]}, "subjects[0].category"),
        ({**FILE, "assessors": [{"id": "E1", "max": 1, "categories": "AC1"}]}, "assessors[0]"),
        ({**FILE, "assessors": [{"id": "E1", "max": 1, "categories": [""]}]}, "assessors[0]"),
    ],
)
def test_malformed_pool_fields_name_the_field(data, field):
    with pytest.raises(ProblemError) as caught:
        parse_problem(data)
    assert caught.value.field.startswith(field)


# --------------------------------------------------------------------------- LP oracle


@st.composite
def pooled_problems(draw):
    """Small random instances with category pools, half of them roomy."""
    roomy = draw(st.booleans())
    categories = ["AC1", "AC2", "AC3"]
    n_s = draw(st.integers(1, 7))
    n_a = draw(st.integers(5 if roomy else 1, 8))
    codes = st.sampled_from([None, None, "A", "B"])
    subjects = [
        Subject(
            f"P{i}",
            draw(st.sampled_from([1, 2, 2, 3])),
            draw(codes),
            draw(codes),
            draw(st.sampled_from(categories)),
        )
        for i in range(n_s)
    ]
    assessors = []
    for j in range(n_a):
        max_load = draw(st.integers(4, 8) if roomy else st.integers(0, 6))
        min_load = 0 if roomy else draw(st.one_of(st.just(0), st.integers(0, min(max_load, 2))))
        assessors.append(
            Assessor(
                id=f"E{j}",
                min_load=min_load,
                max_load=max_load,
                institution=draw(codes),
                province=draw(codes),
                categories=frozenset(
                    draw(st.sets(st.sampled_from(categories), min_size=2 if roomy else 0))
                ),
            )
        )
    all_pairs = [(s.id, a.id) for s in subjects for a in assessors]
    value = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0, 100, allow_nan=False))
    return Problem(
        subjects=tuple(subjects),
        assessors=tuple(assessors),
        affinity=draw(st.dictionaries(st.sampled_from(all_pairs), value)),
        conflicts=frozenset(draw(st.sets(st.sampled_from(all_pairs), max_size=2))),
        conflict_rules=frozenset(draw(st.sets(st.sampled_from(["same_institution"])))),
        pinned=frozenset(draw(st.sets(st.sampled_from(all_pairs), max_size=2))),
        pools="by_category",
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pooled_problems())
def test_pooled_solver_matches_the_lp_oracle(p):
    expected = oracle(p)
    solution = solve(p)
    if expected is None:
        assert solution.status == "infeasible" and solution.diagnosis
        return
    assert solution.status == "optimal", solution.diagnosis
    assert solution.objective is not None
    assert math.isclose(solution.objective, expected, rel_tol=1e-6, abs_tol=1e-7)
    verify(p, solution)
    categories = {a.id: a.categories for a in p.assessors}
    category = {s.id: s.category for s in p.subjects}
    assert all(category[s] in categories[a] for s, a in pairs(solution))
