"""Evaluation desk: assignment runs of a stage (kipp.md §10.1; OpenReview-style runs).

Runs are solved and stored by `prima.evaluation.domain.runs`; deploying goes through
`prima.kipp.domain.decisions.deploy_assignments`, which also lets the proposals into the
stage's review and e-mails each assessor their count and deadline.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.core.domain.errors import DomainError
from prima.core.interfaces.listing import paginate
from prima.evaluation.domain.runs import pin_deployed, stage_pools
from prima.evaluation.enums import RunStatus, StageStatus
from prima.evaluation.models import Appointment, Assignment, AssignmentRun, Pin, Subject
from prima.kipp.domain.decisions import deploy_assignments, stage_candidates
from prima.kipp.interfaces.evaluation_forms import ConfirmForm, ReasonForm, RunForm
from prima.kipp.jobs import start_assignment_run
from prima.kipp.views.evaluation import (
    add_error,
    base_context,
    reader_edition,
    require_reader,
    require_secretariat,
    secretariat_edition,
    stage_for,
)

SAMPLE = 20


def _workable(stage: Any) -> bool:
    return stage.status in (StageStatus.PENDING, StageStatus.OPEN)


@login_required
def kipp_evaluation_runs(request: HttpRequest, code: str, stage: str) -> HttpResponse:
    """The stage's runs (newest first) and, for the secretariat, the form to run one."""
    edition, can_act = reader_edition(request, code)
    chosen = stage_for(edition, stage)
    form = RunForm(request.POST or None)
    if request.method == "POST":
        require_secretariat(request)
        if form.is_valid():
            # The solver may take minutes on a national edition: it runs as a job and
            # the job page links to the stored run.
            try:
                job = start_assignment_run(
                    chosen,
                    actor=request.user,
                    label=form.cleaned_data["label"],
                    parameters=form.parameters(),
                )
            except DomainError as error:
                add_error(form, error)
            else:
                return redirect("job_detail", pk=job.pk)
    runs = (
        AssignmentRun.objects.filter(stage=chosen)
        .defer("pairs")
        .select_related("created_by", "deployed_by")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "kipp/evaluation/runs.html",
        base_context(
            edition,
            can_act,
            stage=chosen,
            page=paginate(request, runs),
            form=form,
            workable=_workable(chosen),
            candidates=stage_candidates(chosen).count(),
            live=Assignment.objects.filter(stage=chosen).count(),
            pins=Pin.objects.filter(stage=chosen).count(),
            pooled=stage_pools(chosen) is not None,
        ),
    )


def _run(request: HttpRequest, pk: int) -> tuple[AssignmentRun, bool]:
    run = get_object_or_404(
        AssignmentRun.objects.select_related("stage__edition", "created_by", "deployed_by"),
        pk=pk,
        stage__edition__programme="kipp",
    )
    if not request.user.is_authenticated:
        raise Http404
    return run, require_reader(request, run.stage.edition)


def _pairs(run: AssignmentRun) -> set[tuple[int, int]]:
    return {(int(s), int(a)) for s, a, _value in run.pairs}


def load_histogram(run: AssignmentRun) -> list[tuple[int, int]]:
    """(load, number of assessors with that load), including assessors given nothing."""
    loads = Counter(int(a) for _s, a, _v in run.pairs)
    histogram = Counter(loads.values())
    idle = max(run.assessor_count - len(loads), 0)
    if idle:
        histogram[0] += idle
    return sorted(histogram.items())


@login_required
def kipp_evaluation_run(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's outcome: diagnosis, load histogram, a sample of pairs, comparison with another."""
    run, can_act = _run(request, pk)
    edition = run.stage.edition
    sample = run.pairs[:SAMPLE]
    subjects = dict(
        Subject.objects.filter(pk__in={int(s) for s, _a, _v in sample}).values_list("pk", "title")
    )
    names = {
        pk: full or user
        for pk, full, user in Appointment.objects.filter(
            pk__in={int(a) for _s, a, _v in sample}
        ).values_list("pk", "person__full_name", "person__username")
    }
    others = (
        AssignmentRun.objects.filter(stage=run.stage, status=RunStatus.OPTIMAL)
        .exclude(pk=run.pk)
        .defer("pairs")
        .order_by("-created_at")
    )
    comparison: dict[str, Any] | None = None
    other_pk = request.GET.get("banding", "")
    if other_pk.isdigit():
        other = AssignmentRun.objects.filter(stage=run.stage, pk=int(other_pk)).first()
        if other is not None:
            mine, theirs = _pairs(run), _pairs(other)
            changed_subjects = {s for s, _a in mine ^ theirs}
            comparison = {
                "other": other,
                "added": len(mine - theirs),
                "removed": len(theirs - mine),
                "kept": len(mine & theirs),
                "subjects_changed": len(changed_subjects),
                "objective_delta": (
                    (run.objective or 0) - (other.objective or 0)
                    if run.objective is not None and other.objective is not None
                    else None
                ),
            }
    return render(
        request,
        "kipp/evaluation/run_detail.html",
        base_context(
            edition,
            can_act,
            run=run,
            stage=run.stage,
            histogram=load_histogram(run),
            pair_count=len(run.pairs),
            sample=[
                (subjects.get(int(s), f"#{s}"), names.get(int(a), f"#{a}"), value)
                for s, a, value in sample
            ],
            others=others,
            comparison=comparison,
            workable=_workable(run.stage),
        ),
    )


@login_required
def kipp_evaluation_run_deploy(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then make the run the stage's live assignments."""
    require_secretariat(request)
    run, _can_act = _run(request, pk)
    stage = run.stage
    live = set(Assignment.objects.filter(stage=stage).values_list("subject_id", "appointment_id"))
    scored = set(
        Assignment.objects.filter(stage=stage, sheet__isnull=False).values_list(
            "subject_id", "appointment_id"
        )
    )
    wanted = _pairs(run)
    preview = {
        "create": len(wanted - live),
        "remove": len(live - wanted - scored),
        "keep_scored": len(live & scored - wanted),
        "unchanged": len(live & wanted),
    }
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = deploy_assignments(run, actor=request.user)
        except DomainError as error:
            add_error(form, error)
        else:
            text = _(
                "Penugasan diterapkan: %(c)s baru, %(r)s dihapus, %(u)s tetap; "
                "%(n)s penilai diberi tahu lewat surel."
            ) % {
                "c": outcome.report.created,
                "r": outcome.report.removed,
                "u": outcome.report.unchanged,
                "n": outcome.notified,
            }
            if outcome.review is not None:
                text += " " + _("%(m)s proposal masuk penilaian.") % {"m": outcome.review.moved}
            messages.success(request, text)
            return redirect("kipp_evaluation_runs", code=stage.edition.code, stage=stage.code)
    return render(
        request,
        "kipp/evaluation/run_deploy.html",
        base_context(stage.edition, True, run=run, stage=stage, preview=preview, form=form),
    )


@login_required
@require_POST
def kipp_evaluation_pin_deployed(request: HttpRequest, code: str, stage: str) -> HttpResponse:
    """Force-pin every live assignment so the next run keeps it."""
    edition = secretariat_edition(request, code)
    chosen = stage_for(edition, stage)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        created = pin_deployed(chosen, actor=request.user, reason=reason)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(n)s pasangan dipin.") % {"n": created})
    return redirect("kipp_evaluation_runs", code=edition.code, stage=chosen.code)
