"""The 24-month rule behind `data belum diperbarui` and the secretariat's stale list."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from prima.core.dates import add_months
from prima.innovations.domain.staleness import is_stale, stale_cutoff

WIB = ZoneInfo("Asia/Jakarta")


def test_exactly_24_months_is_not_yet_stale():
    assert not is_stale(dt.date(2022, 6, 15), dt.date(2024, 6, 15))


def test_one_day_past_24_months_is_stale():
    assert is_stale(dt.date(2022, 6, 15), dt.date(2024, 6, 16))
    assert is_stale(dt.date(2022, 6, 14), dt.date(2024, 6, 15))


def test_recent_updates_are_not_stale():
    assert not is_stale(dt.date(2024, 1, 1), dt.date(2024, 6, 15))


def test_update_times_are_read_as_wib_days():
    # 14 June 2022 18:00 UTC is already 15 June 01:00 WIB: exactly 24 months on 15 June 2024.
    updated_at = dt.datetime(2022, 6, 14, 18, 0, tzinfo=dt.UTC)
    assert not is_stale(updated_at, dt.date(2024, 6, 15))
    assert is_stale(updated_at, dt.date(2024, 6, 16))


def test_month_ends_are_clamped():
    assert add_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2022, 2, 28), 24) == dt.date(2024, 2, 28)
    # Updated on 28 February 2022: on 29 February 2024 that is more than 24 months ago.
    assert is_stale(dt.date(2022, 2, 28), dt.date(2024, 2, 29))
    assert stale_cutoff(dt.date(2024, 2, 29)) == dt.date(2022, 3, 1)
    assert stale_cutoff(dt.date(2024, 6, 15)) == dt.date(2022, 6, 15)


@given(
    updated=st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31)),
    today=st.dates(min_value=dt.date(2017, 1, 1), max_value=dt.date(2032, 12, 31)),
)
def test_the_database_cutoff_agrees_with_the_badge(updated, today):
    """The list filters `updated_at < cutoff`; the badge uses `is_stale`: same answer."""
    assert is_stale(updated, today) == (updated < stale_cutoff(today))


def test_every_day_of_a_leap_year_agrees():
    start = dt.date(2024, 1, 1)
    for offset in range(366):
        today = start + dt.timedelta(days=offset)
        cutoff = stale_cutoff(today)
        assert is_stale(cutoff - dt.timedelta(days=1), today)
        assert not is_stale(cutoff, today)
