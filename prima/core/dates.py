"""Dates as Indonesian text writes them ("3 Juni 2025", "Maret 2021"); pure functions."""

from __future__ import annotations

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
