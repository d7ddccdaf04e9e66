"""Helpers shared by the registry's views: the person, the object fetched with access checked."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from prima.core.domain.errors import DomainError
from prima.innovations.domain.permissions import may_edit
from prima.innovations.models import Innovation
from prima.innovations.queries import innovations_visible_to


def innovation_for(request: HttpRequest, pk: int, *, edit: bool = False) -> Innovation:
    """The innovation if the person may see it (404 otherwise); 403 if `edit` and they may not."""
    innovation = get_object_or_404(
        innovations_visible_to(request.user).select_related(
            "institution", "unit", "unit__region", "created_by"
        ),
        pk=pk,
    )
    if edit and not may_edit(request.user, innovation):
        raise PermissionDenied
    return innovation


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a domain refusal on the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    if field is not None and form.fields[field].widget.is_hidden:
        field = None
    form.add_error(field, error.message)
