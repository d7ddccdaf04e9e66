"""The standard SKM report, PDF and XLSX (skm.md §5, §10)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from prima.skm.domain.aggregates import survey_figures
from prima.skm.interfaces.reports import ReportExtras, follow_up_text, report_pdf, report_xlsx
from prima.skm.models import FollowUpPlan
from tests.conftest import client_for
from tests.factories import ServiceFactory, SurveyFactory
from tests.pdf import pdf_pages
from tests.skm.results_world import calculate, example_inputs, fill, uniform_inputs
from tests.skm.spec import EXAMPLE_2

pytestmark = pytest.mark.django_db
EXTRAS = ReportExtras(suggestions=7, follow_up="Rencana tindak lanjut belum disusun.")


@pytest.fixture
def survey(unit_a):
    ServiceFactory(unit=unit_a, code="KK-BARU", name="Kartu keluarga baru")
    inputs = example_inputs(EXAMPLE_2)
    return calculate(
        fill(
            SurveyFactory(unit=unit_a),
            [dataclasses.replace(d, service_code="KK-BARU", gender="P") for d in inputs],
        )
    )


def test_the_pdf_holds_the_standard_content(survey):
    content = report_pdf(
        survey_figures(survey),
        EXTRAS,
        generated_at=dt.datetime(2025, 7, 1, 9, 0, tzinfo=dt.UTC),
    )
    text = " ".join(" ".join(pdf_pages(content)).split())
    for expected in (
        "LAPORAN SURVEI KEPUASAN MASYARAKAT",
        "Dinas PUPR Kota Payakumbuh",
        "2025-Q2",
        "skm-2017",
        "Responden 12",
        "169 responden (N = 300); belum tercukupi",
        "Persyaratan",
        "3,0833",
        "76,54",
        "Kurang Baik",
        "3,0648 -> 76,62 -> B",
        "Mutu berbeda menurut aturan bobot: 0,111 -> C (76,54); 1/9 -> B (76,62)",
        "Kartu keluarga baru (KK-BARU)",
        "Perempuan",
        "Saran tertulis dari responden: 7.",
        "Rencana tindak lanjut belum disusun.",
    ):
        assert expected in text, expected
    assert "SEMENTARA" not in text


def test_a_provisional_report_is_marked(unit_a):
    survey = fill(SurveyFactory(unit=unit_a), uniform_inputs(3, 4))
    text = " ".join(pdf_pages(report_pdf(survey_figures(survey), EXTRAS)))
    assert "Angka sementara" in text
    assert "Mengapa C" in text  # the "baik" explanation


def test_the_same_input_gives_the_same_bytes(survey):
    moment = dt.datetime(2025, 7, 1, 9, 0, tzinfo=dt.UTC)
    figures = survey_figures(survey)
    assert report_pdf(figures, EXTRAS, generated_at=moment) == report_pdf(
        figures, EXTRAS, generated_at=moment
    )


def test_the_workbook_has_one_sheet_per_table(survey):
    workbook = load_workbook(io.BytesIO(report_xlsx(survey_figures(survey), EXTRAS)))
    assert workbook.sheetnames == ["Ringkasan", "NRR", "Jenis layanan", "Profil"]
    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Nilai konversi IKM (25–100)"] == "76,54"
    assert summary["Mutu pelayanan"] == "C"
    assert summary["Saran tertulis"] == 7
    nrr = list(workbook["NRR"].iter_rows(values_only=True))
    assert nrr[0] == ("Kode", "Unsur", "Menjawab", "NRR")
    assert nrr[1] == ("U1", "Persyaratan", "12", "3,0833")


def test_the_follow_up_sentence(survey, admin_a):
    assert follow_up_text(None, 0) == "Rencana tindak lanjut belum disusun."
    plan = FollowUpPlan.objects.create(
        survey=survey, adopted_on=dt.date(2025, 8, 1), decree_number="800/12", note="Dipantau"
    )
    assert follow_up_text(plan, 3) == (
        "Rencana tindak lanjut ditetapkan 1 Agustus 2025, nomor 800/12; 3 butir. Catatan: Dipantau"
    )


def test_the_report_pages_download(survey, operator_a):
    client = client_for(operator_a)
    pdf = client.get(reverse("skm_report_pdf", args=[survey.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "Saran tertulis dari responden: 0." in " ".join(pdf_pages(pdf.content))
    xlsx = client.get(reverse("skm_report_xlsx", args=[survey.pk]))
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "Ringkasan"
    assert xlsx["Cache-Control"] == "private, no-store"
