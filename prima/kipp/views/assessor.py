"""Assessor pages of KIPP: Tim Evaluasi and TPI (kipp.md §3, §4 step 5, §10.1–10.2, §11.1, §13).

An assessor first accepts the code of conduct and declares conflicts; until both are done
every list and sheet page of the edition sends them back to those steps. Assignments are
read only through :mod:`prima.evaluation.queries` (via :mod:`prima.kipp.interfaces.sheet_forms`):
a conflicted or unassigned proposal answers 404. While a stage is blind, no institution,
unit or person name of the proposer reaches the page. Every write goes through the domain.
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

from prima.core.domain.errors import DomainError
from prima.core.interfaces.listing import paginate
from prima.core.models import Person
from prima.evaluation.domain.appointments import accept_code_of_conduct, declare_conflicts
from prima.evaluation.domain.catalogue import instrument_of
from prima.evaluation.domain.sheets import correct_sheet, finalise_sheet, save_sheet
from prima.evaluation.enums import ConflictKind
from prima.evaluation.models import Appointment, Assignment, Conflict, Edition
from prima.evaluation.queries import appointment_for
from prima.kipp.interfaces.sheet_forms import (
    RUBRIC_HINTS,
    TODO_LABELS,
    AcceptCodeForm,
    ConflictFormSet,
    ConflictNoneForm,
    CorrectionForm,
    SheetForm,
    TodoFilterForm,
    anchors,
    assessor_assignment,
    chosen_stage,
    field_for_error,
    filter_todo,
    is_assessor,
    my_appointments,
    other_sheets,
    preview_total,
    progress_of,
    proposal_of,
    proposal_view,
    scores_rubric,
    scoring_stages,
    sheet_state,
    stage_criteria,
    todo_queryset,
)
from prima.kipp.queries import scoring_stage


def _assessor(request: HttpRequest) -> Person:
    """The signed-in assessor; everyone else is refused (403)."""
    user = request.user
    assert isinstance(user, Person)
    if not is_assessor(user):
        raise PermissionDenied
    return user


def _appointment(person: Person, code: str) -> tuple[Edition, Appointment]:
    edition = get_object_or_404(Edition, code=code, programme="kipp")
    appointment = appointment_for(person, edition.pk)
    if appointment is None:
        raise Http404
    return edition, appointment


def _gate(request: HttpRequest, appointment: Appointment) -> HttpResponse | None:
    """Send an assessor who is not yet cleared to the missing step (kipp.md §4 step 5)."""
    code = appointment.edition.code
    if appointment.code_of_conduct_accepted_at is None:
        messages.info(
            request, _("Setujui kode etik terlebih dahulu sebelum melihat proposal apa pun.")
        )
        return redirect("kipp_assessor_code", code=code)
    if appointment.conflicts_declared_at is None:
        messages.info(
            request,
            _("Nyatakan konflik kepentingan Anda terlebih dahulu sebelum melihat proposal."),
        )
        return redirect("kipp_assessor_conflicts", code=code)
    return None


def _next_step(appointment: Appointment) -> str:
    code = appointment.edition.code
    if appointment.code_of_conduct_accepted_at is None:
        return reverse("kipp_assessor_code", kwargs={"code": code})
    if appointment.conflicts_declared_at is None:
        return reverse("kipp_assessor_conflicts", kwargs={"code": code})
    return reverse("kipp_assessor_todo", kwargs={"code": code})


# --------------------------------------------------------------------------- home and gates


@login_required
def assessor_home(request: HttpRequest) -> HttpResponse:
    """The person's appointments per edition, the steps still open and the progress."""
    person = _assessor(request)
    rows = []
    for appointment in my_appointments(person):
        stage = scoring_stage(appointment.edition) if appointment.is_ready else None
        rows.append(
            {
                "appointment": appointment,
                "stage": stage,
                "progress": progress_of(appointment, stage) if stage is not None else None,
                "next": _next_step(appointment),
            }
        )
    return render(request, "kipp/assessor/home.html", {"rows": rows})


@login_required
def assessor_code(request: HttpRequest, code: str) -> HttpResponse:
    """The code of conduct: independence, confidentiality, no contact with proposers."""
    person = _assessor(request)
    edition, appointment = _appointment(person, code)
    form = AcceptCodeForm(request.POST or None)
    pending = appointment.code_of_conduct_accepted_at is None
    if request.method == "POST" and pending and form.is_valid():
        try:
            accept_code_of_conduct(appointment, actor=person)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Terima kasih, kode etik telah Anda setujui."))
            return redirect(_next_step(appointment))
    return render(
        request,
        "kipp/assessor/code.html",
        {"edition": edition, "appointment": appointment, "form": form},
    )


