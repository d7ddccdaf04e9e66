"""Scoped innovation querysets: what a person may see or change, in every list, page,
export, count and API response; plus the shared filters and sort orders of the lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from prima.core.access import access_for
from prima.core.models import ServiceUnit
from prima.innovations.enums import COUNTED_LINK_STATUSES, LinkStatus
from prima.innovations.models import (
    AwardRecord,
    Category,
    Evidence,
    Innovation,
    JippHub,
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
    year: int | None = None  # the year it started
    sort: str = ""
    # The catalogue's own filters (pkri.md §9).
    kind: str = ""  # institution kind
    tier: str = ""  # a tier reached (non-revoked award), e.g. top99
    award_year: int | None = None  # the year of such an award (the same award as `tier`)
    hub: int | None = None  # a JIPP hub whose member institution owns the innovation
    has_replicas: bool | None = None  # has counted (confirmed/verified) replicas


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
        qs = qs.filter(province_q(filters.province))
    if filters.published is not None:
        qs = qs.filter(is_published=filters.published)
    if filters.year is not None:
        qs = qs.filter(started_on__year=filters.year)
    if filters.kind:
        qs = qs.filter(institution__kind=filters.kind)
    if filters.tier or filters.award_year is not None:
        awards = public_awards()
        if filters.tier:
            awards = awards.filter(tier=filters.tier)
        if filters.award_year is not None:
            awards = awards.filter(year=filters.award_year)
        qs = qs.filter(pk__in=awards.values("innovation_id"))
    if filters.hub is not None:
        qs = qs.filter(
            institution_id__in=JippHub.members.through.objects.filter(
                jipphub_id=filters.hub
            ).values("institution_id")
        )
    if filters.has_replicas is not None:
        counted = Exists(counted_links().filter(source_id=OuterRef("pk")))
        qs = qs.filter(counted if filters.has_replicas else ~counted)
    return qs.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))


def province_q(code: str, prefix: str = "") -> Q:
    """Innovations in province `code`: their unit's region, or their institution's province
    when the unit has no region (the rule `province_code_of` applies to one innovation).
    `prefix` reaches the innovation through a relation, e.g. ``"replica__"``."""
    return Q(**{f"{prefix}unit__region__province_code": code}) | Q(
        **{f"{prefix}unit__region__isnull": True, f"{prefix}institution__province_code": code}
    )


def province_code_of(innovation: Innovation) -> str:
    """The province an innovation is in (see `province_q`); unit, region and institution
    should be loaded."""
    region = innovation.unit.region
    if region is not None:
        return region.province_code
    return innovation.institution.province_code


def with_list_relations(qs: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """What every list row shows, fetched in a fixed number of queries."""
    return qs.select_related("institution", "unit", "unit__region").prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("position", "name"))
    )


def public_awards() -> QuerySet[AwardRecord]:
    """Award history the public sees: revoked tiers never appear."""
    return AwardRecord.objects.filter(revoked=False)


def counted_links() -> QuerySet[ReplicationLink]:
    """Links that count in the replication metrics: confirmed and verified (pkri.md §9)."""
    return ReplicationLink.objects.filter(status__in=COUNTED_LINK_STATUSES)


def public_links() -> QuerySet[ReplicationLink]:
    """Links the public may see: all but rejected ones (claimed ones carry a badge)."""
    return ReplicationLink.objects.exclude(status=LinkStatus.REJECTED)


def with_catalogue_relations(qs: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """A catalogue row: the list relations, the number of counted direct replications
    (`direct_replications`) and the public tiers (`public_tiers`); a fixed number of queries.

    Replications count every counted link, also to replicas not published (an aggregate,
    no name is shown).
    """
    direct = (
        counted_links()
        .filter(source_id=OuterRef("pk"))
        .order_by()
        .values("source_id")
        .annotate(n=Count("replica_id", distinct=True))
        .values("n")
    )
    return (
        with_list_relations(qs)
        .annotate(direct_replications=Coalesce(Subquery(direct, output_field=IntegerField()), 0))
        .prefetch_related(prefetch_public_tiers())
    )


def prefetch_public_tiers() -> Prefetch:
    """An innovation's awards not revoked, newest first, as `public_tiers`."""
    return Prefetch(
        "awards",
        queryset=public_awards().order_by("-year", "programme", "tier"),
        to_attr="public_tiers",
    )


def public_tier_codes() -> list[str]:
    """The tiers the catalogue's filter offers: those of published innovations, not revoked."""
    return list(
        public_awards()
        .filter(innovation__is_published=True)
        .order_by("tier")
        .values_list("tier", flat=True)
        .distinct()
    )


def hubs_for_filter() -> QuerySet[JippHub]:
    """The JIPP hubs the catalogue's filter offers, by province name."""
    return JippHub.objects.select_related("province").order_by("province__name")


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


def lineage_for(innovation: Innovation, person: Any) -> Lineage:
    """Both directions of an innovation's lineage on its internal page, limited to
    innovations the viewer may see or that are published. Three queries at most.

    The public catalogue reads `queries_catalogue.catalogue_lineage` instead."""
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
    if others:
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
