"""Who may open the JIPPNas exchange pages and call its API (every persona)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from prima.innovations.models import ReplicationLink, UpdateRequest
from tests.conftest import client_for
from tests.factories import InnovationFactory, ReplicationLinkFactory
from tests.innovations.exchange_helpers import asked, make_stale

COVERED_PAGES = {
    "jipp_data",
    "jipp_export",
    "jipp_import",
    "jipp_request_updates",
    "jipp_open_data",
    "jipp_open_data_nodes",
    "jipp_open_data_edges",
    "jipp_update_requests",
}
COVERED_OPERATIONS = {
    ("get", "/jipp/nodes"),
    ("get", "/jipp/edges"),
    ("post", "/jipp/import"),
    ("get", "/jipp/stale"),
    ("post", "/jipp/update-requests"),
}
PERSONAS = ("secretariat", "admin_a", "operator_a", "operator_b", "evaluator", "nobody", "public")

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(innovation_a, innovation_b, unit_b, secretariat):
    """Stale SITARANG (asked 2 days ago) and Klampid, both published and linked, plus an
    unpublished innovation replicating Klampid."""
    for innovation in (innovation_a, innovation_b):
        innovation.is_published = True
        innovation.save()
        make_stale(innovation)
    hidden = InnovationFactory(unit=unit_b, name="Belum Terbit")
    ReplicationLinkFactory(source=innovation_a, replica=innovation_b, status="confirmed")
    ReplicationLinkFactory(source=innovation_b, replica=hidden)
    asked(innovation_a, secretariat, days_ago=2, message="Mohon diperbarui")
    return {"a": innovation_a, "b": innovation_b, "hidden": hidden}


SECRETARIAT_ONLY = {
    "secretariat": 200,
    "admin_a": 403,
    "operator_a": 403,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}
OWNERS = {
    "secretariat": 200,
    "admin_a": 200,
    "operator_a": 200,
    "operator_b": 200,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}
EVERYONE = dict.fromkeys(PERSONAS, 200)
READ_PAGES = {
    "jipp_data": ((), SECRETARIAT_ONLY),
    "jipp_export": ((), SECRETARIAT_ONLY),
    "jipp_import": ((), SECRETARIAT_ONLY),
    "jipp_update_requests": ((), OWNERS),
    "jipp_open_data": ((), EVERYONE),
    "jipp_open_data_nodes": ((), EVERYONE),
    "jipp_open_data_edges": ((), EVERYONE),
}


@pytest.mark.parametrize("name", sorted(READ_PAGES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_pages(personas, world, name, persona):
    args, expected = READ_PAGES[name]
    response = client_for(personas[persona]).get(reverse(name, args=args))
    assert response.status_code == expected[persona]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_open_requests_are_shown_to_their_owners_only(personas, world, persona):
    response = client_for(personas[persona]).get(reverse("jipp_update_requests"))
    if response.status_code == 200:
        shown = "SITARANG" in response.content.decode()
        assert shown == (persona in ("secretariat", "admin_a", "operator_a"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_open_data_never_shows_unpublished_innovations(personas, world, persona):
    body = b"".join(client_for(personas[persona]).get(reverse("jipp_open_data")).streaming_content)
    document = json.loads(body)
    assert {n["name"] for n in document["nodes"]} == {"SITARANG", "Klampid New Generation"}
    assert len(document["edges"]) == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_secretariat_imports_from_the_page(personas, world, persona):
    a, hidden = world["a"], world["hidden"]
    content = f"source_id,replica_id,replicated_on\n{a.pk},{hidden.pk},2022-01-01\n"
    response = client_for(personas[persona]).post(
        reverse("jipp_import"), {"file": SimpleUploadedFile("edges.csv", content.encode())}
    )
    assert response.status_code == SECRETARIAT_ONLY[persona]
    assert ReplicationLink.objects.filter(source=a, replica=hidden).exists() == (
        persona == "secretariat"
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_secretariat_sends_update_requests(personas, world, persona):
    response = client_for(personas[persona]).post(
        reverse("jipp_request_updates"), {"innovation": [world["b"].pk], "message": "Tolong"}
    )
    assert response.status_code == (302 if persona in ("secretariat", "public") else 403)
    if persona == "public":
        assert response["Location"].startswith(reverse("login"))
    sent = UpdateRequest.objects.filter(innovation=world["b"]).exists()
    assert sent == (persona == "secretariat")


# ---------------------------------------------------------------------------- API


def api(person, token_for) -> tuple[Client, dict]:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(person)}"} if person else {}
    return Client(), headers


# (public count, full count): the secretariat reads everything, anyone else the public part.
NETWORK = {"/api/v1/jipp/nodes": (2, 3), "/api/v1/jipp/edges": (1, 2)}


@pytest.mark.parametrize("path", sorted(NETWORK))
@pytest.mark.parametrize("persona", PERSONAS)
def test_network_reads(personas, world, token_for, path, persona):
    client, headers = api(personas[persona], token_for)
    response = client.get(path, **headers)
    assert response.status_code == 200
    body = response.json()
    public = persona != "secretariat"
    assert body["public"] is public
    assert body["count"] == NETWORK[path][0 if public else 1]


STALE = {
    "secretariat": (200, 2),
    "admin_a": (200, 1),
    "operator_a": (200, 1),
    "operator_b": (200, 1),
    "evaluator": (403, None),
    "nobody": (403, None),
    "public": (401, None),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_stale_reads(personas, world, token_for, persona):
    client, headers = api(personas[persona], token_for)
    response = client.get("/api/v1/jipp/stale", **headers)
    status, count = STALE[persona]
    assert response.status_code == status
    if count is not None:
        assert response.json()["count"] == count


WRITE = {
    "secretariat": None,
    "admin_a": 403,
    "operator_a": 403,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 401,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_import_operation(personas, world, token_for, persona):
    a, hidden = world["a"], world["hidden"]
    client, headers = api(personas[persona], token_for)
    content = f"source_id,replica_id,replicated_on\n{a.pk},{hidden.pk},2022-01-01\n"
    response = client.post(
        "/api/v1/jipp/import",
        {"file": SimpleUploadedFile("edges.csv", content.encode())},
        **headers,
    )
    assert response.status_code == (WRITE[persona] or 200)
    created = ReplicationLink.objects.filter(source=a, replica=hidden).exists()
    assert created == (persona == "secretariat")


@pytest.mark.parametrize("persona", PERSONAS)
def test_update_request_operation(personas, world, token_for, persona):
    client, headers = api(personas[persona], token_for)
    response = client.post(
        "/api/v1/jipp/update-requests",
        json.dumps({"innovations": [world["b"].pk], "message": "Tolong"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == (WRITE[persona] or 201)
    sent = UpdateRequest.objects.filter(innovation=world["b"]).exists()
    assert sent == (persona == "secretariat")


def test_a_session_cannot_write_through_the_api(personas, world):
    response = client_for(personas["secretariat"]).post(
        "/api/v1/jipp/update-requests",
        json.dumps({"innovations": [world["b"].pk]}),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert not UpdateRequest.objects.filter(innovation=world["b"]).exists()
