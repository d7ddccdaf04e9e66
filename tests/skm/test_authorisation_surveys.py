# ruff: noqa: F811 (fixtures imported from tests.skm.personas)
"""Who may read and run surveys (skm.md §4): every persona against every survey page and
API operation, plus query-count checks of the list page and the list API.

Reading: the secretariat, national analysts and viewers, the institution's Admin Lokal and
the unit's operators. Running (plan, edit, state actions): the secretariat, the Admin Lokal
and the unit's operators; national readers get 403. Outsiders get 403 on pages and 404 in
the API for a survey that is not theirs. Instrument settings: readable by anyone with an SKM
scope, changed only by the secretariat.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prima.skm.enums import SurveyState
from prima.skm.models import InstrumentSetting, Survey
from tests.conftest import client_for
from tests.factories import ServiceUnitFactory, SurveyFactory
from tests.skm.personas import api_client, cast  # noqa: F401 (fixture)

COVERED_PAGES = {
    "skm_surveys",
    "skm_survey_create",
    "skm_survey",
    "skm_survey_update",
    "skm_survey_transition",
    "skm_instruments",
    "skm_uncovered_units",
}
COVERED_OPERATIONS = {
    ("get", "/skm/surveys"),
    ("post", "/skm/surveys"),
    ("get", "/skm/surveys/{}"),
    ("patch", "/skm/surveys/{}"),
    ("post", "/skm/surveys/{}/start"),
    ("post", "/skm/surveys/{}/close"),
    ("post", "/skm/surveys/{}/reopen"),
    ("post", "/skm/surveys/{}/calculate"),
    ("post", "/skm/surveys/{}/publish"),
    ("post", "/skm/surveys/{}/recalculate"),
    ("get", "/skm/instruments"),
    ("put", "/skm/instruments/{}"),
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
# Pages every SKM scope opens (lists of one's own scope): outsiders with a scope get 200.
SCOPED = {**READ, "operator_b": 200, "admin_b": 200}
RUNS = {name for name, status in WRITE.items() if status == 200}
SECRETARIAT_ONLY = dict.fromkeys(READ, 403) | {"secretariat": 200, "public": 302}


@pytest.fixture
def survey(unit_a):
    return SurveyFactory(unit=unit_a, state=SurveyState.PLANNED)


# --------------------------------------------------------------------------- pages


@pytest.mark.parametrize("persona, expected", sorted(SCOPED.items()))
def test_the_list_and_the_uncovered_units(cast, survey, persona, expected):
    client = client_for(cast[persona])
    for name in ("skm_surveys", "skm_uncovered_units", "skm_instruments"):
        assert client.get(reverse(name)).status_code == expected, name
    page = client.get(reverse("skm_surveys"))
    if expected == 200:
        shows = reverse("skm_survey", args=[survey.pk]) in page.content.decode()
        assert shows == (READ[persona] == 200)
        assert client.get(reverse("skm_surveys"), {"unduh": "csv"}).status_code == 200


@pytest.mark.parametrize("persona, expected", sorted(READ.items()))
def test_the_detail_page(cast, survey, persona, expected):
    response = client_for(cast[persona]).get(reverse("skm_survey", args=[survey.pk]))
    assert response.status_code == expected


@pytest.mark.parametrize("persona, expected", sorted(WRITE.items()))
def test_the_update_page_and_the_state_actions(cast, survey, persona, expected):
    client = client_for(cast[persona])
    assert client.get(reverse("skm_survey_update", args=[survey.pk])).status_code == expected
    response = client.post(reverse("skm_survey_transition", args=[survey.pk, "start"]))
    assert response.status_code == (302 if expected == 200 else expected)
    survey.refresh_from_db()
    assert (survey.state == SurveyState.COLLECTING) == (persona in RUNS)
    if expected == 302:
        assert "/masuk" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize(
    "persona, expected",
    sorted({**WRITE, "operator_b": 200, "admin_b": 200}.items()),
)
def test_the_create_page(cast, unit_a, persona, expected):
    client = client_for(cast[persona])
    assert client.get(reverse("skm_survey_create")).status_code == expected
    client.post(
        reverse("skm_survey_create"),
        {"unit": unit_a.pk, "period_code": "2026-Q4", "instrument": "skm-2017"},
    )
    created = Survey.objects.filter(unit=unit_a).exists()
    assert created == (persona in RUNS)


@pytest.mark.parametrize("persona, expected", sorted(SECRETARIAT_ONLY.items()))
def test_changing_instrument_settings(cast, persona, expected):
    response = client_for(cast[persona]).post(
        reverse("skm_instruments"),
        {"code": "skm-2017", "skm-2017-weight_rule": "exact", "skm-2017-accepts_new_surveys": "on"},
    )
    changed = InstrumentSetting.objects.filter(code="skm-2017", weight_rule="exact").exists()
    assert changed == (persona == "secretariat")
    assert response.status_code == (302 if expected == 200 else expected)


# --------------------------------------------------------------------------- API


def _api_status(persona: str, page_status: int, *, hidden: int = 404) -> int:
    """The API's answer for a page status: 401 without a token, 404 for a survey the
    person may not read."""
    if persona == "public":
        return 401
    if page_status == 403 and READ[persona] == 403:
        return hidden
    return page_status


@pytest.mark.parametrize("persona, expected", sorted(READ.items()))
def test_the_api_reads(cast, survey, persona, expected):
    client = api_client(cast[persona])
    listing = client.get("/api/v1/skm/surveys")
    assert listing.status_code == _api_status(persona, SCOPED[persona], hidden=403)
    if listing.status_code == 200:
        ids = [item["id"] for item in listing.json()["items"]]
        assert (survey.pk in ids) == (expected == 200)
    detail = client.get(f"/api/v1/skm/surveys/{survey.pk}")
    assert detail.status_code == _api_status(persona, expected)
    instruments = client.get("/api/v1/skm/instruments")
    assert instruments.status_code == _api_status(persona, SCOPED[persona], hidden=403)


@pytest.mark.parametrize("persona, expected", sorted(WRITE.items()))
def test_the_api_writes(cast, survey, unit_a, persona, expected):
    client = api_client(cast[persona])
    status = _api_status(persona, expected)

    def call(method, path, body=None):
        return getattr(client, method)(
            f"/api/v1/skm/surveys{path}",
            data=json.dumps(body or {}),
            content_type="application/json",
        )

    assert (
        call("patch", f"/{survey.pk}", {"version": survey.version, "population": 650}).status_code
        == status
    )
    assert call("post", f"/{survey.pk}/start").status_code == status
    assert call("post", f"/{survey.pk}/close").status_code == status
    for action, body in (
        ("calculate", None),
        ("publish", {"published_on": "2025-07-01", "media": ["website"]}),
        ("recalculate", {"reason": "Aturan bobot telah diubah."}),
    ):
        answer = call("post", f"/{survey.pk}/{action}", body).status_code
        # Runners reach the state rules (422: no answers, wrong state); others never do.
        assert answer == (422 if status == 200 else status), action
    reopened = call("post", f"/{survey.pk}/reopen", {"reason": "Jawaban kertas belum masuk."})
    assert reopened.status_code == status
    survey.refresh_from_db()
    assert (survey.state == SurveyState.COLLECTING) == (persona in RUNS)
    created = call(
        "post",
        "",
        {"unit": ServiceUnitFactory(institution=unit_a.institution).pk, "period": "2026-Q4"},
    )
    assert created.status_code == (
        201 if persona in RUNS and persona != "operator_a" else 401 if persona == "public" else 403
    )


@pytest.mark.parametrize("persona, expected", sorted(SECRETARIAT_ONLY.items()))
def test_the_api_changes_instrument_settings(cast, persona, expected):
    client = api_client(cast[persona])
    response = client.put(
        "/api/v1/skm/instruments/skm-2017",
        data=json.dumps({"weight_rule": "exact", "accepts_new_surveys": True}),
        content_type="application/json",
    )
    assert response.status_code == (401 if persona == "public" else expected)


# --------------------------------------------------------------------------- query counts


def _fill(unit, n: int) -> None:
    for year in range(2000, 2000 + n):
        SurveyFactory(unit=unit, period_code=str(year))


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_page_costs_the_same_at_any_size(cast, unit_a, django_assert_num_queries):
    client = client_for(cast["admin_a"])
    _fill(unit_a, 2)
    client.get(reverse("skm_surveys"))  # warm the session
    small = _count(client, reverse("skm_surveys"))
    _fill(ServiceUnitFactory(institution=unit_a.institution), 9)
    with django_assert_num_queries(small):
        client.get(reverse("skm_surveys"))


def test_the_list_api_costs_the_same_at_any_size(cast, unit_a, django_assert_num_queries):
    client = api_client(cast["admin_a"])
    _fill(unit_a, 2)
    client.get("/api/v1/skm/surveys")  # the token's first use is recorded once
    small = _count(client, "/api/v1/skm/surveys")
    _fill(ServiceUnitFactory(institution=unit_a.institution), 9)
    with django_assert_num_queries(small):
        assert len(client.get("/api/v1/skm/surveys").json()["items"]) == 11
