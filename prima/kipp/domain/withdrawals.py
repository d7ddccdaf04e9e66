"""The secretariat's queue of withdrawal requests (kipp.md §8 #15).

A request is not a table of its own: it is the Admin Lokal's audit entry
(`proposals.ACTION_REQUEST_WITHDRAWAL`), pending while it is the proposal's latest entry
among request / rejection / withdrawal. `proposals.pending_withdrawal` answers that for
one proposal; :func:`pending_withdrawals` answers it for a whole edition in two queries,
and primes each proposal's cache so `pending_withdrawal` costs nothing afterwards.

Deciding goes through `proposals.approve_withdrawal` / `reject_withdrawal`; the queue
asks for a note on both decisions, so the Admin Lokal always reads why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.evaluation.models import Edition
from prima.kipp.domain import proposals
from prima.kipp.enums import PARTICIPANT_STATES
from prima.kipp.models import Proposal

APPROVE = "approve"
REJECT = "reject"
DECISIONS = (APPROVE, REJECT)
# Proposals for which a request can be pending: submitted or later, not yet decreed.
REQUESTABLE = tuple(sorted(proposals.BEFORE_DECREE - PARTICIPANT_STATES))
_DECISIVE = (
    proposals.ACTION_REQUEST_WITHDRAWAL,
    proposals.ACTION_REJECT_WITHDRAWAL,
    proposals.ACTION_WITHDRAW,
)


@dataclass(frozen=True)
class PendingWithdrawal:
    """A proposal and the Admin Lokal's request awaiting the secretariat."""

    proposal: Proposal
    request: AuditEntry

    @property
    def requested_by(self) -> str:
        actor = self.request.actor
        if actor is not None and actor.full_name:
            return str(actor.full_name)
        return self.request.actor_label


def may_read_withdrawals(person: Any) -> bool:
    """The secretariat and national readers (analysts, auditors) see the queue."""
    access = access_for(person)
    return access.reads_nationally or access.is_superuser


def may_decide_withdrawals(person: Any) -> bool:
    access = access_for(person)
    return access.is_secretariat or access.is_superuser


def pending_withdrawals(edition: Edition) -> list[PendingWithdrawal]:
    """Every pending request of the edition, oldest first, in two queries."""
    latest = AuditEntry.objects.filter(
        object_type=Proposal._meta.label_lower,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        action__in=_DECISIVE,
    ).order_by("-id")
    rows = list(
        Proposal.objects.filter(edition=edition, state__in=REQUESTABLE)
        .annotate(
            last_action=Subquery(latest.values("action")[:1]),
            last_entry=Subquery(latest.values("pk")[:1]),
        )
        .filter(last_action=proposals.ACTION_REQUEST_WITHDRAWAL)
        .select_related("institution", "unit", "innovation")
    )
    entries = AuditEntry.objects.select_related("actor").in_bulk([row.last_entry for row in rows])
    pending: list[PendingWithdrawal] = []
    for row in rows:
        entry = entries[row.last_entry]
        row.__dict__[proposals.PENDING_CACHE] = entry
        pending.append(PendingWithdrawal(proposal=row, request=entry))
    pending.sort(key=lambda item: item.request.pk)
    return pending


def decide_withdrawal(
    proposal: Proposal, *, decision: str, note: str, actor: Any, ip_hash: str = ""
) -> Proposal:
    """Approve or reject the pending request with a note of at least 10 characters."""
    if not may_decide_withdrawals(actor):
        raise PermissionDenied(_("Hanya sekretariat yang memutus permohonan penarikan."))
    if decision not in DECISIONS:
        raise DomainError(
            _("Keputusan tidak dikenal: %(value)s; pilih approve atau reject.")
            % {"value": decision},
            field="decision",
        )
    note = (note or "").strip()
    if len(note) < proposals.MIN_NOTE:
        raise DomainError(
            _("Catatan keputusan minimal %(n)s karakter.") % {"n": proposals.MIN_NOTE},
            field="note",
        )
    if decision == APPROVE:
        return proposals.approve_withdrawal(proposal, actor=actor, note=note, ip_hash=ip_hash)
    return proposals.reject_withdrawal(proposal, note=note, actor=actor)
