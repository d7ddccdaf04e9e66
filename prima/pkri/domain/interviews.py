"""Interviews of the shortlisted objects by the independent panel (pkri.md §7.3, §7.4).

- :func:`schedule_interview` — one online slot per shortlisted form, inside the
  calendar's interview dates, lasting `talk + interview` minutes (default 20), with
  `panelists_per_slot` panelists (default 3). The panelists are the engine's
  assignments of the interviews stage, added with `add_manual_assignment`, so the
  engine's conflict rules (same institution, same province for local institutions,
  declared and secretariat-entered conflicts) refuse a conflicted panelist.
- :func:`reschedule_interview_slot` / :func:`cancel_interview_slot` — the secretariat
  moves a slot (same rules as scheduling: interview dates, no panelist in an overlapping
  slot) or cancels it (the slot and its panel assignments go; the form may be scheduled
  again), with a reason, while the interview stage has not closed and no panelist has
  started a sheet. The Admin Lokal of the locus, the unit operators of the object and the
  panelists are e-mailed once the change is committed.
- :func:`open_interviews` — every shortlisted form has a slot: `shortlist_published`
  → `interviews` (the panel may score with the `rubric:interview` sheets).
- :func:`close_interviews` — closes the interviews stage (refused while sheets are
  drafts, as for any engine stage), stores each form's interview score (the mean of
  the panelists' rubric totals, official rounding) and its final score
  `desk·w_d + interview·w_i` (`final_score.with_interview`); forms become `interviewed`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from prima.core.domain import audit
from prima.core.domain.accounts.mail import mail_on_commit, site_url
from prima.core.domain.errors import DomainError
from prima.core.enums import Role, Scope
from prima.core.models import Person
from prima.evaluation.domain.results import stage_results
from prima.evaluation.domain.reviews import add_manual_assignment
from prima.evaluation.domain.stages import advance_edition, close_stage
from prima.evaluation.enums import EditionState, StageStatus
from prima.evaluation.models import Appointment, Assignment, Edition, ScoreSheet, Stage
from prima.pkri.domain.config import rules_for
from prima.pkri.domain.decisions import (
    form_label,
    listed,
    lock_edition,
    require_state,
    stage_of,
)
from prima.pkri.domain.desk import locked_forms
from prima.pkri.domain.editions import require_secretariat
from prima.pkri.domain.scores import final_score
from prima.pkri.enums import FormState
from prima.pkri.models import InterviewSlot, SelfAssessment
from prima.pkri.queries import panel_assignments  # noqa: F401  (moved; old import path)

E = EditionState
F = FormState
MAX_LINK = 300
MAX_PRESENTER = 150
MIN_REASON = 10  # characters, like every other note that explains a decision
MAX_REASON = 1000
# Scheduling, moving and cancelling a slot: while the shortlist is out or interviews run.
SLOT_STATES = (E.SHORTLIST_PUBLISHED, E.INTERVIEWS)
SUBJECT_MOVED = gettext_noop("Jadwal wawancara PKRI diubah: %(form)s")
SUBJECT_CANCELLED = gettext_noop("Jadwal wawancara PKRI dibatalkan: %(form)s")
MAIL_TEMPLATE = "pkri/decisions/email/interview_changed.txt"


def interview_stage(edition: Edition) -> Stage:
    return stage_of(edition, E.INTERVIEWS)


def _clean_start(starts_at: Any, window: tuple[dt.date, dt.date] | None) -> dt.datetime:
    if not isinstance(starts_at, dt.datetime):
        raise DomainError(_("Waktu mulai wawancara wajib diisi."), field="starts_at")
    if timezone.is_naive(starts_at):
        raise DomainError(_("Waktu mulai harus menyertakan zona waktu."), field="starts_at")
    if window is not None:
        day = timezone.localtime(starts_at).date()
        first, last = window
        if not first <= day <= last:
            raise DomainError(
                _(
                    "Wawancara dijadwalkan %(first)s s.d. %(last)s (WIB); %(day)s di luar "
                    "rentang itu."
                )
                % {"first": first.isoformat(), "last": last.isoformat(), "day": day.isoformat()},
                field="starts_at",
            )
    return starts_at


def _clean_text(value: str, limit: int, field: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise DomainError(
            _("%(label)s paling panjang %(n)s karakter.") % {"label": label, "n": limit},
            field=field,
        )
    return value


def _busy_panelists(
    stage: Stage,
    panelists: Sequence[Appointment],
    start: dt.datetime,
    minutes: int,
    *,
    ignore_slot: InterviewSlot | None = None,
) -> list[str]:
    """Panelists already sitting in another slot that overlaps [start, start + minutes)
    (``ignore_slot``: the slot being moved, which does not count against itself)."""
    end = start + dt.timedelta(minutes=minutes)
    ids = [p.pk for p in panelists]
    busy: list[str] = []
    others = Assignment.objects.filter(stage=stage, appointment_id__in=ids).filter(
        subject__pkri_form__slot__isnull=False
    )
    if ignore_slot is not None:
        others = others.exclude(subject__pkri_form__slot=ignore_slot)
    rows = others.values_list(
        "appointment__person__full_name",
        "subject__pkri_form__slot__starts_at",
        "subject__pkri_form__slot__minutes",
    )
    for name, other_start, other_minutes in rows:
        other_end = other_start + dt.timedelta(minutes=other_minutes)
        if other_start < end and start < other_end:
            busy.append(f"{name} ({timezone.localtime(other_start):%d-%m-%Y %H:%M})")
    return busy


def schedule_interview(
    form: SelfAssessment,
    *,
    starts_at: dt.datetime,
    panelists: Sequence[Appointment],
    link: str = "",
    presenter_name: str = "",
    presenter_position: str = "",
    actor: Any,
) -> InterviewSlot:
    """Schedule the interview of a shortlisted form and assign its panel (pkri.md §7.3).

    Refused unless: the edition has published its shortlist (or is interviewing), the
    form is `shortlisted` and not yet scheduled, the start lies within the interview
    dates (WIB), exactly `panelists_per_slot` distinct panelists are given, none of them
    sits in an overlapping slot, and each may review the form (the engine refuses a
    conflicted, inactive or not-yet-cleared panelist, naming the reason). All or nothing.
    """
    require_secretariat(actor, _("Hanya Sekretariat yang dapat menjadwalkan wawancara."))
    edition = form.edition
    require_state(edition, SLOT_STATES, _("Penjadwalan wawancara"))
    rules = rules_for(edition)
    start = _clean_start(starts_at, rules.interviews)
    link = _clean_text(link, MAX_LINK, "link", _("Tautan rapat"))
    presenter_name = _clean_text(presenter_name, MAX_PRESENTER, "presenter_name", _("Nama"))
    presenter_position = _clean_text(
        presenter_position, MAX_PRESENTER, "presenter_position", _("Jabatan")
    )
    chosen = list(panelists)
    if len({p.pk for p in chosen}) != len(chosen):
        raise DomainError(_("Seorang panelis dipilih lebih dari sekali."), field="panelists")
    if len(chosen) != rules.panelists_per_slot:
        raise DomainError(
            _("Setiap wawancara memerlukan %(n)s panelis; dipilih %(given)s.")
            % {"n": rules.panelists_per_slot, "given": len(chosen)},
            field="panelists",
        )
    minutes = rules.interview_minutes
    with transaction.atomic():
        locked = lock_edition(edition)
        fresh = (
            SelfAssessment.objects.select_for_update(of=("self",))
            .select_related("subject", "object__innovation", "locus__institution")
            .get(pk=form.pk)
        )
        if fresh.state != F.SHORTLISTED:
            raise DomainError(
                _(
                    "«%(form)s» berstatus «%(state)s»; hanya peserta daftar wawancara yang "
                    "dijadwalkan."
                )
                % {"form": form_label(fresh), "state": fresh.get_state_display()}
            )
        if fresh.subject is None:
            raise DomainError(
                _("«%(form)s» belum menjadi subjek penilaian.") % {"form": form_label(fresh)}
            )
        if InterviewSlot.objects.filter(form=fresh).exists():
            raise DomainError(
                _("Wawancara «%(form)s» sudah dijadwalkan.") % {"form": form_label(fresh)}
            )
        stage = interview_stage(locked)
        if stage.status not in (StageStatus.PENDING, StageStatus.OPEN):
            raise DomainError(_("Tahap wawancara sudah ditutup."))
        busy = _busy_panelists(stage, chosen, start, minutes)
        if busy:
            raise DomainError(
                _("Panelis berikut sudah terjadwal pada waktu yang bertabrakan: %(names)s.")
                % {"names": listed(busy)},
                field="panelists",
            )
        slot = InterviewSlot.objects.create(
            form=fresh,
            starts_at=start,
            minutes=minutes,
            link=link,
            presenter_name=presenter_name,
            presenter_position=presenter_position,
            created_by=actor,
        )
        reason = _("Wawancara PKRI %(start)s") % {
            "start": f"{timezone.localtime(start):%d-%m-%Y %H:%M}"
        }
        for appointment in chosen:
            add_manual_assignment(
                stage, fresh.subject, appointment, actor=actor, reason=reason, pin=False
            )
        audit.record(
            actor=actor,
            action="pkri.interview.schedule",
            obj=slot,
            after={
                "form": fresh.pk,
                "starts_at": start,
                "minutes": minutes,
                "link": link,
                "panelists": [p.pk for p in chosen],
                "presenter_name": presenter_name,
                "presenter_position": presenter_position,
            },
        )
    return slot


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise DomainError(
            _("Alasan wajib diisi, minimal %(n)s karakter.") % {"n": MIN_REASON}, field="reason"
        )
    if len(reason) > MAX_REASON:
        raise DomainError(
            _("Alasan paling panjang %(n)s karakter.") % {"n": MAX_REASON}, field="reason"
        )
    return reason


def _moment(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%d-%m-%Y %H:%M} WIB"


def _panel_has_scored(stage: Stage, form: SelfAssessment) -> bool:
    """Whether any panelist has a sheet (draft or final) for the form in the stage."""
    subject_id = form.subject_id
    if subject_id is None:
        return False
    return ScoreSheet.objects.filter(stage=stage, subject_id=subject_id).exists()


def _locked_slot(slot: InterviewSlot, doing: str) -> tuple[InterviewSlot, Stage]:
    """Inside the caller's transaction: the edition and the slot locked, the slot re-read
    with its form, and the interview stage; refused once the stage has closed or any
    panelist has started a sheet for the slot (draft or final)."""
    edition = slot.form.edition
    require_state(edition, SLOT_STATES, doing)
    locked = lock_edition(edition)
    fresh = (
        InterviewSlot.objects.select_for_update(of=("self",))
        .select_related(
            "form__edition",
            "form__subject",
            "form__object__innovation",
            "form__object__unit",
            "form__locus__institution",
        )
        .filter(pk=slot.pk)
        .first()
    )
    if fresh is None:
        raise DomainError(_("Jadwal wawancara ini sudah tidak ada (mungkin sudah dibatalkan)."))
    stage = interview_stage(locked)
    if stage.status not in (StageStatus.PENDING, StageStatus.OPEN):
        raise DomainError(_("Tahap wawancara sudah ditutup; jadwal tidak dapat diubah lagi."))
    form = fresh.form
    if _panel_has_scored(stage, form):
        raise DomainError(
            _(
                "Panelis sudah mulai mengisi nilai wawancara «%(form)s»; jadwalnya tidak dapat "
                "diubah atau dibatalkan lagi."
            )
            % {"form": form_label(form)}
        )
    return fresh, stage


def _panel(stage: Stage, form: SelfAssessment) -> list[Assignment]:
    """The slot's panel: the interview-stage assignments of the form's subject."""
    if form.subject_id is None:
        return []
    return list(
        Assignment.objects.filter(stage=stage, subject_id=form.subject_id)
        .select_related("appointment__person")
        .order_by("pk")
    )


def _participant_emails(form: SelfAssessment) -> list[str]:
    """Admin Lokal of the locus and the operators of the object's unit (one query)."""
    who = Q(
        memberships__role=Role.INSTITUTION_ADMIN,
        memberships__scope=Scope.INSTITUTION,
        memberships__institution_id=form.locus.institution_id,
    )
    if form.object is not None:
        who |= Q(
            memberships__role=Role.UNIT_OPERATOR,
            memberships__scope=Scope.UNIT,
            memberships__unit_id=form.object.unit_id,
        )
    people = Person.objects.filter(who, memberships__is_active=True, is_active=True)
    return sorted(set(people.exclude(email="").values_list("email", flat=True)))


