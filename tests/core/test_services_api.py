"""The service catalogue API: answers, refusals with Indonesian messages, fixed query counts."""

from __future__ import annotations

import pytest
from django.test import Client

from prima.core.domain.tokens import create_api_token
from prima.core.models import AuditEntry, Service
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def api(person) -> tuple[Client, dict[str, str]]:
    _, key = create_api_token(actor=person, name="uji")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize("count", [1, 25])
def test_the_list_costs_the_same_whatever_its_length(
    operator_a, unit_a, count, django_assert_num_queries
):
    ServiceFactory.create_batch(count, unit=unit_a)
    client, headers = api(operator_a)
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/units/{unit_a.pk}/services", **headers)
    assert response.json()["count"] == count


def test_the_list_filters_by_status(operator_a, unit_a):
    ServiceFactory(unit=unit_a, code="KK-BARU")
    ServiceFactory(unit=unit_a, code="KTP-EL", is_active=False)
    client, headers = api(operator_a)
    url = f"/api/v1/units/{unit_a.pk}/services"

    active = client.get(url, {"status": "active"}, **headers).json()
    assert [s["code"] for s in active["items"]] == ["KK-BARU"]
    bad = client.get(url, {"status": "semua"}, **headers)
    assert bad.status_code == 400
    assert "status 'semua' tidak dikenal" in bad.json()["detail"]


def test_create_returns_the_service_and_refuses_a_taken_code(operator_a, unit_a):
    client, headers = api(operator_a)
    url = f"/api/v1/units/{unit_a.pk}/services"
    created = client.post(
        url, {"code": "kk-baru", "name": "KK baru"}, content_type="application/json", **headers
    )
    assert created.status_code == 201
    assert created.json()["code"] == "KK-BARU"

    again = client.post(
        url, {"code": "KK-BARU", "name": "Lagi"}, content_type="application/json", **headers
    )
    assert again.status_code == 422
    assert "sudah dipakai" in again.json()["detail"]
    assert "(kolom: code)" in again.json()["detail"]


def test_patch_renames_with_a_version_and_refuses_a_stale_one(operator_a, unit_a):
    service = ServiceFactory(unit=unit_a, code="KK-BARU", name="KK")
    client, headers = api(operator_a)
    url = f"/api/v1/services/{service.pk}"
    read = client.get(f"/api/v1/units/{unit_a.pk}/services", **headers).json()["items"][0]

    renamed = client.patch(
        url,
        {"name": "Kartu Keluarga baru", "updated_at": read["updated_at"]},
        content_type="application/json",
        **headers,
    )
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Kartu Keluarga baru"

    stale = client.patch(
        url,
        {"name": "Lain", "updated_at": read["updated_at"]},
        content_type="application/json",
        **headers,
    )
    assert stale.status_code == 409
    service.refresh_from_db()
    assert service.name == "Kartu Keluarga baru"


def test_patch_deactivates_with_a_reason(admin_a, unit_a):
    service = ServiceFactory(unit=unit_a, code="KK-BARU")
    client, headers = api(admin_a)
    response = client.patch(
        f"/api/v1/services/{service.pk}",
        {"is_active": False, "reason": "Tidak dilayani lagi"},
        content_type="application/json",
        **headers,
    )
    assert response.json()["is_active"] is False
    entry = AuditEntry.objects.get(action="service.deactivated")
    assert entry.reason == "Tidak dilayani lagi"


def test_writes_need_a_token_not_a_session(operator_a, unit_a):
    client = Client()
    client.force_login(operator_a)
    response = client.post(
        f"/api/v1/units/{unit_a.pk}/services",
        {"code": "KK-BARU", "name": "KK"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert not Service.objects.exists()


def test_a_patch_refused_half_way_changes_nothing(admin_a, unit_a):
    service = ServiceFactory(unit=unit_a, code="KK-BARU", name="KK baru", is_active=False)
    unit_a.is_active = False
    unit_a.save(update_fields=["is_active"])
    client, headers = api(admin_a)

    response = client.patch(
        f"/api/v1/services/{service.pk}",
        {"name": "Kartu Keluarga baru", "is_active": True, "reason": "Layanan dibuka lagi"},
        content_type="application/json",
        **headers,
    )

    # The rename is allowed, the reactivation is not (the unit is inactive): neither stays.
    assert response.status_code == 422
    assert "nonaktif" in response.json()["detail"]
    service.refresh_from_db()
    assert (service.name, service.is_active) == ("KK baru", False)
    assert not AuditEntry.objects.filter(action="service.updated").exists()
