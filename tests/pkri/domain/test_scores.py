"""Desk and final scores (pkri.md §7.1, §7.4; acceptance examples B4, B6)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prima.pkri.domain.scores import desk_score, final_score

SUSTAINABILITY = {
    "k1": Decimal(20),
    "k2": Decimal(20),
    "k3": Decimal(20),
    "k4": Decimal(15),
    "k5": Decimal(15),
    "k6": Decimal(10),
}
COACHING = {
    "p1": Decimal(10),
    "p2": Decimal(15),
    "p3": Decimal(10),
    "p4": Decimal(10),
    "p5": Decimal(10),
    "p6": Decimal(10),
    "p7": Decimal(10),
    "p8": Decimal(15),
    "p9": Decimal(10),
}
WITH_INTERVIEW = (Decimal("0.6"), Decimal("0.4"))


def test_b4_sustainability_score_and_final_score() -> None:
    levels = {"k1": 4, "k2": 3, "k3": 3, "k4": 4, "k5": 2, "k6": 2}

    desk = desk_score(levels, SUSTAINABILITY)

    assert desk == Decimal("77.50")
    assert str(desk) == "77.50"
    assert final_score(desk, Decimal("88.00"), WITH_INTERVIEW) == Decimal("81.70")


def test_b6_coaching_score_of_payakumbuh() -> None:
    levels = dict(zip(COACHING, (3, 4, 4, 3, 3, 4, 3, 4, 2), strict=True))
    assert str(desk_score(levels, COACHING)) == "85.00"


def test_final_score_without_interview_is_the_desk_score() -> None:
    assert final_score(Decimal("85"), None, WITH_INTERVIEW) == Decimal("85.00")


def test_final_score_rounds_half_up_once() -> None:
    # 0.6·70.01 + 0.4·70.0125 = 70.011; 0.6·70.00 + 0.4·70.0125 = 70.005 → 70.01 (half up)
    assert str(final_score(Decimal("70.01"), Decimal("70.0125"), WITH_INTERVIEW)) == "70.01"
    assert str(final_score(Decimal("70.00"), Decimal("70.0125"), WITH_INTERVIEW)) == "70.01"


def test_levels_outside_0_to_4_are_rejected() -> None:
    with pytest.raises(ValueError):
        desk_score({**dict.fromkeys(SUSTAINABILITY, 1), "k1": 5}, SUSTAINABILITY)


@given(st.lists(st.integers(min_value=0, max_value=4), min_size=9, max_size=9))
def test_desk_score_lies_in_0_to_100(levels: list[int]) -> None:
    score = desk_score(dict(zip(COACHING, levels, strict=True)), COACHING)
    assert Decimal(0) <= score <= Decimal(100)
    assert score.as_tuple().exponent == -2