def _panelist_emails(panel: Sequence[Assignment]) -> list[str]:
    people = [a.appointment.person for a in panel]
    return sorted({p.email for p in people if p.is_active and p.email})


def _notify(
    slot: InterviewSlot,
    panel: Sequence[Assignment],
    *,
    subject: str,
    before: dt.datetime,
    after: dt.datetime | None,
    reason: str,
) -> None:
    """E-mail the participants and, separately, the panelists once the change commits."""
    form = slot.form
    context = {
        "form": form_label(form),
        "edition": form.edition.title,
        "before": _moment(before),
        "after": _moment(after) if after is not None else "",
        "minutes": slot.minutes,
        "link": slot.link,
        "reason": reason,
    }
    title = _(subject) % {"form": form_label(form)}
    mail_on_commit(
        subject=title,
        template=MAIL_TEMPLATE,
        context={
            **context,
            "panelist": False,
            "page": site_url(reverse("pkri_form_detail", args=[form.pk])),
        },
        to=_participant_emails(form),
    )
    mail_on_commit(
        subject=title,
        template=MAIL_TEMPLATE,
        context={**context, "panelist": True, "page": site_url(reverse("pkri_panel"))},
        to=_panelist_emails(panel),
    )


def slot_change_refusal(slot: InterviewSlot) -> str:
    """Why the slot can no longer be moved or cancelled ("" when it can), for pages that
    offer the buttons; the write functions check again under lock."""
    edition = slot.form.edition
    if edition.state not in SLOT_STATES:
        return _("Jadwal hanya dapat diubah sebelum wawancara ditutup.")
    stage = Stage.objects.filter(edition=edition, code=E.INTERVIEWS).first()
    if stage is None or stage.status not in (StageStatus.PENDING, StageStatus.OPEN):
        return _("Tahap wawancara sudah ditutup; jadwal tidak dapat diubah lagi.")
    if _panel_has_scored(stage, slot.form):
        return _("Panelis sudah mulai mengisi nilai wawancara; jadwal tidak dapat diubah lagi.")
    return ""


