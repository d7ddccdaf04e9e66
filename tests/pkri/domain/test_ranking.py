"""Shortlist and rankings (pkri.md §7.2, §7.4; acceptance example B7)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from prima.pkri.domain.ranking import Entry, rank_group, rank_within_kind, shortlist

BREAKERS = ("level:p8", "level:p7", "level:p1")
SLOTS = {"ministry": 2, "agency": 2, "province": 2, "regency": 3, "city": 5, "state_enterprise": 0}


def city(entry_id: int, score: str, **levels: int) -> Entry:
    return Entry(id=entry_id, score=Decimal(score), kind="city", levels=levels)


def b7_cities() -> list[Entry]:
    return [
        city(1, "91.25", p8=2),  # Surabaya
        city(2, "88.50", p8=3),  # Balikpapan
        city(3, "85.00", p8=4, p7=3, p1=3),  # Payakumbuh
        city(4, "85.00", p8=3, p7=4, p1=4),  # Sawahlunto
        city(5, "83.75", p8=1),  # Mataram
        city(6, "83.00", p8=4),  # Kota Demo 1
        city(7, "79.50", p8=4),  # Kota Demo 2
    ]


def test_b7_ranking_within_city() -> None:
    ranked = rank_within_kind(b7_cities(), SLOTS, Decimal(70), BREAKERS)

    assert [(r.id, r.rank) for r in ranked] == [
        (1, 1),
        (2, 2),
        (3, 3),
        (4, 4),
        (5, 5),
        (6, 6),
        (7, 7),
    ]
    assert [r.id for r in ranked if r.awarded] == [1, 2, 3, 4, 5]
    assert not any(r.tie_at_cutoff for r in ranked)
    assert {r.kind for r in ranked} == {"city"}


def test_b7_p8_tie_break_puts_payakumbuh_ahead_whatever_the_ids() -> None:
    cities = [city(40, "85.00", p8=3), city(30, "85.00", p8=4)]
    ranked = rank_within_kind(cities, SLOTS, Decimal(70), BREAKERS)
    assert [(r.id, r.rank) for r in ranked] == [(30, 1), (40, 2)]


def test_later_breakers_decide_when_p8_ties() -> None:
    cities = [city(1, "85.00", p8=4, p7=2, p1=4), city(2, "85.00", p8=4, p7=3, p1=0)]
    assert [r.id for r in rank_within_kind(cities, SLOTS, None, BREAKERS)] == [2, 1]


def test_minimum_final_score_limits_the_awards() -> None:
    cities = [city(1, "75.00"), city(2, "70.00"), city(3, "69.99")]
    ranked = rank_within_kind(cities, SLOTS, Decimal(70), BREAKERS)
    assert [r.id for r in ranked if r.awarded] == [1, 2]
    assert [r.rank for r in ranked] == [1, 2, 3]


def test_kinds_are_ranked_separately_with_their_own_slots() -> None:
    entries = [
        Entry(1, Decimal("90"), "ministry"),
        Entry(2, Decimal("80"), "ministry"),
        Entry(3, Decimal("70"), "ministry"),
        Entry(4, Decimal("95"), "state_enterprise"),
        Entry(5, Decimal("60"), "city"),
    ]
    ranked = {r.id: r for r in rank_within_kind(entries, SLOTS, Decimal(70), BREAKERS)}
    assert [i for i in ranked if ranked[i].awarded] == [1, 2]
    assert ranked[4].rank == 1 and not ranked[4].awarded  # bumn has no slots
    assert ranked[5].rank == 1 and not ranked[5].awarded  # below the minimum


def test_a_tie_left_after_every_breaker_is_flagged_at_the_cutoff() -> None:
    cities = [city(i, "90.00", p8=4, p7=4, p1=4) for i in range(1, 5)] + [
        city(9, "85.00", p8=4, p7=4, p1=4),
        city(8, "85.00", p8=4, p7=4, p1=4),
    ]
    ranked = rank_within_kind(cities, SLOTS, Decimal(70), BREAKERS)
    flagged = {r.id for r in ranked if r.tie_at_cutoff}
    assert flagged == {8, 9}
    # The engine's rule: exactly `slots` awarded; the plenary settles the flagged tie.
    assert sum(r.awarded for r in ranked) == 5
    assert {r.rank for r in ranked if r.id in flagged} == {5}


def test_rank_group_awards_the_first_n_of_the_whole_group() -> None:
    entries = [Entry(i, Decimal(s)) for i, s in ((1, "81.70"), (2, "90.10"), (3, "75.00"))]
    ranked = rank_group(entries, 2)
    assert [(r.id, r.rank, r.awarded, r.kind) for r in ranked] == [
        (2, 1, True, ""),
        (1, 2, True, ""),
        (3, 3, False, ""),
    ]


# --------------------------------------------------------------------------- shortlist


def test_shortlist_keeps_running_entries_at_or_above_the_minimum() -> None:
    entries = [
        Entry(1, Decimal("90.00")),
        Entry(2, Decimal("95.00"), running=False),
        Entry(3, Decimal("60.00")),
        Entry(4, Decimal("59.99")),
        Entry(5, Decimal("70.00")),
    ]
    result = shortlist(entries, 58, Decimal(60), require_running=True)
    assert result.selected == (1, 5, 3)
    assert result.tie_at_cutoff == ()

    assert shortlist(entries, 2, Decimal(60), require_running=False).selected == (2, 1)


def test_shortlist_includes_ties_at_the_cutoff() -> None:
    entries = [
        Entry(1, Decimal("80.00")),
        Entry(2, Decimal("75.00")),
        Entry(3, Decimal("75.00")),
        Entry(4, Decimal("70.00")),
    ]
    result = shortlist(entries, 2, Decimal(60), require_running=True)
    assert result.selected == (1, 2, 3)
    assert set(result.tie_at_cutoff) == {2, 3}


scores = st.decimals(min_value=0, max_value=100, places=2)


@given(
    st.lists(st.tuples(scores, st.booleans()), max_size=30),
    st.integers(min_value=0, max_value=20),
)
def test_shortlist_never_exceeds_size_unless_tied(
    rows: list[tuple[Decimal, bool]], size: int
) -> None:
    entries = [Entry(i, s, running=r) for i, (s, r) in enumerate(rows, start=1)]
    result = shortlist(entries, size, Decimal(60), require_running=True)
    by_id = {e.id: e for e in entries}

    assert all(by_id[i].running and by_id[i].score >= 60 for i in result.selected)
    if len(result.selected) > size:
        cutoff = min(by_id[i].score for i in result.selected)
        extra = [i for i in result.selected if by_id[i].score == cutoff]
        assert set(extra) == set(result.tie_at_cutoff)
    eligible = [e for e in entries if e.running and e.score >= 60]
    assert len(result.selected) >= min(size, len(eligible))
    # Nobody left out scores higher than someone selected.
    left_out = [e.score for e in eligible if e.id not in result.selected]
    if left_out and result.selected:
        assert max(left_out) < min(by_id[i].score for i in result.selected)
