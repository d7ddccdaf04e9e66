"""Importing the replication network from a JIPPNas file (pkri.md §9).

Rows arrive already read and typed (see `prima.innovations.interfaces.jipp_exchange`).
Here every row is checked against the database and against the other rows of the file,
and nothing is written unless every row passes:

- edges (links ``source_id`` → ``replica_id``, both Prima innovation ids): both ids
  exist, no self-link, a replication date not in the future, each pair once per file,
  and no cycle, counting the links already stored (rejected ones excepted) and the
  earlier rows of the file. A new pair becomes a link with ``origin = jipp_import``
  and the file's status (claimed, confirmed or verified; claimed when empty). A pair
  already stored with the same values is left alone; with different values it is an
  error, unless the import runs in *update* mode, which overwrites the file's columns
  (the origin stays). Rejected links are never changed by an import.
- nodes (innovations by ``id``): only the JIPP profile fields are read
  (``open_to_replication``, ``replication_contact``, ``status_confirmed_on``), each only
  when the file has that column. An innovation open to replication needs a contact.
  These changes bump the innovation's version but not ``updated_at``: the profile's
  last update stays the owner's.

The import writes in one transaction with one ``jipp.imported`` audit entry (counts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import Person
from prima.innovations.domain.lineage import shortest_path
from prima.innovations.enums import LinkOrigin, LinkScope, LinkStatus
from prima.innovations.models import Innovation, ReplicationLink

IMPORTED = "jipp.imported"
NODES, EDGES = "nodes", "edges"
IMPORTABLE_STATUSES = (LinkStatus.CLAIMED, LinkStatus.CONFIRMED, LinkStatus.VERIFIED)
# The columns an edge row sets on a link, in file order.
EDGE_FIELDS = ("replicated_on", "scope", "status", "differences", "evidence_note")
# The innovation fields a node row may set (the JIPP profile).
PROFILE_FIELDS = ("open_to_replication", "replication_contact", "status_confirmed_on")
MAX_EVIDENCE_NOTE = 500
MAX_CONTACT = 200
# Imported links have no free-text adaptation; the column is required on the model.
NO_ADAPTATION = "-"
# Id look-ups are split so no query carries too many parameters.
CHUNK = 2000


@dataclass(frozen=True)
class EdgeRow:
    """One typed edge line: ``replica_id`` replicated ``source_id``."""

    row: int
    source_id: int
    replica_id: int
    replicated_on: dt.date
    scope: str = ""
    status: str = LinkStatus.CLAIMED
    differences: str = ""
    evidence_note: str = ""

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in EDGE_FIELDS}


@dataclass(frozen=True)
class NodeRow:
    """One typed node line: the profile fields the file gives for innovation ``id``."""

    row: int
    id: int
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """A row that cannot be imported: its part (nodes/edges), row, column and why."""

    part: str
    row: int
    column: str
    message: str


class ImportRefused(DomainError):
    """Some rows cannot be imported; `problems` names every one. Nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        first = problems[0]
        super().__init__(
            _("Baris %(row)s, kolom %(column)s: %(message)s")
            % {"row": first.row, "column": first.column, "message": first.message},
            field="file",
        )
        self.problems = list(problems)


@dataclass
class ImportResult:
    links_created: int = 0
    links_updated: int = 0
    links_unchanged: int = 0
    nodes_updated: int = 0
    nodes_unchanged: int = 0
    entry_id: int | None = None


@dataclass
class _Plan:
    problems: list[Problem] = field(default_factory=list)
    new_links: list[EdgeRow] = field(default_factory=list)
    changed_links: list[tuple[int, EdgeRow]] = field(default_factory=list)  # (link id, row)
    unchanged_links: int = 0
    changed_nodes: list[NodeRow] = field(default_factory=list)
    unchanged_nodes: int = 0

    def refuse(self, part: str, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(part, row, column, message))


