"""The one writer of proposal state changes: history row, audit entry, participant view."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.domain import audit
from prima.core.domain.errors import DomainError
from prima.kipp.enums import ANNOUNCED_STATES, ProposalState
from prima.kipp.models import Proposal, ProposalTransition

# Shown to participants at once, even while an earlier result is unannounced (§8).
SHOWN_AT_ONCE = frozenset(
    {ProposalState.WITHDRAWN, ProposalState.DISQUALIFIED, ProposalState.REVOKED}
)


def move(
    proposal: Proposal,
    to_state: str,
    *,
    actor: Any,
    allowed_from: Iterable[str],
    reason: str = "",
    ip_hash: str = "",
    action: str = "kipp.proposal.transition",
    extra_fields: Iterable[str] = (),
) -> Proposal:
    """Move one proposal to `to_state`; must run inside the caller's transaction.

    Refuses a move from a state not in `allowed_from`. States whose result participants
    see only after an announcement keep `participant_state` unchanged; publishing the
    announcement reveals them (`reveal_states`). While a result is still hidden, later
    process states stay hidden too (a proposal entering desk review would otherwise tell
    its institution it passed the administrative check before the announcement); only a
    withdrawal, disqualification or revocation shows at once.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("move() must be called inside transaction.atomic()")
    allowed = set(allowed_from)
    from_state = proposal.state
    if from_state not in allowed:
        raise DomainError(
            _("Proposal berstatus «%(state)s» tidak dapat dipindahkan ke «%(to)s».")
            % {
                "state": ProposalState(from_state).label,
                "to": ProposalState(to_state).label,
            }
        )
    now = timezone.now()
    proposal.state = to_state
    proposal.state_reason = reason
    proposal.state_changed_at = now
    result_hidden = proposal.participant_state != from_state
    if to_state not in ANNOUNCED_STATES and (not result_hidden or to_state in SHOWN_AT_ONCE):
        proposal.participant_state = to_state
    proposal.version += 1
    proposal.save(
        update_fields=[
            "state",
            "state_reason",
            "state_changed_at",
            "participant_state",
            "version",
            "updated_at",
            *extra_fields,
        ]
    )
    ProposalTransition.objects.create(
        proposal=proposal,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        reason=reason,
        ip_hash=ip_hash,
    )
    audit.record(
        actor=actor,
        action=action,
        obj=proposal,
        before={"state": from_state},
        after={"state": to_state},
        reason=reason,
    )
    return proposal


def reveal_states(proposals: Iterable[Proposal]) -> int:
    """Let participants see the current state of these proposals (on announcement)."""
    ids = [p.pk for p in proposals]
    changed = 0
    for proposal in Proposal.objects.filter(pk__in=ids).only("pk", "state", "participant_state"):
        if proposal.participant_state != proposal.state:
            proposal.participant_state = proposal.state
            proposal.save(update_fields=["participant_state"])
            changed += 1
    return changed
