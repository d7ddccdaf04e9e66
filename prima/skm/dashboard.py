"""The SKM panel on each person's dashboard: their surveys per state, the ones waiting for
an action, and the units of their scope without a calculated survey last year (skm.md §4).
A fixed number of queries whatever the number of surveys."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from prima.core.access import access_for
from prima.skm.domain.surveys import (
    last_ended_year,
    reads_surveys,
    uncovered_units,
    units_readable_by,
)
from prima.skm.enums import SurveyState
from prima.skm.queries import surveys_run_by, surveys_visible_to

# States in which the people running a survey have something to do.
WAITING = (SurveyState.PLANNED, SurveyState.COLLECTING, SurveyState.CLOSED, SurveyState.CALCULATED)
SHOWN = 5


def skm_panel(person: Any) -> tuple[str, dict[str, Any]] | None:
    access = access_for(person)
    if not access.is_authenticated or not reads_surveys(person):
        return None
    counts = dict(
        surveys_visible_to(person)
        .order_by()
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    runs = (
        access.is_superuser
        or access.is_secretariat
        or bool(access.admin_institution_ids or access.operator_unit_ids)
    )
    waiting = []
    if runs and not access.is_secretariat:
        waiting = list(
            surveys_run_by(person)
            .filter(state__in=WAITING)
            .order_by("period_end", "unit__name", "pk")[:SHOWN]
        )
    year = last_ended_year()
    return "skm/surveys/dashboard_panel.html", {
        "states": [(state.label, counts.get(state.value, 0)) for state in SurveyState],
        "total": sum(counts.values()),
        "waiting": waiting,
        "runs": runs,
        "year": year,
        "uncovered": uncovered_units(year, units=units_readable_by(person)).count(),
    }
