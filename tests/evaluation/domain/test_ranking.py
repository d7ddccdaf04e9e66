"""Ranking within strata, tie breakers (kipp.md §10.4) and cut-offs (§10.5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prima.evaluation.domain.ranking import (
    KIPP_TIE_BREAKERS,
    Cut,
    Ranked,
    RankEntry,
    TieBreaker,
    cut,
    rank,
)

D = Decimal
T0 = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
KIPP = ["signifikansi_mean", "verified_replications", "submitted_at"]


def entry(
    id_: str,
    score: str,
    sig: str = "80",
    reps: int = 0,
    minutes: int = 0,
    stratum: object = None,
) -> RankEntry:
    return RankEntry(
        id=id_,
        score=D(score),
        stratum=stratum,
        tie_values={
            "signifikansi_mean": D(sig),
            "verified_replications": reps,
            "submitted_at": T0 + timedelta(minutes=minutes),
        },
    )


def table(ranked: list[Ranked]) -> list[tuple[str, int]]:
    return [(r.id, r.rank) for r in ranked]


# --------------------------------------------------------------------------- rank


def test_a8_scores_rank_in_order() -> None:
    scores = ["92.10", "91.40", "90.75", "89.20", "88.60", "87.90", "86.30", "85.50"]
    entries = [entry(f"P{i}", s) for i, s in enumerate(scores, start=1)]
    ranked = rank(list(reversed(entries)), KIPP)
    assert table(ranked) == [(f"P{i}", i) for i in range(1, 9)]
    assert [r.position for r in ranked] == list(range(1, 9))


def test_tie_breakers_in_order() -> None:
    entries = [
        entry("a", "85.00", sig="80", reps=5, minutes=0),
        entry("b", "85.00", sig="90", reps=0, minutes=50),  # wins on Signifikansi
        entry("c", "85.00", sig="80", reps=7, minutes=40),  # wins on replications
        entry("d", "85.00", sig="80", reps=5, minutes=-10),  # earlier submission
        entry("e", "86.00", sig="10", reps=0, minutes=99),  # higher score beats all
    ]
    assert table(rank(entries, KIPP)) == [("e", 1), ("b", 2), ("c", 3), ("d", 4), ("a", 5)]


def test_breaker_order_matters() -> None:
    entries = [entry("a", "85", sig="90", reps=0), entry("b", "85", sig="80", reps=3)]
    assert [r.id for r in rank(entries, KIPP)] == ["a", "b"]
    assert [r.id for r in rank(entries, ["verified_replications", "signifikansi_mean"])] == [
        "b",
        "a",
    ]


def test_competition_ranking_for_full_ties() -> None:
    entries = [
        entry("d", "90"),
        entry("c", "85"),
        entry("b", "85"),
        entry("a", "80"),
    ]
    assert table(rank(entries, KIPP)) == [("d", 1), ("b", 2), ("c", 2), ("a", 4)]


def test_without_breakers_ties_on_score_only() -> None:
    entries = [entry("x", "85", sig="99"), entry("y", "85", sig="10"), entry("z", "70")]
    assert table(rank(entries, [])) == [("x", 1), ("y", 1), ("z", 3)]


def test_custom_breaker_and_direction() -> None:
    entries = [
        RankEntry("a", D("85"), tie_values={"cost": 300}),
        RankEntry("b", D("85"), tie_values={"cost": 100}),
    ]
    assert [r.id for r in rank(entries, [TieBreaker("cost", higher_first=False)])] == ["b", "a"]
    assert [r.id for r in rank(entries, [TieBreaker("cost", higher_first=True)])] == ["a", "b"]


def test_none_value_ranks_last_in_either_direction() -> None:
    entries = [
        RankEntry("a", D("85"), tie_values={"submitted_at": None, "verified_replications": None}),
        RankEntry("b", D("85"), tie_values={"submitted_at": T0, "verified_replications": 0}),
    ]
    assert [r.id for r in rank(entries, ["submitted_at"])] == ["b", "a"]
    assert [r.id for r in rank(entries, ["verified_replications"])] == ["b", "a"]


def test_strata_are_ranked_separately() -> None:
    entries = [
        entry("k1", "90", stratum="kabupaten"),
        entry("m1", "95", stratum="kementerian"),
        entry("k2", "88", stratum="kabupaten"),
        entry("m2", "70", stratum="kementerian"),
        entry("m3", "70", stratum="kementerian"),
    ]
    ranked = rank(entries, KIPP)
    assert [(r.stratum, r.id, r.rank, r.position) for r in ranked] == [
        ("kabupaten", "k1", 1, 1),
        ("kabupaten", "k2", 2, 2),
        ("kementerian", "m1", 1, 1),
        ("kementerian", "m2", 2, 2),
        ("kementerian", "m3", 2, 3),
    ]


def test_mixed_stratum_types_are_ordered_deterministically() -> None:
    entries = [entry("a", "80", stratum=3), entry("b", "80", stratum="x"), entry("c", "80")]
    first = [r.id for r in rank(entries, [])]
    assert first == [r.id for r in rank(list(reversed(entries)), [])]
    assert first[0] == "c"  # the None stratum comes first


def test_rank_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="duplicated"):
        rank([entry("a", "80"), entry("a", "70")], KIPP)
    with pytest.raises(ValueError, match="unknown tie breaker 'luck'"):
        rank([entry("a", "80")], ["luck"])
    with pytest.raises(ValueError, match="listed twice"):
        rank([entry("a", "80")], ["submitted_at", "submitted_at"])
    with pytest.raises(ValueError, match="'b' has no value for verified_replications"):
        rank([entry("a", "80"), RankEntry("b", D("80"))], ["verified_replications"])
    with pytest.raises(ValueError, match="finite Decimal"):
        rank([RankEntry("a", D("NaN"))], [])
    with pytest.raises(TypeError, match="cannot compare"):
        rank(
            [
                RankEntry("a", D(1), tie_values={"x": 1}),
                RankEntry("b", D(1), tie_values={"x": T0}),
            ],
            [TieBreaker("x", True)],
        )


def test_kipp_tie_breakers_match_spec() -> None:
    assert (
        TieBreaker("signifikansi_mean", True),
        TieBreaker("verified_replications", True),
        TieBreaker("submitted_at", False),
    ) == KIPP_TIE_BREAKERS
    entries = [entry("a", "85", sig="80", minutes=5), entry("b", "85", sig="80", minutes=1)]
    assert rank(entries, KIPP_TIE_BREAKERS) == rank(entries, KIPP)


# --------------------------------------------------------------------------- cut


def test_cut_without_tie() -> None:
    ranked = rank([entry(f"P{i}", str(100 - i)) for i in range(1, 9)], KIPP)
    assert cut(ranked, 5) == Cut(("P1", "P2", "P3", "P4", "P5"), ())


def test_tie_broken_by_breaker_is_not_flagged() -> None:
    entries = [entry("a", "90"), entry("b", "85", sig="90"), entry("c", "85", sig="80")]
    assert cut(rank(entries, KIPP), 2) == Cut(("a", "b"), ())


def test_tie_at_cutoff_flags_both_sides() -> None:
    entries = [
        entry("a", "90"),
        entry("b", "85"),
        entry("c", "85"),
        entry("d", "85"),
        entry("e", "80"),
    ]
    result = cut(rank(entries, KIPP), 2)
    assert result.selected == ("a", "b")
    assert result.tie_at_cutoff == ("b", "c", "d")
    assert result.nominated == ("a", "b", "c", "d")


def test_tie_inside_cutoff_is_not_flagged() -> None:
    entries = [entry("a", "90"), entry("b", "90"), entry("c", "85")]
    assert cut(rank(entries, KIPP), 2) == Cut(("a", "b"), ())
    assert cut(rank(entries, KIPP), 1) == Cut(("a",), ("a", "b"))


def test_cut_edges() -> None:
    ranked = rank([entry("a", "90"), entry("b", "90")], KIPP)
    assert cut(ranked, 0) == Cut((), ())
    assert cut(ranked, 2) == Cut(("a", "b"), ())
    assert cut(ranked, 10) == Cut(("a", "b"), ())
    assert cut([], 3) == Cut((), ())
    with pytest.raises(ValueError, match="≥ 0"):
        cut(ranked, -1)


def test_cut_per_stratum() -> None:
    entries = [
        entry("k1", "90", stratum="kab"),
        entry("k2", "88", stratum="kab"),
        entry("k3", "88", stratum="kab"),
        entry("m1", "95", stratum="kem"),
        entry("m2", "70", stratum="kem"),
    ]
    ranked = rank(entries, KIPP)
    assert cut(ranked, 1) == Cut(("k1", "m1"), ())
    assert cut(ranked, {"kab": 2, "kem": 1}) == Cut(("k1", "k2", "m1"), ("k2", "k3"))
    with pytest.raises(ValueError, match="no size given for stratum 'kem'"):
        cut(ranked, {"kab": 2})


# --------------------------------------------------------------------------- properties

entries_strategy = st.lists(
    st.builds(
        entry,
        id_=st.text("abcdefgh", min_size=1, max_size=3),
        score=st.sampled_from(["70.00", "80.50", "85.00", "85.01", "90.00"]),
        sig=st.sampled_from(["60", "80"]),
        reps=st.integers(0, 2),
        minutes=st.integers(0, 2),
        stratum=st.sampled_from([None, "kab", "kota"]),
    ),
    max_size=20,
    unique_by=lambda e: e.id,
)
breakers_strategy = st.lists(st.sampled_from(KIPP), unique=True).flatmap(st.permutations)


@settings(max_examples=100, deadline=None)
@given(entries=entries_strategy, breakers=breakers_strategy, data=st.data())
def test_rank_properties(
    entries: list[RankEntry], breakers: list[str], data: st.DataObject
) -> None:
    ranked = rank(entries, breakers)
    # A permutation of the input.
    assert sorted(r.id for r in ranked) == sorted(e.id for e in entries)
    by_id = {e.id: e for e in entries}
    strata: dict[object, list[Ranked]] = {}
    for r in ranked:
        strata.setdefault(r.stratum, []).append(r)
        assert r.stratum == by_id[r.id].stratum and r.score == by_id[r.id].score
    # Each stratum is contiguous in the output.
    seen_order = [r.stratum for r in ranked]
    assert [s for i, s in enumerate(seen_order) if i == 0 or seen_order[i - 1] != s] == list(strata)
    for members in strata.values():
        assert [r.position for r in members] == list(range(1, len(members) + 1))
        ranks = [r.rank for r in members]
        assert ranks == sorted(ranks)
        assert ranks[0] == 1
        for r in members:
            # Competition ranking: rank = 1 + number of entries strictly ahead.
            assert 1 <= r.rank <= r.position
        for earlier, later in pairwise(members):
            assert earlier.score >= later.score
            if later.rank != earlier.rank:
                assert later.rank == later.position
    # Invariant to input order.
    shuffled = data.draw(st.permutations(entries))
    assert rank(shuffled, breakers) == ranked


@settings(max_examples=100, deadline=None)
@given(entries=entries_strategy, n=st.integers(0, 8))
def test_cut_properties(entries: list[RankEntry], n: int) -> None:
    ranked = rank(entries, KIPP)
    result = cut(ranked, n)
    rank_of = {r.id: r for r in ranked}
    counts: dict[object, int] = {}
    for r in ranked:
        counts[r.stratum] = counts.get(r.stratum, 0) + 1
    assert len(result.selected) == sum(min(n, c) for c in counts.values())
    assert all(rank_of[i].position <= n for i in result.selected)
    for i in result.tie_at_cutoff:
        group = [r for r in ranked if r.stratum == rank_of[i].stratum]
        same = [r for r in group if r.rank == rank_of[i].rank]
        assert any(r.position <= n for r in same) and any(r.position > n for r in same)
    # Anything in a straddling group is flagged.
    for r in ranked:
        same = [o for o in ranked if o.stratum == r.stratum and o.rank == r.rank]
        if any(o.position <= n for o in same) and any(o.position > n for o in same):
            assert r.id in result.tie_at_cutoff


def test_edition_config_names_a_section_mean_tie_breaker():
    entries = [
        RankEntry("A", D("85.00"), tie_values={"section_mean:signifikansi": D("80")}),
        RankEntry("B", D("85.00"), tie_values={"section_mean:signifikansi": D("90")}),
    ]
    assert [r.id for r in rank(entries, ["section_mean:signifikansi"])] == ["B", "A"]
