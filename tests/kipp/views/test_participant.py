"""Participant pages: "Proposal saya", create, edit with word counters, attachments, detail
with history, and the transition buttons with their confirmations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.kipp.domain import proposals as domain
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import Proposal
from tests.conftest import client_for
from tests.factories import InnovationFactory
from tests.kipp.domain.test_proposals_support import (
    at_institution,
    edition_2021,
    edition_2025,
    full_answers,
    innovation_for,
    pdf,
    ready_draft,
    submitted,
    words,
)
from tests.kipp.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return edition_2025()


@pytest.fixture
def draft(edition, unit_a, operator_a):
    return ready_draft(edition, innovation_for(unit_a, name="SITARANG"), operator_a)


def form_data(proposal: Proposal, **changes) -> dict:
    data = {f"answer_{code}": text for code, text in proposal.answers.items()}
    data.update(
        category=proposal.category,
        sdg_goals=[str(g) for g in proposal.sdg_goals],
        video_url=proposal.video_url,
        video_minutes=str(proposal.video_minutes),
        version=proposal.version,
    )
    data.update(changes)
    return data


# --------------------------------------------------------------------------- the list


def test_operator_lists_only_their_units_proposals(edition, draft, unit_b, operator_a):
    ready_draft(edition, innovation_for(unit_b, name="Klampid"), _operator_b(unit_b))
    response = client_for(operator_a).get(reverse("kipp_proposal_list"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "SITARANG" in body and "Klampid" not in body
    assert "Draf" in body


def _operator_b(unit_b):
    from prima.core.enums import Role
    from tests.factories import person_with_role

    return person_with_role(Role.UNIT_OPERATOR, unit=unit_b)


def test_admin_lokal_sees_quota_use_per_group(unit_a, operator_a, admin_a, institution_a):
    edition = edition_2021()
    for _ in range(9):
        ProposalFactory(
            edition=edition, innovation=innovation_for(unit_a), group="umum", state=S.SUBMITTED
        )
    response = client_for(admin_a).get(reverse("kipp_proposal_list"), {"edition": edition.code})

    body = response.content.decode()
    assert "umum 9/10" in body
    assert "replikasi 0/5" in body
    assert institution_a.name in body


def test_participants_filter_on_what_they_see(edition, unit_a, admin_a, secretariat):
    # Failed the admin check, not yet announced: the participant still sees "Diajukan".
    ProposalFactory(
        edition=edition,
        innovation=innovation_for(unit_a, name="Belum Diumumkan"),
        state=S.ADMIN_FAILED,
        participant_state=S.SUBMITTED,
    )
    url = reverse("kipp_proposal_list")
    hidden = client_for(admin_a).get(url, {"edition": edition.code, "state": "admin_failed"})
    shown = client_for(admin_a).get(url, {"edition": edition.code, "state": "submitted"})
    national = client_for(secretariat).get(url, {"edition": edition.code, "state": "admin_failed"})

    assert "Belum Diumumkan" not in hidden.content.decode()
    assert "Belum Diumumkan" in shown.content.decode()
    assert '<span class="badge text-bg-secondary">Diajukan</span>' in shown.content.decode()
    assert "Belum Diumumkan" in national.content.decode()


def test_group_filter(edition, unit_a, admin_a):
    ProposalFactory(edition=edition, innovation=innovation_for(unit_a, name="Umum Satu"))
    ProposalFactory(
        edition=edition, innovation=innovation_for(unit_a, name="Replika Satu"), group="replikasi"
    )
    response = client_for(admin_a).get(
        reverse("kipp_proposal_list"), {"edition": edition.code, "group": "replikasi"}
    )
    body = response.content.decode()
    assert "Replika Satu" in body and "Umum Satu" not in body


@pytest.mark.parametrize("rows", [1, 4])
def test_list_query_count_does_not_grow_with_rows(
    rows, edition, unit_a, admin_a, django_assert_num_queries
):
    for _ in range(rows):
        ProposalFactory(edition=edition, innovation=innovation_for(unit_a))
    client = client_for(admin_a)
    url = reverse("kipp_proposal_list")
    client.get(url)  # warm the session
    # session, person, memberships, editions, open editions, quota, count, rows,
    # can-create (innovations, stage)
    with django_assert_num_queries(10):
        response = client.get(url, {"edition": edition.code})
    assert response.status_code == 200
    assert response.content.decode().count("/kipp/proposal/") >= rows


# --------------------------------------------------------------------------- creating


def test_create_page_offers_only_unproposed_innovations(edition, draft, unit_a, operator_a):
    other = innovation_for(unit_a, name="Klinik Berhenti Merokok")
    client = client_for(operator_a)
    url = reverse("kipp_proposal_create") + f"?edition={edition.code}"
    page = client.get(url).content.decode()
    assert "Klinik Berhenti Merokok" in page
    assert f'value="{draft.innovation_id}"' not in page

    response = client.post(url, {"innovation": other.pk, "group": "umum", "category": "AC4"})
    proposal = Proposal.objects.get(innovation=other)
    assert response.status_code == 302
    assert response["Location"] == reverse("kipp_proposal_edit", args=[proposal.pk])


def test_create_shows_field_errors(edition, unit_a, operator_a):
    innovation = innovation_for(unit_a)
    url = reverse("kipp_proposal_create") + f"?edition={edition.code}"
    response = client_for(operator_a).post(url, {"innovation": innovation.pk, "group": "umum"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not Proposal.objects.exists()


# --------------------------------------------------------------------------- editing


def test_edit_page_has_a_counter_per_visible_section(draft, operator_a):
    response = client_for(operator_a).get(reverse("kipp_proposal_edit", args=[draft.pk]))
    body = response.content.decode()

    assert response.status_code == 200
    assert "kipp/wordcount.js" in body
    assert 'data-max-words="300"' in body  # Adaptabilitas, Latar Belakang
    assert "id_answer_adaptabilitas_counter" in body
    assert "Faktor Pembeda" not in body  # replikasi only


def test_saving_over_the_limit_warns_and_keeps_the_draft(draft, operator_a):
    client = client_for(operator_a)
    url = reverse("kipp_proposal_edit", args=[draft.pk])
    response = client.post(url, form_data(draft, answer_adaptabilitas=words(301)), follow=True)
    body = response.content.decode()
    assert "301 kata" in body and "belum dapat dikirim" in body
    draft.refresh_from_db()
    assert draft.answers["adaptabilitas"] == words(301)


def test_stale_version_gets_409_and_keeps_the_newer_text(draft, operator_a):
    client = client_for(operator_a)
    url = reverse("kipp_proposal_edit", args=[draft.pk])
    old = form_data(draft)
    client.post(url, {**old, "answer_ringkasan": "Versi pertama."})
    response = client.post(url, {**old, "answer_ringkasan": "Versi kedua dari tab lama."})

    assert response.status_code == 409
    assert "Buka versi terbaru" in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers["ringkasan"] == "Versi pertama."


def test_domain_error_lands_on_its_field(draft, operator_a):
    response = client_for(operator_a).post(
        reverse("kipp_proposal_edit", args=[draft.pk]),
        form_data(draft, video_minutes="2.75"),
    )
    assert response.status_code == 200
    assert 'id="id_video_minutes"' in response.content.decode()
    assert "is-invalid" in response.content.decode()


# --------------------------------------------------------------------------- attachments


def test_upload_and_remove_an_attachment(draft, operator_a):
    client = client_for(operator_a)
    url = reverse("kipp_proposal_attachments", args=[draft.pk])
    response = client.post(url, {"kind": "dokumen_evaluasi", "file": pdf("evaluasi.pdf")})
    assert response.status_code == 302
    attachment = draft.attachments.get(kind="dokumen_evaluasi")

    download = client.get(
        reverse("kipp_proposal_attachment_download", args=[draft.pk, attachment.pk])
    )
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    client.post(reverse("kipp_proposal_attachment_remove", args=[draft.pk, attachment.pk]))
    assert not draft.attachments.filter(kind="dokumen_evaluasi").exists()


def test_wrong_file_type_is_a_field_error(draft, operator_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile(
        "laporan.pdf", b"<html>bukan pdf</html>", content_type="application/pdf"
    )
    response = client_for(operator_a).post(
        reverse("kipp_proposal_attachments", args=[draft.pk]), {"kind": "lainnya", "file": fake}
    )
    assert response.status_code == 200
    assert "Jenis berkas tidak diterima" in response.content.decode()


# --------------------------------------------------------------------------- transitions


def test_send_needs_confirmation_and_lists_gaps(edition, unit_a, operator_a):
    proposal = domain.create_proposal(
        edition, innovation_for(unit_a), group="umum", category="AC4", actor=operator_a
    )
    client = client_for(operator_a)
    url = reverse("kipp_proposal_send", args=[proposal.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Proposal belum lengkap" in confirm.content.decode()

    refused = client.post(url)
    assert refused.status_code == 422
    assert "Bagian Ringkasan belum diisi." in refused.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).state == S.DRAFT


def test_the_whole_flow_through_the_pages(draft, operator_a, admin_a, secretariat):
    operator, admin = client_for(operator_a), client_for(admin_a)
    detail = reverse("kipp_proposal_detail", args=[draft.pk])

    assert operator.post(reverse("kipp_proposal_send", args=[draft.pk]))["Location"] == detail
    page = admin.get(detail).content.decode()
    assert "Menunggu Admin Lokal" in page and "Ajukan ke sekretariat" in page

    short = admin.post(reverse("kipp_proposal_return", args=[draft.pk]), {"note": "kurang"})
    assert short.status_code == 200 and "invalid-feedback" in short.content.decode()
    admin.post(
        reverse("kipp_proposal_return", args=[draft.pk]),
        {"note": "Tambahkan data sebelum dan sesudah."},
    )
    page = operator.get(detail).content.decode()
    assert "Perlu perbaikan" in page and "Tambahkan data sebelum dan sesudah." in page

    operator.post(reverse("kipp_proposal_send", args=[draft.pk]))
    submit = reverse("kipp_proposal_submit", args=[draft.pk])
    checks = admin.get(submit).content.decode()
    assert "Usia implementasi" in checks  # the §9 pre-checks are shown before submitting
    unticked = admin.post(submit, {})
    assert "Centang pernyataan kebenaran data" in unticked.content.decode()
    admin.post(submit, {"declaration": "on"})
    draft.refresh_from_db()
    assert draft.state == S.SUBMITTED

    admin.post(
        reverse("kipp_proposal_withdraw", args=[draft.pk]), {"reason": "Data keliru sekali."}
    )
    assert "menunggu persetujuan sekretariat" in admin.get(detail).content.decode()
    client_for(secretariat).post(reverse("kipp_proposal_withdrawal_approve", args=[draft.pk]), {})
    draft.refresh_from_db()
    assert draft.state == S.WITHDRAWN


def test_recall_through_the_page(edition, unit_a, operator_a, admin_a):
    proposal = submitted(edition, innovation_for(unit_a), operator_a, admin_a)
    response = client_for(admin_a).post(reverse("kipp_proposal_recall", args=[proposal.pk]), {})
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).state == S.AT_INSTITUTION


def test_history_hides_unannounced_results(edition, unit_a, operator_a, admin_a, secretariat):
    proposal = submitted(edition, innovation_for(unit_a), operator_a, admin_a)
    from django.db import transaction

    from prima.kipp.domain.transitions import move

    with transaction.atomic():
        move(
            proposal,
            S.ADMIN_FAILED,
            actor=secretariat,
            allowed_from=[S.SUBMITTED],
            reason="incomplete",
        )

    page = client_for(admin_a).get(reverse("kipp_proposal_detail", args=[proposal.pk]))
    body = page.content.decode()
    assert "Diajukan" in body
    assert "Tidak lolos" not in body and "incomplete" not in body
    national = client_for(secretariat).get(reverse("kipp_proposal_detail", args=[proposal.pk]))
    assert "Tidak lolos seleksi administrasi" in national.content.decode()


def test_buttons_match_the_persons_actions(edition, draft, admin_a, operator_a):
    operator_page = client_for(operator_a).get(reverse("kipp_proposal_detail", args=[draft.pk]))
    admin_page = client_for(admin_a).get(reverse("kipp_proposal_detail", args=[draft.pk]))
    assert reverse("kipp_proposal_send", args=[draft.pk]) in operator_page.content.decode()
    assert reverse("kipp_proposal_send", args=[draft.pk]) not in admin_page.content.decode()
    assert reverse("kipp_proposal_withdraw", args=[draft.pk]) in admin_page.content.decode()


def test_detail_shows_word_counts(edition, unit_a, operator_a):
    proposal = at_institution(edition, innovation_for(unit_a), operator_a)
    body = client_for(operator_a).get(reverse("kipp_proposal_detail", args=[proposal.pk]))
    assert "dari 200 kata" in body.content.decode()
    assert full_answers(proposal)["ringkasan"] in body.content.decode()


def test_bumd_proposal_is_on_the_owners_admin_page(edition, institution_a, admin_a):
    from prima.core.enums import InstitutionKind
    from tests.factories import InstitutionFactory, ServiceUnitFactory

    bumd = InstitutionFactory(
        kind=InstitutionKind.REGIONAL_ENTERPRISE, parent=institution_a, region=institution_a.region
    )
    unit = ServiceUnitFactory(institution=bumd)
    ProposalFactory(
        edition=edition, innovation=InnovationFactory(unit=unit, name="Air Bersih BUMD")
    )
    body = client_for(admin_a).get(reverse("kipp_proposal_list")).content.decode()
    assert "Air Bersih BUMD" in body
    assert bumd.name in body  # its own quota row
