"""The secretariat's queue of withdrawal requests across an edition (kipp.md §8 #15).

One page lists every pending request (proposal, institution, who asked, when, why) with an
approve / reject form per row; both need a note. National readers see the queue read-only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.core.domain.errors import DomainError
from prima.evaluation.models import Edition
from prima.kipp.domain import withdrawals as domain
from prima.kipp.domain.proposals import MIN_NOTE, keyed_ip_hash
from prima.kipp.models import Proposal


@login_required
def kipp_withdrawals(request: HttpRequest, code: str) -> HttpResponse:
    if not domain.may_read_withdrawals(request.user):
        raise PermissionDenied
    edition = get_object_or_404(Edition, code=code, programme="kipp")
    return render(
        request,
        "kipp/withdrawals/queue.html",
        {
            "edition": edition,
            "pending": domain.pending_withdrawals(edition),
            "can_act": domain.may_decide_withdrawals(request.user),
            "min_note": MIN_NOTE,
        },
    )


@login_required
@require_POST
def kipp_withdrawal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or reject one pending request (`decision`, `note`), back to the queue."""
    if not domain.may_decide_withdrawals(request.user):
        raise PermissionDenied
    proposal = get_object_or_404(
        Proposal.objects.select_related("edition", "institution"), pk=pk, edition__programme="kipp"
    )
    decision = request.POST.get("decision", "")
    try:
        domain.decide_withdrawal(
            proposal,
            decision=decision,
            note=request.POST.get("note", ""),
            actor=request.user,
            ip_hash=keyed_ip_hash(str(request.META.get("REMOTE_ADDR", ""))),
        )
    except DomainError as error:
        messages.error(request, f"«{proposal.title}»: {error.message}")
    else:
        text = (
            _("Penarikan «%(title)s» disetujui; proposal ditarik.")
            if decision == domain.APPROVE
            else _("Permohonan penarikan «%(title)s» ditolak; proposal tetap berjalan.")
        )
        messages.success(request, text % {"title": proposal.title})
    return redirect("kipp_withdrawals", code=proposal.edition.code)
