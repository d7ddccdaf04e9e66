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

from django.db.models import Q, QuerySet

from prima.core.access import Access, access_for
from prima.core.enums import Role
from prima.core.models import ServiceUnit
from prima.skm.domain.permissions import may_run_survey, may_run_unit, runs_all
from prima.skm.enums import SurveyState
from prima.skm.models import Survey

READER_ROLES = (Role.INSTITUTION_ADMIN, Role.ANALYST, Role.VIEWER)


def _reads_all(access: Access) -> bool:
    return access.is_superuser or access.reads_nationally


def surveys_visible_to(person: Any) -> QuerySet[Survey]:
    """Surveys whose internal pages (responses, live figures, plans) the person may read."""
    access = access_for(person)
    base = Survey.objects.select_related("unit", "institution")
    if _reads_all(access):
        return base
    institutions = access.institutions_with(*READER_ROLES)
    units = access.operator_unit_ids
    if not institutions and not units:
        return base.none()
    return base.filter(Q(institution_id__in=institutions) | Q(unit_id__in=units))


def surveys_run_by(person: Any) -> QuerySet[Survey]:
    """Surveys the person may run (every write of the survey and its follow-up plan)."""
    access = access_for(person)
    base = Survey.objects.select_related("unit", "institution")
    if runs_all(access):
        return base
    institutions = access.admin_institution_ids
    units = access.operator_unit_ids
    if not institutions and not units:
        return base.none()
    return base.filter(Q(institution_id__in=institutions) | Q(unit_id__in=units))


def units_run_by(person: Any) -> QuerySet[ServiceUnit]:
    """Units for which the person may create surveys and issue one-time codes."""
    access = access_for(person)
    base = ServiceUnit.objects.filter(is_active=True).select_related("institution")
    if runs_all(access):
        return base
    institutions = access.admin_institution_ids
    units = access.operator_unit_ids
    if not institutions and not units:
        return base.none()
    return base.filter(Q(institution_id__in=institutions) | Q(pk__in=units))


def published_surveys() -> QuerySet[Survey]:
    """Results anyone may read (public pages, open data)."""
    return Survey.objects.filter(state=SurveyState.PUBLISHED).select_related("unit", "institution")


__all__ = [
    "may_run_survey",
    "may_run_unit",
    "published_surveys",
    "surveys_run_by",
    "surveys_visible_to",
    "units_run_by",
]
