"""JIPP API: the public innovation catalogue (pkri.md §9), under /api/v1/jipp.

Open to everyone (no token), published innovations only, with the same filters, badges,
metrics and lineage as the pages `/inovasi/publik/`: rejected links and revoked tiers
never appear, innovations not published are never named.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.api import ErrorOut, Ref
from prima.innovations.api import PublicFiltersIn
from prima.innovations.domain.catalogue import DEFAULT_GENERATIONS
from prima.innovations.models import AwardRecord
from prima.innovations.queries import (
    InnovationFilters,
    apply_filters,
    province_code_of,
    published_innovations,
    with_catalogue_relations,
)
from prima.innovations.queries_catalogue import (
    CatalogueRow,
    LineageNode,
    catalogue_lineage,
    catalogue_rows,
)

router = Router(tags=["jipp"])


class CatalogueParams(PublicFiltersIn):
    """The public catalogue's filters: the registry's public ones plus those of §9."""

    kind: str = Field("", description="jenis instansi: ministry, agency, province, regency, …")
    tier: str = Field("", description="peringkat penghargaan yang tidak dicabut, mis. top99")
    award_year: int | None = Field(None, description="tahun penghargaan (bersama `tier`)")
    hub: int | None = Field(None, description="ID simpul JIPP: instansi anggotanya")
    has_replicas: bool | None = Field(
        None, description="punya replikasi yang dikonfirmasi atau diverifikasi"
    )

    def filters(self) -> InnovationFilters:
        return dataclasses.replace(
            super().filters(),
            kind=self.kind,
            tier=self.tier,
            award_year=self.award_year,
            hub=self.hub,
            has_replicas=self.has_replicas,
        )


class InstitutionOut(Schema):
    id: int
    name: str
    kind: str
    province_code: str


class TierOut(Schema):
    programme: str
    year: int
    tier: str
    level: str = Field(description="finalist atau winner")
    decree_ref: str


class CatalogueItemOut(Schema):
    id: int
    name: str
    acronym: str
    summary: str
    institution: InstitutionOut
    unit: Ref
    province_code: str
    categories: list[str]
    started_on: dt.date
    is_digital: bool
    status: str = Field(description="active, paused atau stopped")
    status_confirmed_on: dt.date | None = Field(
        description="tanggal terakhir pemilik mengonfirmasi status (mis. formulir PKRI)"
    )
    open_to_replication: bool
    tiers: list[TierOut] = Field(description="penghargaan yang tidak dicabut")
    direct_replications: int = Field(
        description="replikasi langsung yang dikonfirmasi atau diverifikasi"
    )
    stale: bool = Field(description="profil tidak diperbarui lebih dari 24 bulan")
    updated_at: dt.datetime
    url: str = Field(description="halaman katalog publik")


class CatalogueList(Schema):
    count: int
    items: list[CatalogueItemOut]


class MetricsOut(Schema):
    direct: int
    direct_claimed: int = Field(description="replikasi langsung yang baru diklaim")
    descendants: int
    generations: int
    institutions: int
    provinces: int
    by_kind: dict[str, int]
    sentence: str = Field(description="«Direplikasi oleh N instansi di M provinsi»")
    claimed_note: str


class NodeOut(Schema):
    id: int
    name: str
    institution: Ref
    generation: int = Field(description="negatif: inovasi asal di atas; positif: replikasi")


class EdgeOut(Schema):
    source: int
    replica: int
    status: str = Field(description="claimed, confirmed atau verified")
    claimed: bool = Field(description="belum terverifikasi")
    replicated_on: dt.date


class LineageOut(Schema):
    generations: int
    deeper: bool = Field(description="silsilah berlanjut melewati generasi yang ditampilkan")
    nodes: list[NodeOut]
    edges: list[EdgeOut]


class ReplicaOut(Schema):
    innovation: Ref
    institution: Ref
    replicated_on: dt.date
    adaptation: str
    differences: str
    scope: str = Field(description="full, partial atau kosong")
    status: str
    claimed: bool


class CatalogueDetailOut(CatalogueItemOut):
    problem: str
    approach: str
    results: str
    beneficiaries: str
    sdg_goals: list[int]
    status_reason: str
    status_changed_on: dt.date | None
    replication_contact: str = Field(description="kosong bila tidak terbuka untuk direplikasi")
    metrics: MetricsOut
    lineage: LineageOut
    replicas: list[ReplicaOut]
    unpublished_replicas: int = Field(description="replikasi langsung tanpa profil publik")


def _tier(award: AwardRecord) -> dict[str, Any]:
    return {
        "programme": award.programme,
        "year": award.year,
        "tier": award.tier,
        "level": award.level,
        "decree_ref": award.decree_ref,
    }


def _item(row: CatalogueRow) -> dict[str, Any]:
    innovation = row.innovation
    institution = innovation.institution
    return {
        "id": innovation.pk,
        "name": innovation.name,
        "acronym": innovation.acronym,
        "summary": innovation.summary,
        "institution": {
            "id": institution.pk,
            "name": institution.name,
            "kind": institution.kind,
            "province_code": institution.province_code,
        },
        "unit": {"id": innovation.unit_id, "name": innovation.unit.name},
        "province_code": province_code_of(innovation),
        "categories": [c.code for c in innovation.categories.all()],
        "started_on": innovation.started_on,
        "is_digital": innovation.is_digital,
        "status": innovation.status,
        "status_confirmed_on": innovation.status_confirmed_on,
        "open_to_replication": innovation.open_to_replication,
        "tiers": [_tier(award) for award in row.tiers],
        "direct_replications": row.direct_replications,
        "stale": row.stale,
        "updated_at": timezone.localtime(innovation.updated_at),
        "url": reverse("public_innovation_detail", args=[innovation.pk]),
    }


def _flatten(
    nodes: list[LineageNode], sign: int, depth: int, out: dict[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The diagram's trees as nodes (once each) and edges (each link once)."""
    edges = []
    for node in nodes:
        other = node.innovation
        out.setdefault(
            other.pk,
            {
                "id": other.pk,
                "name": other.name,
                "institution": {"id": other.institution_id, "name": other.institution.name},
                "generation": sign * depth,
            },
        )
        edges.append(
            {
                "source": node.link.source_id,
                "replica": node.link.replica_id,
                "status": node.link.status,
                "claimed": node.claimed,
                "replicated_on": node.link.replicated_on,
            }
        )
        edges += _flatten(node.children, sign, depth + 1, out)
    return edges


