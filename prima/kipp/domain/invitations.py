"""Invitations to invitation-only groups (kipp.md §6 `groups.*.invitation_only`, §9.4).

The `khusus` group of a 2021-like edition is open only to past winners the Minister
invites: an invitation is a record (edition, innovation, institution, group) made by the
secretariat, and without one no proposal can be created in that group
(`proposals.create_proposal`). When the group's rules say `requires` (e.g. a winner tier
decreed at least 12 months before the reference close), an innovation that does not
qualify is refused here already, with the same Indonesian explanation the §9 pre-check
gives (`eligibility.check_history`).

Creating and revoking are audited writes of the secretariat; an invitation that a proposal
(not withdrawn) already uses cannot be revoked. National readers see the list read-only;
participants see the invitations of the innovations they may enter (:func:`invitations_for`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition
from prima.innovations.models import AwardRecord, Innovation
from prima.kipp.domain import eligibility
from prima.kipp.domain.editions import position_of, rules_for
from prima.kipp.domain.proposals import innovations_for_proposal, registration_close
from prima.kipp.domain.rules import WIB, EditionRules, GroupRule, age_reference_close
from prima.kipp.enums import ProposalState
from prima.kipp.models import Invitation, Proposal

ACTION_CREATE = "kipp.invitation.create"
ACTION_REVOKE = "kipp.invitation.revoke"
AUDIT_FIELDS = ("edition", "innovation", "institution", "group")
SEARCH_RESULTS = 20


# --------------------------------------------------------------------------- who


def may_read_invitations(person: Any) -> bool:
    """The secretariat and national readers (analysts, auditors)."""
    access = access_for(person)
    return access.reads_nationally or access.is_superuser


def may_manage_invitations(person: Any) -> bool:
    access = access_for(person)
    return access.is_secretariat or access.is_superuser


def _require_secretariat(actor: Any) -> None:
    if not may_manage_invitations(actor):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat mengatur undangan."))


# --------------------------------------------------------------------------- the rules


def invitation_groups(edition: Edition) -> list[GroupRule]:
    """The edition's invitation-only groups, in rule order (empty for a 2025-like edition)."""
    return [group for group in rules_for(edition).groups.values() if group.invitation_only]


def invitation_group(edition: Edition, code: str | None) -> GroupRule:
    """The invitation-only group `code`; with no code, the edition's only one."""
    groups = invitation_groups(edition)
    if not groups:
        raise DomainError(
            _("%(edition)s tidak memiliki kelompok khusus undangan; tidak ada yang perlu diundang.")
            % {"edition": edition},
            field="group",
        )
    if not code:
        if len(groups) == 1:
            return groups[0]
        raise DomainError(
            _("Pilih kelompok undangan: %(choices)s.")
            % {"choices": ", ".join(g.code for g in groups)},
            field="group",
        )
    for group in groups:
        if group.code == code:
            return group
    raise DomainError(
        _("Kelompok «%(group)s» bukan kelompok undangan di %(edition)s; pilih: %(choices)s.")
        % {"group": code, "edition": edition, "choices": ", ".join(g.code for g in groups)},
        field="group",
    )


def reference_day(edition: Edition, rules: EditionRules | None = None) -> date:
    """The day the `requires` rule counts back from, as the §9 pre-checks do."""
    rules = rules or rules_for(edition)
    if rules.eligibility.age_reference == "registration_close_original":
        close = age_reference_close(rules)
    else:
        close = registration_close(edition)
    return close.astimezone(WIB).date() if close.tzinfo is not None else close.date()


def tiers_held(innovation_ids: Iterable[int]) -> dict[int, tuple[eligibility.TierHeld, ...]]:
    """The KIPP tiers of each innovation (imported history included), with decree dates."""
    held: dict[int, list[eligibility.TierHeld]] = {}
    rows = AwardRecord.objects.filter(
        innovation_id__in=list(innovation_ids), programme="kipp"
    ).values_list("innovation_id", "tier", "year", "level", "decree_date", "revoked")
    for innovation_id, tier, year, level, decree_date, revoked in rows:
        held.setdefault(innovation_id, []).append(
            eligibility.TierHeld(tier, year, level, decree_date, revoked)
        )
    return {pk: tuple(tiers) for pk, tiers in held.items()}


