"""Assessor assignment: an exact b-matching solved as a min-cost flow (kipp.md §10.1).

Every subject gets exactly its demand of assessors, every assessor a load within
``[min_load, max_load]``, no conflicting pair is used, pinned pairs are always kept,
and the total affinity of the chosen pairs is maximal.

The model is a transportation network: each subject supplies its (remaining) demand,
each subject → assessor arc carries at most one unit at cost ``-affinity``, and each
assessor forwards its load to the sink. Minimum loads use the lower-bound transformation
(the assessor node demands ``min_load`` units, its sink arc carries ``max - min``), which
is exact, unlike a "mandatory arc with a big negative cost". Pinned pairs are taken out
before solving: they reduce the subject's demand and the assessor's bounds.

Ties in affinity go to the lowest load spread (§10.1), measured as the sum of squared
loads ``Σ L²`` (pins and minimum loads included; with ``Σ L`` fixed this is the variance of
the loads). Each assessor → sink arc is split into unit arcs whose costs increase with the
load they bring (a convex cost), and the affinity costs are multiplied by a factor
``unit`` larger than any possible difference in total load cost between two assignments,
so one unit of scaled affinity always outweighs the load term.

OR-Tools needs integer costs, so affinities are scaled to ``rint(a / max_affinity · K)``,
with ``K · unit`` as large as OR-Tools' int64 arithmetic allows (``K`` at most 10^12).
What is guaranteed:

1. The assignment maximises the total *scaled* affinity exactly. Rounding moves each pair
   by at most half a unit, so in true affinity it is optimal within
   ``flow · max_affinity / K`` (``K`` ≈ 5·10^8 for the 3,000 × 3 on 150 benchmark; about
   5·10^6 is expected for 30,000 × 3 on 1,500). The reported objective is summed from the
   raw floats. Ties in true affinity are ties in scaled affinity when every scaled value is an
   integer, as with the default 0/1 affinities.
2. Among those, it minimises ``Σ L²`` exactly.
3. The network is built in ascending id order, so the same problem gives the same
   assignment whatever the order of its subjects and assessors. Among assignments equal
   on both objectives the choice is the solver's (deterministic, but not necessarily the
   smallest ids).

With ``pools="by_category"`` an assessor may only take subjects whose ``category`` is among
the assessor's ``categories`` (kipp.md §10.1 "optional pools", §11.1 panelists from category
pools): a pair outside the pool is barred exactly like a conflict, under its own code
``outside_pool``, and a pre-check compares each pool's supply (the sum of its assessors'
maximum loads) with its demand.

Inputs that cannot be satisfied get a diagnosis: Indonesian sentences naming the
constraint and the numbers. Cheap necessary conditions are checked before solving; when
they all pass but the flow is infeasible, a max-flow min cut yields a Hall-type reason
(a group of subjects whose allowed assessors lack capacity, or a group of assessors whose
allowed subjects cannot fill their minimum loads).

This module is pure: no ORM, no Django.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeGuard

import numpy as np
import numpy.typing as npt
from ortools.graph.python import max_flow, min_cost_flow

Pair = tuple[str, str]
BoolMatrix = npt.NDArray[np.bool_]
IntVector = npt.NDArray[np.int64]

RULES = frozenset({"same_institution", "same_province"})
BY_CATEGORY = "by_category"
POOLS = (BY_CATEGORY,)
OUTSIDE_POOL = "outside_pool"
DEFAULT_DEMAND = 3
# Largest integer cost scale used for affinities (see the module docstring).
MAX_COST_SCALE = 10**12
# Smallest scale the solver retries with after OR-Tools reports BAD_COST_RANGE.
MIN_COST_SCALE = 10**4
# Divides OR-Tools' cost limit, leaving room for node potentials (see `_cost_budget`):
# on generated instances of 3,000 and 10,000 subjects a factor of 2 was already enough.
COST_HEADROOM = 16
# How many ids a diagnosis sentence lists before "dan n lainnya".
MAX_NAMED = 10


class ProblemError(ValueError):
    """Malformed input; the message starts with the field, e.g. ``subjects[3].demand: …``."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


class VerificationError(AssertionError):
    """The solver returned an assignment that breaks a constraint: a bug, never input."""


@dataclass(frozen=True)
class Subject:
    id: str
    demand: int = DEFAULT_DEMAND
    institution: str | None = None
    province: str | None = None
    category: str | None = None


@dataclass(frozen=True, kw_only=True)
class Assessor:
    id: str
    min_load: int = 0
    max_load: int
    institution: str | None = None
    province: str | None = None
    # The category pools the assessor belongs to; read only when the problem has pools.
    categories: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Problem:
    subjects: tuple[Subject, ...]
    assessors: tuple[Assessor, ...]
    affinity: Mapping[Pair, float] = field(default_factory=dict)
    conflicts: frozenset[Pair] = frozenset()
    conflict_rules: frozenset[str] = frozenset()
    pinned: frozenset[Pair] = frozenset()
    pools: str | None = None  # None, or "by_category"

    def __post_init__(self) -> None:
        _validate(self)


