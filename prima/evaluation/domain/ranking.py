"""Ranking within strata, tie breakers and cut-offs (kipp.md §10.4, §10.5; DESIGN.md §5).

Entries are ranked within their stratum by official score (higher first), then by each
tie breaker in order, then by id so that the order is deterministic. Ranks use competition
ranking ("1, 2, 2, 4"): entries share a rank only when they are equal on the score *and*
on every tie breaker; the final id order never separates ranks.

:func:`cut` takes the first ``n`` positions per stratum and flags ``tie_at_cutoff`` every
entry whose rank group straddles the ``n``-th position, both inside and outside it, for the
plenary. :attr:`Cut.nominated` is the §10.5 ``top_n`` list (selected plus tied entries).

This module is pure: no ORM, no Django.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cmp_to_key

TieValue = Decimal | int | date | None


@dataclass(frozen=True)
class TieBreaker:
    name: str
    higher_first: bool


# Tie breakers the engine knows by name; an edition config lists names in order (§10.4).
TIE_BREAKERS: Mapping[str, TieBreaker] = {
    "signifikansi_mean": TieBreaker("signifikansi_mean", higher_first=True),
    "verified_replications": TieBreaker("verified_replications", higher_first=True),
    "submitted_at": TieBreaker("submitted_at", higher_first=False),
}
SECTION_MEAN_PREFIX = "section_mean:"
KIPP_TIE_BREAKERS: tuple[TieBreaker, ...] = tuple(TIE_BREAKERS.values())


@dataclass(frozen=True)
class RankEntry:
    id: str
    score: Decimal  # the official score
    stratum: Hashable = None  # None = one stratum for everything
    tie_values: Mapping[str, TieValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Ranked:
    id: str
    score: Decimal
    stratum: Hashable
    rank: int  # competition rank within the stratum
    position: int  # 1-based place in the deterministic order within the stratum


@dataclass(frozen=True)
class Cut:
    selected: tuple[str, ...]  # the first n positions of each stratum
    tie_at_cutoff: tuple[str, ...]  # entries tied (after every breaker) across position n

    @property
    def nominated(self) -> tuple[str, ...]:
        """Selected entries plus those tied at the cut-off outside it (§10.5 ``top_n``)."""
        chosen = set(self.selected)
        return self.selected + tuple(i for i in self.tie_at_cutoff if i not in chosen)


def resolve_tie_breakers(tie_breakers: Sequence[TieBreaker | str]) -> tuple[TieBreaker, ...]:
    """Resolve names through :data:`TIE_BREAKERS`; reject unknown names and repeats."""
    resolved: list[TieBreaker] = []
    for index, item in enumerate(tie_breakers):
        if isinstance(item, str) and item.startswith(SECTION_MEAN_PREFIX) and len(item) > 13:
            # `section_mean:<section>` (edition config, kipp.md §6.1): higher mean first.
            item = TieBreaker(item, higher_first=True)
        elif isinstance(item, str):
            if item not in TIE_BREAKERS:
                raise ValueError(
                    f"tie_breakers[{index}]: unknown tie breaker {item!r} "
                    f"(known: {sorted(TIE_BREAKERS)})"
                )
            item = TIE_BREAKERS[item]
        if any(b.name == item.name for b in resolved):
            raise ValueError(f"tie_breakers[{index}]: {item.name!r} is listed twice")
        resolved.append(item)
    return tuple(resolved)


def _compare_values(a: Decimal | int | date, b: Decimal | int | date, where: str) -> int:
    """-1, 0, 1 for a < b, a == b, a > b; TypeError for values of different kinds."""
    if isinstance(a, Decimal | int) and isinstance(b, Decimal | int):
        return (a > b) - (a < b)
    if isinstance(a, date) and isinstance(b, date):
        try:
            return (a > b) - (a < b)
        except TypeError as error:  # naive vs aware datetime, date vs datetime
            raise TypeError(f"{where}: cannot compare {a!r} with {b!r}") from error
    raise TypeError(f"{where}: cannot compare {a!r} with {b!r}")


def _merit(a: RankEntry, b: RankEntry, breakers: Sequence[TieBreaker]) -> int:
    """Negative if ``a`` ranks before ``b``; 0 if tied on the score and every breaker.

    A breaker value of None ranks after any present value, whatever the direction.
    """
    if a.score != b.score:
        return -1 if a.score > b.score else 1
    for breaker in breakers:
        x, y = a.tie_values[breaker.name], b.tie_values[breaker.name]
        if x is None or y is None:
            missing = (x is None) - (y is None)
            if missing:
                return missing
            continue
        order = _compare_values(x, y, f"tie_values[{breaker.name!r}]")
        if order:
            return -order if breaker.higher_first else order
    return 0


def _stratum_order(strata: Sequence[Hashable]) -> list[Hashable]:
    """Strata in a deterministic order: None first, then natural order, else by repr."""
    try:
        return sorted(strata, key=lambda s: (s is not None, s if s is not None else 0))
    except TypeError:
        return sorted(strata, key=lambda s: (s is not None, type(s).__name__, repr(s)))


def rank(entries: Sequence[RankEntry], tie_breakers: Sequence[TieBreaker | str]) -> list[Ranked]:
    """Rank entries within each stratum; the result is grouped by stratum, each in order."""
    breakers = resolve_tie_breakers(tie_breakers)
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if entry.id in seen:
            raise ValueError(f"entries[{index}].id: id {entry.id!r} is duplicated")
        seen.add(entry.id)
        if not isinstance(entry.score, Decimal) or not entry.score.is_finite():
            raise ValueError(f"entries[{index}].score: {entry.score!r} is not a finite Decimal")
        missing = [b.name for b in breakers if b.name not in entry.tie_values]
        if missing:
            raise ValueError(
                f"entries[{index}].tie_values: {entry.id!r} has no value for {', '.join(missing)}"
            )

    by_stratum: dict[Hashable, list[RankEntry]] = {}
    for entry in entries:
        by_stratum.setdefault(entry.stratum, []).append(entry)

    def full_order(a: RankEntry, b: RankEntry) -> int:
        return _merit(a, b, breakers) or (a.id > b.id) - (a.id < b.id)

    result: list[Ranked] = []
    for stratum in _stratum_order(list(by_stratum)):
        ordered = sorted(by_stratum[stratum], key=cmp_to_key(full_order))
        current_rank = 0
        for position, entry in enumerate(ordered, start=1):
            if position == 1 or _merit(ordered[position - 2], entry, breakers) != 0:
                current_rank = position
            result.append(Ranked(entry.id, entry.score, stratum, current_rank, position))
    return result


def cut(ranked: Sequence[Ranked], n: int | Mapping[Hashable, int]) -> Cut:
    """Take the first ``n`` positions of each stratum and flag ties across the cut-off.

    ``n`` is one size for every stratum or a size per stratum (every stratum present must
    be listed). ``ranked`` is the output of :func:`rank`.
    """
    selected: list[str] = []
    tied: list[str] = []
    ordered = sorted(ranked, key=lambda r: r.position)
    strata = _stratum_order(list(dict.fromkeys(r.stratum for r in ranked)))
    for stratum in strata:
        if isinstance(n, Mapping):
            if stratum not in n:
                raise ValueError(f"n: no size given for stratum {stratum!r}")
            size = n[stratum]
        else:
            size = n
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError(f"n[{stratum!r}]: must be an integer ≥ 0, got {size!r}")
        members = [r for r in ordered if r.stratum == stratum]
        selected.extend(r.id for r in members[:size])
        if 0 < size < len(members):
            boundary_rank = members[size - 1].rank
            if members[size].rank == boundary_rank:
                tied.extend(r.id for r in members if r.rank == boundary_rank)
    return Cut(tuple(selected), tuple(tied))
