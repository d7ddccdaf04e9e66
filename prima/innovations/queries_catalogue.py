"""What the public innovation catalogue reads (pkri.md §9): list rows with their badges,
and one innovation's lineage (metrics, diagram, replica list).

Public rules applied here: rejected links and revoked tiers never appear; innovations not
published never appear by name. Metrics (N institutions in M provinces) count every
confirmed or verified link, also to replicas without a public profile: they are
aggregate numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from prima.innovations.domain.catalogue import (
    DEFAULT_GENERATIONS,
    claimed_note,
    replication_sentence,
)
from prima.innovations.domain.lineage import LineageMetrics, Link, lineage_metrics
from prima.innovations.domain.staleness import is_stale
from prima.innovations.enums import LinkStatus
from prima.innovations.models import AwardRecord, Innovation, ReplicationLink
from prima.innovations.queries import public_links

# Descendants are read one generation per query until none is left; real lineages are a
# few generations deep, and stored data that is somehow circular stops here.
MAX_DEPTH = 64


@dataclass(frozen=True)
class CatalogueRow:
    """One innovation in the catalogue list, with what its badges need."""

    innovation: Innovation
    direct_replications: int
    tiers: list[AwardRecord]
    stale: bool


def catalogue_rows(innovations: Iterable[Innovation], today: dt.date) -> list[CatalogueRow]:
    """Rows of innovations fetched with `queries.with_catalogue_relations`."""
    return [
        CatalogueRow(
            innovation=innovation,
            direct_replications=getattr(innovation, "direct_replications", 0),
            tiers=list(getattr(innovation, "public_tiers", [])),
            stale=is_stale(innovation.updated_at, today),
        )
        for innovation in innovations
    ]


@dataclass
class LineageNode:
    """An innovation in the diagram and the link joining it to the node it hangs from
    (its original in the replica tree, its replica in the originals tree)."""

    innovation: Innovation
    link: ReplicationLink
    children: list[LineageNode] = field(default_factory=list)
    # Links continue past the shown generations (the reader may ask for more).
    more: bool = False
    # Already drawn elsewhere in the diagram (two paths lead to it): its branch is not
    # drawn twice.
    repeated: bool = False

    @property
    def claimed(self) -> bool:
        return self.link.status == LinkStatus.CLAIMED


@dataclass(frozen=True)
class CatalogueLineage:
    metrics: LineageMetrics
    originals: list[LineageNode]  # above: what the innovation replicated, and so on up
    replicas: list[LineageNode]  # below: who replicated it, and so on down
    direct_replicas: list[LineageNode]  # the replica list (published replicas only)
    unpublished_replicas: int  # direct replicas without a public profile (not named)
    generations: int  # generations drawn each way

    @property
    def sentence(self) -> str:
        return replication_sentence(self.metrics)

    @property
    def claimed_note(self) -> str:
        return claimed_note(self.metrics)

    @property
    def deeper(self) -> bool:
        """Some branch continues past the drawn generations."""
        return _any_more(self.originals) or _any_more(self.replicas)


def _any_more(nodes: list[LineageNode]) -> bool:
    return any(node.more or _any_more(node.children) for node in nodes)


def _walk(root_id: int, *, down: bool, generations: int) -> list[ReplicationLink]:
    """Non-rejected links from the root, `generations` deep, one query per generation:
    towards the replicas (`down`) or towards the originals."""
    near, far = ("source", "replica") if down else ("replica", "source")
    links: list[ReplicationLink] = []
    seen, frontier = {root_id}, {root_id}
    for _generation in range(generations):
        if not frontier:
            break
        batch = list(
            public_links()
            .filter(**{f"{near}_id__in": frontier})
            .select_related(far, f"{far}__institution")
        )
        links.extend(batch)
        frontier = {getattr(link, f"{far}_id") for link in batch} - seen
        seen |= frontier
    return links


def _descendant_links(root_id: int) -> list[ReplicationLink]:
    """Every non-rejected link below the root (the metrics count them all)."""
    return _walk(root_id, down=True, generations=MAX_DEPTH)


def _ancestor_links(root_id: int, generations: int) -> list[ReplicationLink]:
    """Non-rejected links above the root up to one generation past `generations` (that
    last one only tells whether the diagram could go further)."""
    return _walk(root_id, down=False, generations=generations + 1)


def _metrics_link(link: ReplicationLink) -> Link:
    institution = link.replica.institution
    return Link(
        link.source_id,
        link.replica_id,
        link.status,
        institution_id=institution.pk,
        province=institution.province_code or None,
        kind=institution.kind,
    )


def _tree(
    start: int,
    edges: dict[int, list[tuple[ReplicationLink, Innovation]]],
    generations: int,
) -> list[LineageNode]:
    """The published innovations reachable from `start` along `edges`, `generations` deep;
    an innovation not published hides its branch."""
    drawn = {start}

    def visible(node_id: int) -> list[tuple[ReplicationLink, Innovation]]:
        return [(link, other) for link, other in edges.get(node_id, []) if other.is_published]

    def walk(node_id: int, depth: int) -> list[LineageNode]:
        nodes = []
        for link, other in visible(node_id):
            node = LineageNode(innovation=other, link=link)
            if other.pk in drawn:
                node.repeated = True
            elif depth >= generations:
                drawn.add(other.pk)
                node.more = bool(visible(other.pk))
            else:
                drawn.add(other.pk)
                node.children = walk(other.pk, depth + 1)
            nodes.append(node)
        return nodes

    return walk(start, 1)


def _order(pairs: list[tuple[ReplicationLink, Innovation]]) -> None:
    pairs.sort(key=lambda pair: (pair[0].replicated_on, pair[1].name, pair[1].pk))


def catalogue_lineage(
    innovation: Innovation, *, generations: int = DEFAULT_GENERATIONS
) -> CatalogueLineage:
    """The public lineage of a published innovation: metrics over all its descendants,
    the diagram `generations` deep each way, and the list of its direct replicas.

    Queries: one per generation of descendants (plus one), and at most
    `generations` + 1 for the originals.
    """
    below = _descendant_links(innovation.pk)
    above = _ancestor_links(innovation.pk, generations)
    down: dict[int, list[tuple[ReplicationLink, Innovation]]] = {}
    for link in below:
        down.setdefault(link.source_id, []).append((link, link.replica))
    up: dict[int, list[tuple[ReplicationLink, Innovation]]] = {}
    for link in above:
        up.setdefault(link.replica_id, []).append((link, link.source))
    for pairs in (*down.values(), *up.values()):
        _order(pairs)
    direct = down.get(innovation.pk, [])
    return CatalogueLineage(
        metrics=lineage_metrics(innovation.pk, [_metrics_link(link) for link in below]),
        originals=_tree(innovation.pk, up, generations),
        replicas=_tree(innovation.pk, down, generations),
        direct_replicas=[
            LineageNode(innovation=other, link=link) for link, other in direct if other.is_published
        ],
        unpublished_replicas=sum(1 for _link, other in direct if not other.is_published),
        generations=generations,
    )