def require_secretariat(actor: Any) -> None:
    if not access_for(actor).is_secretariat:
        raise PermissionDenied(_("Hanya Sekretariat yang dapat mengimpor data jaringan JIPP."))


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    items = sorted(set(ids))
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _innovations(ids: Iterable[int], *, lock: bool = False) -> dict[int, Innovation]:
    found: dict[int, Innovation] = {}
    for chunk in _chunks(ids):
        qs = Innovation.objects.filter(pk__in=chunk).only("pk", "name", "version", *PROFILE_FIELDS)
        if lock:
            qs = qs.select_for_update(of=("self",))
        found.update((i.pk, i) for i in qs)
    return found


def _unknown(innovation_id: int) -> str:
    return _("inovasi nomor %(id)s tidak ada di Prima.") % {"id": innovation_id}


# source → (replica, its file row; None for a stored link)
Adjacency = dict[int, list[tuple[int, int | None]]]


def _plan_edges(plan: _Plan, edges: Sequence[EdgeRow], names: dict[int, str], update: bool) -> None:
    today = timezone.localdate()
    # The lineage as stored (rejected links are no part of it), then the file's new links.
    adjacency: Adjacency = {}
    for source_id, replica_id in (
        ReplicationLink.objects.exclude(status=LinkStatus.REJECTED)
        .values_list("source_id", "replica_id")
        .iterator(chunk_size=5000)
    ):
        adjacency.setdefault(source_id, []).append((replica_id, None))
    stored: dict[tuple[int, int], ReplicationLink] = {}
    for chunk in _chunks(e.replica_id for e in edges):
        for link in ReplicationLink.objects.filter(replica_id__in=chunk).only(
            "pk", "source_id", "replica_id", *EDGE_FIELDS
        ):
            stored[(link.source_id, link.replica_id)] = link
    first_row: dict[tuple[int, int], int] = {}
    for edge in edges:
        failed = False
        for column, innovation_id in (
            ("source_id", edge.source_id),
            ("replica_id", edge.replica_id),
        ):
            if innovation_id not in names:
                plan.refuse(EDGES, edge.row, column, _unknown(innovation_id))
                failed = True
        if edge.source_id == edge.replica_id:
            plan.refuse(
                EDGES,
                edge.row,
                "replica_id",
                _("inovasi tidak dapat mereplikasi dirinya sendiri (source_id = replica_id)."),
            )
            failed = True
        if edge.replicated_on > today:
            plan.refuse(
                EDGES,
                edge.row,
                "replicated_on",
                _("tanggal replikasi %(date)s di masa depan.")
                % {"date": edge.replicated_on.isoformat()},
            )
            failed = True
        if edge.scope and edge.scope not in LinkScope.values:
            plan.refuse(
                EDGES,
                edge.row,
                "scope",
                _("nilai '%(value)s' tidak dikenal; pilih salah satu: %(choices)s.")
                % {"value": edge.scope, "choices": ", ".join(LinkScope.values)},
            )
            failed = True
        if edge.status not in LinkStatus.values:
            plan.refuse(EDGES, edge.row, "status", _status_message(edge.status))
            failed = True
        if len(edge.evidence_note) > MAX_EVIDENCE_NOTE:
            plan.refuse(
                EDGES,
                edge.row,
                "evidence_note",
                _("paling banyak %(max)s huruf; tertulis %(count)s.")
                % {"max": MAX_EVIDENCE_NOTE, "count": len(edge.evidence_note)},
            )
            failed = True
        pair = (edge.source_id, edge.replica_id)
        if pair in first_row:
            plan.refuse(
                EDGES,
                edge.row,
                "replica_id",
                _("tautan %(source)s → %(replica)s sudah ada di baris %(row)s.")
                % {"source": edge.source_id, "replica": edge.replica_id, "row": first_row[pair]},
            )
            continue
        first_row[pair] = edge.row
        if failed:
            continue
        current = stored.get(pair)
        if current is not None:
            _plan_existing(plan, edge, current, update)
            continue
        if edge.status not in IMPORTABLE_STATUSES:
            plan.refuse(EDGES, edge.row, "status", _status_message(edge.status))
            continue
        # The new link closes a circle when its replica already leads to its source.
        path = shortest_path(adjacency, edge.replica_id, edge.source_id)
        if path is not None:
            rows = sorted(row for row in path if row is not None)
            plan.refuse(EDGES, edge.row, "replica_id", _cycle_message(edge, names, rows))
            continue
        adjacency.setdefault(edge.source_id, []).append((edge.replica_id, edge.row))
        plan.new_links.append(edge)


