"""Decrees, award events, revocations and disqualifications (kipp.md §8 #14, #16, #17; §15).

Recording the ministerial decree moves the winners and the other finalists to `decreed`
and writes their tiers into the award history (`AwardRecord`, the spec's TierEntry); the
award ceremony moves them on to `awarded`. A revocation or a late disqualification marks
those tiers revoked and takes the innovation out of the public catalogue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.uploads import PDF, check_upload
from prima.evaluation.domain.stages import advance_edition
from prima.evaluation.enums import EditionState, StageStatus
from prima.evaluation.models import Edition, Stage
from prima.innovations.domain.innovations import unpublish_innovation
from prima.innovations.enums import AwardLevel, Programme
from prima.innovations.models import AwardRecord, Innovation
from prima.kipp.domain.transitions import move
from prima.kipp.enums import DisqualificationReason, ProposalState
from prima.kipp.models import AwardEvent, Decree, Proposal

S = ProposalState
DECREE_FROM = (S.WINNER, S.FINALIST_ONLY)
DECREED_STATES = (S.DECREED, S.AWARDED)
# #16: from submission up to the award, whatever the result so far.
DISQUALIFIABLE = (
    S.SUBMITTED,
    S.ADMIN_PASSED,
    S.ADMIN_FAILED,
    S.DESK_REVIEW,
    S.NOMINATED,
    S.NOT_NOMINATED,
    S.PANEL_REVIEW,
    S.FINALIST,
    S.NOT_FINALIST,
    S.UNDER_OBJECTION,
    S.CONFIRMED_FINALIST,
    S.PRESENTED,
    S.FIELD_VERIFICATION,
    S.WINNER,
    S.FINALIST_ONLY,
    S.DECREED,
    S.AWARDED,
)
MIN_NOTE = 10


def _require_secretariat(actor: Any, message: str) -> None:
    access = access_for(actor)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied(message)


# --------------------------------------------------------------------------- tiers


def tier_levels(rules: Mapping[str, Any]) -> dict[str, str]:
    """Tier code → level (`finalist`/`winner`) from the edition's rule set, in config order."""
    return {
        str(tier["code"]): str(tier.get("level", ""))
        for tier in rules.get("tiers") or []
        if isinstance(tier, Mapping) and tier.get("code")
    }


def finalist_tier_for(rules: Mapping[str, Any], group: str) -> str | None:
    """The finalist-level tier of a group (e.g. `top99` for umum in 2021), if the rules name one."""
    for tier in rules.get("tiers") or []:
        if not isinstance(tier, Mapping) or tier.get("level") != AwardLevel.FINALIST:
            continue
        if group in (tier.get("groups") or []):
            return str(tier["code"])
    return None


def tier_codes(value: Iterable[Any]) -> list[str]:
    """The tier codes of `Proposal.tiers`, which holds codes (or `{"code": ...}` items)."""
    codes: list[str] = []
    for item in value or []:
        code = item.get("code") if isinstance(item, Mapping) else item
        if code and str(code) not in codes:
            codes.append(str(code))
    return codes


def tier_label(rules: Mapping[str, Any], code: str) -> str:
    for tier in rules.get("tiers") or []:
        if isinstance(tier, Mapping) and tier.get("code") == code:
            return str(tier.get("label") or code)
    return code


def decree_tiers(proposal: Proposal, rules: Mapping[str, Any]) -> list[str]:
    """The tiers a proposal is decreed with, in the rule set's order.

    A winner keeps its finalist tier too (§13): when the plenary recorded only the winner
    tier, the group's finalist tier is added. A finalist without a recorded tier gets its
    group's finalist tier. Tier codes the rule set does not know are refused.
    """
    levels = tier_levels(rules)
    codes = tier_codes(proposal.tiers)
    unknown = [code for code in codes if code not in levels]
    if unknown:
        raise DomainError(
            _("Proposal «%(title)s» memiliki tier yang tidak ada di aturan: %(codes)s.")
            % {"title": proposal.title, "codes": ", ".join(unknown)}
        )
    if proposal.state == S.WINNER and not any(levels[c] == AwardLevel.WINNER for c in codes):
        raise DomainError(
            _("Pemenang «%(title)s» belum memiliki tier pemenang; catat tier di pleno akhir.")
            % {"title": proposal.title}
        )
    if proposal.state == S.FINALIST_ONLY:
        codes = [c for c in codes if levels[c] == AwardLevel.FINALIST]
    if not any(levels[c] == AwardLevel.FINALIST for c in codes):
        finalist = finalist_tier_for(rules, proposal.group)
        if finalist is None:
            raise DomainError(
                _(
                    "Aturan penyelenggaraan tidak menyebut tier finalis untuk kelompok "
                    "«%(group)s» (proposal «%(title)s»)."
                )
                % {"group": proposal.group, "title": proposal.title}
            )
        codes.append(finalist)
    order = list(levels)
    return sorted(codes, key=order.index)


