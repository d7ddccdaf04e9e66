"""Authorisation matrix of the KIPP participant pages and API: every persona × every page
and operation → expected status.

Page columns: 302 for the public is the redirect to the login page; 404 means the proposal
is outside the person's scope (operator_b, evaluators, people without a role); 403 means
the person sees the proposal but may not take this action in its current state.
"""

from __future__ import annotations

import json
import secrets

import pytest
from django.test import Client
from django.urls import reverse

from prima.core.api_auth import digest_of
from prima.core.models import ApiToken
from prima.evaluation.enums import EditionState
from prima.kipp.domain import proposals as domain
from prima.kipp.models import Proposal
from tests.kipp.domain.test_proposals_support import (
    at_institution,
    edition_2025,
    innovation_for,
    pdf,
    ready_draft,
    submitted,
)
from tests.kipp.factories import AppointmentFactory, AssignmentFactory, EditionFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["secretariat", "admin_a", "operator_a", "operator_b", "evaluator", "nobody", "public"]

# columns:       sec  adm_a op_a op_b eval nobody public
LIST = (200, 200, 200, 200, 403, 403, 302)
CREATE = (403, 200, 200, 200, 403, 403, 302)
READ = (200, 200, 200, 404, 404, 404, 302)
OPERATOR_ACT = (403, 403, 200, 404, 404, 404, 302)
OPERATOR_DONE = (403, 403, 302, 404, 404, 404, 302)
ADMIN_ACT = (403, 200, 403, 404, 404, 404, 302)
ADMIN_DONE = (403, 302, 403, 404, 404, 404, 302)
SECRETARIAT_ACT = (200, 403, 403, 404, 404, 404, 302)

# (method, URL name, target, POST data, expected per persona)
MATRIX = [
    ("GET", "kipp_proposal_list", None, None, LIST),
    ("GET", "kipp_proposal_create", None, None, CREATE),
    ("GET", "kipp_proposal_detail", "draft", None, READ),
    ("GET", "kipp_proposal_edit", "draft", None, OPERATOR_ACT),
    ("GET", "kipp_proposal_edit", "at_institution", None, ADMIN_ACT),
    ("GET", "kipp_proposal_attachments", "draft", None, READ),
    ("POST", "kipp_proposal_attachments", "draft", "upload", OPERATOR_DONE),
    ("GET", "kipp_proposal_attachment_download", "attachment", None, READ),
    ("POST", "kipp_proposal_attachment_remove", "attachment", {}, OPERATOR_DONE),
    ("GET", "kipp_proposal_send", "draft", None, OPERATOR_ACT),
    ("POST", "kipp_proposal_send", "draft", {}, OPERATOR_DONE),
    ("GET", "kipp_proposal_return", "at_institution", None, ADMIN_ACT),
    ("POST", "kipp_proposal_return", "at_institution", {"note": "Lengkapi data."}, ADMIN_DONE),
    ("GET", "kipp_proposal_submit", "at_institution", None, ADMIN_ACT),
    ("POST", "kipp_proposal_submit", "at_institution", {"declaration": "on"}, ADMIN_DONE),
    ("GET", "kipp_proposal_recall", "submitted", None, ADMIN_ACT),
    ("POST", "kipp_proposal_recall", "submitted", {}, ADMIN_DONE),
    ("GET", "kipp_proposal_withdraw", "submitted", None, ADMIN_ACT),
    ("POST", "kipp_proposal_withdraw", "draft", {"reason": "Unit mundur."}, ADMIN_DONE),
    ("GET", "kipp_proposal_withdrawal_approve", "pending", None, SECRETARIAT_ACT),
    ("GET", "kipp_proposal_withdrawal_reject", "pending", None, SECRETARIAT_ACT),
]


class Objects:
    """Proposals of operator_a's unit in the states the rows need, built on demand."""

    def __init__(self, unit_a, unit_b, operator_a, admin_a, secretariat):
        self.unit_a, self.operator_a, self.admin_a = unit_a, operator_a, admin_a
        self.secretariat = secretariat
        self.edition = edition_2025()
        innovation_for(unit_b, name="Inovasi Surabaya")  # operator_b has something to enter

    def _innovation(self):
        return innovation_for(self.unit_a)

    def get(self, target: str) -> Proposal | object:
        if target == "draft":
            return ready_draft(self.edition, self._innovation(), self.operator_a)
        if target == "at_institution":
            return at_institution(self.edition, self._innovation(), self.operator_a)
        if target in ("submitted", "pending"):
            proposal = submitted(self.edition, self._innovation(), self.operator_a, self.admin_a)
            if target == "pending":
                domain.withdraw_proposal(proposal, reason="Alasan penarikan.", actor=self.admin_a)
            return proposal
        if target == "attachment":
            proposal = ready_draft(self.edition, self._innovation(), self.operator_a)
            return proposal.attachments.first()
        raise KeyError(target)


@pytest.fixture
def objects(unit_a, unit_b, operator_a, admin_a, secretariat):
    return Objects(unit_a, unit_b, operator_a, admin_a, secretariat)


def _url(name: str, target_obj) -> str:
    if target_obj is None:
        return reverse(name)
    if name.startswith("kipp_proposal_attachment_"):
        return reverse(name, args=[target_obj.proposal_id, target_obj.pk])
    return reverse(name, args=[target_obj.pk])


CASES = [
    (method, name, target, data, who, expected[i])
    for method, name, target, data, expected in MATRIX
    for i, who in enumerate(PERSONAS)
]