def _status_message(status: str) -> str:
    return _("status '%(status)s' tidak dapat diimpor; pilih salah satu: %(choices)s.") % {
        "status": status,
        "choices": ", ".join(IMPORTABLE_STATUSES),
    }


def _cycle_message(edge: EdgeRow, names: dict[int, str], rows: list[int]) -> str:
    message = _(
        "silsilah akan berputar: «%(source)s» (%(source_id)s) sudah, langsung atau melalui "
        "inovasi lain, mereplikasi «%(replica)s» (%(replica_id)s)."
    ) % {
        "source": names[edge.source_id],
        "source_id": edge.source_id,
        "replica": names[edge.replica_id],
        "replica_id": edge.replica_id,
    }
    if rows:
        message += " " + _("Putaran ini melewati baris %(rows)s berkas ini.") % {
            "rows": ", ".join(str(row) for row in rows)
        }
    return message


def _plan_existing(plan: _Plan, edge: EdgeRow, current: ReplicationLink, update: bool) -> None:
    wanted = edge.values()
    differing = [name for name in EDGE_FIELDS if getattr(current, name) != wanted[name]]
    if not differing:
        plan.unchanged_links += 1
        return
    if current.status == LinkStatus.REJECTED:
        plan.refuse(
            EDGES,
            edge.row,
            "status",
            _(
                "tautan %(source)s → %(replica)s sudah ditolak; tautan yang ditolak tidak "
                "diubah lewat impor."
            )
            % {"source": edge.source_id, "replica": edge.replica_id},
        )
        return
    if not update:
        plan.refuse(
            EDGES,
            edge.row,
            differing[0],
            _(
                "tautan %(source)s → %(replica)s sudah tercatat dengan isi berbeda (kolom "
                "%(columns)s); impor dengan mode «perbarui» untuk menimpanya."
            )
            % {
                "source": edge.source_id,
                "replica": edge.replica_id,
                "columns": ", ".join(differing),
            },
        )
        return
    if edge.status not in IMPORTABLE_STATUSES:
        plan.refuse(EDGES, edge.row, "status", _status_message(edge.status))
        return
    plan.changed_links.append((current.pk, edge))


def _plan_nodes(plan: _Plan, nodes: Sequence[NodeRow], found: dict[int, Innovation]) -> None:
    today = timezone.localdate()
    first_row: dict[int, int] = {}
    for node in nodes:
        if node.id in first_row:
            plan.refuse(
                NODES,
                node.row,
                "id",
                _("inovasi %(id)s sudah ada di baris %(row)s.")
                % {"id": node.id, "row": first_row[node.id]},
            )
            continue
        first_row[node.id] = node.row
        innovation = found.get(node.id)
        if innovation is None:
            plan.refuse(NODES, node.row, "id", _unknown(node.id))
            continue
        values = dict(node.values)
        failed = False
        confirmed_on = values.get("status_confirmed_on")
        if confirmed_on is not None and confirmed_on > today:
            plan.refuse(
                NODES,
                node.row,
                "status_confirmed_on",
                _("tanggal %(date)s di masa depan.") % {"date": confirmed_on.isoformat()},
            )
            failed = True
        contact = values.get("replication_contact")
        if contact is not None and len(contact) > MAX_CONTACT:
            plan.refuse(
                NODES,
                node.row,
                "replication_contact",
                _("paling banyak %(max)s huruf; tertulis %(count)s.")
                % {"max": MAX_CONTACT, "count": len(contact)},
            )
            failed = True
        result = {name: values.get(name, getattr(innovation, name)) for name in PROFILE_FIELDS}
        if result["open_to_replication"] and not result["replication_contact"]:
            plan.refuse(
                NODES,
                node.row,
                "replication_contact",
                _("wajib diisi bila inovasi terbuka untuk direplikasi (open_to_replication)."),
            )
            failed = True
        if failed:
            continue
        if all(result[name] == getattr(innovation, name) for name in PROFILE_FIELDS):
            plan.unchanged_nodes += 1
        else:
            plan.changed_nodes.append(NodeRow(node.row, node.id, result))