@dataclass(frozen=True)
class Solution:
    status: Literal["optimal", "infeasible"]
    objective: float | None
    assignments: list[tuple[str, str, float]]
    loads: dict[str, int]
    diagnosis: list[str] | None

    def to_dict(self) -> dict[str, Any]:
        """The `prima assign --json` shape."""
        if self.status == "infeasible":
            return {"status": "infeasible", "diagnosis": list(self.diagnosis or [])}
        return {
            "status": self.status,
            "objective": self.objective,
            "assignments": [
                {"subject": s, "assessor": a, "affinity": value} for s, a, value in self.assignments
            ],
            "loads": dict(self.loads),
            "diagnosis": None,
        }


# --------------------------------------------------------------------------- validation


def _validate(problem: Problem) -> None:
    subject_ids = [s.id for s in problem.subjects]
    assessor_ids = [a.id for a in problem.assessors]
    for name, ids in (("subjects", subject_ids), ("assessors", assessor_ids)):
        seen: set[str] = set()
        for index, value in enumerate(ids):
            if not isinstance(value, str) or not value:
                raise ProblemError(f"{name}[{index}].id", "harus teks yang tidak kosong")
            if value in seen:
                raise ProblemError(f"{name}[{index}].id", f"id {value!r} ganda")
            seen.add(value)
    for index, subject in enumerate(problem.subjects):
        if not _is_int(subject.demand) or subject.demand < 1:
            raise ProblemError(f"subjects[{index}].demand", "harus bilangan bulat ≥ 1")
    for index, assessor in enumerate(problem.assessors):
        if not _is_int(assessor.min_load) or assessor.min_load < 0:
            raise ProblemError(f"assessors[{index}].min", "harus bilangan bulat ≥ 0")
        if not _is_int(assessor.max_load) or assessor.max_load < 0:
            raise ProblemError(f"assessors[{index}].max", "harus bilangan bulat ≥ 0")
        if assessor.min_load > assessor.max_load:
            raise ProblemError(
                f"assessors[{index}].min",
                f"min {assessor.min_load} melebihi max {assessor.max_load}",
            )
    known_s, known_a = set(subject_ids), set(assessor_ids)
    for name, pairs in (
        ("affinity", problem.affinity.keys()),
        ("conflicts", problem.conflicts),
        ("pinned", problem.pinned),
    ):
        for s, a in pairs:
            if s not in known_s:
                raise ProblemError(name, f"subjek {s!r} tidak ada di subjects")
            if a not in known_a:
                raise ProblemError(name, f"penilai {a!r} tidak ada di assessors")
    for (s, a), weight in problem.affinity.items():
        if not _is_number(weight) or not math.isfinite(weight) or weight < 0:
            raise ProblemError("affinity", f"({s}, {a}): harus bilangan ≥ 0, bukan {weight!r}")
    unknown = set(problem.conflict_rules) - RULES
    if unknown:
        raise ProblemError(
            "conflict_rules",
            f"aturan tidak dikenal {sorted(unknown)}; yang ada: {sorted(RULES)}",
        )
    if problem.pools is not None and problem.pools not in POOLS:
        raise ProblemError(
            "pools", f"nilai {problem.pools!r} tidak dikenal; yang ada: {', '.join(POOLS)}"
        )
    for index, assessor in enumerate(problem.assessors):
        if not isinstance(assessor.categories, frozenset) or not all(
            isinstance(code, str) and code for code in assessor.categories
        ):
            raise ProblemError(
                f"assessors[{index}].categories", "harus himpunan kode kategori (teks)"
            )
    if problem.pools == BY_CATEGORY:
        for index, subject in enumerate(problem.subjects):
            if not subject.category:
                raise ProblemError(
                    f"subjects[{index}].category",
                    f"subjek {subject.id} tidak berkategori; wajib diisi bila pools = "
                    f"{BY_CATEGORY}",
                )


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


# --------------------------------------------------------------------------- parsing

_TOP_KEYS = {
    "demand_default",
    "subjects",
    "assessors",
    "affinity",
    "conflicts",
    "conflict_rules",
    "pinned",
    "pools",
}
_SUBJECT_KEYS = {"id", "demand", "institution", "province", "category"}
_ASSESSOR_KEYS = {"id", "min", "max", "institution", "province", "categories"}


