"""The follow-up plan pages (skm.md §8): what operators do and what readers see."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from prima.core.enums import Role
from prima.skm.enums import RtlStatus, SurveyState
from prima.skm.models import FollowUpItem, FollowUpPlan
from tests.conftest import client_for
from tests.factories import SurveyFactory, person_with_role
from tests.skm.follow_up_helpers import PDF, calculated_survey, plan_with_items

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def survey(unit_a):
    return calculated_survey(unit_a)


def page(person, survey, **params):
    return client_for(person).get(reverse("skm_follow_up", args=[survey.pk]), params)


def item_post(**given):
    return {
        "elements": ["U8"],
        "service_code": "",
        "problem": "Pengaduan lambat dijawab",
        "action": "Petugas pengaduan harian",
        "owner": "Kepala Seksi",
        "planned_start": "2025-07-01",
        "planned_end": "2025-09-30",
        **given,
    }


def test_before_a_plan_the_page_proposes_priorities_and_starts_with_drafts(survey, operator_a):
    response = page(operator_a, survey)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="priorities"' in html
    assert html.index("U8 — Penanganan pengaduan") < html.index("U3 — Waktu penyelesaian")
    assert "Mulai rencana tindak lanjut" in html

    started = client_for(operator_a).post(
        reverse("skm_follow_up_start", args=[survey.pk]), {"draft_priorities": "on"}
    )
    assert started.status_code == 302
    plan = FollowUpPlan.objects.get(survey=survey)
    assert [i.elements for i in plan.items.all()] == [["U8"], ["U3"], ["U9"]]
    html = page(operator_a, survey).content.decode()
    assert "belum diisi" in html  # the drafts still lack action and owner
    assert "Draf" in html


def test_a_collecting_survey_cannot_start_a_plan(unit_a, operator_a):
    survey = SurveyFactory(unit=unit_a, state=SurveyState.COLLECTING)
    html = page(operator_a, survey).content.decode()
    assert "setelah hasil survei dihitung" in html
    assert "Mulai rencana tindak lanjut" not in html
    client_for(operator_a).post(reverse("skm_follow_up_start", args=[survey.pk]))
    assert not FollowUpPlan.objects.exists()


def test_add_edit_status_and_adopt_through_the_pages(survey, operator_a):
    client = client_for(operator_a)
    client.post(reverse("skm_follow_up_start", args=[survey.pk]))
    add_url = reverse("skm_follow_up_item_add", args=[survey.pk])

    refused = client.post(add_url, item_post(planned_end="2025-06-01"))
    assert refused.status_code == 200
    assert "tidak boleh sebelum rencana mulai" in refused.content.decode()
    assert not FollowUpItem.objects.exists()

    assert client.post(add_url, item_post()).status_code == 302
    row = FollowUpItem.objects.get()

    edit_url = reverse("skm_follow_up_item_edit", args=[survey.pk, row.pk])
    assert client.post(edit_url, item_post(owner="Sekretaris", version=1)).status_code == 302
    stale = client.post(edit_url, item_post(owner="Kepala Dinas", version=1))
    assert stale.status_code == 409
    assert "diubah orang lain" in stale.content.decode()
    row.refresh_from_db()
    assert (row.owner, row.version) == ("Sekretaris", 2)

    status_url = reverse("skm_follow_up_item_status", args=[survey.pk, row.pk])
    missing_date = client.post(status_url, {"status": "DONE", "version": 2})
    assert "Isi tanggal terealisasi" in missing_date.content.decode()
    done = client.post(
        status_url,
        {
            "status": "DONE",
            "realised_on": TODAY.isoformat(),
            "evidence_note": "Surat tugas petugas",
            "evidence": SimpleUploadedFile("surat.pdf", PDF, "application/pdf"),
            "version": 2,
        },
    )
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.status == RtlStatus.DONE and row.evidence

    adopt_url = reverse("skm_follow_up_adopt", args=[survey.pk])
    assert client.get(adopt_url).status_code == 200
    adopted = client.post(
        adopt_url, {"adopted_on": TODAY.isoformat(), "decree_number": "800/45/2025"}
    )
    assert adopted.status_code == 302

    html = page(operator_a, survey).content.decode()
    assert "800/45/2025" in html
    assert 'data-testid="rtl-realised-pct">100,00%' in html
    assert 'data-status="DONE"' in html
    assert reverse("skm_follow_up_evidence", args=[survey.pk, row.pk]) in html
    # An adopted plan keeps its items: no remove button any more.
    assert reverse("skm_follow_up_item_remove", args=[survey.pk, row.pk]) not in html


def test_a_wrong_evidence_file_is_refused_on_the_form(survey, operator_a):
    plan = plan_with_items(survey, [RtlStatus.PLANNED], adopted_on=None)
    row = plan.items.get()
    response = client_for(operator_a).post(
        reverse("skm_follow_up_item_status", args=[survey.pk, row.pk]),
        {
            "status": "IN_PROGRESS",
            "version": 1,
            "evidence": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "Jenis berkas tidak diterima" in response.content.decode()
    row.refresh_from_db()
    assert row.status == RtlStatus.PLANNED


def test_remove_a_draft_item(survey, operator_a):
    plan = plan_with_items(survey, [RtlStatus.PLANNED] * 2, adopted_on=None)
    first = plan.items.first()
    response = client_for(operator_a).post(
        reverse("skm_follow_up_item_remove", args=[survey.pk, first.pk]), {"version": 1}
    )
    assert response.status_code == 302
    assert plan.items.count() == 1


def test_evidence_is_served_only_to_readers_of_the_survey(
    survey, operator_a, operator_b, institution_a
):
    plan = plan_with_items(survey, [RtlStatus.IN_PROGRESS], adopted_on=None)
    row = plan.items.get()
    client_for(operator_a).post(
        reverse("skm_follow_up_item_status", args=[survey.pk, row.pk]),
        {
            "status": "IN_PROGRESS",
            "version": 1,
            "evidence": SimpleUploadedFile("bukti.pdf", PDF, "application/pdf"),
        },
    )
    url = reverse("skm_follow_up_evidence", args=[survey.pk, row.pk])
    analyst = person_with_role(Role.ANALYST, institution=institution_a)
    served = client_for(analyst).get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content).startswith(b"%PDF")
    assert served["Cache-Control"] == "private, no-store"
    assert client_for(operator_b).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_readers_see_the_plan_without_actions(survey, institution_a):
    plan_with_items(survey, [RtlStatus.DONE, RtlStatus.PLANNED], realised=dt.date(2025, 7, 9))
    viewer = person_with_role(Role.VIEWER, institution=institution_a)
    html = page(viewer, survey).content.decode()
    assert 'data-testid="rtl-realised-pct">50,00%' in html
    assert "Tambah butir" not in html
    assert "Tetapkan rencana" not in html


def test_export_csv_and_xlsx(survey, operator_a):
    plan_with_items(survey, [RtlStatus.DONE, RtlStatus.CANCELLED], realised=dt.date(2025, 7, 9))
    response = page(operator_a, survey, unduh="csv")
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["no", "unsur", "kode_layanan"]
    assert rows[1][8:10] == ["DONE", "2025-07-09"]
    assert rows[2][8] == "CANCELLED" and rows[2][10] == "Anggaran dialihkan"

    xlsx = page(operator_a, survey, unduh="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 3
    assert values[1][8] == "DONE"


@pytest.mark.parametrize("fmt", ["", "csv"])
def test_query_count_does_not_grow_with_items(
    survey, unit_b, operator_a, django_assert_num_queries, fmt
):
    """Two items or fifteen: the page (and its download) issue the same queries."""
    other = calculated_survey(unit_b)
    plan_with_items(survey, [RtlStatus.DONE, RtlStatus.PLANNED], realised=dt.date(2025, 7, 9))
    plan_with_items(
        other, [RtlStatus.DONE] * 9 + [RtlStatus.CANCELLED] * 6, realised=dt.date(2025, 7, 9)
    )
    small_client = client_for(operator_a)
    large_client = client_for(person_with_role(Role.UNIT_OPERATOR, unit=unit_b))
    params = {"unduh": fmt} if fmt else {}
    small_url = reverse("skm_follow_up", args=[survey.pk])
    large_url = reverse("skm_follow_up", args=[other.pk])
    small_client.get(small_url, params)
    large_client.get(large_url, params)

    with CaptureQueriesContext(connection) as small:
        assert small_client.get(small_url, params).status_code == 200
    with django_assert_num_queries(len(small.captured_queries)):
        assert large_client.get(large_url, params).status_code == 200
