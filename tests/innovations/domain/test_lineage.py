"""Replication lineage metrics and cycles (pkri.md §9; acceptance example B10)."""

from __future__ import annotations

from prima.innovations.domain.lineage import Link, creates_cycle, lineage_metrics

A, B, C, D, E = 1, 2, 3, 4, 5


def b10_links(a_to_b: str = "confirmed") -> list[Link]:
    return [
        Link(A, B, a_to_b, institution_id=20, province="33", kind="regency"),
        Link(A, C, "confirmed", institution_id=30, province="35", kind="city"),
        Link(C, D, "confirmed", institution_id=40, province="52", kind="regency"),
    ]


def test_b10_metrics_of_a() -> None:
    found = lineage_metrics(A, b10_links())

    assert (found.direct, found.direct_claimed) == (2, 0)
    assert found.descendants == 3
    assert found.generations == 2
    assert found.institutions == 3
    assert found.provinces == 3
    assert found.by_kind == {"city": 1, "regency": 2}


def test_b10_adding_d_to_a_is_a_cycle() -> None:
    assert creates_cycle(b10_links(), D, A)
    assert not creates_cycle(b10_links(), A, D)  # a second path, not a cycle
    assert not creates_cycle(b10_links(), B, D)


def test_b10_claimed_link_is_shown_separately() -> None:
    found = lineage_metrics(A, b10_links(a_to_b="claimed"))

    assert (found.direct, found.direct_claimed) == (1, 1)
    assert found.descendants == 2
    assert found.generations == 2


def test_self_link_is_a_cycle_and_claimed_links_block_cycles_too() -> None:
    assert creates_cycle([], A, A)
    assert creates_cycle([Link(A, B, "claimed")], B, A)
    assert not creates_cycle([Link(A, B, "rejected")], B, A)


def test_rejected_links_never_count_and_verified_ones_do() -> None:
    links = [Link(A, B, "rejected", 20, "33", "regency"), Link(A, C, "verified", 30, "35", "city")]
    found = lineage_metrics(A, links)
    assert (found.direct, found.descendants, found.institutions) == (1, 1, 1)


def test_diamond_counts_each_replica_once_with_the_longest_path() -> None:
    links = [
        Link(A, B, "confirmed", 20, "33", "regency"),
        Link(A, C, "confirmed", 30, "35", "city"),
        Link(B, D, "confirmed", 40, "52", "regency"),
        Link(C, D, "confirmed", 40, "52", "regency"),
        Link(D, E, "confirmed", 20, "33", "regency"),  # same institution as B
    ]
    found = lineage_metrics(A, links)
    assert (found.descendants, found.generations, found.institutions, found.provinces) == (
        4,
        3,
        3,
        3,
    )


def test_replicas_without_a_record_are_leaves_and_plain_tuples_are_accepted() -> None:
    links = [(A, None, "confirmed", 70, "11", "agency"), (A, None, "verified", 71, "12", "agency")]
    found = lineage_metrics(A, links)
    assert (found.direct, found.descendants, found.institutions, found.by_kind) == (
        2,
        2,
        2,
        {"agency": 2},
    )
