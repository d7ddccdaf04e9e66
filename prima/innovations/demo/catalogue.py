"""JIPP demo data: the public catalogue (pkri.md §9).

Two things the catalogue shows and the earlier demos leave empty (the dates on which
owners confirmed their innovations' status come from the PKRI demo's forms):

- owners who invite replication, with an official contact (awarded innovations more often);
- profiles not updated for more than 24 months (`data belum diperbarui`): a share of the
  national registry's rows registered before then keep their registration time as their
  last update.

Bulk writes only; `updated_at` moves only where it is backdated on purpose.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from prima.core.demo.accounts import EMAIL_DOMAIN
from prima.core.demo.plan import DemoPlan
from prima.innovations.domain.staleness import stale_cutoff
from prima.innovations.enums import InnovationStatus
from prima.innovations.models import AwardRecord, Innovation

BATCH = 1000
OPEN_SHARE_AWARDED = 0.5  # awarded innovations whose owners invite replication
OPEN_SHARE_OTHER = 0.08  # other published, running innovations
STALE_SHARE = 0.3  # national rows registered > 24 months ago and never updated since
ALWAYS_OPEN = "Pemerintah Kota Payakumbuh"  # the demo scenario's locus (pkri.md §10)


def _contact(innovation: Innovation) -> str:
    institution = innovation.institution
    short = institution.short_name or institution.name
    mailbox = f"jipp.{slugify(short)[:40]}@{EMAIL_DOMAIN}"
    return f"{innovation.unit.name}, {short} — {mailbox}"[:200]


def _open_to_replication(rng: random.Random) -> int:
    awarded = set(AwardRecord.objects.filter(revoked=False).values_list("innovation_id", flat=True))
    candidates = (
        Innovation.objects.filter(is_published=True, status=InnovationStatus.ACTIVE)
        .select_related("institution", "unit")
        .order_by("pk")
    )
    chosen = []
    for innovation in candidates:
        share = OPEN_SHARE_AWARDED if innovation.pk in awarded else OPEN_SHARE_OTHER
        draw = rng.random()
        if innovation.institution.name == ALWAYS_OPEN or draw < share:
            innovation.open_to_replication = True
            innovation.replication_contact = _contact(innovation)
            chosen.append(innovation)
    # `bulk_update` leaves `updated_at` alone (no auto_now), as wanted here.
    Innovation.objects.bulk_update(
        chosen, ["open_to_replication", "replication_contact"], batch_size=BATCH
    )
    return len(chosen)


def _backdate(rng: random.Random, innovations: Sequence[Innovation], now: dt.datetime) -> int:
    """A share of the national rows registered before the staleness limit were never
    updated after registration."""
    limit = stale_cutoff(timezone.localdate(now))
    old = [row.pk for row in innovations if timezone.localdate(row.created_at) < limit]
    chosen = [pk for pk in old if rng.random() < STALE_SHARE]
    for start in range(0, len(chosen), BATCH):
        Innovation.objects.filter(pk__in=chosen[start : start + BATCH]).update(
            updated_at=F("created_at")
        )
    return len(chosen)


def load(plan: DemoPlan, innovations: Sequence[Innovation]) -> dict[str, Any]:
    """Write this area's demo rows (`innovations` are the plan's rows, in plan order);
    return the counts for the demo audit entry."""
    rng = random.Random(f"{plan.seed}-jipp-catalogue")
    return {
        "jipp_open_to_replication": _open_to_replication(rng),
        "jipp_profiles_not_updated": _backdate(rng, innovations, timezone.now()),
    }
