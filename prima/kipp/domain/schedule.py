"""Presentation slots and field verification (kipp.md §13; §8 #12).

Slots last `presentation.minutes.talk + interview` minutes (default 7 + 13 = 20) and are
laid out on working days (Monday to Friday, minus the rule set's `holidays`) between the
day's start and end, never overlapping a slot already given. The institution's Admin Lokal
confirms who presents. Field visits (optional, `field_verification.enabled`) are recorded
by the secretariat; a `not_confirmed` outcome is flagged for the final plenary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.evaluation.models import Edition
from prima.kipp.domain.transitions import move
from prima.kipp.enums import ProposalState, SlotMode, VisitOutcome
from prima.kipp.models import FieldVisit, PresentationSlot, Proposal

S = ProposalState
DEFAULT_TALK = 7
DEFAULT_INTERVIEW = 13
MAX_TEXT = 150
MIN_FINDINGS = 10
WEEKEND = (5, 6)  # Saturday, Sunday


def _require_secretariat(actor: Any, message: str) -> None:
    access = access_for(actor)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied(message)


def _enabled(rules: Mapping[str, Any], key: str) -> bool:
    block = rules.get(key)
    return isinstance(block, Mapping) and bool(block.get("enabled", False))


def presentation_enabled(rules: Mapping[str, Any]) -> bool:
    return _enabled(rules, "presentation")


def field_verification_enabled(rules: Mapping[str, Any]) -> bool:
    return _enabled(rules, "field_verification")


def slot_minutes(rules: Mapping[str, Any]) -> int:
    """`talk + interview` minutes of the presentation (default 7 + 13)."""
    block = rules.get("presentation")
    minutes = block.get("minutes") if isinstance(block, Mapping) else None
    minutes = minutes if isinstance(minutes, Mapping) else {}
    return int(minutes.get("talk") or DEFAULT_TALK) + int(
        minutes.get("interview") or DEFAULT_INTERVIEW
    )


def holidays(rules: Mapping[str, Any]) -> frozenset[dt.date]:
    """The rule set's holiday dates (`holidays`: ISO dates), refused by name when malformed."""
    found: set[dt.date] = set()
    for value in rules.get("holidays") or []:
        if isinstance(value, dt.date):
            found.add(value)
            continue
        try:
            found.add(dt.date.fromisoformat(str(value)))
        except ValueError as error:
            raise DomainError(
                _("Tanggal libur di aturan penyelenggaraan tidak sah: %(value)s.")
                % {"value": value}
            ) from error
    return frozenset(found)


def working_days(
    first_day: dt.date, last_day: dt.date, closed: Iterable[dt.date] = ()
) -> list[dt.date]:
    """Monday to Friday from `first_day` to `last_day` (both included), minus `closed` days."""
    skip = set(closed)
    days: list[dt.date] = []
    day = first_day
    while day <= last_day:
        if day.weekday() not in WEEKEND and day not in skip:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def slot_starts(
    days: Sequence[dt.date],
    day_start: dt.time,
    day_end: dt.time,
    minutes: int,
    *,
    taken: Iterable[tuple[dt.datetime, dt.datetime]] = (),
) -> Iterator[dt.datetime]:
    """Start times (WIB) of consecutive slots that fit in each day and miss every taken one."""
    length = dt.timedelta(minutes=minutes)
    busy = sorted(taken)
    zone = timezone.get_default_timezone()
    for day in days:
        start = dt.datetime.combine(day, day_start, tzinfo=zone)
        close = dt.datetime.combine(day, day_end, tzinfo=zone)
        while start + length <= close:
            end = start + length
            clash = [b_end for b_start, b_end in busy if b_start < end and start < b_end]
            if clash:
                start = max(clash)
                continue
            yield start
            start = end


def _unscheduled_finalists(edition: Edition) -> list[Proposal]:
    return list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(edition=edition, state=S.CONFIRMED_FINALIST, slot__isnull=True)
        .order_by("category", "group", "title", "pk")
    )


