"""The SPBE form on the pages: the edit page's section after the instrument sections, the
read-only proposal pages, the administrative check (detail, flag, export) and the
assessor's sheet, which hides the application's name and address while the stage is blind."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from prima.evaluation.enums import EditionState
from prima.kipp.domain import proposals as domain
from prima.kipp.domain.admin_check import start_admin_check
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import Proposal
from tests.conftest import client_for
from tests.kipp.domain.test_admin_check import admin_edition
from tests.kipp.domain.test_admin_check import submitted as submitted_in_check
from tests.kipp.domain.test_proposals_support import (
    SPBE_APP,
    edition_2021,
    edition_2025,
    innovation_for,
    ready_draft,
    save,
)
from tests.kipp.factories import EditionFactory, instrument_from_file, rules_from_file
from tests.kipp.views.test_assessor_helpers import api, appoint, assign, stage_of
from tests.kipp.views.test_assessor_helpers import submitted as submitted_for_review

pytestmark = pytest.mark.django_db

APP_NAME = SPBE_APP["nama_aplikasi"]
APP_URL = SPBE_APP["alamat_akses"]


@pytest.fixture
def draft(unit_a, operator_a):
    return ready_draft(edition_2025(), innovation_for(unit_a, name="SITARANG"), operator_a)


def edit_data(proposal: Proposal, spbe: dict) -> dict:
    """What the edit page posts: every section, the SPBE fields, the other data."""
    data: dict = {f"answer_{code}": text for code, text in proposal.answers.items()}
    for code, value in spbe.items():
        data[f"extra_spbe_{code}"] = value
    data.update(
        category=proposal.category,
        sdg_goals=[str(g) for g in proposal.sdg_goals],
        video_url=proposal.video_url,
        video_minutes=str(proposal.video_minutes),
        version=proposal.version,
    )
    return data


# --------------------------------------------------------------------------- editing


def test_edit_page_shows_the_spbe_form_after_the_sections(draft, operator_a):
    page = client_for(operator_a).get(reverse("kipp_proposal_edit", args=[draft.pk]))
    text = page.content.decode()

    sections = text.index("Jawaban per bagian")
    spbe = text.index("Formulir SPBE (Sistem Pemerintahan Berbasis Elektronik)")
    other = text.index("Data lain")
    assert sections < spbe < other
    assert re.search(
        r'type="radio" name="extra_spbe_berbasis_elektronik" value="ya"[^>]*checked', text
    )
    assert re.search(
        r'type="checkbox" name="extra_spbe_platform" value="android"[^>]*checked', text
    )
    assert f'value="{APP_NAME}"' in text
    assert (
        "Wajib bila «Apakah inovasi ini berbasis aplikasi atau layanan elektronik?» dijawab «Ya»."
        in text
    )


def test_edit_page_of_an_edition_without_extra_forms_has_no_spbe(unit_a, operator_a):
    proposal = ready_draft(edition_2021(), innovation_for(unit_a), operator_a)
    page = client_for(operator_a).get(reverse("kipp_proposal_edit", args=[proposal.pk]))
    assert "Formulir SPBE" not in page.content.decode()


def test_the_page_saves_the_answers(draft, operator_a):
    answers = {
        "berbasis_elektronik": "ya",
        "nama_aplikasi": "SITARANG Web",
        "alamat_akses": "https://sitarang.contoh.go.id",
        "platform": ["web", "lainnya"],
        "platform_lainnya": "Kios layanan mandiri",
        "pengelola": "pihak_ketiga",
        "hosting": "pdn",
        "data_pribadi": "tidak",
        "uji_keamanan": "tidak",
    }
    response = client_for(operator_a).post(
        reverse("kipp_proposal_edit", args=[draft.pk]), edit_data(draft, answers)
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.extra_answers == {"spbe": answers}


def test_a_wrong_answer_lands_on_its_question_and_nothing_is_saved(draft, operator_a):
    spbe = {**SPBE_APP, "alamat_akses": "sitarang.go.id", "nama_aplikasi": "Nama Baru"}
    response = client_for(operator_a).post(
        reverse("kipp_proposal_edit", args=[draft.pk]), edit_data(draft, spbe)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["extra_spbe_alamat_akses"]
    assert (
        "isi alamat web yang diawali http:// atau https://" in errors["extra_spbe_alamat_akses"][0]
    )
    draft.refresh_from_db()
    assert draft.extra_answers["spbe"]["nama_aplikasi"] == APP_NAME


def test_send_confirmation_lists_the_missing_spbe_questions(draft, operator_a):
    save(draft, operator_a, extra_answers={"spbe": {"berbasis_elektronik": "ya"}})
    client = client_for(operator_a)

    confirm = client.get(reverse("kipp_proposal_send", args=[draft.pk])).content.decode()
    refused = client.post(reverse("kipp_proposal_send", args=[draft.pk]))

    assert "Formulir SPBE: pertanyaan «Pengelola aplikasi» belum dijawab." in confirm
    assert refused.status_code == 422
    assert "«Alamat akses (situs web atau tautan toko aplikasi)» belum dijawab" in (
        refused.content.decode()
    )
    assert Proposal.objects.get(pk=draft.pk).state == S.DRAFT


# --------------------------------------------------------------------------- reading


def test_detail_shows_the_answers_to_operator_and_admin_lokal(draft, operator_a, admin_a):
    domain.send_to_institution(draft, actor=operator_a)
    for person in (operator_a, admin_a):
        text = client_for(person).get(reverse("kipp_proposal_detail", args=[draft.pk])).content
        page = text.decode()
        assert "Formulir SPBE (Sistem Pemerintahan Berbasis Elektronik)" in page
        assert APP_NAME in page and f'href="{APP_URL}"' in page
        assert "Web, Android" in page and "Pusat data milik instansi" in page
        assert "Interoperabilitas melalui SPLP" in page


# --------------------------------------------------------------------------- admin check


@pytest.fixture
def check_edition(secretariat, unit_a, unit_b):
    edition = admin_edition()
    complete = submitted_in_check(edition, unit=unit_a, title="Bank Sampah Sekolah")
    complete.extra_answers = {"spbe": SPBE_APP}
    complete.snapshot = domain.build_snapshot(complete)
    complete.save(update_fields=["extra_answers", "snapshot"])
    partial = submitted_in_check(edition, unit=unit_b, title="Izin Usaha Sehari")
    partial.extra_answers = {"spbe": {"berbasis_elektronik": "ya", "nama_aplikasi": "IUS"}}
    partial.snapshot = domain.build_snapshot(partial)
    partial.save(update_fields=["extra_answers", "snapshot"])
    start_admin_check(edition, actor=secretariat)
    return edition


def test_admin_check_detail_flags_an_incomplete_form_and_shows_the_answers(
    check_edition, secretariat
):
    client = client_for(secretariat)
    partial = Proposal.objects.get(title="Izin Usaha Sehari")
    complete = Proposal.objects.get(title="Bank Sampah Sekolah")

    flagged = client.get(
        reverse("kipp_admin_check_detail", args=[check_edition.code, partial.pk])
    ).content.decode()
    clean = client.get(
        reverse("kipp_admin_check_detail", args=[check_edition.code, complete.pk])
    ).content.decode()

    assert "form_spbe" in flagged and "SPBE belum lengkap: «Alamat akses" in flagged
    assert "IUS" in flagged
    assert "Formulir SPBE lengkap." in clean and APP_NAME in clean and "Web, Android" in clean
    # The failed check suggests the «incomplete» reason for the decision.
    form = client.get(
        reverse("kipp_admin_check_detail", args=[check_edition.code, partial.pk])
    ).context["form"]
    assert "incomplete" in form.initial["reasons"]


def test_export_has_a_column_per_spbe_question(check_edition, secretariat):
    response = client_for(secretariat).get(
        reverse("kipp_admin_check_export", args=[check_edition.code]), {"format": "xlsx"}
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))

    header = list(rows[0])
    first = header.index("SPBE: Apakah inovasi ini berbasis aplikasi atau layanan elektronik?")
    assert header[first:] == [
        "SPBE: Apakah inovasi ini berbasis aplikasi atau layanan elektronik?",
        "SPBE: Nama aplikasi atau layanan elektronik",
        "SPBE: Alamat akses (situs web atau tautan toko aplikasi)",
        "SPBE: Platform",
        "SPBE: Platform lainnya",
        "SPBE: Pengelola aplikasi",
        "SPBE: Tempat aplikasi dan datanya dijalankan (hosting)",
        "SPBE: Hosting lainnya",
        "SPBE: Integrasi dengan layanan nasional",
        "SPBE: Apakah aplikasi memproses data pribadi pengguna?",
        "SPBE: Bagaimana data pribadi tersebut dilindungi?",
        "SPBE: Apakah sudah dilakukan penilaian keamanan atau uji penetrasi aplikasi?",
        "SPBE: Tahun penilaian keamanan atau uji penetrasi terakhir",
    ]
    by_title = {row[1]: row[first:] for row in rows[1:]}
    complete = by_title["Bank Sampah Sekolah"]
    assert complete[:4] == ("Ya", APP_NAME, APP_URL, "Web, Android")
    assert complete[8] == "Interoperabilitas melalui SPLP"
    assert complete[12] == 2021
    assert by_title["Izin Usaha Sehari"][:3] == ("Ya", "IUS", None)


def test_export_of_an_edition_without_extra_forms_has_no_spbe_column(secretariat, unit_a):
    edition = admin_edition(
        year=2021,
        ordinal=8,
        rules=rules_from_file("kipp-2021.yaml"),
        instrument=instrument_from_file("kipp-2021.yaml"),
    )
    response = client_for(secretariat).get(
        reverse("kipp_admin_check_export", args=[edition.code]), {"format": "csv"}
    )
    assert "SPBE" not in response.content.decode("utf-8-sig")


# --------------------------------------------------------------------------- assessors


@pytest.fixture
def review(unit_a, evaluator):
    """A proposal with a complete SPBE form assigned to the evaluator in the blind desk stage."""
    edition = EditionFactory(stages=EditionState.DESK_EVALUATION)
    proposal = submitted_for_review(
        edition, unit_a, title="Layanan Kesehatan Keliling", extra_answers={"spbe": SPBE_APP}
    )
    return assign(proposal, appoint(edition, evaluator))


def sheet(assignment) -> str:
    return reverse("kipp_assessor_sheet", args=[assignment.stage.edition.code, assignment.pk])


def test_blind_sheet_hides_the_app_name_and_address(review, evaluator):
    text = client_for(evaluator).get(sheet(review)).content.decode()

    assert "Formulir SPBE (Sistem Pemerintahan Berbasis Elektronik)" in text
    assert APP_NAME not in text and APP_URL not in text and "payakumbuhkota" not in text
    assert text.count("Disembunyikan selama penilaian tanpa identitas.") == 2
    assert "Web, Android" in text and "Pusat data milik instansi" in text


def test_a_stage_showing_identities_shows_them(review, evaluator):
    stage = stage_of(review.stage.edition)
    stage.identities_visible = True
    stage.save(update_fields=["identities_visible"])

    text = client_for(evaluator).get(sheet(review)).content.decode()

    assert APP_NAME in text and APP_URL in text
    assert "Disembunyikan selama penilaian tanpa identitas." not in text


def test_assessor_api_hides_the_same_answers(review, evaluator):
    client, headers = api(evaluator)
    response = client.get(f"/api/v1/kipp/assessor/assignments/{review.pk}", **headers)

    assert response.status_code == 200
    assert APP_NAME not in response.content.decode()
    assert APP_URL not in response.content.decode()
    (form,) = response.json()["proposal"]["extra_forms"]
    answers = {a["code"]: a for a in form["answers"]}
    assert form["code"] == "spbe"
    assert answers["nama_aplikasi"] == {
        "code": "nama_aplikasi",
        "label": "Nama aplikasi atau layanan elektronik",
        "text": "",
        "hidden": True,
    }
    assert answers["platform"]["text"] == "Web, Android" and not answers["platform"]["hidden"]
