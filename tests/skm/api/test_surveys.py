"""The survey API: plan, edit with optimistic locking, run the states, instrument settings."""

from __future__ import annotations

import json

import pytest

from prima.core.domain.tokens import create_api_token
from prima.skm.domain.responses import ResponseInput, record_response
from prima.skm.enums import Channel
from prima.skm.models import Survey
from tests.factories import ServiceFactory, SurveyFactory
from tests.skm.spec import EXAMPLE_2, responses

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, client, person):
        _, key = create_api_token(actor=person, name="uji")
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def __call__(self, method, path, body=None, **params):
        if method == "get":
            return self.client.get(f"/api/v1{path}", params, **self.headers)
        return getattr(self.client, method)(
            f"/api/v1{path}",
            data=json.dumps(body or {}),
            content_type="application/json",
            **self.headers,
        )


@pytest.fixture
def operator_api(client, operator_a):
    return Api(client, operator_a)


@pytest.fixture
def secretariat_api(client, secretariat):
    return Api(client, secretariat)


def test_plan_a_survey_with_services_by_code(operator_api, unit_a):
    unit_a.user_population = 2600
    unit_a.save()
    ServiceFactory(unit=unit_a, code="KK-BARU")
    response = operator_api(
        "post", "/skm/surveys", {"unit": unit_a.pk, "period": "2026", "services": ["KK-BARU"]}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "PLANNED"
    assert body["services"] == ["KK-BARU"]
    assert (body["population"], body["sample_target"]) == (2600, 335)
    assert body["actions"] == ["start"]
    assert body["instrument"] == "skm-2017"


def test_bad_plans_answer_422_and_write_nothing(operator_api, unit_a):
    SurveyFactory(unit=unit_a, period_code="2026-S2")
    cases = [
        {"unit": unit_a.pk, "period": "2026-Q4"},  # overlaps 2026-S2
        {"unit": unit_a.pk, "period": "2026-Q9"},
        {"unit": unit_a.pk, "period": "2026-Q1", "services": ["TIDAK-ADA"]},
        {"unit": unit_a.pk, "period": "2026-Q1", "instrument": "skm-2004"},
        {"unit": 999999, "period": "2026-Q1"},
    ]
    for body in cases:
        response = operator_api("post", "/skm/surveys", body)
        assert response.status_code == 422, body
        assert response.json()["detail"]
    assert Survey.objects.count() == 1
    overlap = operator_api("post", "/skm/surveys", cases[0]).json()["detail"]
    assert "2026-S2" in overlap and "bertumpang tindih" in overlap


def test_patch_keeps_unsent_fields_and_refuses_a_stale_version(operator_api, unit_a):
    survey = SurveyFactory(unit=unit_a, requires_token=True)
    answer = operator_api(
        "patch", f"/skm/surveys/{survey.pk}", {"version": survey.version, "population": 650}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert (body["population"], body["sample_target"], body["requires_token"]) == (650, 242, True)
    stale = operator_api(
        "patch", f"/skm/surveys/{survey.pk}", {"version": survey.version, "population": 10}
    )
    assert stale.status_code == 409
    survey.refresh_from_db()
    assert survey.population == 650


def test_the_whole_life_and_a_recalculation_after_a_rule_change(
    operator_api, secretariat_api, unit_a
):
    survey = SurveyFactory(unit=unit_a)
    for answers in responses(EXAMPLE_2, 12):
        record_response(
            survey,
            ResponseInput(answered_on=survey.period_start, answers=answers),
            channel=Channel.ONLINE,
        )
    path = f"/skm/surveys/{survey.pk}"
    assert operator_api("post", f"{path}/close").json()["actions"] == ["calculate", "reopen"]
    calculated = operator_api("post", f"{path}/calculate").json()
    assert (calculated["ikm"], calculated["ikm_converted"], calculated["grade"]) == (
        "3.0618",
        "76.54",
        "C",
    )
    assert calculated["weight_rule"] == "printed"
    settings = secretariat_api(
        "put", "/skm/instruments/skm-2017", {"weight_rule": "exact", "accepts_new_surveys": True}
    )
    assert settings.status_code == 200
    assert settings.json()["results_on_other_rule"] == 1
    # The frozen result is untouched until someone recalculates it.
    assert operator_api("get", path).json()["grade"] == "C"
    assert operator_api("post", f"{path}/recalculate", {"reason": "kurang"}).status_code == 422
    redone = operator_api(
        "post", f"{path}/recalculate", {"reason": "Sekretariat mengubah aturan bobot."}
    ).json()
    assert (redone["ikm_converted"], redone["grade"], redone["weight_rule"]) == (
        "76.62",
        "B",
        "exact",
    )
    published = operator_api(
        "post",
        f"{path}/publish",
        {"published_on": "2025-07-15", "media": ["notice_board"], "url": ""},
    )
    assert published.status_code == 200
    assert published.json()["state"] == "PUBLISHED"
    assert published.json()["publication_media"] == ["notice_board"]
    assert (
        operator_api("post", f"{path}/reopen", {"reason": "Terlambat dibuka."}).status_code == 422
    )


def test_the_list_filters(operator_api, unit_a):
    SurveyFactory(unit=unit_a, period_code="2025-Q2")
    SurveyFactory(unit=unit_a, period_code="2026-Q1", state="PLANNED")
    assert operator_api("get", "/skm/surveys", period="2025").json()["count"] == 1
    assert operator_api("get", "/skm/surveys", state="planned").json()["count"] == 1
    assert operator_api("get", "/skm/surveys", unit=unit_a.pk).json()["count"] == 2


def test_the_instruments(operator_api):
    items = {item["code"]: item for item in operator_api("get", "/skm/instruments").json()["items"]}
    assert items["skm-2017"]["accepts_new_surveys"] is True
    assert items["skm-2004"]["accepts_new_surveys"] is False
    assert len(items["skm-2004"]["elements"]) == 14
    assert (
        operator_api(
            "put",
            "/skm/instruments/skm-2017",
            {"weight_rule": "exact", "accepts_new_surveys": True},
        ).status_code
        == 403
    )