@pytest.mark.parametrize(
    ("method", "name", "target", "data", "who", "expected"),
    CASES,
    ids=[f"{m} {n} {t or '-'} {w}" for m, n, t, _d, w, _e in CASES],
)
def test_page_matrix(method, name, target, data, who, expected, personas, objects, as_client):
    obj = objects.get(target) if target else None
    url = _url(name, obj)
    if name == "kipp_proposal_create":
        url += f"?edition={objects.edition.code}"
    client = as_client(personas[who])
    if method == "POST":
        payload = {"kind": "lainnya", "file": pdf("lain.pdf")} if data == "upload" else data
        response = client.post(url, payload)
    else:
        response = client.get(url)
    assert response.status_code == expected
    if expected == 302 and who == "public":
        assert response["Location"].startswith(reverse("login"))


# --------------------------------------------------------------------------- API

API_PERSONAS = PERSONAS
# columns:       sec  adm_a op_a op_b eval nobody public
A_LIST = (200, 200, 200, 200, 200, 200, 401)
A_CREATE = (403, 201, 201, 403, 403, 403, 401)
A_READ = (200, 200, 200, 404, 404, 404, 401)
A_OPERATOR = (403, 403, 200, 404, 404, 404, 401)
A_UPLOAD = (403, 403, 201, 404, 404, 404, 401)
A_DELETE = (403, 403, 204, 404, 404, 404, 401)
A_ADMIN = (403, 200, 403, 404, 404, 404, 401)

COVERED_PAGES = {row[1] for row in MATRIX}

# (method, path under /api/v1, target, body, expected per persona)
API_MATRIX = [
    ("get", "/kipp/proposals", None, None, A_LIST),
    ("post", "/kipp/proposals", None, "create", A_CREATE),
    ("get", "/kipp/proposals/{id}", "draft", None, A_READ),
    ("put", "/kipp/proposals/{id}/answers", "draft", "answers", A_OPERATOR),
    ("post", "/kipp/proposals/{id}/transition", "draft", {"action": "send"}, A_OPERATOR),
    (
        "post",
        "/kipp/proposals/{id}/transition",
        "at_institution",
        {"action": "submit", "declaration": True},
        A_ADMIN,
    ),
    ("get", "/kipp/proposals/{id}/attachments", "draft", None, A_READ),
    ("post", "/kipp/proposals/{id}/attachments", "draft", "upload", A_UPLOAD),
    ("delete", "/kipp/proposals/{id}/attachments/{attachment}", "attachment", None, A_DELETE),
]
COVERED_OPERATIONS = {(row[0], row[1]) for row in API_MATRIX}

API_CASES = [
    (method, path, target, body, who, expected[i])
    for method, path, target, body, expected in API_MATRIX
    for i, who in enumerate(API_PERSONAS)
]


def _client(person) -> tuple[Client, dict[str, str]]:
    if person is None:
        return Client(), {}
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(person=person, name="uji", prefix=key[:8], digest=digest_of(key))
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize(
    ("method", "path", "target", "body", "who", "expected"),
    API_CASES,
    ids=[f"{m} {p} {t or '-'} {w}" for m, p, t, _b, w, _e in API_CASES],
)
def test_api_matrix(method, path, target, body, who, expected, personas, objects, unit_a):
    obj = objects.get(target) if target else None
    if target == "attachment":
        path = path.replace("{id}", str(obj.proposal_id)).replace("{attachment}", str(obj.pk))
    elif obj is not None:
        path = path.replace("{id}", str(obj.pk))
    client, headers = _client(personas[who])
    url = "/api/v1" + path
    if body == "create":
        body = {
            "edition": objects.edition.code,
            "innovation": innovation_for(unit_a).pk,
            "group": "umum",
            "category": "AC4",
        }
    if body == "answers":
        body = {
            "version": obj.version,
            "answers": obj.answers,
            "sdg_goals": [3, 4],
            "category": obj.category,
            "video_url": obj.video_url,
            "video_minutes": "2",
        }
    if method == "get":
        response = client.get(url, **headers)
    elif body == "upload":
        response = client.post(url, {"kind": "lainnya", "file": pdf("lain.pdf")}, **headers)
    else:
        response = getattr(client, method)(
            url, json.dumps(body or {}), content_type="application/json", **headers
        )
    assert response.status_code == expected, response.content


def test_list_counts_nothing_for_outsiders(personas, objects):
    objects.get("draft")
    for who, count in [("operator_b", 0), ("evaluator", 0), ("nobody", 0), ("operator_a", 1)]:
        client, headers = _client(personas[who])
        assert client.get("/api/v1/kipp/proposals", **headers).json()["count"] == count


def test_assigned_evaluator_sees_nothing_on_participant_pages(
    unit_a, operator_a, admin_a, as_client
):
    """Even during the desk evaluation, the assessor's view lives elsewhere, not here."""
    edition = edition_2025()
    proposal = submitted(edition, innovation_for(unit_a), operator_a, admin_a)
    desk = EditionFactory(stages=EditionState.DESK_EVALUATION)
    proposal.edition = desk
    Proposal.objects.filter(pk=proposal.pk).update(edition=desk)
    proposal.subject.edition = desk
    proposal.subject.save()
    appointment = AppointmentFactory(edition=desk)
    AssignmentFactory(subject=proposal.subject, appointment=appointment)
    client = as_client(appointment.person)

    assert client.get(reverse("kipp_proposal_detail", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("kipp_proposal_list")).status_code == 403
    api, headers = _client(appointment.person)
    assert api.get("/api/v1/kipp/proposals", **headers).json()["count"] == 0
    assert api.get(f"/api/v1/kipp/proposals/{proposal.pk}", **headers).status_code == 404
