"""The secretariat's evaluation desk for an edition (kipp.md §10, §11, §13): the hub with
review progress per stage, reminders, and the helpers every evaluation page shares.

The pages of this area are split by topic: `evaluation_people` (appointments, conflicts),
`evaluation_runs` (assignment runs), `evaluation_scores` (score tables, consolidation,
corrections) and `evaluation_decisions` (selections, nomination, finalists, winners).

Access: the secretariat acts; national readers (analysts, viewers) read; nobody holding an
appointment in the edition reaches any of it (an evaluator never sees other reviewers,
conflicts or scores here), so they get 403 like everyone else.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.core.domain.errors import DomainError
from prima.core.interfaces.export import table_response
from prima.evaluation.enums import StageStatus
from prima.evaluation.models import AssignmentRun, Edition, Stage
from prima.kipp.domain.decisions import (
    DESK,
    REVIEW_ENTRY,
    REVIEW_STAGES,
    STAGE_CANDIDATES,
    may_act,
    may_read_evaluation,
    stage_deadline,
    start_desk_review,
    start_panel_review,
)
from prima.kipp.interfaces.score_tables import progress_header, progress_rows, progress_total
from prima.kipp.jobs import start_assessor_reminders
from prima.kipp.models import Proposal

EXPORT_FORMATS = ("csv", "xlsx")


# --------------------------------------------------------------------------- access


def is_secretariat(request: HttpRequest) -> bool:
    return may_act(request.user)


def require_reader(request: HttpRequest, edition: Edition) -> bool:
    """National readers of an edition they do not assess; returns whether they may act."""
    if not may_read_evaluation(request.user, edition):
        raise PermissionDenied
    return may_act(request.user)


def require_secretariat(request: HttpRequest) -> None:
    if not is_secretariat(request):
        raise PermissionDenied


def kipp_edition(code: str) -> Edition:
    return get_object_or_404(
        Edition.objects.select_related("instrument"), code=code, programme="kipp"
    )


def reader_edition(request: HttpRequest, code: str) -> tuple[Edition, bool]:
    """The edition and whether the person may act (secretariat) — or 403."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    edition = kipp_edition(code)
    return edition, require_reader(request, edition)


def secretariat_edition(request: HttpRequest, code: str) -> Edition:
    require_secretariat(request)
    return kipp_edition(code)


def stage_for(edition: Edition, code: str) -> Stage:
    """One of the edition's review stages by code (404 when unknown or skipped)."""
    if code not in REVIEW_STAGES:
        raise Http404
    stage = (
        Stage.objects.select_related("edition__instrument")
        .filter(edition=edition, code=code)
        .exclude(status=StageStatus.SKIPPED)
        .first()
    )
    if stage is None:
        raise Http404
    return stage


def review_stages(edition: Edition) -> list[Stage]:
    return list(
        Stage.objects.filter(edition=edition, code__in=REVIEW_STAGES)
        .exclude(status=StageStatus.SKIPPED)
        .order_by("position")
    )


def add_error(form: forms.Form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def export_format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return fmt


def base_context(edition: Edition, can_act: bool, **extra: Any) -> dict[str, Any]:
    return {"edition": edition, "can_act": can_act, "stages": review_stages(edition), **extra}


# --------------------------------------------------------------------------- hub


@login_required
def kipp_evaluation_hub(request: HttpRequest, code: str) -> HttpResponse:
    """Review progress of one stage: overall and per assessor, with what to do next."""
    edition, can_act = reader_edition(request, code)
    stages = review_stages(edition)
    wanted = request.GET.get("tahap", "")
    current = next((s for s in stages if s.code == wanted), None)
    if current is None:
        current = next((s for s in stages if s.status == StageStatus.OPEN), None) or (
            stages[0] if stages else None
        )
    rows = progress_rows(current) if current else []
    deployed = (
        AssignmentRun.objects.filter(stage=current, deployed_at__isnull=False)
        .defer("pairs")
        .first()
        if current
        else None
    )
    waiting = 0
    if current is not None and current.code in REVIEW_ENTRY:
        waiting = Proposal.objects.filter(
            edition=edition, state=REVIEW_ENTRY[current.code][0]
        ).count()
    candidates = (
        Proposal.objects.filter(edition=edition, state__in=STAGE_CANDIDATES[current.code]).count()
        if current
        else 0
    )
    total = progress_total(rows)
    done = total.get("final", 0) + total.get("excused", 0)
    return render(
        request,
        "kipp/evaluation/hub.html",
        base_context(
            edition,
            can_act,
            stages=stages,
            stage=current,
            rows=rows,
            total=total,
            percent=round(100 * done / total["assigned"]) if total.get("assigned") else 0,
            deployed=deployed,
            deadline=stage_deadline(current) if current else None,
            waiting=waiting,
            candidates=candidates,
            can_start=current is not None and current.code in REVIEW_ENTRY,
        ),
    )


@login_required
def kipp_evaluation_progress_export(request: HttpRequest, code: str, stage: str) -> HttpResponse:
    edition, _can_act = reader_edition(request, code)
    chosen = stage_for(edition, stage)
    rows = progress_rows(chosen)
    return table_response(
        export_format(request),
        f"kemajuan-{edition.code}-{chosen.code}",
        progress_header(),
        [row.cells() for row in rows],
    )


@login_required
@require_POST
def kipp_evaluation_remind(request: HttpRequest, code: str) -> HttpResponse:
    """Secretariat button: e-mail assessors with unfinished sheets in the running stage
    (a job: one e-mail each, with its audit entry)."""
    edition = secretariat_edition(request, code)
    job = start_assessor_reminders(edition, actor=request.user)
    return redirect("job_detail", pk=job.pk)


@login_required
@require_POST
def kipp_evaluation_start_review(request: HttpRequest, code: str, stage: str) -> HttpResponse:
    """Let proposals with a deployed assignment into the stage's review (#7, #9)."""
    edition = secretariat_edition(request, code)
    chosen = stage_for(edition, stage)
    if chosen.code not in REVIEW_ENTRY:
        raise Http404
    start = start_desk_review if chosen.code == DESK else start_panel_review
    try:
        outcome = start(edition, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(n)s proposal masuk penilaian; %(w)s masih menunggu penugasan.")
            % {"n": outcome.moved, "w": len(outcome.waiting)},
        )
    return redirect(hub_url(edition, chosen.code))


def hub_url(edition: Edition, stage_code: str = "") -> str:
    url = reverse("kipp_evaluation_hub", args=[edition.code])
    return f"{url}?tahap={stage_code}" if stage_code else url
