"""Invitations to the khusus group (kipp.md §6.2 `khusus`, §9.2 `requires`, §9.4): who
qualifies, revoking, the import file, and what participants are offered."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.interfaces.tabular import TableError
from prima.core.models import AuditEntry
from prima.evaluation.enums import EditionState
from prima.kipp.domain import invitations as domain
from prima.kipp.domain.editions import rules_for
from prima.kipp.domain.proposals import create_proposal
from prima.kipp.enums import ProposalState as S
from prima.kipp.interfaces.invitations import import_invitations
from prima.kipp.models import Invitation
from tests.factories import AwardRecordFactory, InnovationFactory
from tests.kipp.domain.test_proposals_support import edition_2021, edition_2025
from tests.kipp.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return edition_2021()


def winner(unit, name: str, *, decree: dt.date | None = None, year: int = 2019):
    innovation = InnovationFactory(unit=unit, name=name)
    AwardRecordFactory(
        innovation=innovation,
        programme="kipp",
        tier="top45",
        level="winner",
        year=year,
        decree_date=decree,
    )
    return innovation


def csv_file(text: str, name: str = "undangan.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# --------------------------------------------------------------------------- inviting


def test_a_past_winner_is_invited_and_audited(edition, unit_a, institution_a, secretariat):
    innovation = winner(unit_a, "SITARANG")

    invitation = domain.invite_innovation(edition, innovation, actor=secretariat)

    assert (invitation.group, invitation.institution) == ("khusus", institution_a)
    assert invitation.created_by == secretariat
    entry = AuditEntry.objects.get(action=domain.ACTION_CREATE)
    assert entry.object_id == str(invitation.pk)
    assert entry.after["innovation"] == innovation.pk
    with pytest.raises(DomainError, match="sudah diundang"):
        domain.invite_innovation(edition, innovation, actor=secretariat)


def test_refusals_say_why_in_indonesian(edition, unit_a, secretariat, admin_a):
    never = InnovationFactory(unit=unit_a, name="Belum Pernah Menang")
    with pytest.raises(DomainError) as refused:
        domain.invite_innovation(edition, never, actor=secretariat)
    assert refused.value.field == "innovation"
    assert "tidak memenuhi syarat Kelompok Khusus" in refused.value.message
    assert "mensyaratkan peringkat tingkat pemenang" in refused.value.message

    # A winner decreed two months ago: less than the 12 months the rules ask for.
    recent = winner(unit_a, "Baru Menang", decree=timezone.localdate() - dt.timedelta(days=60))
    with pytest.raises(DomainError, match="12 bulan sebelum"):
        domain.invite_innovation(edition, recent, actor=secretariat)

    with pytest.raises(PermissionDenied):
        domain.invite_innovation(edition, winner(unit_a, "Lama"), actor=admin_a)
    with pytest.raises(DomainError, match="tidak memiliki kelompok khusus undangan"):
        domain.invite_innovation(edition_2025(), winner(unit_a, "Lain"), actor=secretariat)
    late = edition_2021(stages=EditionState.ADMIN_SELECTION)
    with pytest.raises(DomainError, match="sebelum seleksi administrasi"):
        domain.invite_innovation(late, winner(unit_a, "Terlambat"), actor=secretariat)
    assert not Invitation.objects.exists()


def test_a_revoked_winner_tier_does_not_qualify(edition, unit_a, secretariat):
    innovation = winner(unit_a, "Dicabut")
    innovation.awards.update(revoked=True)
    with pytest.raises(DomainError, match="tidak memenuhi syarat"):
        domain.invite_innovation(edition, innovation, actor=secretariat)


# --------------------------------------------------------------------------- revoking


def test_only_an_unused_invitation_can_be_revoked(edition, unit_a, secretariat):
    used = domain.invite_innovation(edition, winner(unit_a, "Dipakai"), actor=secretariat)
    proposal = ProposalFactory(edition=edition, innovation=used.innovation, group="khusus")
    free = domain.invite_innovation(edition, winner(unit_a, "Bebas"), actor=secretariat)

    with pytest.raises(DomainError, match=f"sudah dipakai proposal #{proposal.pk}"):
        domain.revoke_invitation(used, actor=secretariat)
    domain.revoke_invitation(free, actor=secretariat, reason="Salah instansi")

    assert list(Invitation.objects.values_list("pk", flat=True)) == [used.pk]
    entry = AuditEntry.objects.get(action=domain.ACTION_REVOKE)
    assert entry.before["innovation"] == free.innovation_id and entry.reason == "Salah instansi"

    # Once the proposal is withdrawn the invitation is free again.
    proposal.state = S.WITHDRAWN
    proposal.save()
    domain.revoke_invitation(used, actor=secretariat)
    assert not Invitation.objects.exists()


def test_the_list_shows_the_proposal_made_in_fixed_queries(edition, unit_a, secretariat):
    first = domain.invite_innovation(edition, winner(unit_a, "Satu"), actor=secretariat)
    proposal = ProposalFactory(edition=edition, innovation=first.innovation, group="khusus")

    def read() -> list:
        return [
            (i.innovation.name, i.institution.name, i.innovation.unit.name, i.used_by)
            for i in domain.invitations_of(edition)
        ]

    with CaptureQueriesContext(connection) as one:
        rows = read()
    assert rows[0][3] == proposal.pk
    for n in range(3):
        domain.invite_innovation(edition, winner(unit_a, f"Lagi {n}"), actor=secretariat)
    with CaptureQueriesContext(connection) as four:
        rows = read()
    assert len(rows) == 4 and len(one.captured_queries) == len(four.captured_queries) == 1
    assert [i.pk for i in domain.invitations_of(edition, used=True)] == [first.pk]
    assert len(domain.invitations_of(edition, used=False)) == 3


def test_participants_see_their_own_invitations_only(
    edition, unit_a, unit_b, operator_a, operator_b, admin_a, secretariat
):
    mine = domain.invite_innovation(edition, winner(unit_a, "Milik A"), actor=secretariat)
    domain.invite_innovation(edition, winner(unit_b, "Milik B"), actor=secretariat)
    assert list(domain.invitations_for(operator_a, edition)) == [mine]
    assert list(domain.invitations_for(admin_a, edition)) == [mine]
    assert [i.innovation.name for i in domain.invitations_for(operator_b, edition)] == ["Milik B"]
    # The invitation is what lets the khusus proposal be created (§9.4).
    proposal = create_proposal(
        edition,
        mine.innovation,
        group="khusus",
        category=rules_for(edition).categories[0].code,
        actor=operator_a,
    )
    assert proposal.group == "khusus"


def test_search_tells_who_qualifies(edition, unit_a, secretariat):
    qualified = winner(unit_a, "Klinik Sehat")
    InnovationFactory(unit=unit_a, name="Klinik Biasa")
    domain.invite_innovation(edition, qualified, actor=secretariat)
    group = domain.invitation_group(edition, None)
    found = {c.innovation.name: c for c in domain.search_candidates(edition, group, "klinik")}
    assert found["Klinik Sehat"].invited and found["Klinik Sehat"].check.passed
    assert not found["Klinik Biasa"].invited
    assert "tidak memenuhi syarat" in found["Klinik Biasa"].problem
    assert [c.innovation for c in domain.search_candidates(edition, group, f"#{qualified.pk}")]


# --------------------------------------------------------------------------- import


def test_import_by_id_or_by_title_and_institution(edition, unit_a, institution_a, secretariat):
    by_id = winner(unit_a, "Sipaduko")
    winner(unit_a, "Klinik Berhenti Merokok")
    already = winner(unit_a, "Sudah Diundang")
    domain.invite_innovation(edition, already, actor=secretariat)
    text = (
        "innovation_id;innovation_title;institution_name;group\n"
        f"{by_id.pk};;;khusus\n"
        f";klinik berhenti merokok;{institution_a.name};\n"
        f"{already.pk};;;\n"
    )
    outcome = import_invitations(edition, csv_file(text), actor=secretariat)
    assert sorted(i.innovation.name for i in outcome.created) == [
        "Klinik Berhenti Merokok",
        "Sipaduko",
    ]
    assert outcome.already == [4]
    reasons = AuditEntry.objects.filter(action=domain.ACTION_CREATE).values_list(
        "reason", flat=True
    )
    assert "Impor undangan.csv, baris 2" in list(reasons)
    # The same file again changes nothing.
    again = import_invitations(edition, csv_file(text), actor=secretariat)
    assert (again.created, again.already) == ([], [2, 3, 4])


def test_a_file_with_bad_rows_changes_nothing(edition, unit_a, institution_a, secretariat):
    good = winner(unit_a, "Baik")
    twin_a = winner(unit_a, "Kembar")
    winner(unit_a, "Kembar")
    not_winner = InnovationFactory(unit=unit_a, name="Bukan Pemenang")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["innovation_id", "innovation_title", "institution_name", "group"])
    sheet.append([good.pk, None, None, "khusus"])
    sheet.append([999999, None, None, None])
    sheet.append([None, "Kembar", institution_a.name, None])
    sheet.append([None, "Tidak Ada", "Kota Entah", None])
    sheet.append([not_winner.pk, None, None, None])
    sheet.append([good.pk, None, None, "umum"])
    sheet.append([good.pk, None, None, None])
    sheet.append([twin_a.pk, "Judul Lain", None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("undangan.xlsx", buffer.getvalue())

    with pytest.raises(TableError) as failed:
        import_invitations(edition, upload, actor=secretariat)

    problems = {(e.row, e.column): e.message for e in failed.value.errors}
    assert set(problems) == {
        (3, "innovation_id"),
        (4, "innovation_title"),
        (5, "institution_name"),
        (6, ""),
        (7, "group"),
        (8, ""),
        (9, "innovation_title"),
    }
    assert "tidak ada di registri" in problems[(3, "innovation_id")]
    assert "cocok dengan 2 inovasi" in problems[(4, "innovation_title")]
    assert "tidak memenuhi syarat" in problems[(6, "")]
    assert "bukan kelompok undangan" in problems[(7, "group")]
    assert "sudah ada di baris 2" in problems[(8, "")]
    assert not Invitation.objects.exists()


def test_import_needs_an_innovation_column_and_the_secretariat(edition, admin_a, secretariat):
    with pytest.raises(TableError, match="kolom wajib tidak ada"):
        import_invitations(edition, csv_file("group\nkhusus\n"), actor=secretariat)
    with pytest.raises(PermissionDenied):
        import_invitations(edition, csv_file("innovation_id\n1\n"), actor=admin_a)
