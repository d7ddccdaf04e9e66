"""Authorisation matrix of the public benefit rating (kipp.md §14): every page and API
operation × persona, the citizen among them.

Anyone browses the rating page and, after the window, the results; only a verified citizen
rates (everyone else goes to the citizen sign-in, 302); only the secretariat and national
readers who assess nothing in the edition see the monitor, the suspect list and the export
(unit operators, Admin Lokal and assessors get 403; visitors and citizens, who hold no
staff login, go to the login page). Only the secretariat releases.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from prima.core.domain.tokens import create_api_token
from prima.core.enums import Role
from prima.evaluation.enums import AssessorRole
from prima.evaluation.models import Edition
from prima.kipp.models import RatingSuspicion
from tests.conftest import client_for
from tests.factories import CitizenFactory, person_with_role
from tests.kipp.benefit_data import (
    announced,
    citizen_client,
    citizen_headers,
    many_ratings,
    rating_edition,
)
from tests.kipp.factories import AppointmentFactory, BenefitRatingFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "secretariat",
    "viewer",
    "admin_a",
    "operator_a",
    "operator_b",
    "evaluator",
    "nobody",
    "public",
    "citizen",
]
REASON = "Lonjakan berasal dari sosialisasi resmi di balai kota, sudah diverifikasi."

# columns:    sec  viewer adm_a op_a op_b eval nobody public citizen
PUBLIC = (200,) * 9
NOT_FOUND = (404,) * 9
CITIZEN = (302, 302, 302, 302, 302, 302, 302, 302, 200)
MONITOR = (200, 200, 403, 403, 403, 403, 403, 302, 302)
RELEASE = (200, 403, 403, 403, 403, 403, 403, 302, 302)

MATRIX = [
    ("GET", "kipp_benefit_home", "open", PUBLIC),
    ("GET", "kipp_benefit_home", "hidden", NOT_FOUND),
    ("GET", "kipp_benefit_rate", "finalist", CITIZEN),
    ("POST", "kipp_benefit_rate", "finalist", CITIZEN),
    ("GET", "kipp_benefit_mine", "open", CITIZEN),
    ("GET", "kipp_benefit_results", "open", PUBLIC),
    ("GET", "kipp_benefit_results", "closed", PUBLIC),
    ("GET", "kipp_benefit_results_export", "closed", PUBLIC),
    ("GET", "kipp_benefit_results_export", "open", NOT_FOUND),
    ("GET", "kipp_benefit_monitor", "open", MONITOR),
    ("GET", "kipp_benefit_suspects", "open", MONITOR),
    ("POST", "kipp_benefit_suspects", "open", RELEASE),
    ("GET", "kipp_benefit_export", "open", MONITOR),
]
COVERED_PAGES = {row[1] for row in MATRIX}

# API (the kipp router is mounted at /api/v1/kipp); the citizen holds a citizen token.
#            sec  viewer adm_a op_a op_b eval nobody public citizen
API_MATRIX = [
    ("get", "/kipp/editions/{closed}/benefit-ratings/results", None, (200,) * 9),
    ("get", "/kipp/editions/{open}/benefit-ratings/results", None, (409,) * 9),
    (
        "post",
        "/kipp/editions/{open}/benefit-ratings",
        {"proposal": "{finalist}", "relationship": "know_of_it", "benefit": 3, "adoption": 4},
        (401, 401, 401, 401, 401, 401, 401, 401, 201),
    ),
    (
        "get",
        "/kipp/editions/{open}/benefit-ratings/mine",
        None,
        (401, 401, 401, 401, 401, 401, 401, 401, 200),
    ),
    (
        "get",
        "/kipp/editions/{open}/benefit-ratings/summary",
        None,
        (200, 200, 403, 403, 403, 403, 403, 401, 401),
    ),
    (
        "get",
        "/kipp/editions/{open}/benefit-ratings/suspects",
        None,
        (200, 200, 403, 403, 403, 403, 403, 401, 401),
    ),
    (
        "post",
        "/kipp/editions/{open}/benefit-ratings/release",
        {"ids": ["{suspect}"], "reason": REASON},
        (200, 403, 403, 403, 403, 403, 403, 401, 401),
    ),
]
COVERED_OPERATIONS = {
    (method, "/" + "/".join("{}" if p.startswith("{") else p for p in path.split("/")[1:]))
    for method, path, _body, _expected in API_MATRIX
}


@pytest.fixture
def cast(personas):
    return {
        **personas,
        "viewer": person_with_role(Role.VIEWER),
        "citizen": CitizenFactory(),
    }


@pytest.fixture
def objects(cast, unit_a):
    edition = rating_edition("open")
    (finalist,) = announced(edition, (unit_a, "Klinik Keliling"))
    many_ratings(finalist, 3)
    suspect = BenefitRatingFactory(proposal=finalist, suspicion=RatingSuspicion.NETWORK)
    # The evaluator assesses in this edition: no reader of its ratings.
    AppointmentFactory(edition=edition, person=cast["evaluator"], role=AssessorRole.EVALUATOR)
    closed = rating_edition("closed")
    announced(closed, (unit_a, "Layanan Jemput Bola"))
    hidden = rating_edition("open", is_published=False)
    return {
        "open": edition,
        "closed": closed,
        "hidden": hidden,
        "finalist": finalist,
        "suspect": suspect,
    }


def _client(cast, who: str) -> Client:
    if who == "citizen":
        return citizen_client(cast["citizen"])
    return client_for(cast[who])


def _url(name: str, target) -> str:
    if name == "kipp_benefit_rate":
        return reverse(name, args=[target.edition.code, target.pk])
    assert isinstance(target, Edition)
    return reverse(name, args=[target.code])


CASES = [
    (method, name, target, who, expected[i])
    for method, name, target, expected in MATRIX
    for i, who in enumerate(PERSONAS)
]


@pytest.mark.parametrize(
    ("method", "name", "target", "who", "expected"),
    CASES,
    ids=[f"{m} {n} {t} {w}" for m, n, t, w, _ in CASES],
)
def test_page_matrix(method, name, target, who, expected, cast, objects):
    url = _url(name, objects[target])
    client = _client(cast, who)
    response = client.post(url) if method == "POST" else client.get(url)
    assert response.status_code == expected
    if expected == 302:
        login = "citizen-login" if name in ("kipp_benefit_rate", "kipp_benefit_mine") else "login"
        assert response["Location"].startswith(reverse(login))


API_CASES = [
    (method, path, body, who, expected[i])
    for method, path, body, expected in API_MATRIX
    for i, who in enumerate(PERSONAS)
]


def _fill(value, objects):
    """`{open}`, `{finalist}` … in a path or body become the fixture's codes and ids."""
    if isinstance(value, str):
        for key, obj in objects.items():
            placeholder = "{" + key + "}"
            if value == placeholder and not isinstance(obj, Edition):
                return obj.pk
            value = value.replace(
                placeholder, obj.code if isinstance(obj, Edition) else str(obj.pk)
            )
        return value
    if isinstance(value, list):
        return [_fill(v, objects) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, objects) for k, v in value.items()}
    return value


