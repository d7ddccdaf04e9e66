"""Who may read and change a unit's service catalogue, page by page and operation by operation.

Readers: whoever sees the unit (secretariat, national analysts and viewers, the people of
its institution). Writers: the secretariat, the institution's Admin Lokal and the unit's
operators. Anyone else gets 404 (the unit is not revealed); readers who may not write, 403.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prima.core.domain.tokens import create_api_token
from prima.core.enums import Role
from prima.core.models import Service
from tests.conftest import client_for
from tests.factories import ServiceFactory, person_with_role

COVERED_PAGES = {
    "unit_services",
    "unit_service_create",
    "unit_service_update",
    "unit_service_deactivate",
    "unit_service_reactivate",
    "unit_service_import",
    "unit_service_import_template",
    "unit_service_export",
}
COVERED_OPERATIONS = {
    ("get", "/units/{}/services"),
    ("post", "/units/{}/services"),
    ("patch", "/services/{}"),
}

READ = {
    "secretariat": 200,
    "admin_a": 200,
    "operator_a": 200,
    "institution_viewer_a": 200,
    "analyst": 200,
    "national_viewer": 200,
    "operator_b": 404,
    "admin_b": 404,
    "evaluator": 404,
    "nobody": 404,
    "public": 302,
}
WRITE = {
    **READ,
    "institution_viewer_a": 403,
    "analyst": 403,
    "national_viewer": 403,
}


@pytest.fixture
def cast(personas, institution_a, institution_b):
    people = dict(personas)
    people["admin_b"] = person_with_role(Role.INSTITUTION_ADMIN, institution=institution_b)
    people["analyst"] = person_with_role(Role.ANALYST)
    people["national_viewer"] = person_with_role(Role.VIEWER)
    people["institution_viewer_a"] = person_with_role(Role.VIEWER, institution=institution_a)
    return people


@pytest.fixture
def service(unit_a):
    return ServiceFactory(unit=unit_a, code="KK-BARU", name="Kartu Keluarga baru")


@pytest.mark.parametrize("persona, expected", sorted(READ.items()))
@pytest.mark.parametrize(
    "name, extra",
    [("unit_services", []), ("unit_service_export", []), ("unit_service_import_template", ["csv"])],
)
def test_reading_pages(cast, unit_a, service, persona, expected, name, extra):
    response = client_for(cast[persona]).get(reverse(name, args=[unit_a.pk, *extra]))
    assert response.status_code == expected
    if expected == 200 and name != "unit_service_import_template":
        assert b"KK-BARU" in response.content


@pytest.mark.parametrize("persona, expected", sorted(WRITE.items()))
@pytest.mark.parametrize("name", ["unit_service_create", "unit_service_import"])
def test_writing_pages_of_the_unit(cast, unit_a, persona, expected, name):
    response = client_for(cast[persona]).get(reverse(name, args=[unit_a.pk]))
    assert response.status_code == expected


@pytest.mark.parametrize("persona, expected", sorted(WRITE.items()))
def test_the_edit_page(cast, unit_a, service, persona, expected):
    response = client_for(cast[persona]).get(
        reverse("unit_service_update", args=[unit_a.pk, service.pk])
    )
    assert response.status_code == expected


@pytest.mark.parametrize("persona, expected", sorted(WRITE.items()))
def test_switching_a_service_off_and_on(cast, unit_a, service, persona, expected):
    client = client_for(cast[persona])
    answer = client.post(reverse("unit_service_deactivate", args=[unit_a.pk, service.pk]))
    service.refresh_from_db()
    allowed = expected == 200
    assert answer.status_code == (302 if allowed or expected == 302 else expected)
    assert service.is_active is not allowed
    answer = client.post(reverse("unit_service_reactivate", args=[unit_a.pk, service.pk]))
    service.refresh_from_db()
    assert service.is_active


@pytest.mark.parametrize("persona, expected", sorted(WRITE.items()))
def test_posting_a_new_service_and_an_import(cast, unit_a, persona, expected):
    client = client_for(cast[persona])
    client.post(reverse("unit_service_create", args=[unit_a.pk]), {"code": "KTP-EL", "name": "KTP"})
    upload = SimpleUploadedFile("l.csv", b"code,name\nSIM-A,SIM A\n")
    client.post(reverse("unit_service_import", args=[unit_a.pk]), {"file": upload})
    created = set(Service.objects.filter(unit=unit_a).values_list("code", flat=True))
    assert created == ({"KTP-EL", "SIM-A"} if expected == 200 else set())


def _headers(person) -> dict[str, str]:
    if person is None:
        return {}
    _, key = create_api_token(actor=person, name="uji")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


API_READ = {**READ, "public": 401}
API_WRITE = {**WRITE, "public": 401}


@pytest.mark.parametrize("persona, expected", sorted(API_READ.items()))
def test_api_list(cast, unit_a, service, persona, expected):
    response = client_for(None).get(
        f"/api/v1/units/{unit_a.pk}/services", **_headers(cast[persona])
    )
    assert response.status_code == expected
    if expected == 200:
        assert [s["code"] for s in response.json()["items"]] == ["KK-BARU"]


@pytest.mark.parametrize("persona, expected", sorted(API_WRITE.items()))
def test_api_create(cast, unit_a, persona, expected):
    response = client_for(None).post(
        f"/api/v1/units/{unit_a.pk}/services",
        {"code": "KTP-EL", "name": "KTP elektronik"},
        content_type="application/json",
        **_headers(cast[persona]),
    )
    assert response.status_code == (201 if expected == 200 else expected)
    assert Service.objects.filter(code="KTP-EL").exists() is (expected == 200)


@pytest.mark.parametrize("persona, expected", sorted(API_WRITE.items()))
def test_api_patch(cast, service, persona, expected):
    response = client_for(None).patch(
        f"/api/v1/services/{service.pk}",
        {"name": "Nama baru", "is_active": False},
        content_type="application/json",
        **_headers(cast[persona]),
    )
    assert response.status_code == expected
    service.refresh_from_db()
    assert (service.name == "Nama baru") is (expected == 200)
    assert service.is_active is not (expected == 200)
