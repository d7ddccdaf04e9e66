"""The import page: upload with a mode, the job's outcome, templates, rejected rows."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from prima.core.enums import Role
from prima.skm.enums import SurveyState
from prima.skm.models import Response
from tests.conftest import client_for
from tests.factories import ServiceFactory, SurveyFactory, person_with_role
from tests.jobs import followed_job
from tests.skm.interfaces.test_response_import import EXAMPLE_6, rows
from tests.skm.spec import COLUMNS, csv_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = SurveyFactory(period_code="2025-Q2")
    ServiceFactory(unit=survey.unit, code="KK-BARU")
    ServiceFactory(unit=survey.unit, code="KTP-EL")
    return survey


@pytest.fixture
def operator(survey):
    return person_with_role(Role.UNIT_OPERATOR, unit=survey.unit)


def upload(text: str | bytes, name: str = "jawaban.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def post(client, survey, text, captured, mode="all_or_nothing"):
    with captured(execute=True):
        return client.post(
            reverse("skm_import", args=[survey.pk]), {"file": upload(text), "mode": mode}
        )


def test_the_page_offers_both_modes_templates_and_the_column_guide(survey, operator):
    page = client_for(operator).get(reverse("skm_import", args=[survey.pk])).content.decode()

    assert 'value="all_or_nothing"' in page and "checked" in page
    assert 'value="apply_valid_rows"' in page
    assert reverse("skm_import_template", args=[survey.pk, "csv"]) in page
    assert reverse("skm_import_template", args=[survey.pk, "xlsx"]) in page
    assert "KK-BARU, KTP-EL" in page
    assert "2025-04-01 s.d. 2025-06-30" in page
    assert "<code>U9</code>" in page


def test_a_valid_upload_runs_as_a_job_and_stores_the_responses(
    survey, operator, django_capture_on_commit_callbacks
):
    response = post(
        client_for(operator), survey, csv_text(rows(3)), django_capture_on_commit_callbacks
    )

    job = followed_job(response)
    assert (job.state, job.result["imported"], job.result["rejected"]) == ("succeeded", 3, 0)
    assert (job.done, job.total) == (3, 3)
    assert Response.objects.filter(survey=survey).count() == 3
    page = client_for(operator).get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Impor selesai: 3 jawaban disimpan." in page


def test_example_6_by_default_fails_the_job_with_row_3_column_u3(
    survey, operator, django_capture_on_commit_callbacks
):
    response = post(client_for(operator), survey, EXAMPLE_6, django_capture_on_commit_callbacks)

    job = followed_job(response)
    assert job.state == "failed"
    assert job.result["errors"] == [
        {"row": 3, "column": "U3", "message": 'nilai harus 1–4 atau kosong, tertulis "5".'}
    ]
    assert not Response.objects.exists()
    page = client_for(operator).get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Tidak ada data yang diubah" in page
    assert reverse("skm_import", args=[survey.pk]) in page


def test_apply_valid_rows_offers_the_rejected_rows_to_the_importer_and_the_survey_runners(
    survey, operator, django_capture_on_commit_callbacks
):
    response = post(
        client_for(operator),
        survey,
        EXAMPLE_6,
        django_capture_on_commit_callbacks,
        mode="apply_valid_rows",
    )

    job = followed_job(response)
    assert (job.state, job.result["imported"], job.result["rejected"]) == ("succeeded", 3, 1)
    url = reverse("skm_import_rejected", args=[job.pk])
    assert job.result["url"] == url
    admin = person_with_role(Role.INSTITUTION_ADMIN, institution=survey.institution)
    for person in (operator, admin):
        download = client_for(person).get(url)
        assert download.status_code == 200
        text = b"".join(download.streaming_content).decode("utf-8-sig")
        [line] = csv.DictReader(io.StringIO(text))
        assert (line["row"], line["column"], line["U3"]) == ("3", "U3", "5")
    import_page = client_for(admin).get(reverse("skm_import", args=[survey.pk])).content.decode()
    assert url in import_page


def test_a_closed_survey_shows_why_and_refuses_the_upload(
    survey, operator, django_capture_on_commit_callbacks
):
    survey.state = SurveyState.CLOSED
    survey.save()
    client = client_for(operator)

    page = client.get(reverse("skm_import", args=[survey.pk])).content.decode()
    response = post(client, survey, csv_text(rows(1)), django_capture_on_commit_callbacks)

    assert 'id="not-collecting"' in page
    assert response.status_code == 200
    assert "tidak sedang menerima jawaban" in response.content.decode()
    assert not Response.objects.exists()


def test_a_file_over_50_mb_is_refused_before_it_is_stored(
    survey, operator, django_capture_on_commit_callbacks
):
    big = csv_text(rows(1)).encode() + b" " * (50 * 1024 * 1024)

    response = post(client_for(operator), survey, big, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Berkas terlalu besar" in response.content.decode()


def test_an_empty_upload_is_refused_on_the_form(
    survey, operator, django_capture_on_commit_callbacks
):
    response = post(client_for(operator), survey, b"", django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()


def test_a_file_that_is_not_a_csv_fails_the_job_with_a_readable_error(
    survey, operator, django_capture_on_commit_callbacks
):
    pdf = b"%PDF-1.7\n%\x81\x8d\x8f\x90\x9d\n1 0 obj << >> endobj\n"

    job = followed_job(post(client_for(operator), survey, pdf, django_capture_on_commit_callbacks))

    assert job.state == "failed"
    assert "Pengodean karakter berkas tidak dikenali" in job.error


def test_the_csv_template_has_the_canonical_header(survey, operator):
    response = client_for(operator).get(reverse("skm_import_template", args=[survey.pk, "csv"]))

    assert response["Content-Disposition"].endswith('.csv"')
    assert response.content.decode("utf-8-sig").strip() == ",".join(COLUMNS)


def test_the_xlsx_template_has_the_header_and_a_guide_sheet(survey, operator):
    response = client_for(operator).get(reverse("skm_import_template", args=[survey.pk, "xlsx"]))

    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    data, guide = workbook.worksheets
    assert [cell.value for cell in next(data.iter_rows())] == list(COLUMNS)
    guide_rows = [[cell.value for cell in row] for row in guide.iter_rows()]
    assert ["U3", "Waktu penyelesaian: 1, 2, 3, 4", "unsur tidak dijawab"] in guide_rows


def test_a_2004_survey_gets_the_e01_e14_columns(operator, survey):
    old = SurveyFactory(unit=survey.unit, period_code="2025-Q3", instrument="skm-2004")

    response = client_for(operator).get(reverse("skm_import_template", args=[old.pk, "csv"]))

    header = response.content.decode("utf-8-sig").strip().split(",")
    assert header[7:21] == [f"E{n:02d}" for n in range(1, 15)]


def test_an_unknown_template_format_is_404(survey, operator):
    response = client_for(operator).get(reverse("skm_import_template", args=[survey.pk, "pdf"]))

    assert response.status_code == 404


def test_the_import_page_issues_a_fixed_number_of_queries(
    survey, operator, django_capture_on_commit_callbacks
):
    client = client_for(operator)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("skm_import", args=[survey.pk])).status_code == 200
        return len(captured)

    post(client, survey, csv_text(rows(1)), django_capture_on_commit_callbacks)
    one = queries_for_page()
    for number in range(2, 5):
        data = rows(1, r1={"respondent_ref": f"X{number}"})
        post(client, survey, csv_text(data), django_capture_on_commit_callbacks)
    assert queries_for_page() == one
