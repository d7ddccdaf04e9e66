"""The secretariat's withdrawal queue (kipp.md §8 #15): set-based and in step with
`proposals.pending_withdrawal`; decisions need a note."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.kipp.domain import proposals
from prima.kipp.domain.withdrawals import decide_withdrawal, pending_withdrawals
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import Proposal
from tests.factories import InnovationFactory
from tests.kipp.factories import EditionFactory, ProposalFactory

pytestmark = pytest.mark.django_db

NOTE = "Sesuai surat permohonan Admin Lokal."


@pytest.fixture
def edition():
    return EditionFactory()


def requested(edition, unit, admin, state=S.SUBMITTED, reason="Data inovasi keliru.") -> Proposal:
    proposal = ProposalFactory(
        edition=edition, innovation=InnovationFactory(unit=unit), state=state
    )
    proposals.withdraw_proposal(proposal, reason=reason, actor=admin)
    return proposal


def test_the_queue_lists_exactly_the_pending_requests(edition, unit_a, admin_a, secretariat):
    waiting = requested(edition, unit_a, admin_a)
    later = requested(edition, unit_a, admin_a, state=S.DESK_REVIEW, reason="Inovasi dihentikan.")
    rejected = requested(edition, unit_a, admin_a)
    proposals.reject_withdrawal(rejected, note="Seleksi sudah berjalan.", actor=secretariat)
    approved = requested(edition, unit_a, admin_a)
    proposals.approve_withdrawal(approved, actor=secretariat)
    draft = ProposalFactory(edition=edition, innovation=InnovationFactory(unit=unit_a))
    proposals.withdraw_proposal(draft, reason="Belum siap diusulkan.", actor=admin_a)
    ProposalFactory(edition=edition, state=S.SUBMITTED)  # never asked
    other = requested(EditionFactory(), unit_a, admin_a)

    queue = pending_withdrawals(edition)

    assert [item.proposal.pk for item in queue] == [waiting.pk, later.pk]
    assert queue[1].request.reason == "Inovasi dihentikan."
    assert queue[0].requested_by == (admin_a.full_name or admin_a.username)
    # The same answer as the per-proposal helper, for every proposal of the edition.
    for proposal in Proposal.objects.filter(edition=edition):
        expected = proposal.pk in {waiting.pk, later.pk}
        assert (proposals.pending_withdrawal(proposal) is not None) == expected
    assert pending_withdrawals(other.edition)[0].proposal == other


def test_the_queue_costs_two_queries_whatever_its_length(edition, unit_a, admin_a):
    requested(edition, unit_a, admin_a)
    with CaptureQueriesContext(connection) as one:
        queue = pending_withdrawals(edition)
        assert [proposals.pending_withdrawal(item.proposal) for item in queue]
        [item.proposal.institution.name for item in queue]
    for _ in range(4):
        requested(edition, unit_a, admin_a)
    with CaptureQueriesContext(connection) as five:
        queue = pending_withdrawals(edition)
        assert all(proposals.pending_withdrawal(item.proposal) for item in queue)
        [item.proposal.institution.name for item in queue]
    assert len(queue) == 5
    assert len(one.captured_queries) == len(five.captured_queries) == 2


def test_decisions_need_the_secretariat_and_a_note(edition, unit_a, admin_a, secretariat):
    keep = requested(edition, unit_a, admin_a)
    go = requested(edition, unit_a, admin_a)
    with pytest.raises(PermissionDenied):
        decide_withdrawal(go, decision="approve", note=NOTE, actor=admin_a)
    with pytest.raises(DomainError) as short:
        decide_withdrawal(go, decision="approve", note="ok", actor=secretariat)
    assert short.value.field == "note"
    with pytest.raises(DomainError):
        decide_withdrawal(go, decision="maybe", note=NOTE, actor=secretariat)

    decide_withdrawal(go, decision="approve", note=NOTE, actor=secretariat)
    decide_withdrawal(
        keep, decision="reject", note="Seleksi administrasi sudah berjalan.", actor=secretariat
    )

    assert Proposal.objects.get(pk=go.pk).state == S.WITHDRAWN
    assert NOTE in Proposal.objects.get(pk=go.pk).state_reason
    assert Proposal.objects.get(pk=keep.pk).state == S.SUBMITTED
    assert pending_withdrawals(edition) == []
    with pytest.raises(DomainError, match="Tidak ada permohonan"):
        decide_withdrawal(keep, decision="approve", note=NOTE, actor=secretariat)
