"""Evaluation desk: single reviews and manual pins of a stage (kipp.md §8 #8, §10.1).

- *Penugasan berlaku*: every live assignment of a stage with its sheet state; the
  secretariat excuses one (with an optional replacement assessor) or undoes an excuse.
- *Pin*: the stage's pins (force / forbid) with who, when and why; the secretariat adds
  and removes them, and the next solver run follows them.

Writes go through `prima.evaluation.domain.reviews` and `runs`; reads follow the desk's
rule (`decisions.may_read_evaluation`): the secretariat and national readers who assess
nothing in the edition.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.core.domain.errors import DomainError
from prima.core.interfaces.listing import paginate
from prima.evaluation.domain.reviews import (
    excuse_assignment,
    replacement_candidates,
    restore_assignment,
)
from prima.evaluation.domain.runs import add_pin, remove_pin
from prima.evaluation.enums import StageStatus
from prima.evaluation.models import Assignment, Pin
from prima.kipp.interfaces.review_forms import (
    ExcuseForm,
    PinForm,
    live_assignments,
    search_subjects,
)
from prima.kipp.interfaces.sheet_forms import TODO_CONDITIONS, TODO_LABELS
from prima.kipp.views.evaluation import (
    add_error,
    base_context,
    reader_edition,
    require_secretariat,
    secretariat_edition,
    stage_for,
)


def _workable(stage: Any) -> bool:
    return stage.status in (StageStatus.PENDING, StageStatus.OPEN)


def _live_url(assignment: Assignment) -> str:
    stage = assignment.stage
    return reverse("kipp_review_assignments", args=[stage.edition.code, stage.code])


# --------------------------------------------------------------------------- live reviews


@login_required
def kipp_review_assignments(request: HttpRequest, code: str, stage: str) -> HttpResponse:
    """The stage's live assignments, filterable by status and by assessor or proposal."""
    edition, can_act = reader_edition(request, code)
    chosen = stage_for(edition, stage)
    qs = live_assignments(chosen).order_by(
        "subject__title", "subject_id", "appointment__person__full_name", "pk"
    )
    status = request.GET.get("status", "")
    if status in TODO_CONDITIONS:
        qs = qs.filter(TODO_CONDITIONS[status])
    q = request.GET.get("q", "").strip()
    if q:
        condition = (
            Q(subject__title__icontains=q)
            | Q(appointment__person__full_name__icontains=q)
            | Q(appointment__person__username__icontains=q)
        )
        if q.removeprefix("#").isdigit():
            condition |= Q(subject_id=int(q.removeprefix("#")))
        qs = qs.filter(condition)
    return render(
        request,
        "kipp/evaluation/live_assignments.html",
        base_context(
            edition,
            can_act,
            stage=chosen,
            page=paginate(request, qs),
            statuses=list(TODO_LABELS.items()),
            labels=TODO_LABELS,
            status=status,
            q=q,
            workable=_workable(chosen),
        ),
    )


def _assignment(pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related(
            "stage__edition__instrument", "subject", "appointment__person"
        ),
        pk=pk,
        stage__edition__programme="kipp",
    )


@login_required
def kipp_review_excuse(request: HttpRequest, pk: int) -> HttpResponse:
    """Excuse one review, with a reason and optionally a replacement assessor."""
    require_secretariat(request)
    assignment = _assignment(pk)
    candidates = replacement_candidates(assignment)
    form = ExcuseForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = excuse_assignment(
                assignment,
                reason=form.cleaned_data["reason"],
                replacement=form.cleaned_data["replacement"],
                actor=request.user,
            )
        except DomainError as error:
            add_error(form, error)
        else:
            text = _("Penilaian %(person)s atas «%(subject)s» dibebaskan.") % {
                "person": assignment.appointment.person,
                "subject": assignment.subject,
            }
            if outcome.replacement is not None:
                text += " " + _("%(person)s ditugaskan sebagai pengganti dan dipin.") % {
                    "person": outcome.replacement.appointment.person
                }
            messages.success(request, text)
            return redirect(_live_url(assignment))
    return render(
        request,
        "kipp/evaluation/excuse.html",
        base_context(
            assignment.stage.edition,
            True,
            stage=assignment.stage,
            assignment=assignment,
            form=form,
            back=_live_url(assignment),
        ),
    )


@login_required
@require_POST
def kipp_review_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo an excuse: the review is due again."""
    require_secretariat(request)
    assignment = _assignment(pk)
    try:
        restore_assignment(assignment, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Pembebasan penilaian %(person)s atas «%(subject)s» dibatalkan.")
            % {"person": assignment.appointment.person, "subject": assignment.subject},
        )
    return redirect(_live_url(assignment))


# --------------------------------------------------------------------------- pins


@login_required
def kipp_review_pins(request: HttpRequest, code: str, stage: str) -> HttpResponse:
    """The stage's pins: subject, assessor, kind, and who pinned when and why."""
    edition, can_act = reader_edition(request, code)
    chosen = stage_for(edition, stage)
    qs = (
        Pin.objects.filter(stage=chosen)
        .select_related("subject", "appointment__person", "created_by")
        .order_by("-created_at", "-pk")
    )
    kind = request.GET.get("jenis", "")
    if kind in dict(Pin._meta.get_field("kind").choices or ()):
        qs = qs.filter(kind=kind)
    return render(
        request,
        "kipp/evaluation/pins.html",
        base_context(
            edition,
            can_act,
            stage=chosen,
            page=paginate(request, qs),
            kinds=Pin._meta.get_field("kind").choices,
            kind=kind,
            workable=_workable(chosen),
        ),
    )


@login_required
def kipp_review_pin_add(request: HttpRequest, code: str, stage: str) -> HttpResponse:
    edition = secretariat_edition(request, code)
    chosen = stage_for(edition, stage)
    q = request.GET.get("q", "")
    form = PinForm(request.POST or None, stage=chosen, found=search_subjects(chosen, q))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            add_pin(
                chosen,
                data["subject"],
                data["appointment"],
                data["kind"],
                data["reason"],
                actor=request.user,
            )
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(
                request,
                _("Pin dicatat: %(person)s — «%(subject)s».")
                % {"person": data["appointment"].person, "subject": data["subject"]},
            )
            return redirect("kipp_review_pins", code=edition.code, stage=chosen.code)
    return render(
        request,
        "kipp/evaluation/pin_form.html",
        base_context(edition, True, stage=chosen, form=form, q=q),
    )


@login_required
@require_POST
def kipp_review_pin_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require_secretariat(request)
    pin = get_object_or_404(
        Pin.objects.select_related("stage__edition", "subject", "appointment__person"),
        pk=pk,
        stage__edition__programme="kipp",
    )
    try:
        remove_pin(pin, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Pin %(person)s — «%(subject)s» dihapus.")
            % {"person": pin.appointment.person, "subject": pin.subject},
        )
    return redirect("kipp_review_pins", code=pin.stage.edition.code, stage=pin.stage.code)
