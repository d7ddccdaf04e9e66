# ruff: noqa: F811 (fixtures imported from tests.skm.personas)
"""Who may import responses into a survey and download the rows an import left out.

Importing (upload page, templates, API) is for those who run the survey: the secretariat,
the institution's Admin Lokal and the unit's operators. National analysts and viewers read
the survey but may not import (403); outsiders get 403 on pages and 404 in the API. The
rejected rows are for the person who ran the import and for those who run the survey.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prima.skm.models import Response
from tests.conftest import client_for
from tests.factories import ServiceFactory, SurveyFactory
from tests.jobs import followed_job
from tests.skm.interfaces.test_response_import import EXAMPLE_6, rows
from tests.skm.personas import api_client, cast  # noqa: F401 (fixture)
from tests.skm.spec import csv_text

COVERED_PAGES = {"skm_import", "skm_import_template", "skm_import_rejected"}
COVERED_OPERATIONS = {
    ("post", "/skm/surveys/{}/import"),
    ("get", "/skm/imports/{}/rejected"),
}

PAGES = {
    "secretariat": 200,
    "admin_a": 200,
    "operator_a": 200,
    "national_analyst": 403,
    "national_viewer": 403,
    "operator_b": 403,
    "admin_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}
RUNS = {name for name, status in PAGES.items() if status == 200}
API = {
    **PAGES,
    "operator_b": 404,
    "admin_b": 404,
    "evaluator": 404,
    "nobody": 404,
    "public": 401,
}


@pytest.fixture
def survey(unit_a):
    survey = SurveyFactory(unit=unit_a, period_code="2025-Q2")
    ServiceFactory(unit=unit_a, code="KK-BARU")
    return survey


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("jawaban.csv", text.encode(), content_type="text/csv")


@pytest.fixture
def rejected_job(cast, survey, django_capture_on_commit_callbacks):
    """An apply-valid-rows import by the secretariat that left row 3 out."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast["secretariat"]).post(
            reverse("skm_import", args=[survey.pk]),
            {"file": _upload(EXAMPLE_6), "mode": "apply_valid_rows"},
        )
    job = followed_job(response)
    assert job.result["rejected"] == 1
    return job


@pytest.mark.parametrize("persona, expected", sorted(PAGES.items()))
def test_the_upload_page(cast, survey, persona, expected, django_capture_on_commit_callbacks):
    client = client_for(cast[persona])
    url = reverse("skm_import", args=[survey.pk])
    assert client.get(url).status_code == expected
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"file": _upload(csv_text(rows(2))), "mode": "all_or_nothing"})
    assert sent.status_code == (302 if expected == 200 else expected)
    assert Response.objects.filter(survey=survey).count() == (2 if persona in RUNS else 0)


@pytest.mark.parametrize("persona, expected", sorted(PAGES.items()))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_templates(cast, survey, persona, expected, fmt):
    url = reverse("skm_import_template", args=[survey.pk, fmt])
    assert client_for(cast[persona]).get(url).status_code == expected


@pytest.mark.parametrize("persona, expected", sorted(PAGES.items()))
def test_the_rejected_rows_page(cast, rejected_job, persona, expected):
    url = reverse("skm_import_rejected", args=[rejected_job.pk])
    assert client_for(cast[persona]).get(url).status_code == expected


def test_the_importer_keeps_the_rejected_rows_without_running_the_survey(
    cast, survey, operator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(operator_a).post(
            reverse("skm_import", args=[survey.pk]),
            {"file": _upload(EXAMPLE_6), "mode": "apply_valid_rows"},
        )
    job = followed_job(response)
    operator_a.memberships.all().delete()

    url = reverse("skm_import_rejected", args=[job.pk])
    assert client_for(operator_a).get(url).status_code == 200


def test_unknown_survey_and_import_are_404(cast):
    client = client_for(cast["secretariat"])
    assert client.get(reverse("skm_import", args=[999999])).status_code == 404
    assert client.get(reverse("skm_import_rejected", args=[999999])).status_code == 404


@pytest.mark.parametrize("persona, expected", sorted(API.items()))
def test_api_import(cast, survey, persona, expected, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(cast[persona]).post(
            f"/api/v1/skm/surveys/{survey.pk}/import", {"file": _upload(csv_text(rows(2)))}
        )
    assert response.status_code == (202 if expected == 200 else expected)
    assert Response.objects.filter(survey=survey).count() == (2 if persona in RUNS else 0)


@pytest.mark.parametrize("persona, expected", sorted(API.items()))
def test_api_rejected_rows(cast, rejected_job, persona, expected):
    response = api_client(cast[persona]).get(f"/api/v1/skm/imports/{rejected_job.pk}/rejected")
    assert response.status_code == expected
