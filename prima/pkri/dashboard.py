"""The PKRI panel on each person's dashboard: forms to fill in, sheets to score, editions
to run, for the editions the person may open (`editions_visible_to`). A fixed number of
queries whatever the number of forms."""

from __future__ import annotations

import functools
import operator
from typing import Any

from django.db.models import Count

from prima.core.access import access_for
from prima.evaluation.enums import AssessorRole, EditionState
from prima.evaluation.models import Appointment
from prima.pkri.enums import FormState
from prima.pkri.models import SelfAssessment
from prima.pkri.queries import editions_visible_to, forms_visible_to

FINISHED = (EditionState.PLANNED, EditionState.CLOSED)


def pkri_panel(person: Any) -> tuple[str, dict[str, Any]] | None:
    access = access_for(person)
    if not access.is_authenticated:
        return None
    editions = list(editions_visible_to(person).exclude(state__in=FINISHED).order_by("-year", "pk"))
    if not editions:
        return None
    panel: dict[str, Any] = {"editions": editions}
    if access.admin_institution_ids or access.operator_unit_ids:
        scoped = functools.reduce(
            operator.or_, [forms_visible_to(person, edition) for edition in editions]
        )
        states: dict[int, list[tuple[str, int]]] = {}
        for edition_id, state, n in (
            scoped.order_by()
            .values_list("edition_id", "state")
            .annotate(n=Count("id"))
            .order_by("edition_id", "state")
        ):
            states.setdefault(edition_id, []).append((str(FormState(state).label), n))
        panel["participant"] = [
            (edition, states[edition.pk]) for edition in editions if edition.pk in states
        ]
        panel["is_admin"] = bool(access.admin_institution_ids)
    if access.is_assessor:
        roles = set(
            Appointment.objects.filter(
                person=person, edition__in=editions, is_active=True
            ).values_list("role", flat=True)
        )
        panel["evaluator"] = AssessorRole.EVALUATOR in roles
        panel["panelist"] = bool(roles & {AssessorRole.PANELIST, AssessorRole.PANEL_CHAIR})
    if access.reads_nationally:
        submitted = dict(
            SelfAssessment.objects.filter(edition__in=editions, submitted_at__isnull=False)
            .values_list("edition")
            .annotate(n=Count("id"))
            .values_list("edition", "n")
        )
        panel["national"] = [(edition, submitted.get(edition.pk, 0)) for edition in editions]
    if not (
        panel.get("participant")
        or panel.get("evaluator")
        or panel.get("panelist")
        or "national" in panel
    ):
        return None
    return "pkri/dashboard_panel.html", panel