def reschedule_interview_slot(
    slot: InterviewSlot,
    *,
    starts_at: dt.datetime,
    link: str | None = None,
    presenter_name: str | None = None,
    presenter_position: str | None = None,
    reason: str,
    actor: Any,
) -> InterviewSlot:
    """Move an interview to another time (and optionally change its link or presenter).

    Secretariat only, with a reason (at least 10 characters), while the shortlist is out or
    the interviews run, the interview stage has not closed and no panelist has started a
    sheet for the slot. The new start obeys the scheduling rules: inside the interview
    dates (WIB) and no panelist of the slot sitting in another overlapping slot. ``None``
    keeps the link or presenter as it is. Audited; the Admin Lokal, the unit operators and
    the panelists are e-mailed after commit. All or nothing.
    """
    require_secretariat(actor, _("Hanya Sekretariat yang dapat mengubah jadwal wawancara."))
    edition = slot.form.edition
    require_state(edition, SLOT_STATES, _("Perubahan jadwal wawancara"))
    rules = rules_for(edition)
    start = _clean_start(starts_at, rules.interviews)
    reason = _clean_reason(reason)
    changes = {
        "link": None if link is None else _clean_text(link, MAX_LINK, "link", _("Tautan rapat")),
        "presenter_name": (
            None
            if presenter_name is None
            else _clean_text(presenter_name, MAX_PRESENTER, "presenter_name", _("Nama"))
        ),
        "presenter_position": (
            None
            if presenter_position is None
            else _clean_text(presenter_position, MAX_PRESENTER, "presenter_position", _("Jabatan"))
        ),
    }
    with transaction.atomic():
        fresh, stage = _locked_slot(slot, _("Perubahan jadwal wawancara"))
        old_start = fresh.starts_at
        before = {
            "starts_at": fresh.starts_at,
            "link": fresh.link,
            "presenter_name": fresh.presenter_name,
            "presenter_position": fresh.presenter_position,
        }
        after = {
            "starts_at": start,
            **{k: v if v is not None else before[k] for k, v in changes.items()},
        }
        if after == before:
            raise DomainError(
                _("Tidak ada yang berubah: waktu, tautan dan penyaji sama dengan jadwal sekarang."),
                field="starts_at",
            )
        panel = _panel(stage, fresh.form)
        busy = _busy_panelists(
            stage, [a.appointment for a in panel], start, fresh.minutes, ignore_slot=fresh
        )
        if busy:
            raise DomainError(
                _("Panelis berikut sudah terjadwal pada waktu yang bertabrakan: %(names)s.")
                % {"names": listed(busy)},
                field="starts_at",
            )
        fresh.starts_at = start
        fresh.link = str(after["link"])
        fresh.presenter_name = str(after["presenter_name"])
        fresh.presenter_position = str(after["presenter_position"])
        fresh.save(update_fields=["starts_at", "link", "presenter_name", "presenter_position"])
        audit.record(
            actor=actor,
            action="pkri.interview.reschedule",
            obj=fresh,
            before=before,
            after={**after, "form": fresh.form_id},
            reason=reason,
        )
        _notify(
            fresh,
            panel,
            subject=SUBJECT_MOVED,
            before=old_start,
            after=start,
            reason=reason,
        )
    return fresh