@router.get("/catalogue", response=CatalogueList, auth=None, summary="Katalog inovasi publik")
def catalogue_list(request: HttpRequest, params: Query[CatalogueParams]) -> dict[str, Any]:
    """Published innovations with their badges and counted direct replications, filtered
    like the page `/inovasi/publik/`."""
    qs = with_catalogue_relations(apply_filters(published_innovations(), params.filters()))
    page = list(qs[params.offset : params.offset + params.limit])
    rows = catalogue_rows(page, timezone.localdate())
    return {"count": qs.count(), "items": [_item(row) for row in rows]}


@router.get(
    "/catalogue/{innovation_id}",
    response={200: CatalogueDetailOut, 404: ErrorOut},
    auth=None,
    summary="Satu inovasi di katalog publik, dengan metrik dan silsilah replikasi",
)
def catalogue_detail(request: HttpRequest, innovation_id: int) -> dict[str, Any]:
    """The catalogue page of one published innovation: content, badges, replication
    metrics, the lineage two generations up and down, and its replica list."""
    innovation = with_catalogue_relations(published_innovations()).filter(pk=innovation_id).first()
    if innovation is None:
        raise HttpError(404, _("Inovasi tidak ditemukan."))
    row = catalogue_rows([innovation], timezone.localdate())[0]
    lineage = catalogue_lineage(innovation, generations=DEFAULT_GENERATIONS)
    nodes: dict[int, dict[str, Any]] = {}
    edges = _flatten(lineage.originals, -1, 1, nodes) + _flatten(lineage.replicas, 1, 1, nodes)
    metrics = lineage.metrics
    return {
        **_item(row),
        "problem": innovation.problem,
        "approach": innovation.approach,
        "results": innovation.results,
        "beneficiaries": innovation.beneficiaries,
        "sdg_goals": innovation.sdg_goals,
        "status_reason": innovation.status_reason,
        "status_changed_on": innovation.status_changed_on,
        "replication_contact": (
            innovation.replication_contact if innovation.open_to_replication else ""
        ),
        "metrics": {
            "direct": metrics.direct,
            "direct_claimed": metrics.direct_claimed,
            "descendants": metrics.descendants,
            "generations": metrics.generations,
            "institutions": metrics.institutions,
            "provinces": metrics.provinces,
            "by_kind": dict(metrics.by_kind),
            "sentence": lineage.sentence,
            "claimed_note": lineage.claimed_note,
        },
        "lineage": {
            "generations": lineage.generations,
            "deeper": lineage.deeper,
            "nodes": list(nodes.values()),
            "edges": edges,
        },
        "replicas": [
            {
                "innovation": {"id": node.innovation.pk, "name": node.innovation.name},
                "institution": {
                    "id": node.innovation.institution_id,
                    "name": node.innovation.institution.name,
                },
                "replicated_on": node.link.replicated_on,
                "adaptation": node.link.adaptation,
                "differences": node.link.differences,
                "scope": node.link.scope,
                "status": node.link.status,
                "claimed": node.claimed,
            }
            for node in lineage.direct_replicas
        ],
        "unpublished_replicas": lineage.unpublished_replicas,
    }
