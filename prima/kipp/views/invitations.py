"""Secretariat pages for invitations to invitation-only groups (kipp.md §6, §9.4): the
edition's list with its export, inviting from the registry, revoking, importing a file.

The secretariat acts; national readers (analysts, auditors) read the list and export;
nobody else reaches these pages (participants see their own invitations on the
proposal-creation page).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.core.domain.errors import DomainError
from prima.core.domain.errors import PermissionDenied as DomainPermissionDenied
from prima.core.interfaces.export import table_response
from prima.core.interfaces.listing import paginate
from prima.core.interfaces.tabular import TableError
from prima.core.views import signed_in_person
from prima.evaluation.models import Edition
from prima.kipp.domain import invitations as domain
from prima.kipp.enums import ProposalState
from prima.kipp.interfaces.invitations import (
    InvitationImportForm,
    InviteForm,
    columns,
    export_header,
    export_rows,
    import_invitations,
)
from prima.kipp.models import Invitation

MAX_ERRORS_SHOWN = 500
EXPORT_FORMATS = ("xlsx", "csv")


def _edition(request: HttpRequest, code: str, *, manage: bool = False) -> Edition:
    allowed = (
        domain.may_manage_invitations(request.user)
        if manage
        else domain.may_read_invitations(request.user)
    )
    if not allowed:
        raise PermissionDenied
    return get_object_or_404(
        Edition.objects.select_related("instrument"), code=code, programme="kipp"
    )


def _filtered(request: HttpRequest, edition: Edition) -> tuple[Any, dict[str, str]]:
    filters = {
        "q": request.GET.get("q", "").strip(),
        "kelompok": request.GET.get("kelompok", ""),
        "pakai": request.GET.get("pakai", ""),
    }
    used = {"dipakai": True, "belum": False}.get(filters["pakai"])
    qs = domain.invitations_of(edition, used=used)
    if filters["q"]:
        qs = qs.filter(
            Q(innovation__name__icontains=filters["q"])
            | Q(institution__name__icontains=filters["q"])
        )
    if filters["kelompok"]:
        qs = qs.filter(group=filters["kelompok"])
    return qs, filters


@login_required
def kipp_invitations(request: HttpRequest, code: str) -> HttpResponse:
    """The edition's invitations: innovation, institution, group, who invited and when,
    and the proposal made from it."""
    edition = _edition(request, code)
    qs, filters = _filtered(request, edition)
    page = paginate(request, qs)
    for invitation in page.object_list:
        state = getattr(invitation, "used_state", None)
        invitation.used_label = ProposalState(state).label if state else ""
    return render(
        request,
        "kipp/invitations/list.html",
        {
            "edition": edition,
            "groups": domain.invitation_groups(edition),
            "page": page,
            "filters": filters,
            "can_act": domain.may_manage_invitations(request.user),
        },
    )


@login_required
def kipp_invitation_export(request: HttpRequest, code: str) -> HttpResponse:
    edition = _edition(request, code)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    qs, _filters = _filtered(request, edition)
    return table_response(fmt, f"undangan-{edition.code}", export_header(), export_rows(list(qs)))


@login_required
def kipp_invitation_add(request: HttpRequest, code: str) -> HttpResponse:
    """Search the registry, see whether each innovation qualifies, invite one."""
    edition = _edition(request, code, manage=True)
    groups = domain.invitation_groups(edition)
    form = InviteForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = domain.invite_innovation(
                edition,
                form.cleaned_data["innovation"],
                group=form.cleaned_data["group"],
                actor=request.user,
            )
        except DomainPermissionDenied as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(institution)s diundang mengusulkan «%(title)s» di %(group)s.")
                % {
                    "institution": invitation.institution.name,
                    "title": invitation.innovation.name,
                    "group": invitation.group,
                },
            )
            return redirect("kipp_invitations", code=edition.code)
    q = request.GET.get("q", "")
    wanted = request.GET.get("kelompok", "")
    group = next((g for g in groups if g.code == wanted), groups[0] if groups else None)
    candidates = domain.search_candidates(edition, group, q) if group is not None else []
    return render(
        request,
        "kipp/invitations/add.html",
        {
            "edition": edition,
            "groups": groups,
            "group": group,
            "q": q,
            "candidates": candidates,
            "form": form,
        },
    )


@login_required
@require_POST
def kipp_invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if not domain.may_manage_invitations(request.user):
        raise PermissionDenied
    invitation = get_object_or_404(
        Invitation.objects.select_related("edition", "innovation"),
        pk=pk,
        edition__programme="kipp",
    )
    try:
        domain.revoke_invitation(
            invitation, actor=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Undangan untuk «%(title)s» dicabut.") % {"title": invitation.innovation.name},
        )
    return redirect("kipp_invitations", code=invitation.edition.code)


@login_required
def kipp_invitation_import(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a CSV/XLSX of invitations; applied only when every row is valid."""
    edition = _edition(request, code, manage=True)
    form = InvitationImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    error_count = 0
    if request.method == "POST" and form.is_valid():
        try:
            outcome = import_invitations(
                edition, form.cleaned_data["file"], actor=signed_in_person(request)
            )
        except TableError as exc:
            error_count = len(exc.errors)
            errors = exc.errors[:MAX_ERRORS_SHOWN]
        except DomainPermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(
                request,
                _("Impor undangan selesai: %(created)d undangan baru, %(already)d sudah ada.")
                % {"created": len(outcome.created), "already": len(outcome.already)},
            )
            return redirect("kipp_invitations", code=edition.code)
    return render(
        request,
        "kipp/invitations/import.html",
        {
            "edition": edition,
            "form": form,
            "errors": errors,
            "error_count": error_count,
            "columns": columns(),
            "groups": domain.invitation_groups(edition),
        },
    )
