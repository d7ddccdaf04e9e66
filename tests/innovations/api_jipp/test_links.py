"""The replication-link review API: scoped like the queue page, reviews through the domain
(403 not allowed, 422 wrong status or short reason, nothing changed), history per link."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from prima.core.models import AuditEntry
from prima.innovations.domain.link_review import reject_replication_link
from prima.innovations.enums import LinkStatus
from prima.innovations.models import ReplicationLink
from tests.factories import (
    InnovationFactory,
    ReplicationLinkFactory,
    ServiceUnitFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/jipp/links"
REASON = "Bukti replikasi tidak menunjukkan inovasi asal yang disebut."


class Api:
    def __init__(self, key: str | None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}

    def get(self, path: str = "", params=None):
        return self.client.get(BASE + path, params or {}, **self.headers)

    def post(self, path: str, body=None):
        return self.client.post(
            BASE + path, json.dumps(body or {}), content_type="application/json", **self.headers
        )


@pytest.fixture
def api_for(token_for):
    def make(person):
        return Api(token_for(person) if person is not None else None)

    return make


@pytest.fixture
def elsewhere(db):
    return ReplicationLinkFactory(status=LinkStatus.VERIFIED)


def test_list_is_scoped_and_counts_per_status(api_for, admin_a, secretariat, claim, elsewhere):
    body = api_for(admin_a).get().json()
    assert [item["id"] for item in body["items"]] == [claim.pk]
    item = body["items"][0]
    assert item["status"] == "claimed"
    assert item["actions"] == ["confirm", "reject"]
    assert item["source"]["name"] == "SITARANG"
    assert item["replica"]["province_code"] == "35"

    body = api_for(secretariat).get(params={"status": "verified"}).json()
    assert body["count"] == 1 and body["items"][0]["id"] == elsewhere.pk
    assert body["counts"] == {"": 2, "claimed": 1, "confirmed": 0, "verified": 1, "rejected": 0}


def test_list_filters_and_pages(api_for, secretariat, claim, elsewhere):
    api = api_for(secretariat)
    assert api.get(params={"q": "klampid"}).json()["count"] == 1
    assert api.get(params={"province": "13"}).json()["count"] == 1
    page = api.get(params={"limit": 1, "offset": 1, "sort": "lama"}).json()
    assert page["count"] == 2 and [i["id"] for i in page["items"]] == [elsewhere.pk]


@pytest.mark.parametrize("who", ["evaluator", "nobody"])
def test_people_without_a_registry_role_are_refused(api_for, personas, who):
    response = api_for(personas[who]).get()
    assert response.status_code == 403
    assert "Admin Lokal" in response.json()["detail"]


def test_list_query_count_does_not_grow(
    api_for, secretariat, innovation_a, django_assert_num_queries
):
    api = api_for(secretariat)
    ReplicationLinkFactory(source=innovation_a)
    api.get()  # the token's first use is recorded once
    with django_assert_num_queries(5):
        api.get()
    for _ in range(5):
        ReplicationLinkFactory(source=innovation_a, replica__unit=ServiceUnitFactory())
    with django_assert_num_queries(5):
        assert len(api.get().json()["items"]) == 6


def test_detail_carries_the_history(api_for, admin_a, secretariat, claim):
    reject_replication_link(claim, reason=REASON, actor=admin_a)
    body = api_for(secretariat).get(f"/{claim.pk}").json()
    assert body["status"] == "rejected"
    assert body["review_note"] == REASON
    assert body["reviewed_by"]["id"] == admin_a.pk
    assert body["actions"] == ["reopen"]
    assert body["history"] == [
        {
            "at": body["history"][0]["at"],
            "actor": str(admin_a),
            "action": "replication.rejected",
            "status_before": "claimed",
            "status_after": "rejected",
            "note": REASON,
        }
    ]


def test_a_link_outside_the_scope_is_not_found(api_for, operator_a, elsewhere):
    assert api_for(operator_a).get(f"/{elsewhere.pk}").status_code == 404
    assert api_for(operator_a).post(f"/{elsewhere.pk}/confirm").status_code == 404


def test_confirm_then_verify(api_for, admin_a, secretariat, claim):
    response = api_for(admin_a).post(f"/{claim.pk}/confirm", {"note": "Sesuai kunjungan."})
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    assert response.json()["actions"] == []

    response = api_for(secretariat).post(f"/{claim.pk}/verify")
    assert response.json()["status"] == "verified"
    assert list(
        AuditEntry.objects.filter(object_id=str(claim.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["replication.confirmed", "replication.verified"]


def test_the_replicas_admin_is_forbidden(api_for, admin_b, claim):
    response = api_for(admin_b).post(f"/{claim.pk}/confirm")
    assert response.status_code == 403
    assert "Admin Lokal instansi pemilik inovasi asal" in response.json()["detail"]
    assert ReplicationLink.objects.get(pk=claim.pk).status == LinkStatus.CLAIMED


def test_a_wrong_status_is_422_naming_the_status(api_for, secretariat, claim):
    ReplicationLink.objects.filter(pk=claim.pk).update(status=LinkStatus.VERIFIED)
    response = api_for(secretariat).post(f"/{claim.pk}/confirm")
    assert response.status_code == 422
    assert "«Diverifikasi sekretariat»" in response.json()["detail"]


def test_reject_needs_a_reason_and_reopen_restores_the_claim(api_for, admin_a, secretariat, claim):
    response = api_for(admin_a).post(f"/{claim.pk}/reject", {"reason": "Keliru."})
    assert response.status_code == 422
    assert "minimal 20 karakter" in response.json()["detail"]
    assert ReplicationLink.objects.get(pk=claim.pk).status == LinkStatus.CLAIMED

    assert api_for(admin_a).post(f"/{claim.pk}/reject", {"reason": REASON}).status_code == 200
    assert api_for(admin_a).post(f"/{claim.pk}/reopen", {"reason": REASON}).status_code == 403
    response = api_for(secretariat).post(f"/{claim.pk}/reopen", {"reason": REASON})
    assert response.status_code == 200 and response.json()["status"] == "claimed"


def test_bulk_verify_is_all_or_nothing(api_for, secretariat, admin_a, claim, elsewhere):
    other = ReplicationLinkFactory(source=InnovationFactory())
    response = api_for(secretariat).post("/verify", {"ids": [claim.pk, elsewhere.pk]})
    assert response.status_code == 422
    assert "Tidak ada yang diverifikasi" in response.json()["detail"]
    assert ReplicationLink.objects.get(pk=claim.pk).status == LinkStatus.CLAIMED

    response = api_for(secretariat).post("/verify", {"ids": [claim.pk, other.pk]})
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert {item["status"] for item in response.json()["items"]} == {"verified"}

    assert api_for(admin_a).post("/verify", {"ids": [claim.pk]}).status_code == 403
