"""The assignment benchmark (bench/assignment.py) at a tiny size: generator, both
network builders and the sparse LP oracle agree."""

from __future__ import annotations

import math
from typing import Any

from bench import assignment as bench
from prima.evaluation.domain.assignment import solve, verify


def test_generator_is_deterministic_and_realistic():
    first = bench.generate(60, 12)
    assert first == bench.generate(60, 12)
    assert bench.generate(60, 12, seed=1) != first
    info = bench.describe(first)
    assert info["reviews"] == 180
    assert 0.1 < info["affinity_pairs"] / info["pairs"] < 0.3
    assert info["explicit_conflicts"] > 0 and info["pinned"] >= 2
    assert info["rule_or_explicit_conflicts"] > info["explicit_conflicts"]
    assert first.conflict_rules == {"same_institution", "same_province"}
    assert all(0 < value <= 1 for value in first.affinity.values())
    assert sum(a.max_load for a in first.assessors) >= info["reviews"]
    assert any(a.min_load > 0 for a in first.assessors)


def test_solver_baseline_and_lp_agree_on_a_tiny_instance():
    problem = bench.generate(60, 12)
    solution = solve(problem)
    assert solution.status == "optimal" and solution.objective is not None
    base = bench.baseline(problem).solution
    verify(problem, base)  # feasible: demands, loads, conflicts, pins
    assert base.objective is not None
    lp = bench.lp_optimum(problem)
    assert bench.relative_gap(solution.objective, lp) <= bench.REL_TOL
    assert math.isclose(base.objective, solution.objective, rel_tol=1e-9)
    assert problem.pinned <= {(s, a) for s, a, _ in base.assignments}
    conflict = bench.conflict_matrix(problem)
    s_index = {s.id: i for i, s in enumerate(problem.subjects)}
    a_index = {a.id: j for j, a in enumerate(problem.assessors)}
    assert not any(conflict[s_index[s], a_index[a]] for s, a, _ in solution.assignments)


def test_measure_small_and_report(tmp_path):
    report: dict[str, Any] = {
        "date": "2026-01-01T00:00:00+07:00",
        "command": "python -m bench.assignment",
        "machine": {"nproc": "2", "python": "3.11", "platform": "Linux"},
        "small": bench.measure_small(60, 12, repeat=1),
    }
    assert report["small"]["relative_gap"] <= bench.REL_TOL
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\nIntro.\n\n## Runs\n\n<!-- runs -->\n\n### old\n")
    bench.record(bench.markdown(report), results)
    bench.record(bench.markdown({**report, "date": "2026-02-02T00:00:00+07:00"}), results)
    text = results.read_text()
    assert text.count(bench.SECTION) == 1
    assert text.index("2026-02-02") < text.index("2026-01-01") < text.index("## Runs")
    assert text.index("## Runs") < text.index("### old")