def schedule_presentations(
    edition: Edition,
    *,
    first_day: dt.date,
    last_day: dt.date,
    day_start: dt.time,
    day_end: dt.time,
    mode: str,
    location: str,
    actor: Any,
) -> list[PresentationSlot]:
    """Give every confirmed finalist without a slot the next free slot (§13).

    Finalists are taken by category, group and title, so a category's pool of panelists
    hears its finalists together. Slots fall on working days in the given window, from
    `day_start` to `day_end` (WIB), and never overlap slots already given. Refused when the
    window holds too few slots, naming the numbers.
    """
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat menyusun jadwal presentasi."))
    rules = edition.rules or {}
    if not presentation_enabled(rules):
        raise DomainError(_("Presentasi tidak diaktifkan pada penyelenggaraan ini."))
    if last_day < first_day:
        raise DomainError(
            _("Hari terakhir harus sama dengan atau sesudah hari pertama."), field="last_day"
        )
    if first_day < timezone.localdate():
        raise DomainError(_("Hari pertama tidak boleh di masa lalu."), field="first_day")
    if day_end <= day_start:
        raise DomainError(_("Jam selesai harus sesudah jam mulai."), field="day_end")
    if mode not in SlotMode.values:
        raise DomainError(_("Pilih cara presentasi: daring atau luring."), field="mode")
    location = location.strip()
    if not location:
        raise DomainError(_("Isi tempat atau tautan rapat presentasi."), field="location")
    minutes = slot_minutes(rules)
    days = working_days(first_day, last_day, holidays(rules))
    with transaction.atomic():
        locked = Edition.objects.select_for_update(of=("self",)).get(pk=edition.pk)
        finalists = _unscheduled_finalists(locked)
        if not finalists:
            raise DomainError(_("Tidak ada finalis terkonfirmasi yang belum mendapat jadwal."))
        taken = [
            (slot.starts_at, slot.starts_at + dt.timedelta(minutes=slot.minutes))
            for slot in PresentationSlot.objects.filter(proposal__edition=locked)
        ]
        starts = list(slot_starts(days, day_start, day_end, minutes, taken=taken))
        if len(starts) < len(finalists):
            raise DomainError(
                _(
                    "Slot tidak cukup: %(need)s finalis perlu dijadwalkan, tetapi %(days)s hari "
                    "kerja dengan slot %(minutes)s menit hanya memuat %(have)s slot. Perpanjang "
                    "rentang tanggal atau jam."
                )
                % {
                    "need": len(finalists),
                    "days": len(days),
                    "minutes": minutes,
                    "have": len(starts),
                }
            )
        slots = PresentationSlot.objects.bulk_create(
            PresentationSlot(
                proposal=proposal,
                starts_at=start,
                minutes=minutes,
                mode=mode,
                location=location,
            )
            for proposal, start in zip(finalists, starts, strict=False)
        )
        audit.record(
            actor=actor,
            action="kipp.schedule.create",
            obj=locked,
            after={
                "mode": mode,
                "location": location,
                "minutes": minutes,
                "slots": [[s.proposal_id, s.starts_at] for s in slots],
            },
        )
    return slots


def may_confirm_presenter(person: Any, slot: PresentationSlot) -> bool:
    """The proposing institution's Admin Lokal (or its owner's, for a BUMD)."""
    admin_of = access_for(person).admin_institution_ids
    institution = slot.proposal.institution
    return institution.pk in admin_of or (
        institution.parent_id is not None and institution.parent_id in admin_of
    )


def confirm_presenter(
    slot: PresentationSlot, name: str, position: str, *, actor: Any
) -> PresentationSlot:
    """Record who presents (name and position), before the slot starts (§13).

    The position drives the attendance item of the presentation rubric. It may be changed
    until the slot begins.
    """
    if not may_confirm_presenter(actor, slot):
        raise PermissionDenied(
            _("Hanya Admin Lokal instansi pengusul yang dapat mengonfirmasi penyaji.")
        )
    name, position = name.strip(), position.strip()
    if not name:
        raise DomainError(_("Nama penyaji wajib diisi."), field="name")
    if not position:
        raise DomainError(_("Jabatan penyaji wajib diisi."), field="position")
    if len(name) > MAX_TEXT or len(position) > MAX_TEXT:
        raise DomainError(
            _("Nama dan jabatan paling banyak %(n)s karakter.") % {"n": MAX_TEXT},
            field="name" if len(name) > MAX_TEXT else "position",
        )
    with transaction.atomic():
        locked = (
            PresentationSlot.objects.select_for_update(of=("self",))
            .select_related("proposal")
            .get(pk=slot.pk)
        )
        if locked.starts_at <= timezone.now():
            raise DomainError(_("Jadwal presentasi ini sudah dimulai atau lewat."))
        if locked.proposal.state != S.CONFIRMED_FINALIST:
            raise DomainError(
                _("Proposal berstatus «%(state)s» tidak lagi dijadwalkan presentasi.")
                % {"state": locked.proposal.get_state_display()}
            )
        before = {
            "presenter_name": locked.presenter_name,
            "presenter_position": locked.presenter_position,
        }
        locked.presenter_name = name
        locked.presenter_position = position
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["presenter_name", "presenter_position", "confirmed_at"])
        audit.record(
            actor=actor,
            action="kipp.slot.confirm_presenter",
            obj=locked,
            before=before,
            after={"presenter_name": name, "presenter_position": position},
        )
    return locked


