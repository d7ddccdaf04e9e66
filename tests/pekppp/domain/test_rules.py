"""Suggested levels from F-01 answers (pekppp.md §6) and acceptance example 7 (§14)."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.pekppp.domain import rules
from prima.pekppp.domain.instruments import load_instrument
from tests.pekppp.spec import INSTRUMENT_2023

INSTRUMENT = load_instrument(INSTRUMENT_2023)


def test_example_7_suggested_levels():
    vf = [f"VF{n:02d}" for n in range(1, 15)]
    assert rules.suggest(INSTRUMENT.indicator(18), {"ticked": vf[:11]}) == 4
    assert rules.suggest(INSTRUMENT.indicator(15), {"gate": True, "ticked": []}) == 0
    assert (
        rules.suggest(
            INSTRUMENT.indicator(13),
            {"ticked": ["Attendance", "Performance", "Teamwork", "Innovation"]},
        )
        == 4
    )
    assert rules.suggest(INSTRUMENT.indicator(8), {"planned": 9, "realised": 7}) == 3
    assert (
        rules.suggest(INSTRUMENT.indicator(28), {"received": 45, "resolved": 42, "via_lapor": True})
        == 5
    )
    assert (
        rules.suggest(
            INSTRUMENT.indicator(9),
            {"report_date": dt.date(2024, 3, 15), "completed_date": dt.date(2024, 6, 10)},
        )
        == 4
    )


def test_ladder_counts_consecutive_conditions_from_the_first():
    indicator = INSTRUMENT.indicator(1)
    assert rules.suggest(indicator, {"conditions": [True, True, False, True, True]}) == 2
    assert rules.suggest(indicator, {"conditions": [True] * 5}) == 5
    assert rules.suggest(indicator, {"conditions": [False, True, True, True, True]}) == 0


def test_checklist_gate_and_count():
    ten = INSTRUMENT.indicator(10)  # count_to_level [[0,1],…]: the gate alone gives 1
    assert rules.suggest(ten, {"gate": False, "ticked": ["a", "b"]}) == 0
    assert rules.suggest(ten, {"gate": True, "ticked": []}) == 1
    assert rules.suggest(ten, {"gate": True, "ticked": ["a", "b", "c", "d", "e"]}) == 5
    assert rules.suggest(INSTRUMENT.indicator(2), {"ticked": ["x", "x"]}) == 1


@pytest.mark.parametrize(
    ("components", "media", "in_sippn", "level"),
    [(0, 0, False, 0), (5, 4, True, 1), (6, 1, False, 1), (6, 3, False, 2),
     (6, 1, True, 2), (6, 2, True, 3), (6, 3, True, 4), (6, 7, True, 5)],
)  # fmt: skip
def test_publication_media(components, media, in_sippn, level):
    assert rules.publication_media(components, media, in_sippn) == level


@pytest.mark.parametrize(
    ("months", "coverage", "level"),
    [(None, "all", 0), (25, "all", 1), (24, "some", 2), (13, "all", 3), (12, "some", 4),
     (6, "all", 5)],
)  # fmt: skip
def test_review_cycle(months, coverage, level):
    assert rules.review_cycle(months, coverage) == level


@pytest.mark.parametrize(
    ("planned", "realised", "level"),
    [(0, 0, 0), (9, 0, 1), (10, 2, 2), (10, 3, 3), (10, 8, 3), (100, 81, 4), (9, 9, 5)],
)
def test_rtl_percentage(planned, realised, level):
    assert rules.rtl_percentage(planned, realised) == level


@pytest.mark.parametrize(
    ("done", "level"),
    [(None, 0), (dt.date(2024, 4, 15), 5), (dt.date(2024, 4, 16), 4),
     (dt.date(2024, 9, 15), 3), (dt.date(2024, 12, 15), 2), (dt.date(2025, 3, 15), 1),
     (dt.date(2025, 3, 16), 0)],
)  # fmt: skip
def test_rtl_speed_boundaries_satisfy_the_bound(done, level):
    assert rules.rtl_speed(dt.date(2024, 3, 15), done) == level


@pytest.mark.parametrize(
    ("ticked", "level"),
    [([], 0), (["Attendance"], 1), (["Attendance", "Teamwork", "Innovation"], 2),
     (["Performance"], 3),
     (["Performance", "Attendance", "Teamwork", "Innovation", "Appearance"], 5)],
)  # fmt: skip
def test_award_criteria(ticked, level):
    assert rules.award_criteria(ticked) == level


def test_complaint_resolution():
    assert rules.complaint_resolution(10, 4, False) == 1
    assert rules.complaint_resolution(10, 5, False) == 2
    assert rules.complaint_resolution(10, 4, True) == 3
    assert rules.complaint_resolution(10, 8, True) == 4
    assert rules.complaint_resolution(0, 0, False) is None
    assert rules.complaint_resolution(0, 0, False, channel=False) == 0


def test_innovation_resources():
    assert rules.innovation_resources("none", 3) == 0
    assert rules.innovation_resources("draft", 3) == 1
    assert rules.innovation_resources("adopted", 0) == 2
    assert rules.innovation_resources("adopted", 3) == 5
