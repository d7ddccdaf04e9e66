"""Numbered announcements: draft, then publish (kipp.md §15, §8 labels).

An announcement carries the Deputy's letter number (checked by the rule set's regex,
unique in the edition). Publishing it snapshots the attached list from the proposals'
states, releases the stage result to participants (the hidden states of §8 become
visible), e-mails each concerned institution's Admin Lokal, and for some kinds acts on the
edition: a registration extension moves the effective close, a finalist list opens the
public objection window. A published announcement never changes; a correction is a new
announcement that names the one it corrects.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as in_indonesian

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.accounts.mail import mail_on_commit, site_url
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import RegionLevel
from prima.core.models import Region
from prima.evaluation.models import Edition
from prima.innovations.enums import AwardLevel
from prima.kipp.domain.awards import finalist_tier_for, tier_codes, tier_label, tier_levels
from prima.kipp.domain.editions import extend_registration
from prima.kipp.domain.objections import institution_admin_emails, open_objection_window
from prima.kipp.domain.transitions import reveal_states
from prima.kipp.enums import ANNOUNCED_STATES, AnnouncementKind, ProposalState, SlotMode
from prima.kipp.models import Announcement, Decree, Proposal

K = AnnouncementKind
S = ProposalState
DEFAULT_NUMBER_PATTERN = r"^B/\d+/PP\.00\.05/\d{4}$"
MAX_TITLE = 200
MAX_SIGNATORY = 150

# The states each list shows: proposals that reached that result and were not removed.
_AFTER_FINALIST = frozenset(
    {
        S.FINALIST,
        S.UNDER_OBJECTION,
        S.CONFIRMED_FINALIST,
        S.PRESENTED,
        S.FIELD_VERIFICATION,
        S.WINNER,
        S.FINALIST_ONLY,
        S.DECREED,
        S.AWARDED,
    }
)
_AFTER_NOMINATION = _AFTER_FINALIST | {S.NOMINATED, S.PANEL_REVIEW, S.NOT_FINALIST}
_AFTER_ADMIN = _AFTER_NOMINATION | {S.ADMIN_PASSED, S.DESK_REVIEW, S.NOT_NOMINATED}
_CONFIRMED = _AFTER_FINALIST - {S.FINALIST, S.UNDER_OBJECTION}
LISTED_STATES: Mapping[str, frozenset[str]] = {
    K.ADMIN_RESULT: _AFTER_ADMIN,
    K.NOMINEES: _AFTER_NOMINATION,
    K.FINALISTS: _AFTER_FINALIST,
    K.OBJECTION_RESULT: _CONFIRMED,
    K.SCHEDULE: _CONFIRMED,
    K.WINNERS: frozenset({S.WINNER, S.DECREED, S.AWARDED}),
}
# The results each kind announces (§8: hidden until the announcement).
ANNOUNCES: Mapping[str, tuple[str, ...]] = {
    K.ADMIN_RESULT: (S.ADMIN_PASSED, S.ADMIN_FAILED),
    K.NOMINEES: (S.NOMINATED, S.NOT_NOMINATED),
    K.FINALISTS: (S.FINALIST, S.NOT_FINALIST),
    K.WINNERS: (S.WINNER, S.FINALIST_ONLY),
}
# A later result implies the earlier ones were decided: publishing it also releases any
# earlier result no announcement released (e.g. "not nominated" when no nominee list is
# published because the edition has no panel review).
_ORDER = (K.ADMIN_RESULT, K.NOMINEES, K.FINALISTS, K.WINNERS)
REVEALS: Mapping[str, frozenset[str]] = {
    kind: frozenset(s for earlier in _ORDER[: i + 1] for s in ANNOUNCES[earlier])
    for i, kind in enumerate(_ORDER)
}


def _require_secretariat(actor: Any, message: str) -> None:
    access = access_for(actor)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied(message)


def number_pattern(rules: Mapping[str, Any]) -> str:
    """The letter-number regex of the rule set (`announcement.number_regex`), or the default."""
    for key, field in (("announcement", "number_regex"), ("announcements", "number_pattern")):
        block = rules.get(key)
        if isinstance(block, Mapping) and block.get(field):
            return str(block[field])
    return DEFAULT_NUMBER_PATTERN


@dataclass(frozen=True)
class AnnouncementData:
    """What the secretariat writes on a draft."""

    kind: str
    number: str
    date: dt.date
    title: str
    signatory_name: str
    signatory_position: str
    body: str = ""
    new_close: dt.datetime | None = None
    corrects: Announcement | None = None


FIELDS = (
    "kind",
    "number",
    "date",
    "title",
    "body",
    "signatory_name",
    "signatory_position",
    "new_close",
    "corrects",
)


def _clean(edition: Edition, data: AnnouncementData, *, exclude_pk: int | None) -> dict[str, Any]:
    """Validate a draft's content; returns the field values to store."""
    if data.kind not in K.values:
        raise DomainError(_("Pilih jenis pengumuman."), field="kind")
    number = data.number.strip()
    pattern = number_pattern(edition.rules or {})
    if not re.fullmatch(pattern, number):
        raise DomainError(
            _(
                "Nomor «%(number)s» tidak sesuai pola surat pengumuman (%(pattern)s), "
                "misalnya B/88/PP.00.05/2021."
            )
            % {"number": number, "pattern": pattern},
            field="number",
        )
    taken = Announcement.objects.filter(edition=edition, number=number)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise DomainError(
            _("Nomor %(number)s sudah dipakai pengumuman lain pada penyelenggaraan ini.")
            % {"number": number},
            field="number",
        )
    title = data.title.strip()
    if not title:
        raise DomainError(_("Judul pengumuman wajib diisi."), field="title")
    if len(title) > MAX_TITLE:
        raise DomainError(
            _("Judul paling banyak %(n)s karakter.") % {"n": MAX_TITLE}, field="title"
        )
    name, position = data.signatory_name.strip(), data.signatory_position.strip()
    if not name:
        raise DomainError(_("Nama penanda tangan wajib diisi."), field="signatory_name")
    if not position:
        raise DomainError(_("Jabatan penanda tangan wajib diisi."), field="signatory_position")
    if len(name) > MAX_SIGNATORY or len(position) > MAX_SIGNATORY:
        raise DomainError(
            _("Nama dan jabatan penanda tangan paling banyak %(n)s karakter.")
            % {"n": MAX_SIGNATORY},
            field="signatory_name" if len(name) > MAX_SIGNATORY else "signatory_position",
        )
    new_close = data.new_close
    if data.kind == K.REGISTRATION_EXTENSION:
        if new_close is None:
            raise DomainError(
                _("Pengumuman perpanjangan harus memuat batas pendaftaran yang baru."),
                field="new_close",
            )
        if timezone.is_naive(new_close):
            raise DomainError(
                _("Batas pendaftaran harus menyertakan zona waktu."), field="new_close"
            )
        current = edition.registration_close
        if current is not None and new_close <= current:
            raise DomainError(
                _("Batas pendaftaran baru harus sesudah batas saat ini (%(close)s WIB).")
                % {"close": timezone.localtime(current).strftime("%d-%m-%Y %H:%M")},
                field="new_close",
            )
    elif new_close is not None:
        raise DomainError(
            _("Batas pendaftaran baru hanya diisi pada pengumuman perpanjangan pendaftaran."),
            field="new_close",
        )
    corrects = data.corrects
    if corrects is not None:
        if corrects.edition_id != edition.pk:
            raise DomainError(
                _("Pengumuman yang diralat harus dari penyelenggaraan yang sama."),
                field="corrects",
            )
        if corrects.published_at is None:
            raise DomainError(
                _("Hanya pengumuman yang sudah terbit yang dapat diralat; ubah saja drafnya."),
                field="corrects",
            )
    return {
        "kind": data.kind,
        "number": number,
        "date": data.date,
        "title": title,
        "body": data.body.strip(),
        "signatory_name": name,
        "signatory_position": position,
        "new_close": new_close,
        "corrects": corrects,
    }