# --------------------------------------------------------------------------- decree


def _checked_pdf(upload: UploadedFile | None) -> UploadedFile | None:
    """The decree file, checked from its content and renamed to a random storage name."""
    if upload is None:
        return None
    checked = check_upload(upload, allowed=frozenset({PDF}))
    upload.name = checked.storage_name
    return upload


def _results_stage_open(edition: Edition) -> bool:
    return Stage.objects.filter(
        edition=edition, code=EditionState.RESULTS, status=StageStatus.OPEN
    ).exists()


def record_decree(
    edition: Edition,
    *,
    number: str,
    date: dt.date,
    title: str,
    file: UploadedFile | None = None,
    actor: Any,
) -> Decree:
    """Record the Kepmen PANRB naming the tiers (#14, §15).

    Takes every proposal of the edition in `winner` or `finalist_only`, snapshots the tier
    lists, moves the proposals to `decreed` and creates one award-history row per tier of
    each proposal (a winner keeps its finalist tier too). When the edition is in its
    results stage, it moves on to the decreed stage.
    """
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat mencatat keputusan menteri."))
    number, title = number.strip(), title.strip()
    if not number:
        raise DomainError(_("Nomor keputusan wajib diisi."), field="number")
    if len(number) > 120:
        raise DomainError(_("Nomor keputusan paling banyak 120 karakter."), field="number")
    if not title:
        raise DomainError(_("Judul keputusan wajib diisi."), field="title")
    if date > timezone.localdate():
        raise DomainError(_("Tanggal keputusan tidak boleh di masa depan."), field="date")
    file = _checked_pdf(file)
    rules = edition.rules or {}
    with transaction.atomic():
        locked = Edition.objects.select_for_update(of=("self",)).get(pk=edition.pk)
        if Decree.objects.filter(edition=locked, number=number).exists():
            raise DomainError(
                _("Keputusan nomor %(number)s sudah tercatat.") % {"number": number},
                field="number",
            )
        proposals = list(
            Proposal.objects.select_for_update(of=("self",))
            .filter(edition=locked, state__in=DECREE_FROM)
            .order_by("pk")
        )
        if not proposals:
            raise DomainError(
                _("Belum ada pemenang atau finalis hasil pleno akhir yang dapat ditetapkan.")
            )
        tiers = {p.pk: decree_tiers(p, rules) for p in proposals}
        levels = tier_levels(rules)
        tier_lists: dict[str, list[int]] = {code: [] for code in levels}
        for proposal in proposals:
            for code in tiers[proposal.pk]:
                tier_lists[code].append(proposal.pk)
        tier_lists = {code: ids for code, ids in tier_lists.items() if ids}
        decree = Decree(
            edition=locked,
            number=number,
            date=date,
            title=title,
            tier_lists=tier_lists,
            recorded_by=actor,
        )
        if file is not None:
            decree.file = file
        decree.save()
        for proposal in proposals:
            proposal.tiers = tiers[proposal.pk]
            move(
                proposal,
                S.DECREED,
                actor=actor,
                allowed_from=DECREE_FROM,
                reason=number,
                action="kipp.proposal.decree",
                extra_fields=("tiers",),
            )
            for code in proposal.tiers:
                AwardRecord.objects.update_or_create(
                    innovation_id=proposal.innovation_id,
                    programme=Programme.KIPP,
                    year=locked.year,
                    tier=code,
                    defaults={
                        "level": levels[code],
                        "group": proposal.group,
                        "decree_ref": number,
                        "decree_date": date,
                        "revoked": False,
                    },
                )
        audit.record(
            actor=actor,
            action="kipp.decree.record",
            obj=decree,
            after={"number": number, "date": date, "title": title, "tier_lists": tier_lists},
        )
        if _results_stage_open(locked):
            advance_edition(locked, actor=actor, reason=number)
    return decree


