"""The secretariat's desk score table of a PKRI edition, per group (pkri.md §7.1; kipp.md §10.2).

One row per form in review or evaluated: each evaluator's total, the mean (official
rounding), the spread and the disagreement flag (spread above the edition's range, 15),
the consolidated score when one was recorded and the desk score stored on the form. The
page, its CSV/XLSX export and the API read the same rows, so an export holds exactly
what the page shows. The number of queries does not depend on the number of rows.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from prima.core.enums import InstitutionKind
from prima.evaluation.domain.results import SubjectResult, stage_results
from prima.evaluation.domain.scoring import official
from prima.evaluation.models import Appointment, Edition, Stage
from prima.pkri.domain.desk import GROUP_OF_KIND
from prima.pkri.enums import FormState
from prima.pkri.models import SelfAssessment

TABLE_STATES = (FormState.DESK_REVIEW, FormState.DESK_EVALUATED)
KIND_OF_GROUP: dict[str, str] = {str(group): str(kind) for kind, group in GROUP_OF_KIND.items()}


@dataclass(frozen=True)
class EvaluatorTotal:
    name: str
    total: Decimal


@dataclass(frozen=True)
class ScoreRow:
    form_id: int
    subject_id: int
    title: str
    institution: str
    institution_kind: str
    state: str
    totals: tuple[EvaluatorTotal, ...]
    assigned: int
    finalised: int
    mean: Decimal | None
    spread: Decimal | None
    disagreement: bool
    consolidated: Decimal | None
    desk_score: Decimal | None
    # Still in desk review: a consolidated score may be recorded (kipp.md §10.3).
    in_review: bool = False

    def cells(self) -> list[Any]:
        return [
            self.form_id,
            self.title,
            self.institution,
            self.institution_kind,
            self.state,
            "; ".join(f"{t.name}: {t.total}" for t in self.totals),
            f"{self.finalised}/{self.assigned}",
            self.mean,
            self.spread,
            self.disagreement,
            self.consolidated,
            self.desk_score,
        ]


def score_header() -> list[str]:
    return [
        _("No. formulir"),
        _("Judul"),
        _("Instansi"),
        _("Jenis instansi"),
        _("Status"),
        _("Nilai per penilai"),
        _("Lembar final"),
        _("Rata-rata"),
        _("Selisih"),
        _("Selisih besar"),
        _("Nilai konsolidasi"),
        _("Nilai dokumen"),
    ]


def score_rows(
    stage: Stage, group: str, *, form_ids: Collection[int] | None = None
) -> list[ScoreRow]:
    """The group's forms in review or evaluated (only ``form_ids`` when given),
    disagreements first, then by mean."""
    edition: Edition = stage.edition
    queryset = SelfAssessment.objects.filter(
        edition=edition,
        kind=KIND_OF_GROUP[group],
        state__in=TABLE_STATES,
        subject__isnull=False,
    )
    if form_ids is not None:
        queryset = queryset.filter(pk__in=form_ids)
    forms = list(queryset.select_related("subject", "locus__institution").order_by("pk"))
    if not forms:
        return []
    results: dict[int, SubjectResult] = {
        r.subject_id: r
        for r in stage_results(stage, subjects=[f.subject for f in forms if f.subject is not None])
    }
    names = {
        pk: full or user
        for pk, full, user in Appointment.objects.filter(edition=edition).values_list(
            "pk", "person__full_name", "person__username"
        )
    }
    kinds = dict(InstitutionKind.choices)
    states = dict(FormState.choices)
    rows: list[ScoreRow] = []
    for form in forms:
        assert form.subject is not None
        result = results.get(form.subject.pk)
        totals = (
            tuple(
                EvaluatorTotal(names.get(a, f"#{a}"), official(total))
                for a, total in sorted(result.totals.items())
            )
            if result is not None
            else ()
        )
        institution = form.locus.institution
        rows.append(
            ScoreRow(
                form_id=form.pk,
                subject_id=form.subject.pk,
                title=form.subject.title,
                institution=institution.name,
                institution_kind=str(kinds.get(institution.kind, institution.kind)),
                state=str(states.get(form.state, form.state)),
                totals=totals,
                assigned=result.assigned if result else 0,
                finalised=result.finalised if result else 0,
                mean=result.official if result else None,
                spread=official(result.spread) if result and result.spread is not None else None,
                disagreement=bool(result and result.disagreement),
                consolidated=result.consolidated if result else None,
                desk_score=form.desk_score,
                in_review=form.state == FormState.DESK_REVIEW,
            )
        )
    rows.sort(
        key=lambda r: (
            not r.disagreement,
            -(r.mean if r.mean is not None else Decimal(-1)),
            r.form_id,
        )
    )
    return rows


def group_counts(rows: Sequence[ScoreRow]) -> dict[str, int]:
    return {
        "forms": len(rows),
        "flagged": sum(1 for r in rows if r.disagreement),
        "complete": sum(1 for r in rows if r.assigned and r.finalised >= r.assigned),
    }
