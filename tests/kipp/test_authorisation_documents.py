"""Authorisation matrix of KIPP documents (the announcement PDF): every page and API
operation × persona.

The public PDF follows the public page: only published announcements of published
editions, for everyone; anything else is 404 even for the secretariat, whose own page
serves drafts (marked «DRAF») and announcements of hidden editions. 302 for anonymous
visitors of login pages is the redirect to the login page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from prima.core.domain.tokens import create_api_token
from prima.core.enums import Role
from prima.evaluation.enums import EditionState
from prima.kipp.domain.announcements import (
    AnnouncementData,
    create_announcement,
    publish_announcement,
)
from prima.kipp.enums import ProposalState as S
from tests.conftest import client_for
from tests.factories import InnovationFactory, person_with_role
from tests.kipp.factories import EditionFactory, ProposalFactory

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
]

# columns:       sec  viewer adm_a op_a op_b eval nobody public
SECRETARIAT = (200, 403, 403, 403, 403, 403, 403, 302)
PUBLIC = (200,) * 8
NOT_FOUND = (404,) * 8
SECRETARIAT_ONLY_API = (200, 404, 404, 404, 404, 404, 404, 404)

MATRIX = [
    ("kipp_public_announcement_pdf", "published", PUBLIC),
    ("kipp_public_announcement_pdf", "draft", NOT_FOUND),
    ("kipp_public_announcement_pdf", "hidden", NOT_FOUND),
    ("kipp_announcement_pdf", "draft", SECRETARIAT),
    ("kipp_announcement_pdf", "published", SECRETARIAT),
    ("kipp_announcement_pdf", "hidden", SECRETARIAT),
]
COVERED_PAGES = {row[0] for row in MATRIX}

# API: the kipp router is mounted at /api/v1/kipp; callers use a token, the public none.
API_MATRIX = [
    ("get", "/kipp/announcements/{published}/pdf", PUBLIC),
    ("get", "/kipp/announcements/{draft}/pdf", SECRETARIAT_ONLY_API),
    ("get", "/kipp/announcements/{hidden}/pdf", SECRETARIAT_ONLY_API),
]
COVERED_OPERATIONS = {("get", "/kipp/announcements/{}/pdf")}


@pytest.fixture
def cast(personas):
    return {**personas, "viewer": person_with_role(Role.VIEWER)}


@pytest.fixture
def objects(secretariat, unit_a):
    edition = EditionFactory(stages=EditionState.DESK_EVALUATION, is_published=True)
    hidden_edition = EditionFactory(stages=EditionState.DESK_EVALUATION)
    for target in (edition, hidden_edition):
        ProposalFactory(
            edition=target,
            innovation=InnovationFactory(unit=unit_a),
            state=S.ADMIN_PASSED,
            participant_state=S.SUBMITTED,
        )

    def announcement(target, n):
        return create_announcement(
            target,
            AnnouncementData(
                kind="admin_result",
                number=f"B/{n}/PP.00.05/2025",
                date=dt.date(2025, 8, 10),
                title=f"Pengumuman {n}",
                signatory_name="Dr. Diah Natalisa",
                signatory_position="Deputi Bidang Pelayanan Publik",
            ),
            actor=secretariat,
        )

    return {
        "published": publish_announcement(announcement(edition, 1), actor=secretariat),
        "draft": announcement(edition, 2),
        "hidden": publish_announcement(announcement(hidden_edition, 3), actor=secretariat),
    }


CASES = [
    (name, target, who, expected[i])
    for name, target, expected in MATRIX
    for i, who in enumerate(PERSONAS)
]


@pytest.mark.parametrize(
    ("name", "target", "who", "expected"),
    CASES,
    ids=[f"{n} {t} {w}" for n, t, w, _ in CASES],
)
def test_page_matrix(name, target, who, expected, cast, objects):
    response = client_for(cast[who]).get(reverse(name, args=[objects[target].pk]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


API_CASES = [
    (method, path, who, expected[i])
    for method, path, expected in API_MATRIX
    for i, who in enumerate(PERSONAS)
]


@pytest.mark.parametrize(
    ("method", "path", "who", "expected"),
    API_CASES,
    ids=[f"{m} {p} {w}" for m, p, w, _ in API_CASES],
)
def test_api_matrix(method, path, who, expected, cast, objects):
    for key in ("published", "draft", "hidden"):
        path = path.replace("{" + key + "}", str(objects[key].pk))
    headers: dict[str, Any] = {}
    person = cast[who]
    if person is not None:
        _token, key = create_api_token(actor=person, name="uji")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    response = Client().get("/api/v1" + path, **headers)
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
    else:
        assert "detail" in response.json()
