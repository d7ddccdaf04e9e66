"""`python -m bench.assignment`: the assessor-assignment solver at national scale (issue 3).

1. Generates a deterministic, feasible instance (seeded NumPy): 3,000 subjects × 3 reviews
   and 150 assessors, with institutions and provinces, load bounds, ~20% of pairs with an
   affinity in (0, 1], explicit conflicts, both conflict rules and a few pinned pairs.
2. Times `prima.evaluation.domain.assignment.solve` (median of 3) against a baseline: the
   same min-cost flow network built arc by arc in a Python loop
   (`add_arc_with_capacity_and_unit_cost` per arc, the same `SimpleMinCostFlow`) and solved.
3. Checks the objective against the LP optimum (`scipy.optimize.linprog`, HiGHS, sparse
   constraint matrices); the relative difference must be ≤ 1e-6.
4. In a fresh subprocess, solves 30,000 × 3 with 1,500 assessors and reports the time, the
   `tracemalloc` peak of Python/NumPy allocations and the process `ru_maxrss` before and
   after the solve.

Prints a Markdown table and records the run in bench/RESULTS.md (``--no-record`` skips it).
Independent of bench/run.py: it needs no database or server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow
from scipy import sparse
from scipy.optimize import linprog

from bench.common import record_section, timed
from prima.evaluation.domain.assignment import (
    MAX_COST_SCALE,
    Assessor,
    Pair,
    Problem,
    Solution,
    Subject,
    _cost_budget,
    solve,
    verify,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
JAKARTA = ZoneInfo("Asia/Jakarta")
MARKER = "<!-- assignment runs: newest first, written by bench/assignment.py -->"
SECTION = "## Assignment solver"
SEED = 20260303
REL_TOL = 1e-6

# BPS province codes (38 provinces); Java's six are weighted three times heavier.
_PROVINCE_CODES = (
    "11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 61 62 63 64 65 71 72 73 74 "
    "75 76 81 82 91 92 93 94 95 96"
)
PROVINCES = tuple(_PROVINCE_CODES.split())
_JAVA = {"31", "32", "33", "34", "35", "36"}


# --------------------------------------------------------------------------- generator


def generate(
    n_subjects: int,
    n_assessors: int,
    *,
    reviews: int = 3,
    density: float = 0.2,
    seed: int = SEED,
) -> Problem:
    """A realistic feasible instance; the same arguments always give the same problem.

    Subjects belong to local-government institutions (about ten subjects each) in a
    province. 40% of the assessors work at one of those institutions (so
    ``same_institution`` bites), the rest at universities; an assessor's province is its
    institution's. Loads: ``max`` is 1.25–1.5 × the mean load, 40% of the assessors have
    ``min`` = half the mean. Explicit conflicts: one per two subjects; pins: one per
    thousand subjects (at least two), never conflicting. Both conflict rules are on.
    """
    rng = np.random.default_rng(seed)
    weights = np.array([3.0 if p in _JAVA else 1.0 for p in PROVINCES])
    weights /= weights.sum()

    n_inst = max(3, n_subjects // 10)
    inst_province = rng.choice(len(PROVINCES), size=n_inst, p=weights)
    n_univ = max(3, n_assessors // 5)
    univ_province = rng.choice(len(PROVINCES), size=n_univ, p=weights)

    subject_inst = rng.integers(0, n_inst, size=n_subjects)
    subjects = tuple(
        Subject(
            f"P{i:05d}",
            reviews,
            institution=f"PEMDA-{k:04d}",
            province=PROVINCES[inst_province[k]],
        )
        for i, k in enumerate(subject_inst.tolist())
    )

    need = reviews * n_subjects
    mean = need / n_assessors
    local = rng.random(n_assessors) < 0.4
    assessors = []
    for j in range(n_assessors):
        if local[j]:
            k = int(rng.integers(0, n_inst))
            institution, province = f"PEMDA-{k:04d}", PROVINCES[inst_province[k]]
        else:
            k = int(rng.integers(0, n_univ))
            institution, province = f"UNIV-{k:04d}", PROVINCES[univ_province[k]]
        max_load = math.ceil(mean * (1.25 + 0.25 * rng.random()))
        min_load = int(mean // 2) if rng.random() < 0.4 else 0
        assessors.append(
            Assessor(
                id=f"E{j:04d}",
                min_load=min_load,
                max_load=max_load,
                institution=institution,
                province=province,
            )
        )

    s_ids = [s.id for s in subjects]
    a_ids = [a.id for a in assessors]
    affinity: dict[Pair, float] = {}
    chunk = max(1, 2_000_000 // max(n_assessors, 1))
    for start in range(0, n_subjects, chunk):
        stop = min(n_subjects, start + chunk)
        rows, cols = np.nonzero(rng.random((stop - start, n_assessors)) < density)
        values = 1.0 - rng.random(rows.size)  # in (0, 1]
        for i, j, value in zip(
            (rows + start).tolist(), cols.tolist(), values.tolist(), strict=True
        ):
            affinity[(s_ids[i], a_ids[j])] = value

    n_conflicts = n_subjects // 2
    conflicts = frozenset(
        (s_ids[i], a_ids[j])
        for i, j in zip(
            rng.integers(0, n_subjects, n_conflicts).tolist(),
            rng.integers(0, n_assessors, n_conflicts).tolist(),
            strict=True,
        )
    )

    pinned: set[Pair] = set()
    pinned_subjects: set[int] = set()
    while len(pinned) < max(2, n_subjects // 1000):
        i, j = int(rng.integers(0, n_subjects)), int(rng.integers(0, n_assessors))
        s, a = subjects[i], assessors[j]
        if (
            i in pinned_subjects
            or (s.id, a.id) in conflicts
            or s.institution == a.institution
            or s.province == a.province
        ):
            continue
        pinned.add((s.id, a.id))
        pinned_subjects.add(i)

    return Problem(
        subjects=subjects,
        assessors=tuple(assessors),
        affinity=affinity,
        conflicts=conflicts,
        conflict_rules=frozenset({"same_institution", "same_province"}),
        pinned=frozenset(pinned),
    )


def describe(problem: Problem) -> dict[str, int]:
    n_pairs = len(problem.subjects) * len(problem.assessors)
    allowed = int((~conflict_matrix(problem)).sum())
    return {
        "subjects": len(problem.subjects),
        "assessors": len(problem.assessors),
        "reviews": sum(s.demand for s in problem.subjects),
        "pairs": n_pairs,
        "allowed_pairs": allowed,
        "affinity_pairs": len(problem.affinity),
        "explicit_conflicts": len(problem.conflicts),
        "rule_or_explicit_conflicts": n_pairs - allowed,
        "pinned": len(problem.pinned),
    }


# --------------------------------------------------------------------------- baseline


@dataclass(frozen=True)
class BaselineResult:
    solution: Solution
    build_seconds: float
    flow_seconds: float


def baseline(problem: Problem) -> BaselineResult:
    """The solver's network, built arc by arc in plain Python, then solved the same way."""
    started = time.perf_counter()
    subjects, assessors = problem.subjects, problem.assessors
    n_s, n_a = len(subjects), len(assessors)
    s_index = {s.id: i for i, s in enumerate(subjects)}
    a_index = {a.id: j for j, a in enumerate(assessors)}
    pins_s, pins_a = [0] * n_s, [0] * n_a
    for s_id, a_id in problem.pinned:
        pins_s[s_index[s_id]] += 1
        pins_a[a_index[a_id]] += 1
    demand = [s.demand - pins_s[i] for i, s in enumerate(subjects)]
    max_load = [a.max_load - pins_a[j] for j, a in enumerate(assessors)]
    min_load = [max(a.min_load - pins_a[j], 0) for j, a in enumerate(assessors)]
    by_institution = "same_institution" in problem.conflict_rules
    by_province = "same_province" in problem.conflict_rules

    arcs: list[tuple[int, int, float]] = []
    for i, s in enumerate(subjects):
        if demand[i] <= 0:
            continue
        for j, a in enumerate(assessors):
            pair = (s.id, a.id)
            if (
                max_load[j] <= 0
                or pair in problem.conflicts
                or pair in problem.pinned
                or (by_institution and s.institution is not None and s.institution == a.institution)
                or (by_province and s.province is not None and s.province == a.province)
            ):
                continue
            arcs.append((i, j, problem.affinity.get(pair, 0.0)))

    # The same lexicographic network as the solver: affinity first, then the convex load
    # cost (one unit arc per extra load, the k-th costing the load it brings), built in loops.
    sink = n_s + n_a
    through = sum(demand) - sum(min_load)
    degree = [0] * n_a
    for _, j, _ in arcs:
        degree[j] += 1
    base = [pins_a[j] + min_load[j] for j in range(n_a)]
    unit_arcs: list[tuple[int, int]] = []
    for j in range(n_a):
        units = max(0, min(max_load[j] - min_load[j], degree[j] - min_load[j], through))
        for k in range(1, units + 1):
            unit_arcs.append((j, base[j] + k))
    lowest = min((cost for _, cost in unit_arcs), default=0)
    unit_arcs = [(j, cost - lowest) for j, cost in unit_arcs]
    ordered = sorted(cost for _, cost in unit_arcs)
    count = min(max(through, 0), len(ordered))
    unit = (sum(ordered[len(ordered) - count :]) - sum(ordered[:count]) if count else 0) + 1
    top = max((gain for _, _, gain in arcs), default=0.0)
    budget = _cost_budget(sink + 1) - (ordered[-1] if ordered else 0)
    cost_scale = max(1, min(MAX_COST_SCALE, budget // unit))
    flow = min_cost_flow.SimpleMinCostFlow()
    for i, j, gain in arcs:
        cost = -round(gain / top * cost_scale) * unit if top > 0 else 0
        flow.add_arc_with_capacity_and_unit_cost(i, n_s + j, 1, cost)
    for j, cost in unit_arcs:
        flow.add_arc_with_capacity_and_unit_cost(n_s + j, sink, 1, cost)
    for i in range(n_s):
        flow.set_node_supply(i, demand[i])
    for j in range(n_a):
        flow.set_node_supply(n_s + j, -min_load[j])
    flow.set_node_supply(sink, -through)
    built = time.perf_counter()

    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"baseline min-cost flow status {status}")
    chosen = {
        (subjects[i].id, assessors[j].id) for k, (i, j, _) in enumerate(arcs) if flow.flow(k) > 0
    }
    chosen |= problem.pinned
    order = {pair: (s_index[pair[0]], a_index[pair[1]]) for pair in chosen}
    assignments = [
        (s, a, problem.affinity.get((s, a), 0.0)) for s, a in sorted(chosen, key=order.__getitem__)
    ]
    loads = dict.fromkeys(a_index, 0)
    for _, a_id, _ in assignments:
        loads[a_id] += 1
    solution = Solution(
        status="optimal",
        objective=math.fsum(value for _, _, value in assignments),
        assignments=assignments,
        loads=loads,
        diagnosis=None,
    )
    return BaselineResult(solution, built - started, time.perf_counter() - built)


# --------------------------------------------------------------------------- LP oracle


def conflict_matrix(problem: Problem) -> npt.NDArray[np.bool_]:
    """Conflicting pairs, computed here (not by the solver) from the problem's fields."""
    n_s, n_a = len(problem.subjects), len(problem.assessors)
    s_index = {s.id: i for i, s in enumerate(problem.subjects)}
    a_index = {a.id: j for j, a in enumerate(problem.assessors)}
    result = np.zeros((n_s, n_a), dtype=np.bool_)
    for s, a in problem.conflicts:
        result[s_index[s], a_index[a]] = True
    for rule, attribute in (("same_institution", "institution"), ("same_province", "province")):
        if rule not in problem.conflict_rules:
            continue
        codes: dict[str, int] = {}
        left = np.array(
            [_code(getattr(s, attribute), codes) for s in problem.subjects], dtype=np.int64
        )
        right = np.array(
            [_code(getattr(a, attribute), codes) for a in problem.assessors], dtype=np.int64
        )
        result |= (left[:, None] == right[None, :]) & (left >= 0)[:, None]
    return result


def _code(value: str | None, codes: dict[str, int]) -> int:
    return -1 if value is None else codes.setdefault(value, len(codes))


def lp_optimum(problem: Problem) -> float:
    """The LP relaxation's optimum (integral: the matrix is totally unimodular), sparse."""
    n_s, n_a = len(problem.subjects), len(problem.assessors)
    s_index = {s.id: i for i, s in enumerate(problem.subjects)}
    a_index = {a.id: j for j, a in enumerate(problem.assessors)}
    affinity = np.zeros((n_s, n_a))
    for (s, a), value in problem.affinity.items():
        affinity[s_index[s], a_index[a]] = value
    pinned = np.zeros((n_s, n_a), dtype=np.bool_)
    for s, a in problem.pinned:
        pinned[s_index[s], a_index[a]] = True
    rows, cols = np.nonzero(~conflict_matrix(problem))
    n = rows.size
    columns = np.arange(n)
    ones = np.ones(n)
    a_eq = sparse.csr_matrix((ones, (rows, columns)), shape=(n_s, n))
    per_assessor = sparse.csr_matrix((ones, (cols, columns)), shape=(n_a, n))
    a_ub = sparse.vstack([per_assessor, -per_assessor], format="csr")
    b_eq = np.array([s.demand for s in problem.subjects], dtype=float)
    b_ub = np.array(
        [a.max_load for a in problem.assessors] + [-a.min_load for a in problem.assessors],
        dtype=float,
    )
    bounds = np.column_stack([pinned[rows, cols].astype(float), ones])
    result = linprog(
        -affinity[rows, cols],
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=bounds,
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"LP not optimal: {result.message}")
    return float(-result.fun)


def relative_gap(value: float, reference: float) -> float:
    return abs(value - reference) / max(1.0, abs(reference))


# --------------------------------------------------------------------------- measurements


def measure_small(n_subjects: int, n_assessors: int, repeat: int = 3) -> dict[str, Any]:
    problem, generate_seconds = timed(lambda: generate(n_subjects, n_assessors))
    times: list[float] = []
    solution: Solution | None = None
    for _ in range(repeat):
        solution, seconds = timed(lambda: solve(problem))
        times.append(seconds)
    assert solution is not None and solution.status == "optimal", solution
    assert solution.objective is not None
    base_runs = [baseline(problem) for _ in range(repeat)]
    base = base_runs[0].solution
    verify(problem, base)
    assert base.objective is not None
    base_total = statistics.median(r.build_seconds + r.flow_seconds for r in base_runs)
    lp, lp_seconds = timed(lambda: lp_optimum(problem))
    gap = relative_gap(solution.objective, lp)
    if gap > REL_TOL or relative_gap(base.objective, lp) > REL_TOL:
        raise AssertionError(
            f"objective {solution.objective} / baseline {base.objective} ≠ LP {lp} (gap {gap})"
        )
    solve_seconds = statistics.median(times)
    return {
        "instance": describe(problem),
        "generate_seconds": round(generate_seconds, 3),
        "solve_seconds": round(solve_seconds, 4),
        "solve_runs": [round(t, 4) for t in times],
        "baseline_seconds": round(base_total, 4),
        "baseline_build_seconds": round(statistics.median(r.build_seconds for r in base_runs), 4),
        "baseline_flow_seconds": round(statistics.median(r.flow_seconds for r in base_runs), 4),
        "baseline_ratio": round(base_total / solve_seconds, 2),
        "objective": solution.objective,
        "baseline_objective": base.objective,
        "lp_objective": lp,
        "lp_seconds": round(lp_seconds, 3),
        "relative_gap": gap,
    }


def _max_rss_mib() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_large_here(n_subjects: int, n_assessors: int, *, trace: bool) -> dict[str, Any]:
    """Run in a fresh process: time one solve, then (optionally) trace a second one."""
    problem, generate_seconds = timed(lambda: generate(n_subjects, n_assessors))
    gc.collect()
    rss_before = _max_rss_mib()
    solution, seconds = timed(lambda: solve(problem))
    rss_after = _max_rss_mib()
    assert solution.status == "optimal", solution.diagnosis
    report: dict[str, Any] = {
        "instance": describe(problem),
        "generate_seconds": round(generate_seconds, 2),
        "solve_seconds": round(seconds, 2),
        "objective": solution.objective,
        "maxrss_before_mib": round(rss_before, 1),
        "maxrss_after_mib": round(rss_after, 1),
    }
    del solution
    if trace:
        gc.collect()
        tracemalloc.start()
        solve(problem)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        report["tracemalloc_peak_mib"] = round(peak / 2**20, 1)
    return report


def measure_large(n_subjects: int, n_assessors: int, *, trace: bool = True) -> dict[str, Any]:
    args = [sys.executable, "-m", "bench.assignment", "--child", str(n_subjects)]
    args += [str(n_assessors)] + ([] if trace else ["--no-trace"])
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    completed = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit("the large-instance subprocess failed")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


# --------------------------------------------------------------------------- report


def markdown(report: dict[str, Any]) -> str:
    small, large = report["small"], report.get("large")
    si = small["instance"]
    lines = [
        f"### {report['date']}",
        "",
        f"- Command: `{report['command']}`",
        f"- Machine: {report['machine']['nproc']} CPUs (`nproc`), Python "
        f"{report['machine']['python']}, {report['machine']['platform']}",
        f"- Instance: {si['subjects']} subjects × {si['reviews'] // max(si['subjects'], 1)} "
        f"reviews, {si['assessors']} assessors; {si['allowed_pairs']} allowed pairs, "
        f"{si['affinity_pairs']} with affinity, {si['explicit_conflicts']} explicit "
        f"conflicts ({si['rule_or_explicit_conflicts']} conflicting pairs with both rules), "
        f"{si['pinned']} pins; seed {SEED}",
        "",
        "| Measurement | Seconds | vs `solve()` | Objective |",
        "|---|---:|---:|---:|",
        f"| `solve()` (NumPy arcs), median of 3 | {small['solve_seconds']} | 1 | "
        f"{small['objective']:.9f} |",
        f"| Baseline: same network arc by arc in Python, median of 3 "
        f"(build {small['baseline_build_seconds']} s + flow {small['baseline_flow_seconds']} s) "
        f"| {small['baseline_seconds']} | ×{small['baseline_ratio']} | "
        f"{small['baseline_objective']:.9f} |",
        f'| LP optimum, `linprog(method="highs")`, sparse | {small["lp_seconds"]} | '
        f"×{round(small['lp_seconds'] / small['solve_seconds'], 2)} | "
        f"{small['lp_objective']:.9f} |",
        "",
        f"Relative gap `solve()` vs LP: {small['relative_gap']:.2e} (must be ≤ {REL_TOL:g}).",
    ]
    if large:
        li = large["instance"]
        trace = large.get("tracemalloc_peak_mib")
        lines += [
            "",
            "| Large instance (fresh subprocess) | Value |",
            "|---|---:|",
            f"| Size | {li['subjects']} × {li['reviews'] // max(li['subjects'], 1)} reviews, "
            f"{li['assessors']} assessors, {li['allowed_pairs']} allowed pairs, "
            f"{li['affinity_pairs']} affinity pairs |",
            f"| Generate (not timed in solve) | {large['generate_seconds']} s |",
            f"| `solve()` | {large['solve_seconds']} s |",
            f"| `ru_maxrss` before → after solve | {large['maxrss_before_mib']} → "
            f"{large['maxrss_after_mib']} MiB "
            f"(+{round(large['maxrss_after_mib'] - large['maxrss_before_mib'], 1)}) |",
        ]
        if trace is not None:
            lines.append(f"| `tracemalloc` peak during a second solve | {trace} MiB |")
    return "\n".join(lines) + "\n"


def record(text_block: str, path: Path = RESULTS) -> None:
    """Insert the run under the assignment section (created before "## Runs" if missing)."""
    record_section(
        text_block,
        path,
        marker=MARKER,
        section=(
            f"{SECTION}\n\n"
            "Recorded by `python -m bench.assignment` (not part of `make bench`): the "
            "assessor-assignment solver on a generated instance, timed against the same "
            "min-cost flow built arc by arc in Python and checked against the LP optimum "
            "(SciPy HiGHS); then a national-scale instance in a fresh subprocess for time "
            "and peak memory. See the module docstring of `bench/assignment.py`.\n\n"
            f"{MARKER}\n"
        ),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.assignment", description=__doc__)
    parser.add_argument("--subjects", type=int, default=3_000)
    parser.add_argument("--assessors", type=int, default=150)
    parser.add_argument("--large-subjects", type=int, default=30_000)
    parser.add_argument("--large-assessors", type=int, default=1_500)
    parser.add_argument("--skip-large", action="store_true", help="only the small instance")
    parser.add_argument("--no-trace", action="store_true", help="no tracemalloc solve")
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    parser.add_argument(
        "--child", nargs=2, type=int, metavar=("SUBJECTS", "ASSESSORS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure_large_here(*args.child, trace=not args.no_trace)))
        return 0

    print(f"· {args.subjects} × 3 / {args.assessors}: solve, baseline, LP", flush=True)
    report: dict[str, Any] = {
        "date": dt.datetime.now(JAKARTA).isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench.assignment", *(argv or sys.argv[1:])]),
        "machine": {
            "nproc": str(os.cpu_count()),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "small": measure_small(args.subjects, args.assessors),
    }
    if not args.skip_large:
        print(f"· {args.large_subjects} × 3 / {args.large_assessors} in a subprocess", flush=True)
        report["large"] = measure_large(
            args.large_subjects, args.large_assessors, trace=not args.no_trace
        )
    text = markdown(report)
    print()
    print(text)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if not args.no_record:
        record(text)
        print("recorded in bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
