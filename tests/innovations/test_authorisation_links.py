"""Who may open the replication-link review pages and call its API, per persona.

The link under test: Kota Surabaya's innovation (replica) claims to replicate Kota
Payakumbuh's SITARANG (the original). So `admin_a` is the ORIGINAL's Admin Lokal (reviews
the claim), `admin_b` the replica's (follows it, read-only); `operator_a` and `operator_b`
own one side each (read-only).
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from prima.core.enums import Role
from prima.innovations.enums import LinkStatus
from prima.innovations.models import ReplicationLink
from tests.conftest import client_for
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db

COVERED_PAGES = {
    "jipp_link_list",
    "jipp_link_export",
    "jipp_link_detail",
    "jipp_link_confirm",
    "jipp_link_verify",
    "jipp_link_reject",
    "jipp_link_reopen",
    "jipp_link_verify_bulk",
}
COVERED_OPERATIONS = {
    ("get", "/jipp/links"),
    ("get", "/jipp/links/{}"),
    ("post", "/jipp/links/verify"),
    ("post", "/jipp/links/{}/confirm"),
    ("post", "/jipp/links/{}/verify"),
    ("post", "/jipp/links/{}/reject"),
    ("post", "/jipp/links/{}/reopen"),
}

PERSONAS = (
    "secretariat",
    "admin_a",
    "admin_b",
    "operator_a",
    "operator_b",
    "evaluator",
    "nobody",
    "public",
)
REASON = "Bukti replikasi tidak menunjukkan inovasi asal yang disebut."
LOGIN = "login"  # an anonymous visitor is sent to the login page


@pytest.fixture
def cast(personas, institution_b):
    admin_b = person_with_role(
        Role.INSTITUTION_ADMIN, institution=institution_b, username="admin_b"
    )
    return {**personas, "admin_b": admin_b}


READERS = {
    "secretariat": 200,
    "admin_a": 200,
    "admin_b": 200,
    "operator_a": 200,
    "operator_b": 200,
    "evaluator": 403,
    "nobody": 403,
    "public": LOGIN,
}


def _assert_status(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert reverse("login") in response.url
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("name", ["jipp_link_list", "jipp_link_export", "jipp_link_detail"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_read_pages(cast, claim, name, persona):
    args = [claim.pk] if name == "jipp_link_detail" else []
    response = client_for(cast[persona]).get(reverse(name, args=args))
    _assert_status(response, READERS[persona])


# page → (status the link starts in, status after a permitted action, persona → outcome);
# "done" = redirected after the change, anything else the HTTP status with no change.
WRITES = {
    "jipp_link_confirm": (
        LinkStatus.CLAIMED,
        LinkStatus.CONFIRMED,
        {"secretariat": "done", "admin_a": "done"},
    ),
    "jipp_link_verify": (LinkStatus.CLAIMED, LinkStatus.VERIFIED, {"secretariat": "done"}),
    "jipp_link_reject": (
        LinkStatus.CLAIMED,
        LinkStatus.REJECTED,
        {"secretariat": "done", "admin_a": "done"},
    ),
    "jipp_link_reopen": (LinkStatus.REJECTED, LinkStatus.CLAIMED, {"secretariat": "done"}),
}


def _outcome(allowed: dict[str, str], persona: str):
    if persona == "public":
        return LOGIN
    return allowed.get(persona, 403)


@pytest.mark.parametrize("name", sorted(WRITES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_review_actions(cast, claim, name, persona):
    start, after, allowed = WRITES[name]
    ReplicationLink.objects.filter(pk=claim.pk).update(status=start)
    expected = _outcome(allowed, persona)

    response = client_for(cast[persona]).post(reverse(name, args=[claim.pk]), {"reason": REASON})

    status = ReplicationLink.objects.get(pk=claim.pk).status
    if expected == "done":
        assert response.status_code == 302
        assert status == after
    else:
        _assert_status(response, expected)
        assert status == start


@pytest.mark.parametrize("persona", PERSONAS)
def test_bulk_verification(cast, claim, persona):
    expected = _outcome({"secretariat": "done"}, persona)
    response = client_for(cast[persona]).post(
        reverse("jipp_link_verify_bulk"), {"link": [claim.pk]}
    )
    status = ReplicationLink.objects.get(pk=claim.pk).status
    if expected == "done":
        assert response.status_code == 302 and status == LinkStatus.VERIFIED
    else:
        _assert_status(response, expected)
        assert status == LinkStatus.CLAIMED


# --------------------------------------------------------------------------- API


def _api(person, token_for) -> tuple[Client, dict[str, str]]:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(person)}"} if person else {}
    return Client(), headers


API_READERS = {**READERS, "public": 401}


@pytest.mark.parametrize("detail", [False, True])
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_reads(cast, claim, token_for, detail, persona):
    client, headers = _api(cast[persona], token_for)
    path = f"/api/v1/jipp/links/{claim.pk}" if detail else "/api/v1/jipp/links"
    assert client.get(path, **headers).status_code == API_READERS[persona]


API_WRITES = {
    "confirm": (LinkStatus.CLAIMED, LinkStatus.CONFIRMED, {"secretariat", "admin_a"}),
    "verify": (LinkStatus.CLAIMED, LinkStatus.VERIFIED, {"secretariat"}),
    "reject": (LinkStatus.CLAIMED, LinkStatus.REJECTED, {"secretariat", "admin_a"}),
    "reopen": (LinkStatus.REJECTED, LinkStatus.CLAIMED, {"secretariat"}),
}


@pytest.mark.parametrize("action", sorted(API_WRITES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_review_actions(cast, claim, token_for, action, persona):
    start, after, allowed = API_WRITES[action]
    ReplicationLink.objects.filter(pk=claim.pk).update(status=start)
    client, headers = _api(cast[persona], token_for)

    response = client.post(
        f"/api/v1/jipp/links/{claim.pk}/{action}",
        json.dumps({"reason": REASON}),
        content_type="application/json",
        **headers,
    )

    expected = 200 if persona in allowed else (401 if persona == "public" else 403)
    assert response.status_code == expected
    assert ReplicationLink.objects.get(pk=claim.pk).status == (after if expected == 200 else start)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_bulk_verification(cast, claim, token_for, persona):
    client, headers = _api(cast[persona], token_for)
    response = client.post(
        "/api/v1/jipp/links/verify",
        json.dumps({"ids": [claim.pk]}),
        content_type="application/json",
        **headers,
    )
    expected = {"secretariat": 200, "public": 401}.get(persona, 403)
    assert response.status_code == expected
    verified = ReplicationLink.objects.get(pk=claim.pk).status == LinkStatus.VERIFIED
    assert verified is (expected == 200)