def _plan(
    edges: Sequence[EdgeRow], nodes: Sequence[NodeRow], *, update: bool, lock: bool
) -> tuple[_Plan, dict[int, Innovation]]:
    plan = _Plan()
    ids = {e.source_id for e in edges} | {e.replica_id for e in edges}
    names = {pk: i.name for pk, i in _innovations(ids).items()}
    found = _innovations((n.id for n in nodes), lock=lock)
    _plan_edges(plan, edges, names, update)
    _plan_nodes(plan, nodes, found)
    return plan, found


def check_import(
    edges: Sequence[EdgeRow], nodes: Sequence[NodeRow], *, update: bool = False
) -> list[Problem]:
    """Every problem the rows would meet on import (reads only)."""
    plan, _found = _plan(edges, nodes, update=update, lock=False)
    return plan.problems


def import_network(
    edges: Sequence[EdgeRow],
    nodes: Sequence[NodeRow],
    *,
    actor: Person,
    update: bool = False,
    file_name: str = "",
) -> ImportResult:
    """Check every row, then write them all in one transaction (secretariat only).

    Raises `ImportRefused` listing every problem, with nothing written, when any row
    fails. See the module docstring for the rules.
    """
    require_secretariat(actor)
    if not edges and not nodes:
        raise DomainError(_("Berkas tidak berisi baris inovasi maupun tautan."), field="file")
    result = ImportResult()
    with transaction.atomic():
        plan, found = _plan(edges, nodes, update=update, lock=True)
        if plan.problems:
            raise ImportRefused(
                sorted(plan.problems, key=lambda p: (p.part != NODES, p.row, p.column))
            )
        ReplicationLink.objects.bulk_create(
            [
                ReplicationLink(
                    source_id=edge.source_id,
                    replica_id=edge.replica_id,
                    adaptation=NO_ADAPTATION,
                    origin=LinkOrigin.JIPP_IMPORT,
                    **edge.values(),
                )
                for edge in plan.new_links
            ],
            batch_size=500,
        )
        changed = []
        for pk, edge in plan.changed_links:
            link = ReplicationLink(pk=pk, **edge.values())
            changed.append(link)
        ReplicationLink.objects.bulk_update(changed, list(EDGE_FIELDS), batch_size=500)
        innovations = []
        for node in plan.changed_nodes:
            innovation = found[node.id]
            for name, value in node.values.items():
                setattr(innovation, name, value)
            innovation.version += 1
            innovations.append(innovation)
        # bulk_update leaves `updated_at` alone: the profile's last update stays the owner's.
        Innovation.objects.bulk_update(innovations, [*PROFILE_FIELDS, "version"], batch_size=500)
        result.links_created = len(plan.new_links)
        result.links_updated = len(changed)
        result.links_unchanged = plan.unchanged_links
        result.nodes_updated = len(innovations)
        result.nodes_unchanged = plan.unchanged_nodes
        entry = audit.record(
            actor=actor,
            action=IMPORTED,
            object_type=ReplicationLink._meta.label_lower,
            object_repr=(_("Impor data jaringan JIPP: %(file)s") % {"file": file_name})[:250]
            if file_name
            else _("Impor data jaringan JIPP"),
            after={
                "file": file_name,
                "mode": "update" if update else "create",
                "edge_rows": len(edges),
                "node_rows": len(nodes),
                "links_created": result.links_created,
                "links_updated": result.links_updated,
                "links_unchanged": result.links_unchanged,
                "nodes_updated": result.nodes_updated,
                "nodes_unchanged": result.nodes_unchanged,
            },
        )
        result.entry_id = entry.pk
    return result
