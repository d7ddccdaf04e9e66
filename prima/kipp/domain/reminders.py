"""Reminding assessors of unfinished sheets (issue 3: "each evaluator's to-do list with
reminders"; kipp.md §10.2).

One e-mail per assessor per edition per day, at most: each reminder is written to the audit
log (`kipp.assessor.reminded`) in the same transaction as the e-mail is queued, and an
assessor already reminded today (WIB) is skipped. Counts come from the assignment scopes,
so a reminder never counts a proposal the assessor is conflicted with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.accounts.mail import mail_on_commit, site_url
from prima.core.domain.errors import PermissionDenied
from prima.core.domain.jobs import ProgressCallback, no_progress
from prima.core.models import AuditEntry
from prima.evaluation.enums import SheetStatus
from prima.evaluation.models import Appointment, Assignment, Edition, Stage
from prima.evaluation.queries import assignments_for_assessor
from prima.kipp.queries import scoring_stage

ACTION = "kipp.assessor.reminded"
TEMPLATE = "kipp/email/assessor_reminder.txt"
SUBJECT = gettext_noop("Pengingat penilaian KIPP: %(count)s lembar belum final")
SUBJECT_GATE = gettext_noop("Pengingat penilaian KIPP: lengkapi kode etik dan konflik")


@dataclass(frozen=True)
class Due:
    """One assessor to remind: unfinished sheets out of their non-excused assignments.

    ``ready`` False means the assessor has assignments but has not yet accepted the code
    of conduct or declared conflicts, so they cannot see (or count) them yet.
    """

    appointment: Appointment
    unfinished: int
    total: int
    ready: bool


def _start_of_today(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def reminded_today(appointments: list[Appointment], now: dt.datetime) -> set[int]:
    """Appointment ids already reminded since midnight WIB."""
    if not appointments:
        return set()
    ids = [str(a.pk) for a in appointments]
    rows = AuditEntry.objects.filter(
        action=ACTION,
        object_type=Appointment._meta.label_lower,
        object_id__in=ids,
        created_at__gte=_start_of_today(now),
    ).values_list("object_id", flat=True)
    return {int(pk) for pk in rows}


def due_reminders(stage: Stage) -> list[Due]:
    """Assessors of the stage with unfinished sheets, or with assignments they cannot see
    yet because the code of conduct or the conflict declaration is missing."""
    due: list[Due] = []
    appointments = (
        Appointment.objects.filter(edition_id=stage.edition_id, is_active=True)
        .select_related("person", "edition")
        .order_by("pk")
    )
    for appointment in appointments:
        if not appointment.is_ready:
            if Assignment.objects.filter(
                stage=stage, appointment=appointment, is_excused=False
            ).exists():
                due.append(Due(appointment, unfinished=0, total=0, ready=False))
            continue
        counts = assignments_for_assessor(appointment, stage).filter(is_excused=False)
        total = counts.count()
        unfinished = counts.exclude(Q(sheet__status=SheetStatus.FINAL)).count()
        if unfinished:
            due.append(Due(appointment, unfinished=unfinished, total=total, ready=True))
    return due


def _within(stage: Stage, days_left: int | None, now: dt.datetime) -> bool:
    """True unless a horizon is given and the deadline lies further away than it."""
    if days_left is None:
        return True
    if stage.ends_at is None:
        return False
    return stage.ends_at - now <= dt.timedelta(days=days_left)


def send_assessor_reminders(
    edition: Edition,
    *,
    actor: Any,
    days_left: int | None = None,
    progress: ProgressCallback | None = None,
) -> int:
    """E-mail every assessor of the edition's open scoring stage who has unfinished sheets
    (count and deadline, in Indonesian); returns how many were reminded.

    ``actor`` None is the system (the daily command); a person must be the secretariat.
    With ``days_left`` the reminders go out only when the stage ends within that many
    days. Assessors reminded earlier today, and those without an e-mail address, are
    skipped. `progress` hears of each assessor looked at.
    """
    report = progress or no_progress
    if actor is not None:
        access = access_for(actor)
        if not (access.is_secretariat or access.is_superuser):
            raise PermissionDenied(_("Hanya Sekretariat yang dapat mengirim pengingat penilai."))
    stage = scoring_stage(edition)
    now = timezone.now()
    if stage is None or not _within(stage, days_left, now):
        return 0
    due = due_reminders(stage)
    skip = reminded_today([d.appointment for d in due], now)
    sent = 0
    deadline = timezone.localtime(stage.ends_at) if stage.ends_at else None
    report(0, len(due), _("Mengirim pengingat"))
    for done, item in enumerate(due):
        report(done, len(due))
        appointment = item.appointment
        person = appointment.person
        if appointment.pk in skip or not person.email:
            continue
        link = site_url(reverse("kipp_assessor_todo", kwargs={"code": edition.code}))
        subject = _(SUBJECT) % {"count": item.unfinished} if item.ready else _(SUBJECT_GATE)
        with transaction.atomic():
            audit.record(
                actor=actor,
                action=ACTION,
                obj=appointment,
                after={
                    "stage": stage.code,
                    "unfinished": item.unfinished,
                    "total": item.total,
                    "ready": item.ready,
                    "deadline": stage.ends_at,
                    "to": person.email,
                },
            )
            mail_on_commit(
                subject=subject,
                template=TEMPLATE,
                context={
                    "person": person,
                    "edition": edition,
                    "stage": stage,
                    "stage_label": stage.get_code_display(),
                    "unfinished": item.unfinished,
                    "total": item.total,
                    "final": item.total - item.unfinished,
                    "ready": item.ready,
                    "deadline": deadline,
                    "link": link,
                },
                to=[person.email],
            )
        sent += 1
    report(len(due), len(due))
    return sent
