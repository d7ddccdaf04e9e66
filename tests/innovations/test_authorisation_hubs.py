"""Who may open the hub (Simpul JIPP) pages and call the hub API: reading is public,
every change is the secretariat's (every persona requested)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prima.core.domain.tokens import create_api_token
from prima.core.models import AuditEntry
from prima.innovations.models import JippHub
from tests.conftest import client_for
from tests.innovations.hub_factories import hub, province, regency

COVERED_PAGES = {
    "jipp_hub_list",
    "jipp_hub_export",
    "jipp_hub_detail",
    "jipp_hub_create",
    "jipp_hub_edit",
    "jipp_hub_delete",
    "jipp_hub_members",
    "jipp_hub_member_add",
    "jipp_hub_member_remove",
    "jipp_hub_members_import",
}
COVERED_OPERATIONS = {
    ("get", "/jipp/hubs"),
    ("get", "/jipp/hubs/{}"),
    ("post", "/jipp/hubs"),
    ("patch", "/jipp/hubs/{}"),
    ("delete", "/jipp/hubs/{}"),
    ("put", "/jipp/hubs/{}/members"),
}
PERSONAS = ("secretariat", "admin_a", "operator_a", "operator_b", "evaluator", "nobody", "public")
# Secretariat pages: 403 for every signed-in persona but the secretariat, login for the public.
MANAGE = dict.fromkeys(PERSONAS, 403) | {"secretariat": 200, "public": 302}


@pytest.fixture
def setting(region_a, institution_a, institution_b):
    """Sumatera Barat's hub with Payakumbuh (admin_a's institution) as a member, and Agam
    as a candidate."""
    made = hub(province("13", "Sumatera Barat"), members=[institution_a])
    agam = regency("13.06", "Kabupaten Agam")
    province("35", "Jawa Timur")
    return made, agam


def _snapshot(made):
    made.refresh_from_db()
    return (
        JippHub.objects.count(),
        made.decree_ref,
        made.year,
        sorted(made.members.values_list("pk", flat=True)),
    )


@pytest.mark.parametrize("name", ["jipp_hub_list", "jipp_hub_export", "jipp_hub_detail"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_are_open_to_everyone(personas, setting, name, persona):
    made, _ = setting
    args = [made.pk] if name == "jipp_hub_detail" else []
    response = client_for(personas[persona]).get(reverse(name, args=args))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "name", ["jipp_hub_create", "jipp_hub_edit", "jipp_hub_delete", "jipp_hub_members"]
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_management_pages_are_the_secretariats(personas, setting, name, persona):
    made, _ = setting
    args = [] if name == "jipp_hub_create" else [made.pk]
    response = client_for(personas[persona]).get(reverse(name, args=args))
    assert response.status_code == MANAGE[persona]
    if persona == "public":
        assert response["Location"].startswith(reverse("login"))


def _writes(made, agam):
    sumbar = made.province
    return {
        "jipp_hub_create": (
            reverse("jipp_hub_create"),
            {"province": province("51", "Bali").pk, "decree_ref": "SK 1/2021", "year": 2021},
        ),
        "jipp_hub_edit": (
            reverse("jipp_hub_edit", args=[made.pk]),
            {"province": sumbar.pk, "decree_ref": "SK baru", "year": 2021},
        ),
        "jipp_hub_delete": (reverse("jipp_hub_delete", args=[made.pk]), {}),
        "jipp_hub_member_add": (
            reverse("jipp_hub_member_add", args=[made.pk]),
            {"institution": agam.pk},
        ),
        "jipp_hub_member_remove": (
            reverse("jipp_hub_member_remove", args=[made.pk, made.members.get().pk]),
            {},
        ),
        "jipp_hub_members_import": (
            reverse("jipp_hub_members_import", args=[made.pk]),
            {"file": SimpleUploadedFile("a.csv", f"instansi\n{agam.pk}\n".encode())},
        ),
    }


WRITE_EXPECTED = dict.fromkeys(PERSONAS, 403) | {"secretariat": 302, "public": 302}
WRITES = sorted(
    [
        "jipp_hub_create",
        "jipp_hub_edit",
        "jipp_hub_delete",
        "jipp_hub_member_add",
        "jipp_hub_member_remove",
        "jipp_hub_members_import",
    ]
)


@pytest.mark.parametrize("name", WRITES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_page_writes_are_the_secretariats(personas, setting, name, persona):
    made, agam = setting
    url, data = _writes(made, agam)[name]
    before = _snapshot(made)

    response = client_for(personas[persona]).post(url, data)

    assert response.status_code == WRITE_EXPECTED[persona]
    changes = AuditEntry.objects.filter(action__startswith="jipp.hub.").count()
    if persona == "secretariat":
        assert changes == 1
    else:
        assert changes == 0
        assert _snapshot(made) == before
    if persona == "public":
        assert response["Location"].startswith(reverse("login"))


# --------------------------------------------------------------------------- API


def _headers(person):
    if person is None:
        return {}
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(actor=person, name='uji')[1]}"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_reads_are_public(personas, setting, persona):
    made, _ = setting
    client, headers = client_for(None), _headers(personas[persona])
    assert client.get("/api/v1/jipp/hubs", **headers).status_code == 200
    assert client.get(f"/api/v1/jipp/hubs/{made.pk}", **headers).status_code == 200


API_EXPECTED = dict.fromkeys(PERSONAS, 403) | {"public": 401}


def _api_writes(made, agam):
    base = f"/api/v1/jipp/hubs/{made.pk}"
    return {
        "post": ("post", "/api/v1/jipp/hubs", {"province": "35", "decree_ref": "SK", "year": 2021}),
        "patch": ("patch", base, {"year": 2021}),
        "delete": ("delete", base, None),
        "put": ("put", f"{base}/members", {"institutions": [agam.pk]}),
    }


API_SUCCESS = {"post": 201, "patch": 200, "delete": 204, "put": 200}


@pytest.mark.parametrize("operation", sorted(API_SUCCESS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_writes_are_the_secretariats(personas, setting, operation, persona):
    made, agam = setting
    method, url, body = _api_writes(made, agam)[operation]
    before = _snapshot(made)
    client, headers = client_for(None), _headers(personas[persona])
    call = getattr(client, method)

    if body is None:
        response = call(url, **headers)
    else:
        response = call(url, data=body, content_type="application/json", **headers)

    expected = API_SUCCESS[operation] if persona == "secretariat" else API_EXPECTED[persona]
    assert response.status_code == expected
    if persona != "secretariat":
        assert _snapshot(made) == before
        assert not AuditEntry.objects.filter(action__startswith="jipp.hub.").exists()