@login_required
def assessor_conflicts(request: HttpRequest, code: str) -> HttpResponse:
    """The conflict declaration: "no conflicts" or institutions with nature and reason.

    Declared conflicts can be added to later, never withdrawn.
    """
    person = _assessor(request)
    edition, appointment = _appointment(person, code)
    if appointment.code_of_conduct_accepted_at is None:
        return _gate(request, appointment) or redirect(_next_step(appointment))
    first = appointment.conflicts_declared_at is None
    none_form = ConflictNoneForm(request.POST or None)
    formset = ConflictFormSet(request.POST or None, prefix="konflik")
    if request.method == "POST" and none_form.is_valid() and formset.is_valid():
        items = [item for f in formset.forms if (item := f.as_item()) is not None]
        says_none = bool(none_form.cleaned_data.get("none")) and first
        if says_none and items:
            none_form.add_error(
                "none",
                _("Pilih salah satu: nyatakan tidak ada konflik, atau isi daftar konflik."),
            )
        elif not says_none and not items:
            none_form.add_error(
                None,
                _("Centang pernyataan tidak ada konflik, atau isi minimal satu konflik.")
                if first
                else _("Isi minimal satu konflik baru untuk ditambahkan."),
            )
        else:
            try:
                created = declare_conflicts(appointment, items, actor=person)
            except DomainError as error:
                none_form.add_error(None, error.message)
            else:
                if created:
                    messages.success(
                        request,
                        _("%(n)s konflik kepentingan tercatat.") % {"n": len(created)},
                    )
                else:
                    messages.success(request, _("Pernyataan konflik kepentingan tercatat."))
                return redirect(_next_step(appointment))
    declared = (
        Conflict.objects.filter(appointment=appointment, kind=ConflictKind.DECLARED)
        .select_related("institution", "subject")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "kipp/assessor/conflicts.html",
        {
            "edition": edition,
            "appointment": appointment,
            "first": first,
            "none_form": none_form,
            "formset": formset,
            "declared": declared,
        },
    )


# --------------------------------------------------------------------------- to-do list


@login_required
def assessor_todo(request: HttpRequest, code: str) -> HttpResponse:
    """The assessor's assignments in a stage: status, deadline and progress."""
    person = _assessor(request)
    edition, appointment = _appointment(person, code)
    if (response := _gate(request, appointment)) is not None:
        return response
    stage = chosen_stage(edition, request.GET.get("tahap"))
    form = TodoFilterForm(request.GET or None, edition=edition)
    context: dict[str, Any] = {
        "edition": edition,
        "appointment": appointment,
        "stage": stage,
        "stages": scoring_stages(edition),
        "form": form,
        "labels": TODO_LABELS,
    }
    if stage is not None:
        queryset = todo_queryset(appointment, stage)
        if form.is_valid():
            queryset = filter_todo(
                queryset,
                status=form.cleaned_data["status"],
                group=form.cleaned_data["group"],
                category=form.cleaned_data["category"],
                q=form.cleaned_data["q"],
            )
        context["page"] = paginate(request, queryset)
        context["progress"] = progress_of(appointment, stage)
    return render(request, "kipp/assessor/todo.html", context)


# --------------------------------------------------------------------------- the sheet


def _sheet_context(
    request: HttpRequest, code: str, pk: int
) -> tuple[Person, Assignment, dict[str, Any]] | HttpResponse:
    """Everything a sheet page needs, or the redirect to a missing gate step."""
    person = _assessor(request)
    edition, appointment = _appointment(person, code)
    if (response := _gate(request, appointment)) is not None:
        return response
    assignment = assessor_assignment(person, pk, edition=edition)
    stage = assignment.stage
    proposal = proposal_of(person, assignment)
    instrument = instrument_of(edition.instrument)
    criteria = stage_criteria(stage, assignment.subject.group, instrument)
    state = sheet_state(assignment)
    view = proposal_view(proposal, stage, instrument)
    editable = stage.is_open and stage.assessors_score and not assignment.is_excused
    return (
        person,
        assignment,
        {
            "edition": edition,
            "stage": stage,
            "assignment": assignment,
            "proposal": view,
            "criteria": criteria,
            "instrument": instrument,
            "scale": instrument.scale,
            "anchors": anchors(instrument),
            "state": state,
            "editable": editable,
            "others": other_sheets(assignment),
            "rubric": scores_rubric(stage),
            "labels": TODO_LABELS,
            "value_rows": [
                {
                    "criterion": c,
                    "value": state.values.get(c.code),
                    "comment": state.comments.get(c.code, ""),
                    "evidence": state.evidence.get(c.code, ""),
                }
                for c in criteria
            ],
        },
    )


