"""Decree, award event, revocation and disqualification (kipp.md §8 #14, #16, #17; §15)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.evaluation.enums import EditionState, StageStatus
from prima.innovations.models import AwardRecord
from prima.innovations.queries import published_innovations
from prima.kipp.domain.awards import (
    decree_tiers,
    disqualify,
    record_award_event,
    record_decree,
    revoke_tier,
)
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import ProposalTransition
from tests.factories import AwardRecordFactory, InnovationFactory
from tests.kipp.factories import EditionFactory, ProposalFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
DECREE_DATE = dt.date(2025, 9, 1)


def proposal_in(edition, state, unit, *, tiers=(), group="umum", title=None, published=False):
    innovation = InnovationFactory(
        unit=unit, is_published=published, **({"name": title} if title else {})
    )
    return ProposalFactory(
        edition=edition,
        innovation=innovation,
        state=state,
        participant_state=state,
        tiers=list(tiers),
        group=group,
    )


@pytest.fixture
def edition(db):
    """A 2025-style edition in its results stage (finalist tier finalis_2025; top45 winners)."""
    return EditionFactory(stages=EditionState.RESULTS)


class TestDecreeTiers:
    def test_a_winner_keeps_its_finalist_tier(self, edition, unit_a):
        winner = proposal_in(edition, S.WINNER, unit_a, tiers=["top45"])
        assert decree_tiers(winner, edition.rules) == ["finalis_2025", "top45"]

    def test_a_finalist_without_a_recorded_tier_gets_its_groups_finalist_tier(
        self, edition, unit_a
    ):
        finalist = proposal_in(edition, S.FINALIST_ONLY, unit_a, group="replikasi")
        assert decree_tiers(finalist, edition.rules) == ["finalis_2025"]

    def test_a_tier_the_rules_do_not_know_is_refused(self, edition, unit_a):
        winner = proposal_in(edition, S.WINNER, unit_a, tiers=["top9"])
        with pytest.raises(DomainError, match="top9"):
            decree_tiers(winner, edition.rules)

    def test_a_winner_without_a_winner_tier_is_refused(self, edition, unit_a):
        winner = proposal_in(edition, S.WINNER, unit_a, tiers=["finalis_2025"])
        with pytest.raises(DomainError, match="tier pemenang"):
            decree_tiers(winner, edition.rules)


class TestRecordDecree:
    def test_decree_moves_results_to_decreed_and_writes_award_history(
        self, edition, unit_a, unit_b, secretariat
    ):
        winner = proposal_in(edition, S.WINNER, unit_a, tiers=["top45"])
        finalist = proposal_in(edition, S.FINALIST_ONLY, unit_b, tiers=["finalis_2025"])
        bystander = proposal_in(edition, S.NOT_FINALIST, unit_b)

        decree = record_decree(
            edition,
            number="KepmenPANRB 123/2025",
            date=DECREE_DATE,
            title="Penetapan Top Inovasi Pelayanan Publik 2025",
            file=SimpleUploadedFile("kepmen.pdf", PDF, content_type="application/pdf"),
            actor=secretariat,
        )

        for proposal in (winner, finalist):
            proposal.refresh_from_db()
            assert proposal.state == S.DECREED
        bystander.refresh_from_db()
        assert bystander.state == S.NOT_FINALIST
        assert decree.tier_lists == {
            "finalis_2025": [winner.pk, finalist.pk],
            "top45": [winner.pk],
        }
        assert winner.tiers == ["finalis_2025", "top45"]
        rows = {
            (r.innovation_id, r.tier, r.level, r.year, r.decree_ref)
            for r in AwardRecord.objects.all()
        }
        assert rows == {
            (winner.innovation_id, "finalis_2025", "finalist", 2025, "KepmenPANRB 123/2025"),
            (winner.innovation_id, "top45", "winner", 2025, "KepmenPANRB 123/2025"),
            (finalist.innovation_id, "finalis_2025", "finalist", 2025, "KepmenPANRB 123/2025"),
        }
        # The history keeps the entry group and the decree's date for certificates.
        assert {(r.group, r.decree_date) for r in AwardRecord.objects.all()} == {
            (winner.group, DECREE_DATE)
        }
        assert decree.file.name.endswith(".pdf")
        edition.refresh_from_db()
        assert edition.state == EditionState.DECREED
        assert edition.stages.get(code=EditionState.RESULTS).status == StageStatus.CLOSED

    def test_an_imported_history_row_is_taken_over_not_duplicated(
        self, edition, unit_a, secretariat
    ):
        winner = proposal_in(edition, S.WINNER, unit_a, tiers=["top45"])
        AwardRecordFactory(
            innovation=winner.innovation, year=2025, tier="top45", level="winner", revoked=True
        )
        record_decree(
            edition, number="K/1/2025", date=DECREE_DATE, title="Penetapan", actor=secretariat
        )
        row = AwardRecord.objects.get(innovation=winner.innovation, tier="top45")
        assert (row.decree_ref, row.revoked) == ("K/1/2025", False)

    def test_refused_without_results_twice_and_for_others(
        self, edition, unit_a, secretariat, admin_a
    ):
        with pytest.raises(DomainError, match="Belum ada pemenang"):
            record_decree(edition, number="K/1", date=DECREE_DATE, title="T", actor=secretariat)
        proposal_in(edition, S.WINNER, unit_a, tiers=["top45"])
        with pytest.raises(PermissionDenied):
            record_decree(edition, number="K/1", date=DECREE_DATE, title="T", actor=admin_a)
        record_decree(edition, number="K/1", date=DECREE_DATE, title="T", actor=secretariat)
        proposal_in(edition, S.WINNER, unit_a, tiers=["top45"])
        with pytest.raises(DomainError, match="sudah tercatat"):
            record_decree(edition, number="K/1", date=DECREE_DATE, title="T", actor=secretariat)

    def test_a_non_pdf_file_is_refused(self, edition, unit_a, secretariat):
        proposal_in(edition, S.WINNER, unit_a, tiers=["top45"])
        upload = SimpleUploadedFile("kepmen.pdf", b"<html>bukan pdf</html>")
        with pytest.raises(DomainError) as error:
            record_decree(
                edition, number="K/1", date=DECREE_DATE, title="T", file=upload, actor=secretariat
            )
        assert error.value.field == "file"


class TestAwardEvent:
    def test_event_moves_decreed_proposals_of_its_editions_to_awarded(
        self, edition, unit_a, secretariat
    ):
        winner = proposal_in(edition, S.WINNER, unit_a, tiers=["top45"])
        record_decree(edition, number="K/1", date=DECREE_DATE, title="T", actor=secretariat)
        other = EditionFactory(stages=EditionState.RESULTS)
        untouched = proposal_in(other, S.DECREED, unit_a)

        event = record_award_event(
            [edition],
            name="Penganugerahan KIPP 2025",
            date=dt.date(2025, 11, 9),
            venue="Jakarta",
            actor=secretariat,
        )

        winner.refresh_from_db()
        untouched.refresh_from_db()
        assert winner.state == S.AWARDED
        assert untouched.state == S.DECREED
        assert list(event.editions.all()) == [edition]

    def test_a_kipp_edition_without_decreed_proposals_is_refused(self, edition, secretariat):
        with pytest.raises(DomainError, match="keputusan menteri"):
            record_award_event(
                [edition],
                name="Acara",
                date=dt.date(2025, 11, 9),
                venue="Jakarta",
                actor=secretariat,
            )


class TestRevocation:
    def test_revocation_marks_history_revoked_and_unpublishes(self, edition, unit_a, secretariat):
        winner = proposal_in(edition, S.WINNER, unit_a, tiers=["top45"], published=True)
        record_decree(edition, number="K/1", date=DECREE_DATE, title="T", actor=secretariat)
        assert winner.innovation in published_innovations()

        revoked = revoke_tier(
            winner, amending_decree_no="K/7/2026", reason="Data palsu", actor=secretariat
        )

        assert revoked.state == S.REVOKED
        assert set(AwardRecord.objects.values_list("tier", "revoked")) == {
            ("finalis_2025", True),
            ("top45", True),
        }
        assert winner.innovation not in published_innovations()
        last = ProposalTransition.objects.filter(proposal=winner).last()
        assert (last.to_state, last.reason) == (S.REVOKED, "K/7/2026: Data palsu")

    def test_revocation_needs_a_decreed_result_and_a_decree_number(
        self, edition, unit_a, secretariat
    ):
        finalist = proposal_in(edition, S.CONFIRMED_FINALIST, unit_a)
        with pytest.raises(DomainError):
            revoke_tier(finalist, amending_decree_no="K/7", actor=secretariat)
        with pytest.raises(DomainError) as error:
            revoke_tier(finalist, amending_decree_no="  ", actor=secretariat)
        assert error.value.field == "amending_decree_no"


class TestDisqualify:
    def test_from_any_state_between_submitted_and_awarded(self, edition, unit_a, secretariat):
        proposal = proposal_in(edition, S.UNDER_OBJECTION, unit_a)
        disqualify(
            proposal,
            reason="plagiarism",
            evidence_note="Isi proposal sama dengan proposal lain.",
            actor=secretariat,
        )
        proposal.refresh_from_db()
        assert (proposal.state, proposal.disqualification_reason) == (S.DISQUALIFIED, "plagiarism")
        assert proposal.participant_state == S.DISQUALIFIED

    def test_a_draft_cannot_be_disqualified(self, edition, unit_a, secretariat):
        draft = proposal_in(edition, S.DRAFT, unit_a)
        with pytest.raises(DomainError):
            disqualify(
                draft, reason="other", evidence_note="Catatan cukup panjang.", actor=secretariat
            )

    def test_reason_and_evidence_are_required(self, edition, unit_a, secretariat, admin_a):
        proposal = proposal_in(edition, S.SUBMITTED, unit_a)
        with pytest.raises(DomainError) as error:
            disqualify(
                proposal, reason="bad", evidence_note="Catatan cukup panjang.", actor=secretariat
            )
        assert error.value.field == "reason"
        with pytest.raises(DomainError) as error:
            disqualify(proposal, reason="other", evidence_note="pendek", actor=secretariat)
        assert error.value.field == "evidence_note"
        with pytest.raises(PermissionDenied):
            disqualify(
                proposal, reason="other", evidence_note="Catatan cukup panjang.", actor=admin_a
            )

    def test_a_decreed_proposal_loses_its_award_history(self, edition, unit_a, secretariat):
        winner = proposal_in(edition, S.WINNER, unit_a, tiers=["top45"], published=True)
        record_decree(edition, number="K/1", date=DECREE_DATE, title="T", actor=secretariat)
        disqualify(
            winner, reason="false_data", evidence_note="Data capaian dipalsukan.", actor=secretariat
        )
        assert not AwardRecord.objects.filter(revoked=False).exists()
        assert winner.innovation not in published_innovations()
