# ruff: noqa: F811 (fixtures imported from tests.skm.personas)
"""Who may read SKM results (skm.md §5, §10; DESIGN.md §10).

Staff pages of a survey's result (page, report, suggestions) are for the people who may
read the survey: the unit's operators, its institution's readers and national readers.
The summary is for any staff who read some surveys. Public pages and open data are open
to everyone but only ever show PUBLISHED surveys; the API answers everyone, with
unpublished results only for the people who may read the survey.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import SurveyFactory
from tests.skm.personas import api_client, cast  # noqa: F401 (fixture)
from tests.skm.results_world import fill, publish, uniform_inputs

COVERED_PAGES = {
    "skm_result",
    "skm_report_pdf",
    "skm_report_xlsx",
    "skm_suggestions",
    "skm_summary",
    "skm_public_results",
    "skm_public_result",
    "skm_open_data",
}
COVERED_OPERATIONS = {
    ("get", "/skm/surveys/{}/result"),
    ("get", "/skm/results"),
    ("get", "/skm/results/summary"),
}

SURVEY_PAGES = ("skm_result", "skm_report_pdf", "skm_report_xlsx", "skm_suggestions")
READS_SURVEY = {
    "secretariat": 200,
    "admin_a": 200,
    "operator_a": 200,
    "national_viewer": 200,
    "operator_b": 403,
    "admin_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}
READS_SUMMARY = {
    **READS_SURVEY,
    "operator_b": 200,
    "admin_b": 200,
}


@pytest.fixture
def collecting(unit_a):
    return fill(SurveyFactory(unit=unit_a), uniform_inputs(4, 3))


@pytest.fixture
def published(unit_b):
    return publish(fill(SurveyFactory(unit=unit_b), uniform_inputs(3, 6)))


@pytest.mark.django_db
@pytest.mark.parametrize("persona, expected", sorted(READS_SURVEY.items()))
@pytest.mark.parametrize("name", SURVEY_PAGES)
def test_survey_result_pages(cast, collecting, persona, expected, name):
    response = client_for(cast[persona]).get(reverse(name, args=[collecting.pk]))
    assert response.status_code == expected


@pytest.mark.django_db
def test_a_missing_survey_is_404(secretariat):
    assert client_for(secretariat).get(reverse("skm_result", args=[999999])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona, expected", sorted(READS_SUMMARY.items()))
def test_the_summary_page(cast, persona, expected):
    response = client_for(cast[persona]).get(reverse("skm_summary"), {"periode": "2025"})
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(READS_SURVEY))
def test_public_pages_show_published_surveys_only(cast, collecting, published, persona):
    client = client_for(cast[persona])
    listing = client.get(reverse("skm_public_results"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert published.public_id in html and collecting.public_id not in html
    assert client.get(reverse("skm_public_result", args=[published.public_id])).status_code == 200
    assert client.get(reverse("skm_public_result", args=[collecting.public_id])).status_code == 404
    for fmt in ("csv", "json"):
        data = client.get(reverse("skm_open_data", args=[fmt]))
        assert data.status_code == 200
        assert collecting.unit.name not in data.content.decode("utf-8-sig")


def _api(person, path, **params):
    return api_client(person).get(f"/api/v1/skm{path}", params)


@pytest.mark.django_db
@pytest.mark.parametrize("persona, expected", sorted(READS_SURVEY.items()))
def test_the_result_api(cast, collecting, published, persona, expected):
    person = cast[persona]
    unpublished = _api(person, f"/surveys/{collecting.pk}/result")
    assert unpublished.status_code == (200 if expected == 200 else 404)
    assert _api(person, f"/surveys/{published.pk}/result").status_code == 200
    assert _api(person, "/results").status_code == 200
    assert _api(person, "/results/summary", period="2025").status_code == 200
