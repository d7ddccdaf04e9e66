"""Award recipients: proposed from a ranking, decided by the secretariat, overridden with a
reason, and the results decree recorded on the decided ones (DESIGN.md §8; kipp.md §11.3).

A proposal replaces only the rows still `proposed` from the ranking: a decided award, an
added one and a removed one keep their history (the reason stays on the row), and a new
ranking only refreshes their rank and score.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.awards.domain.permissions import RESULTS_STATES, require_secretariat
from prima.awards.domain.signing import mark_revoked
from prima.awards.enums import AwardSource, AwardStatus, Recipient
from prima.awards.models import Award, AwardCategory, Certificate
from prima.core.domain import audit
from prima.core.domain.errors import DomainError
from prima.core.models import Institution
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition
from prima.innovations.models import Innovation

MIN_REASON = 20
AUDITED = (
    "category",
    "institution",
    "innovation",
    "stratum",
    "rank",
    "score",
    "status",
    "source",
    "reason",
    "decree_number",
    "decree_date",
)


@dataclass(frozen=True)
class ProposedRecipient:
    """One recipient a programme's ranking proposes (`innovation_id` for innovation
    categories; `stratum` is e.g. the institution kind of a ranking within kind)."""

    institution_id: int
    innovation_id: int | None = None
    unit_id: int | None = None
    stratum: str = ""
    rank: int | None = None
    score: Decimal | None = None


def _key(institution_id: int, innovation_id: int | None) -> tuple[str, int]:
    return ("innovation", innovation_id) if innovation_id else ("institution", institution_id)


def _award_key(award: Award) -> tuple[str, int]:
    return _key(award.institution_id, award.innovation_id)


def check_reason(reason: str) -> str:
    """An override's reason: at least 20 characters, so the plenary's ground is on record."""
    text = (reason or "").strip()
    if len(text) < MIN_REASON:
        raise DomainError(
            _("Alasan wajib diisi, sekurang-kurangnya %(n)s karakter.") % {"n": MIN_REASON},
            field="reason",
        )
    return text


def require_not_public(edition: Edition, *, allowed: frozenset[str] = frozenset()) -> None:
    """Refuse changing the awards of an edition whose results are public (published and
    in a results state); `allowed` names states that still accept the change."""
    if edition.is_published and edition.state in RESULTS_STATES - allowed:
        raise DomainError(
            _(
                "Hasil penyelenggaraan %(edition)s sudah diumumkan; penghargaannya tidak "
                "dapat diubah lagi. Piagam masih dapat dicabut."
            )
            % {"edition": edition.code}
        )


def _edition_of(category: AwardCategory) -> Edition:
    return Edition.objects.get(pk=category.edition_id)


def _check_recipients(category: AwardCategory, proposals: Sequence[ProposedRecipient]) -> None:
    keys = [_key(p.institution_id, p.innovation_id) for p in proposals]
    if len(set(keys)) != len(keys):
        raise DomainError(_("Usulan memuat penerima yang sama lebih dari sekali."))
    wants_innovation = category.recipient == Recipient.INNOVATION
    for proposal in proposals:
        if wants_innovation and not proposal.innovation_id:
            raise DomainError(
                _(
                    "Kategori «%(title)s» diberikan kepada inovasi; setiap usulan harus "
                    "menyebut inovasinya."
                )
                % {"title": category.title}
            )
        if not wants_innovation and proposal.innovation_id:
            raise DomainError(
                _(
                    "Kategori «%(title)s» diberikan kepada instansi; usulan tidak boleh "
                    "menyebut inovasi."
                )
                % {"title": category.title}
            )
    institutions = {p.institution_id for p in proposals}
    found = set(Institution.objects.filter(pk__in=institutions).values_list("pk", flat=True))
    if institutions - found:
        raise DomainError(_("Usulan menyebut instansi yang tidak terdaftar."))
    innovations = {p.innovation_id for p in proposals if p.innovation_id}
    owners = dict(Innovation.objects.filter(pk__in=innovations).values_list("pk", "institution_id"))
    if innovations - set(owners):
        raise DomainError(_("Usulan menyebut inovasi yang tidak terdaftar."))
    for proposal in proposals:
        if proposal.innovation_id and owners[proposal.innovation_id] != proposal.institution_id:
            raise DomainError(_("Instansi usulan harus pemilik inovasinya."))


def propose_awards(
    category: AwardCategory, proposals: Sequence[ProposedRecipient], *, actor: Any
) -> list[Award]:
    """Replace the category's proposed rows with `proposals` (a ranking's outcome).

    Rows already decided, added or removed by the secretariat stay as they are; their rank
    and score follow the new ranking. Returns the proposed rows now in place.
    """
    require_secretariat(actor)
    _check_recipients(category, proposals)
    with transaction.atomic():
        AwardCategory.objects.select_for_update(of=("self",)).filter(pk=category.pk).first()
        rows = list(Award.objects.filter(category=category))
        kept = {_award_key(a): a for a in rows if a.status != AwardStatus.PROPOSED}
        dropped = [a for a in rows if a.status == AwardStatus.PROPOSED]
        before = [audit.snapshot(a, AUDITED) for a in dropped]
        Award.objects.filter(pk__in=[a.pk for a in dropped]).delete()
        proposed: list[Award] = []
        refreshed = 0
        for proposal in proposals:
            existing = kept.get(_key(proposal.institution_id, proposal.innovation_id))
            if existing is not None:
                existing.rank, existing.score, existing.stratum = (
                    proposal.rank,
                    proposal.score,
                    proposal.stratum,
                )
                existing.save(update_fields=["rank", "score", "stratum", "updated_at"])
                refreshed += 1
                continue
            proposed.append(
                Award.objects.create(
                    category=category,
                    edition_id=category.edition_id,
                    institution_id=proposal.institution_id,
                    innovation_id=proposal.innovation_id,
                    unit_id=proposal.unit_id,
                    stratum=proposal.stratum,
                    rank=proposal.rank,
                    score=proposal.score,
                    status=AwardStatus.PROPOSED,
                    source=AwardSource.RANKING,
                )
            )
        audit.record(
            actor=actor,
            action="awards.propose",
            obj=category,
            before={"proposed": before},
            after={
                "proposed": [audit.snapshot(a, AUDITED) for a in proposed],
                "refreshed": refreshed,
            },
        )
    return proposed


def decide_awards(category: AwardCategory, *, actor: Any) -> int:
    """Decide every proposed award of the category; returns how many were decided."""
    require_secretariat(actor)
    require_not_public(_edition_of(category))
    with transaction.atomic():
        rows = list(
            Award.objects.select_for_update(of=("self",)).filter(
                category=category, status=AwardStatus.PROPOSED
            )
        )
        if not rows:
            raise DomainError(
                _("Tidak ada usulan yang menunggu keputusan pada kategori «%(title)s».")
                % {"title": category.title}
            )
        now = timezone.now()
        for award in rows:
            award.status = AwardStatus.DECIDED
            award.decided_by = actor
            award.decided_at = now
            award.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        audit.record(
            actor=actor,
            action="awards.decide",
            obj=category,
            after={"decided": [a.pk for a in rows]},
        )
    return len(rows)


def add_award(
    category: AwardCategory,
    *,
    institution: Institution,
    innovation: Innovation | None = None,
    reason: str,
    actor: Any,
) -> Award:
    """Award a recipient the ranking did not propose (a plenary override, with its reason).

    A recipient removed earlier is decided again on the same row.
    """
    require_secretariat(actor)
    require_not_public(_edition_of(category))
    text = check_reason(reason)
    if category.recipient == Recipient.INNOVATION and innovation is None:
        raise DomainError(_("Pilih inovasi penerima penghargaan ini."), field="innovation")
    if category.recipient == Recipient.INSTITUTION and innovation is not None:
        raise DomainError(
            _("Kategori ini diberikan kepada instansi, bukan inovasi."), field="innovation"
        )
    if innovation is not None and innovation.institution_id != institution.pk:
        raise DomainError(_("Instansi harus pemilik inovasi yang dipilih."), field="institution")
    with transaction.atomic():
        lookup = {"innovation": innovation} if innovation else {"institution": institution}
        existing = (
            Award.objects.select_for_update(of=("self",))
            .filter(category=category, **lookup)
            .filter(**({} if innovation else {"innovation__isnull": True}))
            .first()
        )
        if existing is not None and existing.status != AwardStatus.REMOVED:
            raise DomainError(
                _("Penerima ini sudah ada di kategori «%(title)s» (%(status)s).")
                % {"title": category.title, "status": existing.get_status_display()}
            )
        before = audit.snapshot(existing, AUDITED) if existing is not None else None
        award = existing or Award(
            category=category,
            edition_id=category.edition_id,
            institution=institution,
            innovation=innovation,
            unit_id=innovation.unit_id if innovation is not None else None,
        )
        award.source = AwardSource.OVERRIDE
        _settle(
            award,
            AwardStatus.DECIDED,
            reason=text,
            actor=actor,
            action="awards.add",
            before=before,
        )
    return award


def _settle(
    award: Award,
    status: str,
    *,
    reason: str,
    actor: Any,
    action: str,
    before: dict[str, Any] | None = None,
) -> None:
    """Save the secretariat's override of `award` (status, reason, who and when) and
    audit it with `before`."""
    award.status = status
    award.reason = reason
    award.decided_by = actor
    award.decided_at = timezone.now()
    award.save()
    audit.record(
        actor=actor,
        action=action,
        obj=award,
        before=before,
        after=audit.snapshot(award, AUDITED),
        reason=reason,
    )


def remove_award(award: Award, *, reason: str, actor: Any) -> Award:
    """Take a proposed or decided award off the list, with the reason; its certificate,
    if any, is revoked with the same reason."""
    require_secretariat(actor)
    require_not_public(Edition.objects.get(pk=award.edition_id))
    text = check_reason(reason)
    with transaction.atomic():
        award = Award.objects.select_for_update(of=("self",)).get(pk=award.pk)
        if award.status == AwardStatus.REMOVED:
            raise DomainError(_("Penghargaan ini sudah dibatalkan."))
        _settle(
            award,
            AwardStatus.REMOVED,
            reason=text,
            actor=actor,
            action="awards.remove",
            before=audit.snapshot(award, AUDITED),
        )
        certificate = Certificate.objects.filter(award=award, revoked_at__isnull=True).first()
        if certificate is not None:
            mark_revoked(certificate, text)
            audit.record(
                actor=actor,
                action="awards.certificate.revoke",
                obj=certificate,
                after={"revoked_reason": text},
                reason=text,
            )
    return award


def record_decree(edition: Edition, *, number: str, date: dt.date, actor: Any) -> int:
    """Write the results decree on every decided award of the edition; returns how many.

    Refused while a valid certificate states another decree: revoke it first, so a printed
    piagam never disagrees with the record. Allowed in `results` (the decree follows the
    announcement of the results), refused once the edition is decreed and public.
    """
    require_secretariat(actor)
    require_not_public(edition, allowed=frozenset({EditionState.RESULTS}))
    number = (number or "").strip()
    if not number:
        raise DomainError(_("Nomor keputusan wajib diisi."), field="number")
    if date is None:
        raise DomainError(_("Tanggal keputusan wajib diisi."), field="date")
    with transaction.atomic():
        decided = Award.objects.select_for_update(of=("self",)).filter(
            edition=edition, status=AwardStatus.DECIDED
        )
        if not decided.exists():
            raise DomainError(
                _("Belum ada penghargaan yang ditetapkan; putuskan usulan lebih dulu.")
            )
        conflicting = (
            Certificate.objects.filter(award__in=decided, revoked_at__isnull=True)
            .exclude(award__decree_number=number, award__decree_date=date)
            .count()
        )
        if conflicting:
            raise DomainError(
                _(
                    "%(n)s piagam sudah diterbitkan dengan keputusan lain; cabut piagam itu "
                    "sebelum mencatat keputusan baru."
                )
                % {"n": conflicting}
            )
        count = decided.update(decree_number=number, decree_date=date, updated_at=timezone.now())
        audit.record(
            actor=actor,
            action="awards.decree",
            obj=edition,
            after={"decree_number": number, "decree_date": date, "awards": count},
        )
    return count
