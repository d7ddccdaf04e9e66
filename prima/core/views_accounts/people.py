"""People and their roles: list, create, detail, grant and revoke, deactivate and reactivate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prima.core.access import access_for
from prima.core.domain import accounts
from prima.core.domain.errors import DomainError
from prima.core.enums import Role
from prima.core.interfaces.account_forms import (
    GrantForm,
    PersonCreateForm,
    ReasonForm,
    RequiredReasonForm,
    RevokeForm,
)
from prima.core.interfaces.export import table_response
from prima.core.interfaces.listing import apply_sort, paginate
from prima.core.models import Membership, Person
from prima.core.queries import people_manageable_by
from prima.core.views import apply_domain_error, current_person
from prima.core.views_accounts.guards import safe_next, secretariat_only


def _manageable_person(request: HttpRequest, pk: int) -> tuple[Person, Person]:
    actor = current_person(request)
    return actor, get_object_or_404(people_manageable_by(actor), pk=pk)


def _person_status_change(request: HttpRequest, pk: int, *, deactivate: bool) -> HttpResponse:
    actor, person = _manageable_person(request, pk)
    default_next = (
        reverse("person_detail", kwargs={"pk": person.pk})
        if access_for(actor).is_secretariat
        else reverse("operator_list")
    )
    form_class = RequiredReasonForm if deactivate else ReasonForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if deactivate:
                accounts.deactivate_person(person, actor=actor, reason=form.cleaned_data["reason"])
                messages.success(request, _("Akun %(name)s dinonaktifkan.") % {"name": person})
            else:
                accounts.reactivate_person(person, actor=actor, reason=form.cleaned_data["reason"])
                messages.success(request, _("Akun %(name)s aktif kembali.") % {"name": person})
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return HttpResponseRedirect(safe_next(request, default_next))
    return render(
        request,
        "core/accounts/person_status.html",
        {
            "person": person,
            "form": form,
            "deactivate": deactivate,
            "next": safe_next(request, default_next),
            "memberships": list(
                person.memberships.select_related("institution", "unit").order_by("-is_active")
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_status_change(request, pk, deactivate=True)


@login_required
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_status_change(request, pk, deactivate=False)


@login_required
@require_POST
def person_resend_activation(request: HttpRequest, pk: int) -> HttpResponse:
    actor, person = _manageable_person(request, pk)
    try:
        accounts.resend_activation(person, actor=actor)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Tautan aktivasi baru dikirim ke %(email)s.") % {"email": person.email}
        )
    default = (
        reverse("person_detail", kwargs={"pk": person.pk})
        if access_for(actor).is_secretariat
        else reverse("operator_list")
    )
    return HttpResponseRedirect(safe_next(request, default))


PERSON_SORTS = {
    "name": ("full_name", "username"),
    "username": ("username",),
    "email": ("email",),
    "joined": ("date_joined",),
    "last_login": ("last_login",),
}


ACCOUNT_STATES = {
    "active": gettext_lazy("Aktif"),
    "pending": gettext_lazy("Belum aktivasi"),
    "inactive": gettext_lazy("Nonaktif"),
}


def _people_queryset(request: HttpRequest) -> tuple[QuerySet[Person], dict[str, Any]]:
    qs: QuerySet[Person] = Person.objects.all()
    role = request.GET.get("role", "")
    if role in Role.values:
        qs = qs.filter(
            pk__in=Membership.objects.filter(role=role, is_active=True).values("person_id")
        )
    state = request.GET.get("state", "")
    if state == "active":
        qs = qs.filter(is_active=True).exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    elif state == "pending":
        qs = qs.filter(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)
    elif state == "inactive":
        qs = qs.filter(is_active=False)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(
            Q(full_name__icontains=q)
            | Q(username__icontains=q)
            | Q(email__icontains=q)
            | Q(nip__icontains=q)
        )
    qs = qs.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(is_active=True).select_related(
                "institution", "unit"
            ),
            to_attr="active_memberships",
        )
    )
    qs, sort = apply_sort(request, qs, PERSON_SORTS, "name")
    return qs, {"role": role, "state": state, "q": q, "sort": sort}


def _membership_label(membership: Membership) -> str:
    target = membership.unit or membership.institution
    label = membership.get_role_display()
    return f"{label} — {target}" if target else str(label)


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    secretariat_only(request)
    qs, filters = _people_queryset(request)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        header = ["id", "username", "nama", "surel", "jabatan", "telepon", "NIP", "aktif", "peran"]
        rows = (
            [
                p.pk,
                p.username,
                p.full_name,
                p.email,
                p.position,
                p.phone,
                p.nip,
                p.is_active,
                "; ".join(_membership_label(m) for m in p.active_memberships),  # type: ignore[attr-defined]
            ]
            for p in qs
        )
        return table_response(fmt, "pengguna-prima", header, rows)
    return render(
        request,
        "core/accounts/person_list.html",
        {
            "page": paginate(request, qs),
            "roles": Role.choices,
            "states": ACCOUNT_STATES.items(),
            **filters,
        },
    )


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    actor = secretariat_only(request)
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = accounts.create_person(
                actor=actor,
                full_name=data["full_name"],
                email=data["email"],
                position=data["position"],
                phone=data["phone"],
                nip=data["nip"],
                expertise=data["expertise"],
                roles=data["roles"],
                reason=data["reason"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Akun %(name)s dibuat; tautan aktivasi dikirim ke %(email)s.")
                % {"name": person, "email": person.email},
            )
            return redirect("person_detail", pk=person.pk)
    return render(
        request,
        "core/accounts/person_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _render_person_detail(
    request: HttpRequest, person: Person, grant_form: GrantForm | None = None, status: int = 200
) -> HttpResponse:
    memberships = list(
        person.memberships.select_related("institution", "unit").order_by("-is_active", "role")
    )
    return render(
        request,
        "core/accounts/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "grant_form": grant_form or GrantForm(),
            "activated": person.has_usable_password(),
            "token_count": person.api_tokens.filter(revoked_at__isnull=True).count(),
        },
        status=status,
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    secretariat_only(request)
    return _render_person_detail(request, get_object_or_404(Person, pk=pk))


@login_required
@require_POST
def membership_grant(request: HttpRequest, pk: int) -> HttpResponse:
    actor = secretariat_only(request)
    person = get_object_or_404(Person, pk=pk)
    form = GrantForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            membership = accounts.grant_membership(
                person,
                actor=actor,
                role=data["role"],
                institution=data["institution"],
                reason=data["reason"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Peran %(role)s diberikan kepada %(name)s.")
                % {"role": _membership_label(membership), "name": person},
            )
            return redirect("person_detail", pk=person.pk)
    return _render_person_detail(request, person, grant_form=form, status=400)


@login_required
@require_POST
def membership_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    actor = secretariat_only(request)
    membership = get_object_or_404(Membership.objects.select_related("person"), pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan pencabutan peran."))
    else:
        try:
            accounts.revoke_membership(membership, actor=actor, reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Peran %(role)s dicabut.") % {"role": _membership_label(membership)}
            )
    return redirect("person_detail", pk=membership.person_id)