def record_award_event(
    editions: Sequence[Edition], *, name: str, date: dt.date, venue: str, actor: Any
) -> AwardEvent:
    """Record the award ceremony; the decreed proposals of its editions become `awarded`.

    One event may hold several programmes' awards (KIPP, PKRI); KIPP editions among them
    need decreed proposals.
    """
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat mencatat acara penghargaan."))
    name, venue = name.strip(), venue.strip()
    if not editions:
        raise DomainError(_("Pilih sekurang-kurangnya satu penyelenggaraan."), field="editions")
    if not name:
        raise DomainError(_("Nama acara wajib diisi."), field="name")
    if not venue:
        raise DomainError(_("Tempat acara wajib diisi."), field="venue")
    with transaction.atomic():
        proposals = list(
            Proposal.objects.select_for_update(of=("self",))
            .filter(edition__in=[e.pk for e in editions], state=S.DECREED)
            .order_by("pk")
        )
        kipp = [e for e in editions if e.programme == Programme.KIPP]
        if kipp and not proposals:
            raise DomainError(
                _("Belum ada proposal yang ditetapkan dengan keputusan menteri pada %(names)s.")
                % {"names": ", ".join(str(e) for e in kipp)},
                field="editions",
            )
        event = AwardEvent.objects.create(name=name, date=date, venue=venue, recorded_by=actor)
        event.editions.set(editions)
        for proposal in proposals:
            move(
                proposal,
                S.AWARDED,
                actor=actor,
                allowed_from=(S.DECREED,),
                reason=name,
                action="kipp.proposal.award",
            )
        audit.record(
            actor=actor,
            action="kipp.award_event.record",
            obj=event,
            after={
                "name": name,
                "date": date,
                "venue": venue,
                "editions": sorted(e.pk for e in editions),
                "awarded": [p.pk for p in proposals],
            },
        )
    return event


# --------------------------------------------------------------------------- revocation


def _revoke_history(proposal: Proposal, *, actor: Any, reason: str) -> list[int]:
    """Mark the proposal's award-history rows revoked and unpublish the innovation."""
    records = AwardRecord.objects.filter(
        innovation_id=proposal.innovation_id,
        programme=Programme.KIPP,
        year=proposal.edition.year,
        revoked=False,
    )
    ids = list(records.values_list("pk", flat=True))
    if ids:
        AwardRecord.objects.filter(pk__in=ids).update(revoked=True)
        audit.record(
            actor=actor,
            action="award.revoked",
            obj=proposal.innovation,
            after={"award_records": ids, "revoked": True},
            reason=reason,
        )
    innovation = Innovation.objects.get(pk=proposal.innovation_id)
    if innovation.is_published:
        unpublish_innovation(innovation, actor=actor)
    return ids


def revoke_tier(
    proposal: Proposal, *, amending_decree_no: str, actor: Any, reason: str = ""
) -> Proposal:
    """Revoke a decreed or awarded result by an amending decree (#17).

    The award-history rows of the edition become revoked, the proposal `revoked`, and the
    innovation leaves the public catalogue.
    """
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat mencabut penghargaan."))
    number = amending_decree_no.strip()
    if not number:
        raise DomainError(_("Nomor keputusan perubahan wajib diisi."), field="amending_decree_no")
    note = f"{number}: {reason.strip()}" if reason.strip() else number
    with transaction.atomic():
        locked = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("edition")
            .get(pk=proposal.pk)
        )
        move(
            locked,
            S.REVOKED,
            actor=actor,
            allowed_from=DECREED_STATES,
            reason=note,
            action="kipp.proposal.revoke",
        )
        _revoke_history(locked, actor=actor, reason=note)
    return locked


def disqualify_locked(proposal: Proposal, *, reason: str, evidence_note: str, actor: Any) -> None:
    """Disqualify a proposal already locked by the caller's transaction (#16)."""
    was_decreed = proposal.state in DECREED_STATES
    proposal.disqualification_reason = reason
    move(
        proposal,
        S.DISQUALIFIED,
        actor=actor,
        allowed_from=DISQUALIFIABLE,
        reason=evidence_note,
        action="kipp.proposal.disqualify",
        extra_fields=("disqualification_reason",),
    )
    if was_decreed:
        _revoke_history(proposal, actor=actor, reason=evidence_note)


def disqualify(proposal: Proposal, *, reason: str, evidence_note: str, actor: Any) -> Proposal:
    """Disqualify a proposal from any state between `submitted` and `awarded` (#16).

    Needs a reason code and a note on the evidence (at least 10 characters); a decreed or
    awarded proposal also loses its award-history rows and its catalogue entry.
    """
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat mendiskualifikasi proposal."))
    if reason not in DisqualificationReason.values:
        raise DomainError(
            _("Alasan diskualifikasi tidak dikenal: %(code)s.") % {"code": reason},
            field="reason",
        )
    note = evidence_note.strip()
    if len(note) < MIN_NOTE:
        raise DomainError(
            _("Uraikan bukti diskualifikasi, sekurang-kurangnya %(n)s karakter.") % {"n": MIN_NOTE},
            field="evidence_note",
        )
    with transaction.atomic():
        locked = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("edition")
            .get(pk=proposal.pk)
        )
        disqualify_locked(locked, reason=reason, evidence_note=note, actor=actor)
    return locked