def cancel_interview_slot(slot: InterviewSlot, *, reason: str, actor: Any) -> SelfAssessment:
    """Cancel an interview: the slot and its panel assignments are removed, so the form is
    unscheduled again (and must be scheduled anew before the interviews can open or close).

    Secretariat only, with a reason (at least 10 characters), under the same conditions as
    :func:`reschedule_interview_slot` (no panelist has started a sheet, so nothing scored
    is lost). Audited with what the slot was; the Admin Lokal, the unit operators and the
    panelists are e-mailed after commit. Returns the form.
    """
    require_secretariat(actor, _("Hanya Sekretariat yang dapat membatalkan jadwal wawancara."))
    reason = _clean_reason(reason)
    with transaction.atomic():
        fresh, stage = _locked_slot(slot, _("Pembatalan jadwal wawancara"))
        form = fresh.form
        panel = _panel(stage, form)
        audit.record(
            actor=actor,
            action="pkri.interview.cancel",
            obj=fresh,
            before={
                "form": form.pk,
                "starts_at": fresh.starts_at,
                "minutes": fresh.minutes,
                "link": fresh.link,
                "presenter_name": fresh.presenter_name,
                "presenter_position": fresh.presenter_position,
                "panelists": [a.appointment_id for a in panel],
            },
            after={"cancelled": True},
            reason=reason,
        )
        _notify(
            fresh,
            panel,
            subject=SUBJECT_CANCELLED,
            before=fresh.starts_at,
            after=None,
            reason=reason,
        )
        Assignment.objects.filter(pk__in=[a.pk for a in panel]).delete()
        fresh.delete()
    return form


