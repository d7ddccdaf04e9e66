"""Authorisation matrix of the publication vertical: every page and API operation × persona.

302 for anonymous visitors of login pages is the redirect to the login page; 403 means the
page is closed to the person; 404 means the object is outside what the person may see.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prima.core.domain.tokens import create_api_token
from prima.core.enums import Role
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition
from prima.kipp.domain.announcements import (
    AnnouncementData,
    create_announcement,
    publish_announcement,
)
from prima.kipp.domain.objections import file_objection
from prima.kipp.domain.schedule import schedule_presentations
from prima.kipp.enums import ProposalState as S
from tests.conftest import client_for
from tests.factories import InnovationFactory, person_with_role
from tests.kipp.factories import EditionFactory, ProposalFactory, rules_from_file

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
STATEMENT = "Inovasi ini sudah tidak berjalan sejak 2024 dan loket daringnya tidak dapat dibuka."
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# columns:       sec  viewer adm_a op_a op_b eval nobody public
SECRETARIAT = (200, 403, 403, 403, 403, 403, 403, 302)
SECRETARIAT_POST = (302, 403, 403, 403, 403, 403, 403, 302)
NATIONAL = (200, 200, 403, 403, 403, 403, 403, 302)
SCHEDULE = (200, 200, 200, 403, 403, 403, 403, 302)
PRESENTER_A = (403, 403, 200, 404, 404, 404, 404, 302)
OBJECT_TO_A = (200, 200, 403, 403, 200, 200, 200, 302)
PUBLIC = (200,) * 8
NOT_FOUND = (404,) * 8

MATRIX = [
    ("GET", "kipp_publication_home", None, NATIONAL),
    ("GET", "kipp_publication_home", "edition", SECRETARIAT),
    ("GET", "kipp_announcement_list", "edition", SECRETARIAT),
    ("GET", "kipp_announcement_create", "edition", SECRETARIAT),
    ("GET", "kipp_announcement_edit", "draft", SECRETARIAT),
    ("GET", "kipp_announcement_publish", "draft", SECRETARIAT),
    ("POST", "kipp_announcement_publish", "draft", SECRETARIAT_POST),
    ("POST", "kipp_announcement_discard", "draft", SECRETARIAT_POST),
    ("GET", "kipp_objection_queue", "edition", SECRETARIAT),
    ("GET", "kipp_objection_resolve", "objection", SECRETARIAT),
    ("GET", "kipp_objection_evidence", "objection", SECRETARIAT),
    ("POST", "kipp_objection_window_close", "edition", SECRETARIAT_POST),
    ("GET", "kipp_schedule", "schedule_edition", SCHEDULE),
    ("GET", "kipp_schedule_generate", "schedule_edition", SECRETARIAT),
    ("GET", "kipp_presenter_confirm", "slot", PRESENTER_A),
    ("GET", "kipp_field_visit", "finalist", SECRETARIAT),
    ("GET", "kipp_disqualify", "finalist", SECRETARIAT),
    ("GET", "kipp_revoke", "finalist", SECRETARIAT),
    ("GET", "kipp_decree_create", "edition", SECRETARIAT),
    ("GET", "kipp_award_event_create", None, SECRETARIAT),
    ("GET", "kipp_public_editions", None, PUBLIC),
    ("GET", "kipp_public_edition", "edition", PUBLIC),
    ("GET", "kipp_public_edition", "hidden_edition", NOT_FOUND),
    ("GET", "kipp_public_finalists", "edition", PUBLIC),
    ("GET", "kipp_public_announcement", "published", PUBLIC),
    ("GET", "kipp_public_announcement", "draft", NOT_FOUND),
    ("GET", "kipp_objection_file", "finalist", OBJECT_TO_A),
]
COVERED_PAGES = {row[1] for row in MATRIX}

# API: the kipp router is mounted at /api/v1/kipp.
#                  sec  viewer adm_a op_a op_b eval nobody public
API_MATRIX = [
    ("get", "/kipp/public/announcements", None, (200,) * 8),
    ("get", "/kipp/public/announcements/{published}", None, (200,) * 8),
    ("get", "/kipp/public/announcements/{draft}", None, (404,) * 8),
    ("get", "/kipp/objections", None, (200, 403, 403, 403, 403, 403, 403, 401)),
    (
        "post",
        "/kipp/objections/{objection}/resolve",
        {"status": "rejected", "resolution": "Tidak didukung bukti yang cukup."},
        # The filer (nobody) sees their own objection but may not resolve it.
        (200, 404, 404, 404, 404, 404, 403, 401),
    ),
]
COVERED_OPERATIONS = {
    (method, "/" + "/".join("{}" if p.startswith("{") else p for p in path.split("/")[1:]))
    for method, path, _body, _expected in API_MATRIX
}


@pytest.fixture
def cast(personas):
    return {**personas, "viewer": person_with_role(Role.VIEWER)}


@pytest.fixture
def objects(secretariat, nobody, unit_a):
    edition = EditionFactory(stages=EditionState.DESK_EVALUATION, is_published=True)
    finalist = ProposalFactory(
        edition=edition,
        innovation=InnovationFactory(unit=unit_a),
        state=S.FINALIST,
        participant_state=S.DESK_REVIEW,
    )

    def announcement(n, kind):
        return create_announcement(
            edition,
            AnnouncementData(
                kind=kind,
                number=f"B/{n}/PP.00.05/2025",
                date=dt.date(2025, 8, 10),
                title=f"Pengumuman {n}",
                signatory_name="Dr. Diah Natalisa",
                signatory_position="Deputi Bidang Pelayanan Publik",
            ),
            actor=secretariat,
        )

    published = publish_announcement(announcement(1, "finalists"), actor=secretariat)
    finalist.refresh_from_db()
    objection = file_objection(
        finalist,
        ground="not_running",
        statement=STATEMENT,
        evidence=SimpleUploadedFile("bukti.pdf", PDF),
        actor=nobody,
    )
    schedule_edition = EditionFactory(
        rules=rules_from_file("kipp-2021.yaml"), stages=EditionState.FINAL_STAGE
    )
    presenting = ProposalFactory(
        edition=schedule_edition,
        innovation=InnovationFactory(unit=unit_a),
        state=S.CONFIRMED_FINALIST,
    )
    day = timezone.localdate() + dt.timedelta(days=14)
    schedule_presentations(
        schedule_edition,
        first_day=day,
        last_day=day + dt.timedelta(days=6),
        day_start=dt.time(8, 0),
        day_end=dt.time(16, 0),
        mode="onsite",
        location="Jakarta",
        actor=secretariat,
    )
    return {
        "edition": edition,
        "hidden_edition": EditionFactory(),
        "finalist": finalist,
        "published": published,
        "draft": announcement(2, "other"),
        "objection": objection,
        "schedule_edition": schedule_edition,
        "slot": presenting.slot,
    }


def _arg(obj):
    """Edition pages take the edition's code; the others an object's id."""
    return obj.code if isinstance(obj, Edition) else obj.pk


CASES = [
    (method, name, target, who, expected[i])
    for method, name, target, expected in MATRIX
    for i, who in enumerate(PERSONAS)
]


@pytest.mark.parametrize(
    ("method", "name", "target", "who", "expected"),
    CASES,
    ids=[f"{m} {n} {t or '-'} {w}" for m, n, t, w, _ in CASES],
)
def test_page_matrix(method, name, target, who, expected, cast, objects):
    if target is None:
        url = reverse(name)
    elif name == "kipp_objection_file":
        finalist = objects[target]
        url = reverse(name, args=[finalist.edition.code, finalist.pk])
    else:
        url = reverse(name, args=[_arg(objects[target])])
    client = client_for(cast[who])
    response = client.post(url) if method == "POST" else client.get(url)
    assert response.status_code == expected
    if expected == 302 and who == "public":
        # Objections are open to citizens too: a visitor signs in with a code by SMS.
        login = "citizen-login" if name == "kipp_objection_file" else "login"
        assert response["Location"].startswith(reverse(login))


API_CASES = [
    (method, path, body, who, expected[i])
    for method, path, body, expected in API_MATRIX
    for i, who in enumerate(PERSONAS)
]


@pytest.mark.parametrize(
    ("method", "path", "body", "who", "expected"),
    API_CASES,
    ids=[f"{m} {p} {w}" for m, p, _, w, _ in API_CASES],
)
def test_api_matrix(method, path, body, who, expected, cast, objects):
    for key in ("published", "draft", "objection"):
        path = path.replace("{" + key + "}", str(objects[key].pk))
    headers = {}
    person = cast[who]
    if person is not None:
        _token, key = create_api_token(actor=person, name="uji")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    client = Client()
    url = "/api/v1" + path
    if method == "get":
        response = client.get(url, **headers)
    else:
        response = client.post(url, json.dumps(body), content_type="application/json", **headers)
    assert response.status_code == expected
    if expected >= 400:
        assert "detail" in response.json()
