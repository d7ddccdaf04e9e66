"""The innovation API: scoped like the UI, optimistic locking as 409, public catalogue."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from prima.core.enums import Role
from prima.core.models import AuditEntry
from prima.innovations.models import Category, Innovation
from tests.factories import InnovationFactory, person_with_role

pytestmark = pytest.mark.django_db

BASE = "/api/v1/innovations"


class Api:
    """A client speaking JSON with a bearer token (or nothing, for the public)."""

    def __init__(self, key: str | None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}

    def get(self, path: str, params=None):
        return self.client.get(BASE + path, params or {}, **self.headers)

    def send(self, method: str, path: str, body):
        call = getattr(self.client, method)
        return call(BASE + path, json.dumps(body), content_type="application/json", **self.headers)


@pytest.fixture
def api_for(token_for):
    def make(person):
        return Api(token_for(person) if person is not None else None)

    return make


def new_innovation(unit, **overrides):
    body = {
        "unit": unit.pk,
        "name": "Klinik Berhenti Merokok",
        "summary": "Konseling berhenti merokok di puskesmas.",
        "started_on": "2018-06-01",
        "categories": ["kesehatan"],
        "sdg_goals": [3],
    }
    body.update(overrides)
    return body


class TestList:
    def test_operator_b_gets_only_their_innovations(
        self, api_for, operator_b, innovation_a, innovation_b
    ):
        response = api_for(operator_b).get("")
        assert response.status_code == 200
        data = response.json()
        assert data["count"] == 1
        assert [item["name"] for item in data["items"]] == ["Klampid New Generation"]
        item = data["items"][0]
        assert item["institution"] == {
            "id": innovation_b.institution_id,
            "name": "Pemerintah Kota Surabaya",
        }
        assert item["province_code"] == "35"
        assert item["version"] == 1

    def test_filters_limit_and_offset(self, api_for, secretariat, unit_a, innovation_b):
        for n in range(7):
            InnovationFactory(unit=unit_a, name=f"Inovasi Payakumbuh {n}")
        api = api_for(secretariat)
        page = api.get("", {"province": "13", "sort": "nama", "limit": 3, "offset": 3}).json()
        assert page["count"] == 7
        assert [i["name"] for i in page["items"]] == [f"Inovasi Payakumbuh {n}" for n in (3, 4, 5)]
        assert api.get("", {"q": "klampid"}).json()["count"] == 1
        assert api.get("", {"institution": innovation_b.institution_id}).json()["count"] == 1
        assert api.get("", {"published": "true"}).json()["count"] == 0

    def test_limit_above_500_is_rejected(self, api_for, secretariat):
        response = api_for(secretariat).get("", {"limit": 501})
        assert response.status_code == 422
        assert "detail" in response.json()

    def test_without_token_401_and_without_role_403(self, api_for, evaluator):
        assert api_for(None).get("").status_code == 401
        response = api_for(evaluator).get("")
        assert response.status_code == 403
        assert response.json() == {"detail": "Anda tidak memiliki akses ke registri inovasi."}

    def test_fixed_number_of_queries(self, secretariat, unit_a, django_assert_num_queries):
        client = Client()
        client.force_login(secretariat)  # a session authenticates reads
        InnovationFactory(unit=unit_a)
        with django_assert_num_queries(6):
            client.get(BASE)
        for _ in range(5):
            InnovationFactory(unit=unit_a).categories.set(Category.objects.all()[:3])
        with django_assert_num_queries(6):
            assert client.get(BASE).json()["count"] == 6


class TestPublic:
    def test_lists_published_only_without_internal_fields(
        self, api_for, innovation_a, innovation_b
    ):
        innovation_b.is_published = True
        innovation_b.save()
        data = api_for(None).get("/public").json()
        assert data["count"] == 1
        item = data["items"][0]
        assert item["name"] == "Klampid New Generation"
        assert "version" not in item and "is_published" not in item

    def test_detail_of_unpublished_is_404(self, api_for, innovation_a):
        response = api_for(None).get(f"/public/{innovation_a.pk}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Inovasi tidak ditemukan."}

    def test_fixed_number_of_queries(self, unit_a, django_assert_num_queries):
        client = Client()
        InnovationFactory(unit=unit_a, is_published=True)
        with django_assert_num_queries(3):
            client.get(BASE + "/public")
        for _ in range(5):
            InnovationFactory(unit=unit_a, is_published=True)
        with django_assert_num_queries(3):
            assert client.get(BASE + "/public").json()["count"] == 6


class TestCreate:
    def test_operator_creates_for_own_unit(self, api_for, operator_a, unit_a):
        response = api_for(operator_a).send("post", "", new_innovation(unit_a))
        assert response.status_code == 201
        data = response.json()
        assert data["version"] == 1
        assert data["categories"] == ["kesehatan"]
        assert data["unit"]["id"] == unit_a.pk
        innovation = Innovation.objects.get(pk=data["id"])
        assert innovation.institution_id == unit_a.institution_id
        assert AuditEntry.objects.get(action="innovation.registered").actor == operator_a

    def test_unit_not_editable_is_403_and_nothing_is_written(self, api_for, operator_b, unit_a):
        response = api_for(operator_b).send("post", "", new_innovation(unit_a))
        assert response.status_code == 403
        assert "tidak berwenang" in response.json()["detail"]
        assert not Innovation.objects.exists()

    def test_domain_refusal_is_422_with_detail(self, api_for, operator_a, unit_a):
        tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        response = api_for(operator_a).send("post", "", new_innovation(unit_a, started_on=tomorrow))
        assert response.status_code == 422
        assert "masa depan" in response.json()["detail"]
        assert "started_on" in response.json()["detail"]
        response = api_for(operator_a).send("post", "", new_innovation(unit_a, sdg_goals=[18]))
        assert response.status_code == 422
        assert not Innovation.objects.exists()

    def test_schema_violation_and_unknown_unit_are_422(self, api_for, operator_a, unit_a):
        body = new_innovation(unit_a)
        del body["name"]
        assert api_for(operator_a).send("post", "", body).status_code == 422
        response = api_for(operator_a).send("post", "", {**new_innovation(unit_a), "unit": 999999})
        assert response.status_code == 422
        assert "999999" in response.json()["detail"]

    def test_session_without_token_cannot_write(self, operator_a, unit_a):
        client = Client()
        client.force_login(operator_a)
        response = client.post(
            BASE, json.dumps(new_innovation(unit_a)), content_type="application/json"
        )
        assert response.status_code == 401
        assert not Innovation.objects.exists()


class TestReadAndUpdate:
    def test_get_is_404_outside_the_scope(self, api_for, operator_a, operator_b, innovation_a):
        assert api_for(operator_a).get(f"/{innovation_a.pk}").json()["name"] == "SITARANG"
        response = api_for(operator_b).get(f"/{innovation_a.pk}")
        assert response.status_code == 404

    def test_put_replaces_content_and_bumps_version(self, api_for, operator_a, innovation_a):
        body = {
            "version": 1,
            "name": "SITARANG",
            "summary": "Peta tata ruang daring.",
            "started_on": "2019-05-02",
            "sdg_goals": [11],
        }
        response = api_for(operator_a).send("put", f"/{innovation_a.pk}", body)
        assert response.status_code == 200
        data = response.json()
        assert data["version"] == 2
        assert data["summary"] == "Peta tata ruang daring."
        assert data["categories"] == []  # PUT replaces every content field
        assert data["problem"] == ""

    def test_patch_changes_only_what_is_sent(self, api_for, operator_a, innovation_a):
        response = api_for(operator_a).send(
            "patch", f"/{innovation_a.pk}", {"version": 1, "results": "Izin terbit 2 hari."}
        )
        assert response.status_code == 200
        innovation_a.refresh_from_db()
        assert innovation_a.results == "Izin terbit 2 hari."
        assert innovation_a.summary.startswith("Sistem informasi tata ruang")
        assert list(innovation_a.categories.values_list("code", flat=True)) == [
            "tata_kelola_pemerintahan"
        ]

    @pytest.mark.parametrize("method", ["put", "patch"])
    def test_stale_version_is_409(self, method, api_for, operator_a, admin_a, innovation_a):
        api_for(admin_a).send("patch", f"/{innovation_a.pk}", {"version": 1, "acronym": "STR"})
        body = {"version": 1, "name": "SITARANG Mobile", "summary": "x", "started_on": "2019-05-02"}
        response = api_for(operator_a).send(method, f"/{innovation_a.pk}", body)
        assert response.status_code == 409
        assert "sudah diubah oleh admin_a" in response.json()["detail"]
        innovation_a.refresh_from_db()
        assert (innovation_a.name, innovation_a.acronym, innovation_a.version) == (
            "SITARANG",
            "STR",
            2,
        )

    def test_reader_without_edit_right_gets_403(self, api_for, innovation_a):
        viewer = person_with_role(Role.VIEWER)
        response = api_for(viewer).send("patch", f"/{innovation_a.pk}", {"version": 1, "name": "X"})
        assert response.status_code == 403

    def test_status_and_publication(self, api_for, operator_a, innovation_a):
        api = api_for(operator_a)
        response = api.send("post", f"/{innovation_a.pk}/status", {"status": "paused"})
        assert response.status_code == 422
        assert "Alasan wajib diisi" in response.json()["detail"]
        response = api.send(
            "post",
            f"/{innovation_a.pk}/status",
            {"status": "paused", "reason": "Perawatan server.", "version": 1},
        )
        assert response.json()["status"] == "paused"
        response = api.send("post", f"/{innovation_a.pk}/publish", {})
        assert response.json()["is_published"] is True
        assert api_for(None).get(f"/public/{innovation_a.pk}").status_code == 200
        assert api.send("post", f"/{innovation_a.pk}/publish", {}).status_code == 422
        assert api.send("post", f"/{innovation_a.pk}/unpublish", {}).json()["is_published"] is False


# Authorisation matrix for the API: endpoint × persona → status.
PERSONAS = ["secretariat", "admin_a", "operator_a", "operator_b", "evaluator", "nobody", "public"]
API_MATRIX = [
    ("get", "", None, (200, 200, 200, 200, 403, 403, 401)),
    ("post", "", "create_a", (201, 201, 201, 403, 403, 403, 401)),
    ("get", "/{a}", None, (200, 200, 200, 404, 404, 404, 401)),
    ("patch", "/{a}", {"version": 1, "acronym": "S"}, (200, 200, 200, 404, 404, 404, 401)),
    (
        "put",
        "/{a}",
        {
            "version": 1,
            "name": "Layanan Terpadu",
            "summary": "Ringkasan baru.",
            "started_on": "2019-01-01",
        },
        (200, 200, 200, 404, 404, 404, 401),
    ),
    (
        "post",
        "/{a}/status",
        {"status": "paused", "reason": "Anggaran habis", "changed_on": "2024-01-02"},
        (200, 200, 200, 404, 404, 404, 401),
    ),
    # Not yet published: editors reach the rule (422), others never see the innovation.
    ("post", "/{a}/unpublish", {}, (422, 422, 422, 404, 404, 404, 401)),
    ("post", "/{a}/publish", {}, (200, 200, 200, 404, 404, 404, 401)),
    ("get", "/public", None, (200,) * 7),
    ("get", "/public/{a}", None, (404,) * 7),
]
API_CASES = [
    (method, path, body, who, expected[i])
    for method, path, body, expected in API_MATRIX
    for i, who in enumerate(PERSONAS)
]


@pytest.mark.parametrize(
    ("method", "path", "body", "who", "expected"),
    API_CASES,
    ids=[f"{m} {p or '/'} {w}" for m, p, _, w, _ in API_CASES],
)
def test_api_matrix(method, path, body, who, expected, personas, api_for, innovation_a, unit_a):
    api = api_for(personas[who])
    path = path.replace("{a}", str(innovation_a.pk))
    if body == "create_a":
        body = new_innovation(unit_a)
    response = api.get(path) if method == "get" else api.send(method, path, body)
    assert response.status_code == expected
    if expected >= 400:
        assert "detail" in response.json()


def test_times_are_given_in_jakarta_time(api_for, operator_a, innovation_a):
    data = api_for(operator_a).get(f"/{innovation_a.pk}").json()
    assert data["created_at"].endswith("+07:00")


def test_endpoints_are_documented_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/innovations", "/api/v1/innovations/{innovation_id}"} <= set(paths)
    assert "patch" in paths["/api/v1/innovations/{innovation_id}"]
    assert paths["/api/v1/innovations/public"]["get"].get("security") in (None, [])