@pytest.mark.parametrize(
    ("method", "path", "body", "who", "expected"),
    API_CASES,
    ids=[f"{m} {p} {w}" for m, p, _, w, _ in API_CASES],
)
def test_api_matrix(method, path, body, who, expected, cast, objects):
    headers: dict[str, str] = {}
    if who == "citizen":
        headers = citizen_headers(cast["citizen"])
    elif cast[who] is not None:
        _token, key = create_api_token(actor=cast[who], name="uji")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    url = "/api/v1" + _fill(path, objects)
    client = Client()
    if method == "get":
        response = client.get(url, **headers)
    else:
        payload = json.dumps(_fill(body, objects))
        response = client.post(url, payload, content_type="application/json", **headers)
    assert response.status_code == expected
    if expected >= 400:
        assert "detail" in response.json()


@pytest.mark.parametrize("who", PERSONAS)
def test_no_count_or_score_is_public_while_open(who, cast, objects):
    """Rule 7 for every persona: the rating pages of an open window show no counts."""
    client = _client(cast, who)
    edition = objects["open"]
    for name in ("kipp_benefit_home", "kipp_benefit_results"):
        page = client.get(reverse(name, args=[edition.code])).content.decode()
        assert "penilaian sah" not in page
        assert "<tbody>" not in page