def open_interviews(edition: Edition, *, actor: Any) -> Edition:
    """Start the interviews once every shortlisted form has a slot (→ `interviews`)."""
    require_secretariat(actor, _("Hanya Sekretariat yang dapat membuka wawancara."))
    require_state(edition, (E.SHORTLIST_PUBLISHED,), _("Pembukaan wawancara"))
    with transaction.atomic():
        locked = lock_edition(edition)
        waiting = list(
            SelfAssessment.objects.filter(
                edition=locked, state=F.SHORTLISTED, slot__isnull=True
            ).select_related("object__innovation", "locus__institution")
        )
        if waiting:
            raise DomainError(
                _("Peserta berikut belum dijadwalkan wawancara: %(forms)s.")
                % {"forms": listed([form_label(f) for f in waiting])}
            )
        audit.record(actor=actor, action="pkri.interviews.open", obj=locked, after={})
        advance_edition(locked, actor=actor, reason=_("Wawancara dibuka"))
    edition.state = locked.state
    return edition


def close_interviews(
    edition: Edition, *, actor: Any, force: bool = False, reason: str = ""
) -> list[SelfAssessment]:
    """Close the interviews stage and store interview and final scores (pkri.md §7.4).

    The engine refuses to close while a panelist's sheet is a draft (unless `force` with
    a reason); a shortlisted form without any final sheet is refused by name, and
    nothing changes. The edition stays at `interviews` until the ranking moves it on.
    """
    require_secretariat(actor, _("Hanya Sekretariat yang dapat menutup wawancara."))
    require_state(edition, (E.INTERVIEWS,), _("Penutupan wawancara"))
    rules = rules_for(edition)
    weights = rules.final_with_interview
    with transaction.atomic():
        locked = lock_edition(edition)
        stage = interview_stage(locked)
        if stage.status != StageStatus.OPEN:
            raise DomainError(_("Tahap wawancara tidak sedang berjalan."))
        close_stage(stage, actor=actor, force=force, reason=reason)
        forms = locked_forms(locked, F.SHORTLISTED, "object__innovation", "locus__institution")
        subject_ids = [f.subject_id for f in forms if f.subject_id is not None]
        results = {r.subject_id: r for r in stage_results(stage, subjects=subject_ids)}
        missing = []
        for form in forms:
            result = results.get(form.subject_id) if form.subject_id else None
            if result is None or result.official is None or form.desk_score is None:
                missing.append(form_label(form))
                continue
            form.interview_score = result.official
            form.final_score = final_score(form.desk_score, result.official, weights)
            form.state = F.INTERVIEWED
        if missing:
            raise DomainError(
                _("Belum ada lembar nilai wawancara final untuk: %(forms)s.")
                % {"forms": listed(missing)}
            )
        now = timezone.now()
        for form in forms:
            form.updated_at = now
        SelfAssessment.objects.bulk_update(
            forms, ["interview_score", "final_score", "state", "updated_at"]
        )
        audit.record(
            actor=actor,
            action="pkri.interviews.close",
            obj=locked,
            after={
                "interviewed": len(forms),
                "scores": {f.pk: [f.interview_score, f.final_score] for f in forms},
            },
            reason=reason,
        )
    return forms


