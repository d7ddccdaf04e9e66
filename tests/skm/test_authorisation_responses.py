# ruff: noqa: F811 (fixtures imported from tests.skm.personas)
"""Who may read and write a survey's responses (skm.md §4, §7).

Reading (list, export, API list): whoever reads the survey — the secretariat, national
analysts and viewers, the institution's Admin Lokal and the unit's operators. Writing
(paper entry, kiosk, void): only those who run it — national readers get 403. Outsiders
get 403 on pages and 404 in the API (the survey is not theirs to know about).
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from prima.skm.domain.responses import ResponseInput, record_response
from prima.skm.enums import Channel
from prima.skm.models import Response
from tests.conftest import client_for
from tests.factories import SurveyFactory
from tests.skm.personas import api_client, cast, current_quarter  # noqa: F401 (fixture)

COVERED_PAGES = {"skm_responses", "skm_response_entry", "skm_response_void", "skm_kiosk"}
COVERED_OPERATIONS = {
    ("get", "/skm/surveys/{}/responses"),
    ("post", "/skm/surveys/{}/responses"),
    ("post", "/skm/surveys/{}/responses/{}/void"),
}

READ = {
    "secretariat": 200,
    "admin_a": 200,
    "operator_a": 200,
    "national_analyst": 200,
    "national_viewer": 200,
    "operator_b": 403,
    "admin_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}
WRITE = {**READ, "national_analyst": 403, "national_viewer": 403}
RUNS = {name for name, status in WRITE.items() if status == 200}


@pytest.fixture
def survey(unit_a):
    # The period holds today so the kiosk (dated today) accepts answers.
    return SurveyFactory(unit=unit_a, period_code=current_quarter())


def respond(survey, ref="R-1"):
    return record_response(
        survey,
        ResponseInput(
            answered_on=timezone.localdate(), answers={"U1": 3, "U2": 4}, respondent_ref=ref
        ),
        channel=Channel.ONLINE,
    )


@pytest.mark.parametrize("persona, expected", sorted(READ.items()))
def test_the_list_and_its_export(cast, survey, persona, expected):
    respond(survey)
    client = client_for(cast[persona])
    url = reverse("skm_responses", args=[survey.pk])
    page = client.get(url)
    assert page.status_code == expected
    if expected == 200:
        assert "R-1" in page.content.decode()
    assert client.get(url, {"unduh": "csv"}).status_code == expected


@pytest.mark.parametrize("persona, expected", sorted(WRITE.items()))
@pytest.mark.parametrize("name", ["skm_response_entry", "skm_kiosk"])
def test_entry_pages(cast, survey, persona, expected, name):
    client = client_for(cast[persona])
    url = reverse(name, args=[survey.pk])
    assert client.get(url).status_code == expected
    sent = client.post(url, {"answered_on": timezone.localdate().isoformat(), "U1": "4"})
    assert sent.status_code == (302 if expected == 200 else expected)
    assert Response.objects.filter(survey=survey).exists() == (persona in RUNS)


@pytest.mark.parametrize("persona, expected", sorted(WRITE.items()))
def test_void_page(cast, survey, persona, expected):
    response = respond(survey)
    client = client_for(cast[persona])
    url = reverse("skm_response_void", args=[survey.pk, response.pk])
    assert client.get(url).status_code == expected
    sent = client.post(url, {"reason": "Lembar tercatat dua kali"})
    assert sent.status_code == (302 if expected == 200 else expected)
    voided = Response.objects.get(pk=response.pk).voided_at is not None
    assert voided == (persona in RUNS)


def test_unknown_survey_is_404(cast):
    client = client_for(cast["secretariat"])
    assert client.get(reverse("skm_responses", args=[999999])).status_code == 404


API_READ = {**READ, "operator_b": 404, "admin_b": 404, "evaluator": 404, "nobody": 404}
API_READ["public"] = 401
API_WRITE = {**API_READ, "national_analyst": 403, "national_viewer": 403}


@pytest.mark.parametrize("persona, expected", sorted(API_READ.items()))
def test_api_list(cast, survey, persona, expected):
    respond(survey)
    response = api_client(cast[persona]).get(f"/api/v1/skm/surveys/{survey.pk}/responses")
    assert response.status_code == expected


@pytest.mark.parametrize("persona, expected", sorted(API_WRITE.items()))
def test_api_create(cast, survey, persona, expected):
    body = {"answered_on": timezone.localdate().isoformat(), "answers": {"U1": 4}}
    response = api_client(cast[persona]).post(
        f"/api/v1/skm/surveys/{survey.pk}/responses",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == (201 if expected == 200 else expected)
    assert Response.objects.filter(survey=survey).exists() == (persona in RUNS)


@pytest.mark.parametrize("persona, expected", sorted(API_WRITE.items()))
def test_api_void(cast, survey, persona, expected):
    row = respond(survey)
    response = api_client(cast[persona]).post(
        f"/api/v1/skm/surveys/{survey.pk}/responses/{row.pk}/void",
        json.dumps({"reason": "Lembar tercatat dua kali"}),
        content_type="application/json",
    )
    assert response.status_code == expected
    assert (Response.objects.get(pk=row.pk).voided_at is not None) == (persona in RUNS)
