"""Surveys and plans for the follow-up plan (RTL) tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from prima.skm.enums import RtlStatus, SurveyState
from prima.skm.models import FollowUpItem, FollowUpPlan
from tests.factories import SurveyFactory

# skm.md §13 example 1: U8 lowest, then U3, then U9.
EXAMPLE_1_NRR = {
    "U1": "3.3333",
    "U2": "3.2500",
    "U3": "3.0000",
    "U4": "3.8333",
    "U5": "3.4167",
    "U6": "3.5000",
    "U7": "3.5833",
    "U8": "2.8333",
    "U9": "3.1667",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def calculated_survey(unit, *, period_code="2025-Q2", nrr=None, state=SurveyState.CALCULATED, **kw):
    """A survey whose result was calculated (frozen §10 document with the given NRR)."""
    return SurveyFactory(
        unit=unit,
        period_code=period_code,
        state=state,
        result={"nrr": dict(nrr or EXAMPLE_1_NRR), "status": "CALCULATED"},
        result_status="CALCULATED",
        calculated_at=timezone.make_aware(dt.datetime(2025, 7, 2, 9, 0)),
        **kw,
    )


def plan_with_items(survey, statuses, *, adopted_on=dt.date(2025, 7, 10), realised=None):
    """A plan whose items have the given statuses (DONE items realised on ``realised``)."""
    plan = FollowUpPlan.objects.create(
        survey=survey, adopted_on=adopted_on, decree_number="800/12/2025" if adopted_on else ""
    )
    FollowUpItem.objects.bulk_create(
        FollowUpItem(
            plan=plan,
            position=n,
            elements=["U8"],
            problem=f"Masalah {n}",
            action=f"Aksi {n}",
            owner="Kepala Seksi Pelayanan",
            planned_start=dt.date(2025, 7, 1),
            planned_end=dt.date(2025, 9, 30),
            status=status,
            realised_on=(realised[n - 1] if isinstance(realised, list) else realised)
            if status == RtlStatus.DONE
            else None,
            cancel_reason="Anggaran dialihkan" if status == RtlStatus.CANCELLED else "",
        )
        for n, status in enumerate(statuses, start=1)
    )
    return plan
