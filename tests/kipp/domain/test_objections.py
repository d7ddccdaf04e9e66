"""The public objection window (uji publik, kipp.md §12; §8 #10)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.evaluation.enums import EditionState, StageStatus
from prima.kipp.domain.objections import (
    close_objection_window,
    current_window,
    file_objection,
    objections_visible_to,
    open_objection_window,
    resolve_objection,
    sees_objectors,
    window_end,
)
from prima.kipp.enums import ObjectionStatus
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import Objection, ProposalTransition
from tests.factories import InnovationFactory, PersonFactory
from tests.kipp.factories import EditionFactory, ProposalFactory

pytestmark = pytest.mark.django_db

STATEMENT = (
    "Inovasi ini sudah tidak berjalan sejak awal 2024; loket daringnya tidak dapat diakses "
    "dan warga kembali mengantre di kantor."
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def finalist(edition, unit, title="Layanan Jemput Bola"):
    return ProposalFactory(
        edition=edition,
        innovation=InnovationFactory(unit=unit, name=title),
        state=S.FINALIST,
        participant_state=S.FINALIST,
    )


def open_window(edition, secretariat, published_at=None):
    with transaction.atomic():
        return open_objection_window(
            edition,
            published_at=published_at or timezone.now(),
            reason="B/10/PP.00.05/2025",
            actor=secretariat,
        )


def end_window(edition):
    """Let the window's days pass."""
    edition.stages.filter(code=EditionState.OBJECTION_WINDOW).update(
        ends_at=timezone.now() - dt.timedelta(minutes=1)
    )


@pytest.fixture
def edition(db):
    """2025 rules: desk evaluation running, panel review skipped, 5-day objection window."""
    return EditionFactory(stages=EditionState.DESK_EVALUATION, is_published=True)


@pytest.fixture
def under_objection(edition, unit_a, unit_b, secretariat):
    a = finalist(edition, unit_a, "Layanan Jemput Bola")
    b = finalist(edition, unit_b, "Klinik Keliling")
    open_window(edition, secretariat)
    a.refresh_from_db()
    b.refresh_from_db()
    return a, b


class TestOpening:
    def test_finalists_go_under_objection_by_the_system_and_the_stage_opens(
        self, edition, unit_a, secretariat
    ):
        proposal = finalist(edition, unit_a)
        published = dt.datetime(2025, 8, 10, 14, 30, tzinfo=timezone.get_default_timezone())

        stage = open_window(edition, secretariat, published_at=published)

        proposal.refresh_from_db()
        assert proposal.state == S.UNDER_OBJECTION
        move = ProposalTransition.objects.get(proposal=proposal)
        assert (move.from_state, move.to_state, move.actor) == (
            S.FINALIST,
            S.UNDER_OBJECTION,
            None,
        )
        assert stage.status == StageStatus.OPEN
        assert stage.objections_open
        # Five whole days after publication: closes at the end of 15 August (WIB).
        assert timezone.localtime(stage.ends_at) == dt.datetime(
            2025, 8, 15, 23, 59, 59, tzinfo=timezone.get_default_timezone()
        )
        edition.refresh_from_db()
        assert edition.state == EditionState.OBJECTION_WINDOW
        assert edition.stages.get(code=EditionState.DESK_EVALUATION).status == StageStatus.CLOSED

    def test_days_come_from_the_rule_set(self):
        published = dt.datetime(2025, 8, 10, 9, 0, tzinfo=timezone.get_default_timezone())
        assert window_end(published, 3).date() == dt.date(2025, 8, 13)

    def test_without_a_window_in_the_rules_finalists_are_confirmed_at_once(
        self, unit_a, secretariat
    ):
        edition = EditionFactory(stages=EditionState.DESK_EVALUATION)
        edition.rules["objection_window"] = {"enabled": False}
        edition.save()
        proposal = finalist(edition, unit_a)
        assert open_window(edition, secretariat) is None
        proposal.refresh_from_db()
        assert proposal.state == S.CONFIRMED_FINALIST


