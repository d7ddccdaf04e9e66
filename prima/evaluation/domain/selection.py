"""Composition-constrained Top-N selection and the plenary re-check (kipp.md §11.2, §11.3).

Candidates come ranked (official score, then tie breakers). Constraints bound how many
selected candidates share a stratum value: ``{stratum, value(s), min, max}``. A constraint
listing several values applies to each value separately; one without values applies to
every value of the stratum found among the candidates (in order of first appearance in
the ranking). Each such (constraint, value) pair is a *rule* below.

:func:`select` follows the normative reference algorithm of §11.2 step by step:

1. **Minimums.** Rules with a minimum, by ascending slack (eligible candidates minus the
   minimum), then config order (constraint, then value). For each, the highest-ranked
   unselected candidates with that value are taken until the minimum is met, skipping one
   that would break a maximum or exceed N. These picks are marked ``quota``.
2. **Merit.** The ranking is walked; an unselected candidate is taken (``merit``) if no
   maximum breaks and enough free places remain for the still unmet minimums.
3. **Unmet minimums.** A rule with fewer eligible candidates than its minimum gets a
   :class:`Shortfall` and the places held for it are filled from merit. A minimum that
   stays unmet although candidates exist means maxima (or N itself) block it: the run
   stops with status ``conflicting_constraints`` and a :class:`Conflict` naming both
   constraints; nothing is selected, so no constraint is ever relaxed silently.
4. **Output:** the selection in rank order, ``displaced`` candidates (in the plain top N
   but not selected) with the constraint that displaced them, and a summary per rule.

:func:`check` re-checks a list after a plenary override (§11.3) and :func:`apply_override`
performs one swap. Malformed input raises :class:`ValueError` with an Indonesian message;
:func:`parse_constraints` names the offending ``constraints[i].field``.

This module is pure: no ORM, no Django.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeGuard

STRATA = ("category", "group", "institution_type", "institution", "province_local", "region_3t")
# Strata whose values are booleans; every other stratum holds text codes.
BOOLEAN_STRATA = frozenset({"region_3t"})
_KEYS = ("stratum", "value", "values", "min", "max")


class ConstraintError(ValueError):
    """A malformed constraint; the message starts with the field, e.g. ``constraints[2].min``."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Candidate:
    id: str
    rank: int  # 1-based position in the ranking
    attributes: Mapping[str, Hashable] = field(default_factory=dict)


@dataclass(frozen=True)
class Constraint:
    stratum: str
    values: tuple[Hashable, ...] | None = None  # None: every value of the stratum
    min: int | None = None
    max: int | None = None

    def __post_init__(self) -> None:
        problem = _constraint_problem(self.stratum, self.values, self.min, self.max)
        if problem is not None:
            raise ValueError(f"Batasan komposisi tidak sah ({problem[0]}): {problem[1]}")


def _constraint_problem(
    stratum: object, values: object, minimum: object, maximum: object
) -> tuple[str, str] | None:
    """The first problem of a constraint as (field, Indonesian message), or None."""
    if stratum not in STRATA:
        return "stratum", f"strata {stratum!r} tidak dikenal; yang ada: {', '.join(STRATA)}"
    if values is not None:
        if not isinstance(values, tuple) or not values:
            return "values", "harus berupa daftar nilai yang tidak kosong"
        for value in values:
            if stratum in BOOLEAN_STRATA and not isinstance(value, bool):
                return "values", f"nilai {value!r} untuk {stratum} harus true atau false"
            if stratum not in BOOLEAN_STRATA and (not isinstance(value, str) or not value):
                return "values", f"nilai {value!r} untuk {stratum} harus teks yang tidak kosong"
        if len(set(values)) != len(values):
            return "values", "ada nilai yang ganda"
    for name, bound in (("min", minimum), ("max", maximum)):
        if bound is not None and (not _is_int(bound) or bound < 0):
            return name, f"harus bilangan bulat ≥ 0, bukan {bound!r}"
    if minimum is None and maximum is None:
        return "min", "isi min, max, atau keduanya"
    if _is_int(minimum) and _is_int(maximum) and minimum > maximum:
        return "min", f"min {minimum} melebihi max {maximum}"
    return None


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_constraints(data: object) -> list[Constraint]:
    """Read ``composition.constraints`` (kipp.md §6.1): ``{stratum, value|values, min, max}``.

    Integer codes (YAML reads ``value: 35`` as a number) become text, except for the
    boolean ``region_3t``. Raises :class:`ConstraintError` naming ``constraints[i].field``.
    """
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConstraintError("constraints", "harus berupa daftar")
    constraints: list[Constraint] = []
    for index, item in enumerate(data):
        where = f"constraints[{index}]"
        if not isinstance(item, dict):
            raise ConstraintError(where, "harus berupa objek {stratum, value|values, min, max}")
        for key in item:
            if key not in _KEYS:
                raise ConstraintError(
                    f"{where}.{key}", f"kolom tidak dikenal; yang ada: {', '.join(_KEYS)}"
                )
        if "stratum" not in item:
            raise ConstraintError(f"{where}.stratum", "wajib diisi")
        stratum = item["stratum"]
        if "value" in item and "values" in item:
            raise ConstraintError(where, "isi value atau values, jangan keduanya")
        values: tuple[Hashable, ...] | None = None
        if "value" in item:
            values = (_code(stratum, item["value"]),)
        elif "values" in item:
            if not isinstance(item["values"], list) or not item["values"]:
                raise ConstraintError(f"{where}.values", "harus berupa daftar yang tidak kosong")
            values = tuple(_code(stratum, value) for value in item["values"])
        problem = _constraint_problem(stratum, values, item.get("min"), item.get("max"))
        if problem is not None:
            name = "value" if problem[0] == "values" and "value" in item else problem[0]
            raise ConstraintError(f"{where}.{name}", problem[1])
        constraints.append(Constraint(stratum, values, item.get("min"), item.get("max")))
    return constraints


