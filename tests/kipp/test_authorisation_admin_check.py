"""Authorisation matrix of the edition pages and the administrative check (pages and API).

Columns: secretariat, a national viewer (read-only auditor), Admin Lokal of A, operators of
A and B, an evaluator, a person without a role, the public. 302 for the public is the
redirect to the login page (after a POST: also the redirect after a successful action).
Participants never see the administrative check, not even for their own proposals: its
result reaches them only through the announcement.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.core.domain.tokens import create_api_token
from prima.core.enums import Role
from prima.kipp.domain.admin_check import decide_admin_check, start_admin_check
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import Proposal
from tests.conftest import client_for
from tests.factories import person_with_role
from tests.kipp.domain.test_admin_check import admin_edition, submitted

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

# columns:        sec  view adm_a op_a op_b eval nobody public
PARTICIPANT_READ = (200, 200, 200, 200, 200, 403, 403, 302)
MANAGE_PAGE = (200, 403, 403, 403, 403, 403, 403, 302)
MANAGE_DONE = (302, 403, 403, 403, 403, 403, 403, 302)
CHECK_READ = (200, 200, 403, 403, 403, 403, 403, 302)

# (method, URL name, arguments, POST data, expected per persona)
MATRIX = [
    ("GET", "kipp_edition_list", (), None, PARTICIPANT_READ),
    ("GET", "kipp_edition_create", (), None, MANAGE_PAGE),
    ("GET", "kipp_edition_detail", ("edition",), None, PARTICIPANT_READ),
    ("GET", "kipp_edition_advance", ("edition",), None, MANAGE_PAGE),
    ("POST", "kipp_edition_advance", ("edition",), "advance", MANAGE_DONE),
    ("GET", "kipp_edition_stage", ("edition", "desk_evaluation"), None, MANAGE_PAGE),
    (
        "POST",
        "kipp_edition_stage",
        ("edition", "desk_evaluation"),
        {"assessors_score": "on", "scoring": "sections", "assessor_role": "evaluator"},
        MANAGE_DONE,
    ),
    ("GET", "kipp_edition_extend", ("edition",), None, MANAGE_PAGE),
    ("POST", "kipp_edition_publish", ("edition",), {"published": "1"}, MANAGE_DONE),
    ("GET", "kipp_edition_amend", ("edition",), None, MANAGE_PAGE),
    (
        "POST",
        "kipp_edition_amend",
        ("edition",),
        {"changes": "desk_evaluation.disagreement_range: 12", "reason": "Rapat koordinasi"},
        MANAGE_DONE,
    ),
    ("GET", "kipp_admin_check_queue", ("edition",), None, CHECK_READ),
    ("GET", "kipp_admin_check_export", ("edition",), None, CHECK_READ),
    ("GET", "kipp_admin_check_detail", ("edition", "own"), None, CHECK_READ),
    ("POST", "kipp_admin_check_start", ("edition",), {}, MANAGE_DONE),
    ("POST", "kipp_admin_check_similarity", ("edition",), {}, MANAGE_DONE),
    ("POST", "kipp_admin_check_pass_clean", ("edition",), {"confirm": "on"}, MANAGE_DONE),
    ("POST", "kipp_admin_check_decide", ("edition", "own"), {"result": "pass"}, MANAGE_DONE),
    (
        "POST",
        "kipp_admin_check_override",
        ("edition", "own"),
        {"rule": "age", "note": "Catatan penyimpangan cukup."},
        MANAGE_DONE,
    ),
]
COVERED_PAGES = {row[1] for row in MATRIX}

# API: (method, path, body, expected per persona); with tokens, the public without one.
API_READ = (200, 200, 403, 403, 403, 403, 403, 401)
API_WRITE = (200, 403, 403, 403, 403, 403, 403, 401)
# A long operation answers 202 with the job it queued.
API_QUEUED = (202, 403, 403, 403, 403, 403, 403, 401)
API_MATRIX = [
    ("get", "/kipp/editions/{code}/admin-check", None, API_READ),
    ("get", "/kipp/editions/{code}/admin-check/{own}", None, API_READ),
    ("post", "/kipp/editions/{code}/admin-check/start", None, API_QUEUED),
    ("post", "/kipp/editions/{code}/admin-check/pass-clean", {"note": ""}, API_WRITE),
    ("post", "/kipp/editions/{code}/admin-check/{own}/decision", {"passed": True}, API_WRITE),
    (
        "post",
        "/kipp/editions/{code}/admin-check/{own}/override",
        {"code": "age", "note": "Catatan penyimpangan cukup."},
        API_WRITE,
    ),
]
COVERED_OPERATIONS = {(method, path) for method, path, _body, _expected in API_MATRIX}


@pytest.fixture
def cast(personas):
    return {**personas, "viewer": person_with_role(Role.VIEWER, username="pemantau")}


@pytest.fixture
def world(secretariat, unit_a):
    """An edition in its administrative selection with a proposal of operator_a's unit whose
    age check failed."""
    edition = admin_edition()
    own = submitted(edition, unit=unit_a, files=("sk_inovator", "pernyataan_kebenaran"))
    start_admin_check(edition, actor=secretariat)
    return {"edition": edition, "own": own}


def _args(arguments, world):
    values = []
    for argument in arguments:
        if argument == "edition":
            values.append(world["edition"].code)
        elif argument == "own":
            values.append(world["own"].pk)
        else:
            values.append(argument)
    return values


@pytest.mark.parametrize(
    "method, name, arguments, data, expected",
    MATRIX,
    ids=[f"{row[0]} {row[1]}" for row in MATRIX],
)
@pytest.mark.parametrize("index, persona", list(enumerate(PERSONAS)))
def test_page_matrix(cast, world, method, name, arguments, data, expected, index, persona):
    url = reverse(name, args=_args(arguments, world))
    client = client_for(cast[persona])
    if method == "GET":
        response = client.get(url)
    else:
        if data == "advance":
            data = {"seen_state": world["edition"].state, "reason": "Lanjut", "confirm": "on"}
        response = client.post(url, data)
    assert response.status_code == expected[index], f"{persona} {method} {name}"


@pytest.mark.parametrize(
    "method, path, body, expected", API_MATRIX, ids=[f"{r[0]} {r[1]}" for r in API_MATRIX]
)
@pytest.mark.parametrize("index, persona", list(enumerate(PERSONAS)))
def test_api_matrix(cast, world, method, path, body, expected, index, persona):
    url = "/api/v1" + path.format(code=world["edition"].code, own=world["own"].pk)
    headers: dict[str, str] = {}
    person = cast[persona]
    if person is not None:
        _, key = create_api_token(actor=person, name="uji")
        headers["Authorization"] = f"Bearer {key}"
    client = client_for(None)
    if method == "get":
        response = client.get(url, headers=headers)
    else:
        response = client.post(url, body or {}, content_type="application/json", headers=headers)
    assert response.status_code == expected[index], (
        f"{persona} {method} {path}: {response.content!r}"
    )


def test_participants_see_submitted_until_the_announcement(secretariat, admin_a, world):
    own = world["own"]
    decide_admin_check(own, passed=False, reasons=["age_unproven"], actor=secretariat)

    own.refresh_from_db()
    assert own.state == S.ADMIN_FAILED
    assert own.participant_state == S.SUBMITTED
    for person in (admin_a,):
        client = client_for(person)
        assert (
            client.get(reverse("kipp_admin_check_queue", args=[world["edition"].code])).status_code
            == 403
        )
        response = client.get(reverse("kipp_proposal_detail", args=[own.pk]))
        page = response.content.decode()
        assert response.status_code == 200
        assert "age_unproven" not in page
        assert "Tidak lolos" not in page


def test_evaluators_see_nothing_even_when_appointed(cast, world):
    from tests.kipp.factories import AppointmentFactory

    AppointmentFactory(edition=world["edition"], person=cast["evaluator"])
    client = client_for(cast["evaluator"])
    edition = world["edition"]
    for url in (
        reverse("kipp_admin_check_queue", args=[edition.code]),
        reverse("kipp_admin_check_detail", args=[edition.code, world["own"].pk]),
        f"/api/v1/kipp/editions/{edition.code}/admin-check",
    ):
        assert client.get(url).status_code == 403


def test_a_decision_leaves_an_audit_trail(secretariat, world):
    from prima.core.models import AuditEntry

    client_for(secretariat).post(
        reverse("kipp_admin_check_decide", args=[world["edition"].code, world["own"].pk]),
        {"result": "fail", "reasons": ["age_unproven", "incomplete"], "note": ""},
    )

    entry = AuditEntry.objects.get(action="kipp.admin_check.decide")
    assert entry.actor == secretariat
    assert entry.before == {"state": S.SUBMITTED}
    assert entry.after == {"state": S.ADMIN_FAILED}
    assert entry.reason == "age_unproven, incomplete"
    assert Proposal.objects.get(pk=world["own"].pk).state == S.ADMIN_FAILED
