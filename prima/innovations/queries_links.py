"""Scoped replication-link querysets for the review queue (pkri.md §9): who sees which
links, the queue's filters and status counts, and a link's review history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from prima.core.access import access_for
from prima.core.models import AuditEntry
from prima.innovations.domain.link_review import AUDIT_ACTIONS
from prima.innovations.enums import LinkStatus
from prima.innovations.models import ReplicationLink
from prima.innovations.queries import province_q

LINK_TYPE = ReplicationLink._meta.label_lower
# The audit actions that make up a link's history, from its creation to its last review.
HISTORY_ACTIONS = ("replication.linked", "replication.claimed", *AUDIT_ACTIONS.values())

SIDE_SOURCE = "asal"
SIDE_REPLICA = "replika"


def may_open_link_review(person: Any) -> bool:
    """The queue is for the secretariat, Admin Lokal and unit operators."""
    access = access_for(person)
    return access.is_secretariat or bool(access.admin_institution_ids or access.operator_unit_ids)


def _side_conditions(person: Any) -> tuple[Q, Q]:
    """(links whose source is the person's, links whose replica is the person's)."""
    access = access_for(person)
    source, replica = Q(pk__in=[]), Q(pk__in=[])
    if access.admin_institution_ids:
        source |= Q(source__institution_id__in=access.admin_institution_ids)
        replica |= Q(replica__institution_id__in=access.admin_institution_ids)
    if access.operator_unit_ids:
        source |= Q(source__unit_id__in=access.operator_unit_ids)
        replica |= Q(replica__unit_id__in=access.operator_unit_ids)
    return source, replica


def links_for_review(person: Any) -> QuerySet[ReplicationLink]:
    """The secretariat sees every link. An Admin Lokal sees the links whose ORIGINAL belongs
    to their institution (to confirm or reject) and those whose replica does (to follow
    their claims); a unit operator those of their unit's innovations. Others see none."""
    access = access_for(person)
    qs = ReplicationLink.objects.all()
    if access.is_secretariat:
        return qs
    if not (access.admin_institution_ids or access.operator_unit_ids):
        return qs.none()
    source, replica = _side_conditions(person)
    return qs.filter(source | replica)


@dataclass(frozen=True)
class LinkFilters:
    """The queue's filters, shared by the page, its export and the API."""

    status: str = ""
    origin: str = ""
    province: str = ""
    q: str = ""
    side: str = ""  # "asal" (my originals) or "replika" (my replicas); "" both
    sort: str = ""


SORTS: dict[str, tuple[str, ...]] = {
    # The oldest claim first: a queue is worked in the order it filled.
    "lama": ("id",),
    "baru": ("-id",),
    "tanggal": ("-replicated_on", "-id"),
}
DEFAULT_SORT = "lama"


def apply_link_filters(
    qs: QuerySet[ReplicationLink], filters: LinkFilters, person: Any
) -> QuerySet[ReplicationLink]:
    """Narrow and order a scoped queryset (the status filter included); never widens it."""
    qs = apply_link_filters_except_status(qs, filters, person)
    if filters.status in LinkStatus.values:
        qs = qs.filter(status=filters.status)
    return qs.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))


def apply_link_filters_except_status(
    qs: QuerySet[ReplicationLink], filters: LinkFilters, person: Any
) -> QuerySet[ReplicationLink]:
    """Every filter but the status: the base of the status tabs' counts."""
    q = filters.q.strip()
    if q:
        qs = qs.filter(
            Q(replica__name__icontains=q)
            | Q(replica__acronym__icontains=q)
            | Q(source__name__icontains=q)
            | Q(source__acronym__icontains=q)
            | Q(replica__institution__name__icontains=q)
            | Q(source__institution__name__icontains=q)
        )
    if filters.origin:
        qs = qs.filter(origin=filters.origin)
    if filters.province:
        qs = qs.filter(
            province_q(filters.province, "replica__") | province_q(filters.province, "source__")
        )
    if filters.side in (SIDE_SOURCE, SIDE_REPLICA):
        source, replica = _side_conditions(person)
        qs = qs.filter(source if filters.side == SIDE_SOURCE else replica)
    return qs


def status_counts(qs: QuerySet[ReplicationLink]) -> dict[str, int]:
    """Links per status and in all ("") in one query."""
    totals = qs.order_by().aggregate(
        all=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in LinkStatus.values},
    )
    return {"": totals.pop("all"), **totals}


def with_link_relations(qs: QuerySet[ReplicationLink]) -> QuerySet[ReplicationLink]:
    """What every queue row, export row and API item shows, in one query."""
    return qs.select_related(
        "replica",
        "replica__institution",
        "replica__unit",
        "replica__unit__region",
        "source",
        "source__institution",
        "source__unit",
        "source__unit__region",
        "reviewed_by",
    )


def link_history(link: ReplicationLink) -> QuerySet[AuditEntry]:
    """The link's creation and reviews, oldest first."""
    return (
        AuditEntry.objects.filter(
            object_type=LINK_TYPE, object_id=str(link.pk), action__in=HISTORY_ACTIONS
        )
        .select_related("actor")
        .order_by("id")
    )
