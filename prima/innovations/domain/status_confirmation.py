"""The owner confirms an innovation's status (pkri.md §9: the catalogue shows the status
and the date of its latest confirmation, e.g. from a submitted PKRI form)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import Person
from prima.innovations.domain.permissions import may_edit
from prima.innovations.enums import InnovationStatus
from prima.innovations.models import Innovation

MAX_SOURCE = 100


def confirm_innovation_status(
    innovation: Innovation, *, running: bool, on: dt.date, actor: Person, source: str
) -> Innovation:
    """Record that the innovation's owner confirmed its status on `on`, saying whether it
    still runs; `source` names where the confirmation came from (e.g. ``pkri_form:12``).

    `status_confirmed_on` becomes `on` unless a later confirmation is already stored.
    The registry status itself is never changed here, even when the owner says the
    innovation no longer runs: that answer goes into the audit entry
    (`innovation.status_confirmed`) for the owner or the secretariat to act on. The
    profile's `updated_at` and `version` stay as they are (a confirmation is not an edit
    of the profile). Refused: a date in the future or before the innovation started.
    """
    if not may_edit(actor, innovation):
        raise PermissionDenied(_("Anda tidak berwenang mengonfirmasi status inovasi ini."))
    source = source.strip()
    if not source or len(source) > MAX_SOURCE:
        raise ValueError(f"confirm_innovation_status: bad source {source!r}")
    if on > timezone.localdate():
        raise DomainError(_("Tanggal konfirmasi status tidak boleh di masa depan."), field="on")
    with transaction.atomic():
        current = Innovation.objects.select_for_update(of=("self",)).get(pk=innovation.pk)
        if on < current.started_on:
            raise DomainError(
                _(
                    "Tanggal konfirmasi status (%(date)s) tidak boleh sebelum inovasi mulai "
                    "diterapkan (%(started_on)s)."
                )
                % {
                    "date": on.strftime("%d-%m-%Y"),
                    "started_on": current.started_on.strftime("%d-%m-%Y"),
                },
                field="on",
            )
        previous = current.status_confirmed_on
        latest = on if previous is None or on > previous else previous
        if latest != previous:
            # A queryset update: `updated_at` (auto_now) must not move, see the docstring.
            Innovation.objects.filter(pk=current.pk).update(status_confirmed_on=latest)
        reason = ""
        if not running and current.status == InnovationStatus.ACTIVE:
            reason = _(
                "Pemilik menyatakan inovasi tidak lagi berjalan, tetapi status di registri "
                "masih «%(status)s»; status tidak diubah otomatis."
            ) % {"status": current.get_status_display()}
        audit.record(
            actor=actor,
            action="innovation.status_confirmed",
            obj=current,
            before={"status_confirmed_on": previous},
            after={
                "status_confirmed_on": latest,
                "confirmed_on": on,
                "running": running,
                "status": current.status,
                "source": source,
            },
            reason=reason,
        )
    innovation.status_confirmed_on = latest
    return innovation
