"""ROUND_HALF_UP from the exact value (skm.md §5, §6)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from prima.core.domain.rounding import round_half_up


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction("3.06175"), 4, "3.0618"),  # skm.md §13.2: the exact printed IKM
        (Fraction(97, 32), 4, "3.0313"),  # 3.03125: half-even would give 3.0312
        (Fraction(5, 2), 0, "3"),  # half-even would give 2
        (Fraction(-5, 2), 0, "-3"),  # half away from zero
        (Fraction("76.545"), 2, "76.55"),
        (Fraction("76.54375"), 2, "76.54"),
        (Fraction(1, 3), 4, "0.3333"),
        (Fraction(2, 3), 4, "0.6667"),
        (Fraction(100), 2, "100.00"),
        (Fraction(0), 4, "0.0000"),
        (Fraction(-1, 100000), 4, "0.0000"),  # no negative zero
        (Fraction(10**30) + Fraction(1, 2), 0, "1" + "0" * 29 + "1"),  # beyond 28 digits
    ],
)
def test_round_half_up(value, places, expected):
    assert str(round_half_up(value, places)) == expected