def parse_problem(data: object) -> Problem:
    """Read the `prima assign` file format; raise `ProblemError` naming the bad field."""
    if not isinstance(data, dict):
        raise ProblemError("(berkas)", "harus berupa objek JSON")
    _no_unknown_keys(data, _TOP_KEYS, "")
    demand_default = data.get("demand_default", DEFAULT_DEMAND)
    if not _is_int(demand_default) or demand_default < 1:
        raise ProblemError("demand_default", "harus bilangan bulat ≥ 1")
    pools = data.get("pools")
    if pools is not None and pools not in POOLS:
        raise ProblemError(
            "pools", f"nilai {pools!r} tidak dikenal; yang ada: {', '.join(POOLS)} atau null"
        )

    subjects: list[Subject] = []
    for index, item in enumerate(_list(data, "subjects", required=True)):
        where = f"subjects[{index}]"
        if not isinstance(item, dict):
            raise ProblemError(where, "harus berupa objek")
        _no_unknown_keys(item, _SUBJECT_KEYS, where)
        demand = item.get("demand", demand_default)
        if not _is_int(demand) or demand < 1:
            raise ProblemError(f"{where}.demand", "harus bilangan bulat ≥ 1")
        subjects.append(
            Subject(
                id=_id(item, where),
                demand=demand,
                institution=_code(item, "institution", where),
                province=_code(item, "province", where),
                category=_code(item, "category", where),
            )
        )
        if pools is not None and subjects[-1].category is None:
            raise ProblemError(f"{where}.category", f"wajib diisi bila pools = {pools}")

    assessors: list[Assessor] = []
    for index, item in enumerate(_list(data, "assessors", required=True)):
        where = f"assessors[{index}]"
        if not isinstance(item, dict):
            raise ProblemError(where, "harus berupa objek")
        _no_unknown_keys(item, _ASSESSOR_KEYS, where)
        if "max" not in item:
            raise ProblemError(f"{where}.max", "wajib diisi (beban maksimum)")
        max_load, min_load = item["max"], item.get("min", 0)
        if not _is_int(max_load) or max_load < 0:
            raise ProblemError(f"{where}.max", "harus bilangan bulat ≥ 0")
        if not _is_int(min_load) or min_load < 0:
            raise ProblemError(f"{where}.min", "harus bilangan bulat ≥ 0")
        if min_load > max_load:
            raise ProblemError(f"{where}.min", f"min {min_load} melebihi max {max_load}")
        assessors.append(
            Assessor(
                id=_id(item, where),
                min_load=min_load,
                max_load=max_load,
                institution=_code(item, "institution", where),
                province=_code(item, "province", where),
                categories=_codes(item, "categories", where),
            )
        )

    _unique("subjects", [s.id for s in subjects])
    _unique("assessors", [a.id for a in assessors])
    subject_ids = {s.id for s in subjects}
    assessor_ids = {a.id for a in assessors}

    def pair(item: object, where: str, size: int) -> list[Any]:
        if not isinstance(item, list) or len(item) != size:
            shape = "[subjek, penilai]" if size == 2 else "[subjek, penilai, nilai]"
            raise ProblemError(where, f"harus berbentuk {shape}")
        s, a = item[0], item[1]
        if s not in subject_ids:
            raise ProblemError(where, f"subjek {s!r} tidak ada di subjects")
        if a not in assessor_ids:
            raise ProblemError(where, f"penilai {a!r} tidak ada di assessors")
        return item

    affinity: dict[Pair, float] = {}
    for index, item in enumerate(_list(data, "affinity")):
        where = f"affinity[{index}]"
        s, a, value = pair(item, where, 3)
        if not _is_number(value) or not math.isfinite(value) or value < 0:
            raise ProblemError(where, f"nilai afinitas harus bilangan ≥ 0, bukan {value!r}")
        if (s, a) in affinity:
            raise ProblemError(where, f"pasangan ({s}, {a}) ganda")
        affinity[(s, a)] = float(value)

    def pairs(name: str) -> frozenset[Pair]:
        found: set[Pair] = set()
        for index, item in enumerate(_list(data, name)):
            where = f"{name}[{index}]"
            s, a = pair(item, where, 2)
            if (s, a) in found:
                raise ProblemError(where, f"pasangan ({s}, {a}) ganda")
            found.add((s, a))
        return frozenset(found)

    rules: set[str] = set()
    for index, rule in enumerate(_list(data, "conflict_rules")):
        if rule not in RULES:
            raise ProblemError(
                f"conflict_rules[{index}]",
                f"aturan {rule!r} tidak dikenal; yang ada: {', '.join(sorted(RULES))}",
            )
        rules.add(rule)

    return Problem(
        subjects=tuple(subjects),
        assessors=tuple(assessors),
        affinity=affinity,
        conflicts=pairs("conflicts"),
        conflict_rules=frozenset(rules),
        pinned=pairs("pinned"),
        pools=pools,
    )


def _unique(name: str, ids: list[str]) -> None:
    first: dict[str, int] = {}
    for index, value in enumerate(ids):
        if value in first:
            raise ProblemError(
                f"{name}[{index}].id",
                f"id {value!r} ganda (sudah dipakai {name}[{first[value]}])",
            )
        first[value] = index


def _no_unknown_keys(item: dict[str, Any], allowed: set[str], where: str) -> None:
    for key in item:
        if key not in allowed:
            name = f"{where}.{key}" if where else str(key)
            raise ProblemError(name, f"kolom tidak dikenal; yang ada: {', '.join(sorted(allowed))}")


def _list(data: dict[str, Any], name: str, *, required: bool = False) -> list[Any]:
    if name not in data:
        if required:
            raise ProblemError(name, "wajib diisi (daftar)")
        return []
    value = data[name]
    if not isinstance(value, list):
        raise ProblemError(name, "harus berupa daftar")
    return value


