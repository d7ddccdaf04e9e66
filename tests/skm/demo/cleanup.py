"""Removing the SKM demo rows, children before parents (surveys and services protect units).

`tests/demo_fixtures.py` calls it before removing the national demo's rows.
"""

from __future__ import annotations

from prima.core.models import Service
from prima.skm.models import (
    FollowUpItem,
    FollowUpPlan,
    InstrumentSetting,
    Response,
    ResponseCounter,
    Survey,
    SurveyToken,
)


def wipe_skm_demo() -> None:
    FollowUpItem.objects.all().delete()
    FollowUpPlan.objects.all().delete()
    ResponseCounter.objects.all().delete()
    Response.objects.all().delete()
    SurveyToken.objects.all().delete()
    Survey.services.through.objects.all().delete()
    Survey.objects.all().delete()
    InstrumentSetting.objects.all().delete()
    Service.objects.all().delete()
