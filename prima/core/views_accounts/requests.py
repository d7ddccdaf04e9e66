"""Account requests: the public form, and the secretariat's list, review and decision."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.core import ratelimit
from prima.core.domain import accounts
from prima.core.domain.errors import DomainError
from prima.core.enums import AccountRequestStatus, Role
from prima.core.interfaces.account_forms import AccountRequestForm, DecisionForm
from prima.core.interfaces.listing import apply_sort, paginate
from prima.core.models import AccountRequest, Membership, Person
from prima.core.views import apply_domain_error
from prima.core.views_accounts.guards import secretariat_only


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


REQUEST_SORTS = {
    "created": ("created_at",),
    "institution": ("institution__name",),
    "name": ("full_name",),
    "status": ("status", "created_at"),
}


@login_required
def account_request_list(request: HttpRequest) -> HttpResponse:
    secretariat_only(request)
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


def _request_for_secretariat(request: HttpRequest, pk: int) -> tuple[Person, AccountRequest]:
    person = secretariat_only(request)
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
