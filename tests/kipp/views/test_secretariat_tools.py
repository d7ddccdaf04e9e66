"""The secretariat's invitation pages, single reviews and pins, and the withdrawal queue
(kipp.md §6, §8 #15, §9.4, §10.1), as a person uses them; list pages at two sizes."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from prima.core.enums import Role
from prima.core.models import AuditEntry
from prima.evaluation.domain.reviews import excuse_assignment
from prima.evaluation.domain.runs import add_pin
from prima.evaluation.enums import EditionState, PinKind, SheetStatus
from prima.evaluation.models import Assignment, Pin, ScoreSheet
from prima.kipp.dashboard import kipp_panel
from prima.kipp.domain import invitations as invitation_domain
from prima.kipp.domain import proposals
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import Invitation, Proposal
from tests.conftest import client_for
from tests.factories import AwardRecordFactory, InnovationFactory, person_with_role
from tests.kipp.domain.test_decisions import evaluator, stage_of
from tests.kipp.domain.test_proposals_support import edition_2021
from tests.kipp.factories import AppointmentFactory, EditionFactory, ProposalFactory

DESK = EditionState.DESK_EVALUATION
REASON = "Penilai dirawat di rumah sakit"

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def same_queries(client, target, grow, rows_of, django_assert_num_queries) -> None:
    """The page costs the same number of queries before and after `grow()` adds rows."""
    client.get(target)
    with CaptureQueriesContext(connection) as small:
        first = rows_of(client.get(target))
    grow()
    with django_assert_num_queries(len(small.captured_queries)):
        second = rows_of(client.get(target))
    assert 0 < first < second


# --------------------------------------------------------------------------- invitations


@pytest.fixture
def edition(db):
    return edition_2021(code="kipp-2021-uji")


def past_winner(unit, name: str):
    innovation = InnovationFactory(unit=unit, name=name)
    AwardRecordFactory(
        innovation=innovation, programme="kipp", tier="top45", level="winner", year=2019
    )
    return innovation


def test_invite_from_the_registry_search_then_see_it_listed(
    edition, unit_a, institution_a, secretariat
):
    sitarang = past_winner(unit_a, "SITARANG")
    InnovationFactory(unit=unit_a, name="SITARANG Lite")
    client = client_for(secretariat)

    found = client.get(url("kipp_invitation_add", edition.code), {"q": "sitarang"})
    candidates = {c.innovation.name: c for c in found.context["candidates"]}
    assert not candidates["SITARANG"].problem
    assert "tidak memenuhi syarat" in candidates["SITARANG Lite"].problem
    assert "mensyaratkan peringkat tingkat pemenang" in found.content.decode()

    done = client.post(
        url("kipp_invitation_add", edition.code), {"innovation": sitarang.pk, "group": "khusus"}
    )
    assert done.status_code == 302
    listing = client.get(url("kipp_invitations", edition.code))
    [row] = listing.context["page"].object_list
    assert (row.innovation, row.institution, row.created_by) == (
        sitarang,
        institution_a,
        secretariat,
    )
    assert "belum ada" in listing.content.decode()

    refused = client.post(
        url("kipp_invitation_add", edition.code),
        {"innovation": InnovationFactory(unit=unit_a).pk, "group": "khusus"},
        follow=True,
    )
    assert "tidak memenuhi syarat Kelompok Khusus" in refused.content.decode()
    assert Invitation.objects.count() == 1


def test_revoke_from_the_list_and_the_used_one_stays(edition, unit_a, secretariat):
    used = invitation_domain.invite_innovation(
        edition, past_winner(unit_a, "Dipakai"), actor=secretariat
    )
    ProposalFactory(edition=edition, innovation=used.innovation, group="khusus")
    free = invitation_domain.invite_innovation(
        edition, past_winner(unit_a, "Bebas"), actor=secretariat
    )
    client = client_for(secretariat)

    page = client.get(url("kipp_invitations", edition.code)).content.decode()
    assert page.count("Cabut") == 1  # only the unused invitation offers the button
    client.post(url("kipp_invitation_revoke", free.pk))
    refused = client.post(url("kipp_invitation_revoke", used.pk), follow=True)

    assert "sudah dipakai proposal" in refused.content.decode()
    assert list(Invitation.objects.all()) == [used]


def test_export_holds_what_the_list_shows(edition, unit_a, secretariat):
    first = invitation_domain.invite_innovation(
        edition, past_winner(unit_a, "Satu"), actor=secretariat
    )
    proposal = ProposalFactory(edition=edition, innovation=first.innovation, group="khusus")
    invitation_domain.invite_innovation(edition, past_winner(unit_a, "Dua"), actor=secretariat)
    response = client_for(secretariat).get(
        url("kipp_invitation_export", edition.code), {"format": "xlsx"}
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][2] == "Judul inovasi"
    by_title = {row[2]: row for row in rows[1:]}
    assert set(by_title) == {"Satu", "Dua"}
    assert by_title["Satu"][8] == proposal.pk and by_title["Satu"][9] == "Draf di UPP"
    assert by_title["Dua"][8] in ("", None)


def test_import_page_shows_every_bad_row_and_applies_nothing(edition, unit_a, secretariat):
    good = past_winner(unit_a, "Baik")
    client = client_for(secretariat)
    bad = SimpleUploadedFile("u.csv", f"innovation_id\n{good.pk}\n999999\n".encode())
    page = client.post(url("kipp_invitation_import", edition.code), {"file": bad})
    assert page.status_code == 200
    assert [(e.row, e.column) for e in page.context["errors"]] == [(3, "innovation_id")]
    assert not Invitation.objects.exists()

    fine = SimpleUploadedFile("u.csv", f"innovation_id\n{good.pk}\n".encode())
    assert (
        client.post(url("kipp_invitation_import", edition.code), {"file": fine}).status_code == 302
    )
    assert Invitation.objects.get().innovation == good


def test_invitation_list_query_count(edition, unit_a, secretariat, django_assert_num_queries):
    invitation_domain.invite_innovation(edition, past_winner(unit_a, "Awal"), actor=secretariat)

    def grow() -> None:
        for n in range(3):
            invitation = invitation_domain.invite_innovation(
                edition, past_winner(unit_a, f"Tambah {n}"), actor=secretariat
            )
            ProposalFactory(edition=edition, innovation=invitation.innovation, group="khusus")

    same_queries(
        client_for(secretariat),
        url("kipp_invitations", edition.code),
        grow,
        lambda r: len(r.context["page"].object_list),
        django_assert_num_queries,
    )


def test_participants_are_offered_the_khusus_group_only_when_invited(
    edition, unit_a, operator_a, operator_b, secretariat
):
    invitation_domain.invite_innovation(
        edition, past_winner(unit_a, "Klinik Juara"), actor=secretariat
    )
    create = url("kipp_proposal_create") + f"?edition={edition.code}"

    invited = client_for(operator_a).get(create)
    groups = [code for code, _label in invited.context["form"].fields["group"].choices]
    assert "khusus" in groups
    assert "«Klinik Juara» — Kelompok Khusus" in invited.content.decode()

    other = client_for(operator_b).get(create)
    groups = [code for code, _label in other.context["form"].fields["group"].choices]
    assert groups == ["umum", "replikasi"]
    assert "Klinik Juara" not in other.content.decode()


# --------------------------------------------------------------------------- reviews


@pytest.fixture
def desk(db):
    return EditionFactory(code="kipp-desk-uji", stages=DESK)


def live(edition, title: str, appointment) -> Assignment:
    proposal = ProposalFactory(edition=edition, title=title, state=S.DESK_REVIEW)
    return Assignment.objects.create(
        stage=stage_of(edition, DESK), subject=proposal.subject, appointment=appointment
    )


def test_excuse_with_a_replacement_reaches_the_todo_list_and_the_progress(desk, secretariat):
    person = person_with_role(Role.EVALUATOR, username="ani", full_name="Ani")
    ani = AppointmentFactory(edition=desk, person=person)
    citra = evaluator(desk, "Citra")
    assignment = live(desk, "Klinik Keliling", ani)
    live(desk, "Pasar Daring", ani)
    client = client_for(secretariat)

    form = client.get(url("kipp_review_excuse", assignment.pk))
    assert [label for _v, label in form.context["form"].fields["replacement"].choices][1:] == [
        "Citra (0 penugasan)"
    ]
    short = client.post(url("kipp_review_excuse", assignment.pk), {"reason": "sakit"})
    assert "reason" in short.context["form"].errors
    done = client.post(
        url("kipp_review_excuse", assignment.pk), {"reason": REASON, "replacement": citra.pk}
    )
    assert done.status_code == 302

    assignment.refresh_from_db()
    assert assignment.is_excused and assignment.excuse_reason == REASON
    assert Pin.objects.filter(subject=assignment.subject, appointment=citra, kind=PinKind.FORCE)
    todo = client_for(person).get(url("kipp_assessor_todo", desk.code))
    statuses = {a.subject.title: a.todo for a in todo.context["page"].object_list}
    assert statuses == {"Klinik Keliling": "excused", "Pasar Daring": "todo"}
    assert todo.context["progress"].total == 1
    hub = client.get(url("kipp_evaluation_hub", desk.code))
    assert (hub.context["total"]["excused"], hub.context["total"]["assigned"]) == (1, 3)
    [task] = kipp_panel(person)[1]["assessor"]
    assert (task["assigned"], task["final"]) == (1, 0)

    listing = client.get(url("kipp_review_assignments", desk.code, DESK), {"status": "excused"})
    assert [a.pk for a in listing.context["page"].object_list] == [assignment.pk]
    assert "Batalkan pembebasan" in listing.content.decode()
    client.post(url("kipp_review_restore", assignment.pk))
    assignment.refresh_from_db()
    assert not assignment.is_excused
    assert AuditEntry.objects.filter(action="evaluation.assignment.restore").count() == 1


def test_a_final_review_offers_no_excuse_and_is_refused(desk, secretariat):
    assignment = live(desk, "Sudah Final", evaluator(desk, "Budi"))
    ScoreSheet.objects.create(
        assignment=assignment,
        stage=assignment.stage,
        subject=assignment.subject,
        appointment=assignment.appointment,
        instrument=desk.instrument,
        status=SheetStatus.FINAL,
    )
    client = client_for(secretariat)
    page = client.get(url("kipp_review_assignments", desk.code, DESK)).content.decode()
    assert "Bebaskan" not in page and "Final" in page
    refused = client.post(url("kipp_review_excuse", assignment.pk), {"reason": REASON})
    assert "sudah memfinalkan" in str(refused.context["form"].non_field_errors())


def test_live_assignment_list_query_count(desk, secretariat, django_assert_num_queries):
    ani = evaluator(desk, "Ani")
    live(desk, "Awal", ani)

    def grow() -> None:
        for n in range(3):
            extra = live(desk, f"Tambah {n}", evaluator(desk, f"Penilai {n}"))
            excuse_assignment(extra, reason=REASON, actor=secretariat)

    same_queries(
        client_for(secretariat),
        url("kipp_review_assignments", desk.code, DESK),
        grow,
        lambda r: len(r.context["page"].object_list),
        django_assert_num_queries,
    )


def test_pins_are_added_refused_with_the_conflict_and_removed(desk, secretariat):
    proposal = ProposalFactory(edition=desk, title="Samsat Keliling", state=S.DESK_REVIEW)
    local = evaluator(desk, "Orang Dalam", affiliation=proposal.institution)
    outside = evaluator(desk, "Orang Luar")
    client = client_for(secretariat)
    target = url("kipp_review_pin_add", desk.code, DESK)

    found = client.get(target, {"q": "samsat"})
    assert list(found.context["form"].fields["subject"].queryset) == [proposal.subject]
    refused = client.post(
        target,
        {
            "subject": proposal.subject_id,
            "appointment": local.pk,
            "kind": "force",
            "reason": "Ahli",
        },
    )
    assert "same_institution" in str(refused.context["form"].errors)
    done = client.post(
        target,
        {
            "subject": proposal.subject_id,
            "appointment": outside.pk,
            "kind": "force",
            "reason": "Ahli",
        },
    )
    assert done.status_code == 302

    listing = client.get(url("kipp_review_pins", desk.code, DESK))
    [pin] = listing.context["page"].object_list
    assert (pin.appointment, pin.kind, pin.reason, pin.created_by) == (
        outside,
        PinKind.FORCE,
        "Ahli",
        secretariat,
    )
    client.post(url("kipp_review_pin_remove", pin.pk))
    assert not Pin.objects.exists()
    assert AuditEntry.objects.filter(action="evaluation.pin.remove").count() == 1


def test_pin_list_query_count(desk, secretariat, django_assert_num_queries):
    stage = stage_of(desk, DESK)
    first = ProposalFactory(edition=desk, state=S.DESK_REVIEW)
    add_pin(stage, first.subject, evaluator(desk, "Ani"), PinKind.FORCE, "Awal", actor=secretariat)

    def grow() -> None:
        for n in range(3):
            subject = ProposalFactory(edition=desk, state=S.DESK_REVIEW).subject
            add_pin(
                stage, subject, evaluator(desk, f"P{n}"), PinKind.FORBID, "x", actor=secretariat
            )

    same_queries(
        client_for(secretariat),
        url("kipp_review_pins", desk.code, DESK),
        grow,
        lambda r: len(r.context["page"].object_list),
        django_assert_num_queries,
    )


# --------------------------------------------------------------------------- withdrawals


def requested(edition, unit, admin, title: str) -> Proposal:
    proposal = ProposalFactory(
        edition=edition, innovation=InnovationFactory(unit=unit, name=title), state=S.SUBMITTED
    )
    proposals.withdraw_proposal(proposal, reason=f"Alasan untuk {title}.", actor=admin)
    return proposal


def test_the_queue_approves_and_rejects_with_a_note(desk, unit_a, admin_a, secretariat):
    go = requested(desk, unit_a, admin_a, "Ditarik")
    keep = requested(desk, unit_a, admin_a, "Dipertahankan")
    client = client_for(secretariat)
    queue = client.get(url("kipp_withdrawals", desk.code))
    text = queue.content.decode()
    assert [p.proposal for p in queue.context["pending"]] == [go, keep]
    assert "Alasan untuk Ditarik." in text and admin_a.full_name in text

    missing = client.post(
        url("kipp_withdrawal_decide", go.pk), {"decision": "approve"}, follow=True
    )
    assert "Catatan keputusan minimal 10 karakter" in missing.content.decode()
    client.post(
        url("kipp_withdrawal_decide", go.pk),
        {"decision": "approve", "note": "Disetujui sesuai surat."},
    )
    client.post(
        url("kipp_withdrawal_decide", keep.pk),
        {"decision": "reject", "note": "Seleksi sudah berjalan."},
    )
    assert Proposal.objects.get(pk=go.pk).state == S.WITHDRAWN
    assert Proposal.objects.get(pk=keep.pk).state == S.SUBMITTED
    assert client.get(url("kipp_withdrawals", desk.code)).context["pending"] == []


def test_withdrawal_queue_query_count(
    desk, unit_a, admin_a, secretariat, django_assert_num_queries
):
    requested(desk, unit_a, admin_a, "Awal")
    same_queries(
        client_for(secretariat),
        url("kipp_withdrawals", desk.code),
        lambda: [requested(desk, unit_a, admin_a, f"Lagi {n}") for n in range(3)],
        lambda r: len(r.context["pending"]),
        django_assert_num_queries,
    )
