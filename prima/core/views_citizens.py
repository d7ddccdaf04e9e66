"""Citizen pages (/warga/): sign in with a code sent by SMS, the account, closing it.

Mobile-first public pages. The number the citizen typed waits in the session between the
two sign-in steps, with the page to return to; neither is ever put in a URL. Pages show
the number masked only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prima.core import ratelimit
from prima.core.citizen_session import (
    citizen_required,
    current_citizen,
    login_citizen,
    logout_citizen,
)
from prima.core.domain import citizens
from prima.core.domain.errors import DomainError
from prima.core.interfaces.citizen_forms import CloseAccountForm, CodeForm, EmailForm, PhoneForm
from prima.core.models import Citizen
from prima.core.views import apply_domain_error

PENDING = "prima_citizen_pending"


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """A same-site path to go back to after signing in; the account page otherwise."""
    target = (candidate or "").strip()
    if (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not target.startswith(reverse("citizen-logout"))
    ):
        return target
    return reverse("citizen-account")


def _status(form: Any, error: DomainError | None = None) -> int:
    if isinstance(error, citizens.TooManyRequests):
        return 429
    return 400 if form.errors else 200


def _retry_header(response: HttpResponse, error: DomainError | None) -> HttpResponse:
    if isinstance(error, citizens.TooManyRequests):
        response["Retry-After"] = str(error.retry_after)
    return response


def citizen_login(request: HttpRequest) -> HttpResponse:
    """Step 1: the mobile number; a code goes out by SMS."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if current_citizen(request) is not None:
        return HttpResponseRedirect(next_url)
    posted = request.POST if request.method == "POST" else None
    form = PhoneForm(posted, initial={"next": next_url})
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            citizens.request_login_code(phone, address=ratelimit.client_address(request))
        except DomainError as refused:
            error = refused
            apply_domain_error(form, refused)
        else:
            request.session[PENDING] = {"phone": phone, "next": next_url}
            return redirect("citizen-code")
    response = render(
        request,
        "core/citizens/login.html",
        {
            "form": form,
            # Staff who came here from a page may sign in with their password instead.
            "staff_next": next_url if next_url != reverse("citizen-account") else "",
        },
        status=_status(form, error),
    )
    return _retry_header(response, error)


def citizen_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the six-digit code (or a new one); then back to where the citizen was going."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or not pending.get("phone"):
        return redirect("citizen-login")
    phone, next_url = pending["phone"], safe_next(request, pending.get("next"))
    address = ratelimit.client_address(request)
    resend = request.POST.get("action") == "resend"
    form = CodeForm(request.POST if request.method == "POST" and not resend else None)
    error: DomainError | None = None
    resend_error = ""
    if request.method == "POST" and resend:
        try:
            citizens.request_login_code(phone, address=address)
        except DomainError as refused:
            error = refused
            resend_error = refused.message
        else:
            messages.success(request, _("Kode baru telah dikirim."))
            return redirect("citizen-code")
    elif request.method == "POST" and form.is_valid():
        try:
            citizens.count_code_try(address)
            citizen = citizens.verify_login_code(phone, form.cleaned_data["code"])
        except DomainError as refused:
            error = refused
            apply_domain_error(form, refused)
        else:
            request.session.pop(PENDING, None)
            login_citizen(request, citizen)
            messages.success(request, _("Anda masuk sebagai %(name)s.") % {"name": citizen})
            return HttpResponseRedirect(next_url)
    response = render(
        request,
        "core/citizens/code.html",
        {
            "form": form,
            "masked_phone": citizens.mask_phone(phone),
            "next": next_url,
            "resend_error": resend_error,
        },
        status=_status(form, error),
    )
    return _retry_header(response, error)


def _account_context(citizen: Citizen, **forms: Any) -> dict[str, Any]:
    pending = citizens.pending_email(citizen)
    return {
        "citizen": citizen,
        "masked_phone": citizens.mask_phone(citizen.phone),
        "pending_email": pending,
        "email_form": forms.get("email_form") or EmailForm(),
        "code_form": forms.get("code_form") or CodeForm(label=gettext_lazy("Kode dari surel")),
    }


@citizen_required
def citizen_account(request: HttpRequest) -> HttpResponse:
    """The citizen's own account: masked number, e-mail (added with a code), sign out, close."""
    citizen = current_citizen(request)
    assert citizen is not None
    action = request.POST.get("action", "")
    email_form = EmailForm(request.POST if action == "email_send" else None)
    code_form = CodeForm(
        request.POST if action == "email_verify" else None, label=gettext_lazy("Kode dari surel")
    )
    error: DomainError | None = None
    form: Any = None
    if request.method == "POST" and action == "email_send":
        form = email_form
        if email_form.is_valid():
            try:
                sent = citizens.request_email_code(citizen, email_form.cleaned_data["email"])
            except DomainError as refused:
                error = refused
                apply_domain_error(email_form, refused)
            else:
                messages.success(
                    request,
                    _("Kode verifikasi dikirim ke %(email)s. Berlaku sampai pukul %(time)s WIB.")
                    % {
                        "email": sent.target,
                        "time": timezone.localtime(sent.expires_at).strftime("%H.%M"),
                    },
                )
                return redirect("citizen-account")
    elif request.method == "POST" and action == "email_verify":
        form = code_form
        if code_form.is_valid():
            try:
                citizens.verify_email_code(citizen, code_form.cleaned_data["code"])
            except DomainError as refused:
                error = refused
                apply_domain_error(code_form, refused)
            else:
                messages.success(request, _("Surel Anda telah terverifikasi."))
                return redirect("citizen-account")
    response = render(
        request,
        "core/citizens/account.html",
        _account_context(citizen, email_form=email_form, code_form=code_form),
        status=_status(form, error) if form is not None else 200,
    )
    return _retry_header(response, error)


@citizen_required
def citizen_close(request: HttpRequest) -> HttpResponse:
    """Close one's own account, after an explicit confirmation."""
    citizen = current_citizen(request)
    assert citizen is not None
    form = CloseAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            citizens.close_citizen_account(citizen)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            logout_citizen(request)
            messages.success(request, _("Akun warga Anda telah ditutup."))
            return redirect("home")
    return render(
        request,
        "core/citizens/close.html",
        {"form": form, "citizen": citizen, "masked_phone": citizens.mask_phone(citizen.phone)},
        status=400 if form.errors else 200,
    )


@require_POST
def citizen_logout(request: HttpRequest) -> HttpResponse:
    """Sign the citizen out of this browser (a staff login on it is left alone)."""
    was_signed_in = current_citizen(request) is not None
    logout_citizen(request)
    if was_signed_in:
        messages.success(request, _("Anda telah keluar dari akun warga."))
    return redirect("home")
