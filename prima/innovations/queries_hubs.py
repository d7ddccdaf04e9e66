"""Replication-network hubs (Simpul JIPP) as the public pages, exports and API read them.

Hubs are public facts, and so are their figures: members, the members' published
innovations, and the counted replication links (confirmed + verified) whose replica is a
published innovation of a member and whose source is published too (the public lineage
shows only published innovations). Every figure is a correlated subquery, so a list of
hubs is one query whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from prima.core.enums import LOCAL_KINDS
from prima.core.models import Institution
from prima.innovations.enums import COUNTED_LINK_STATUSES
from prima.innovations.models import Innovation, JippHub, ReplicationLink
from prima.innovations.queries import published_innovations

Members = JippHub.members.through


def _count(qs: QuerySet) -> Coalesce:
    """COUNT(*) of `qs` as a scalar subquery (no GROUP BY: one row per outer hub)."""
    counted = qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def hubs_with_figures() -> QuerySet[JippHub]:
    """Every hub with its province and `n_members`, `n_published`, `n_links`."""
    return (
        JippHub.objects.select_related("province")
        .annotate(
            n_members=_count(Members.objects.filter(jipphub_id=OuterRef("pk"))),
            n_published=_count(
                published_innovations().filter(institution__jipp_hubs=OuterRef("pk"))
            ),
            n_links=_count(
                ReplicationLink.objects.filter(
                    status__in=COUNTED_LINK_STATUSES,
                    replica__is_published=True,
                    source__is_published=True,
                    replica__institution__jipp_hubs=OuterRef("pk"),
                )
            ),
        )
        .order_by("year", "province__code")
    )


def hub_with_members() -> QuerySet[JippHub]:
    """Hubs with figures and their members (with region) prefetched, by name."""
    return hubs_with_figures().prefetch_related(
        Prefetch("members", queryset=Institution.objects.select_related("region").order_by("name"))
    )


@dataclass(frozen=True)
class MemberRow:
    institution: Institution
    innovations: list[Innovation]


def member_rows(hub: JippHub) -> list[MemberRow]:
    """Each member (prefetched by `hub_with_members`) with its published innovations, in one
    query."""
    members = list(hub.members.all())
    by_institution: dict[int, list[Innovation]] = {member.pk: [] for member in members}
    innovations = (
        published_innovations()
        .filter(institution_id__in=list(by_institution))
        .select_related("unit")
        .order_by("name", "pk")
    )
    for innovation in innovations:
        by_institution[innovation.institution_id].append(innovation)
    return [MemberRow(member, by_institution[member.pk]) for member in members]


def member_candidates(hub: JippHub) -> QuerySet[Institution]:
    """Active local institutions of the hub's province that are not members yet."""
    return (
        Institution.objects.filter(
            is_active=True,
            kind__in=LOCAL_KINDS,
            region__province_code=hub.province.province_code,
        )
        .exclude(jipp_hubs=hub)
        .order_by("name")
    )