def _snapshot(announcement: Announcement) -> dict[str, Any]:
    return audit.snapshot(announcement, FIELDS)


def create_announcement(edition: Edition, data: AnnouncementData, *, actor: Any) -> Announcement:
    """Write a draft announcement (not public, no effect until published)."""
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat menyusun pengumuman."))
    values = _clean(edition, data, exclude_pk=None)
    with transaction.atomic():
        announcement = Announcement.objects.create(edition=edition, created_by=actor, **values)
        audit.record(
            actor=actor,
            action="kipp.announcement.create",
            obj=announcement,
            after=_snapshot(announcement),
        )
    return announcement


def _locked_draft(announcement: Announcement) -> Announcement:
    locked = (
        Announcement.objects.select_for_update(of=("self",))
        .select_related("edition")
        .get(pk=announcement.pk)
    )
    if locked.published_at is not None:
        raise DomainError(
            _(
                "Pengumuman %(number)s sudah terbit dan tidak dapat diubah; terbitkan ralat "
                "sebagai pengumuman baru."
            )
            % {"number": locked.number}
        )
    return locked


def update_announcement(
    announcement: Announcement, data: AnnouncementData, *, actor: Any
) -> Announcement:
    """Change a draft; a published announcement is refused (immutable)."""
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat mengubah pengumuman."))
    with transaction.atomic():
        locked = _locked_draft(announcement)
        values = _clean(locked.edition, data, exclude_pk=locked.pk)
        before = _snapshot(locked)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save()
        audit.record(
            actor=actor,
            action="kipp.announcement.update",
            obj=locked,
            before=before,
            after=_snapshot(locked),
        )
    return locked


