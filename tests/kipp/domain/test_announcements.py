"""Announcements: numbering, immutability, corrections, lists and released results (§15, §8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.evaluation.enums import EditionState, StageStatus
from prima.kipp.domain.announcements import (
    DEFAULT_NUMBER_PATTERN,
    AnnouncementData,
    build_listing,
    create_announcement,
    discard_announcement,
    number_pattern,
    publish_announcement,
    update_announcement,
)
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import Announcement
from tests.factories import InnovationFactory
from tests.kipp.factories import EditionFactory, ProposalFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 7, 1)
WIB = timezone.get_default_timezone()


def data(kind="admin_result", number="B/88/PP.00.05/2025", **overrides):
    values = {
        "kind": kind,
        "number": number,
        "date": TODAY,
        "title": "Hasil Seleksi Administrasi KIPP 2025",
        "signatory_name": "Dr. Diah Natalisa",
        "signatory_position": "Deputi Bidang Pelayanan Publik",
    }
    values.update(overrides)
    return AnnouncementData(**values)


def proposal_in(edition, state, unit, *, title=None, shown=None, category="AC4", tiers=()):
    """A proposal whose participant still sees `shown` (its state before the result)."""
    return ProposalFactory(
        edition=edition,
        innovation=InnovationFactory(unit=unit, **({"name": title} if title else {})),
        state=state,
        participant_state=shown or state,
        category=category,
        tiers=list(tiers),
    )


@pytest.fixture
def edition(db):
    return EditionFactory(stages=EditionState.ADMIN_SELECTION, is_published=True)


class TestNumber:
    @pytest.mark.parametrize(
        "number", ["B/88/PP.00.05/2021", "B/188/PP.00.05/2023", "B/1/PP.00.05/2025"]
    )
    def test_letter_numbers_of_the_ministry_are_accepted(self, edition, secretariat, number):
        assert create_announcement(edition, data(number=number), actor=secretariat).pk

    @pytest.mark.parametrize(
        "number",
        ["B/88/PP.00.05/21", "88/PP.00.05/2021", "B/88/PP.00.06/2021", "B/x/PP.00.05/2021", ""],
    )
    def test_other_numbers_are_refused(self, edition, secretariat, number):
        with pytest.raises(DomainError) as error:
            create_announcement(edition, data(number=number), actor=secretariat)
        assert error.value.field == "number"

    def test_the_rule_set_may_change_the_pattern(self, edition, secretariat):
        assert number_pattern(edition.rules) == DEFAULT_NUMBER_PATTERN
        edition.rules["announcement"] = {"number_regex": r"^P/\d+/KIPP$"}
        edition.save()
        assert create_announcement(edition, data(number="P/7/KIPP"), actor=secretariat).pk
        with pytest.raises(DomainError):
            create_announcement(edition, data(number="B/88/PP.00.05/2025"), actor=secretariat)

    def test_a_number_is_unique_within_the_edition(self, edition, secretariat):
        create_announcement(edition, data(), actor=secretariat)
        with pytest.raises(DomainError, match="sudah dipakai"):
            create_announcement(edition, data(title="Lain"), actor=secretariat)
        other = EditionFactory()
        assert create_announcement(other, data(), actor=secretariat).pk


class TestDrafts:
    def test_only_the_secretariat_writes_announcements(self, edition, admin_a, nobody):
        for person in (admin_a, nobody, None):
            with pytest.raises(PermissionDenied):
                create_announcement(edition, data(), actor=person)

    def test_a_draft_can_be_changed_and_discarded(self, edition, secretariat):
        draft = create_announcement(edition, data(), actor=secretariat)
        update_announcement(draft, data(title="Judul baru"), actor=secretariat)
        draft.refresh_from_db()
        assert draft.title == "Judul baru"
        discard_announcement(draft, actor=secretariat)
        assert not Announcement.objects.exists()

    def test_an_extension_needs_a_later_close(self, edition, secretariat):
        with pytest.raises(DomainError) as error:
            create_announcement(edition, data(kind="registration_extension"), actor=secretariat)
        assert error.value.field == "new_close"
        earlier = edition.registration_close - dt.timedelta(days=1)
        with pytest.raises(DomainError, match="sesudah batas"):
            create_announcement(
                edition, data(kind="registration_extension", new_close=earlier), actor=secretariat
            )
        with pytest.raises(DomainError, match="perpanjangan"):
            create_announcement(
                edition,
                data(new_close=edition.registration_close + dt.timedelta(days=4)),
                actor=secretariat,
            )


class TestPublishedAnnouncementsAreImmutable:
    def test_a_published_announcement_cannot_change_be_republished_or_discarded(
        self, edition, secretariat
    ):
        published = publish_announcement(
            create_announcement(edition, data(), actor=secretariat), actor=secretariat
        )
        assert published.published_at is not None
        with pytest.raises(DomainError, match="sudah terbit"):
            update_announcement(published, data(title="Diam-diam diubah"), actor=secretariat)
        with pytest.raises(DomainError, match="sudah terbit"):
            publish_announcement(published, actor=secretariat)
        with pytest.raises(DomainError, match="sudah terbit"):
            discard_announcement(published, actor=secretariat)
        published.refresh_from_db()
        assert published.title == "Hasil Seleksi Administrasi KIPP 2025"

    def test_a_correction_is_a_new_announcement_naming_the_old_one(self, edition, secretariat):
        original = publish_announcement(
            create_announcement(edition, data(), actor=secretariat), actor=secretariat
        )
        correction = create_announcement(
            edition,
            data(number="B/89/PP.00.05/2025", title="Ralat hasil seleksi", corrects=original),
            actor=secretariat,
        )
        publish_announcement(correction, actor=secretariat)
        assert list(original.corrections.all()) == [correction]

    def test_only_a_published_announcement_of_the_edition_can_be_corrected(
        self, edition, secretariat
    ):
        draft = create_announcement(edition, data(), actor=secretariat)
        with pytest.raises(DomainError, match="sudah terbit"):
            create_announcement(
                edition, data(number="B/89/PP.00.05/2025", corrects=draft), actor=secretariat
            )
        elsewhere = EditionFactory()
        foreign = publish_announcement(
            create_announcement(elsewhere, data(), actor=secretariat), actor=secretariat
        )
        with pytest.raises(DomainError, match="penyelenggaraan yang sama"):
            create_announcement(
                edition, data(number="B/89/PP.00.05/2025", corrects=foreign), actor=secretariat
            )


class TestResultsAreReleasedOnlyAtPublication:
    def test_admin_result_reveals_pass_and_fail_and_lists_the_passed(
        self, edition, unit_a, unit_b, secretariat, admin_a, django_capture_on_commit_callbacks
    ):
        passed = proposal_in(edition, S.ADMIN_PASSED, unit_a, title="Lolos", shown=S.SUBMITTED)
        failed = proposal_in(edition, S.ADMIN_FAILED, unit_b, title="Gagal", shown=S.SUBMITTED)
        nominee = proposal_in(edition, S.NOMINATED, unit_a, title="Nominasi", shown=S.DESK_REVIEW)
        draft = create_announcement(edition, data(), actor=secretariat)

        # A draft releases nothing.
        for proposal in (passed, failed):
            proposal.refresh_from_db()
            assert proposal.participant_state == S.SUBMITTED

        with django_capture_on_commit_callbacks(execute=True):
            published = publish_announcement(draft, actor=secretariat)

        passed.refresh_from_db()
        failed.refresh_from_db()
        nominee.refresh_from_db()
        assert passed.participant_state == S.ADMIN_PASSED
        assert failed.participant_state == S.ADMIN_FAILED
        # A later result waits for its own announcement.
        assert nominee.participant_state == S.DESK_REVIEW
        titles = [row["title"] for row in published.listing]
        assert titles == ["Lolos", "Nominasi"]
        row = published.listing[0]
        assert row["institution"] == "Pemerintah Kota Payakumbuh"
        assert row["province"] == "Sumatera Barat"
        assert (row["group"], row["category"]) == ("umum", "AC4")
        assert row["category_label"].startswith("SDM")
        # Each institution's Admin Lokal is told its own results.
        [message] = [m for m in mail.outbox if admin_a.email in m.to]
        assert "Lolos: Lolos seleksi administrasi" in message.body
        assert "Gagal" not in message.body

    def test_the_list_is_a_snapshot(self, edition, unit_a, secretariat):
        passed = proposal_in(edition, S.ADMIN_PASSED, unit_a, title="Lolos")
        published = publish_announcement(
            create_announcement(edition, data(), actor=secretariat), actor=secretariat
        )
        passed.state = S.DISQUALIFIED
        passed.title = "Judul lain"
        passed.save()
        published.refresh_from_db()
        assert [row["title"] for row in published.listing] == ["Lolos"]
        assert build_listing(edition, "admin_result") == []

    def test_winners_are_listed_by_tier(self, edition, unit_a, unit_b, secretariat):
        top45 = proposal_in(
            edition, S.WINNER, unit_a, title="Z", tiers=["top45"], shown=S.PRESENTED
        )
        replication = proposal_in(
            edition, S.WINNER, unit_b, title="A", tiers=["top5_replikasi"], shown=S.PRESENTED
        )
        finalist = proposal_in(edition, S.FINALIST_ONLY, unit_b, title="F", shown=S.PRESENTED)
        published = publish_announcement(
            create_announcement(edition, data(kind="winners", title="Pemenang"), actor=secretariat),
            actor=secretariat,
        )
        assert [(r["title"], r["tier"]) for r in published.listing] == [
            ("Z", "top45"),
            ("A", "top5_replikasi"),
        ]
        assert published.listing[0]["tier_label"] == "Top 45 Inovasi Pelayanan Publik Terpuji"
        for proposal, state in (
            (top45, S.WINNER),
            (replication, S.WINNER),
            (finalist, S.FINALIST_ONLY),
        ):
            proposal.refresh_from_db()
            assert proposal.participant_state == state


class TestFinalists:
    def test_publishing_finalists_opens_the_objection_window(self, unit_a, unit_b, secretariat):
        edition = EditionFactory(stages=EditionState.DESK_EVALUATION, is_published=True)
        finalist = proposal_in(edition, S.FINALIST, unit_a, title="Finalis", shown=S.DESK_REVIEW)
        out = proposal_in(edition, S.NOT_FINALIST, unit_b, title="Bukan", shown=S.DESK_REVIEW)
        not_nominated = proposal_in(
            edition, S.NOT_NOMINATED, unit_b, title="Tidak nominasi", shown=S.DESK_REVIEW
        )

        published = publish_announcement(
            create_announcement(
                edition, data(kind="finalists", title="Finalis KIPP 2025"), actor=secretariat
            ),
            actor=secretariat,
        )

        assert [(r["title"], r["tier"]) for r in published.listing] == [("Finalis", "finalis_2025")]
        finalist.refresh_from_db()
        out.refresh_from_db()
        not_nominated.refresh_from_db()
        assert finalist.state == S.UNDER_OBJECTION
        assert out.participant_state == S.NOT_FINALIST
        # Without a nominee list (no panel review in 2025) the finalist list releases it too.
        assert not_nominated.participant_state == S.NOT_NOMINATED
        stage = edition.stages.get(code=EditionState.OBJECTION_WINDOW)
        assert stage.status == StageStatus.OPEN
        assert timezone.localtime(stage.ends_at).date() == (
            timezone.localtime(published.published_at).date() + dt.timedelta(days=5)
        )


class TestRegistrationExtension:
    def test_publishing_an_extension_moves_the_effective_close_and_keeps_history(self, secretariat):
        edition = EditionFactory(stages=EditionState.REGISTRATION_CLOSED, is_published=True)
        # The 2025 calendar: registration closed 3 June; admin selection moved to 10 June.
        edition.rules["calendar"]["admin_selection"] = ["2025-06-10", "2025-06-27"]
        edition.registration_close = dt.datetime(2025, 6, 3, 23, 59, 59, tzinfo=WIB)
        edition.save()
        old_close = edition.registration_close
        new_close = dt.datetime(2025, 6, 6, 23, 59, tzinfo=WIB)
        draft = create_announcement(
            edition,
            data(
                kind="registration_extension",
                number="B/188/PP.00.05/2025",
                title="Perpanjangan pendaftaran",
                new_close=new_close,
            ),
            actor=secretariat,
        )
        edition.refresh_from_db()
        assert edition.registration_close == old_close  # a draft changes nothing

        publish_announcement(draft, actor=secretariat)

        edition.refresh_from_db()
        assert timezone.localtime(edition.registration_close).date() == dt.date(2025, 6, 6)
        assert edition.registration_close > old_close
        [extension] = edition.rules["calendar"]["extensions"]
        assert extension["letter_no"] == "B/188/PP.00.05/2025"
        # Registration reopens from "closed" (kipp.md §5).
        assert edition.state == EditionState.REGISTRATION_OPEN


def test_desk_review_does_not_reveal_an_unannounced_admin_result(db, secretariat):
    """Entering desk review before the admin-result announcement must not tell the
    institution that its proposal passed (kipp.md §8: results only after announcement)."""
    from django.db import transaction

    from prima.kipp.domain.transitions import move
    from prima.kipp.enums import ProposalState as PS
    from tests.kipp.factories import EditionFactory, ProposalFactory

    edition = EditionFactory(stages="admin_selection")
    proposal = ProposalFactory(edition=edition, state=PS.SUBMITTED, participant_state=PS.SUBMITTED)
    with transaction.atomic():
        move(proposal, PS.ADMIN_PASSED, actor=secretariat, allowed_from=[PS.SUBMITTED])
        move(proposal, PS.DESK_REVIEW, actor=None, allowed_from=[PS.ADMIN_PASSED])
    proposal.refresh_from_db()
    assert (proposal.state, proposal.participant_state) == (PS.DESK_REVIEW, PS.SUBMITTED)

    with transaction.atomic():
        move(proposal, PS.WITHDRAWN, actor=secretariat, allowed_from=[PS.DESK_REVIEW])
    proposal.refresh_from_db()
    assert proposal.participant_state == PS.WITHDRAWN
