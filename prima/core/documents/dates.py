"""Dates and times as an Indonesian official letter writes them ("24 November 2026")."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from prima.core.dates import full_date

JAKARTA = ZoneInfo("Asia/Jakarta")


def indonesian_date(day: dt.date) -> str:
    """`24 November 2026`; a datetime is first read in WIB, so the day is Jakarta's."""
    if isinstance(day, dt.datetime):
        day = in_jakarta(day).date()
    return full_date(day)


def indonesian_datetime(moment: dt.datetime) -> str:
    """`24 November 2026 pukul 14.05 WIB` (the time with a dot, as letters write it)."""
    local = in_jakarta(moment)
    return f"{indonesian_date(local.date())} pukul {local:%H.%M} WIB"


def in_jakarta(moment: dt.datetime) -> dt.datetime:
    """The moment in WIB; a naive datetime is refused, since its zone is a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("A document time needs a time zone (got a naive datetime).")
    return moment.astimezone(JAKARTA)
