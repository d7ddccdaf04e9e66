"""Sample size by Krejcie and Morgan (skm.md §6, §13.5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prima.core.domain.rounding import round_half_up
from prima.skm.domain.sample import default_population, sample_size, sample_target
from prima.skm.enums import PeriodKind

# The published table of skm.md §6, as (N, S).
TABLE = [
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (40, 36), (50, 44), (60, 52), (70, 59),
    (80, 66), (90, 73), (100, 80), (110, 86), (120, 92), (130, 97), (140, 103), (150, 108),
    (160, 113), (180, 123), (200, 132), (220, 140), (250, 152), (280, 162), (300, 169),
    (340, 181), (380, 191), (400, 196), (460, 210), (500, 217), (550, 226), (600, 234),
    (700, 248), (800, 260), (900, 269), (1000, 278), (1200, 291), (1500, 306), (2000, 322),
    (2200, 327), (2600, 335), (3000, 341), (3500, 346), (4000, 351), (5000, 357), (6000, 361),
    (8000, 367), (10000, 370), (15000, 375), (20000, 377), (50000, 381), (1000000, 384),
]  # fmt: skip


@pytest.mark.parametrize(("population", "target"), TABLE)
def test_the_formula_reproduces_the_published_table(population, target):
    assert sample_target(population) == target


def test_acceptance_example_5():
    assert round_half_up(sample_size(650), 2) == Decimal("241.67")
    assert sample_target(650) == 242
    assert sample_target(170) == 118
    assert sample_target(75) == 63
    assert sample_target(12) == 12


def test_between_rows_the_formula_is_used_not_the_next_row():
    # 650 lies between the rows 600 → 234 and 700 → 248.
    assert 234 < sample_target(650) < 248


@pytest.mark.parametrize("population", [0, -5, True, 2.5])
def test_a_population_below_one_is_refused(population):
    with pytest.raises(ValueError, match="population"):
        sample_size(population)


@given(st.integers(1, 10**9))
def test_the_target_never_exceeds_the_population_nor_384(population):
    assert 1 <= sample_target(population) <= min(population, 384)


@given(st.integers(1, 10**6))
def test_the_target_grows_with_the_population(population):
    assert sample_target(population) <= sample_target(population + 1)


@pytest.mark.parametrize(
    ("yearly", "kind", "population"),
    [
        (1000, PeriodKind.QUARTER, 250),
        (1001, PeriodKind.QUARTER, 251),
        (1001, PeriodKind.SEMESTER, 501),
        (1001, PeriodKind.YEAR, 1001),
    ],
)
def test_default_population_of_a_period_is_rounded_up(yearly, kind, population):
    assert default_population(yearly, kind) == population


@pytest.mark.parametrize("yearly", [0, -4])
def test_default_population_needs_a_yearly_figure(yearly):
    with pytest.raises(ValueError, match="yearly users"):
        default_population(yearly, PeriodKind.YEAR)
