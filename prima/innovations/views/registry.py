"""Internal registry pages: list, export, register, detail, edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain.errors import DomainError, StaleVersion
from prima.core.interfaces.listing import paginate
from prima.core.models import Institution, ServiceUnit
from prima.core.views import signed_in_person
from prima.innovations.domain.innovations import register_innovation, update_innovation
from prima.innovations.domain.permissions import may_edit, may_record_awards
from prima.innovations.enums import SDG_NAMES
from prima.innovations.interfaces.exporters import export_innovations
from prima.innovations.interfaces.forms import (
    InnovationCreateForm,
    InnovationFilterForm,
    InnovationForm,
)
from prima.innovations.models import Innovation
from prima.innovations.queries import (
    apply_filters,
    innovations_visible_to,
    lineage_for,
    may_read_registry,
    units_for_registration,
    with_list_relations,
)
from prima.innovations.views.common import (
    add_domain_error,
    innovation_for,
)


def _filter_form(request: HttpRequest) -> InnovationFilterForm:
    """The list filters, with institution and unit choices limited to the person's scope."""
    access = access_for(request.user)
    institutions: QuerySet[Institution]
    units: QuerySet[ServiceUnit]
    if access.reads_nationally:
        institutions = Institution.objects.order_by("name")
        chosen = request.GET.get("institution", "")
        # ~25,000 units nationally: offer them only within a chosen institution.
        units = (
            ServiceUnit.objects.filter(institution_id=int(chosen)).order_by("name")
            if chosen.isdigit()
            else ServiceUnit.objects.none()
        )
    else:
        institutions = Institution.objects.filter(pk__in=access.member_institution_ids).order_by(
            "name"
        )
        units = ServiceUnit.objects.filter(
            Q(institution_id__in=set(access.institutions)) | Q(pk__in=set(access.units))
        ).order_by("name")
    return InnovationFilterForm(request.GET, institutions=institutions, units=units)


def _filtered(request: HttpRequest) -> tuple[InnovationFilterForm, QuerySet[Innovation]]:
    if not may_read_registry(request.user):
        raise PermissionDenied
    form = _filter_form(request)
    qs = apply_filters(innovations_visible_to(request.user), form.filters())
    return form, with_list_relations(qs)


@login_required
def innovation_list(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    page = paginate(request, qs)
    return render(
        request,
        "innovations/list.html",
        {
            "form": form,
            "page": page,
            "can_register": units_for_registration(request.user).exists(),
        },
    )


@login_required
def innovation_export(request: HttpRequest) -> HttpResponse:
    _form, qs = _filtered(request)
    return export_innovations(qs, request.GET.get("format", "csv"))


@login_required
def innovation_create(request: HttpRequest) -> HttpResponse:
    person = signed_in_person(request)
    units = units_for_registration(person)
    if not units.exists():
        raise PermissionDenied
    pick_by_id = access_for(person).is_secretariat
    initial = {}
    if request.GET.get("unit", "").isdigit():
        initial["unit"] = int(request.GET["unit"])
    elif not pick_by_id:
        only = list(units[:2])
        if len(only) == 1:
            initial["unit"] = only[0].pk
    form = InnovationCreateForm(
        request.POST or None, units=units, pick_by_id=pick_by_id, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            innovation = register_innovation(
                actor=person, unit=form.cleaned_data["unit"], data=form.to_data()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Inovasi «%s» telah didaftarkan.") % innovation.name)
            return redirect("innovation_detail", pk=innovation.pk)
    return render(
        request,
        "innovations/form.html",
        {"form": form, "title": _("Daftarkan inovasi"), "innovation": None},
    )


@login_required
def innovation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = innovation_for(request, pk)
    return render(
        request,
        "innovations/detail.html",
        {
            "innovation": innovation,
            "categories": list(innovation.categories.order_by("position", "name")),
            "sdgs": [(goal, SDG_NAMES.get(goal, "")) for goal in innovation.sdg_goals],
            "evidence": list(innovation.evidence.select_related("uploaded_by")),
            "awards": list(innovation.awards.all()),
            "lineage": lineage_for(innovation, request.user),
            "can_edit": may_edit(request.user, innovation),
            "can_award": may_record_awards(request.user),
        },
    )


def _initial(innovation: Innovation) -> dict[str, object]:
    return {
        "name": innovation.name,
        "acronym": innovation.acronym,
        "summary": innovation.summary,
        "problem": innovation.problem,
        "approach": innovation.approach,
        "results": innovation.results,
        "beneficiaries": innovation.beneficiaries,
        "started_on": innovation.started_on,
        "is_digital": innovation.is_digital,
        "categories": list(innovation.categories.values_list("code", flat=True)),
        "sdg_goals": innovation.sdg_goals,
        "open_to_replication": innovation.open_to_replication,
        "replication_contact": innovation.replication_contact,
        "version": innovation.version,
    }


@login_required
def innovation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = innovation_for(request, pk, edit=True)
    form = InnovationForm(request.POST or None, initial=_initial(innovation))
    status = 200
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        try:
            if version is None:
                raise StaleVersion(
                    _("Formulir tidak lengkap (versi tidak ada); muat ulang halaman ini."),
                    field="version",
                )
            updated = update_innovation(
                innovation,
                actor=signed_in_person(request),
                data=form.to_data(),
                expected_version=version,
            )
        except StaleVersion as error:
            add_domain_error(form, error)
            status = 409
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if updated.version == version:
                messages.info(request, _("Tidak ada perubahan."))
            else:
                messages.success(request, _("Perubahan tersimpan."))
            return redirect("innovation_detail", pk=innovation.pk)
    return render(
        request,
        "innovations/form.html",
        {
            "form": form,
            "title": _("Ubah inovasi"),
            "innovation": innovation,
            "stale": status == 409,
        },
        status=status,
    )
