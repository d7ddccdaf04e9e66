"""The person's own API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.core.domain import tokens
from prima.core.domain.errors import DomainError
from prima.core.interfaces.account_forms import TokenForm
from prima.core.models import ApiToken
from prima.core.views import apply_domain_error, current_person


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