def qualification(
    rules: EditionRules, group: GroupRule, tiers: Sequence[eligibility.TierHeld], ref: date
) -> eligibility.CheckResult | None:
    """The group's `requires` check over the innovation's tiers (None: no requirement)."""
    if group.requires is None:
        return None
    candidate = eligibility.Candidate(
        group=group.code,
        category=None,
        implementation_start=None,
        has_start_evidence=False,
        unit_id=None,
        tiers=tuple(tiers),
    )
    results = eligibility.check_history(rules, group, candidate, ref)
    return next(result for result in results if result.rule == "requires")


def _require_open_for_invitations(edition: Edition) -> None:
    if edition.programme != "kipp":
        raise DomainError(_("Penyelenggaraan ini bukan KIPP."), field="edition")
    if position_of(edition.state) >= position_of(EditionState.ADMIN_SELECTION):
        raise DomainError(
            _(
                "%(edition)s sudah melewati pendaftaran (%(state)s); undangan hanya dibuat "
                "sebelum seleksi administrasi."
            )
            % {"edition": edition, "state": edition.get_state_display()}
        )


def check_may_invite(edition: Edition, actor: Any) -> None:
    """Raise unless the actor may invite to the edition now and it has a group to invite to."""
    _require_secretariat(actor)
    _require_open_for_invitations(edition)
    if not invitation_groups(edition):
        invitation_group(edition, None)  # raises, naming the edition


def refusal(
    innovation: Innovation, group: GroupRule, check: eligibility.CheckResult | None
) -> str | None:
    """Why the innovation cannot be invited to the group (None: it can)."""
    if check is not None and not check.passed:
        return _("«%(title)s» tidak memenuhi syarat %(group)s: %(reason)s") % {
            "title": innovation.name,
            "group": group.label,
            "reason": check.message,
        }
    return None


# --------------------------------------------------------------------------- reading


def invitations_of(edition: Edition, *, used: bool | None = None) -> QuerySet[Invitation]:
    """The edition's invitations with `used_by` / `used_state`: the proposal (not withdrawn)
    made from it, if any; `used` keeps only those with (True) or without (False) one.
    One query however many rows."""
    proposals = (
        Proposal.objects.filter(
            edition=OuterRef("edition"), innovation=OuterRef("innovation"), group=OuterRef("group")
        )
        .exclude(state=ProposalState.WITHDRAWN)
        .order_by("-pk")
    )
    qs = Invitation.objects.filter(edition=edition)
    if used is not None:
        qs = qs.filter(Exists(proposals) if used else ~Exists(proposals))
    return (
        qs.select_related("innovation__unit", "institution", "created_by")
        .annotate(
            used_by=Subquery(proposals.values("pk")[:1]),
            used_state=Subquery(proposals.values("state")[:1]),
        )
        .order_by("institution__name", "innovation__name", "pk")
    )


def invitations_for(person: Any, edition: Edition) -> QuerySet[Invitation]:
    """The edition's invitations of innovations the person may enter (operators of the
    unit, Admin Lokal of the institution or of a BUMD's owner)."""
    return (
        Invitation.objects.filter(
            edition=edition, innovation__in=innovations_for_proposal(person).values("pk")
        )
        .select_related("innovation__unit")
        .order_by("innovation__name", "pk")
    )


@dataclass(frozen=True)
class Candidate:
    """A registry innovation as the invite page shows it."""

    innovation: Innovation
    invited: bool
    check: eligibility.CheckResult | None
    problem: str | None


def search_candidates(edition: Edition, group: GroupRule, q: str) -> list[Candidate]:
    """Registry innovations matching `q` (number, name, acronym or institution), at most
    20, each with whether it is already invited and whether it qualifies."""
    q = (q or "").strip().removeprefix("#")
    if len(q) < 2 and not q.isdigit():
        return []
    condition = Q(name__icontains=q) | Q(acronym__icontains=q) | Q(institution__name__icontains=q)
    if q.isdigit():
        condition |= Q(pk=int(q))
    found = list(
        Innovation.objects.filter(condition)
        .select_related("institution", "unit")
        .order_by("name", "pk")[:SEARCH_RESULTS]
    )
    rules = rules_for(edition)
    ref = reference_day(edition, rules)
    held = tiers_held(i.pk for i in found)
    invited = set(
        Invitation.objects.filter(
            edition=edition, group=group.code, innovation__in=[i.pk for i in found]
        ).values_list("innovation_id", flat=True)
    )
    candidates = []
    for innovation in found:
        check = qualification(rules, group, held.get(innovation.pk, ()), ref)
        candidates.append(
            Candidate(
                innovation=innovation,
                invited=innovation.pk in invited,
                check=check,
                problem=refusal(innovation, group, check),
            )
        )
    return candidates


