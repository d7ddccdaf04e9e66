"""Who may open the account pages, and where to go back to after a form."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.models import Person
from prima.core.views import current_person


def secretariat_only(request: HttpRequest) -> Person:
    person = current_person(request)
    if not access_for(person).is_secretariat:
        raise PermissionDenied(_("Halaman ini khusus sekretariat."))
    return person


def manages_operators(request: HttpRequest) -> Person:
    person = current_person(request)
    access = access_for(person)
    if not (access.is_secretariat or access.admin_institution_ids):
        raise PermissionDenied(_("Halaman ini khusus Admin Lokal dan sekretariat."))
    return person


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
