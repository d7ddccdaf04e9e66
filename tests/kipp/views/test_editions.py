"""Edition pages: list, create, dashboard, advance, stage settings, extension, amendment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prima.core.models import AuditEntry
from prima.evaluation.domain.catalogue import load_instrument_file
from prima.evaluation.enums import EditionState, StageStatus
from prima.evaluation.models import Edition
from prima.kipp.domain.editions import create_edition, open_registration, rules_for
from tests.conftest import client_for
from tests.kipp.factories import EditionFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
RULES_2025 = ROOT / "editions" / "kipp-2025.yaml"


def edition_2025(secretariat, *, open_it: bool = False) -> Edition:
    instrument = load_instrument_file(ROOT / "instruments" / "kipp-2025.yaml", actor=None)
    edition = create_edition(rules_source=RULES_2025, instrument=instrument, actor=secretariat)
    if open_it:
        open_registration(edition, actor=secretariat)
    return edition


# --------------------------------------------------------------------------- list


def test_list_shows_every_edition_to_the_secretariat(secretariat):
    EditionFactory(title="KIPP Uji Terbuka")
    EditionFactory(title="KIPP Uji Rencana", stages=EditionState.LAUNCHED).stages.update(
        status=StageStatus.PENDING
    )
    Edition.objects.filter(title="KIPP Uji Rencana").update(state=EditionState.PLANNED)

    page = client_for(secretariat).get(reverse("kipp_edition_list")).content.decode()

    assert "KIPP Uji Terbuka" in page and "KIPP Uji Rencana" in page
    assert reverse("kipp_edition_create") in page


def test_participants_see_launched_editions_only(admin_a):
    EditionFactory(title="KIPP Uji Terbuka")
    planned: Any = EditionFactory(title="KIPP Uji Rencana")
    Edition.objects.filter(pk=planned.pk).update(state=EditionState.PLANNED)

    page = client_for(admin_a).get(reverse("kipp_edition_list")).content.decode()

    assert "KIPP Uji Terbuka" in page and "KIPP Uji Rencana" not in page
    assert reverse("kipp_edition_create") not in page


@pytest.mark.parametrize("count", [1, 4])
def test_list_queries_do_not_grow_with_rows(secretariat, count, django_assert_num_queries):
    for _ in range(count):
        EditionFactory()
    client = client_for(secretariat)
    client.get(reverse("kipp_edition_list"))  # warm the session and access caches
    with django_assert_num_queries(5):
        response = client.get(reverse("kipp_edition_list"))
    assert response.status_code == 200


# --------------------------------------------------------------------------- create


def test_create_from_the_repository_files(secretariat):
    response = client_for(secretariat).post(
        reverse("kipp_edition_create"),
        {
            "rules_file": "kipp-2025.yaml",
            "instrument": "file:kipp-2025.yaml",
            "region_3t": "91.01, 94.01",
        },
    )

    edition = Edition.objects.get(code="kipp-2025")
    assert response.status_code == 302
    assert response["Location"] == reverse("kipp_edition_detail", args=["kipp-2025"])
    assert edition.region_3t_codes == ["91.01", "94.01"]
    assert edition.created_by == secretariat


def test_create_from_an_upload_reports_every_problem(secretariat):
    text = RULES_2025.read_text(encoding="utf-8")
    text = text.replace("ordinal: 11", "ordinal: 0").replace(
        "passing_grade: 85", "passing_grade: 185"
    )
    upload = SimpleUploadedFile("kipp-salah.yaml", text.encode("utf-8"))

    response = client_for(secretariat).post(
        reverse("kipp_edition_create"),
        {"rules_upload": upload, "instrument": "file:kipp-2025.yaml"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "edition.ordinal" in page
    assert "desk_evaluation.selection.passing_grade" in page
    assert not Edition.objects.exists()


def test_create_needs_exactly_one_rules_source(secretariat):
    response = client_for(secretariat).post(
        reverse("kipp_edition_create"),
        {
            "rules_file": "kipp-2025.yaml",
            "rules_text": "edition: {}",
            "instrument": "file:kipp-2025.yaml",
        },
    )
    assert "Pilih satu sumber aturan" in response.content.decode()


def test_create_from_pasted_text_with_a_stored_instrument(secretariat):
    instrument = load_instrument_file(ROOT / "instruments" / "kipp-2025.yaml", actor=None)
    response = client_for(secretariat).post(
        reverse("kipp_edition_create"),
        {
            "rules_text": RULES_2025.read_text(encoding="utf-8"),
            "instrument": f"db:{instrument.pk}",
            "title": "KIPP Sebelas",
        },
    )
    assert response.status_code == 302
    assert Edition.objects.get(code="kipp-2025").title == "KIPP Sebelas"


# --------------------------------------------------------------------------- dashboard


def test_dashboard_shows_stages_windows_and_actions(secretariat):
    edition = edition_2025(secretariat)

    page = (
        client_for(secretariat)
        .get(reverse("kipp_edition_detail", args=[edition.code]))
        .content.decode()
    )

    assert "Seleksi administrasi" in page
    assert "04-06-2025 00:00" in page and "27-06-2025 23:59" in page
    assert "Dilewati" in page  # panel stage
    assert "Keputusan boleh diubah" in page
    assert reverse("kipp_edition_advance", args=[edition.code]) in page
    assert reverse("kipp_edition_stage", args=[edition.code, "admin_selection"]) in page
    assert "aturan belum dibekukan" in page
    assert "kipp.edition.create" in page


def test_participants_see_a_read_only_calendar(secretariat, admin_a):
    edition = edition_2025(secretariat, open_it=True)

    page = (
        client_for(admin_a)
        .get(reverse("kipp_edition_detail", args=[edition.code]))
        .content.decode()
    )

    assert "Jadwal" in page and "03-06-2025 23:59" in page
    assert reverse("kipp_edition_advance", args=[edition.code]) not in page
    assert "Keputusan boleh diubah" not in page
    assert "Riwayat aturan" not in page


def test_participants_do_not_see_a_planned_edition(secretariat, operator_a):
    edition = edition_2025(secretariat)
    response = client_for(operator_a).get(reverse("kipp_edition_detail", args=[edition.code]))
    assert response.status_code == 403


def test_advance_asks_for_confirmation_and_a_reason(secretariat):
    edition = edition_2025(secretariat)
    url = reverse("kipp_edition_advance", args=[edition.code])
    client = client_for(secretariat)

    assert "Diluncurkan" in client.get(url).content.decode()
    refused = client.post(url, {"seen_state": "planned", "reason": "Peluncuran"})
    assert refused.status_code == 200
    assert Edition.objects.get(pk=edition.pk).state == EditionState.PLANNED

    done = client.post(url, {"seen_state": "planned", "reason": "Peluncuran", "confirm": "on"})

    assert done.status_code == 302
    assert Edition.objects.get(pk=edition.pk).state == EditionState.LAUNCHED


def test_advance_from_a_stale_page_is_refused(secretariat):
    edition = edition_2025(secretariat)
    url = reverse("kipp_edition_advance", args=[edition.code])
    client = client_for(secretariat)
    client.post(url, {"seen_state": "planned", "reason": "Peluncuran", "confirm": "on"})

    response = client.post(url, {"seen_state": "planned", "reason": "Lagi", "confirm": "on"})

    assert "sudah berubah" in response.content.decode()
    assert Edition.objects.get(pk=edition.pk).state == EditionState.LAUNCHED


def test_stage_window_and_flags_are_edited_for_a_pending_stage(secretariat):
    edition = edition_2025(secretariat)
    url = reverse("kipp_edition_stage", args=[edition.code, "desk_evaluation"])

    response = client_for(secretariat).post(
        url,
        {
            "starts_at": "2025-07-01T08:00",
            "ends_at": "2025-07-20T17:00",
            "assessors_score": "on",
            "others_scores_visible": "on",
            "decisions_open": "on",
            "scoring": "sections",
            "assessor_role": "evaluator",
            "reason": "Jadwal TE disesuaikan",
        },
    )

    assert response.status_code == 302
    stage = edition.stages.get(code="desk_evaluation")
    assert stage.starts_at is not None
    assert stage.starts_at.isoformat() == "2025-07-01T01:00:00+00:00"
    assert stage.identities_visible is False
    assert stage.others_scores_visible is True
    assert AuditEntry.objects.filter(action="evaluation.stage.window").exists()
    assert AuditEntry.objects.filter(action="evaluation.stage.flags").exists()


def test_extension_form_records_the_letter(secretariat):
    edition = edition_2025(secretariat, open_it=True)
    client = client_for(secretariat)

    response = client.post(
        reverse("kipp_edition_extend", args=[edition.code]),
        {
            "new_close": "2025-06-04T23:59",
            "letter_no": "B/130/PP.00.05/2025",
            "letter_date": "2025-06-02",
        },
    )

    assert response.status_code == 302
    page = client.get(reverse("kipp_edition_detail", args=[edition.code])).content.decode()
    assert "B/130/PP.00.05/2025" in page
    assert "semula 03-06-2025 23:59" in page


def test_extension_errors_show_on_the_form(secretariat):
    edition = edition_2025(secretariat, open_it=True)
    response = client_for(secretariat).post(
        reverse("kipp_edition_extend", args=[edition.code]),
        {"new_close": "2025-06-04T23:59", "letter_no": "surat 130", "letter_date": "2025-06-02"},
    )
    assert response.status_code == 200
    assert "tidak sesuai pola" in response.content.decode()


def test_amendment_form_changes_values_with_a_reason(secretariat):
    edition = edition_2025(secretariat, open_it=True)
    client = client_for(secretariat)
    url = reverse("kipp_edition_amend", args=[edition.code])

    missing = client.post(url, {"changes": "tiers[1].size: 40", "reason": ""})
    assert "amandemen" in missing.content.decode()

    done = client.post(
        url,
        {
            "changes": "tiers[1].size: 40\ndesk_evaluation.disagreement_range: 12.5",
            "reason": "Hasil rapat koordinasi",
        },
    )

    assert done.status_code == 302
    rules = rules_for(Edition.objects.get(pk=edition.pk))
    assert rules.tier("top45").size == 40
    assert str(rules.desk_evaluation.disagreement_range) == "12.5"
    page = client.get(reverse("kipp_edition_detail", args=[edition.code])).content.decode()
    assert "Hasil rapat koordinasi" in page and "tiers[1].size" in page


def test_amendment_form_names_bad_yaml(secretariat):
    edition = edition_2025(secretariat)
    response = client_for(secretariat).post(
        reverse("kipp_edition_amend", args=[edition.code]),
        {"changes": "- bukan pemetaan", "reason": ""},
    )
    assert "alamat: nilai" in response.content.decode()


def test_dates_on_the_page_are_wib(secretariat):
    edition = edition_2025(secretariat)
    stage = edition.stages.get(code="registration_open")
    assert stage.ends_at == dt.datetime(2025, 6, 3, 16, 59, 59, tzinfo=dt.UTC)
