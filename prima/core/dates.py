"""Dates as Indonesian text writes them ("3 Juni 2025", "Maret 2021") and calendar-month
arithmetic; pure functions."""

from __future__ import annotations

import calendar
import datetime as dt

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def full_date(day: dt.date) -> str:
    """``3 Juni 2025`` (a date, not a moment: callers pick the day's time zone)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_year(day: dt.date) -> str:
    """``Maret 2021``."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months; a missing day becomes the month's last.

    ``add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)`` (29 in a leap year).
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))