class TestFiling:
    def test_a_public_account_files_an_objection(
        self, under_objection, nobody, secretariat, django_capture_on_commit_callbacks
    ):
        a, _b = under_objection
        with django_capture_on_commit_callbacks(execute=True):
            objection = file_objection(
                a,
                ground="not_running",
                statement=STATEMENT,
                evidence=SimpleUploadedFile("foto.pdf", PDF),
                actor=nobody,
            )
        assert objection.status == ObjectionStatus.OPEN
        assert objection.filed_by == nobody
        assert objection.evidence.name.endswith(".pdf")
        recipients = {tuple(m.to) + tuple(m.bcc) for m in mail.outbox}
        assert (secretariat.email,) in recipients
        assert (nobody.email,) in recipients

    def test_the_proposing_institution_may_not_object_to_itself(
        self, under_objection, admin_a, operator_a, operator_b
    ):
        a, _b = under_objection
        for person in (admin_a, operator_a):
            with pytest.raises(PermissionDenied):
                file_objection(a, ground="other", statement=STATEMENT, actor=person)
        # Another institution may.
        assert file_objection(a, ground="other", statement=STATEMENT, actor=operator_b).pk

    def test_anonymous_visitors_must_log_in(self, under_objection):
        a, _b = under_objection
        with pytest.raises(PermissionDenied, match="Masuk"):
            file_objection(a, ground="other", statement=STATEMENT, actor=None)

    @pytest.mark.parametrize("length", [49, 1001])
    def test_statement_is_50_to_1000_characters(self, under_objection, nobody, length):
        a, _b = under_objection
        with pytest.raises(DomainError) as error:
            file_objection(a, ground="other", statement="x" * length, actor=nobody)
        assert error.value.field == "statement"
        file_objection(a, ground="other", statement="x" * 50, actor=nobody)

    def test_only_while_the_window_is_open(self, under_objection, edition, nobody):
        a, _b = under_objection
        end_window(edition)
        assert not current_window(edition).is_open
        with pytest.raises(DomainError, match="berakhir"):
            file_objection(a, ground="other", statement=STATEMENT, actor=nobody)

    def test_only_against_a_proposal_under_objection(self, edition, unit_a, nobody):
        proposal = finalist(edition, unit_a)
        with pytest.raises(DomainError, match="uji publik"):
            file_objection(proposal, ground="other", statement=STATEMENT, actor=nobody)

    def test_one_pending_objection_per_person_and_proposal(self, under_objection, nobody):
        a, _b = under_objection
        file_objection(a, ground="other", statement=STATEMENT, actor=nobody)
        with pytest.raises(DomainError, match="sudah mengajukan"):
            file_objection(a, ground="false_data", statement=STATEMENT, actor=nobody)


class TestResolution:
    def test_an_upheld_objection_disqualifies_the_finalist(
        self, under_objection, nobody, secretariat, admin_a, django_capture_on_commit_callbacks
    ):
        a, _b = under_objection
        objection = file_objection(a, ground="not_running", statement=STATEMENT, actor=nobody)

        with django_capture_on_commit_callbacks(execute=True):
            resolve_objection(
                objection,
                status="upheld",
                resolution="Verifikasi menunjukkan layanan berhenti sejak 2024.",
                actor=secretariat,
            )

        a.refresh_from_db()
        assert (a.state, a.disqualification_reason) == (S.DISQUALIFIED, "objection_upheld")
        to = {tuple(m.to) for m in mail.outbox}
        assert (admin_a.email,) in to
        assert (nobody.email,) in to
        upheld = next(m for m in mail.outbox if m.to == [admin_a.email])
        assert nobody.username not in upheld.body
        assert nobody.email not in upheld.body

    def test_a_rejected_objection_leaves_the_finalist(self, under_objection, nobody, secretariat):
        a, _b = under_objection
        objection = file_objection(a, ground="other", statement=STATEMENT, actor=nobody)
        resolve_objection(
            objection, status="rejected", resolution="Tidak didukung bukti.", actor=secretariat
        )
        a.refresh_from_db()
        assert a.state == S.UNDER_OBJECTION
        with pytest.raises(DomainError, match="sudah ditangani"):
            resolve_objection(
                objection, status="upheld", resolution="Berubah pikiran.", actor=secretariat
            )

    def test_a_referral_is_decided_later(self, under_objection, nobody, secretariat):
        a, _b = under_objection
        objection = file_objection(a, ground="plagiarism", statement=STATEMENT, actor=nobody)
        resolve_objection(
            objection,
            status="referred_to_panel",
            resolution="Perlu pendapat TPI.",
            actor=secretariat,
        )
        resolve_objection(
            objection,
            status="upheld",
            resolution="TPI menilai plagiasi terbukti.",
            actor=secretariat,
        )
        a.refresh_from_db()
        assert a.state == S.DISQUALIFIED

    def test_only_the_secretariat_resolves(self, under_objection, nobody, admin_a):
        a, _b = under_objection
        objection = file_objection(a, ground="other", statement=STATEMENT, actor=nobody)
        with pytest.raises(PermissionDenied):
            resolve_objection(
                objection, status="rejected", resolution="Tidak berdasar.", actor=admin_a
            )
        with pytest.raises(DomainError) as error:
            resolve_objection(objection, status="open", resolution="Tidak berdasar.", actor=None)
        assert isinstance(error.value, PermissionDenied)


