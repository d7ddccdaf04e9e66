"""Unit operators: the Admin Lokal's list and the form that appoints one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import accounts
from prima.core.domain.errors import DomainError
from prima.core.enums import Role, Scope
from prima.core.interfaces.account_forms import OperatorForm
from prima.core.interfaces.listing import apply_sort, paginate
from prima.core.models import Membership
from prima.core.queries import units_manageable_by
from prima.core.views import apply_domain_error
from prima.core.views_accounts.guards import manages_operators

OPERATOR_SORTS = {
    "name": ("person__full_name",),
    "unit": ("unit__name", "person__full_name"),
    "email": ("person__email",),
    "joined": ("created_at",),
}


@login_required
def operator_list(request: HttpRequest) -> HttpResponse:
    """Unit operators of the institutions the person administers (the secretariat: all)."""
    actor = manages_operators(request)
    access = access_for(actor)
    qs: QuerySet[Membership] = Membership.objects.filter(
        role=Role.UNIT_OPERATOR, scope=Scope.UNIT
    ).select_related("person", "unit", "institution")
    if not access.is_secretariat:
        qs = qs.filter(institution_id__in=access.admin_institution_ids)
    units = units_manageable_by(actor)
    unit_choices = (
        list(units.order_by("name").values_list("pk", "name")) if not access.is_secretariat else []
    )
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        qs = qs.filter(unit_id=int(unit_id))
    status = request.GET.get("status", "")
    if status == "active":
        qs = qs.filter(is_active=True, person__is_active=True)
    elif status == "inactive":
        qs = qs.filter(Q(is_active=False) | Q(person__is_active=False))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(
            Q(person__full_name__icontains=q)
            | Q(person__email__icontains=q)
            | Q(unit__name__icontains=q)
            | Q(institution__name__icontains=q)
        )
    qs, sort = apply_sort(request, qs, OPERATOR_SORTS, "unit")
    return render(
        request,
        "core/accounts/operator_list.html",
        {
            "page": paginate(request, qs),
            "unit_choices": unit_choices,
            "unit": unit_id,
            "status": status,
            "q": q,
            "sort": sort,
            "is_secretariat": access.is_secretariat,
        },
    )


@login_required
def operator_create(request: HttpRequest) -> HttpResponse:
    actor = manages_operators(request)
    form = OperatorForm(
        request.POST or None, actor=actor, initial={"unit": request.GET.get("unit")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = accounts.create_unit_operator(
                actor=actor,
                unit=data["unit"],
                full_name=data["full_name"],
                email=data["email"],
                position=data["position"],
                phone=data["phone"],
                nip=data["nip"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s kini operator %(unit)s. Bila akunnya baru, tautan aktivasi "
                    "dikirim ke %(email)s."
                )
                % {"name": person, "unit": data["unit"], "email": person.email},
            )
            return redirect("operator_list")
    return render(
        request,
        "core/accounts/operator_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