def slots_visible_to(person: Any, edition: Edition) -> QuerySet[PresentationSlot]:
    """All slots for national readers; an Admin Lokal sees its institution's (and BUMDs')."""
    access = access_for(person)
    qs = PresentationSlot.objects.filter(proposal__edition=edition).select_related(
        "proposal", "proposal__institution"
    )
    if access.reads_nationally or access.is_superuser:
        return qs
    ids = access.admin_institution_ids
    if ids:
        return qs.filter(
            Q(proposal__institution_id__in=ids) | Q(proposal__institution__parent_id__in=ids)
        )
    return qs.none()


# --------------------------------------------------------------------------- field visits


def _check_field_verification(edition: Edition) -> None:
    if not field_verification_enabled(edition.rules or {}):
        raise DomainError(_("Verifikasi lapangan tidak diaktifkan pada penyelenggaraan ini."))


def select_for_field_visit(proposals: Iterable[Proposal], *, actor: Any) -> list[Proposal]:
    """Mark presented finalists for a field visit (#12: presented → field_verification)."""
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat memilih verifikasi lapangan."))
    chosen = list(proposals)
    with transaction.atomic():
        moved = []
        for proposal in chosen:
            locked = (
                Proposal.objects.select_for_update(of=("self",))
                .select_related("edition")
                .get(pk=proposal.pk)
            )
            _check_field_verification(locked.edition)
            move(
                locked,
                S.FIELD_VERIFICATION,
                actor=actor,
                allowed_from=(S.PRESENTED,),
                reason=_("Dipilih untuk verifikasi lapangan."),
                action="kipp.proposal.field_verification",
            )
            moved.append(locked)
    return moved


def record_field_visit(
    proposal: Proposal,
    *,
    visited_on: dt.date,
    visitors: str,
    findings: str,
    outcome: str,
    actor: Any,
) -> FieldVisit:
    """Record a field visit and its outcome (§13, #12: back to `presented`).

    Only when the edition enables field verification. A presented finalist not yet
    selected is selected by this record. `not_confirmed` is flagged for the final plenary
    (`flagged_for_plenary`), which may disqualify.
    """
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat mencatat verifikasi lapangan."))
    if outcome not in VisitOutcome.values:
        raise DomainError(_("Pilih hasil verifikasi."), field="outcome")
    visitors, findings = visitors.strip(), findings.strip()
    if not visitors:
        raise DomainError(_("Sebutkan anggota tim verifikasi."), field="visitors")
    if len(findings) < MIN_FINDINGS:
        raise DomainError(
            _("Uraikan temuan, sekurang-kurangnya %(n)s karakter.") % {"n": MIN_FINDINGS},
            field="findings",
        )
    if visited_on > timezone.localdate():
        raise DomainError(_("Tanggal kunjungan tidak boleh di masa depan."), field="visited_on")
    with transaction.atomic():
        locked = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("edition")
            .get(pk=proposal.pk)
        )
        _check_field_verification(locked.edition)
        if FieldVisit.objects.filter(proposal=locked).exists():
            raise DomainError(_("Verifikasi lapangan proposal ini sudah dicatat."))
        if locked.state == S.PRESENTED:
            move(
                locked,
                S.FIELD_VERIFICATION,
                actor=actor,
                allowed_from=(S.PRESENTED,),
                reason=_("Dipilih untuk verifikasi lapangan."),
                action="kipp.proposal.field_verification",
            )
        if locked.state != S.FIELD_VERIFICATION:
            raise DomainError(
                _("Proposal berstatus «%(state)s» tidak dapat diverifikasi lapangan.")
                % {"state": locked.get_state_display()}
            )
        visit = FieldVisit.objects.create(
            proposal=locked,
            visited_on=visited_on,
            visitors=visitors,
            findings=findings,
            outcome=outcome,
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            action="kipp.field_visit.record",
            obj=visit,
            after={"visited_on": visited_on, "outcome": outcome, "visitors": visitors},
        )
        move(
            locked,
            S.PRESENTED,
            actor=actor,
            allowed_from=(S.FIELD_VERIFICATION,),
            reason=str(VisitOutcome(outcome).label),
            action="kipp.proposal.field_verification_done",
        )
    return visit


def flagged_for_plenary(edition: Edition) -> QuerySet[FieldVisit]:
    """Field visits that did not confirm the innovation: the final plenary must look at them."""
    return FieldVisit.objects.filter(
        proposal__edition=edition, outcome=VisitOutcome.NOT_CONFIRMED
    ).select_related("proposal", "proposal__institution")
