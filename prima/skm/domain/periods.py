"""Survey periods (skm.md §4): `2025-Q1` … `2025-Q4`, `2025-S1`, `2025-S2`, `2025`. Pure."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from prima.core.domain.errors import DomainError
from prima.skm.enums import PERIODS_PER_YEAR, PeriodKind

# ASCII digits only: ``\d`` would also take ٢٠٢٥.
_CODE_RE = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<kind>[QS])(?P<part>[0-9]))?\Z")
_KIND = {"Q": PeriodKind.QUARTER, "S": PeriodKind.SEMESTER, None: PeriodKind.YEAR}
_LETTER = {PeriodKind.QUARTER: "Q", PeriodKind.SEMESTER: "S"}


@dataclass(frozen=True)
class Period:
    code: str
    kind: PeriodKind
    first_day: dt.date
    last_day: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day


def _period(year: int, kind: PeriodKind, part: int) -> Period:
    months = 12 // PERIODS_PER_YEAR[kind]
    first = dt.date(year, (part - 1) * months + 1, 1)
    end_month = part * months
    last = dt.date(year, end_month, calendar.monthrange(year, end_month)[1])
    code = f"{year:04d}" if kind == PeriodKind.YEAR else f"{year:04d}-{_LETTER[kind]}{part}"
    return Period(code, kind, first, last)


def parse_period(code: str) -> Period:
    """The period a code names; DomainError for anything else (``2025-Q5``, ``0000``)."""
    match = _CODE_RE.match(code.strip())
    if match is not None:
        year, kind = int(match["year"]), _KIND[match["kind"]]
        part = int(match["part"] or 1)
        # Year 0000 does not exist in the calendar.
        if year and 1 <= part <= PERIODS_PER_YEAR[kind]:
            return _period(year, kind, part)
    raise DomainError(
        _("Periode %(code)s tidak dikenal; tulis 2025-Q1 … 2025-Q4, 2025-S1, 2025-S2 atau 2025.")
        % {"code": code},
        field="period",
    )


def periods_containing(day: dt.date) -> tuple[Period, Period, Period]:
    """The quarter, semester and year a date belongs to (2025-07-01 → Q3, S2, 2025)."""
    return (
        _period(day.year, PeriodKind.QUARTER, (day.month - 1) // 3 + 1),
        _period(day.year, PeriodKind.SEMESTER, (day.month - 1) // 6 + 1),
        _period(day.year, PeriodKind.YEAR, 1),
    )
