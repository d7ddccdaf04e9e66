"""The responses API: list, paper entry with every problem at once, void."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prima.core.enums import Role
from prima.core.models import AuditEntry
from prima.skm.domain.responses import ResponseInput, record_response, void_response
from prima.skm.enums import Channel, SurveyState
from prima.skm.models import Response, Survey
from tests.factories import ServiceFactory, SurveyFactory, person_with_role
from tests.skm.personas import api_client as api

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 4, 14)


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def answers(**given):
    return {f"U{n}": given.get(f"U{n}", 3) for n in range(1, 10)}


def respond(survey, ref="", channel=Channel.ONLINE):
    return record_response(
        survey,
        ResponseInput(answered_on=DAY, answers=answers(), respondent_ref=ref),
        channel=channel,
    )


@pytest.fixture
def survey(unit_a):
    survey = SurveyFactory(unit=unit_a)
    ServiceFactory(unit=unit_a, code="KTP-EL", name="KTP elektronik")
    return survey


def url(survey, suffix=""):
    return f"/api/v1/skm/surveys/{survey.pk}/responses{suffix}"


def test_list_names_answers_by_element_code(survey, operator_a):
    respond(survey, "R001")
    void_response(respond(survey, "R002"), actor=operator_a, reason="Lembar tercatat dua kali")
    client = api(operator_a)
    body = client.get(url(survey)).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["respondent_ref"] == "R001"
    assert item["answers"] == answers()
    assert item["channel"] == "online" and item["voided"] is False
    voided = client.get(url(survey), {"voided": "true"}).json()
    assert [i["respondent_ref"] for i in voided["items"]] == ["R002"]
    assert voided["items"][0]["void_reason"] == "Lembar tercatat dua kali"
    assert client.get(url(survey), {"channel": "paper"}).json()["count"] == 0


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_list_costs_the_same_queries_at_any_size(survey, operator_a, django_assert_num_queries):
    client = api(operator_a)
    respond(survey)
    _queries(client, url(survey))  # the token's last use is written once a minute
    one = _queries(client, url(survey))
    for _ in range(25):
        respond(survey)
    with django_assert_num_queries(one):
        assert client.get(url(survey)).json()["count"] == 26


def test_create_is_paper_entry_by_the_token_person(survey, operator_a):
    response = post(
        api(operator_a),
        url(survey),
        {
            "respondent_ref": "L-9",
            "answered_on": "2025-05-02",
            "service_code": "KTP-EL",
            "gender": "P",
            "answers": answers(U4=None),
            "suggestion": "Ruang tunggu panas",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "paper" and body["answers"]["U4"] is None
    row = Response.objects.get(pk=body["id"])
    assert row.entered_by == operator_a and row.channel == Channel.PAPER
    assert Survey.objects.get(pk=survey.pk).respondents == 1
    assert AuditEntry.objects.filter(action="skm.response.entered").exists()


def test_create_reports_every_problem_and_stores_nothing(survey, operator_a):
    respond(survey, "L-1")
    response = post(
        api(operator_a),
        url(survey),
        {
            "respondent_ref": "L-1",
            "answered_on": "2025-07-01",
            "service_code": "NOPE",
            "gender": "X",
            "answers": {**answers(U3=5), "U2": "3", "Z9": 1},
        },
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) >= {"answered_on", "service_code", "gender", "U3", "U2", "Z9"}
    assert "1–4" in errors["U3"]
    assert Response.objects.filter(survey=survey).count() == 1


def test_create_with_a_bad_date_still_lists_the_other_problems(survey, operator_a):
    response = post(
        api(operator_a), url(survey), {"answered_on": "14/04/2025", "answers": {"U1": 9}}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "YYYY-MM-DD" in errors["answered_on"]
    assert "U1" in errors


def test_duplicate_reference_is_refused(survey, operator_a):
    respond(survey, "L-1")
    response = post(
        api(operator_a),
        url(survey),
        {"respondent_ref": "L-1", "answered_on": "2025-05-02", "answers": answers()},
    )
    assert response.status_code == 422
    assert "sudah dipakai" in response.json()["errors"]["respondent_ref"]


def test_create_in_a_closed_survey_is_refused(unit_a, operator_a):
    survey = SurveyFactory(unit=unit_a, state=SurveyState.CLOSED)
    response = post(
        api(operator_a), url(survey), {"answered_on": "2025-05-02", "answers": answers()}
    )
    assert response.status_code == 422
    assert "tidak sedang menerima jawaban" in response.json()["detail"]


def test_readers_may_list_but_not_enter(survey):
    viewer = person_with_role(Role.VIEWER)
    client = api(viewer)
    assert client.get(url(survey)).status_code == 200
    response = post(client, url(survey), {"answered_on": "2025-05-02", "answers": answers()})
    assert response.status_code == 403
    assert not Response.objects.exists()


def test_void(survey, operator_a):
    row = respond(survey, "R-1")
    client = api(operator_a)
    short = post(client, url(survey, f"/{row.pk}/void"), {"reason": "salah"})
    assert short.status_code == 422
    done = post(client, url(survey, f"/{row.pk}/void"), {"reason": "Lembar tercatat dua kali"})
    assert done.status_code == 200
    assert done.json()["voided"] is True
    assert Survey.objects.get(pk=survey.pk).respondents == 0
    again = post(client, url(survey, f"/{row.pk}/void"), {"reason": "Lembar tercatat dua kali"})
    assert again.status_code == 422
    assert post(client, url(survey, "/999999/void"), {"reason": "x" * 12}).status_code == 404
