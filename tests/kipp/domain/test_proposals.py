"""The participant's side of a proposal (kipp.md §5, §7, §8 #1–#5, #15): writing, sending,
returning, submitting, recalling, withdrawing; the subject in step; audit and e-mails."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.enums import InstitutionKind, Role
from prima.core.models import AuditEntry
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Subject
from prima.kipp.domain import proposals as domain
from prima.kipp.domain.attachments import add_attachment, remove_attachment
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import Invitation, Proposal, ProposalTransition
from tests.factories import InstitutionFactory, ServiceUnitFactory, person_with_role
from tests.kipp.domain.test_proposals_support import (
    at_institution,
    edition_2021,
    edition_2025,
    full_answers,
    innovation_for,
    pdf,
    ready_draft,
    save,
    submitted,
    words,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return edition_2025(region_3t_codes=["13.76"])


@pytest.fixture
def innovation(unit_a):
    return innovation_for(unit_a, name="SITARANG")


def actions(proposal: Proposal) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="kipp.proposal", object_id=str(proposal.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --------------------------------------------------------------------------- creating


def test_operator_creates_a_draft_and_its_subject(edition, innovation, operator_a, institution_a):
    proposal = domain.create_proposal(
        edition, innovation, group="umum", category="AC4", actor=operator_a
    )

    assert proposal.state == S.DRAFT and proposal.participant_state == S.DRAFT
    assert proposal.title == "SITARANG"
    assert (proposal.unit, proposal.institution) == (innovation.unit, institution_a)
    subject = Subject.objects.get(pk=proposal.subject_id)
    assert subject.kind == "proposal"
    assert (subject.group, subject.category) == ("umum", "AC4")
    assert subject.institution_id == institution_a.pk
    assert subject.institution_kind == InstitutionKind.CITY
    assert subject.province == "13"  # Kota Payakumbuh is local
    assert subject.region_3t is True  # 13.76 is on the edition's 3T list
    assert actions(proposal) == ["kipp.proposal.create"]


def test_central_institution_has_no_province_on_its_subject(edition, operator_a):
    ministry = InstitutionFactory(kind=InstitutionKind.MINISTRY, region=None, province_code="")
    unit = ServiceUnitFactory(institution=ministry)
    operator = person_with_role(Role.UNIT_OPERATOR, unit=unit)
    proposal = domain.create_proposal(
        edition, innovation_for(unit), group="umum", category="AC1", actor=operator
    )
    subject = Subject.objects.get(pk=proposal.subject_id)
    assert (subject.province, subject.region_3t) == ("", False)


def test_one_proposal_per_innovation_per_edition(edition, innovation, operator_a, admin_a):
    domain.create_proposal(edition, innovation, group="umum", category="AC4", actor=operator_a)
    with pytest.raises(DomainError) as refused:
        domain.create_proposal(edition, innovation, group="umum", category="AC2", actor=admin_a)
    assert refused.value.field == "innovation"
    assert "sudah diusulkan" in refused.value.message


def test_another_units_operator_may_not_enter_the_innovation(edition, innovation, operator_b):
    with pytest.raises(PermissionDenied):
        domain.create_proposal(edition, innovation, group="umum", category="AC4", actor=operator_b)


def test_evaluator_and_secretariat_do_not_create_proposals(
    edition, innovation, evaluator, secretariat
):
    for person in (evaluator, secretariat):
        with pytest.raises(PermissionDenied):
            domain.create_proposal(edition, innovation, group="umum", category="AC4", actor=person)


def test_unknown_group_or_category_names_the_field(edition, innovation, operator_a):
    with pytest.raises(DomainError) as group:
        domain.create_proposal(
            edition, innovation, group="khusus", category="AC4", actor=operator_a
        )
    with pytest.raises(DomainError) as category:
        domain.create_proposal(edition, innovation, group="umum", category="AC9", actor=operator_a)
    assert (group.value.field, category.value.field) == ("group", "category")


def test_khusus_needs_an_invitation(operator_a, unit_a, secretariat):
    edition = edition_2021()
    innovation = innovation_for(unit_a)
    with pytest.raises(DomainError) as refused:
        domain.create_proposal(
            edition, innovation, group="khusus", category="kesehatan", actor=operator_a
        )
    assert "diundang" in refused.value.message

    Invitation.objects.create(
        edition=edition,
        innovation=innovation,
        institution=innovation.institution,
        group="khusus",
        created_by=secretariat,
    )
    proposal = domain.create_proposal(
        edition, innovation, group="khusus", category="kesehatan", actor=operator_a
    )
    assert proposal.group == "khusus"


def test_nothing_is_created_when_registration_is_closed(innovation, operator_a):
    closed = edition_2025(stages=EditionState.REGISTRATION_CLOSED)
    with pytest.raises(DomainError, match="tidak sedang dibuka"):
        domain.create_proposal(closed, innovation, group="umum", category="AC4", actor=operator_a)


def test_registration_past_its_close_is_closed(innovation, operator_a):
    late = edition_2025(registration_close=timezone.now() - dt.timedelta(minutes=1))
    assert not domain.registration_is_open(late)
    with pytest.raises(DomainError):
        domain.create_proposal(late, innovation, group="umum", category="AC4", actor=operator_a)


# --------------------------------------------------------------------------- saving


def test_saving_answers_keeps_the_subject_in_step(edition, innovation, operator_a):
    proposal = domain.create_proposal(
        edition, innovation, group="umum", category="AC4", actor=operator_a
    )
    saved = save(
        proposal,
        operator_a,
        answers={"ringkasan": "Warga mengurus izin dari rumah.", "signifikansi": "Antrean hilang."},
        category="AC7",
        sdg_goals=[16, 3, 16],
    )

    assert saved.changed and saved.warnings == ()
    proposal.refresh_from_db()
    assert proposal.version == 2
    assert proposal.sdg_goals == [3, 16]
    subject = Subject.objects.get(pk=proposal.subject_id)
    assert subject.category == "AC7"
    assert subject.text == "Warga mengurus izin dari rumah.\n\nAntrean hilang."
    assert actions(proposal)[-1] == "kipp.proposal.update"
    entry = AuditEntry.objects.filter(action="kipp.proposal.update").get()
    assert entry.before["category"] == "AC4" and entry.after["category"] == "AC7"


def test_saving_twice_from_the_same_version_is_refused(edition, innovation, operator_a, admin_a):
    proposal = domain.create_proposal(
        edition, innovation, group="umum", category="AC4", actor=operator_a
    )
    loaded = proposal.version
    save(proposal, operator_a, answers={"ringkasan": "Versi operator."}, version=loaded)

    stale = Proposal.objects.get(pk=proposal.pk)
    stale.version = loaded  # what a second browser tab still holds
    with pytest.raises(StaleVersion):
        save(stale, operator_a, answers={"ringkasan": "Versi tab lain."}, version=loaded)
    proposal.refresh_from_db()
    assert proposal.answers == {"ringkasan": "Versi operator."}


def test_unchanged_content_is_not_a_new_version(edition, innovation, operator_a):
    proposal = domain.create_proposal(
        edition, innovation, group="umum", category="AC4", actor=operator_a
    )
    save(proposal, operator_a, answers={"ringkasan": "Satu."})
    again = save(proposal, operator_a)
    assert not again.changed
    assert proposal.version == 2


def test_answer_to_a_section_the_group_does_not_see_is_refused(edition, innovation, operator_a):
    proposal = domain.create_proposal(
        edition, innovation, group="umum", category="AC4", actor=operator_a
    )
    with pytest.raises(DomainError) as refused:
        save(proposal, operator_a, answers={"faktor_pembeda": "Hanya untuk replikasi."})
    assert refused.value.field == "faktor_pembeda"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sdg_goals": [18]}, "sdg_goals"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
        ({"video_minutes": "tiga"}, "video_minutes"),
        ({"video_minutes": Decimal("2.75")}, "video_minutes"),
        ({"category": "AC9"}, "category"),
    ],
)
def test_bad_values_name_their_field(edition, innovation, operator_a, changes, field):
    proposal = domain.create_proposal(
        edition, innovation, group="umum", category="AC4", actor=operator_a
    )
    with pytest.raises(DomainError) as refused:
        save(proposal, operator_a, **changes)
    assert refused.value.field == field


def test_who_edits_depends_on_where_the_proposal_is(edition, innovation, operator_a, admin_a):
    proposal = ready_draft(edition, innovation, operator_a)
    with pytest.raises(PermissionDenied, match="di UPP"):
        save(proposal, admin_a, answers=full_answers(proposal))

    domain.send_to_institution(proposal, actor=operator_a)
    with pytest.raises(PermissionDenied, match="di Admin Lokal"):
        save(proposal, operator_a)
    assert save(proposal, admin_a, sdg_goals=[3, 10]).changed


def test_operator_of_another_unit_may_not_edit(edition, innovation, operator_a, operator_b):
    proposal = domain.create_proposal(
        edition, innovation, group="umum", category="AC4", actor=operator_a
    )
    with pytest.raises(PermissionDenied):
        save(proposal, operator_b, answers={"ringkasan": "Bukan milik saya."})


# --------------------------------------------------------------------------- attachments


def test_attachments_follow_the_editions_types_and_size(edition, innovation, operator_a):
    proposal = domain.create_proposal(
        edition, innovation, group="umum", category="AC4", actor=operator_a
    )
    attachment = add_attachment(
        proposal, kind="sk_inovator", upload=pdf("sk.pdf"), actor=operator_a
    )
    assert attachment.sha256 and attachment.original_name == "sk.pdf"
    assert actions(proposal)[-1] == "kipp.proposal.attachment_added"

    with pytest.raises(DomainError, match="sama sudah diunggah"):
        add_attachment(proposal, kind="lainnya", upload=pdf("sk.pdf"), actor=operator_a)

    big = pdf("besar.pdf", "x" * (2 * 1024 * 1024))  # the 2025 limit is 2 MB
    with pytest.raises(DomainError, match="terlalu besar") as too_big:
        add_attachment(proposal, kind="lainnya", upload=big, actor=operator_a)
    assert too_big.value.field == "file"

    from tests.innovations.conftest import png_upload

    with pytest.raises(DomainError, match="PDF"):  # 2025 accepts PDF only
        add_attachment(proposal, kind="lainnya", upload=png_upload(), actor=operator_a)

    remove_attachment(attachment, actor=operator_a)
    assert not proposal.attachments.exists()
    assert actions(proposal)[-1] == "kipp.proposal.attachment_removed"


def test_attachments_are_frozen_after_submission(edition, innovation, operator_a, admin_a):
    proposal = submitted(edition, innovation, operator_a, admin_a)
    for person in (operator_a, admin_a):
        with pytest.raises(PermissionDenied):
            add_attachment(proposal, kind="lainnya", upload=pdf("baru.pdf"), actor=person)


# --------------------------------------------------------------------------- the flow


def test_send_return_send_submit(
    edition, innovation, operator_a, admin_a, django_capture_on_commit_callbacks, mailoutbox
):
    proposal = ready_draft(edition, innovation, operator_a)

    with django_capture_on_commit_callbacks(execute=True):
        domain.send_to_institution(
            proposal, actor=operator_a, ip_hash=domain.keyed_ip_hash("10.0.0.1")
        )
    assert proposal.state == S.AT_INSTITUTION
    assert [m.to for m in mailoutbox] == [[admin_a.email]]
    assert "menunggu pemeriksaan" in mailoutbox[0].subject
    assert f"/kipp/proposal/{proposal.pk}/" in mailoutbox[0].body

    with pytest.raises(DomainError) as short:
        domain.return_to_unit(proposal, note="Perbaiki", actor=admin_a)
    assert short.value.field == "note"
    with django_capture_on_commit_callbacks(execute=True):
        domain.return_to_unit(
            proposal, note="Lengkapi data sebelum-sesudah pada Signifikansi.", actor=admin_a
        )
    assert proposal.state == S.RETURNED and proposal.participant_state == S.RETURNED
    assert mailoutbox[1].to == [operator_a.email]
    assert "Lengkapi data sebelum-sesudah" in mailoutbox[1].body

    domain.send_to_institution(proposal, actor=operator_a)  # #3
    with django_capture_on_commit_callbacks(execute=True):
        domain.submit_proposal(proposal, declaration=True, actor=admin_a)

    proposal.refresh_from_db()
    assert proposal.state == S.SUBMITTED and proposal.declaration
    assert proposal.submitted_at is not None
    assert mailoutbox[-1].to == [operator_a.email]
    assert proposal.snapshot_hash in mailoutbox[-1].body
    history = list(
        ProposalTransition.objects.filter(proposal=proposal).values_list("from_state", "to_state")
    )
    assert history == [
        (S.DRAFT, S.AT_INSTITUTION),
        (S.AT_INSTITUTION, S.RETURNED),
        (S.RETURNED, S.AT_INSTITUTION),
        (S.AT_INSTITUTION, S.SUBMITTED),
    ]
    first = ProposalTransition.objects.filter(proposal=proposal).first()
    assert first is not None and len(first.ip_hash) == 64 and "10.0.0.1" not in first.ip_hash
    assert [a for a in actions(proposal) if not a.startswith("kipp.proposal.attachment")] == [
        "kipp.proposal.create",
        "kipp.proposal.update",
        "kipp.proposal.send",
        "kipp.proposal.return",
        "kipp.proposal.send",
        "kipp.proposal.submit",
        "kipp.proposal.snapshot",
    ]


def test_submission_freezes_a_hashed_snapshot(edition, innovation, operator_a, admin_a):
    proposal = submitted(edition, innovation, operator_a, admin_a)

    snapshot = proposal.snapshot
    assert snapshot["answers"] == proposal.answers
    assert {a["kind"] for a in snapshot["attachments"]} == {
        "bukti_mulai_implementasi",
        "sk_inovator",
        "pernyataan_kebenaran",
    }
    assert all(len(a["sha256"]) == 64 for a in snapshot["attachments"])
    assert snapshot["institution"]["id"] == proposal.institution_id
    assert proposal.snapshot_hash == domain.snapshot_hash(snapshot)
    # Any change of content changes the hash.
    changed = {**snapshot, "answers": {**snapshot["answers"], "ringkasan": "lain"}}
    assert domain.snapshot_hash(changed) != proposal.snapshot_hash
    subject = Subject.objects.get(pk=proposal.subject_id)
    assert subject.submitted_at == proposal.submitted_at
    entry = AuditEntry.objects.get(action="kipp.proposal.snapshot")
    assert entry.after["snapshot_hash"] == proposal.snapshot_hash


def test_submission_copies_the_innovations_current_unit(
    edition, innovation, operator_a, admin_a, institution_a
):
    proposal = at_institution(edition, innovation, operator_a)
    other_unit = ServiceUnitFactory(institution=institution_a, name="Bagian Organisasi")
    innovation.unit = other_unit
    innovation.save()
    domain.submit_proposal(proposal, declaration=True, actor=admin_a)
    proposal.refresh_from_db()
    assert proposal.unit_id == other_unit.pk
    assert proposal.snapshot["unit"]["id"] == other_unit.pk


def test_submission_needs_the_declaration(edition, innovation, operator_a, admin_a):
    proposal = at_institution(edition, innovation, operator_a)
    with pytest.raises(DomainError) as refused:
        domain.submit_proposal(proposal, declaration=False, actor=admin_a)
    assert refused.value.field == "declaration"
    assert proposal.state == S.AT_INSTITUTION


def test_only_the_unit_sends_and_only_admin_lokal_submits(
    edition, innovation, operator_a, admin_a, operator_b
):
    proposal = ready_draft(edition, innovation, operator_a)
    for person in (admin_a, operator_b):
        with pytest.raises(PermissionDenied):
            domain.send_to_institution(proposal, actor=person)
    domain.send_to_institution(proposal, actor=operator_a)
    with pytest.raises(PermissionDenied):
        domain.submit_proposal(proposal, declaration=True, actor=operator_a)
    with pytest.raises(PermissionDenied):
        domain.return_to_unit(proposal, note="Catatan yang cukup panjang.", actor=operator_a)


def test_incomplete_proposal_cannot_be_sent_and_every_gap_is_named(edition, innovation, operator_a):
    proposal = domain.create_proposal(
        edition, innovation, group="umum", category="AC4", actor=operator_a
    )
    save(
        proposal, operator_a, answers={"ringkasan": "Hanya ringkasan."}, video_url="", sdg_goals=[]
    )

    with pytest.raises(domain.ProposalBlocked) as blocked:
        domain.send_to_institution(proposal, actor=operator_a)

    codes = blocked.value.codes
    assert "answer_missing(kebaruan)" in codes
    assert "answer_missing(ringkasan)" not in codes
    assert "attachment_missing(sk_inovator)" in codes
    assert "sdg_missing" in codes and "video_missing" in codes
    assert "Bagian Kebaruan / Nilai Tambah belum diisi." in blocked.value.message
    proposal.refresh_from_db()
    assert proposal.state == S.DRAFT


def test_video_longer_than_the_limit_blocks_sending(edition, innovation, operator_a):
    proposal = ready_draft(edition, innovation, operator_a)
    save(proposal, operator_a, video_minutes=Decimal("3.5"))
    with pytest.raises(domain.ProposalBlocked) as blocked:
        domain.send_to_institution(proposal, actor=operator_a)
    assert blocked.value.codes == ["video_too_long(3.5/3)"]


def test_recall_before_close_reopens_the_proposal(edition, innovation, operator_a, admin_a):
    proposal = submitted(edition, innovation, operator_a, admin_a)
    domain.recall_proposal(proposal, actor=admin_a)

    proposal.refresh_from_db()
    assert proposal.state == S.AT_INSTITUTION
    assert proposal.submitted_at is None and proposal.snapshot is None
    assert Subject.objects.get(pk=proposal.subject_id).submitted_at is None
    assert actions(proposal)[-1] == "kipp.proposal.recall"


def test_recall_after_close_is_refused(edition, innovation, operator_a, admin_a):
    proposal = submitted(edition, innovation, operator_a, admin_a)
    edition.registration_close = timezone.now() - dt.timedelta(seconds=1)
    edition.save()
    proposal.edition = edition
    with pytest.raises(DomainError, match="tidak sedang dibuka"):
        domain.recall_proposal(proposal, actor=admin_a)


def test_withdrawing_a_draft_is_immediate(
    edition, innovation, operator_a, admin_a, django_capture_on_commit_callbacks, mailoutbox
):
    proposal = ready_draft(edition, innovation, operator_a)
    with pytest.raises(PermissionDenied):
        domain.withdraw_proposal(proposal, reason="Unit tidak jadi ikut.", actor=operator_a)
    with django_capture_on_commit_callbacks(execute=True):
        domain.withdraw_proposal(proposal, reason="Unit tidak jadi ikut.", actor=admin_a)

    assert proposal.state == S.WITHDRAWN
    assert Subject.objects.get(pk=proposal.subject_id).is_active is False
    assert mailoutbox[-1].to == [operator_a.email]
    # The innovation may be entered again.
    again = domain.create_proposal(
        edition, innovation, group="umum", category="AC4", actor=operator_a
    )
    assert again.pk != proposal.pk


def test_withdrawing_after_submission_needs_the_secretariat(
    edition,
    innovation,
    operator_a,
    admin_a,
    secretariat,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    proposal = submitted(edition, innovation, operator_a, admin_a)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        domain.withdraw_proposal(proposal, reason="Data inovasi ternyata keliru.", actor=admin_a)
    assert proposal.state == S.SUBMITTED
    assert domain.pending_withdrawal(proposal) is not None
    assert mailoutbox[-1].to == [secretariat.email]
    with pytest.raises(DomainError, match="sedang menunggu"):
        domain.withdraw_proposal(proposal, reason="Data inovasi ternyata keliru.", actor=admin_a)
    with pytest.raises(PermissionDenied):
        domain.approve_withdrawal(proposal, actor=admin_a)

    with django_capture_on_commit_callbacks(execute=True):
        domain.approve_withdrawal(proposal, actor=secretariat)
    proposal.refresh_from_db()
    assert proposal.state == S.WITHDRAWN
    assert proposal.state_reason.startswith("Data inovasi ternyata keliru.")
    assert domain.pending_withdrawal(proposal) is None
    assert sorted(mailoutbox[-1].to) == sorted([operator_a.email, admin_a.email])
    assert actions(proposal)[-2:] == [
        "kipp.proposal.withdrawal_requested",
        "kipp.proposal.withdraw",
    ]


def test_secretariat_may_reject_a_withdrawal_request(
    edition, innovation, operator_a, admin_a, secretariat
):
    proposal = submitted(edition, innovation, operator_a, admin_a)
    domain.withdraw_proposal(proposal, reason="Salah pilih kelompok.", actor=admin_a)
    domain.reject_withdrawal(
        proposal, note="Seleksi administrasi sudah berjalan.", actor=secretariat
    )

    assert domain.pending_withdrawal(Proposal.objects.get(pk=proposal.pk)) is None
    with pytest.raises(DomainError, match="Tidak ada permohonan"):
        domain.approve_withdrawal(proposal, actor=secretariat)
    assert Proposal.objects.get(pk=proposal.pk).state == S.SUBMITTED


def test_bumd_passes_through_its_owners_admin_lokal(
    edition, institution_a, admin_a, django_capture_on_commit_callbacks, mailoutbox
):
    bumd = InstitutionFactory(
        kind=InstitutionKind.REGIONAL_ENTERPRISE,
        name="Perumda Air Minum Kota Payakumbuh",
        parent=institution_a,
        region=institution_a.region,
    )
    unit = ServiceUnitFactory(institution=bumd, name="Layanan Pelanggan PDAM")
    operator = person_with_role(Role.UNIT_OPERATOR, unit=unit)
    proposal = ready_draft(edition, innovation_for(unit), operator)

    with django_capture_on_commit_callbacks(execute=True):
        domain.send_to_institution(proposal, actor=operator)
    assert mailoutbox[-1].to == [admin_a.email]
    domain.submit_proposal(proposal, declaration=True, actor=admin_a)

    proposal.refresh_from_db()
    assert proposal.institution_id == bumd.pk  # the BUMD stays the proposing institution
    subject = Subject.objects.get(pk=proposal.subject_id)
    assert (subject.institution_kind, subject.province) == (
        InstitutionKind.REGIONAL_ENTERPRISE,
        "13",
    )


def test_available_actions_follow_role_and_state(
    edition, innovation, operator_a, admin_a, secretariat, operator_b
):
    proposal = ready_draft(edition, innovation, operator_a)
    assert domain.available_actions(operator_a, proposal) == {"edit", "attach", "send"}
    assert domain.available_actions(admin_a, proposal) == {"withdraw"}
    assert domain.available_actions(operator_b, proposal) == set()
    assert domain.available_actions(secretariat, proposal) == set()

    domain.send_to_institution(proposal, actor=operator_a)
    assert domain.available_actions(operator_a, proposal) == set()
    assert domain.available_actions(admin_a, proposal) == {
        "edit",
        "attach",
        "return",
        "submit",
        "withdraw",
    }
    domain.submit_proposal(proposal, declaration=True, actor=admin_a)
    assert domain.available_actions(admin_a, proposal) == {"recall", "withdraw"}
    domain.withdraw_proposal(proposal, reason="Alasan yang cukup jelas.", actor=admin_a)
    assert domain.available_actions(admin_a, proposal) == {"recall"}
    assert domain.available_actions(secretariat, proposal) == {
        "approve_withdrawal",
        "reject_withdrawal",
    }


def test_participant_labels_follow_the_spec():
    assert domain.participant_label(S.DRAFT) == "Draf"
    assert domain.participant_label(S.AT_INSTITUTION) == "Menunggu Admin Lokal"
    assert domain.participant_label(S.RETURNED) == "Perlu perbaikan"
    assert domain.participant_label(S.DESK_REVIEW) == "Dalam penilaian"
    assert domain.participant_label(S.CONFIRMED_FINALIST) == "Finalis"
    assert domain.participant_label(S.WITHDRAWN) == "Ditarik"


def test_over_limit_warning_is_returned_on_save(edition, innovation, operator_a):
    proposal = ready_draft(edition, innovation, operator_a)
    saved = save(proposal, operator_a, answers={**proposal.answers, "ringkasan": words(201)})
    assert len(saved.warnings) == 1
    assert "201 kata" in saved.warnings[0] and "200" in saved.warnings[0]
