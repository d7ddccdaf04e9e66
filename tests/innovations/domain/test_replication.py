"""Replication lineage: a directed acyclic graph with dated, explained links."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.innovations.domain.replication import link_replication, unlink_replication
from prima.innovations.enums import LinkStatus
from prima.innovations.models import ReplicationLink
from tests.factories import InnovationFactory, ReplicationLinkFactory

pytestmark = pytest.mark.django_db

ADAPTED = "Alur pengajuan daring dan pelacakan berkas."


def test_operator_links_own_innovation_to_a_published_source(
    operator_a, innovation_a, innovation_b
):
    innovation_b.is_published = True
    innovation_b.save()
    link = link_replication(
        innovation_a,
        innovation_b,
        dt.date(2020, 3, 1),
        ADAPTED,
        "Ditambah peta tata ruang.",
        actor=operator_a,
    )
    assert link.replica == innovation_a
    assert link.source == innovation_b
    entry = AuditEntry.objects.get(action="replication.linked")
    assert entry.after["source"] == innovation_b.pk
    assert entry.after["replicated_on"] == "2020-03-01"


def test_unpublished_source_of_another_institution_is_not_found(
    operator_a, innovation_a, innovation_b
):
    with pytest.raises(DomainError, match="tidak ditemukan"):
        link_replication(innovation_a, innovation_b, dt.date(2020, 3, 1), ADAPTED, actor=operator_a)
    assert not ReplicationLink.objects.exists()


def test_self_link_is_refused(operator_a, innovation_a):
    with pytest.raises(DomainError, match="dirinya sendiri"):
        link_replication(innovation_a, innovation_a, dt.date(2020, 3, 1), ADAPTED, actor=operator_a)


def test_duplicate_link_is_refused(operator_a, innovation_a, unit_a):
    source = InnovationFactory(unit=unit_a, started_on=dt.date(2015, 1, 1))
    link_replication(innovation_a, source, dt.date(2020, 3, 1), ADAPTED, actor=operator_a)
    with pytest.raises(DomainError, match="sudah tercatat"):
        link_replication(innovation_a, source, dt.date(2021, 3, 1), ADAPTED, actor=operator_a)
    assert ReplicationLink.objects.count() == 1


def test_cycle_through_the_lineage_is_refused(secretariat, unit_a):
    # C replicates B, B replicates A; A replicating C would close the circle.
    a, b, c = (InnovationFactory(unit=unit_a, started_on=dt.date(2015, 1, 1)) for _ in range(3))
    ReplicationLinkFactory(replica=b, source=a)
    ReplicationLinkFactory(replica=c, source=b)
    audits = AuditEntry.objects.count()
    with pytest.raises(DomainError, match="berputar"):
        link_replication(a, c, dt.date(2023, 6, 1), ADAPTED, actor=secretariat)
    assert ReplicationLink.objects.count() == 2
    assert AuditEntry.objects.count() == audits
    # A second source for C is fine: the lineage is a graph, not a chain.
    d = InnovationFactory(unit=unit_a, started_on=dt.date(2015, 1, 1))
    link_replication(c, d, dt.date(2023, 6, 1), ADAPTED, actor=secretariat)


@pytest.mark.parametrize(
    ("replicated_on", "fragment"),
    [(dt.date(2017, 12, 31), "sebelum «Klampid"), (dt.date(2999, 1, 1), "masa depan")],
)
def test_date_must_follow_the_source_start_and_not_be_future(
    secretariat, innovation_a, innovation_b, replicated_on, fragment
):
    with pytest.raises(DomainError, match=fragment) as refused:
        link_replication(innovation_a, innovation_b, replicated_on, ADAPTED, actor=secretariat)
    assert refused.value.field == "replicated_on"


def test_adaptation_is_required(secretariat, innovation_a, innovation_b):
    with pytest.raises(DomainError) as refused:
        link_replication(innovation_a, innovation_b, dt.date(2020, 1, 1), "  ", actor=secretariat)
    assert refused.value.field == "adaptation"


def test_only_an_editor_of_the_replica_may_link(operator_b, innovation_a, innovation_b):
    innovation_b.is_published = True
    innovation_b.save()
    with pytest.raises(PermissionDenied):
        link_replication(innovation_a, innovation_b, dt.date(2020, 1, 1), ADAPTED, actor=operator_b)


def test_unlink_is_audited_and_limited_to_the_replica_editors(
    operator_a, operator_b, innovation_a, innovation_b
):
    link = ReplicationLinkFactory(replica=innovation_a, source=innovation_b)
    with pytest.raises(PermissionDenied):
        unlink_replication(link, actor=operator_b)
    unlink_replication(link, actor=operator_a)
    assert not ReplicationLink.objects.exists()
    assert AuditEntry.objects.get(action="replication.unlinked").before["source"] == (
        innovation_b.pk
    )


def test_a_rejected_link_closes_no_cycle(secretariat, unit_a):
    # B's claim to replicate A was rejected: it is no part of the lineage, so A may still
    # record that it replicated B.
    a, b = (InnovationFactory(unit=unit_a, started_on=dt.date(2015, 1, 1)) for _ in range(2))
    ReplicationLinkFactory(replica=b, source=a, status=LinkStatus.REJECTED)
    link = link_replication(a, b, dt.date(2023, 6, 1), ADAPTED, actor=secretariat)
    assert (link.replica, link.source) == (a, b)


def test_a_rejected_link_is_removed_by_the_secretariat_only(
    operator_a, secretariat, innovation_a, innovation_b
):
    # Removing it would let the replica's owner record the rejected pair again.
    link = ReplicationLinkFactory(
        replica=innovation_a, source=innovation_b, status=LinkStatus.REJECTED
    )
    with pytest.raises(PermissionDenied, match="hanya dapat dihapus oleh Sekretariat"):
        unlink_replication(link, actor=operator_a)
    assert ReplicationLink.objects.filter(pk=link.pk).exists()
    assert not AuditEntry.objects.filter(action="replication.unlinked").exists()

    unlink_replication(link, actor=secretariat)
    assert not ReplicationLink.objects.exists()
    assert AuditEntry.objects.filter(action="replication.unlinked").count() == 1