# --------------------------------------------------------------------------- reading


def slots_of(edition: Edition) -> QuerySet[InterviewSlot]:
    """The edition's interview slots in time order, with what a schedule table shows."""
    return (
        InterviewSlot.objects.filter(form__edition=edition)
        .select_related(
            "form__object__innovation", "form__locus__institution", "form__object__unit"
        )
        .order_by("starts_at", "pk")
    )


def panel_of_slots(edition: Edition) -> dict[int, list[str]]:
    """Form id → the names of its interview panelists (one query)."""
    stage = Stage.objects.filter(edition=edition, code=E.INTERVIEWS).first()
    if stage is None:
        return {}
    panel: dict[int, list[str]] = {}
    rows = (
        Assignment.objects.filter(stage=stage, subject__pkri_form__isnull=False)
        .order_by("appointment__person__full_name", "pk")
        .values_list(
            "subject__pkri_form__id",
            "appointment__person__full_name",
            "appointment__person__username",
            "is_excused",
        )
    )
    for form_id, full_name, username, excused in rows:
        name = full_name or username
        panel.setdefault(form_id, []).append(f"{name} ({_('dibebaskan')})" if excused else name)
    return panel


def panelist_choices(edition: Edition) -> QuerySet[Appointment]:
    """Active panel appointments of the edition (the slot form's choices)."""
    return (
        Appointment.objects.filter(
            edition=edition, role__in=("panelist", "panel_chair"), is_active=True
        )
        .select_related("person")
        .order_by("person__full_name", "pk")
    )
