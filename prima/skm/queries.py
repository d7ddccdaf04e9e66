"""Scoped SKM querysets: who sees and who runs which surveys (DESIGN.md §1.5).

- The secretariat, national analysts/viewers and superusers read every survey.
- An Admin Lokal, and an institution's analysts and viewers, read their institution's
  surveys; a unit operator reads their unit's.
- Running a survey (creating, collecting, paper entry, import, calculation, publication,
  follow-up plans) is for the unit's operators, the institution's Admin Lokal and the
  secretariat; national analysts and viewers only read.
- Citizens and anyone without an account see only published results (`published_surveys`)
  and the survey form of a collecting survey, reached by its random public id.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from prima.core.models import ServiceUnit
from prima.skm.domain.permissions import (
    READER_ROLES,
    may_read_unit,
    may_run_survey,
    may_run_unit,
    read_scope,
    reads_any_survey,
    run_scope,
    within,
)
from prima.skm.enums import SurveyState
from prima.skm.models import Survey


def surveys_visible_to(person: Any) -> QuerySet[Survey]:
    """Surveys whose internal pages (responses, live figures, plans) the person may read."""
    return within(Survey.objects.select_related("unit", "institution"), read_scope(person))


def surveys_run_by(person: Any) -> QuerySet[Survey]:
    """Surveys the person may run (every write of the survey and its follow-up plan)."""
    return within(Survey.objects.select_related("unit", "institution"), run_scope(person))


def units_run_by(person: Any) -> QuerySet[ServiceUnit]:
    """Units for which the person may create surveys and issue one-time codes."""
    base = ServiceUnit.objects.filter(is_active=True).select_related("institution")
    return within(base, run_scope(person), unit_field="pk")


def published_surveys() -> QuerySet[Survey]:
    """Results anyone may read (public pages, open data)."""
    return Survey.objects.filter(state=SurveyState.PUBLISHED).select_related("unit", "institution")


__all__ = [
    "READER_ROLES",
    "may_read_unit",
    "may_run_survey",
    "may_run_unit",
    "published_surveys",
    "reads_any_survey",
    "surveys_run_by",
    "surveys_visible_to",
    "units_run_by",
]
