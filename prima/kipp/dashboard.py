"""The KIPP panel on each person's dashboard: what is waiting for them in running editions."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from prima.core.access import access_for
from prima.evaluation.enums import EditionState, SheetStatus
from prima.evaluation.models import Appointment, Edition, ScoreSheet
from prima.evaluation.queries import assignments_for_assessor
from prima.kipp.enums import ProposalState
from prima.kipp.models import Proposal
from prima.kipp.queries import participant_condition, scoring_stage

FINISHED = (EditionState.PLANNED, EditionState.CLOSED)


def kipp_panel(person: Any) -> tuple[str, dict[str, Any]] | None:
    access = access_for(person)
    if not access.is_authenticated:
        return None
    editions = list(Edition.objects.filter(programme="kipp").exclude(state__in=FINISHED))
    if not editions:
        return None
    panel: dict[str, Any] = {"editions": editions}
    condition = participant_condition(person)
    if condition is not None:
        counts = (
            Proposal.objects.filter(condition, edition__in=editions)
            .values("participant_state")
            .annotate(n=Count("id"))
            .order_by("participant_state")
        )
        panel["participant"] = [
            (ProposalState(row["participant_state"]).label, row["n"]) for row in counts
        ]
    if access.is_assessor:
        tasks: list[dict[str, Any]] = []
        for appointment in Appointment.objects.filter(
            person=person, edition__in=editions, is_active=True
        ).select_related("edition"):
            stage = scoring_stage(appointment.edition)
            if stage is None:
                tasks.append({"appointment": appointment, "stage": None})
                continue
            # Excused reviews are no longer the assessor's to do.
            assigned = assignments_for_assessor(appointment, stage).filter(is_excused=False)
            final = ScoreSheet.objects.filter(
                assignment__in=assigned, status=SheetStatus.FINAL
            ).count()
            tasks.append(
                {
                    "appointment": appointment,
                    "stage": stage,
                    "assigned": assigned.count(),
                    "final": final,
                }
            )
        panel["assessor"] = tasks
    if access.reads_nationally:
        totals = dict(
            Proposal.objects.filter(edition__in=editions)
            .values_list("edition")
            .annotate(n=Count("id"))
            .values_list("edition", "n")
        )
        panel["national"] = [(edition, totals.get(edition.pk, 0)) for edition in editions]
    if len(panel) == 1:
        return None
    return "kipp/dashboard_panel.html", panel
