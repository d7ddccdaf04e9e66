"""The independent panel's PKRI pages (pkri.md §7.3): its interview slots and the
interview sheet (`rubric:interview`, each item 0–100).

A panelist sees only the slots the secretariat assigned to them, minus any subject they
are conflicted with (:mod:`prima.evaluation.queries` rules); another slot answers 404.
Sheets are saved, finalised and checked by the engine (`prima.evaluation.domain.sheets`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from prima.core.domain.errors import DomainError
from prima.core.models import Person
from prima.evaluation.domain.catalogue import instrument_of
from prima.evaluation.domain.sheets import criteria_for, finalise_sheet, save_sheet, sheet_values
from prima.evaluation.enums import AssessorRole, SheetStatus
from prima.evaluation.models import Appointment, Assignment, ScoreSheet
from prima.pkri.domain.interviews import panel_assignments
from prima.pkri.interfaces.decision_forms import InterviewSheetForm

PANEL_ROLES = (AssessorRole.PANELIST, AssessorRole.PANEL_CHAIR)


def _panelist(request: HttpRequest) -> Person:
    """The signed-in person if they sit on a PKRI panel; everyone else is refused."""
    person = request.user
    assert isinstance(person, Person)
    serves = Appointment.objects.filter(
        person_id=person.pk, role__in=PANEL_ROLES, is_active=True, edition__programme="pkri"
    ).exists()
    if not serves:
        raise PermissionDenied
    return person


def _sheet_of(assignment: Assignment) -> ScoreSheet | None:
    try:
        return assignment.sheet
    except ScoreSheet.DoesNotExist:
        return None


@login_required
def panel_home(request: HttpRequest) -> HttpResponse:
    """The panelist's interview slots, soonest first, with each sheet's status."""
    person = _panelist(request)
    rows = []
    for assignment in panel_assignments(person):
        form = assignment.subject.pkri_form
        sheet = _sheet_of(assignment)
        rows.append(
            {
                "assignment": assignment,
                "form": form,
                "slot": getattr(form, "slot", None),
                "status": sheet.get_status_display() if sheet else _("Belum diisi"),
                "final": sheet is not None and sheet.status == SheetStatus.FINAL,
            }
        )
    # Appointments still waiting for the code of conduct or the conflict declaration
    # (done on the assessors' readiness page); their slots appear once both are done.
    pending = Appointment.objects.filter(
        person_id=person.pk, role__in=PANEL_ROLES, is_active=True, edition__programme="pkri"
    ).filter(Q(code_of_conduct_accepted_at__isnull=True) | Q(conflicts_declared_at__isnull=True))
    return render(
        request,
        "pkri/decisions/panel_home.html",
        {"rows": rows, "pending": pending.select_related("edition")},
    )


@login_required
def panel_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The interview sheet of one slot: save a draft, or save and finalise."""
    person = _panelist(request)
    assignment = panel_assignments(person).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    stage = assignment.stage
    edition = stage.edition
    instrument = instrument_of(edition.instrument)
    criteria = criteria_for(stage.scoring, assignment.subject.group, instrument)
    sheet = _sheet_of(assignment)
    values = sheet_values(sheet) if sheet is not None else {}
    note = sheet.versions.get(number=sheet.current_version).note if sheet is not None else ""
    is_final = sheet is not None and sheet.status == SheetStatus.FINAL
    editable = stage.is_open and stage.assessors_score and not is_final
    editable = editable and not assignment.is_excused
    initial: dict[str, Any] = {"note": note}
    initial.update({f"value_{code}": value for code, value in values.items()})
    form = InterviewSheetForm(
        request.POST if request.method == "POST" and editable else None,
        initial=initial,
        criteria=criteria,
        minimum=Decimal(0),
        maximum=Decimal(100),
    )
    if request.method == "POST":
        if not editable:
            messages.error(request, _("Lembar nilai ini tidak dapat diubah."))
            return redirect("pkri_panel_sheet", pk=pk)
        if form.is_valid():
            try:
                saved = save_sheet(
                    assignment, form.values(), note=form.cleaned_data["note"], actor=person
                )
                if request.POST.get("action") == "finalise":
                    finalise_sheet(saved, actor=person)
            except DomainError as error:
                field = f"value_{error.field}" if error.field else None
                form.add_error(field if field in form.fields else None, error.message)
            else:
                if request.POST.get("action") == "finalise":
                    messages.success(request, _("Lembar nilai wawancara difinalkan."))
                else:
                    messages.success(request, _("Draf lembar nilai wawancara tersimpan."))
                return redirect("pkri_panel_sheet", pk=pk)
    pkri_form = assignment.subject.pkri_form
    return render(
        request,
        "pkri/decisions/panel_sheet.html",
        {
            "assignment": assignment,
            "edition": edition,
            "stage": stage,
            "form": form,
            "pkri_form": pkri_form,
            "slot": getattr(pkri_form, "slot", None),
            "sheet": sheet,
            "is_final": is_final,
            "editable": editable,
            "summary": [(c, values.get(c.code)) for c in criteria],
        },
    )
