"""Secretariat pages for the KIPP tier-history import (kipp.md §17) and its review queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain.errors import DomainError
from prima.core.domain.errors import PermissionDenied as DomainPermissionDenied
from prima.core.views import signed_in_person
from prima.core.views_jobs import start_upload_job
from prima.kipp.domain import tier_import as domain
from prima.kipp.interfaces.tier_import import ResolveForm, TierImportForm, columns
from prima.kipp.jobs import start_tier_import


def _require_secretariat(request: HttpRequest) -> None:
    access = access_for(request.user)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied


@login_required
def kipp_tier_import(request: HttpRequest) -> HttpResponse:
    """Upload a tier-history file (imported as a job: checked row by row, then applied all
    or nothing); the page also shows the stored history's summary."""
    _require_secretariat(request)
    form = TierImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        started = start_upload_job(request, form, start_tier_import)
        if started is not None:
            return started
    return render(
        request,
        "kipp/tier_import/import.html",
        {
            "form": form,
            "columns": columns(),
            "summary": domain.history_summary(),
            "pending": len(domain.pending_review()),
        },
    )


@login_required
def kipp_tier_import_review(request: HttpRequest) -> HttpResponse:
    """Queued rows that match more than one innovation, with their candidates."""
    _require_secretariat(request)
    items = domain.pending_review()
    candidates = domain.candidates_of(items)
    rows = [
        {"item": item, "candidates": [candidates[pk] for pk in item.candidates if pk in candidates]}
        for item in items
    ]
    return render(request, "kipp/tier_import/review.html", {"rows": rows})


@login_required
def kipp_tier_import_resolve(request: HttpRequest, entry: int, index: int) -> HttpResponse:
    """Settle one queued row: choose a candidate innovation or create a new one."""
    _require_secretariat(request)
    try:
        item = domain.review_item(entry, index)
    except DomainError:
        messages.info(request, _("Baris antrean ini sudah diselesaikan."))
        return redirect("kipp_tier_import_review")
    found = domain.candidates_of([item])
    candidates = [found[pk] for pk in item.candidates if pk in found]
    form = ResolveForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            award = domain.resolve_review_item(
                entry, index, innovation_id=form.innovation_id(), actor=signed_in_person(request)
            )
        except DomainPermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error("choice", exc.message)
        else:
            messages.success(
                request,
                _("Tier %(tier)s %(year)s dicatat untuk «%(name)s».")
                % {"tier": award.tier, "year": award.year, "name": award.innovation.name},
            )
            return redirect("kipp_tier_import_review")
    return render(
        request,
        "kipp/tier_import/resolve.html",
        {"item": item, "candidates": candidates, "form": form},
    )
