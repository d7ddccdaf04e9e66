"""One-time links: activation of a new account and password reset."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from prima.core.domain import accounts
from prima.core.domain.errors import DomainError
from prima.core.interfaces.account_forms import PasswordResetForm, StyledSetPasswordForm


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


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
