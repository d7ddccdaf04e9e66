"""Plain rules of the public catalogue: staleness in calendar months, the generations a
reader may ask for, and the replication sentence (pkri.md §9)."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.innovations.domain.catalogue import (
    DEFAULT_GENERATIONS,
    MAX_GENERATIONS,
    claimed_note,
    generations_wanted,
    replication_sentence,
)
from prima.innovations.domain.lineage import Link, lineage_metrics

D = dt.date


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("", DEFAULT_GENERATIONS),
        (None, DEFAULT_GENERATIONS),
        ("abc", DEFAULT_GENERATIONS),
        ("0", DEFAULT_GENERATIONS),
        ("-3", DEFAULT_GENERATIONS),
        ("1", 1),
        ("4", 4),
        ("999", MAX_GENERATIONS),
    ],
)
def test_generations_asked_for_are_bounded(raw, expected):
    assert generations_wanted(raw) == expected


def test_the_sentence_names_institutions_and_provinces_of_counted_replicas():
    links = [
        Link(1, 2, "confirmed", 20, "33", "regency"),
        Link(1, 3, "verified", 30, "33", "city"),
        Link(3, 4, "confirmed", 40, "52", "regency"),
        Link(1, 5, "claimed", 50, "61", "city"),
        Link(1, 6, "claimed", 60, "62", "city"),
        Link(1, 7, "rejected", 70, "63", "city"),
    ]
    metrics = lineage_metrics(1, links)
    assert replication_sentence(metrics) == "Direplikasi oleh 3 instansi di 2 provinsi"
    assert claimed_note(metrics) == "+2 klaim belum terverifikasi"


def test_the_sentence_without_provinces_or_replicas():
    ministries = lineage_metrics(1, [Link(1, 2, "verified", 20, None, "ministry")])
    assert replication_sentence(ministries) == "Direplikasi oleh 1 instansi"
    assert claimed_note(ministries) == ""
    nothing = lineage_metrics(1, [Link(1, 2, "claimed", 20, "33", "city")])
    assert replication_sentence(nothing) == "Belum tercatat direplikasi"
    assert claimed_note(nothing) == "+1 klaim belum terverifikasi"
