"""Follow-up plan metrics (skm.md §8, the SKM side of §13.7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from prima.skm.domain.rtl import rtl_completed_date, rtl_realised_pct
from prima.skm.enums import RtlStatus

DAY = dt.date(2024, 4, 1)


def test_acceptance_example_7_first_plan():
    items = (
        [(RtlStatus.DONE, DAY)] * 7
        + [(RtlStatus.IN_PROGRESS, None)]
        + [(RtlStatus.CANCELLED, None)]
    )
    assert rtl_realised_pct(items) == Decimal("77.78")
    assert rtl_completed_date(items) is None


def test_acceptance_example_7_second_plan():
    last = dt.date(2024, 5, 2)
    items = [(RtlStatus.DONE, dt.date(2024, 3, day)) for day in (1, 5, 9, 20)]
    items.append((RtlStatus.DONE, last))
    assert rtl_realised_pct(items) == Decimal("100.00")
    assert rtl_completed_date(items) == last


def test_an_empty_plan_has_no_metrics():
    assert rtl_realised_pct([]) is None
    assert rtl_completed_date([]) is None


def test_a_cancelled_item_keeps_the_plan_from_being_completed():
    items = [(RtlStatus.DONE, DAY), (RtlStatus.CANCELLED, None)]
    assert rtl_realised_pct(items) == Decimal("50.00")
    assert rtl_completed_date(items) is None
