"""Evaluation desk: appointed assessors and conflicts of interest (kipp.md §3, §10.1).

The secretariat appoints, deactivates and records conflicts through
`prima.evaluation.domain.appointments`; national readers see the lists read-only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from prima.core.domain.errors import DomainError
from prima.core.interfaces.listing import paginate
from prima.evaluation.domain.appointments import (
    appoint_assessor,
    deactivate_appointment,
    enter_conflict,
)
from prima.evaluation.domain.runs import stage_pools, stage_roles
from prima.evaluation.enums import AssessorRole, StageStatus
from prima.evaluation.models import Appointment, Conflict, Edition
from prima.kipp.interfaces.evaluation_forms import (
    AppointForm,
    ConflictForm,
    DeactivateForm,
    search_people,
)
from prima.kipp.views.evaluation import (
    add_error,
    base_context,
    reader_edition,
    require_secretariat,
    secretariat_edition,
)


def _pooled(edition: Edition) -> tuple[set[str], list[str]]:
    """The roles that assess a stage pooled by category (kipp.md §11.1, §13), and the
    names of those stages: an appointment in such a role needs categories."""
    roles: set[str] = set()
    stages: list[str] = []
    for stage in edition.stages.all():
        if stage.assessor_role and stage_pools(stage) is not None:
            roles.update(stage_roles(stage))
            stages.append(stage.get_code_display())
    return roles, stages


@login_required
def kipp_evaluation_appointments(request: HttpRequest, code: str) -> HttpResponse:
    edition, can_act = reader_edition(request, code)
    qs = (
        Appointment.objects.filter(edition=edition)
        .select_related("person", "affiliation")
        .annotate(
            live=Count("assignments", filter=Q(assignments__stage__status=StageStatus.OPEN)),
        )
        .order_by("-is_active", "role", "person__full_name", "pk")
    )
    role = request.GET.get("peran", "")
    if role in AssessorRole.values:
        qs = qs.filter(role=role)
    pooled_roles, pooled_stages = _pooled(edition)
    return render(
        request,
        "kipp/evaluation/appointments.html",
        base_context(
            edition,
            can_act,
            page=paginate(request, qs),
            roles=AssessorRole.choices,
            role=role,
            pooled_roles=pooled_roles,
            pooled_stages=pooled_stages,
        ),
    )


@login_required
def kipp_evaluation_appoint(request: HttpRequest, code: str) -> HttpResponse:
    edition = secretariat_edition(request, code)
    q = request.GET.get("q", "")
    form = AppointForm(request.POST or None, edition=edition, people=search_people(q))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = appoint_assessor(
                edition,
                data["person"],
                data["role"],
                affiliation=data["affiliation"],
                past_institutions=data["past_institutions"],
                home_province=data["home_province"],
                university=data["university"],
                expertise=data["expertise"],
                categories=data["categories"],
                min_load=data["min_load"],
                max_load=data["max_load"],
                actor=request.user,
            )
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(
                request,
                _("%(person)s ditunjuk sebagai %(role)s.")
                % {"person": appointment.person, "role": appointment.get_role_display()},
            )
            pooled_roles, pooled_stages = _pooled(edition)
            if appointment.role in pooled_roles and not appointment.categories:
                messages.warning(
                    request,
                    _(
                        "%(person)s belum punya kategori, padahal tahap %(stages)s memakai "
                        "kelompok kategori: penilai ini tidak akan mendapat proposal di sana."
                    )
                    % {"person": appointment.person, "stages": ", ".join(pooled_stages)},
                )
            return redirect("kipp_evaluation_appointments", code=edition.code)
    return render(
        request,
        "kipp/evaluation/appoint.html",
        base_context(edition, True, form=form, q=q),
    )


@login_required
def kipp_evaluation_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    require_secretariat(request)
    appointment = get_object_or_404(
        Appointment.objects.select_related("edition", "person"), pk=pk, edition__programme="kipp"
    )
    form = DeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deactivate_appointment(
                appointment, reason=form.cleaned_data["reason"], actor=request.user
            )
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("%s dinonaktifkan.") % appointment.person)
            return redirect("kipp_evaluation_appointments", code=appointment.edition.code)
    return render(
        request,
        "kipp/evaluation/deactivate.html",
        base_context(appointment.edition, True, form=form, appointment=appointment),
    )


@login_required
def kipp_evaluation_conflicts(request: HttpRequest, code: str) -> HttpResponse:
    edition, can_act = reader_edition(request, code)
    qs = (
        Conflict.objects.filter(appointment__edition=edition)
        .select_related("appointment__person", "subject", "institution", "created_by")
        .order_by("-created_at", "-pk")
    )
    kind = request.GET.get("jenis", "")
    if kind:
        qs = qs.filter(kind=kind)
    return render(
        request,
        "kipp/evaluation/conflicts.html",
        base_context(
            edition,
            can_act,
            page=paginate(request, qs),
            kinds=Conflict._meta.get_field("kind").choices,
            kind=kind,
        ),
    )


@login_required
def kipp_evaluation_conflict_add(request: HttpRequest, code: str) -> HttpResponse:
    edition = secretariat_edition(request, code)
    form = ConflictForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enter_conflict(
                data["appointment"],
                subject=data["subject"],
                institution=data["institution"],
                nature=data["nature"],
                reason=data["reason"],
                actor=request.user,
            )
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Konflik kepentingan dicatat."))
            return redirect("kipp_evaluation_conflicts", code=edition.code)
    return render(
        request,
        "kipp/evaluation/conflict_form.html",
        base_context(edition, True, form=form),
    )
