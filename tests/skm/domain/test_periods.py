"""Survey periods (skm.md §4, §13.8)."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.core.domain.errors import DomainError
from prima.skm.domain.periods import parse_period, periods_containing
from prima.skm.enums import PeriodKind


def test_acceptance_example_8():
    day = dt.date(2025, 7, 1)
    assert [p.code for p in periods_containing(day)] == ["2025-Q3", "2025-S2", "2025"]
    assert not parse_period("2025-Q2").contains(day)
    assert all(parse_period(code).contains(day) for code in ("2025-Q3", "2025-S2", "2025"))


@pytest.mark.parametrize(
    ("code", "kind", "first", "last"),
    [
        ("2025-Q1", PeriodKind.QUARTER, "2025-01-01", "2025-03-31"),
        ("2025-Q2", PeriodKind.QUARTER, "2025-04-01", "2025-06-30"),
        ("2025-Q3", PeriodKind.QUARTER, "2025-07-01", "2025-09-30"),
        ("2025-Q4", PeriodKind.QUARTER, "2025-10-01", "2025-12-31"),
        ("2025-S1", PeriodKind.SEMESTER, "2025-01-01", "2025-06-30"),
        ("2025-S2", PeriodKind.SEMESTER, "2025-07-01", "2025-12-31"),
        ("2024", PeriodKind.YEAR, "2024-01-01", "2024-12-31"),
        ("2024-Q1", PeriodKind.QUARTER, "2024-01-01", "2024-03-31"),  # leap year
        ("9999-Q4", PeriodKind.QUARTER, "9999-10-01", "9999-12-31"),
        ("0999-S1", PeriodKind.SEMESTER, "0999-01-01", "0999-06-30"),
    ],
)
def test_period_dates(code, kind, first, last):
    period = parse_period(code)
    assert (period.code, period.kind) == (code, kind)
    assert (period.first_day.isoformat(), period.last_day.isoformat()) == (first, last)


@pytest.mark.parametrize(
    "code",
    ["2025-Q5", "2025-Q0", "2025-S3", "2025-q1", "25-Q1", "2025-H1", "0000", "٢٠٢٥", "2025-Q٣"],
)
def test_unknown_codes_are_refused_in_indonesian(code):
    with pytest.raises(DomainError, match="tidak dikenal; tulis 2025-Q1"):
        parse_period(code)
