"""JIPP demo data: the JIPPNas data exchange (pkri.md §9).

Runs after the catalogue demo, which leaves part of the registry with profiles older
than 24 months. Here Payakumbuh's «Klinik Berhenti Merokok» is made stale as well (its
Admin Lokal, a demo login, then sees the request on `/inovasi/jipp/permintaan/`), and the
secretariat has already asked the owners of two stale innovations to update them (the
second preferably one whose owners have a demo login): one three days ago (asking again
within the week is skipped) and one twelve days ago.

No e-mail is sent: the requests are written as rows with the addresses they would have
gone to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils import timezone

from prima.core.dates import add_months
from prima.core.demo.plan import DemoPlan
from prima.core.enums import Role
from prima.core.models import Person
from prima.innovations.domain.staleness import STALE_AFTER_MONTHS, stale_cutoff
from prima.innovations.domain.update_requests import new_requests, recipients_for
from prima.innovations.models import Innovation, UpdateRequest
from prima.innovations.queries_exchange import start_of

OWNED_EXAMPLE = "Klinik Berhenti Merokok"
OWNED_INSTITUTION = "Pemerintah Kota Payakumbuh"
# Six months past the limit, so the example stays stale for half a year of demo use.
BACKDATE_MONTHS = STALE_AFTER_MONTHS + 6
ASKED_DAYS_AGO = (3, 12)
MESSAGE = (
    "Mohon periksa dan perbarui profil inovasi Anda (ringkasan, status, dan kontak "
    "replikasi) untuk pemutakhiran data JIPPNas."
)


def load(plan: DemoPlan, innovations: Sequence[Innovation]) -> dict[str, Any]:
    """Backdate the example, then write the two requests already sent; return the counts."""
    secretariat = Person.objects.filter(username="sekretariat").first()
    if secretariat is None or not innovations:
        return {}
    now = timezone.now()
    today = timezone.localdate()
    long_ago = start_of(add_months(today, -BACKDATE_MONTHS))
    example = (
        Innovation.objects.filter(name=OWNED_EXAMPLE, institution__name=OWNED_INSTITUTION)
        .order_by("pk")
        .first()
    )
    backdated = 0
    chosen: list[int] = []
    if example is not None:
        backdated += Innovation.objects.filter(pk=example.pk).update(updated_at=long_ago)
        chosen.append(example.pk)
    stale = Innovation.objects.filter(updated_at__lt=start_of(stale_cutoff(today))).exclude(
        pk__in=chosen
    )
    # Preferably one whose owners have a demo login, so the request reaches someone.
    owned = stale.filter(
        Q(
            unit__memberships__role=Role.UNIT_OPERATOR,
            unit__memberships__is_active=True,
        )
        | Q(
            institution__memberships__role=Role.INSTITUTION_ADMIN,
            institution__memberships__is_active=True,
        )
    )
    other = (
        owned.order_by("updated_at", "pk").values_list("pk", flat=True).first()
        or stale.order_by("updated_at", "pk").values_list("pk", flat=True).first()
    )
    if other is None:
        # The catalogue demo left nothing stale (a tiny registry): make the last row so.
        other = innovations[-1].pk
        if other not in chosen:
            backdated += Innovation.objects.filter(pk=other).update(updated_at=long_ago)
    if other not in chosen:
        chosen.append(other)
    rows = list(Innovation.objects.filter(pk__in=chosen).select_related("institution", "unit"))
    rows.sort(key=lambda innovation: chosen.index(innovation.pk))
    requests = new_requests(rows, recipients_for(rows), requested_by=secretariat, message=MESSAGE)
    UpdateRequest.objects.bulk_create(requests)
    for request, days in zip(requests, ASKED_DAYS_AGO, strict=False):
        UpdateRequest.objects.filter(pk=request.pk).update(
            requested_at=now - dt.timedelta(days=days)
        )
    return {"jipp_update_requests": len(requests), "jipp_stale_backdated": backdated}
