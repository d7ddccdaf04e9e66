"""Home, per-role dashboard, login, the first-login gates, and shared form helpers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.core.access import access_for
from prima.core.dashboard_panels import panels_for
from prima.core.domain import accounts
from prima.core.domain.errors import DomainError
from prima.core.enums import AccountRequestStatus, Role
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.models import AccountRequest, AuditEntry, Institution, Person, ServiceUnit
from prima.core.queries import institutions_visible_to, units_visible_to
from prima.innovations.models import Innovation

# --- helpers shared by the account and audit pages -----------------------------------


def signed_in_person(request: HttpRequest) -> Person:
    """The signed-in person (views behind `login_required`)."""
    user = request.user
    assert isinstance(user, Person)
    return user


def apply_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a domain refusal on the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def current_person(request: HttpRequest) -> Person:
    person = request.user
    assert isinstance(person, Person)
    return person


# --- home and dashboard --------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "core/home.html")


def _secretariat_panel(person: Person) -> dict[str, Any]:
    pending = AccountRequest.objects.filter(status=AccountRequestStatus.PENDING)
    return {
        "pending_count": pending.count(),
        "pending_requests": list(pending.select_related("institution")[:5]),
        "institution_count": institutions_visible_to(person).count(),
        "unit_count": units_visible_to(person).count(),
        "innovation_count": Innovation.objects.count(),
        "recent_audit": list(AuditEntry.objects.order_by("-id")[:10]),
    }


def _institution_admin_panel(institution_ids: set[int]) -> dict[str, Any]:
    units = ServiceUnit.objects.filter(institution_id__in=institution_ids)
    operator_filter = Q(
        memberships__role=Role.UNIT_OPERATOR,
        memberships__is_active=True,
        memberships__person__is_active=True,
    )
    return {
        "institutions": list(Institution.objects.filter(pk__in=institution_ids)),
        "unit_count": units.count(),
        "units": list(
            units.select_related("institution")
            .annotate(
                operator_count=Count("memberships__person", filter=operator_filter, distinct=True),
                innovation_count=Count("innovations", distinct=True),
            )
            .order_by("name")[:20]
        ),
        "operator_count": Person.objects.filter(
            is_active=True,
            memberships__role=Role.UNIT_OPERATOR,
            memberships__is_active=True,
            memberships__institution_id__in=institution_ids,
        )
        .distinct()
        .count(),
        "innovation_count": Innovation.objects.filter(institution_id__in=institution_ids).count(),
    }


def _operator_panel(unit_ids: set[int]) -> dict[str, Any]:
    innovations = Innovation.objects.filter(unit_id__in=unit_ids)
    return {
        "units": list(
            ServiceUnit.objects.filter(pk__in=unit_ids)
            .select_related("institution")
            .order_by("name")
        ),
        "innovation_count": innovations.count(),
        "innovations": list(innovations.select_related("unit").order_by("-created_at")[:20]),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """One page per person: a panel for each role they hold, every number a real query."""
    person = current_person(request)
    access = access_for(person)
    context: dict[str, Any] = {"roles": access.roles}
    if access.is_secretariat:
        context["secretariat"] = _secretariat_panel(person)
    if access.admin_institution_ids:
        context["institution_admin"] = _institution_admin_panel(access.admin_institution_ids)
    if access.operator_unit_ids:
        context["operator"] = _operator_panel(access.operator_unit_ids)
    context["assessor_roles"] = [
        Role(role).label
        for role in (Role.EVALUATOR, Role.PANELIST, Role.VERIFIER)
        if role in access.roles
    ]
    context["reader"] = bool(
        access.roles & {Role.ANALYST, Role.VIEWER} and not access.is_secretariat
    )
    context["can_read_audit"] = access.reads_audit
    context["programme_panels"] = panels_for(person)
    context["has_assessor_panel"] = any(
        panel.get("assessor") is not None for _, panel in context["programme_panels"]
    )
    return render(request, "core/dashboard.html", context)


# --- login and first-login gates -----------------------------------------------------


class _LoginFields(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = gettext_lazy("Nama pengguna")
        self.fields["username"].help_text = gettext_lazy(
            "Untuk akun yang dibuat lewat Prima, nama pengguna adalah alamat surel Anda."
        )
        self.fields["password"].label = gettext_lazy("Kata sandi")


# StyledFormMixin reads the form's errors while initialising, so it must come first in
# the bases: field changes made in a base's __init__ are then in place before validation.
class LoginForm(StyledFormMixin, _LoginFields):
    pass


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class _ProfileFields(forms.ModelForm):
    """The person's own data. Saved through `accounts.update_profile`, never `save()`."""

    class Meta:
        model = Person
        fields = ["full_name", "position", "nip", "phone", "email", "expertise"]
        labels = {"email": gettext_lazy("Surel")}
        help_texts = {
            "expertise": gettext_lazy(
                "Untuk evaluator dan panelis: bidang keahlian, dipisahkan koma. "
                "Dipakai saat pembagian tugas penilaian."
            ),
        }
        widgets = {"expertise": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("full_name", "position", "phone", "email"):
            self.fields[name].required = True

    def _post_clean(self) -> None:
        # Skip ModelForm's instance update: the domain function writes the person.
        pass


class ProfileForm(StyledFormMixin, _ProfileFields):
    pass


def save_profile(request: HttpRequest, form: ProfileForm) -> bool:
    """Send a valid profile form through the domain; False (with errors on the form) if refused."""
    person = current_person(request)
    data = form.cleaned_data
    try:
        accounts.update_profile(
            person,
            actor=person,
            full_name=data["full_name"],
            position=data["position"],
            phone=data["phone"],
            email=data["email"],
            nip=data.get("nip", ""),
            expertise=data.get("expertise", ""),
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return False
    return True


@login_required
def profile_complete(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    form = ProfileForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid() and save_profile(request, form):
        messages.success(request, _("Profil tersimpan."))
        person.refresh_from_db()
        return redirect("password_change" if person.must_change_password else "dashboard")
    return render(request, "core/profile_complete.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("dashboard")

    def get_form(self, form_class: Any = None) -> PasswordChangeForm:
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs["class"] = "form-control"
        return form

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        person = current_person(self.request)
        try:
            accounts.set_password(
                person, actor=person, password=form.cleaned_data["new_password1"], via="change"
            )
        except DomainError as error:
            form.add_error("new_password1", error.message)
            return self.form_invalid(form)
        # Keep this session logged in; other sessions of the person end with the old hash.
        update_session_auth_hash(self.request, person)
        messages.success(self.request, _("Kata sandi telah diganti."))
        return HttpResponseRedirect(self.get_success_url())
