"""Reminding Admin Lokal and unit operators of PKRI forms not yet submitted (pkri.md §6).

Admin Lokal hear of every unsubmitted form of their locus (object forms and the coaching
form); unit operators hear of the object forms still with their unit. One e-mail per
person per day at most: each reminder is written to the audit log (`pkri.forms.reminded`,
object = the person) in the transaction that queues the e-mail, and a person reminded
since midnight WIB is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.accounts.mail import mail_on_commit, site_url
from prima.core.domain.errors import PermissionDenied
from prima.core.enums import Role, Scope
from prima.core.models import AuditEntry, Membership, Person
from prima.evaluation.models import Edition
from prima.pkri.domain.forms import forms_open, forms_window, target
from prima.pkri.enums import EDITABLE_STATES, FormKind, FormState
from prima.pkri.models import SelfAssessment

ACTION = "pkri.forms.reminded"
TEMPLATE = "pkri/forms/email/form_reminder.txt"
SUBJECT = gettext_noop("Pengingat PKRI: %(count)s formulir belum dikirim")
UNIT_STATES = frozenset({FormState.ANNOUNCED, FormState.DRAFT, FormState.RETURNED})


@dataclass
class Due:
    """One person to remind and the unsubmitted forms they can act on."""

    person: Person
    forms: list[SelfAssessment] = field(default_factory=list)


def _start_of_today(now: dt.datetime) -> dt.datetime:
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def reminded_today(person_ids: list[int], now: dt.datetime) -> set[int]:
    """People already reminded since midnight WIB (any PKRI edition)."""
    rows = AuditEntry.objects.filter(
        action=ACTION,
        object_type=Person._meta.label_lower,
        object_id__in=[str(pk) for pk in person_ids],
        created_at__gte=_start_of_today(now),
    ).values_list("object_id", flat=True)
    return {int(pk) for pk in rows}


def due_reminders(edition: Edition) -> list[Due]:
    """Who has which unsubmitted forms of the edition, in a fixed number of queries."""
    forms = list(
        SelfAssessment.objects.filter(edition=edition, state__in=EDITABLE_STATES)
        .select_related("locus__institution", "object__innovation", "object__unit")
        .order_by("locus__institution__name", "kind", "pk")
    )
    if not forms:
        return []
    institutions = {f.locus.institution_id for f in forms}
    units = {target(f).unit_id for f in forms if f.object_id and f.state in UNIT_STATES}
    memberships = Membership.objects.filter(is_active=True, person__is_active=True).select_related(
        "person"
    )
    admins: dict[int, list[Person]] = defaultdict(list)
    for m in memberships.filter(
        role=Role.INSTITUTION_ADMIN, scope=Scope.INSTITUTION, institution_id__in=institutions
    ):
        if m.institution_id is not None:
            admins[m.institution_id].append(m.person)
    operators: dict[int, list[Person]] = defaultdict(list)
    for m in memberships.filter(role=Role.UNIT_OPERATOR, scope=Scope.UNIT, unit_id__in=units):
        assert m.unit_id is not None
        operators[m.unit_id].append(m.person)
    due: dict[int, Due] = {}
    for form in forms:
        people = list(admins.get(form.locus.institution_id, []))
        if form.kind != FormKind.COACHING and form.state in UNIT_STATES:
            people += operators.get(target(form).unit_id, [])
        for person in people:
            entry = due.setdefault(person.pk, Due(person))
            if form not in entry.forms:
                entry.forms.append(form)
    return sorted(due.values(), key=lambda d: d.person.pk)


def send_form_reminders(edition: Edition, *, actor: Any) -> int:
    """E-mail everyone who can still act on an unsubmitted form of the edition; returns how
    many were reminded.

    ``actor`` None is the system (the daily command); a person must be the secretariat.
    Nothing is sent unless the forms stage is open. People reminded earlier today and
    those without an e-mail address are skipped.
    """
    if actor is not None:
        access = access_for(actor)
        if not (access.is_secretariat or access.is_superuser):
            raise PermissionDenied(_("Hanya Sekretariat yang dapat mengirim pengingat formulir."))
    if not forms_open(edition):
        return 0
    now = timezone.now()
    due = due_reminders(edition)
    skip = reminded_today([d.person.pk for d in due], now)
    _first, last = forms_window(edition)
    sent = 0
    for item in due:
        person = item.person
        if person.pk in skip or not person.email:
            continue
        with transaction.atomic():
            audit.record(
                actor=actor,
                action=ACTION,
                obj=person,
                after={
                    "edition": edition.code,
                    "forms": [f.pk for f in item.forms],
                    "to": person.email,
                },
            )
            mail_on_commit(
                subject=_(SUBJECT) % {"count": len(item.forms)},
                template=TEMPLATE,
                context={
                    "person": person,
                    "edition": edition,
                    "forms": [
                        {
                            "title": str(f),
                            "state": str(FormState(f.state).label),
                            "link": site_url(reverse("pkri_form_detail", args=[f.pk])),
                        }
                        for f in item.forms
                    ],
                    "deadline": last,
                    "link": site_url(reverse("pkri_form_list")),
                },
                to=[person.email],
            )
        sent += 1
    return sent