class TestClosing:
    def test_closing_confirms_the_finalists_and_moves_the_edition_on(
        self, under_objection, edition, nobody, secretariat
    ):
        a, b = under_objection
        objection = file_objection(a, ground="other", statement=STATEMENT, actor=nobody)
        resolve_objection(
            objection, status="rejected", resolution="Tidak didukung bukti.", actor=secretariat
        )
        end_window(edition)

        confirmed = close_objection_window(edition, actor=secretariat)

        assert {p.pk for p in confirmed} == {a.pk, b.pk}
        a.refresh_from_db()
        assert a.state == S.CONFIRMED_FINALIST
        edition.refresh_from_db()
        assert edition.stages.get(code=EditionState.OBJECTION_WINDOW).status == StageStatus.CLOSED
        assert edition.state == EditionState.FINAL_STAGE

    def test_not_before_the_window_ends(self, under_objection, edition, secretariat):
        with pytest.raises(DomainError, match="baru berakhir"):
            close_objection_window(edition, actor=secretariat)

    def test_unresolved_objections_block_closing_and_are_named(
        self, under_objection, edition, nobody, secretariat
    ):
        a, b = under_objection
        file_objection(a, ground="other", statement=STATEMENT, actor=nobody)
        end_window(edition)
        with pytest.raises(DomainError, match="Layanan Jemput Bola") as error:
            close_objection_window(edition, actor=secretariat)
        assert "Klinik Keliling" not in error.value.message
        b.refresh_from_db()
        assert b.state == S.UNDER_OBJECTION

    def test_only_the_secretariat_closes(self, under_objection, edition, admin_a):
        end_window(edition)
        with pytest.raises(PermissionDenied):
            close_objection_window(edition, actor=admin_a)


class TestWhoSeesObjectors:
    def test_only_the_secretariat_sees_every_objection_and_its_filer(
        self, under_objection, nobody, operator_b, secretariat, admin_a, evaluator
    ):
        a, _b = under_objection
        mine = file_objection(a, ground="other", statement=STATEMENT, actor=nobody)
        theirs = file_objection(a, ground="other", statement=STATEMENT, actor=operator_b)
        viewer = PersonFactory()

        assert set(objections_visible_to(secretariat)) == {mine, theirs}
        assert sees_objectors(secretariat)
        # The filer sees only their own; the proposing institution sees none.
        assert list(objections_visible_to(nobody)) == [mine]
        assert list(objections_visible_to(admin_a)) == []
        assert list(objections_visible_to(evaluator)) == []
        assert list(objections_visible_to(viewer)) == []
        assert list(objections_visible_to(None)) == []
        for person in (nobody, operator_b, admin_a, evaluator):
            assert not sees_objectors(person)
        assert Objection.objects.count() == 2
