"""`POST /api/v1/skm/surveys/{id}/import` and the rejected rows of an import."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prima.core.enums import Role
from prima.skm.enums import Channel, SurveyState
from prima.skm.models import Response
from tests.factories import ServiceFactory, SurveyFactory, person_with_role
from tests.skm.interfaces.test_response_import import EXAMPLE_6, rows
from tests.skm.personas import api_client as api
from tests.skm.spec import csv_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = SurveyFactory(period_code="2025-Q2")
    ServiceFactory(unit=survey.unit, code="KK-BARU")
    return survey


@pytest.fixture
def operator(survey):
    return person_with_role(Role.UNIT_OPERATOR, unit=survey.unit)


def send(client, survey, text, captured, **data):
    with captured(execute=True):
        return client.post(
            f"/api/v1/skm/surveys/{survey.pk}/import",
            {"file": SimpleUploadedFile("jawaban.csv", text.encode()), **data},
        )


def job_of(client, response) -> dict:
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["url"] == f"/api/v1/jobs/{body['job']}"
    return client.get(body["url"]).json()


def test_a_valid_file_is_imported_by_a_job(survey, operator, django_capture_on_commit_callbacks):
    client = api(operator)

    job = job_of(
        client, send(client, survey, csv_text(rows(2)), django_capture_on_commit_callbacks)
    )

    assert job["state"] == "succeeded"
    assert (job["result"]["imported"], job["result"]["rejected"]) == (2, 0)
    assert set(Response.objects.values_list("channel", flat=True)) == {Channel.IMPORT}


def test_example_6_by_default_fails_with_the_problems_by_row_and_column(
    survey, operator, django_capture_on_commit_callbacks
):
    client = api(operator)

    job = job_of(client, send(client, survey, EXAMPLE_6, django_capture_on_commit_callbacks))

    assert job["state"] == "failed"
    assert job["result"]["errors"][0]["row"] == 3
    assert job["result"]["errors"][0]["column"] == "U3"
    assert not Response.objects.exists()


def test_apply_valid_rows_gives_the_rejected_rows_by_api(
    survey, operator, django_capture_on_commit_callbacks
):
    client = api(operator)

    job = job_of(
        client,
        send(
            client, survey, EXAMPLE_6, django_capture_on_commit_callbacks, mode="apply_valid_rows"
        ),
    )

    assert (job["result"]["imported"], job["result"]["rejected"]) == (3, 1)
    path = job["result"]["rejected_api"]
    assert path == f"/api/v1/skm/imports/{job['id']}/rejected"
    download = client.get(path)
    assert download.status_code == 200
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    [line] = csv.DictReader(io.StringIO(text))
    assert (line["row"], line["column"]) == ("3", "U3")


def test_an_unknown_mode_is_422(survey, operator, django_capture_on_commit_callbacks):
    response = send(
        api(operator), survey, csv_text(rows(1)), django_capture_on_commit_callbacks, mode="x"
    )

    assert response.status_code == 422
    assert "Mode impor" in response.json()["detail"]


def test_a_survey_not_collecting_is_422(survey, operator, django_capture_on_commit_callbacks):
    survey.state = SurveyState.CALCULATED
    survey.save()

    response = send(api(operator), survey, csv_text(rows(1)), django_capture_on_commit_callbacks)

    assert response.status_code == 422
    assert "tidak sedang menerima jawaban" in response.json()["detail"]


def test_an_empty_file_is_422(survey, operator, django_capture_on_commit_callbacks):
    response = send(api(operator), survey, "", django_capture_on_commit_callbacks)

    assert response.status_code == 422


def test_no_rejected_file_is_404(survey, operator, django_capture_on_commit_callbacks):
    client = api(operator)
    job = job_of(
        client, send(client, survey, csv_text(rows(1)), django_capture_on_commit_callbacks)
    )

    assert client.get(f"/api/v1/skm/imports/{job['id']}/rejected").status_code == 404
    assert client.get("/api/v1/skm/imports/999999/rejected").status_code == 404