# --------------------------------------------------------------------------- writing


def _create(
    edition: Edition, innovation: Innovation, group: GroupRule, *, actor: Any, reason: str
) -> Invitation:
    """Insert one invitation with its audit entry (inside the caller's transaction)."""
    if Invitation.objects.filter(edition=edition, innovation=innovation, group=group.code).exists():
        raise DomainError(
            _("«%(title)s» sudah diundang ke %(group)s.")
            % {"title": innovation.name, "group": group.label},
            field="innovation",
        )
    invitation = Invitation.objects.create(
        edition=edition,
        innovation=innovation,
        institution_id=innovation.institution_id,
        group=group.code,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=ACTION_CREATE,
        obj=invitation,
        after=audit.snapshot(invitation, AUDIT_FIELDS),
        reason=reason,
    )
    return invitation


def invite_innovation(
    edition: Edition, innovation: Innovation, *, group: str | None = None, actor: Any
) -> Invitation:
    """Invite an innovation's institution to enter it in an invitation-only group.

    Refused before the group exists, after registration, for an innovation already
    invited, and, when the group `requires` a tier, for one that does not hold it — the
    refusal says which tier and which decree date were needed.
    """
    _require_secretariat(actor)
    _require_open_for_invitations(edition)
    rule = invitation_group(edition, group)
    rules = rules_for(edition)
    check = qualification(
        rules, rule, tiers_held([innovation.pk]).get(innovation.pk, ()), reference_day(edition)
    )
    problem = refusal(innovation, rule, check)
    if problem:
        raise DomainError(problem, field="innovation")
    try:
        with transaction.atomic():
            return _create(edition, innovation, rule, actor=actor, reason="")
    except IntegrityError:
        raise DomainError(
            _("«%(title)s» sudah diundang ke %(group)s.")
            % {"title": innovation.name, "group": rule.label},
            field="innovation",
        ) from None


def revoke_invitation(invitation: Invitation, *, actor: Any, reason: str = "") -> None:
    """Withdraw an invitation no proposal uses yet (a withdrawn proposal does not count)."""
    _require_secretariat(actor)
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("innovation")
            .filter(pk=invitation.pk)
            .first()
        )
        if locked is None:
            raise DomainError(_("Undangan ini sudah dicabut."))
        used = (
            Proposal.objects.filter(
                edition_id=locked.edition_id, innovation_id=locked.innovation_id, group=locked.group
            )
            .exclude(state=ProposalState.WITHDRAWN)
            .first()
        )
        if used is not None:
            raise DomainError(
                _(
                    "Undangan untuk «%(title)s» sudah dipakai proposal #%(number)s; undangan "
                    "tidak dapat dicabut selama proposal itu ada."
                )
                % {"title": locked.innovation.name, "number": used.pk}
            )
        audit.record(
            actor=actor,
            action=ACTION_REVOKE,
            obj=locked,
            before=audit.snapshot(locked, AUDIT_FIELDS),
            reason=(reason or "").strip(),
        )
        locked.delete()


@dataclass(frozen=True)
class InvitationRow:
    """One checked line of an invitation file."""

    row: int
    innovation: Innovation
    group: str


@dataclass(frozen=True)
class ImportOutcome:
    created: list[Invitation]
    already: list[int]  # row numbers whose innovation was already invited (skipped)


def record_invitations(
    edition: Edition, rows: Sequence[InvitationRow], *, actor: Any, source: str = ""
) -> ImportOutcome:
    """Write checked rows in one transaction, one audit entry per invitation. Rows whose
    innovation is already invited to the group are skipped and reported, so the same file
    can be imported twice."""
    _require_secretariat(actor)
    _require_open_for_invitations(edition)
    groups = {group.code: group for group in invitation_groups(edition)}
    created: list[Invitation] = []
    already: list[int] = []
    with transaction.atomic():
        Edition.objects.select_for_update(of=("self",)).get(pk=edition.pk)
        existing = set(
            Invitation.objects.filter(edition=edition).values_list("innovation_id", "group")
        )
        for item in rows:
            if (item.innovation.pk, item.group) in existing:
                already.append(item.row)
                continue
            existing.add((item.innovation.pk, item.group))
            reason = _("Impor %(file)s, baris %(row)s") % {"file": source or "-", "row": item.row}
            created.append(
                _create(edition, item.innovation, groups[item.group], actor=actor, reason=reason)
            )
    return ImportOutcome(created=created, already=already)
