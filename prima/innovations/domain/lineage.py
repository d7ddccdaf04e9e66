"""Replication lineage metrics and the no-cycle rule (pkri.md §9; acceptance example B10).

Links are directed original → replica. Metrics count ``confirmed`` and ``verified``
links; ``claimed`` ones are shown separately (``direct_claimed``); ``rejected`` ones never
count. Institution, province and kind on a link describe its replica. A link whose replica
has no record yet (``replica_id`` None) is a leaf of its own.

Pure: no ORM.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

COUNTED = frozenset({"confirmed", "verified"})
CLAIMED = "claimed"
REJECTED = "rejected"

T = TypeVar("T")


class Link(NamedTuple):
    source_id: int
    replica_id: int | None
    status: str
    institution_id: int | None = None
    province: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class LineageMetrics:
    direct: int  # confirmed + verified replicas of the root
    direct_claimed: int  # replicas of the root only claimed
    descendants: int  # every replica reachable through counted links
    generations: int  # the longest counted path from the root
    institutions: int  # distinct replicating institutions among the descendants
    provinces: int  # distinct provinces of those institutions
    by_kind: Mapping[str, int]  # institution kind → distinct institutions


def _as_link(item: Link | tuple[object, ...]) -> Link:
    return item if isinstance(item, Link) else Link(*item)  # type: ignore[arg-type]


def _children(links: Sequence[Link], statuses: frozenset[str]) -> dict[int, list[int]]:
    """Source id → indexes (into ``links``) of its links with one of ``statuses``."""
    found: dict[int, list[int]] = {}
    for index, link in enumerate(links):
        if link.status in statuses:
            found.setdefault(link.source_id, []).append(index)
    return found


def _node(index: int, link: Link) -> Hashable:
    """The replica of a link: its innovation id, or the link itself when it has no record."""
    return link.replica_id if link.replica_id is not None else ("new", index)


def lineage_metrics(root: int, links: Iterable[Link | tuple[object, ...]]) -> LineageMetrics:
    """The §9 metrics of ``root`` over all known links (B10: direct 2, descendants 3, …)."""
    all_links = [_as_link(item) for item in links]
    children = _children(all_links, COUNTED)
    direct = {_node(i, all_links[i]) for i in children.get(root, [])}
    claimed = {
        _node(i, link)
        for i, link in enumerate(all_links)
        if link.source_id == root and link.status == CLAIMED
    }
    reached: dict[Hashable, Link] = {}
    depth: dict[Hashable, int] = {}
    frontier: list[tuple[int, int]] = [(root, 0)]  # (innovation, its generation)
    while frontier:
        node, generation = frontier.pop()
        if generation >= len(all_links):
            continue  # only a cycle in stored data gets this deep: stop there
        for index in children.get(node, []):
            link = all_links[index]
            key = _node(index, link)
            if key == root or depth.get(key, -1) >= generation + 1:
                continue
            depth[key] = generation + 1
            reached.setdefault(key, link)
            if link.replica_id is not None:
                frontier.append((link.replica_id, generation + 1))
    found = reached.values()
    kinds: dict[str, set[int]] = {}
    for link in found:
        if link.institution_id is not None and link.kind:
            kinds.setdefault(link.kind, set()).add(link.institution_id)
    return LineageMetrics(
        direct=len(direct),
        direct_claimed=len(claimed - direct),
        descendants=len(reached),
        generations=max(depth.values(), default=0),
        institutions=len(
            {link.institution_id for link in found if link.institution_id is not None}
        ),
        provinces=len({link.province for link in found if link.province}),
        by_kind={kind: len(ids) for kind, ids in sorted(kinds.items())},
    )


def shortest_path(
    children: Mapping[int, Iterable[tuple[int, T]]], start: int, goal: int
) -> list[T] | None:
    """The labels of the links on a shortest path ``start`` → … → ``goal`` (breadth first;
    ``[]`` when start is goal), or None when there is none. ``children`` maps a source to
    its (replica, label) pairs."""
    previous: dict[int, tuple[int, T]] = {}
    queue, seen = deque([start]), {start}
    while queue:
        node = queue.popleft()
        if node == goal:
            labels: list[T] = []
            while node != start:
                node, label = previous[node]
                labels.append(label)
            return labels[::-1]
        for child, label in children.get(node, ()):
            if child not in seen:
                seen.add(child)
                previous[child] = (node, label)
                queue.append(child)
    return None


def creates_cycle(links: Iterable[Link | tuple[object, ...]], source: int, replica: int) -> bool:
    """True if a link ``source → replica`` would be a self-link or close a cycle: the
    replica already leads to the source.

    Every link except rejected ones is part of the graph (a claimed link already stands).
    """
    children: dict[int, list[tuple[int, None]]] = {}
    for link in map(_as_link, links):
        if link.status != REJECTED and link.replica_id is not None:
            children.setdefault(link.source_id, []).append((link.replica_id, None))
    return shortest_path(children, replica, source) is not None