def _rows(form: SheetForm, context: dict[str, Any]) -> list[dict[str, Any]]:
    answers = {a.code: a for a in context["proposal"].answers}
    return [
        {
            "criterion": criterion,
            "answer": None if context["rubric"] else answers.get(criterion.code),
            "hint": RUBRIC_HINTS.get(criterion.code) if context["rubric"] else None,
            "value": value,
            "comment": comment,
            "evidence": evidence,
        }
        for criterion, value, comment, evidence in form.rows()
    ]


@login_required
def assessor_sheet(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The proposal's frozen content beside the score inputs; save a draft or finalise."""
    found = _sheet_context(request, code, pk)
    if isinstance(found, HttpResponse):
        return found
    person, assignment, context = found
    state = context["state"]
    criteria = context["criteria"]
    can_save = context["editable"] and not state.is_final
    form = SheetForm(
        request.POST if request.method == "POST" and can_save else None,
        initial=SheetForm.initial_from(state),
        criteria=criteria,
        scale=context["scale"],
    )
    if request.method == "POST":
        if not can_save:
            messages.error(request, _("Lembar nilai ini tidak dapat diubah di sini."))
            return redirect("kipp_assessor_sheet", code=code, pk=pk)
        if form.is_valid():
            try:
                save_sheet(
                    assignment,
                    form.values(),
                    note=form.cleaned_data["note"],
                    comments=form.comments(),
                    evidence=form.evidence(),
                    actor=person,
                )
            except DomainError as error:
                _add_error(form, field_for_error(error.field, criteria), error.message)
            else:
                if request.POST.get("action") == "finalise":
                    return redirect("kipp_assessor_sheet_finalise", code=code, pk=pk)
                messages.success(request, _("Draf lembar nilai tersimpan."))
                return redirect("kipp_assessor_sheet", code=code, pk=pk)
    context["form"] = form
    context["rows"] = _rows(form, context)
    context["can_save"] = can_save
    return render(request, "kipp/assessor/sheet.html", context)


@login_required
def assessor_sheet_finalise(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Confirm, then finalise: after this only reasoned corrections change the sheet."""
    found = _sheet_context(request, code, pk)
    if isinstance(found, HttpResponse):
        return found
    person, _assignment, context = found
    state = context["state"]
    if state.sheet is None or state.is_final or not context["editable"]:
        if state.sheet is None:
            messages.error(request, _("Simpan draf lembar nilai terlebih dahulu."))
        return redirect("kipp_assessor_sheet", code=code, pk=pk)
    criteria = context["criteria"]
    missing = [c.label for c in criteria if state.values.get(c.code) is None]
    error = ""
    if request.method == "POST":
        try:
            finalise_sheet(state.sheet, actor=person)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request, _("Lembar nilai difinalkan. Perubahan berikutnya memerlukan koreksi.")
            )
            return redirect("kipp_assessor_sheet", code=code, pk=pk)
    context.update(
        {
            "missing": missing,
            "error": error,
            "preview": preview_total(state.values, criteria),
            "summary": [(c, state.values.get(c.code)) for c in criteria],
        }
    )
    return render(request, "kipp/assessor/finalise.html", context)


@login_required
def assessor_sheet_correct(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Correct a final sheet: a new version with a reason (kipp.md §10.2; DESIGN.md §5)."""
    found = _sheet_context(request, code, pk)
    if isinstance(found, HttpResponse):
        return found
    person, _assignment, context = found
    state = context["state"]
    if not (state.is_final and context["editable"]):
        messages.error(
            request, _("Hanya lembar nilai final pada tahap yang berjalan yang dikoreksi.")
        )
        return redirect("kipp_assessor_sheet", code=code, pk=pk)
    criteria = context["criteria"]
    initial = SheetForm.initial_from(state)
    form = CorrectionForm(
        request.POST or None,
        initial={k: v for k, v in initial.items() if k.startswith("value_") or k == "note"},
        criteria=criteria,
        scale=context["scale"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            sheet = correct_sheet(
                state.sheet,
                form.values(),
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                actor=person,
            )
        except DomainError as error:
            _add_error(form, field_for_error(error.field, criteria), error.message)
        else:
            messages.success(
                request,
                _("Koreksi tersimpan sebagai versi %(n)s.") % {"n": sheet.current_version},
            )
            return redirect("kipp_assessor_sheet", code=code, pk=pk)
    context["form"] = form
    return render(request, "kipp/assessor/correct.html", context)


def _add_error(form: forms.Form, field: str | None, message: str) -> None:
    form.add_error(field if field in form.fields else None, message)
