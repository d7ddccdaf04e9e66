"""The PKRI desk-evaluation solver run as a background job (DESIGN.md §6), like KIPP's.

The run goes through the engine's `run_assignment` over the edition's forms in review,
with k = the rules' `assessors_per_form`. Imported by `prima.pkri.views.desk` (and by the
app config) so the kind is registered wherever jobs run.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from prima.core.domain.errors import DomainError
from prima.core.domain.jobs import Progress, job_actor, job_kind, outcome, start_job
from prima.core.models import Job
from prima.evaluation.domain.runs import check_run_request, run_assignment
from prima.evaluation.enums import RunStatus
from prima.evaluation.models import Stage, Subject
from prima.pkri.domain.config import rules_of
from prima.pkri.domain.desk import SUBJECT_KIND
from prima.pkri.enums import FormState

DESK_RUN = "pkri.desk.run"


def desk_subjects(stage: Stage) -> QuerySet[Subject]:
    """The subjects the desk solver assigns: the edition's PKRI forms in desk review."""
    return Subject.objects.filter(
        edition_id=stage.edition_id,
        kind=SUBJECT_KIND,
        is_active=True,
        pkri_form__state=FormState.DESK_REVIEW,
    )


def run_parameters(stage: Stage) -> dict[str, Any]:
    """k = assessors_per_form of the edition's rules (2 in 2024)."""
    return {"demand": rules_of(stage.edition.rules).assessors_per_form}


def start_desk_run(stage: Stage, *, actor: Any, label: str) -> Job:
    """Queue the desk solver run (refused at once when it could not start)."""
    parameters = run_parameters(stage)
    label = check_run_request(stage, actor=actor, label=label, parameters=parameters)
    return start_job(
        kind=DESK_RUN,
        title=_("Penugasan «%(label)s» — penilaian dokumen %(edition)s")
        % {"label": label, "edition": stage.edition.code},
        params={"stage": stage.pk, "label": label},
        actor=actor,
        back_url=reverse("pkri_desk", args=[stage.edition.code]),
    )


@job_kind(DESK_RUN)
def run_desk_job(job: Job, progress: Progress) -> dict[str, Any]:
    stage = (
        Stage.objects.select_related("edition__instrument")
        .filter(pk=job.params.get("stage"), edition__programme="pkri")
        .first()
    )
    if stage is None:
        raise DomainError(_("Tahap penilaian pekerjaan ini sudah tidak ada."))
    run = run_assignment(
        stage,
        actor=job_actor(job),
        label=str(job.params.get("label") or ""),
        parameters=run_parameters(stage),
        subjects=desk_subjects(stage),
        progress=progress,
    )
    if run.status == RunStatus.OPTIMAL:
        summary = _("Proses «%s» selesai: optimal. Terapkan dari halaman penilaian.") % run.label
    else:
        summary = _("Proses «%s» tidak layak; lihat diagnosisnya.") % run.label
    return outcome(
        summary,
        url=reverse("pkri_desk", args=[stage.edition.code]),
        link=_("Kembali ke penilaian dokumen"),
        counts=[
            (_("Formulir"), run.subject_count),
            (_("Penilai"), run.assessor_count),
            (_("Pasangan formulir–penilai"), len(run.pairs)),
        ],
        run=run.pk,
        status=run.status,
    )
