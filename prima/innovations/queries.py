"""Scoped innovation querysets: what a person may see or change, in every list, page,
export, count and API response; plus the shared filters and sort orders of the lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from prima.core.access import access_for
from prima.core.models import ServiceUnit
from prima.innovations.models import (
    AwardRecord,
    Category,
    Evidence,
    Innovation,
    ReplicationLink,
)


def _base() -> QuerySet[Innovation]:
    return Innovation.objects.all()


def innovations_visible_to(person: Any) -> QuerySet[Innovation]:
    """National readers see all; institution-scoped members their institution's; unit
    members their units'; everyone else (evaluators, people without a role) none."""
    access = access_for(person)
    qs = _base()
    if access.reads_nationally:
        return qs
    condition = Q()
    if access.institutions:
        condition |= Q(institution_id__in=set(access.institutions))
    if access.units:
        condition |= Q(unit_id__in=set(access.units))
    if not condition:
        return qs.none()
    return qs.filter(condition)


def innovations_editable_by(person: Any) -> QuerySet[Innovation]:
    """The secretariat changes all; an Admin Lokal their institution's; an operator their units'."""
    access = access_for(person)
    qs = _base()
    if access.is_secretariat:
        return qs
    condition = Q()
    if access.admin_institution_ids:
        condition |= Q(institution_id__in=access.admin_institution_ids)
    if access.operator_unit_ids:
        condition |= Q(unit_id__in=access.operator_unit_ids)
    if not condition:
        return qs.none()
    return qs.filter(condition)


def published_innovations() -> QuerySet[Innovation]:
    """What the public catalogue shows."""
    return _base().filter(is_published=True)


def may_read_registry(person: Any) -> bool:
    """Whether the internal registry pages are open to the person at all."""
    return access_for(person).works_in_registry


def units_for_registration(person: Any) -> QuerySet[ServiceUnit]:
    """Active units for which the person may register an innovation."""
    access = access_for(person)
    qs = ServiceUnit.objects.filter(is_active=True).select_related("institution")
    if access.is_secretariat:
        return qs
    condition = Q()
    if access.admin_institution_ids:
        condition |= Q(institution_id__in=access.admin_institution_ids)
    if access.operator_unit_ids:
        condition |= Q(pk__in=access.operator_unit_ids)
    if not condition:
        return qs.none()
    return qs.filter(condition)


def evidence_downloadable_by(person: Any) -> QuerySet[Evidence]:
    """Evidence of innovations the person may see, plus public evidence of published ones."""
    condition = Q(is_public=True, innovation__is_published=True)
    if access_for(person).is_authenticated:
        condition |= Q(innovation__in=innovations_visible_to(person).values("pk"))
    return Evidence.objects.filter(condition).select_related("innovation")


@dataclass(frozen=True)
class InnovationFilters:
    """The filters shared by the internal list, the public catalogue, exports and the API."""

    q: str = ""
    institution: int | None = None
    unit: int | None = None
    category: str = ""
    status: str = ""
    digital: bool | None = None
    province: str = ""
    published: bool | None = None
    year: int | None = None
    sort: str = ""


SORTS: dict[str, tuple[str, ...]] = {
    "baru": ("-created_at", "-id"),
    "nama": ("name", "id"),
    "-nama": ("-name", "-id"),
    "mulai": ("started_on", "id"),
    "-mulai": ("-started_on", "-id"),
    "instansi": ("institution__name", "name", "id"),
    "diperbarui": ("-updated_at", "-id"),
}
DEFAULT_SORT = "baru"


def apply_filters(qs: QuerySet[Innovation], filters: InnovationFilters) -> QuerySet[Innovation]:
    """Narrow and order a (scoped) queryset; never widens what the scope allows."""
    q = filters.q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(acronym__icontains=q) | Q(summary__icontains=q))
    if filters.institution is not None:
        qs = qs.filter(institution_id=filters.institution)
    if filters.unit is not None:
        qs = qs.filter(unit_id=filters.unit)
    if filters.category:
        # A subquery, so an innovation in two categories is never listed twice.
        qs = qs.filter(
            pk__in=Innovation.categories.through.objects.filter(
                category__code=filters.category
            ).values("innovation_id")
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.digital is not None:
        qs = qs.filter(is_digital=filters.digital)
    if filters.province:
        qs = qs.filter(
            Q(unit__region__province_code=filters.province)
            | Q(unit__region__isnull=True, institution__province_code=filters.province)
        )
    if filters.published is not None:
        qs = qs.filter(is_published=filters.published)
    if filters.year is not None:
        qs = qs.filter(started_on__year=filters.year)
    return qs.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))


def with_list_relations(qs: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """What every list row shows, fetched in a fixed number of queries."""
    return qs.select_related("institution", "unit", "unit__region").prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("position", "name"))
    )


def public_awards() -> QuerySet[AwardRecord]:
    """Award history the public sees: revoked tiers never appear."""
    return AwardRecord.objects.filter(revoked=False)


@dataclass(frozen=True)
class LineageEntry:
    """One replication link seen from an innovation: the other innovation and the link."""

    link: ReplicationLink
    other: Innovation
    # The viewer may open the other innovation's internal page (else only its public page).
    internal: bool


@dataclass(frozen=True)
class Lineage:
    sources: list[LineageEntry]  # "mereplikasi dari"
    replicas: list[LineageEntry]  # "direplikasi oleh"
    hidden_sources: int
    hidden_replicas: int


def lineage_for(innovation: Innovation, person: Any, *, public: bool = False) -> Lineage:
    """Both directions of an innovation's lineage, limited to innovations the viewer may see
    or that are published (the public view: published only). Three queries at most."""
    source_links = list(
        ReplicationLink.objects.filter(replica=innovation).select_related(
            "source", "source__institution"
        )
    )
    replica_links = list(
        ReplicationLink.objects.filter(source=innovation).select_related(
            "replica", "replica__institution"
        )
    )
    others = [link.source for link in source_links] + [link.replica for link in replica_links]
    visible: set[int] = set()
    if not public and others:
        visible = set(
            innovations_visible_to(person)
            .filter(pk__in=[other.pk for other in others])
            .values_list("pk", flat=True)
        )

    def entries(pairs: list[tuple[ReplicationLink, Innovation]]) -> list[LineageEntry]:
        return [
            LineageEntry(link=link, other=other, internal=other.pk in visible)
            for link, other in pairs
            if other.pk in visible or other.is_published
        ]

    sources = entries([(link, link.source) for link in source_links])
    replicas = entries([(link, link.replica) for link in replica_links])
    return Lineage(
        sources=sources,
        replicas=replicas,
        hidden_sources=len(source_links) - len(sources),
        hidden_replicas=len(replica_links) - len(replicas),
    )


def replication_candidates(person: Any, innovation: Innovation) -> QuerySet[Innovation]:
    """Innovations the person may name as a source: those they see, and published ones."""
    return (
        Innovation.objects.filter(
            Q(pk__in=innovations_visible_to(person).values("pk")) | Q(is_published=True)
        )
        .exclude(pk=innovation.pk)
        .select_related("institution", "unit")
    )
