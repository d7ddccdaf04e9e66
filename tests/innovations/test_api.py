"""The innovation API: scoped like the UI, optimistic locking as 409, public catalogue."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from prima.core.enums import Role
from prima.core.models import AuditEntry
from prima.innovations.domain.evidence import add_evidence
from prima.innovations.models import AwardRecord, Category, Evidence, Innovation, ReplicationLink
from tests.factories import InnovationFactory, ReplicationLinkFactory, person_with_role
from tests.innovations.conftest import PDF_BYTES, pdf_upload, png_upload

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

    def upload(self, path: str, data: dict):
        """A multipart POST (files and form fields)."""
        return self.client.post(BASE + path, data, **self.headers)


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


def a_source(unit, **overrides):
    """An innovation old enough to have been replicated by SITARANG (started 2019)."""
    values = {"unit": unit, "name": "Sumber Replikasi", "started_on": dt.date(2015, 1, 1)}
    values.update(overrides)
    return InnovationFactory(**values)


def replication_body(source, **overrides):
    body = {
        "source": source.pk,
        "replicated_on": "2020-03-01",
        "adaptation": "Pengajuan dokumen daring",
        "differences": "Ditambah peta",
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
    # Records around an innovation: evidence, replication lineage, awards.
    ("get", "/{a}/evidence", None, (200, 200, 200, 404, 404, 404, 401)),
    ("post", "/{a}/evidence", "upload_pdf", (201, 201, 201, 404, 404, 404, 401)),
    ("delete", "/{a}/evidence/{e}", None, (204, 204, 204, 404, 404, 404, 401)),
    ("get", "/{a}/lineage", None, (200, 200, 200, 404, 404, 404, 401)),
    ("post", "/{a}/replications", "link_a", (201, 201, 201, 404, 404, 404, 401)),
    ("delete", "/{a}/replications/{l}", None, (204, 204, 204, 404, 404, 404, 401)),
    ("get", "/{a}/awards", None, (200, 200, 200, 404, 404, 404, 401)),
    (
        "post",
        "/{a}/awards",
        {"programme": "kipp", "year": 2019, "tier": "top99", "level": "finalist"},
        (201, 403, 403, 404, 404, 404, 401),
    ),
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
def test_api_matrix(
    method, path, body, who, expected, personas, api_for, innovation_a, unit_a, operator_a
):
    api = api_for(personas[who])
    path = path.replace("{a}", str(innovation_a.pk))
    if "{e}" in path:
        evidence = add_evidence(innovation_a, actor=operator_a, upload=pdf_upload())
        path = path.replace("{e}", str(evidence.pk))
    if "{l}" in path:
        link = ReplicationLinkFactory(replica=innovation_a, source=a_source(unit_a))
        path = path.replace("{l}", str(link.pk))
    if body == "create_a":
        body = new_innovation(unit_a)
    if body == "link_a":
        body = replication_body(a_source(unit_a))
    if method == "get":
        response = api.get(path)
    elif body == "upload_pdf":
        response = api.upload(path, {"file": pdf_upload(), "description": "SK"})
    else:
        response = api.send(method, path, body)
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


class TestEvidenceApi:
    def test_upload_pdf_then_list_it_and_the_upload_is_audited(
        self, api_for, operator_a, innovation_a
    ):
        api = api_for(operator_a)
        response = api.upload(
            f"/{innovation_a.pk}/evidence",
            {
                "file": pdf_upload("SK Walikota.pdf"),
                "description": "SK penetapan",
                "is_public": "true",
            },
        )
        assert response.status_code == 201
        created = response.json()
        evidence = Evidence.objects.get()
        assert created["id"] == evidence.pk
        assert created["content_type"] == "application/pdf"
        assert created["size"] == len(PDF_BYTES)
        assert created["is_public"] is True
        assert created["download_url"].endswith(f"/inovasi/bukti/{evidence.pk}/")
        with evidence.file.open("rb") as stored:
            assert stored.read() == PDF_BYTES
        entry = AuditEntry.objects.get(action="evidence.added")
        assert entry.actor == operator_a

        listing = api.get(f"/{innovation_a.pk}/evidence").json()
        assert listing["count"] == 1
        item = listing["items"][0]
        assert item == created
        assert item["original_name"] == "SK Walikota.pdf"
        assert item["description"] == "SK penetapan"
        assert len(item["sha256"]) == 64
        assert item["uploaded_at"].endswith("+07:00")

    def test_png_named_pdf_is_stored_as_png(self, api_for, operator_a, innovation_a):
        response = api_for(operator_a).upload(
            f"/{innovation_a.pk}/evidence", {"file": png_upload("laporan.pdf")}
        )
        # A PNG is an accepted type: the type comes from the content, so it is stored as
        # PNG, never as the PDF its name claims.
        assert response.status_code == 201
        assert response.json()["content_type"] == "image/png"

    def test_html_renamed_to_pdf_is_refused_with_the_indonesian_message(
        self, api_for, operator_a, innovation_a
    ):
        fake = SimpleUploadedFile("laporan.pdf", b"<html><body>bukan pdf</body></html>")
        response = api_for(operator_a).upload(f"/{innovation_a.pk}/evidence", {"file": fake})
        assert response.status_code == 422
        assert response.json()["detail"].startswith("Jenis berkas tidak diterima")
        assert not Evidence.objects.exists()
        assert not AuditEntry.objects.filter(action="evidence.added").exists()

    def test_too_large_is_refused(self, api_for, operator_a, innovation_a, settings):
        settings.UPLOAD_MAX_BYTES = 20
        response = api_for(operator_a).upload(
            f"/{innovation_a.pk}/evidence", {"file": pdf_upload()}
        )
        assert response.status_code == 422
        assert "Berkas terlalu besar" in response.json()["detail"]
        assert not Evidence.objects.exists()

    def test_missing_file_is_422(self, api_for, operator_a, innovation_a):
        response = api_for(operator_a).upload(f"/{innovation_a.pk}/evidence", {"description": "x"})
        assert response.status_code == 422
        assert "detail" in response.json()

    def test_operator_b_cannot_list_or_touch_a_evidence(
        self, api_for, operator_a, operator_b, innovation_a
    ):
        evidence = add_evidence(innovation_a, actor=operator_a, upload=pdf_upload())
        api = api_for(operator_b)
        response = api.get(f"/{innovation_a.pk}/evidence")
        assert response.status_code == 404
        assert response.json() == {"detail": "Inovasi tidak ditemukan."}
        assert api.send("delete", f"/{innovation_a.pk}/evidence/{evidence.pk}", {}).status_code == (
            404
        )
        assert Evidence.objects.exists()

    def test_reader_without_edit_right_gets_403(self, api_for, operator_a, innovation_a):
        evidence = add_evidence(innovation_a, actor=operator_a, upload=pdf_upload())
        viewer = person_with_role(Role.VIEWER)
        api = api_for(viewer)
        assert api.get(f"/{innovation_a.pk}/evidence").json()["count"] == 1
        response = api.upload(f"/{innovation_a.pk}/evidence", {"file": png_upload()})
        assert response.status_code == 403
        response = api.send("delete", f"/{innovation_a.pk}/evidence/{evidence.pk}", {})
        assert response.status_code == 403
        assert Evidence.objects.count() == 1

    def test_delete_removes_and_audits(self, api_for, operator_a, innovation_a, innovation_b):
        evidence = add_evidence(innovation_a, actor=operator_a, upload=pdf_upload())
        api = api_for(operator_a)
        # The evidence id must belong to the innovation in the path.
        other = api.send("delete", f"/{innovation_b.pk}/evidence/{evidence.pk}", {})
        assert other.status_code == 404
        response = api.send("delete", f"/{innovation_a.pk}/evidence/{evidence.pk}", {})
        assert response.status_code == 204
        assert not Evidence.objects.exists()
        assert AuditEntry.objects.get(action="evidence.removed").actor == operator_a
        again = api.send("delete", f"/{innovation_a.pk}/evidence/{evidence.pk}", {})
        assert again.status_code == 404
        assert again.json() == {"detail": "Bukti dukung tidak ditemukan."}

    def test_session_without_token_cannot_upload(self, operator_a, innovation_a):
        client = Client()
        client.force_login(operator_a)
        response = client.post(f"{BASE}/{innovation_a.pk}/evidence", {"file": pdf_upload()})
        assert response.status_code == 401
        assert not Evidence.objects.exists()

    def test_fixed_number_of_queries(self, operator_a, innovation_a, django_assert_num_queries):
        client = Client()
        client.force_login(operator_a)
        add_evidence(innovation_a, actor=operator_a, upload=pdf_upload())
        url = f"{BASE}/{innovation_a.pk}/evidence"
        with django_assert_num_queries(5):
            assert client.get(url).json()["count"] == 1
        add_evidence(innovation_a, actor=operator_a, upload=pdf_upload(content=PDF_BYTES + b"1"))
        add_evidence(innovation_a, actor=operator_a, upload=png_upload())
        with django_assert_num_queries(5):
            assert client.get(url).json()["count"] == 3


class TestLineageApi:
    def test_link_then_see_both_directions(self, api_for, operator_a, unit_a, innovation_a):
        source = a_source(unit_a)
        api = api_for(operator_a)
        response = api.send("post", f"/{innovation_a.pk}/replications", replication_body(source))
        assert response.status_code == 201
        link = ReplicationLink.objects.get()
        assert (link.replica, link.source) == (innovation_a, source)
        created = response.json()
        assert created["id"] == link.pk
        assert created["innovation"] == {
            "id": source.pk,
            "name": "Sumber Replikasi",
            "institution": {"id": unit_a.institution_id, "name": source.institution.name},
            "internal": True,
        }
        assert AuditEntry.objects.get(action="replication.linked").actor == operator_a

        lineage = api.get(f"/{innovation_a.pk}/lineage").json()
        assert lineage["sources"] == [created]
        assert lineage["replicas"] == []
        assert lineage["sources"][0]["replicated_on"] == "2020-03-01"
        assert lineage["sources"][0]["adaptation"] == "Pengajuan dokumen daring"
        assert lineage["sources"][0]["differences"] == "Ditambah peta"
        seen_from_source = api.get(f"/{source.pk}/lineage").json()
        assert [r["innovation"]["id"] for r in seen_from_source["replicas"]] == [innovation_a.pk]

    def test_only_visible_or_published_innovations_appear(
        self, api_for, operator_a, operator_b, innovation_a, innovation_b, unit_b
    ):
        ReplicationLinkFactory(replica=innovation_a, source=innovation_b)
        published = a_source(unit_b, name="Terbit", is_published=True)
        ReplicationLinkFactory(replica=innovation_a, source=published)
        lineage = api_for(operator_a).get(f"/{innovation_a.pk}/lineage").json()
        assert [s["innovation"]["name"] for s in lineage["sources"]] == ["Terbit"]
        assert lineage["sources"][0]["innovation"]["internal"] is False
        assert lineage["hidden_sources"] == 1
        # From B's side, SITARANG (unpublished, not theirs) is hidden.
        from_b = api_for(operator_b).get(f"/{innovation_b.pk}/lineage").json()
        assert from_b["replicas"] == [] and from_b["hidden_replicas"] == 1

    def test_unpublished_source_of_others_is_404(
        self, api_for, operator_a, innovation_a, innovation_b
    ):
        response = api_for(operator_a).send(
            "post", f"/{innovation_a.pk}/replications", replication_body(innovation_b)
        )
        assert response.status_code == 404
        assert response.json() == {"detail": "Inovasi sumber tidak ditemukan."}
        innovation_b.is_published = True
        innovation_b.save()
        response = api_for(operator_a).send(
            "post", f"/{innovation_a.pk}/replications", replication_body(innovation_b)
        )
        assert response.status_code == 201

    def test_cycle_is_refused_with_the_domain_message(
        self, api_for, operator_a, unit_a, innovation_a
    ):
        source = a_source(unit_a, name="Sumber")
        ReplicationLinkFactory(replica=source, source=innovation_a)
        response = api_for(operator_a).send(
            "post", f"/{innovation_a.pk}/replications", replication_body(source)
        )
        assert response.status_code == 422
        assert "Silsilah akan berputar" in response.json()["detail"]
        assert ReplicationLink.objects.count() == 1

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"self": True}, "tidak dapat mereplikasi dirinya sendiri"),
            ({"replicated_on": "2014-12-31"}, "tidak boleh sebelum"),
            ({"adaptation": "  "}, "Jelaskan apa yang diadaptasi"),
        ],
    )
    def test_domain_rules_are_422(
        self, overrides, message, api_for, operator_a, unit_a, innovation_a
    ):
        source = innovation_a if overrides.pop("self", False) else a_source(unit_a)
        body = replication_body(source, **overrides)
        response = api_for(operator_a).send("post", f"/{innovation_a.pk}/replications", body)
        assert response.status_code == 422
        assert message in response.json()["detail"]
        assert not ReplicationLink.objects.exists()

    def test_duplicate_is_422(self, api_for, operator_a, unit_a, innovation_a):
        source = a_source(unit_a)
        api = api_for(operator_a)
        api.send("post", f"/{innovation_a.pk}/replications", replication_body(source))
        response = api.send("post", f"/{innovation_a.pk}/replications", replication_body(source))
        assert response.status_code == 422
        assert "sudah tercatat mereplikasi" in response.json()["detail"]

    def test_reader_without_edit_right_gets_403(self, api_for, unit_a, innovation_a):
        viewer = person_with_role(Role.VIEWER)
        response = api_for(viewer).send(
            "post", f"/{innovation_a.pk}/replications", replication_body(a_source(unit_a))
        )
        assert response.status_code == 403
        assert not ReplicationLink.objects.exists()

    def test_unlink_only_from_the_replica_side(self, api_for, operator_a, unit_a, innovation_a):
        source = a_source(unit_a)
        link = ReplicationLinkFactory(replica=innovation_a, source=source)
        api = api_for(operator_a)
        assert api.send("delete", f"/{source.pk}/replications/{link.pk}", {}).status_code == 404
        response = api.send("delete", f"/{innovation_a.pk}/replications/{link.pk}", {})
        assert response.status_code == 204
        assert not ReplicationLink.objects.exists()
        assert AuditEntry.objects.get(action="replication.unlinked").actor == operator_a

    def test_fixed_number_of_queries(
        self, operator_a, unit_a, innovation_a, django_assert_num_queries
    ):
        client = Client()
        client.force_login(operator_a)
        ReplicationLinkFactory(replica=innovation_a, source=a_source(unit_a))
        url = f"{BASE}/{innovation_a.pk}/lineage"
        with django_assert_num_queries(7):
            assert len(client.get(url).json()["sources"]) == 1
        ReplicationLinkFactory(replica=innovation_a, source=a_source(unit_a, name="Dua"))
        ReplicationLinkFactory(
            replica=a_source(unit_a, name="Tiga", started_on=dt.date(2020, 1, 1)),
            source=innovation_a,
        )
        with django_assert_num_queries(7):
            data = client.get(url).json()
            assert (len(data["sources"]), len(data["replicas"])) == (2, 1)


class TestAwardsApi:
    BODY = {
        "programme": "kipp",
        "year": 2019,
        "tier": "top99",
        "level": "finalist",
        "decree_ref": "KepmenPANRB 45/2019",
    }

    def test_secretariat_records_and_everyone_in_scope_lists(
        self, api_for, secretariat, operator_a, innovation_a
    ):
        response = api_for(secretariat).send("post", f"/{innovation_a.pk}/awards", self.BODY)
        assert response.status_code == 201
        award = AwardRecord.objects.get()
        assert response.json()["id"] == award.pk
        assert award.decree_ref == "KepmenPANRB 45/2019"
        assert AuditEntry.objects.get(action="award.recorded").actor == secretariat
        listing = api_for(operator_a).get(f"/{innovation_a.pk}/awards").json()
        assert listing["count"] == 1
        item = listing["items"][0]
        assert {k: item[k] for k in self.BODY} == self.BODY
        assert item["revoked"] is False

    def test_operator_is_refused_403(self, api_for, operator_a, innovation_a):
        response = api_for(operator_a).send("post", f"/{innovation_a.pk}/awards", self.BODY)
        assert response.status_code == 403
        assert response.json() == {"detail": "Hanya Sekretariat yang dapat mencatat penghargaan."}
        assert not AwardRecord.objects.exists()

    def test_duplicate_and_unknown_programme_are_422(self, api_for, secretariat, innovation_a):
        api = api_for(secretariat)
        api.send("post", f"/{innovation_a.pk}/awards", self.BODY)
        response = api.send("post", f"/{innovation_a.pk}/awards", self.BODY)
        assert response.status_code == 422
        assert "sudah tercatat" in response.json()["detail"]
        response = api.send("post", f"/{innovation_a.pk}/awards", {**self.BODY, "programme": "x"})
        assert response.status_code == 422
        assert "Program tidak dikenal" in response.json()["detail"]
        assert AwardRecord.objects.count() == 1

    def test_fixed_number_of_queries(self, secretariat, innovation_a, django_assert_num_queries):
        client = Client()
        client.force_login(secretariat)
        AwardRecord.objects.create(
            innovation=innovation_a, programme="kipp", year=2019, tier="top99", level="finalist"
        )
        url = f"{BASE}/{innovation_a.pk}/awards"
        with django_assert_num_queries(5):
            assert client.get(url).json()["count"] == 1
        for year in (2020, 2021):
            AwardRecord.objects.create(
                innovation=innovation_a, programme="kipp", year=year, tier="top45", level="winner"
            )
        with django_assert_num_queries(5):
            assert client.get(url).json()["count"] == 3


def test_record_endpoints_are_documented_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    upload = paths["/api/v1/innovations/{innovation_id}/evidence"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert "delete" in paths["/api/v1/innovations/{innovation_id}/replications/{link_id}"]
