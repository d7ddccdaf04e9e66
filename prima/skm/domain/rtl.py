"""Follow-up plan (RTL) metrics (skm.md §8) that feed PEKPPP indicators 8 and 9. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from prima.core.domain.rounding import round_half_up
from prima.skm.enums import RtlStatus

# (status, realised date or None) of each item of an adopted plan.
Item = tuple[RtlStatus, dt.date | None]


def rtl_realised_pct(items: Sequence[Item]) -> Decimal | None:
    """DONE items ÷ all items × 100, 2 dp (cancelled items count as not realised)."""
    if not items:
        return None
    done = sum(status == RtlStatus.DONE for status, _ in items)
    return round_half_up(Fraction(100 * done, len(items)), 2)


def rtl_completed_date(items: Sequence[Item]) -> dt.date | None:
    """The realised date of the last item, only once every item is DONE."""
    if not items or any(status != RtlStatus.DONE or day is None for status, day in items):
        return None
    return max(day for _, day in items if day is not None)