def _id(item: dict[str, Any], where: str) -> str:
    value = item.get("id")
    if not isinstance(value, str) or not value.strip():
        raise ProblemError(f"{where}.id", "wajib diisi (teks)")
    return value


def _code(item: dict[str, Any], key: str, where: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if _is_int(value):
        return str(value)
    if not isinstance(value, str):
        raise ProblemError(f"{where}.{key}", "harus teks atau kosong (null)")
    return value.strip() or None


def _codes(item: dict[str, Any], key: str, where: str) -> frozenset[str]:
    value = item.get(key)
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise ProblemError(f"{where}.{key}", "harus daftar kode")
    found: set[str] = set()
    for index, code in enumerate(value):
        if _is_int(code):
            code = str(code)
        if not isinstance(code, str) or not code.strip():
            raise ProblemError(f"{where}.{key}[{index}]", "harus teks yang tidak kosong")
        found.add(code.strip())
    return frozenset(found)


# --------------------------------------------------------------------------- solving


@dataclass(frozen=True)
class _Arrays:
    """The problem as NumPy arrays, indexed by input order."""

    demand: IntVector
    min_load: IntVector
    max_load: IntVector
    affinity: npt.NDArray[np.float64]
    explicit: BoolMatrix
    same_institution: BoolMatrix
    same_province: BoolMatrix
    outside_pool: BoolMatrix
    conflict: BoolMatrix
    pinned: BoolMatrix


def _arrays(problem: Problem) -> _Arrays:
    n_s, n_a = len(problem.subjects), len(problem.assessors)
    s_index = {s.id: i for i, s in enumerate(problem.subjects)}
    a_index = {a.id: j for j, a in enumerate(problem.assessors)}

    def matrix(pairs: Iterable[Pair]) -> BoolMatrix:
        result = np.zeros((n_s, n_a), dtype=np.bool_)
        for s, a in pairs:
            result[s_index[s], a_index[a]] = True
        return result

    def same(attribute: str) -> BoolMatrix:
        codes: dict[str, int] = {}
        left = np.array(
            [_code_of(getattr(s, attribute), codes) for s in problem.subjects], dtype=np.int64
        )
        right = np.array(
            [_code_of(getattr(a, attribute), codes) for a in problem.assessors], dtype=np.int64
        )
        result: BoolMatrix = (left[:, None] == right[None, :]) & (left[:, None] >= 0)
        return result.reshape(n_s, n_a)

    affinity = np.zeros((n_s, n_a), dtype=np.float64)
    for (s, a), value in problem.affinity.items():
        affinity[s_index[s], a_index[a]] = value
    explicit = matrix(problem.conflicts)
    no_rule = np.zeros((n_s, n_a), dtype=np.bool_)
    institution = same("institution") if "same_institution" in problem.conflict_rules else no_rule
    province = same("province") if "same_province" in problem.conflict_rules else no_rule
    outside = _outside_pool(problem) if problem.pools == BY_CATEGORY else no_rule
    return _Arrays(
        demand=np.array([s.demand for s in problem.subjects], dtype=np.int64),
        min_load=np.array([a.min_load for a in problem.assessors], dtype=np.int64),
        max_load=np.array([a.max_load for a in problem.assessors], dtype=np.int64),
        affinity=affinity,
        explicit=explicit,
        same_institution=institution,
        same_province=province,
        outside_pool=outside,
        conflict=explicit | institution | province | outside,
        pinned=matrix(problem.pinned),
    )


def _outside_pool(problem: Problem) -> BoolMatrix:
    """True where the subject's category is not among the assessor's categories."""
    codes: dict[str, int] = {}
    rows = np.array(
        [codes.setdefault(s.category or "", len(codes)) for s in problem.subjects], dtype=np.intp
    )
    member = np.zeros((len(codes), len(problem.assessors)), dtype=np.bool_)
    for j, assessor in enumerate(problem.assessors):
        for category in assessor.categories:
            if category in codes:
                member[codes[category], j] = True
    result: BoolMatrix = ~member[rows].reshape(len(problem.subjects), len(problem.assessors))
    return result


def _code_of(value: str | None, codes: dict[str, int]) -> int:
    if value is None:
        return -1
    return codes.setdefault(value, len(codes))


def solve(problem: Problem) -> Solution:
    """The assignment of maximal total affinity, or a diagnosis of why none exists.

    Among assignments of maximal (scaled) affinity it returns one of least load spread
    (smallest sum of squared loads); see the module docstring for what is guaranteed.
    """
    arrays = _arrays(problem)
    diagnosis = _prechecks(problem, arrays)
    if diagnosis:
        return _infeasible(diagnosis)

    n_s, n_a = len(problem.subjects), len(problem.assessors)
    pins_s = arrays.pinned.sum(axis=1).astype(np.int64)
    pins_a = arrays.pinned.sum(axis=0).astype(np.int64)
    demand = arrays.demand - pins_s
    max_load = arrays.max_load - pins_a
    min_load = np.maximum(arrays.min_load - pins_a, 0)
    free = ~arrays.conflict & ~arrays.pinned & (demand > 0)[:, None] & (max_load > 0)[None, :]

    # The network is built in ascending id order, so the answer does not depend on the
    # order in which subjects and assessors were listed (usually they come sorted, and
    # nothing is copied).
    s_order = _id_order([s.id for s in problem.subjects])
    a_order = _id_order([a.id for a in problem.assessors])
    if s_order is None and a_order is None:
        s_order, a_order = np.arange(n_s), np.arange(n_a)
        tails, heads = np.nonzero(free)
        gains = arrays.affinity[tails, heads]
    else:
        s_order = np.arange(n_s) if s_order is None else s_order
        a_order = np.arange(n_a) if a_order is None else a_order
        tails, heads = np.nonzero(free[np.ix_(s_order, a_order)])
        gains = arrays.affinity[np.ix_(s_order, a_order)][tails, heads]

    chosen = _min_cost_flow(
        n_s,
        n_a,
        tails,
        heads,
        gains,
        demand[s_order],
        min_load[a_order],
        max_load[a_order],
        (pins_a + min_load)[a_order],
    )
    if chosen is None:
        return _infeasible(_flow_diagnosis(problem, free, demand, min_load, max_load))

    pairs = np.zeros((n_s, n_a), dtype=np.bool_)
    pairs[s_order[tails[chosen]], a_order[heads[chosen]]] = True
    pairs |= arrays.pinned
    solution = _solution(problem, arrays, pairs)
    verify(problem, solution)
    return solution


def _id_order(ids: list[str]) -> npt.NDArray[np.intp] | None:
    """Indices that sort ``ids`` ascending, or None when they are sorted already."""
    if all(left < right for left, right in itertools.pairwise(ids)):
        return None
    return np.array(sorted(range(len(ids)), key=ids.__getitem__), dtype=np.intp)


def _infeasible(diagnosis: list[str]) -> Solution:
    return Solution(
        status="infeasible", objective=None, assignments=[], loads={}, diagnosis=diagnosis
    )


def _cost_budget(n_nodes: int) -> int:
    """Largest arc cost magnitude OR-Tools accepts for a network of ``n_nodes`` nodes.

    The solver multiplies every cost by ``n_nodes + 1`` and refuses costs above
    ``int64 max / (2 (n_nodes + 1))``; node potentials that would overflow are detected
    and reported as BAD_COST_RANGE, on which the caller retries with a smaller scale.
    ``COST_HEADROOM`` keeps such retries rare.
    """
    return (2**63 - 1) // (2 * (n_nodes + 1)) // COST_HEADROOM


def _load_units(
    heads: npt.NDArray[np.intp],
    n_a: int,
    min_load: IntVector,
    max_load: IntVector,
    base_load: IntVector,
    through: int,
) -> tuple[npt.NDArray[np.intp], IntVector]:
    """The unit arcs from each assessor to the sink: owner and (shifted) marginal cost.

    Assessor ``j`` gets one unit-capacity arc per load it may carry beyond ``base_load[j]``
    (pins plus minimum load, which are forced); the ``k``-th costs ``base_load[j] + k``,
    the load it brings ``j`` to. Filling them cheapest first costs
    ``Σ L (L + 1) / 2`` up to a constant, and as ``Σ L`` is fixed this orders assignments
    by ``Σ L²``: the convex tie-breaker. An assessor never carries more than its allowed
    subjects or the total flow, so those bound the number of arcs.
    """
    degree = np.bincount(heads, minlength=n_a).astype(np.int64)
    units = np.clip(np.minimum(max_load - min_load, degree - min_load), 0, max(through, 0))
    owner = np.repeat(np.arange(n_a), units)
    first = np.repeat(np.cumsum(units) - units, units)
    step = np.arange(owner.size, dtype=np.int64) - first + 1
    marginal = base_load[owner] + step
    if marginal.size:
        marginal -= marginal.min()
    return owner, marginal


def _spread_range(marginal: IntVector, through: int) -> int:
    """An upper bound on how much the load cost can differ between two feasible flows.

    A feasible flow sends exactly ``through`` units over distinct unit arcs, so its load
    cost lies between the sum of the ``through`` cheapest and of the ``through`` dearest.
    """
    count = min(max(through, 0), marginal.size)
    if count == 0:
        return 0
    ordered = np.sort(marginal)
    return int(ordered[-count:].sum()) - int(ordered[:count].sum())


def _min_cost_flow(
    n_s: int,
    n_a: int,
    tails: npt.NDArray[np.intp],
    heads: npt.NDArray[np.intp],
    gains: npt.NDArray[np.float64],
    demand: IntVector,
    min_load: IntVector,
    max_load: IntVector,
    base_load: IntVector,
) -> npt.NDArray[np.bool_] | None:
    """Which free arcs carry flow in a lexicographic min-cost flow, or None when infeasible.

    Cost of a subject → assessor arc: ``-unit · rint(gain / top · scale)``; cost of the
    ``k``-th unit arc of an assessor: its shifted marginal load cost (:func:`_load_units`).
    ``unit`` exceeds the largest possible difference in total load cost, so one unit of
    scaled affinity outweighs any load difference: the flow maximises the scaled affinity
    exactly and, among those maxima, minimises the load cost.
    """
    sink = n_s + n_a
    n_nodes = sink + 1
    through = int(demand.sum()) - int(min_load.sum())  # flow on the assessor → sink arcs
    owner, marginal = _load_units(heads, n_a, min_load, max_load, base_load, through)
    unit = _spread_range(marginal, through) + 1
    top = float(gains.max()) if gains.size else 0.0
    budget = _cost_budget(n_nodes) - (int(marginal.max()) if marginal.size else 0)
    cost_scale = max(1, min(MAX_COST_SCALE, budget // unit))
    relative = gains / top if top > 0 else np.zeros_like(gains)  # in [0, 1], no overflow
    pair_tails = tails.astype(np.int32)
    pair_heads = (heads + n_s).astype(np.int32)
    supplies = np.concatenate([demand, -min_load, [-through]]).astype(np.int64)
    while True:
        scaled = relative * cost_scale
        np.rint(scaled, out=scaled)
        pair_costs = scaled.astype(np.int64)
        del scaled  # large networks: keep one float and one int copy at most
        pair_costs *= -unit
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
            pair_tails, pair_heads, np.ones(tails.size, dtype=np.int64), pair_costs
        )
        del pair_costs
        flow.add_arcs_with_capacity_and_unit_cost(
            (owner + n_s).astype(np.int32),
            np.full(owner.size, sink, dtype=np.int32),
            np.ones(owner.size, dtype=np.int64),
            marginal,
        )
        flow.set_nodes_supplies(np.arange(n_nodes, dtype=np.int32), supplies)
        status = flow.solve()
        if status == flow.OPTIMAL:
            flows = np.asarray(flow.flows(np.arange(tails.size, dtype=np.int32)))
            result: npt.NDArray[np.bool_] = flows > 0
            return result
        if status == flow.INFEASIBLE:
            return None
        if status == flow.BAD_COST_RANGE and cost_scale >= MIN_COST_SCALE * 16:
            cost_scale //= 16
            continue
        raise RuntimeError(f"min-cost flow gagal dengan status {status}")


def _solution(problem: Problem, arrays: _Arrays, pairs: BoolMatrix) -> Solution:
    rows, cols = np.nonzero(pairs)  # row-major: subject order, then assessor order
    assignments = [
        (problem.subjects[i].id, problem.assessors[j].id, float(arrays.affinity[i, j]))
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
    ]
    loads = pairs.sum(axis=0).tolist()
    return Solution(
        status="optimal",
        objective=math.fsum(value for _, _, value in assignments),
        assignments=assignments,
        loads={a.id: int(n) for a, n in zip(problem.assessors, loads, strict=True)},
        diagnosis=None,
    )


def verify(problem: Problem, solution: Solution) -> None:
    """Check every demand, load, pin and conflict; raise `VerificationError` if one fails."""
    if solution.status != "optimal":
        return
    by_subject: dict[str, int] = {}
    by_assessor: dict[str, int] = {}
    seen: set[Pair] = set()
    subjects = {s.id: s for s in problem.subjects}
    assessors = {a.id: a for a in problem.assessors}
    for s, a, _ in solution.assignments:
        if (s, a) in seen:
            raise VerificationError(f"pasangan ({s}, {a}) muncul dua kali")
        seen.add((s, a))
        reasons = _conflict_reasons(problem, subjects[s], assessors[a])
        if reasons:
            raise VerificationError(f"pasangan ({s}, {a}) berkonflik: {', '.join(reasons)}")
        by_subject[s] = by_subject.get(s, 0) + 1
        by_assessor[a] = by_assessor.get(a, 0) + 1
    for subject in problem.subjects:
        if by_subject.get(subject.id, 0) != subject.demand:
            raise VerificationError(
                f"subjek {subject.id} mendapat {by_subject.get(subject.id, 0)} penilai, "
                f"bukan {subject.demand}"
            )
    for assessor in problem.assessors:
        load = by_assessor.get(assessor.id, 0)
        if not assessor.min_load <= load <= assessor.max_load:
            raise VerificationError(
                f"beban {assessor.id} = {load} di luar [{assessor.min_load}, {assessor.max_load}]"
            )
        if solution.loads.get(assessor.id) != load:
            raise VerificationError(f"beban {assessor.id} dilaporkan salah")
    missing = problem.pinned - seen
    if missing:
        raise VerificationError(f"pasangan tetap hilang: {sorted(missing)}")


def _conflict_reasons(problem: Problem, subject: Subject, assessor: Assessor) -> list[str]:
    reasons = []
    if (subject.id, assessor.id) in problem.conflicts:
        reasons.append("konflik eksplisit")
    if (
        "same_institution" in problem.conflict_rules
        and subject.institution is not None
        and subject.institution == assessor.institution
    ):
        reasons.append(f"same_institution ({subject.institution})")
    if (
        "same_province" in problem.conflict_rules
        and subject.province is not None
        and subject.province == assessor.province
    ):
        reasons.append(f"same_province ({subject.province})")
    if problem.pools == BY_CATEGORY and subject.category not in assessor.categories:
        reasons.append(f"{OUTSIDE_POOL} ({subject.category})")
    return reasons


# --------------------------------------------------------------------------- diagnosis


def _names(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:MAX_NAMED])
    if len(ids) > MAX_NAMED:
        shown += f" dan {len(ids) - MAX_NAMED} lainnya"
    return shown


def _prechecks(problem: Problem, arrays: _Arrays) -> list[str]:
    """Necessary conditions; each failed one is a proof of infeasibility, in Indonesian."""
    found: list[str] = []
    subjects, assessors = problem.subjects, problem.assessors

    # Pinned pairs.
    for s, a in sorted(problem.pinned):
        subject = next(x for x in subjects if x.id == s)
        assessor = next(x for x in assessors if x.id == a)
        reasons = _conflict_reasons(problem, subject, assessor)
        if reasons:
            found.append(f"Pasangan tetap ({s}, {a}) berkonflik: {', '.join(reasons)}.")
    pins_s = arrays.pinned.sum(axis=1)
    pins_a = arrays.pinned.sum(axis=0)
    for i, subject in enumerate(subjects):
        if pins_s[i] > subject.demand:
            found.append(
                f"Subjek {subject.id} punya {pins_s[i]} pasangan tetap, "
                f"melebihi kebutuhannya {subject.demand} penilai."
            )
    for j, assessor in enumerate(assessors):
        if pins_a[j] > assessor.max_load:
            found.append(
                f"Penilai {assessor.id} punya {pins_a[j]} pasangan tetap, "
                f"melebihi beban maksimumnya {assessor.max_load}."
            )

    # Totals.
    need = int(arrays.demand.sum())
    capacity = int(arrays.max_load.sum())
    if capacity < need:
        found.append(
            f"Kapasitas penilai {capacity} < kebutuhan {need} penilaian (kurang {need - capacity})."
        )
    floor = int(np.maximum(arrays.min_load, pins_a).sum())
    if floor > need:
        pinned_note = " (termasuk pasangan tetap)" if problem.pinned else ""
        found.append(
            f"Jumlah beban minimum penilai{pinned_note} {floor} > kebutuhan {need} "
            f"penilaian (lebih {floor - need})."
        )
    if problem.pools == BY_CATEGORY:
        found.extend(_pool_shortfalls(problem, arrays))

    # Each subject needs enough allowed assessors; each assessor enough allowed subjects.
    usable = ~arrays.conflict & (arrays.max_load > 0)[None, :]
    allowed_s = usable.sum(axis=1)
    for i in np.nonzero(allowed_s < arrays.demand)[0].tolist():
        subject = subjects[i]
        # Assessors barred by a conflict come before those merely outside the pool,
        # which can be hundreds and would hide them.
        barred = sorted(
            np.nonzero(~usable[i])[0].tolist(),
            key=lambda j: (_block_codes(arrays, i, j) == [OUTSIDE_POOL], j),
        )
        blocked = [f"{assessors[j].id} [{', '.join(_block_codes(arrays, i, j))}]" for j in barred]
        message = (
            f"Subjek {subject.id} hanya punya {allowed_s[i]} penilai yang boleh menilai, "
            f"padahal kebutuhannya {subject.demand}"
        )
        if blocked:
            message += f"; terblokir {len(blocked)} ({_block_counts(arrays, i)}): {_names(blocked)}"
        found.append(message + ".")
    allowed_a = (~arrays.conflict).sum(axis=0)
    for j in np.nonzero(allowed_a < arrays.min_load)[0].tolist():
        assessor = assessors[j]
        found.append(
            f"Penilai {assessor.id} hanya boleh menilai {allowed_a[j]} subjek, "
            f"padahal beban minimumnya {assessor.min_load}."
        )
    return found


def _pool_shortfalls(problem: Problem, arrays: _Arrays) -> list[str]:
    """Per category pool: its subjects' demand against its assessors' maximum loads."""
    found: list[str] = []
    demands: dict[str, list[int]] = {}
    for subject in problem.subjects:
        demands.setdefault(subject.category or "", []).append(subject.demand)
    for category in sorted(demands):
        needs = demands[category]
        need = sum(needs)
        members = [
            j for j, assessor in enumerate(problem.assessors) if category in assessor.categories
        ]
        supply = int(arrays.max_load[members].sum()) if members else 0
        if supply >= need:
            continue
        if len(set(needs)) == 1:
            demand = f"{len(needs)} subjek × {needs[0]} penilai = {need} penilaian"
        else:
            demand = f"{len(needs)} subjek membutuhkan {need} penilaian"
        if members:
            supply_text = (
                f"jumlah beban maksimum {len(members)} penilai di kelompok ini hanya {supply}"
            )
        else:
            supply_text = "tidak ada penilai di kelompok ini"
        found.append(
            f"Kelompok kategori {category}: {demand}, tetapi {supply_text} "
            f"(kurang {need - supply})."
        )
    return found


def _block_codes(arrays: _Arrays, i: int, j: int) -> list[str]:
    codes = []
    if arrays.explicit[i, j]:
        codes.append("konflik")
    if arrays.same_institution[i, j]:
        codes.append("same_institution")
    if arrays.same_province[i, j]:
        codes.append("same_province")
    if arrays.outside_pool[i, j]:
        codes.append(OUTSIDE_POOL)
    if arrays.max_load[j] == 0:
        codes.append("max 0")
    return codes


def _block_counts(arrays: _Arrays, i: int) -> str:
    parts = [
        (int(arrays.explicit[i].sum()), "konflik eksplisit"),
        (int(arrays.same_institution[i].sum()), "same_institution"),
        (int(arrays.same_province[i].sum()), "same_province"),
        (int(arrays.outside_pool[i].sum()), "di luar kelompok kategori"),
        (int(((arrays.max_load == 0) & ~arrays.conflict[i]).sum()), "beban maksimum 0"),
    ]
    return ", ".join(f"{n} {label}" for n, label in parts if n)


def _flow_diagnosis(
    problem: Problem,
    free: BoolMatrix,
    demand: IntVector,
    min_load: IntVector,
    max_load: IntVector,
) -> list[str]:
    """A Hall-type reason from a max-flow min cut, or the generic statement."""
    pinned = bool(problem.pinned)
    after_pins = " di luar pasangan tetap" if pinned else ""
    capacity_word = "sisa kapasitas" if pinned else "kapasitas"

    # Subjects' demands, ignoring minimum loads.
    cut = _deficient_side(free, demand, max_load)
    if cut is not None:
        group = cut
        need = int(demand[group].sum())
        degree = free[group].sum(axis=0)
        helpers = np.nonzero(degree)[0]
        give = int(np.minimum(max_load[helpers], degree[helpers]).sum())
        return [
            f"Subjek {_names([problem.subjects[i].id for i in group.tolist()])} "
            f"({group.size} subjek) membutuhkan {need} penilaian{after_pins}, tetapi penilai "
            f"yang boleh menilai mereka ({helpers.size} penilai: "
            f"{_names([problem.assessors[j].id for j in helpers.tolist()])}) dengan "
            f"{capacity_word}nya hanya dapat memberi paling banyak {give} (kurang {need - give})."
        ]

    # Assessors' minimum loads, ignoring subjects' exact demands.
    cut = _deficient_side(free.T, min_load, demand)
    if cut is not None:
        group = cut
        need = int(min_load[group].sum())
        degree = free[:, group].sum(axis=1)
        givers = np.nonzero(degree)[0]
        give = int(np.minimum(demand[givers], degree[givers]).sum())
        return [
            f"Penilai {_names([problem.assessors[j].id for j in group.tolist()])} "
            f"({group.size} penilai) wajib menilai minimal {need} penilaian{after_pins}, "
            f"tetapi subjek yang boleh mereka nilai ({givers.size} subjek: "
            f"{_names([problem.subjects[i].id for i in givers.tolist()])}) hanya dapat "
            f"memberi paling banyak {give} (kurang {need - give})."
        ]
    return [
        "Tidak ada penugasan yang memenuhi kebutuhan setiap subjek dan batas beban setiap "
        "penilai sekaligus, walaupun masing-masing syarat dapat dipenuhi secara terpisah."
    ]


def _deficient_side(
    allowed: BoolMatrix, need: IntVector, capacity: IntVector
) -> npt.NDArray[np.intp] | None:
    """Rows whose demand cannot all be met (source side of a min cut), or None.

    Network: source → row r (``need[r]``), row → column (1 where allowed), column → sink
    (``capacity[c]``). When the max flow is below ``need.sum()``, the rows on the source
    side of a min cut need more than their allowed columns can give.
    """
    n_rows, n_cols = allowed.shape
    total = int(need.sum())
    if total == 0:
        return None
    source, sink = n_rows + n_cols, n_rows + n_cols + 1
    rows, cols = np.nonzero(allowed)
    tails = np.concatenate([np.full(n_rows, source), rows, n_rows + np.arange(n_cols)])
    heads = np.concatenate([np.arange(n_rows), n_rows + cols, np.full(n_cols, sink)])
    caps = np.concatenate([need, np.ones(rows.size, dtype=np.int64), capacity])
    flow = max_flow.SimpleMaxFlow()
    flow.add_arcs_with_capacity(
        tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64)
    )
    if flow.solve(source, sink) != flow.OPTIMAL:
        raise RuntimeError("max flow gagal")
    if flow.optimal_flow() >= total:
        return None
    side = np.asarray(flow.get_source_side_min_cut(), dtype=np.intp)
    group = np.sort(side[side < n_rows])
    return group[need[group] > 0]