def _code(stratum: object, value: Any) -> Any:
    if stratum not in BOOLEAN_STRATA and _is_int(value):
        return str(value)
    return value


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class Pick:
    id: str
    reason: Literal["merit", "quota"]


@dataclass(frozen=True)
class Displaced:
    id: str
    constraint: str  # e.g. "province_local = 35, maks 2"


@dataclass(frozen=True)
class SummaryRow:
    stratum: str
    value: Hashable
    count: int  # selected candidates with this value
    eligible: int  # candidates with this value
    min: int | None
    max: int | None
    constraint: str


@dataclass(frozen=True)
class Shortfall:
    stratum: str
    value: Hashable
    needed: int
    available: int


@dataclass(frozen=True)
class Conflict:
    minimum: str  # the minimum that cannot be met
    blocking: str  # the maximum (or "N = …") that blocks it
    message: str


@dataclass(frozen=True)
class Selection:
    status: Literal["ok", "conflicting_constraints"]
    selected: tuple[Pick, ...]
    displaced: tuple[Displaced, ...]
    summary: tuple[SummaryRow, ...]
    shortfalls: tuple[Shortfall, ...]
    conflicts: tuple[Conflict, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(pick.id for pick in self.selected)


@dataclass(frozen=True)
class Violation:
    kind: Literal["size", "min", "max"]
    stratum: str | None
    value: Hashable
    count: int
    limit: int
    message: str


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _Rule:
    stratum: str
    value: Hashable
    min: int | None
    max: int | None
    eligible: int
    position: int  # config order: constraint, then value

    def describe(self) -> str:
        text = f"{self.stratum} = {_show(self.value)}"
        if self.min is not None:
            text += f", min {self.min}"
        if self.max is not None:
            text += f", maks {self.max}"
        return text


def _show(value: Hashable) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _ranked(candidates: Iterable[Candidate], constraints: Sequence[Constraint]) -> list[Candidate]:
    """Candidates in rank order, after checking ids, ranks and the constrained attributes.

    Integer codes of text strata (an institution's primary key, say) become text, as in
    :func:`parse_constraints`, so that ``35`` and ``"35"`` are the same province.
    """
    ordered = sorted(candidates, key=lambda c: c.rank)
    ids: set[str] = set()
    ranks: set[int] = set()
    strata = list(dict.fromkeys(c.stratum for c in constraints))
    result = []
    for candidate in ordered:
        if not isinstance(candidate.id, str) or not candidate.id:
            raise ValueError(f"Kandidat {candidate.id!r}: id harus teks yang tidak kosong.")
        if candidate.id in ids:
            raise ValueError(f"Kandidat {candidate.id} muncul lebih dari sekali.")
        if not _is_int(candidate.rank) or candidate.rank < 1 or candidate.rank in ranks:
            raise ValueError(
                f"Kandidat {candidate.id}: peringkat {candidate.rank!r} harus bilangan bulat "
                "≥ 1 yang unik."
            )
        ids.add(candidate.id)
        ranks.add(candidate.rank)
        attributes = dict(candidate.attributes)
        for stratum in strata:
            if stratum not in attributes:
                raise ValueError(f"Kandidat {candidate.id}: atribut {stratum} tidak diisi.")
            value = attributes[stratum] = _code(stratum, attributes[stratum])
            if value is None:
                continue
            if stratum in BOOLEAN_STRATA and not isinstance(value, bool):
                raise ValueError(
                    f"Kandidat {candidate.id}: {stratum} harus true atau false, bukan {value!r}."
                )
            if stratum not in BOOLEAN_STRATA and not isinstance(value, str):
                raise ValueError(
                    f"Kandidat {candidate.id}: {stratum} harus teks (kode), bukan {value!r}."
                )
        result.append(Candidate(candidate.id, candidate.rank, attributes))
    return result


def _rules(ranked: Sequence[Candidate], constraints: Sequence[Constraint]) -> list[_Rule]:
    eligible: dict[tuple[str, type, Hashable], int] = {}
    for stratum in dict.fromkeys(c.stratum for c in constraints):
        for candidate in ranked:
            key = _key(stratum, candidate.attributes[stratum])
            if key is not None:
                eligible[key] = eligible.get(key, 0) + 1
    rules: list[_Rule] = []
    for constraint in constraints:
        if not isinstance(constraint, Constraint):
            raise ValueError(f"Batasan {constraint!r} bukan Constraint.")
        values: Sequence[Hashable]
        if constraint.values is None:
            # Every value of the stratum, in order of first appearance in the ranking.
            values = [value for stratum, _, value in eligible if stratum == constraint.stratum]
        else:
            values = constraint.values
        for value in values:
            rules.append(
                _Rule(
                    constraint.stratum,
                    value,
                    constraint.min,
                    constraint.max,
                    eligible.get((constraint.stratum, type(value), value), 0),
                    position=len(rules),
                )
            )
    return rules


def _key(stratum: str, value: Hashable) -> tuple[str, type, Hashable] | None:
    # `True == 1` in Python; the type keeps a boolean from ever matching a code.
    return None if value is None else (stratum, type(value), value)


def _matches(candidate: Candidate, stratum: str, value: Hashable) -> bool:
    return _key(stratum, candidate.attributes.get(stratum)) == _key(stratum, value)


class _State:
    """The selection being built: chosen ids, counts per rule, places owed to minimums."""

    def __init__(self, ranked: Sequence[Candidate], rules: Sequence[_Rule], n: int) -> None:
        self.n = n
        self.rules = rules
        by_key: dict[tuple[str, type, Hashable] | None, list[int]] = {}
        for i, rule in enumerate(rules):
            by_key.setdefault(_key(rule.stratum, rule.value), []).append(i)
        strata = list(dict.fromkeys(rule.stratum for rule in rules))
        self.of: dict[str, list[int]] = {
            c.id: [
                i
                for stratum in strata
                for i in by_key.get(_key(stratum, c.attributes[stratum]), [])
            ]
            for c in ranked
        }
        self.count = [0] * len(rules)
        self.reason: dict[str, Literal["merit", "quota"]] = {}
        self.owed = sum(rule.min or 0 for rule in rules)  # places still needed by minimums

    def breaking_max(self, candidate: Candidate) -> _Rule | None:
        """The first rule whose maximum taking ``candidate`` would break, or None."""
        for i in self.of[candidate.id]:
            limit = self.rules[i].max
            if limit is not None and self.count[i] >= limit:
                return self.rules[i]
        return None

    def owed_after(self, candidate: Candidate) -> int:
        """Places still owed to minimums once ``candidate`` is taken."""
        return self.owed - sum(1 for i in self.of[candidate.id] if self._short(i))

    def _short(self, i: int) -> bool:
        return self.count[i] < (self.rules[i].min or 0)

    def take(self, candidate: Candidate, reason: Literal["merit", "quota"]) -> None:
        self.reason[candidate.id] = reason
        for i in self.of[candidate.id]:
            if self._short(i):
                self.owed -= 1
            self.count[i] += 1

    @property
    def free(self) -> int:
        return self.n - len(self.reason)


# --------------------------------------------------------------------------- selection


def select(candidates: Sequence[Candidate], n: int, constraints: Sequence[Constraint]) -> Selection:
    """The composition-constrained Top-``n`` of the ranked ``candidates`` (§11.2)."""
    if not _is_int(n) or n < 0:
        raise ValueError(f"N harus bilangan bulat ≥ 0, bukan {n!r}.")
    ranked = _ranked(candidates, constraints)
    rules = _rules(ranked, constraints)
    state = _State(ranked, rules, n)
    blocked: dict[str, _Rule] = {}  # candidate id → the maximum that stopped it last

    # 1. Minimums: ascending slack, then config order.
    minimums = sorted(
        (r for r in rules if r.min is not None and r.min > 0),
        key=lambda r: (r.eligible - (r.min or 0), r.position),
    )
    quota_rule: dict[str, _Rule] = {}
    for rule in minimums:
        index = rule.position
        for candidate in ranked:
            if state.count[index] >= (rule.min or 0) or state.free == 0:
                break
            if candidate.id in state.reason or not _matches(candidate, rule.stratum, rule.value):
                continue
            breaking = state.breaking_max(candidate)
            if breaking is not None:
                blocked[candidate.id] = breaking
                continue
            state.take(candidate, "quota")
            quota_rule[candidate.id] = rule

    # 2. Merit, keeping enough free places for the unmet minimums.
    _walk(ranked, state, blocked, reserve=True)

    # 3. Unmet minimums: shortfalls are filled from merit; anything else is a conflict.
    shortfalls: list[Shortfall] = []
    conflicts: list[Conflict] = []
    for rule in rules:
        needed = rule.min or 0
        count = state.count[rule.position]
        if count >= needed:
            continue
        if rule.eligible < needed:
            shortfalls.append(Shortfall(rule.stratum, rule.value, needed, rule.eligible))
        if count < min(needed, rule.eligible):
            conflicts.extend(_conflicts(ranked, state, rule, quota_rule))
    if conflicts:
        empty = _State(ranked, rules, n)
        return Selection(
            status="conflicting_constraints",
            selected=(),
            displaced=(),
            summary=_summary(rules, empty),
            shortfalls=tuple(shortfalls),
            conflicts=tuple(conflicts),
        )
    _walk(ranked, state, blocked, reserve=False)

    # 4. Output.
    selected = tuple(Pick(c.id, state.reason[c.id]) for c in ranked if c.id in state.reason)
    return Selection(
        status="ok",
        selected=selected,
        displaced=_displaced(ranked, state, n, blocked, quota_rule),
        summary=_summary(rules, state),
        shortfalls=tuple(shortfalls),
        conflicts=(),
    )


def _walk(
    ranked: Sequence[Candidate], state: _State, blocked: dict[str, _Rule], *, reserve: bool
) -> None:
    for candidate in ranked:
        if state.free == 0:
            return
        if candidate.id in state.reason:
            continue
        breaking = state.breaking_max(candidate)
        if breaking is not None:
            blocked[candidate.id] = breaking
            continue
        if reserve and state.free - 1 < state.owed_after(candidate):
            continue
        state.take(candidate, "merit")


def _conflicts(
    ranked: Sequence[Candidate], state: _State, rule: _Rule, quota_rule: Mapping[str, _Rule]
) -> list[Conflict]:
    """Why ``rule``'s minimum stays unmet although candidates exist: maxima, or N."""
    count = state.count[rule.position]
    waiting = [
        c for c in ranked if c.id not in state.reason and _matches(c, rule.stratum, rule.value)
    ]
    by_max: dict[int, list[str]] = {}
    for candidate in waiting:
        breaking = state.breaking_max(candidate)
        if breaking is not None:
            by_max.setdefault(breaking.position, []).append(candidate.id)
    head = (
        f"Minimum {rule.describe()} tidak dapat dipenuhi: baru {count} terpilih dari "
        f"{rule.min} yang diwajibkan"
    )
    found = [
        Conflict(
            minimum=rule.describe(),
            blocking=state.rules[position].describe(),
            message=(
                f"{head}, karena batasan {state.rules[position].describe()} menghalangi "
                f"{_names(ids)}."
            ),
        )
        for position, ids in sorted(by_max.items())
    ]
    if not found:
        holders = sorted({r.describe() for r in quota_rule.values() if r is not rule})
        reason = f"seluruh {state.n} kursi (N = {state.n}) sudah terisi"
        if holders:
            reason += f" oleh kuota {'; '.join(holders)}"
        found.append(
            Conflict(
                minimum=rule.describe(),
                blocking=f"N = {state.n}",
                message=f"{head}, karena {reason}.",
            )
        )
    return found


def _names(ids: Sequence[str], limit: int = 10) -> str:
    shown = ", ".join(ids[:limit])
    if len(ids) > limit:
        shown += f" dan {len(ids) - limit} lainnya"
    return shown


def _displaced(
    ranked: Sequence[Candidate],
    state: _State,
    n: int,
    blocked: Mapping[str, _Rule],
    quota_rule: Mapping[str, _Rule],
) -> tuple[Displaced, ...]:
    """Plain top-N candidates left out, with the maximum or the minimums that pushed them."""
    top = ranked[:n]
    pushing = []
    for candidate in ranked[n:]:
        rule = quota_rule.get(candidate.id)
        if rule is not None and rule.describe() not in pushing:
            pushing.append(rule.describe())
    result = []
    for candidate in top:
        if candidate.id in state.reason:
            continue
        rule = blocked.get(candidate.id)
        reason = rule.describe() if rule else "; ".join(pushing) or "kuota minimum"
        result.append(Displaced(candidate.id, reason))
    return tuple(result)


def _summary(rules: Sequence[_Rule], state: _State) -> tuple[SummaryRow, ...]:
    return tuple(
        SummaryRow(
            stratum=r.stratum,
            value=r.value,
            count=state.count[r.position],
            eligible=r.eligible,
            min=r.min,
            max=r.max,
            constraint=r.describe(),
        )
        for r in rules
    )


# --------------------------------------------------------------------------- plenary override


def check(
    selected_ids: Iterable[str],
    candidates: Sequence[Candidate],
    n: int,
    constraints: Sequence[Constraint],
) -> list[Violation]:
    """Re-check a (possibly overridden) list against N and every constraint (§11.3).

    A maximum is violated when more are selected; a minimum when fewer are selected than
    ``min(minimum, eligible)`` (a shortfall of eligible candidates is not the list's fault,
    as in :func:`select`). The size is violated above N, or below N while an unselected
    candidate could still be added without breaking a maximum. Unknown or repeated ids
    raise :class:`ValueError`.
    """
    if not _is_int(n) or n < 0:
        raise ValueError(f"N harus bilangan bulat ≥ 0, bukan {n!r}.")
    ranked = _ranked(candidates, constraints)
    by_id = {c.id: c for c in ranked}
    ids = list(selected_ids)
    _known_and_unique(ids, by_id)
    rules = _rules(ranked, constraints)
    state = _State(ranked, rules, n)
    for candidate_id in ids:
        state.take(by_id[candidate_id], "merit")

    violations: list[Violation] = []
    if len(ids) > n:
        violations.append(
            Violation(
                "size", None, None, len(ids), n, f"Daftar berisi {len(ids)}, melebihi N = {n}."
            )
        )
    elif len(ids) < n:
        addable = [c.id for c in ranked if c.id not in state.reason and not state.breaking_max(c)]
        if addable:
            violations.append(
                Violation(
                    "size",
                    None,
                    None,
                    len(ids),
                    n,
                    f"Daftar berisi {len(ids)} dari N = {n}, padahal {_names(addable)} masih "
                    "dapat ditambahkan tanpa melanggar batasan.",
                )
            )
    for rule in rules:
        count = state.count[rule.position]
        if rule.max is not None and count > rule.max:
            violations.append(
                Violation(
                    "max",
                    rule.stratum,
                    rule.value,
                    count,
                    rule.max,
                    f"Batasan {rule.describe()} dilanggar: terpilih {count}.",
                )
            )
        if rule.min is not None and count < min(rule.min, rule.eligible):
            violations.append(
                Violation(
                    "min",
                    rule.stratum,
                    rule.value,
                    count,
                    rule.min,
                    f"Batasan {rule.describe()} tidak terpenuhi: terpilih {count} "
                    f"dari {rule.eligible} kandidat yang memenuhi.",
                )
            )
    return violations


def apply_override(
    selected_ids: Sequence[str],
    removed: str,
    added: str,
    *,
    candidates: Sequence[Candidate],
) -> tuple[str, ...]:
    """The list after the plenary swaps ``removed`` for ``added``, in rank order.

    ``removed`` must be selected; ``added`` must be a candidate and not selected yet.
    The constraints are not checked here: call :func:`check` on the result.
    """
    by_id = {c.id: c for c in candidates}
    ids = list(selected_ids)
    _known_and_unique(ids, by_id)
    if removed not in ids:
        raise ValueError(f"Kandidat {removed} yang dikeluarkan tidak ada dalam daftar terpilih.")
    if added not in by_id:
        raise ValueError(f"Kandidat {added} yang dimasukkan tidak ada dalam daftar kandidat.")
    if added in ids:
        raise ValueError(f"Kandidat {added} yang dimasukkan sudah ada dalam daftar terpilih.")
    result = [i for i in ids if i != removed] + [added]
    return tuple(sorted(result, key=lambda i: by_id[i].rank))


def _known_and_unique(ids: Sequence[str], by_id: Mapping[str, Any]) -> None:
    seen: set[str] = set()
    for candidate_id in ids:
        if candidate_id not in by_id:
            raise ValueError(f"Kandidat {candidate_id} tidak ada dalam daftar kandidat.")
        if candidate_id in seen:
            raise ValueError(f"Kandidat {candidate_id} tercantum lebih dari sekali.")
        seen.add(candidate_id)
