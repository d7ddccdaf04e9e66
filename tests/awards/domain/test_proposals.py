"""Proposals, decisions, overrides with reasons and the decree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from prima.awards.domain.categories import CategorySpec, create_categories
from prima.awards.domain.certificates import (
    issue_certificate,
    revoke_certificate,
    verify_certificate,
)
from prima.awards.domain.proposals import (
    ProposedRecipient,
    add_award,
    decide_awards,
    propose_awards,
    record_decree,
    remove_award,
)
from prima.awards.enums import AwardSource, AwardStatus
from prima.awards.models import Award
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from tests.awards.helpers import (
    decided_innovation_awards,
    edition_with_categories,
    propose_innovations,
)
from tests.factories import InnovationFactory, InstitutionFactory

REASON = "Keputusan rapat pleno tim panel independen tanggal 1 Oktober."


@pytest.fixture
def setup(secretariat):
    return edition_with_categories(secretariat)


def test_categories_are_created_once_and_updated_by_code(secretariat, setup):
    edition, coaching, _sustained = setup
    [again] = create_categories(
        edition,
        [CategorySpec(code="pembinaan", title="Baru", recipient="institution", count=4)],
        actor=secretariat,
    )
    assert again.pk == coaching.pk
    again.refresh_from_db()
    assert (again.title, again.count) == ("Baru", 4)


def test_category_slots_must_add_up_to_the_count(secretariat, setup):
    edition, _c, _s = setup
    with pytest.raises(DomainError, match="tidak sama"):
        create_categories(
            edition,
            [
                CategorySpec(
                    code="x", title="X", recipient="institution", count=3, slots={"city": 2}
                )
            ],
            actor=secretariat,
        )


def test_proposing_again_replaces_proposed_rows_but_keeps_decided_ones(secretariat, setup):
    _edition, _coaching, sustained = setup
    a, b, c = InnovationFactory(), InnovationFactory(), InnovationFactory()
    propose_innovations(sustained, [a, b], secretariat)
    decide_awards(sustained, actor=secretariat)
    propose_innovations(sustained, [c, a], secretariat)  # a now ranks 2nd

    rows = {award.innovation_id: award for award in Award.objects.filter(category=sustained)}
    assert rows[a.pk].status == AwardStatus.DECIDED and rows[a.pk].rank == 2
    assert rows[b.pk].status == AwardStatus.DECIDED  # decided history kept
    assert rows[c.pk].status == AwardStatus.PROPOSED
    propose_innovations(sustained, [a], secretariat)
    assert not Award.objects.filter(innovation=c).exists()  # only proposed rows replaced


def test_proposals_must_match_the_category_recipient(secretariat, setup):
    _edition, coaching, _sustained = setup
    innovation = InnovationFactory()
    with pytest.raises(DomainError, match="instansi"):
        propose_awards(
            coaching,
            [
                ProposedRecipient(
                    institution_id=innovation.institution_id, innovation_id=innovation.pk
                )
            ],
            actor=secretariat,
        )


def test_only_the_secretariat_proposes_and_decides(setup, admin_a, secretariat):
    _edition, _coaching, sustained = setup
    with pytest.raises(PermissionDenied):
        propose_innovations(sustained, [InnovationFactory()], admin_a)
    propose_innovations(sustained, [InnovationFactory()], secretariat)
    with pytest.raises(PermissionDenied):
        decide_awards(sustained, actor=admin_a)


def test_decide_is_audited(secretariat, setup):
    _edition, _coaching, sustained = setup
    propose_innovations(sustained, [InnovationFactory(), InnovationFactory()], secretariat)
    assert decide_awards(sustained, actor=secretariat) == 2
    entry = AuditEntry.objects.filter(action="awards.decide").get()
    assert len(entry.after["decided"]) == 2


@pytest.mark.parametrize("reason", ["", "terlalu pendek", " " * 30])
def test_overrides_need_a_reason_of_twenty_characters(secretariat, setup, reason):
    _edition, coaching, sustained = setup
    [award, _] = decided_innovation_awards(sustained, secretariat)
    with pytest.raises(DomainError, match="20 karakter"):
        remove_award(award, reason=reason, actor=secretariat)
    with pytest.raises(DomainError, match="20 karakter"):
        add_award(coaching, institution=InstitutionFactory(), reason=reason, actor=secretariat)
    award.refresh_from_db()
    assert award.status == AwardStatus.DECIDED
    assert not Award.objects.filter(category=coaching).exists()


def test_add_and_remove_keep_their_reason_and_are_audited(secretariat, setup):
    _edition, coaching, sustained = setup
    institution = InstitutionFactory()
    added = add_award(coaching, institution=institution, reason=REASON, actor=secretariat)
    assert (added.status, added.source, added.reason) == (
        AwardStatus.DECIDED,
        AwardSource.OVERRIDE,
        REASON,
    )
    [award, _] = decided_innovation_awards(sustained, secretariat)
    removed = remove_award(award, reason=REASON, actor=secretariat)
    assert removed.status == AwardStatus.REMOVED and removed.reason == REASON
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"awards.add", "awards.remove"} <= actions
    # Adding the same recipient twice is refused; a removed one can be re-added.
    with pytest.raises(DomainError, match="sudah ada"):
        add_award(coaching, institution=institution, reason=REASON, actor=secretariat)
    again = add_award(
        sustained,
        institution=award.institution,
        innovation=award.innovation,
        reason=REASON,
        actor=secretariat,
    )
    assert again.pk == award.pk and again.status == AwardStatus.DECIDED


def test_removing_an_award_revokes_its_certificate(secretariat, setup):
    _edition, _coaching, sustained = setup
    [award, _] = decided_innovation_awards(sustained, secretariat)
    certificate = issue_certificate(award, actor=secretariat)
    remove_award(award, reason=REASON, actor=secretariat)
    assert verify_certificate(certificate.code).reason == "revoked"


def test_decree_is_written_on_decided_awards_only(secretariat, setup):
    edition, _coaching, sustained = setup
    decided = decided_innovation_awards(sustained, secretariat)
    propose_innovations(sustained, [InnovationFactory()], secretariat)  # stays proposed
    count = record_decree(edition, number="123/2024", date=dt.date(2024, 10, 1), actor=secretariat)
    assert count == 2
    assert set(Award.objects.filter(decree_number="123/2024")) == set(decided)


def test_decree_needs_decided_awards_and_a_number(secretariat, setup):
    edition, _coaching, _sustained = setup
    with pytest.raises(DomainError, match="Nomor"):
        record_decree(edition, number=" ", date=dt.date(2024, 10, 1), actor=secretariat)
    with pytest.raises(DomainError, match="Belum ada"):
        record_decree(edition, number="1/2024", date=dt.date(2024, 10, 1), actor=secretariat)


def test_decree_cannot_contradict_an_issued_certificate(secretariat, setup):
    edition, _coaching, sustained = setup
    [award, _] = decided_innovation_awards(sustained, secretariat)
    record_decree(edition, number="1/2024", date=dt.date(2024, 10, 1), actor=secretariat)
    issue_certificate(award, actor=secretariat)
    with pytest.raises(DomainError, match="cabut"):
        record_decree(edition, number="2/2024", date=dt.date(2024, 10, 2), actor=secretariat)
    assert Award.objects.filter(decree_number="1/2024").count() == 2
    assert Decimal(str(award.score)) == Decimal("89")


def _make_public(edition, state="results"):
    edition.is_published = True
    edition.state = state
    edition.save()


def test_public_results_freeze_the_award_list(secretariat, setup):
    edition, coaching, sustained = setup
    [award, _] = decided_innovation_awards(sustained, secretariat)
    propose_innovations(sustained, [InnovationFactory()], secretariat)
    certificate = issue_certificate(award, actor=secretariat)
    _make_public(edition)

    with pytest.raises(DomainError, match="sudah diumumkan"):
        decide_awards(sustained, actor=secretariat)
    with pytest.raises(DomainError, match="sudah diumumkan"):
        add_award(coaching, institution=InstitutionFactory(), reason=REASON, actor=secretariat)
    with pytest.raises(DomainError, match="sudah diumumkan"):
        remove_award(award, reason=REASON, actor=secretariat)
    award.refresh_from_db()
    assert award.status == AwardStatus.DECIDED
    assert Award.objects.filter(category=sustained, status=AwardStatus.PROPOSED).count() == 1
    # Revoking a piagam stays possible.
    revoke_certificate(certificate, reason=REASON, actor=secretariat)
    assert verify_certificate(certificate.code).reason == "revoked"


def test_decree_is_recorded_after_the_results_but_not_once_decreed(secretariat, setup):
    edition, _coaching, sustained = setup
    decided_innovation_awards(sustained, secretariat)
    _make_public(edition, "results")
    assert record_decree(edition, number="1/2024", date=dt.date(2024, 10, 1), actor=secretariat)

    _make_public(edition, "decreed")
    with pytest.raises(DomainError, match="sudah diumumkan"):
        record_decree(edition, number="2/2024", date=dt.date(2024, 10, 2), actor=secretariat)
    assert set(Award.objects.filter(edition=edition).values_list("decree_number", flat=True)) == {
        "1/2024"
    }


def test_unpublished_edition_in_results_still_changes(secretariat, setup):
    edition, coaching, _sustained = setup
    assert edition.state == "results" and not edition.is_published
    award = add_award(coaching, institution=InstitutionFactory(), reason=REASON, actor=secretariat)
    assert award.status == AwardStatus.DECIDED