def discard_announcement(announcement: Announcement, *, actor: Any) -> None:
    """Delete a draft; published announcements stay forever."""
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat menghapus draf pengumuman."))
    with transaction.atomic():
        locked = _locked_draft(announcement)
        before = _snapshot(locked)
        audit.record(actor=actor, action="kipp.announcement.discard", obj=locked, before=before)
        locked.delete()


# --------------------------------------------------------------------------- the list


def _labels(rules: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    groups: dict[str, str] = {}
    for code, group in (rules.get("groups") or {}).items():
        label = group.get("label") if isinstance(group, Mapping) else None
        groups[str(code)] = str(label or code)
    categories: dict[str, str] = {}
    for item in rules.get("categories") or []:
        if isinstance(item, Mapping):
            categories[str(item.get("code"))] = str(item.get("label") or item.get("code"))
        else:
            categories[str(item)] = str(item)
    return groups, categories


def build_listing(edition: Edition, kind: str) -> list[dict[str, Any]]:
    """The list the announcement of this kind attaches, generated from proposal states.

    Rows: proposal id, title, institution, province, group, category and tier (codes and
    labels); schedule rows add the slot; winner lists have a row per winner tier. Kinds
    without a list (launch, extension, other) give [].
    """
    states = LISTED_STATES.get(kind)
    if states is None:
        return []
    rules = edition.rules or {}
    qs = Proposal.objects.filter(edition=edition, state__in=states).select_related("institution")
    if kind == K.SCHEDULE:
        qs = qs.filter(slot__isnull=False).select_related("slot")
    proposals = list(qs)
    codes = {p.institution.province_code for p in proposals if p.institution.province_code}
    provinces = dict(
        Region.objects.filter(code__in=codes, level=RegionLevel.PROVINCE).values_list(
            "code", "name"
        )
    )
    groups, categories = _labels(rules)
    levels = tier_levels(rules)
    order = {code: i for i, code in enumerate(levels)}

    def row(proposal: Proposal, tier: str = "") -> dict[str, Any]:
        return {
            "proposal": proposal.pk,
            "title": proposal.title,
            "institution": proposal.institution.name,
            "province": provinces.get(proposal.institution.province_code, ""),
            "group": proposal.group,
            "group_label": groups.get(proposal.group, proposal.group),
            "category": proposal.category,
            "category_label": categories.get(proposal.category, proposal.category),
            "tier": tier,
            "tier_label": tier_label(rules, tier) if tier else "",
        }

    def finalist_tier(proposal: Proposal) -> str:
        held = [c for c in tier_codes(proposal.tiers) if levels.get(c) == AwardLevel.FINALIST]
        return held[0] if held else finalist_tier_for(rules, proposal.group) or ""

    rows: list[dict[str, Any]] = []
    if kind == K.WINNERS:
        for proposal in proposals:
            for code in tier_codes(proposal.tiers):
                if levels.get(code) == AwardLevel.WINNER:
                    rows.append(row(proposal, code))
        rows.sort(key=lambda r: (order.get(r["tier"], len(order)), r["title"], r["proposal"]))
        return rows
    if kind == K.SCHEDULE:
        for proposal in proposals:
            slot = proposal.slot
            entry = row(proposal, finalist_tier(proposal))
            entry.update(
                starts_at=timezone.localtime(slot.starts_at).isoformat(),
                minutes=slot.minutes,
                mode=slot.mode,
                # A meeting link is for the presenters, not for the public list.
                location=slot.location if slot.mode == SlotMode.ONSITE else "",
            )
            rows.append(entry)
        rows.sort(key=lambda r: (r["starts_at"], r["proposal"]))
        return rows
    with_tier = kind in (K.FINALISTS, K.OBJECTION_RESULT)
    for proposal in proposals:
        rows.append(row(proposal, finalist_tier(proposal) if with_tier else ""))
    group_order = {code: i for i, code in enumerate(groups)}
    rows.sort(
        key=lambda r: (
            group_order.get(r["group"], len(group_order)),
            r["category_label"],
            r["title"],
            r["proposal"],
        )
    )
    return rows


# --------------------------------------------------------------------------- publishing


def _mail_institutions(
    announcement: Announcement, results: Mapping[int, list[tuple[Proposal, str]]]
) -> None:
    """One e-mail per concerned institution, to its Admin Lokal, listing its own results."""
    if not results:
        return
    institutions = {p.institution_id: p.institution for rows in results.values() for p, _r in rows}
    emails = institution_admin_emails(institutions.values())
    link = site_url(reverse("kipp_public_announcement", args=[announcement.pk]))
    for institution_id, rows in results.items():
        mail_on_commit(
            subject=in_indonesian("Pengumuman KIPP %(number)s: %(title)s")
            % {"number": announcement.number, "title": announcement.title},
            template="kipp/email/announcement_published.txt",
            context={
                "announcement": announcement,
                "institution": institutions[institution_id],
                "rows": [
                    {"title": p.title, "result": result}
                    for p, result in sorted(rows, key=lambda item: item[0].title)
                ],
                "link": link,
            },
            to=emails.get(institution_id, []),
        )


def _concerned(
    edition: Edition, kind: str, listing: Iterable[Mapping[str, Any]]
) -> dict[int, list[tuple[Proposal, str]]]:
    """Institution → (proposal, result shown in the e-mail) for the announcement's kind."""
    found: dict[int, list[tuple[Proposal, str]]] = defaultdict(list)
    base = Proposal.objects.filter(edition=edition).select_related("institution")
    if kind in ANNOUNCES:
        for proposal in base.filter(state__in=ANNOUNCES[kind]):
            found[proposal.institution_id].append(
                (proposal, str(ProposalState(proposal.state).label))
            )
    elif kind == K.SCHEDULE:
        for proposal in base.filter(slot__isnull=False, state__in=_CONFIRMED).select_related(
            "slot"
        ):
            start = timezone.localtime(proposal.slot.starts_at)
            found[proposal.institution_id].append(
                (
                    proposal,
                    _("presentasi %(when)s WIB") % {"when": start.strftime("%d-%m-%Y %H:%M")},
                )
            )
    elif kind == K.OBJECTION_RESULT:
        ids = [row["proposal"] for row in listing]
        for proposal in base.filter(pk__in=ids):
            found[proposal.institution_id].append((proposal, str(S.CONFIRMED_FINALIST.label)))
    return dict(found)


def publish_announcement(announcement: Announcement, *, actor: Any) -> Announcement:
    """Publish a draft (§15): snapshot its list, release results, act on the edition, e-mail.

    - the list is generated now from the proposals' states (`build_listing`);
    - the results the kind announces become visible to participants (`reveal_states`);
    - `registration_extension` moves the effective registration close (with its letter);
    - `finalists` opens the public objection window (finalists → under objection);
    - each concerned institution's Admin Lokal gets its own results by e-mail.
    Published announcements are immutable.
    """
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat menerbitkan pengumuman."))
    with transaction.atomic():
        locked = _locked_draft(announcement)
        edition = Edition.objects.select_for_update(of=("self",)).get(pk=locked.edition_id)
        # Re-check the draft against the current rules and numbers before it goes out.
        _clean(
            edition,
            AnnouncementData(
                kind=locked.kind,
                number=locked.number,
                date=locked.date,
                title=locked.title,
                signatory_name=locked.signatory_name,
                signatory_position=locked.signatory_position,
                body=locked.body,
                new_close=locked.new_close,
                corrects=locked.corrects,
            ),
            exclude_pk=locked.pk,
        )
        now = timezone.now()
        listing = build_listing(edition, locked.kind)
        # Results go into Indonesian e-mails whatever language the publisher uses.
        with translation.override(settings.LANGUAGE_CODE):
            concerned = _concerned(edition, locked.kind, listing)
        # The announced results, and the process states proposals reached after them
        # (desk review after the admin result), which stayed hidden until now.
        revealed = set(REVEALS.get(locked.kind, ())) | (
            set(LISTED_STATES.get(locked.kind, ())) - ANNOUNCED_STATES
        )
        hidden = [
            p
            for p in Proposal.objects.filter(edition=edition, state__in=revealed).only(
                "pk", "state", "participant_state"
            )
            if p.participant_state != p.state
        ]
        reveal_states(hidden)
        if locked.kind == K.REGISTRATION_EXTENSION:
            assert locked.new_close is not None
            extend_registration(
                edition,
                new_close=locked.new_close,
                letter_no=locked.number,
                letter_date=locked.date,
                actor=actor,
            )
        if locked.kind == K.FINALISTS:
            open_objection_window(edition, published_at=now, reason=locked.number, actor=actor)
        locked.listing = listing
        locked.published_at = now
        locked.save(update_fields=["listing", "published_at"])
        audit.record(
            actor=actor,
            action="kipp.announcement.publish",
            obj=locked,
            after={
                "number": locked.number,
                "kind": locked.kind,
                "published_at": now,
                "listed": [row["proposal"] for row in listing],
                "revealed": [p.pk for p in hidden],
            },
        )
        _mail_institutions(locked, concerned)
    return locked


def published_announcements(edition: Edition | None = None) -> Any:
    """What the public sees: published announcements of published editions, newest first."""
    qs = Announcement.objects.filter(
        published_at__isnull=False, edition__is_published=True
    ).select_related("edition", "corrects")
    if edition is not None:
        qs = qs.filter(edition=edition)
    return qs.order_by("-published_at", "-pk")


# --------------------------------------------------------------------------- the attached list


@dataclass(frozen=True)
class AttachedList:
    """The list an announcement attaches, with the columns its public page and PDF show."""

    rows: list[dict[str, Any]]
    schedule: bool  # the slot columns (time, mode and place)
    with_tier: bool  # the tier column


def attached_list(announcement: Announcement) -> AttachedList:
    """The snapshot taken at publishing; for a draft, the list as it would be generated now."""
    if announcement.published_at is not None:
        rows = list(announcement.listing or [])
    else:
        rows = build_listing(announcement.edition, announcement.kind)
    return AttachedList(
        rows=rows,
        schedule=announcement.kind == K.SCHEDULE,
        with_tier=any(row.get("tier") for row in rows),
    )


def _utc(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if moment is not None else None


def content_fingerprint(announcement: Announcement, rows: list[dict[str, Any]]) -> str:
    """SHA-256 (hex) of the announcement's own content and attached list.

    Computed from what is stored, in a canonical JSON form, so it never changes once the
    announcement is published (it is immutable) and a printed copy can be compared with
    the public page. Later facts (a correction, a decree) are not part of it.
    """
    content = {
        "edition": announcement.edition.code,
        "kind": announcement.kind,
        "number": announcement.number,
        "date": announcement.date.isoformat(),
        "title": announcement.title,
        "body": announcement.body,
        "signatory_name": announcement.signatory_name,
        "signatory_position": announcement.signatory_position,
        "new_close": _utc(announcement.new_close),
        "corrects": announcement.corrects.number if announcement.corrects else None,
        "published_at": _utc(announcement.published_at),
        "listing": rows,
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cited_decrees(announcement: Announcement, rows: list[dict[str, Any]]) -> list[Decree]:
    """The decrees the announcement rests on: those of its edition, dated on or before it,
    that name a listed proposal (a winners list announced after the Kepmen cites it)."""
    listed = {row.get("proposal") for row in rows}
    if not listed:
        return []
    decrees = Decree.objects.filter(
        edition_id=announcement.edition_id, date__lte=announcement.date
    ).order_by("date", "pk")
    return [
        decree
        for decree in decrees
        if listed & {pk for ids in (decree.tier_lists or {}).values() for pk in ids}
    ]
