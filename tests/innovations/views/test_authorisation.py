"""Authorisation matrix: every innovation page × every persona → expected status.

302 for anonymous visitors of internal pages is the redirect to the login page; 404 means
the object is outside the person's scope; 403 means the page is closed to the person.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.core.enums import Role
from prima.innovations.domain.evidence import add_evidence
from tests.factories import ReplicationLinkFactory, person_with_role
from tests.innovations.conftest import pdf_upload

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

# columns:      sec  viewer adm_a op_a op_b  eval nobody public
READ_LIST = (200, 200, 200, 200, 200, 403, 403, 302)
CREATE = (200, 403, 200, 200, 200, 403, 403, 302)
READ_A = (200, 200, 200, 200, 404, 404, 404, 302)
EDIT_A = (200, 403, 200, 200, 404, 404, 404, 302)
CHANGE_A = (302, 403, 302, 302, 404, 404, 404, 302)
AWARD_A = (200, 403, 403, 403, 404, 404, 404, 302)
PRIVATE_FILE = (200, 200, 200, 200, 404, 404, 404, 404)
PUBLIC = (200,) * 8
NOT_PUBLISHED = (404,) * 8

MATRIX = [
    ("GET", "innovation_list", None, READ_LIST),
    ("GET", "innovation_export", None, READ_LIST),
    ("GET", "innovation_create", None, CREATE),
    ("GET", "innovation_detail", "a", READ_A),
    ("GET", "innovation_edit", "a", EDIT_A),
    ("POST", "innovation_edit", "a", EDIT_A),
    ("GET", "innovation_status", "a", EDIT_A),
    ("POST", "innovation_publish", "a", CHANGE_A),
    ("GET", "innovation_evidence_add", "a", EDIT_A),
    ("GET", "evidence_download", "evidence", PRIVATE_FILE),
    ("POST", "evidence_remove", "evidence", CHANGE_A),
    ("GET", "innovation_replication_add", "a", EDIT_A),
    ("POST", "replication_remove", "link", CHANGE_A),
    ("GET", "innovation_award_add", "a", AWARD_A),
    ("GET", "public_innovation_list", None, PUBLIC),
    ("GET", "public_innovation_detail", "b", PUBLIC),
    ("GET", "public_innovation_detail", "a", NOT_PUBLISHED),
]


@pytest.fixture
def objects(operator_a, innovation_a, innovation_b):
    innovation_b.is_published = True
    innovation_b.save()
    return {
        "a": innovation_a,
        "b": innovation_b,
        "evidence": add_evidence(innovation_a, actor=operator_a, upload=pdf_upload()),
        "link": ReplicationLinkFactory(replica=innovation_a, source=innovation_b),
    }


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
def test_matrix(method, name, target, who, expected, personas, objects, as_client):
    cast = {**personas, "viewer": person_with_role(Role.VIEWER)}
    url = reverse(name, args=[objects[target].pk]) if target else reverse(name)
    client = as_client(cast[who])
    response = client.post(url) if method == "POST" else client.get(url)
    assert response.status_code == expected
    if expected == 302 and who == "public":
        assert response["Location"].startswith(reverse("login"))
