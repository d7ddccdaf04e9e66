"""Querysets of the JIPPNas data exchange (pkri.md §9): the network as exported, the
stale innovations the secretariat asks to update, and the requests still open."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from prima.core.access import access_for
from prima.innovations.domain.staleness import stale_cutoff
from prima.innovations.enums import LinkStatus
from prima.innovations.models import Innovation, ReplicationLink, UpdateRequest
from prima.innovations.queries import (
    innovations_editable_by,
    innovations_visible_to,
    prefetch_public_tiers,
    province_q,
    published_innovations,
)


def exports_everything(person: Any) -> bool:
    """The secretariat's export holds every innovation and link; everyone else's only
    the public part."""
    return access_for(person).is_secretariat


def may_manage_exchange(person: Any) -> bool:
    """Import, the stale list and update requests are the secretariat's."""
    return access_for(person).is_secretariat


def network_nodes(*, public: bool) -> QuerySet[Innovation]:
    """The innovations of an export, by id, with what a node row shows (a fixed number of
    queries per chunk when iterated with a chunk size). Public: published ones only."""
    qs = published_innovations() if public else Innovation.objects.all()
    return (
        qs.select_related("institution", "unit", "unit__region")
        .prefetch_related(prefetch_public_tiers())
        .order_by("pk")
    )


def network_edges(*, public: bool) -> QuerySet[ReplicationLink]:
    """The links of an export, by id. Public: not rejected, both ends published."""
    qs = ReplicationLink.objects.all()
    if public:
        qs = qs.exclude(status=LinkStatus.REJECTED).filter(
            source__is_published=True, replica__is_published=True
        )
    return qs.order_by("pk")


def start_of(day: dt.date) -> dt.datetime:
    """Midnight (WIB) at the start of `day`."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _latest_request() -> QuerySet[UpdateRequest]:
    return UpdateRequest.objects.filter(innovation=OuterRef("pk")).order_by("-requested_at", "-pk")


@dataclass(frozen=True)
class StaleFilters:
    institution: int | None = None
    province: str = ""
    kind: str = ""
    # "" all, "belum" never asked, "sudah" asked before
    requested: str = ""


REQUESTED_CHOICES = ("belum", "sudah")


def stale_innovations(
    person: Any, today: dt.date, filters: StaleFilters | None = None
) -> QuerySet[Innovation]:
    """Innovations the person may see whose profile is more than 24 months old on
    `today` (`staleness.is_stale`), oldest update first, each with the time of its
    latest update request (`last_requested_at`, None if never asked)."""
    filters = filters or StaleFilters()
    qs = (
        innovations_visible_to(person)
        .filter(updated_at__lt=start_of(stale_cutoff(today)))
        .annotate(last_requested_at=Subquery(_latest_request().values("requested_at")[:1]))
    )
    if filters.institution is not None:
        qs = qs.filter(institution_id=filters.institution)
    if filters.kind:
        qs = qs.filter(institution__kind=filters.kind)
    if filters.province:
        qs = qs.filter(province_q(filters.province))
    if filters.requested == "belum":
        qs = qs.filter(last_requested_at__isnull=True)
    elif filters.requested == "sudah":
        qs = qs.filter(last_requested_at__isnull=False)
    return qs.select_related("institution", "unit", "unit__region").order_by("updated_at", "pk")


def may_see_update_requests(person: Any) -> bool:
    """The owners' page is for whoever can edit some innovation."""
    access = access_for(person)
    return access.is_secretariat or bool(access.admin_institution_ids or access.operator_unit_ids)


def open_update_requests(person: Any) -> QuerySet[Innovation]:
    """Innovations the person may edit with a request not answered yet (the profile was
    not saved since the latest request), newest request first, each with
    `last_requested_at` and `last_request_message`."""
    latest = _latest_request()
    return (
        innovations_editable_by(person)
        .annotate(
            last_requested_at=Subquery(latest.values("requested_at")[:1]),
            last_request_message=Subquery(latest.values("message")[:1]),
        )
        .filter(last_requested_at__gt=F("updated_at"))
        .select_related("institution", "unit")
        .order_by("-last_requested_at", "pk")
    )
