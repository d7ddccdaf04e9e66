"""Shortlist, ranking within institution kind and object-group ranking (pkri.md §7.2, §7.4; B7).

A thin layer over the engine (:mod:`prima.evaluation.domain.ranking`): competition ranks
by official score, then by each tie breaker, then by id; ``cut`` takes the first n
positions and flags every entry of a rank group that straddles position n
(``tie_at_cutoff``) for the plenary. Following the engine, an award list holds exactly n
entries (the tied ones in id order) with the whole tie flagged; the shortlist instead
includes every entry tied at its cut-off (§7.2).

Tie breakers are ``level:<indicator>`` (higher level first; a missing level ranks last).

Pure: no ORM.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from prima.evaluation.domain.ranking import Cut, Ranked, RankEntry, TieBreaker, cut, rank
from prima.pkri.domain.config import LEVEL_BREAKER_PREFIX


@dataclass(frozen=True)
class Entry:
    id: int
    score: Decimal  # the official desk or final score
    kind: str = ""  # institution kind for the coaching group; "" for object groups
    levels: Mapping[str, int] = field(default_factory=dict)  # indicator code → level
    running: bool = True


@dataclass(frozen=True)
class ShortlistResult:
    selected: tuple[int, ...]  # in rank order, ties at the cut-off included
    tie_at_cutoff: tuple[int, ...]


@dataclass(frozen=True)
class RankedEntry:
    id: int
    kind: str
    rank: int  # competition rank within the kind
    awarded: bool
    tie_at_cutoff: bool


def _key(entry_id: int) -> str:
    # Zero-padded so that the engine's final id order is numeric.
    return f"{entry_id:020d}"


def _breakers(names: Sequence[str]) -> tuple[TieBreaker, ...]:
    breakers = []
    for name in names:
        if not name.startswith(LEVEL_BREAKER_PREFIX):
            raise ValueError(f"tie breaker {name!r}: expected {LEVEL_BREAKER_PREFIX}<indicator>")
        breakers.append(TieBreaker(name.lower(), higher_first=True))
    return tuple(breakers)


def _rank_entries(
    entries: Sequence[Entry], breakers: Sequence[TieBreaker], stratum_of_kind: bool
) -> list[Ranked]:
    rank_entries = [
        RankEntry(
            id=_key(entry.id),
            score=entry.score,
            stratum=entry.kind if stratum_of_kind else None,
            tie_values={
                b.name: entry.levels.get(b.name.removeprefix(LEVEL_BREAKER_PREFIX))
                for b in breakers
            },
        )
        for entry in entries
    ]
    return rank(rank_entries, breakers)


def shortlist(
    entries: Sequence[Entry], size: int, min_score: Decimal, require_running: bool
) -> ShortlistResult:
    """The first ``size`` eligible entries by desk score, plus any tied at the cut-off.

    Eligible: score ≥ ``min_score`` and, with ``require_running``, still running.
    """
    eligible = [e for e in entries if e.score >= min_score and (e.running or not require_running)]
    ranked = _rank_entries(eligible, (), stratum_of_kind=False)
    chosen = cut(ranked, size)
    return ShortlistResult(
        selected=tuple(int(i) for i in chosen.nominated),
        tie_at_cutoff=tuple(int(i) for i in chosen.tie_at_cutoff),
    )


def rank_within_kind(
    entries: Sequence[Entry],
    slots: Mapping[str, int],
    min_score: Decimal | None,
    tie_breakers: Sequence[str],
) -> list[RankedEntry]:
    """Rank each kind separately; the top ``slots[kind]`` with score ≥ ``min_score`` win.

    A kind without slots gets none. The result is grouped by kind, each in rank order.
    """
    breakers = _breakers(tie_breakers)
    ranked = _rank_entries(entries, breakers, stratum_of_kind=True)
    score_of = {_key(e.id): e.score for e in entries}
    sizes: dict[Hashable, int] = {}
    for item in ranked:
        qualifies = min_score is None or score_of[item.id] >= min_score
        sizes.setdefault(item.stratum, 0)
        if qualifies:
            sizes[item.stratum] += 1
    for stratum in sizes:
        sizes[stratum] = min(sizes[stratum], slots.get(str(stratum), 0))
    return _result(ranked, cut(ranked, sizes))


def rank_group(entries: Sequence[Entry], awards: int) -> list[RankedEntry]:
    """Rank an object group as one list; the first ``awards`` positions win (kind "")."""
    ranked = _rank_entries(
        [Entry(e.id, e.score, "", e.levels, e.running) for e in entries], (), stratum_of_kind=True
    )
    return _result(ranked, cut(ranked, awards))


def _result(ranked: Sequence[Ranked], chosen: Cut) -> list[RankedEntry]:
    selected, tied = set(chosen.selected), set(chosen.tie_at_cutoff)
    return [
        RankedEntry(
            id=int(item.id),
            kind=str(item.stratum),
            rank=item.rank,
            awarded=item.id in selected,
            tie_at_cutoff=item.id in tied,
        )
        for item in ranked
    ]
