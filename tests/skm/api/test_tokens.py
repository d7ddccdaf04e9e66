"""The one-time codes and after-service links API (skm.md §7, mpp.md §9)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from prima.core.domain.tokens import create_api_token
from prima.skm.enums import Channel, TokenKind
from prima.skm.models import Response, SurveyToken
from tests.factories import ServiceFactory, SurveyFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def api(operator_a):
    _, key = create_api_token(actor=operator_a, name="uji")

    def post(path: str, body: dict) -> object:
        return Client().post(
            f"/api/v1/skm{path}",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )

    return post


@pytest.fixture
def survey(unit_a):
    ServiceFactory(unit=unit_a, code="KTP-EL")
    return SurveyFactory(unit=unit_a, period_code=f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}")


def answers() -> dict[str, str]:
    return {f"U{n}": "4" for n in range(1, 10)}


def test_codes_come_back_once_and_work_on_the_code_page(api, survey, unit_a):
    response = api(
        f"/units/{unit_a.pk}/codes",
        {"count": 3, "batch": "Loket 1", "valid_days": 10, "service_code": "KTP-EL"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["batch"] == "Loket 1"
    assert body["issued_on"] == TODAY.isoformat()
    assert body["expires_at"].startswith((TODAY + dt.timedelta(days=10)).isoformat())
    assert body["url"].endswith("/survei/kode/")
    assert len(set(body["codes"])) == 3
    assert SurveyToken.objects.filter(kind=TokenKind.CODE, batch="Loket 1").count() == 3

    used = Client().post("/survei/kode/", {"code": body["codes"][0], "answering": "1", **answers()})
    assert used.status_code == 302
    stored = Response.objects.get()
    assert (stored.channel, stored.service_code) == (Channel.TOKEN, "KTP-EL")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"count": 0}, "count"),
        ({"count": 5, "valid_days": 400}, "valid_days"),
        ({"count": 5, "service_code": "TIDAK-ADA"}, "service_code"),
    ],
)
def test_bad_code_requests_are_422_and_issue_nothing(api, unit_a, body, field):
    response = api(f"/units/{unit_a.pk}/codes", body)
    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert not SurveyToken.objects.exists()


def test_an_after_service_link_opens_the_survey_once(api, survey, unit_a):
    response = api(f"/units/{unit_a.pk}/after-service-links", {"service_code": "KTP-EL"})
    assert response.status_code == 201
    body = response.json()
    assert body["url"].endswith(f"/survei/t/{body['token']}/")
    assert len(body["token"]) == 43
    path = f"/survei/t/{body['token']}/"
    assert Client().post(path, answers()).status_code == 302
    assert Client().get(path).status_code == 410
    assert Response.objects.get().channel == Channel.TOKEN
