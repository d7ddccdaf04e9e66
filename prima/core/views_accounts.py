"""Account pages: requests for Admin Lokal, operators, people and roles, activation,
password reset, the person's own profile and API tokens.

Every write goes through `prima.core.domain.accounts` / `tokens`; who may see what comes
from the access layer and the scoped querysets (a page someone may not use answers 403,
an object they may not see 404).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prima.core import ratelimit
from prima.core.access import access_for
from prima.core.domain import accounts, tokens
from prima.core.domain.errors import DomainError
from prima.core.enums import AccountRequestStatus, Role, Scope
from prima.core.interfaces.export import table_response
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.models import (
    AccountRequest,
    ApiToken,
    Institution,
    Membership,
    Person,
    ServiceUnit,
)
from prima.core.queries import people_manageable_by, units_manageable_by
from prima.core.views import (
    ProfileForm,
    apply_domain_error,
    apply_sort,
    current_person,
    paginate,
    save_profile,
)

# Above this many units a drop-down is unusable; the form asks for the unit's number.
UNIT_SELECT_LIMIT = 300


def _secretariat_only(request: HttpRequest) -> Person:
    person = current_person(request)
    if not access_for(person).is_secretariat:
        raise PermissionDenied(_("Halaman ini khusus sekretariat."))
    return person


def _manages_operators(request: HttpRequest) -> Person:
    person = current_person(request)
    access = access_for(person)
    if not (access.is_secretariat or access.admin_institution_ids):
        raise PermissionDenied(_("Halaman ini khusus Admin Lokal dan sekretariat."))
    return person


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- public: account request ---------------------------------------------------------


class AccountRequestForm(StyledFormMixin, forms.Form):
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Instansi"),
        queryset=Institution.objects.filter(is_active=True).order_by("name"),
        empty_label=gettext_lazy("— pilih instansi —"),
    )
    full_name = forms.CharField(label=gettext_lazy("Nama pejabat"), max_length=150)
    position = forms.CharField(
        label=gettext_lazy("Jabatan"),
        max_length=150,
        help_text=gettext_lazy("Misalnya Kepala Bagian Organisasi Sekretariat Daerah."),
    )
    email = forms.EmailField(
        label=gettext_lazy("Surel resmi"),
        max_length=150,
        help_text=gettext_lazy(
            "Surel dinas (bukan surel pribadi). Tautan aktivasi akun dikirim ke alamat ini."
        ),
    )
    phone = forms.CharField(label=gettext_lazy("Nomor telepon"), max_length=30)
    letter_number = forms.CharField(label=gettext_lazy("Nomor surat"), max_length=100)
    letter = forms.FileField(
        label=gettext_lazy("Surat permohonan bertanda tangan (PDF)"),
        help_text=gettext_lazy(
            "Surat dari pimpinan instansi yang menunjuk pejabat ini sebagai Admin Lokal, "
            "dipindai dalam format PDF."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


def account_request_create(request: HttpRequest) -> HttpResponse:
    """Public form: an institution asks for its Admin Lokal account."""
    form = AccountRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not ratelimit.allow(
        "account-request",
        ratelimit.client_address(request),
        limit=settings.ACCOUNT_REQUESTS_PER_HOUR,
        window_seconds=3600,
    ):
        return render(
            request,
            "core/accounts/request_form.html",
            {"form": AccountRequestForm(), "rate_limited": True},
            status=429,
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accounts.submit_account_request(
                institution=data["institution"],
                full_name=data["full_name"],
                position=data["position"],
                email=data["email"],
                phone=data["phone"],
                letter_number=data["letter_number"],
                letter=data["letter"],
                actor=request.user if isinstance(request.user, Person) else None,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("account_request_sent")
    return render(
        request,
        "core/accounts/request_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def account_request_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accounts/request_sent.html")


# --- secretariat: account requests ---------------------------------------------------

REQUEST_SORTS = {
    "created": ("created_at",),
    "institution": ("institution__name",),
    "name": ("full_name",),
    "status": ("status", "created_at"),
}


@login_required
def account_request_list(request: HttpRequest) -> HttpResponse:
    _secretariat_only(request)
    qs: QuerySet[AccountRequest] = AccountRequest.objects.select_related(
        "institution", "decided_by"
    )
    status = request.GET.get("status", "")
    if status in AccountRequestStatus.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(
            Q(institution__name__icontains=q)
            | Q(full_name__icontains=q)
            | Q(email__icontains=q)
            | Q(letter_number__icontains=q)
        )
    qs, sort = apply_sort(request, qs, REQUEST_SORTS, "-created")
    return render(
        request,
        "core/accounts/request_list.html",
        {
            "page": paginate(request, qs),
            "status": status,
            "statuses": AccountRequestStatus.choices,
            "q": q,
            "sort": sort,
        },
    )


class DecisionForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _request_for_secretariat(request: HttpRequest, pk: int) -> tuple[Person, AccountRequest]:
    person = _secretariat_only(request)
    return person, get_object_or_404(
        AccountRequest.objects.select_related("institution", "decided_by", "person"), pk=pk
    )


@login_required
def account_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _person, account_request = _request_for_secretariat(request, pk)
    return _render_request_detail(request, account_request)


def _render_request_detail(
    request: HttpRequest,
    account_request: AccountRequest,
    approve_form: DecisionForm | None = None,
    reject_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    institution = account_request.institution
    context = {
        "req": account_request,
        "approve_form": approve_form or DecisionForm(prefix="approve"),
        "reject_form": reject_form or DecisionForm(prefix="reject"),
        "active_admins": list(
            Membership.objects.filter(
                institution=institution,
                role=Role.INSTITUTION_ADMIN,
                is_active=True,
                person__is_active=True,
            ).select_related("person")
        ),
        "other_requests": list(
            AccountRequest.objects.filter(institution=institution)
            .exclude(pk=account_request.pk)
            .order_by("-created_at")[:10]
        ),
    }
    return render(request, "core/accounts/request_detail.html", context, status=status)


@login_required
@require_POST
def account_request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    actor, account_request = _request_for_secretariat(request, pk)
    form = DecisionForm(request.POST, prefix="approve")
    form.is_valid()
    try:
        person = accounts.approve_account_request(
            account_request, actor=actor, reason=form.cleaned_data.get("reason", "")
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return _render_request_detail(request, account_request, approve_form=form, status=400)
    messages.success(
        request,
        _(
            "Permohonan disetujui. %(name)s kini Admin Lokal %(institution)s; tautan aktivasi "
            "dikirim ke %(email)s."
        )
        % {
            "name": person,
            "institution": account_request.institution,
            "email": person.email,
        },
    )
    return redirect("account_request_detail", pk=pk)


@login_required
@require_POST
def account_request_reject(request: HttpRequest, pk: int) -> HttpResponse:
    actor, account_request = _request_for_secretariat(request, pk)
    form = DecisionForm(request.POST, prefix="reject")
    form.is_valid()
    try:
        accounts.reject_account_request(
            account_request, actor=actor, reason=form.cleaned_data.get("reason", "")
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return _render_request_detail(request, account_request, reject_form=form, status=400)
    messages.success(
        request,
        _("Permohonan ditolak; alasannya dikirim ke %(email)s.") % {"email": account_request.email},
    )
    return redirect("account_request_detail", pk=pk)


@login_required
def account_request_letter(request: HttpRequest, pk: int) -> FileResponse:
    """The signed letter, for the secretariat only, always as a download."""
    _person, account_request = _request_for_secretariat(request, pk)
    if not account_request.letter:
        raise Http404(_("Surat tidak ditemukan."))
    try:
        handle = account_request.letter.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas surat tidak ditemukan di penyimpanan.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"surat-permohonan-{account_request.pk}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Admin Lokal: operators ----------------------------------------------------------

OPERATOR_SORTS = {
    "name": ("person__full_name",),
    "unit": ("unit__name", "person__full_name"),
    "email": ("person__email",),
    "joined": ("created_at",),
}


@login_required
def operator_list(request: HttpRequest) -> HttpResponse:
    """Unit operators of the institutions the person administers (the secretariat: all)."""
    actor = _manages_operators(request)
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


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        institution = obj.institution
        return f"{obj.name} — {institution.short_name or institution.name}"


class _OperatorFields(forms.Form):
    unit = UnitChoiceField(
        label=gettext_lazy("Unit pelayanan (UPP)"),
        queryset=ServiceUnit.objects.none(),
        empty_label=gettext_lazy("— pilih unit —"),
    )
    full_name = forms.CharField(label=gettext_lazy("Nama lengkap"), max_length=150)
    email = forms.EmailField(
        label=gettext_lazy("Surel"),
        max_length=150,
        help_text=gettext_lazy("Tautan aktivasi akun dikirim ke alamat ini."),
    )
    position = forms.CharField(label=gettext_lazy("Jabatan"), max_length=150, required=False)
    phone = forms.CharField(label=gettext_lazy("Nomor telepon"), max_length=30, required=False)
    nip = forms.CharField(label=gettext_lazy("NIP"), max_length=30, required=False)

    def __init__(self, *args: Any, actor: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = (
            units_manageable_by(actor).filter(is_active=True).order_by("institution__name", "name")
        )
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        if units.count() > UNIT_SELECT_LIMIT:
            field.widget = forms.NumberInput(attrs={"min": 1})
            field.help_text = gettext_lazy(
                "Nomor ID unit pelayanan, seperti tertulis di halaman unit tersebut."
            )


class OperatorForm(StyledFormMixin, _OperatorFields):
    """Mixin first: the unit choices are set before the mixin triggers validation."""


@login_required
def operator_create(request: HttpRequest) -> HttpResponse:
    actor = _manages_operators(request)
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


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RequiredReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("Alasan"), widget=forms.Textarea(attrs={"rows": 3}))


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
            return HttpResponseRedirect(_safe_next(request, default_next))
    return render(
        request,
        "core/accounts/person_status.html",
        {
            "person": person,
            "form": form,
            "deactivate": deactivate,
            "next": _safe_next(request, default_next),
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
    return HttpResponseRedirect(_safe_next(request, default))


# --- secretariat: people and memberships ---------------------------------------------

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
    _secretariat_only(request)
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


class PersonCreateForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Nama lengkap"), max_length=150)
    email = forms.EmailField(
        label=gettext_lazy("Surel"),
        max_length=150,
        help_text=gettext_lazy("Tautan aktivasi akun dikirim ke alamat ini."),
    )
    position = forms.CharField(label=gettext_lazy("Jabatan"), max_length=150, required=False)
    phone = forms.CharField(label=gettext_lazy("Nomor telepon"), max_length=30, required=False)
    nip = forms.CharField(label=gettext_lazy("NIP"), max_length=30, required=False)
    expertise = forms.CharField(
        label=gettext_lazy("Kata kunci keahlian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Untuk evaluator dan panelis, dipisahkan koma."),
    )
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Peran nasional"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (value, label) for value, label in Role.choices if value in accounts.GRANTABLE_ROLES
        ],
    )
    reason = forms.CharField(
        label=gettext_lazy("Dasar penugasan"),
        required=False,
        help_text=gettext_lazy("Misalnya nomor SK tim evaluasi."),
    )


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    actor = _secretariat_only(request)
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


class GrantForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(
        label=gettext_lazy("Peran"),
        choices=[
            (value, label) for value, label in Role.choices if value in accounts.GRANTABLE_ROLES
        ],
    )
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Instansi (untuk analis atau pemantau satu instansi)"),
        queryset=Institution.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=gettext_lazy("— nasional —"),
    )
    reason = forms.CharField(label=gettext_lazy("Dasar penugasan"), required=False)


class RevokeForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("Alasan pencabutan"))


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
    _secretariat_only(request)
    return _render_person_detail(request, get_object_or_404(Person, pk=pk))


@login_required
@require_POST
def membership_grant(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _secretariat_only(request)
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
    actor = _secretariat_only(request)
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


# --- activation and password reset ---------------------------------------------------


class StyledSetPasswordForm(StyledFormMixin, SetPasswordForm):
    pass


class _ChosenPasswordView(auth_views.PasswordResetConfirmView):
    """Save the chosen password through the domain (validated, audited), not the form."""

    via = "reset"
    form_class = StyledSetPasswordForm
    reset_url_token = "atur"

    def get_user(self, uidb64: str) -> Any:
        person = super().get_user(uidb64)
        # A deactivated account's old link must not work.
        return person if person is not None and person.is_active else None

    def form_valid(self, form: Any) -> HttpResponse:
        person = self.user
        assert person is not None  # dispatch only shows the form for a valid link
        via = "activation" if not person.has_usable_password() else self.via
        try:
            accounts.set_password(
                person, actor=person, password=form.cleaned_data["new_password1"], via=via
            )
        except DomainError as error:
            form.add_error("new_password1", error.message)
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class AccountActivateView(_ChosenPasswordView):
    """The one-time activation link: the new person chooses their password."""

    via = "activation"
    template_name = "core/accounts/activate.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        username = self.user.get_username() if self.user is not None else ""
        response = super().form_valid(form)
        if response.status_code == 302:
            messages.success(
                self.request,
                _(
                    "Akun Anda aktif. Masuk dengan nama pengguna %(username)s dan kata sandi "
                    "yang baru Anda pilih."
                )
                % {"username": username},
            )
        return response


class PasswordResetConfirmView(_ChosenPasswordView):
    """The link from "Lupa kata sandi": the person chooses a new password."""


class PasswordResetForm(StyledFormMixin, DjangoPasswordResetForm):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm


# --- own profile and tokens ----------------------------------------------------------


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    form = ProfileForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid() and save_profile(request, form):
        messages.success(request, _("Profil tersimpan."))
        return redirect("profile")
    memberships = list(
        person.memberships.filter(is_active=True)
        .select_related("institution", "unit")
        .order_by("role")
    )
    return render(
        request,
        "core/accounts/profile.html",
        {"form": form, "memberships": memberships},
        status=400 if form.errors else 200,
    )


class TokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nama token"),
        max_length=100,
        help_text=gettext_lazy("Misalnya nama aplikasi atau skrip yang akan memakainya."),
    )


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The person's own tokens; a new key is shown on this response only, never again."""
    person = current_person(request)
    form = TokenForm(request.POST or None)
    new_key = None
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            new_token, new_key = tokens.create_api_token(
                actor=person, name=form.cleaned_data["name"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            form = TokenForm()
    token_rows = list(ApiToken.objects.filter(person=person).order_by("revoked_at", "-created_at"))
    response = render(
        request,
        "core/accounts/tokens.html",
        {"form": form, "tokens": token_rows, "new_key": new_key, "new_token": new_token},
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    person = current_person(request)
    token = get_object_or_404(ApiToken, pk=pk, person=person)
    try:
        tokens.revoke_api_token(token, actor=person)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Token «%(name)s» dicabut.") % {"name": token.name})
    return redirect("token_list")
