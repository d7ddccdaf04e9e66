"""Calendar months clamped to the month's end (KIPP ages, PKRI staleness)."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.core.dates import add_months

D = dt.date


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 2, 29), 24, D(2026, 2, 28)),
        (D(2024, 11, 15), 2, D(2025, 1, 15)),
        (D(2026, 11, 24), -24, D(2024, 11, 24)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected
