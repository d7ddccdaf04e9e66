"""PKRI desk evaluation pages (pkri.md §7.1; the engine of kipp.md §10).

Secretariat: `/pkri/{kode}/penilaian/` (start, appoint evaluators, solver runs, deploy,
close), `/pkri/{kode}/penilaian/nilai/` (score table per group with CSV/XLSX export) and
`/pkri/{kode}/penilaian/nilai/{form_id}/konsolidasi/` (the consolidated score of a form,
kipp.md §10.3).
National readers who assess nothing in the edition may read both; evaluators never.

Evaluators: `/pkri/penilai/` (to-do across PKRI editions), `/pkri/penilai/{kode}/kesiapan/`
(code of conduct and conflict declaration) and `/pkri/penilai/lembar/{id}/` (the sheet).
Assignments are read only through the engine's scoping helpers: a conflicted or
unassigned form answers 404. Every write goes through the domain.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from prima.core.domain.errors import DomainError
from prima.core.interfaces.export import table_response
from prima.core.interfaces.listing import paginate
from prima.core.models import Person
from prima.evaluation.domain.appointments import (
    accept_code_of_conduct,
    appoint_assessor,
    declare_conflicts,
)
from prima.evaluation.domain.results import MIN_JUSTIFICATION
from prima.evaluation.domain.runs import deploy_run
from prima.evaluation.enums import AssessorRole, EditionState, SheetStatus, StageStatus
from prima.evaluation.models import (
    Appointment,
    Assignment,
    AssignmentRun,
    Consolidation,
    Edition,
)
from prima.evaluation.queries import appointment_for
from prima.kipp.domain.decisions import may_act, may_read_evaluation
from prima.kipp.interfaces.evaluation_forms import (
    AppointForm,
    ConsolidationForm,
    search_people,
)
from prima.kipp.interfaces.sheet_forms import (
    AcceptCodeForm,
    ConflictFormSet,
    ConflictNoneForm,
    GateClosed,
    assessor_assignment,
    is_assessor,
)
from prima.pkri import desk_jobs
from prima.pkri.domain.answers import frozen_answers
from prima.pkri.domain.desk import (
    GROUP_OF_KIND,
    close_desk_evaluation,
    consolidate_desk_score,
    desk_stage,
    record_levels,
    start_desk_evaluation,
)
from prima.pkri.enums import FormState, Group
from prima.pkri.interfaces.desk_scores import (
    TABLE_STATES,
    group_counts,
    score_header,
    score_rows,
)
from prima.pkri.interfaces.desk_sheets import (
    FILE_KEYS,
    TODO_LABELS,
    desk_assignment,
    sheet_view,
    todo_queryset,
)
from prima.pkri.models import FormEvidence, SelfAssessment
from prima.pkri.views.forms import serve_evidence

EXPORT_FORMATS = ("csv", "xlsx")
LEVEL_PREFIX = "level_"
COMMENT_PREFIX = "comment_"


# --------------------------------------------------------------------------- access


def _edition(code: str) -> Edition:
    return get_object_or_404(
        Edition.objects.select_related("instrument"), code=code, programme="pkri"
    )


def _reader_edition(request: HttpRequest, code: str) -> tuple[Edition, bool]:
    """The edition and whether the person may act (secretariat), or 403."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    edition = _edition(code)
    if not may_read_evaluation(request.user, edition):
        raise PermissionDenied
    return edition, may_act(request.user)


def _add_error(form: forms.Form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


class RunLabelForm(forms.Form):
    label = forms.CharField(label=_("Label proses"), max_length=120)


# --------------------------------------------------------------------------- secretariat


def _appoint_form(request: HttpRequest, edition: Edition) -> AppointForm:
    q = request.GET.get("q", "")
    data = request.POST if request.POST.get("action") == "appoint" else None
    form = AppointForm(data, edition=edition, people=search_people(q))
    form.fields.pop("categories", None)
    form.fields["role"].initial = AssessorRole.EVALUATOR
    return form


def _act(request: HttpRequest, edition: Edition, appoint: AppointForm) -> HttpResponse | None:
    """Run the POSTed action; a response when done, None to re-render with errors."""
    action = request.POST.get("action", "")
    actor = request.user
    try:
        if action == "start":
            started = start_desk_evaluation(edition, actor=actor)
            messages.success(
                request,
                _("Penilaian dokumen dimulai: %(n)s formulir masuk penilaian.")
                % {"n": started.forms},
            )
            if started.without_suggestions:
                messages.warning(
                    request,
                    _("%(n)s formulir tanpa saran level (isiannya tidak terbaca): %(ids)s.")
                    % {
                        "n": len(started.without_suggestions),
                        "ids": ", ".join(f"#{pk}" for pk in started.without_suggestions),
                    },
                )
        elif action == "appoint":
            if not appoint.is_valid():
                return None
            data = appoint.cleaned_data
            appointment = appoint_assessor(
                edition,
                data["person"],
                data["role"],
                affiliation=data["affiliation"],
                past_institutions=data["past_institutions"],
                home_province=data["home_province"],
                university=data["university"],
                expertise=data["expertise"],
                min_load=data["min_load"],
                max_load=data["max_load"],
                actor=actor,
            )
            messages.success(
                request,
                _("%(person)s ditunjuk sebagai %(role)s.")
                % {"person": appointment.person, "role": appointment.get_role_display()},
            )
        elif action == "run":
            label_form = RunLabelForm(request.POST)
            label = label_form.cleaned_data["label"] if label_form.is_valid() else ""
            job = desk_jobs.start_desk_run(desk_stage(edition), actor=actor, label=label)
            return redirect("job_detail", pk=job.pk)
        elif action == "deploy":
            run = get_object_or_404(
                AssignmentRun, pk=request.POST.get("run", "0") or 0, stage__edition=edition
            )
            report = deploy_run(run, actor=actor)
            messages.success(
                request,
                _("Proses «%(label)s» diterapkan: %(created)s penugasan baru, %(removed)s dihapus.")
                % {"label": run.label, "created": report.created, "removed": report.removed},
            )
        elif action == "close":
            closed = close_desk_evaluation(edition, actor=actor)
            messages.success(
                request,
                _("Penilaian dokumen ditutup: %(n)s formulir memperoleh nilai dokumen.")
                % {"n": closed.forms},
            )
        else:
            raise Http404
    except DomainError as error:
        if action == "appoint":
            _add_error(appoint, error)
            return None
        messages.error(request, error.message)
    return redirect("pkri_desk", code=edition.code)


@login_required
def pkri_desk(request: HttpRequest, code: str) -> HttpResponse:
    """The desk evaluation of an edition: forms in review, evaluators, runs, progress."""
    edition, can_act = _reader_edition(request, code)
    appoint = _appoint_form(request, edition)
    if request.method == "POST":
        if not can_act:
            raise PermissionDenied
        response = _act(request, edition, appoint)
        if response is not None:
            return response
    stage = desk_stage(edition)
    counts = dict(
        SelfAssessment.objects.filter(edition=edition)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    appointments = (
        Appointment.objects.filter(edition=edition)
        .select_related("person", "affiliation")
        .annotate(
            load=Count("assignments", filter=Q(assignments__stage=stage)),
            final=Count(
                "assignments",
                filter=Q(assignments__stage=stage, assignments__sheet__status=SheetStatus.FINAL),
            ),
        )
        .order_by("-is_active", "role", "person__full_name", "pk")
    )
    runs = (
        AssignmentRun.objects.filter(stage=stage)
        .defer("pairs")
        .select_related("created_by", "deployed_by")
        .order_by("-created_at", "-pk")
    )
    live = Assignment.objects.filter(stage=stage).aggregate(
        total=Count("pk", filter=Q(is_excused=False)),
        final=Count("pk", filter=Q(is_excused=False, sheet__status=SheetStatus.FINAL)),
    )
    return render(
        request,
        "pkri/desk/desk.html",
        {
            "edition": edition,
            "can_act": can_act,
            "stage": stage,
            "states": [(label, counts.get(value, 0)) for value, label in FormState.choices],
            "in_review": counts.get(FormState.DESK_REVIEW, 0),
            "evaluated": counts.get(FormState.DESK_EVALUATED, 0),
            "may_start": edition.state == EditionState.FORMS_CLOSED,
            "running": stage.status == StageStatus.OPEN,
            "appointments": appointments,
            "appoint": appoint,
            "q": request.GET.get("q", ""),
            "runs": paginate(request, runs),
            "live": live,
            "demand": desk_jobs.run_parameters(stage)["demand"],
        },
    )


def _group(request: HttpRequest) -> str:
    group = request.GET.get("kelompok", Group.KEBERLANJUTAN)
    if group not in Group.values:
        raise Http404
    return group


@login_required
def pkri_desk_scores(request: HttpRequest, code: str) -> HttpResponse:
    """Per group: each evaluator's total, mean, spread and disagreement flag; the export
    (`?format=csv|xlsx`) holds exactly the rows shown."""
    edition, can_act = _reader_edition(request, code)
    group = _group(request)
    stage = desk_stage(edition)
    rows = score_rows(stage, group)
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        return table_response(
            fmt,
            f"nilai-dokumen-{edition.code}-{group}",
            score_header(),
            [row.cells() for row in rows],
        )
    return render(
        request,
        "pkri/desk/scores.html",
        {
            "edition": edition,
            "can_act": can_act,
            "group": group,
            "groups": Group.choices,
            "header": score_header(),
            "rows": rows,
            "counts": group_counts(rows),
            "range": edition.rules.get("desk_evaluation", {}).get("disagreement_range", 15),
            "may_consolidate": can_act
            and stage.status == StageStatus.OPEN
            and stage.decisions_open,
            "min_justification": MIN_JUSTIFICATION,
        },
    )


@login_required
def pkri_desk_consolidate(request: HttpRequest, code: str, form_id: int) -> HttpResponse:
    """Record the team's consolidated desk score of one form (kipp.md §10.3): the score
    replaces the mean when the desk evaluation is closed; the sheets stay as they are.
    Secretariat only; the page shows the evaluators' totals beside the form."""
    edition, can_act = _reader_edition(request, code)
    if not can_act:
        raise PermissionDenied
    entry = get_object_or_404(
        SelfAssessment.objects.select_related("subject"),
        pk=form_id,
        edition=edition,
        state__in=TABLE_STATES,
        subject__isnull=False,
    )
    assert entry.subject is not None  # filtered above
    stage = desk_stage(edition)
    group = GROUP_OF_KIND[entry.kind]
    existing = (
        Consolidation.objects.filter(stage=stage, subject=entry.subject)
        .select_related("created_by")
        .first()
    )
    initial = (
        {
            "score": existing.score,
            "justification": existing.justification,
            "attendees": existing.attendees,
            "minutes_ref": existing.minutes_ref,
        }
        if existing is not None
        else None
    )
    form = ConsolidationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consolidate_desk_score(
                entry,
                score=data["score"],
                justification=data["justification"],
                attendees=data["attendees"],
                minutes_ref=data["minutes_ref"],
                actor=request.user,
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("Nilai konsolidasi formulir #%(form)s tersimpan.") % {"form": entry.pk},
            )
            return redirect(reverse("pkri_desk_scores", args=[edition.code]) + f"?kelompok={group}")
    rows = score_rows(stage, group, form_ids=[entry.pk])
    return render(
        request,
        "pkri/desk/consolidate.html",
        {
            "edition": edition,
            "entry": entry,
            "group": group,
            "row": rows[0] if rows else None,
            "existing": existing,
            "form": form,
            "open": stage.status == StageStatus.OPEN
            and stage.decisions_open
            and entry.state == FormState.DESK_REVIEW,
            "range": edition.rules.get("desk_evaluation", {}).get("disagreement_range", 15),
        },
    )


# --------------------------------------------------------------------------- evaluators


def _evaluator(request: HttpRequest) -> Person:
    user = request.user
    assert isinstance(user, Person)
    if not is_assessor(user):
        raise PermissionDenied
    return user


@login_required
def pkri_evaluator_todo(request: HttpRequest) -> HttpResponse:
    """The evaluator's PKRI desk assignments across editions, and steps still open."""
    person = _evaluator(request)
    pending = (
        Appointment.objects.filter(person=person, is_active=True, edition__programme="pkri")
        .filter(Q(code_of_conduct_accepted_at__isnull=True) | Q(conflicts_declared_at__isnull=True))
        .select_related("edition")
    )
    queryset = todo_queryset(person)
    progress = queryset.aggregate(
        total=Count("pk", filter=Q(is_excused=False)),
        final=Count("pk", filter=Q(is_excused=False, sheet__status=SheetStatus.FINAL)),
    )
    return render(
        request,
        "pkri/desk/todo.html",
        {
            "page": paginate(request, queryset),
            "pending": pending,
            "labels": TODO_LABELS,
            "progress": progress,
        },
    )


@login_required
def pkri_evaluator_ready(request: HttpRequest, code: str) -> HttpResponse:
    """Accept the code of conduct and declare conflicts for a PKRI appointment."""
    person = _evaluator(request)
    edition = _edition(code)
    appointment = appointment_for(person, edition.pk)
    if appointment is None:
        raise Http404
    code_form = AcceptCodeForm(request.POST if request.POST.get("action") == "code" else None)
    none_form = ConflictNoneForm(
        request.POST if request.POST.get("action") == "conflicts" else None
    )
    formset = ConflictFormSet(
        request.POST if request.POST.get("action") == "conflicts" else None, prefix="konflik"
    )
    first = appointment.conflicts_declared_at is None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "code" and code_form.is_valid():
                accept_code_of_conduct(appointment, actor=person)
                messages.success(request, _("Terima kasih, kode etik telah Anda setujui."))
                return redirect("pkri_evaluator_ready", code=code)
            if action == "conflicts" and none_form.is_valid() and formset.is_valid():
                items = [item for f in formset.forms if (item := f.as_item()) is not None]
                says_none = bool(none_form.cleaned_data.get("none")) and first
                if says_none == bool(items):
                    none_form.add_error(
                        None,
                        _("Centang pernyataan tidak ada konflik, atau isi daftar konflik."),
                    )
                else:
                    declare_conflicts(appointment, items, actor=person)
                    messages.success(request, _("Pernyataan konflik kepentingan tercatat."))
                    return redirect("pkri_evaluator_todo")
        except DomainError as error:
            messages.error(request, error.message)
    return render(
        request,
        "pkri/desk/ready.html",
        {
            "edition": edition,
            "appointment": appointment,
            "code_form": code_form,
            "none_form": none_form,
            "formset": formset,
            "first": first,
        },
    )


def _levels_from(request: HttpRequest, codes: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    levels: dict[str, Any] = {}
    comments: dict[str, str] = {}
    for code in codes:
        raw = request.POST.get(LEVEL_PREFIX + code, "").strip()
        levels[code] = raw or None
        comment = request.POST.get(COMMENT_PREFIX + code, "").strip()
        if comment:
            comments[code] = comment
    return levels, comments


@login_required
def pkri_evaluator_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The form's frozen answers beside the indicators: suggested level, rule, the chosen
    level and a comment (required when the level differs from the suggestion)."""
    person = _evaluator(request)
    assignment = desk_assignment(person, pk)
    view = sheet_view(assignment)
    error = ""
    error_field = ""
    posted: dict[str, Any] = {}
    if request.method == "POST":
        if not view.editable:
            messages.error(request, _("Lembar nilai ini tidak dapat diubah lagi."))
            return redirect("pkri_evaluator_sheet", pk=pk)
        codes = [row.code for row in view.indicators]
        levels, comments = _levels_from(request, codes)
        note = request.POST.get("note", "")
        finalise = request.POST.get("action") == "finalise"
        try:
            record_levels(assignment, levels, comments, note=note, actor=person, finalise=finalise)
        except DomainError as exc:
            error, error_field = exc.message, exc.field or ""
            posted = {"levels": levels, "comments": comments, "note": note}
        else:
            messages.success(
                request,
                _("Lembar nilai difinalkan.") if finalise else _("Draf lembar nilai tersimpan."),
            )
            return redirect("pkri_evaluator_sheet", pk=pk)
    rows = [
        {
            "row": row,
            "level": posted["levels"].get(row.code) if posted else row.level,
            "comment": posted["comments"].get(row.code, "") if posted else row.comment,
            "error": error if error_field == row.code else "",
        }
        for row in view.indicators
    ]
    return render(
        request,
        "pkri/desk/sheet.html",
        {
            "view": view,
            "assignment": assignment,
            "edition": assignment.stage.edition,
            "form": view.form,
            "rows": rows,
            "note": posted["note"] if posted else view.state.note,
            "error": error if error_field not in {r.code for r in view.indicators} else "",
            "levels": range(5),
            "labels": TODO_LABELS,
            "evidence": frozen_evidence(view.form),
        },
    )


# --------------------------------------------------------------------------- evidence


def _evidence_ids(value: Any, key: str = "") -> set[int]:
    """The evidence ids named in (a part of) the frozen answers."""
    found: set[int] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            found |= _evidence_ids(v, k)
    elif isinstance(value, list):
        for v in value:
            found |= _evidence_ids(v, key)
    elif key in FILE_KEYS and isinstance(value, int) and not isinstance(value, bool):
        found.add(value)
    return found


def frozen_evidence(form: SelfAssessment) -> list[FormEvidence]:
    """The form's evidence files named in its frozen (submitted) answers, by field."""
    ids = _evidence_ids(dict(frozen_answers(form)))
    if not ids:
        return []
    return list(FormEvidence.objects.filter(form=form, pk__in=ids).order_by("field", "pk"))


@login_required
def pkri_assessor_evidence(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """An evidence file of the form behind one of the person's assignments (desk
    evaluators and interview panelists alike): 404 unless the assignment is theirs, not
    conflicted and deployed (the engine's scoping), and the file belongs to that form."""
    person = _evaluator(request)
    try:
        assignment = assessor_assignment(person, pk)
    except GateClosed as closed:
        raise Http404 from closed
    if assignment.stage.edition.programme != "pkri":
        raise Http404
    form = SelfAssessment.objects.filter(subject_id=assignment.subject_id).first()
    if form is None:
        raise Http404
    evidence = get_object_or_404(FormEvidence, pk=evidence_pk, form=form)
    return serve_evidence(evidence)
