"""Importing the replication network: every row checked first, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.innovations.domain.exchange import (
    EdgeRow,
    ImportRefused,
    NodeRow,
    import_network,
)
from prima.innovations.enums import LinkOrigin, LinkStatus
from prima.innovations.models import Innovation, ReplicationLink
from tests.factories import InnovationFactory, ReplicationLinkFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2023, 1, 10)


@pytest.fixture
def nodes(db):
    """Five innovations A–E."""
    return [InnovationFactory(name=f"Inovasi {letter}") for letter in "ABCDE"]


def edge(row, source, replica, **values):
    return EdgeRow(row=row, source_id=source.pk, replica_id=replica.pk, replicated_on=DAY, **values)


def refused(edges=(), nodes_=(), actor=None, **kwargs):
    with pytest.raises(ImportRefused) as caught:
        import_network(list(edges), list(nodes_), actor=actor, **kwargs)
    return [(p.part, p.row, p.column, p.message) for p in caught.value.problems]


def test_new_links_are_claimed_jipp_imports_with_one_audit_entry(secretariat, nodes):
    a, b, c, *_ = nodes
    result = import_network(
        [
            edge(2, a, b, scope="full", differences="Ditambah layanan malam."),
            edge(3, a, c, status="verified", evidence_note="https://jippnas.example/1"),
        ],
        [],
        actor=secretariat,
        file_name="edges.csv",
    )

    assert result.links_created == 2
    ab = ReplicationLink.objects.get(source=a, replica=b)
    assert (ab.status, ab.origin, ab.scope, ab.replicated_on) == (
        LinkStatus.CLAIMED,
        LinkOrigin.JIPP_IMPORT,
        "full",
        DAY,
    )
    assert ab.differences == "Ditambah layanan malam."
    ac = ReplicationLink.objects.get(source=a, replica=c)
    assert ac.status == LinkStatus.VERIFIED
    assert ac.evidence_note == "https://jippnas.example/1"
    entry = AuditEntry.objects.get(action="jipp.imported")
    assert entry.actor == secretariat
    assert entry.after["links_created"] == 2
    assert entry.after["edge_rows"] == 2
    assert entry.after["file"] == "edges.csv"
    assert entry.after["mode"] == "create"


def assert_nothing_written(before_links):
    assert ReplicationLink.objects.count() == before_links
    assert not AuditEntry.objects.filter(action="jipp.imported").exists()


def test_unknown_ids_are_named_by_row_and_column(secretariat, nodes):
    a, b, *_ = nodes
    problems = refused(
        [
            edge(2, a, b),
            EdgeRow(row=3, source_id=999_999, replica_id=b.pk, replicated_on=DAY),
            EdgeRow(row=4, source_id=a.pk, replica_id=888_888, replicated_on=DAY),
        ],
        actor=secretariat,
    )
    assert problems == [
        ("edges", 3, "source_id", "inovasi nomor 999999 tidak ada di Prima."),
        ("edges", 4, "replica_id", "inovasi nomor 888888 tidak ada di Prima."),
    ]
    assert_nothing_written(0)


def test_self_links_future_dates_and_bad_codes_are_refused(secretariat, nodes):
    a, b, c, d, _e = nodes
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    problems = refused(
        [
            edge(2, a, a),
            EdgeRow(row=3, source_id=a.pk, replica_id=b.pk, replicated_on=tomorrow),
            edge(4, a, c, status="rejected"),
            edge(5, a, d, status="approved"),
            edge(6, b, c, scope="half"),
        ],
        actor=secretariat,
    )
    assert [(row, column) for _part, row, column, _m in problems] == [
        (2, "replica_id"),
        (3, "replicated_on"),
        (4, "status"),
        (5, "status"),
        (6, "scope"),
    ]
    assert "dirinya sendiri" in problems[0][3]
    assert f"tanggal replikasi {tomorrow.isoformat()} di masa depan" in problems[1][3]
    assert "claimed, confirmed, verified" in problems[2][3]
    assert_nothing_written(0)


def test_duplicate_rows_name_the_first_one(secretariat, nodes):
    a, b, *_ = nodes
    problems = refused([edge(2, a, b), edge(7, a, b, scope="full")], actor=secretariat)
    assert problems == [
        ("edges", 7, "replica_id", f"tautan {a.pk} → {b.pk} sudah ada di baris 2."),
    ]
    assert_nothing_written(0)


def test_a_cycle_with_stored_links_is_refused(secretariat, nodes):
    a, b, c, *_ = nodes
    ReplicationLinkFactory(source=a, replica=b, status=LinkStatus.CONFIRMED)
    ReplicationLinkFactory(source=b, replica=c)  # claimed links stand too
    problems = refused([edge(2, c, a)], actor=secretariat)
    assert len(problems) == 1
    part, row, column, message = problems[0]
    assert (part, row, column) == ("edges", 2, "replica_id")
    assert message.startswith("silsilah akan berputar: «Inovasi C»")
    assert "baris" not in message  # only stored links close this cycle
    assert_nothing_written(2)


def test_a_rejected_link_is_not_part_of_the_graph(secretariat, nodes):
    a, b, *_ = nodes
    ReplicationLinkFactory(source=a, replica=b, status=LinkStatus.REJECTED)
    assert import_network([edge(2, b, a)], [], actor=secretariat).links_created == 1


def test_a_cycle_among_rows_of_the_same_file_is_refused(secretariat, nodes):
    a, b, c, d, e = nodes
    problems = refused(
        [edge(2, a, b), edge(3, b, c), edge(4, d, e), edge(5, c, a)], actor=secretariat
    )
    assert len(problems) == 1
    _part, row, column, message = problems[0]
    assert (row, column) == (5, "replica_id")
    assert "Putaran ini melewati baris 2, 3 berkas ini." in message
    assert_nothing_written(0)


def test_the_reverse_of_a_stored_link_is_a_cycle(secretariat, nodes):
    a, b, *_ = nodes
    ReplicationLinkFactory(source=a, replica=b)
    assert refused([edge(2, b, a)], actor=secretariat)[0][1:3] == (2, "replica_id")


def test_a_stored_pair_with_the_same_values_is_left_alone(secretariat, nodes):
    a, b, *_ = nodes
    link = ReplicationLinkFactory(
        source=a, replica=b, replicated_on=DAY, differences="Beda", status="confirmed"
    )
    result = import_network(
        [edge(2, a, b, differences="Beda", status="confirmed")], [], actor=secretariat
    )
    assert (result.links_created, result.links_unchanged) == (0, 1)
    link.refresh_from_db()
    assert link.origin == LinkOrigin.MANUAL


def test_a_stored_pair_with_other_values_needs_update_mode(secretariat, nodes):
    a, b, *_ = nodes
    link = ReplicationLinkFactory(source=a, replica=b, replicated_on=DAY, differences="Lama")
    problems = refused([edge(2, a, b, differences="Baru", status="confirmed")], actor=secretariat)
    assert problems[0][1:3] == (2, "status")
    assert "kolom status, differences" in problems[0][3]
    assert "mode «perbarui»" in problems[0][3]
    link.refresh_from_db()
    assert (link.differences, link.status) == ("Lama", LinkStatus.CLAIMED)

    result = import_network(
        [edge(2, a, b, differences="Baru", status="confirmed")],
        [],
        actor=secretariat,
        update=True,
    )
    assert result.links_updated == 1
    link.refresh_from_db()
    assert (link.differences, link.status, link.origin) == (
        "Baru",
        LinkStatus.CONFIRMED,
        LinkOrigin.MANUAL,
    )
    assert AuditEntry.objects.get(action="jipp.imported").after["mode"] == "update"


def test_rejected_links_are_never_changed_by_an_import(secretariat, nodes):
    a, b, *_ = nodes
    ReplicationLinkFactory(source=a, replica=b, replicated_on=DAY, status="rejected")
    problems = refused([edge(2, a, b, status="verified")], actor=secretariat, update=True)
    assert problems[0][2] == "status" and "sudah ditolak" in problems[0][3]
    assert ReplicationLink.objects.get().status == LinkStatus.REJECTED


def test_one_bad_row_stops_every_row(secretariat, nodes):
    a, b, c, d, _e = nodes
    refused(
        [edge(2, a, b), edge(3, a, c), edge(4, d, d)],
        [NodeRow(row=2, id=a.pk, values={"open_to_replication": False})],
        actor=secretariat,
    )
    assert_nothing_written(0)


def test_node_rows_change_only_the_jipp_profile(secretariat, nodes):
    a, b, *_ = nodes
    updated_at, version = a.updated_at, a.version
    result = import_network(
        [],
        [
            NodeRow(
                row=2,
                id=a.pk,
                values={
                    "open_to_replication": True,
                    "replication_contact": "Bagian Organisasi, 0752-123",
                    "status_confirmed_on": dt.date(2024, 6, 1),
                },
            ),
            NodeRow(row=3, id=b.pk, values={"open_to_replication": False}),
        ],
        actor=secretariat,
    )
    assert (result.nodes_updated, result.nodes_unchanged) == (1, 1)
    a.refresh_from_db()
    assert a.open_to_replication and a.replication_contact == "Bagian Organisasi, 0752-123"
    assert a.status_confirmed_on == dt.date(2024, 6, 1)
    assert a.version == version + 1
    assert a.updated_at == updated_at  # the owner's last update, not the import's


def test_bad_node_rows_are_refused(secretariat, nodes):
    a, b, c, *_ = nodes
    problems = refused(
        [],
        [
            NodeRow(row=2, id=a.pk, values={"open_to_replication": True}),
            NodeRow(row=3, id=999_999, values={}),
            NodeRow(
                row=4,
                id=b.pk,
                values={"status_confirmed_on": timezone.localdate() + dt.timedelta(days=3)},
            ),
            NodeRow(row=5, id=c.pk, values={"replication_contact": "x" * 201}),
            NodeRow(row=6, id=a.pk, values={}),
        ],
        actor=secretariat,
    )
    assert [(p[1], p[2]) for p in problems] == [
        (2, "replication_contact"),
        (3, "id"),
        (4, "status_confirmed_on"),
        (5, "replication_contact"),
        (6, "id"),
    ]
    assert not Innovation.objects.filter(open_to_replication=True).exists()


@pytest.mark.parametrize("persona", ["admin_a", "operator_a", "evaluator", "nobody", "public"])
def test_only_the_secretariat_imports(personas, nodes, persona):
    a, b, *_ = nodes
    with pytest.raises(PermissionDenied):
        import_network([edge(2, a, b)], [], actor=personas[persona])
    assert_nothing_written(0)


def test_an_empty_import_is_refused(secretariat):
    with pytest.raises(DomainError, match="tidak berisi baris"):
        import_network([], [], actor=secretariat)
