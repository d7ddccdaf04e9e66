"""The JIPPNas exchange API: paging the network, importing, stale list, requests."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from prima.innovations.models import ReplicationLink, UpdateRequest
from tests.factories import AwardRecordFactory, InnovationFactory, ReplicationLinkFactory
from tests.innovations.exchange_helpers import asked, make_stale

pytestmark = pytest.mark.django_db
BASE = "/api/v1/jipp"


@pytest.fixture
def as_secretariat(secretariat, token_for):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_for(secretariat)}"}


def test_nodes_page_by_id(unit_a, as_secretariat):
    made = [InnovationFactory(unit=unit_a, is_published=True) for _ in range(3)]
    AwardRecordFactory(innovation=made[1], year=2016, tier="top99")
    response = Client().get(f"{BASE}/nodes", {"limit": 2, "offset": 1})
    body = response.json()
    assert body["count"] == 3 and body["public"] is True
    assert [n["id"] for n in body["items"]] == [made[1].pk, made[2].pk]
    assert body["items"][0]["tiers"] == "kipp:2016:top99"
    assert body["items"][0]["updated_at"].endswith("+07:00")


def test_the_secretariat_may_ask_for_the_public_part(unit_a, as_secretariat):
    InnovationFactory(unit=unit_a, is_published=True)
    InnovationFactory(unit=unit_a, is_published=False)
    full = Client().get(f"{BASE}/nodes", **as_secretariat).json()
    public = Client().get(f"{BASE}/nodes", {"public": "true"}, **as_secretariat).json()
    assert (full["count"], full["public"]) == (2, False)
    assert (public["count"], public["public"]) == (1, True)


def test_the_public_nodes_hide_a_contact_not_offered_for_replication(unit_a, as_secretariat):
    InnovationFactory(unit=unit_a, is_published=True, replication_contact="Pak Budi, 0812")
    public = Client().get(f"{BASE}/nodes").json()
    full = Client().get(f"{BASE}/nodes", **as_secretariat).json()
    assert public["items"][0]["replication_contact"] == ""
    assert full["items"][0]["replication_contact"] == "Pak Budi, 0812"


@pytest.mark.parametrize("size", [1, 5])
def test_network_pages_read_in_a_fixed_number_of_queries(unit_a, django_assert_num_queries, size):
    for _ in range(size):
        a = InnovationFactory(unit=unit_a, is_published=True)
        AwardRecordFactory(innovation=a)
        ReplicationLinkFactory(source=a, replica=InnovationFactory(unit=unit_a, is_published=True))
    with django_assert_num_queries(3):  # rows, their awards, count
        nodes = Client().get(f"{BASE}/nodes").json()
    with django_assert_num_queries(2):
        edges = Client().get(f"{BASE}/edges").json()
    assert (nodes["count"], edges["count"]) == (2 * size, size)


def test_an_import_reports_every_problem_with_row_and_column(
    innovation_a, innovation_b, as_secretariat
):
    a, b = innovation_a, innovation_b
    document = {
        "edges": [
            {"source_id": a.pk, "replica_id": b.pk, "replicated_on": "2022-01-01"},
            {"source_id": b.pk, "replica_id": a.pk, "replicated_on": "2022-01-01"},
            {"source_id": a.pk, "replica_id": b.pk, "replicated_on": "2022-01-01"},
        ]
    }
    response = Client().post(
        f"{BASE}/import",
        {"file": SimpleUploadedFile("jipp.json", json.dumps(document).encode())},
        **as_secretariat,
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "replica_id"), (3, "replica_id")]
    assert "silsilah akan berputar" in errors[0]["message"]
    assert "sudah ada di baris 1" in errors[1]["message"]
    assert not ReplicationLink.objects.exists()


def test_an_import_in_update_mode(innovation_a, innovation_b, as_secretariat):
    ReplicationLinkFactory(source=innovation_a, replica=innovation_b, differences="Lama")
    content = (
        "source_id,replica_id,replicated_on,differences\n"
        f"{innovation_a.pk},{innovation_b.pk},2023-01-10,Baru\n"
    )
    refused = Client().post(
        f"{BASE}/import",
        {"file": SimpleUploadedFile("edges.csv", content.encode())},
        **as_secretariat,
    )
    assert refused.status_code == 422
    response = Client().post(
        f"{BASE}/import",
        {"file": SimpleUploadedFile("edges.csv", content.encode()), "update": "true"},
        **as_secretariat,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["links_created"], body["links_updated"]) == (0, 1)
    assert body["audit_entry"] is not None
    assert ReplicationLink.objects.get().differences == "Baru"


def test_the_stale_list(secretariat, innovation_a, innovation_b, as_secretariat):
    make_stale(innovation_a)
    make_stale(innovation_b)
    asked(innovation_b, secretariat, days_ago=2)
    body = Client().get(f"{BASE}/stale", {"requested": "sudah"}, **as_secretariat).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == innovation_b.pk
    assert item["institution"]["name"] == "Pemerintah Kota Surabaya"
    assert item["last_requested_at"] is not None
    bad = Client().get(f"{BASE}/stale", {"requested": "kemarin"}, **as_secretariat)
    assert bad.status_code == 422


def test_update_requests_report_what_was_skipped(
    secretariat, operator_a, innovation_a, innovation_b, as_secretariat
):
    earlier = asked(innovation_b, secretariat, days_ago=1)
    response = Client().post(
        f"{BASE}/update-requests",
        json.dumps({"innovations": [innovation_a.pk, innovation_b.pk], "message": "Tolong"}),
        content_type="application/json",
        **as_secretariat,
    )
    assert response.status_code == 201
    body = response.json()
    assert [r["innovation"] for r in body["requested"]] == [innovation_a.pk]
    assert body["requested"][0]["recipients"] == ["operator_a@contoh.go.id"]
    assert [s["innovation"] for s in body["skipped"]] == [innovation_b.pk]
    skipped_at = dt.datetime.fromisoformat(body["skipped"][0]["last_requested_at"])
    # JSON times carry milliseconds.
    assert abs(skipped_at - earlier.requested_at) < dt.timedelta(milliseconds=1)
    assert body["emails"] == 1


def test_update_requests_for_unknown_innovations_change_nothing(innovation_a, as_secretariat):
    response = Client().post(
        f"{BASE}/update-requests",
        json.dumps({"innovations": [innovation_a.pk, 987654]}),
        content_type="application/json",
        **as_secretariat,
    )
    assert response.status_code == 422
    assert "987654" in response.json()["detail"]
    assert not UpdateRequest.objects.exists()


@pytest.mark.parametrize("size", [1, 4])
def test_the_stale_list_reads_in_a_fixed_number_of_queries(
    secretariat, unit_a, as_secretariat, django_assert_num_queries, size
):
    for _ in range(size):
        asked(make_stale(InnovationFactory(unit=unit_a)), secretariat, days_ago=9)
    client = Client()
    # token, its last use, memberships; rows; count
    with django_assert_num_queries(5):
        body = client.get(f"{BASE}/stale", **as_secretariat).json()
    assert body["count"] == size
