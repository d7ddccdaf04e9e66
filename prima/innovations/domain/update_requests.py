"""The secretariat's "please update" requests to the owners of innovations (pkri.md §9).

A request goes to the people who can edit the innovation: the operators of its owning
unit and the Admin Lokal of its institution (active accounts with an e-mail address).
Each call sends one e-mail per recipient, listing all of that person's innovations in
the call. An innovation already asked within the last 7 days is skipped, so a person is
not asked twice about the same innovation in a week. A request stays open until the
innovation's profile is next saved (`updated_at` after the request).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.accounts.mail import mail_on_commit, site_url
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import Role, Scope
from prima.core.models import Membership, Person
from prima.innovations.models import Innovation, UpdateRequest

ACTION = "jipp.update_requested"
TEMPLATE = "innovations/jipp/exchange/email/update_request.txt"
SUBJECT = gettext_noop("Mohon perbarui data %(count)s inovasi di Prima")
# At most one request per innovation in this period (a rolling week).
MIN_INTERVAL = dt.timedelta(days=7)
MAX_MESSAGE = 2000
# One call queues one e-mail per recipient; larger selections are sent in parts.
MAX_PER_CALL = 1000


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str


@dataclass
class RequestResult:
    """What one call did: the requests written, and the innovations left out."""

    requests: list[UpdateRequest] = field(default_factory=list)
    # Asked within the last 7 days: innovation → the time of that request.
    skipped: list[tuple[Innovation, dt.datetime]] = field(default_factory=list)
    # Recorded (the owners see it in Prima) but nobody with an e-mail address to tell.
    without_recipients: list[Innovation] = field(default_factory=list)
    emails: int = 0


def recipients_for(innovations: Sequence[Innovation]) -> dict[int, list[Recipient]]:
    """Innovation id → who is told of a request: the active operators of its unit and
    the active Admin Lokal of its institution, without people lacking an e-mail address
    (one entry per address, in address order). Two queries."""
    units = {i.unit_id for i in innovations}
    institutions = {i.institution_id for i in innovations}
    memberships = Membership.objects.filter(is_active=True, person__is_active=True).select_related(
        "person"
    )
    by_unit: dict[int, list[Person]] = defaultdict(list)
    for m in memberships.filter(role=Role.UNIT_OPERATOR, scope=Scope.UNIT, unit_id__in=units):
        assert m.unit_id is not None
        by_unit[m.unit_id].append(m.person)
    by_institution: dict[int, list[Person]] = defaultdict(list)
    for m in memberships.filter(
        role=Role.INSTITUTION_ADMIN, scope=Scope.INSTITUTION, institution_id__in=institutions
    ):
        assert m.institution_id is not None
        by_institution[m.institution_id].append(m.person)
    found: dict[int, list[Recipient]] = {}
    for innovation in innovations:
        people = by_unit.get(innovation.unit_id, []) + by_institution.get(
            innovation.institution_id, []
        )
        addresses: dict[str, Recipient] = {}
        for person in people:
            email = person.email.strip()
            if email and email.casefold() not in addresses:
                addresses[email.casefold()] = Recipient(email, person.full_name or "")
        found[innovation.pk] = sorted(addresses.values(), key=lambda r: r.email.casefold())
    return found


def new_requests(
    innovations: Sequence[Innovation],
    recipients: dict[int, list[Recipient]],
    *,
    requested_by: Person,
    message: str,
) -> list[UpdateRequest]:
    """One unsaved request per innovation, with the addresses it goes to
    (`recipients_for`)."""
    return [
        UpdateRequest(
            innovation=innovation,
            requested_by=requested_by,
            message=message,
            recipients=[r.email for r in recipients[innovation.pk]],
        )
        for innovation in innovations
    ]


def last_requests(innovation_ids: Iterable[int]) -> dict[int, dt.datetime]:
    """Innovation id → the time of its latest update request (innovations asked before)."""
    rows = (
        UpdateRequest.objects.filter(innovation_id__in=list(innovation_ids))
        .values("innovation_id")
        .annotate(last=Max("requested_at"))
        .values_list("innovation_id", "last")
    )
    return dict(rows)


def _check(innovation_ids: Sequence[int], message: str, actor: Person | None) -> str:
    if not access_for(actor).is_secretariat:
        raise PermissionDenied(
            _("Hanya Sekretariat yang dapat mengirim permintaan pembaruan data.")
        )
    if not innovation_ids:
        raise DomainError(_("Pilih minimal satu inovasi."), field="innovations")
    if len(innovation_ids) > MAX_PER_CALL:
        raise DomainError(
            _(
                "Terpilih %(count)s inovasi; satu pengiriman paling banyak %(max)s inovasi. "
                "Persempit saringan lalu kirim bertahap."
            )
            % {"count": len(innovation_ids), "max": MAX_PER_CALL},
            field="innovations",
        )
    text = message.strip()
    if len(text) > MAX_MESSAGE:
        raise DomainError(
            _("Pesan paling banyak %(max)s huruf; tertulis %(count)s.")
            % {"max": MAX_MESSAGE, "count": len(text)},
            field="message",
        )
    return text


def request_profile_updates(
    innovations: Iterable[Innovation], *, message: str, actor: Person
) -> RequestResult:
    """Ask the owners of `innovations` to update their profiles (secretariat only).

    Writes one `UpdateRequest` per innovation not asked within the last 7 days (the
    others are reported as skipped), with the addresses it went to; queues one e-mail
    per recipient listing their innovations, sent after the transaction commits; and
    records one `jipp.update_requested` audit entry. A request whose innovation has
    nobody with an e-mail address is still recorded (the owners see it in Prima).
    """
    wanted = sorted({innovation.pk for innovation in innovations})
    text = _check(wanted, message, actor)
    now = timezone.now()
    result = RequestResult()
    with transaction.atomic():
        # Locking the innovations serialises two secretariat members asking at once.
        rows = list(
            Innovation.objects.select_for_update(of=("self",))
            .filter(pk__in=wanted)
            .select_related("institution", "unit")
            .order_by("name", "pk")
        )
        if not rows:
            raise DomainError(_("Inovasi yang dipilih tidak ditemukan."), field="innovations")
        recent = {
            pk: when for pk, when in last_requests(wanted).items() if now - when < MIN_INTERVAL
        }
        asked = [i for i in rows if i.pk not in recent]
        result.skipped = [(i, recent[i.pk]) for i in rows if i.pk in recent]
        recipients = recipients_for(asked)
        requests = new_requests(asked, recipients, requested_by=actor, message=text)
        UpdateRequest.objects.bulk_create(requests)
        result.requests = requests
        result.without_recipients = [i for i in asked if not recipients[i.pk]]
        mail: dict[str, tuple[Recipient, list[Innovation]]] = {}
        for innovation in asked:
            for recipient in recipients[innovation.pk]:
                mail.setdefault(recipient.email.casefold(), (recipient, []))[1].append(innovation)
        audit.record(
            actor=actor,
            action=ACTION,
            object_type=UpdateRequest._meta.label_lower,
            object_repr=_("Permintaan pembaruan data: %(count)s inovasi") % {"count": len(asked)},
            after={
                "innovations": sorted(i.pk for i in asked),
                "skipped": sorted(recent),
                "recipients": sorted(r.email for r, _items in mail.values()),
                "message": text,
            },
        )
        for recipient, items in mail.values():
            _send(recipient, items, text)
        result.emails = len(mail)
    return result


def _send(recipient: Recipient, innovations: list[Innovation], message: str) -> None:
    mail_on_commit(
        subject=_(SUBJECT) % {"count": len(innovations)},
        template=TEMPLATE,
        context={
            "name": recipient.name or recipient.email,
            "message": message,
            "innovations": [
                {
                    "name": innovation.name,
                    "unit": innovation.unit.name,
                    "institution": innovation.institution.name,
                    "updated_on": timezone.localtime(innovation.updated_at).date(),
                    "link": site_url(reverse("innovation_edit", args=[innovation.pk])),
                }
                for innovation in innovations
            ],
            "requests_link": site_url(reverse("jipp_update_requests")),
        },
        to=[recipient.email],
    )
