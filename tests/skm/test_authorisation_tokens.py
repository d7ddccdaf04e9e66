# ruff: noqa: F811 (fixtures imported from tests.skm.personas)
"""Who may show a survey's QR code and poster, and issue one-time codes and links.

Those who run the unit's surveys: the secretariat, the institution's Admin Lokal and the
unit's operators. National analysts and viewers only read results, so they get 403 here
like every outsider; anonymous visitors are sent to log in (pages) or get 401 (API).
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from prima.skm.models import SurveyToken
from tests.conftest import client_for
from tests.factories import SurveyFactory
from tests.skm.personas import api_client, cast  # noqa: F401 (fixture)

COVERED_PAGES = {"skm_survey_qr", "skm_survey_poster", "skm_unit_codes"}
COVERED_OPERATIONS = {
    ("post", "/skm/units/{}/codes"),
    ("post", "/skm/units/{}/after-service-links"),
}

PAGES = {
    "secretariat": 200,
    "admin_a": 200,
    "operator_a": 200,
    "operator_b": 403,
    "admin_b": 403,
    "national_analyst": 403,
    "national_viewer": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}
API = {**dict.fromkeys(PAGES, 403), "secretariat": 201, "admin_a": 201, "operator_a": 201}
API["public"] = 401


@pytest.fixture
def survey(unit_a):
    return SurveyFactory(unit=unit_a, period_code="2025-Q2")


@pytest.mark.parametrize("persona, expected", sorted(PAGES.items()))
@pytest.mark.parametrize("name", ["skm_survey_qr", "skm_survey_poster"])
def test_the_qr_page_and_poster(cast, survey, persona, expected, name):
    response = client_for(cast[persona]).get(reverse(name, args=[survey.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert survey.public_id.encode() in response.content or name == "skm_survey_poster"
    if expected == 302:
        assert "/masuk" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("persona, expected", sorted(PAGES.items()))
def test_the_code_page_and_issuing(cast, unit_a, persona, expected):
    client = client_for(cast[persona])
    url = reverse("skm_unit_codes", args=[unit_a.pk])
    assert client.get(url).status_code == expected
    issued = client.post(
        url,
        {"count": "2", "issued_on": timezone.localdate().isoformat(), "valid_days": "7"},
    )
    assert issued.status_code == expected
    assert SurveyToken.objects.count() == (2 if expected == 200 else 0)


def test_unknown_objects_are_404(cast):
    client = client_for(cast["secretariat"])
    assert client.get(reverse("skm_survey_qr", args=[999999])).status_code == 404
    assert client.get(reverse("skm_survey_poster", args=[999999])).status_code == 404
    assert client.get(reverse("skm_unit_codes", args=[999999])).status_code == 404


def _api(cast, persona: str, path: str, body: dict) -> object:
    return api_client(cast[persona]).post(path, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("persona, expected", sorted(API.items()))
def test_the_codes_api(cast, unit_a, persona, expected):
    response = _api(cast, persona, f"/api/v1/skm/units/{unit_a.pk}/codes", {"count": 3})
    assert response.status_code == expected
    if expected == 201:
        assert len(response.json()["codes"]) == 3
    assert SurveyToken.objects.count() == (3 if expected == 201 else 0)


@pytest.mark.parametrize("persona, expected", sorted(API.items()))
def test_the_after_service_links_api(cast, unit_a, persona, expected):
    path = f"/api/v1/skm/units/{unit_a.pk}/after-service-links"
    response = _api(cast, persona, path, {})
    assert response.status_code == expected
    if expected == 201:
        assert "/survei/t/" in response.json()["url"]
    assert SurveyToken.objects.count() == (1 if expected == 201 else 0)


def test_the_api_refuses_unknown_units(cast):
    response = _api(cast, "secretariat", "/api/v1/skm/units/999999/codes", {"count": 1})
    assert response.status_code == 404
