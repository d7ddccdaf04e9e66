# ruff: noqa: F811 (fixtures imported from tests.pkri.forms_factories)
"""Who may open and change PKRI forms, on the pages and through the API (H3 area)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from prima.core.domain.tokens import create_api_token
from prima.pkri.domain import evidence as evidence_domain
from prima.pkri.domain import forms as domain
from tests.conftest import client_for
from tests.pkri.forms_factories import edition, form_a, form_b, pdf  # noqa: F401 (fixtures)

COVERED_PAGES = {
    "pkri_form_list",
    "pkri_form_detail",
    "pkri_form_send",
    "pkri_form_return",
    "pkri_form_submit",
    "pkri_form_evidence_upload",
    "pkri_form_evidence_download",
    "pkri_form_evidence_remove",
    "pkri_institution_forms",
    "pkri_forms_table",
    "pkri_forms_export",
    "pkri_forms_remind",
    "pkri_forms_close",
    "pkri_forms_extend",
}
COVERED_OPERATIONS = {
    ("get", "/pkri/forms"),
    ("get", "/pkri/forms/{}"),
    ("put", "/pkri/forms/{}/data"),
    ("post", "/pkri/forms/{}/send"),
    ("post", "/pkri/forms/{}/return"),
    ("post", "/pkri/forms/{}/submit"),
    ("get", "/pkri/forms/{}/evidence"),
    ("post", "/pkri/forms/{}/evidence"),
    ("post", "/pkri/editions/{}/forms/extend"),
}

# Form A belongs to institution A's unit: operator B, assessors and strangers get a 404
# (its existence is not revealed); anonymous visitors are sent to the login page.
FORM_A_READ = {
    "secretariat": 200,
    "admin_a": 200,
    "operator_a": 200,
    "operator_b": 404,
    "evaluator": 404,
    "nobody": 404,
    "public": 302,
}
LIST = {
    "secretariat": 200,
    "admin_a": 200,
    "operator_a": 200,
    "operator_b": 200,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}
INSTITUTION = {
    "secretariat": 200,
    "admin_a": 200,
    "operator_a": 403,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}
NATIONAL = {
    "secretariat": 200,
    "admin_a": 403,
    "operator_a": 403,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}
SECRETARIAT_POST = {**NATIONAL, "secretariat": 302}


@pytest.mark.parametrize("persona, expected", sorted(FORM_A_READ.items()))
def test_form_page_and_files_of_institution_a(personas, form_a, persona, expected):
    evidence = evidence_domain.add_evidence(
        form_a, field="evidence", upload=pdf(), actor=personas["operator_a"]
    )
    client = client_for(personas[persona])

    page = client.get(reverse("pkri_form_detail", args=[form_a.pk]))
    download = client.get(reverse("pkri_form_evidence_download", args=[form_a.pk, evidence.pk]))

    assert page.status_code == expected
    assert download.status_code == expected
    if expected == 200:
        assert form_a.object.innovation.name in page.content.decode()
        assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("persona, expected", sorted(LIST.items()))
def test_my_forms_list_shows_only_ones_own(personas, form_a, form_b, persona, expected):
    response = client_for(personas[persona]).get(reverse("pkri_form_list"))
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        sees_a = persona in ("secretariat", "admin_a", "operator_a")
        sees_b = persona in ("secretariat", "operator_b")
        assert (form_a.object.innovation.name in body) is sees_a
        assert (form_b.object.innovation.name in body) is sees_b


@pytest.mark.parametrize("persona, expected", sorted(INSTITUTION.items()))
def test_institution_progress_page(personas, edition, form_a, form_b, persona, expected):
    response = client_for(personas[persona]).get(
        reverse("pkri_institution_forms", args=[edition.code])
    )
    assert response.status_code == expected
    if persona == "admin_a":
        body = response.content.decode()
        assert form_a.object.innovation.name in body
        assert form_b.object.innovation.name not in body


@pytest.mark.parametrize("name", ["pkri_forms_table", "pkri_forms_export"])
@pytest.mark.parametrize("persona, expected", sorted(NATIONAL.items()))
def test_national_table_is_for_national_readers(personas, edition, form_a, name, persona, expected):
    response = client_for(personas[persona]).get(reverse(name, args=[edition.code]))
    assert response.status_code == expected


@pytest.mark.parametrize("name", ["pkri_forms_remind", "pkri_forms_close"])
@pytest.mark.parametrize("persona, expected", sorted(SECRETARIAT_POST.items()))
def test_reminders_and_closing_are_the_secretariats(
    personas, edition, form_a, name, persona, expected
):
    response = client_for(personas[persona]).post(reverse(name, args=[edition.code]))
    assert response.status_code == expected
    edition.refresh_from_db()
    closed = name == "pkri_forms_close" and persona == "secretariat"
    assert (edition.state == "forms_closed") is closed


@pytest.mark.parametrize(
    "persona, expected",
    [("operator_a", 302), ("admin_a", 403), ("operator_b", 404), ("nobody", 404), ("public", 302)],
)
def test_send_and_upload_are_for_the_holding_unit(personas, form_a, persona, expected):
    client = client_for(personas[persona])
    upload = client.post(
        reverse("pkri_form_evidence_upload", args=[form_a.pk]), {"field": "evidence", "file": pdf()}
    )
    send = client.post(reverse("pkri_form_send", args=[form_a.pk]))
    assert upload.status_code == expected
    assert send.status_code == expected
    form_a.refresh_from_db()
    assert (form_a.state == "at_institution") is (persona == "operator_a")
    assert form_a.evidence.exists() is (persona == "operator_a")


@pytest.mark.parametrize(
    "persona, expected",
    [("admin_a", 200), ("operator_a", 403), ("operator_b", 404), ("secretariat", 403)],
)
def test_return_and_submit_pages_are_for_the_admin(personas, form_a, persona, expected):
    domain.send_to_institution(form_a, actor=personas["operator_a"])
    client = client_for(personas[persona])
    for name in ("pkri_form_return", "pkri_form_submit"):
        assert client.get(reverse(name, args=[form_a.pk])).status_code == expected


def test_evidence_removal_is_for_the_holder(personas, form_a):
    evidence = evidence_domain.add_evidence(
        form_a, field="evidence", upload=pdf(), actor=personas["operator_a"]
    )
    url = reverse("pkri_form_evidence_remove", args=[form_a.pk, evidence.pk])
    assert client_for(personas["operator_b"]).post(url).status_code == 404
    assert client_for(personas["admin_a"]).post(url).status_code == 403
    assert form_a.evidence.exists()
    assert client_for(personas["operator_a"]).post(url).status_code == 302
    assert not form_a.evidence.exists()


# --------------------------------------------------------------------------- API


def _api(person):
    _, key = create_api_token(actor=person, name="uji")
    return client_for(None), {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize(
    "persona, status",
    [("operator_a", 200), ("admin_a", 200), ("operator_b", 404), ("evaluator", 404)],
)
def test_api_reads_only_visible_forms(personas, form_a, persona, status):
    client, auth = _api(personas[persona])
    one = client.get(f"/api/v1/pkri/forms/{form_a.pk}", **auth)
    files = client.get(f"/api/v1/pkri/forms/{form_a.pk}/evidence", **auth)
    listing = client.get("/api/v1/pkri/forms", **auth)
    assert one.status_code == files.status_code == status
    ids = [item["id"] for item in listing.json()["items"]]
    assert (form_a.pk in ids) is (status == 200)


def test_api_anonymous_is_refused(form_a):
    assert client_for(None).get("/api/v1/pkri/forms").status_code == 401


@pytest.mark.parametrize(
    "persona, status", [("operator_a", 200), ("admin_a", 403), ("operator_b", 404)]
)
def test_api_put_data_is_for_the_holder(personas, form_a, persona, status):
    client, auth = _api(personas[persona])
    response = client.put(
        f"/api/v1/pkri/forms/{form_a.pk}/data",
        {"version": 1, "data": {"still_running": True}},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == status
    form_a.refresh_from_db()
    assert (form_a.data == {"still_running": True}) is (status == 200)


def test_api_stale_version_answers_409(personas, form_a):
    client, auth = _api(personas["operator_a"])
    url = f"/api/v1/pkri/forms/{form_a.pk}/data"
    first = client.put(url, {"version": 1, "data": {}}, content_type="application/json", **auth)
    again = client.put(url, {"version": 1, "data": {}}, content_type="application/json", **auth)
    assert first.json()["version"] == 2
    assert again.status_code == 409
    assert "sudah diubah orang lain" in again.json()["detail"]


def test_api_moves_and_uploads(personas, form_a):
    operator, op_auth = _api(personas["operator_a"])
    admin, admin_auth = _api(personas["admin_a"])
    outsider, out_auth = _api(personas["operator_b"])
    base = f"/api/v1/pkri/forms/{form_a.pk}"

    assert (
        outsider.post(
            f"{base}/evidence", {"field": "evidence", "file": pdf()}, **out_auth
        ).status_code
        == 404
    )
    uploaded = operator.post(f"{base}/evidence", {"field": "sop.file", "file": pdf()}, **op_auth)
    assert uploaded.status_code == 201
    assert admin.post(f"{base}/send", **admin_auth).status_code == 403
    assert operator.post(f"{base}/send", **op_auth).json()["state"] == "at_institution"
    assert (
        operator.post(
            f"{base}/return",
            {"note": "Lengkapi anggaran."},
            content_type="application/json",
            **op_auth,
        ).status_code
        == 403
    )
    returned = admin.post(
        f"{base}/return",
        {"note": "Lengkapi anggaran."},
        content_type="application/json",
        **admin_auth,
    )
    assert returned.json()["return_note"] == "Lengkapi anggaran."
    operator.post(f"{base}/send", **op_auth)
    refused = admin.post(f"{base}/submit", **admin_auth)
    assert operator.post(f"{base}/submit", **op_auth).status_code == 403
    # The 2024 window has long closed: the refusal names it, the form stays with the admin.
    assert refused.status_code == 422
    assert "ditutup" in refused.json()["detail"]
    form_a.refresh_from_db()
    assert form_a.state == "at_institution"


@pytest.mark.parametrize("persona, expected", sorted(SECRETARIAT_POST.items()))
def test_extending_the_window_is_the_secretariats(personas, edition, form_a, persona, expected):
    last = domain.forms_window(edition)[1]
    until = last + dt.timedelta(days=5)
    client = client_for(personas[persona])
    table = client.get(reverse("pkri_forms_table", args=[edition.code]))

    response = client.post(
        reverse("pkri_forms_extend", args=[edition.code]),
        {"until": until.isoformat(), "number": "B-77/PKRI", "date": last.isoformat()},
    )

    assert response.status_code == expected
    extended = persona == "secretariat"
    assert (domain.forms_window(edition)[1] == until) is extended
    if extended:
        assert reverse("pkri_forms_extend", args=[edition.code]) in table.content.decode()


@pytest.mark.parametrize(
    "persona, status",
    [("secretariat", 201), ("admin_a", 403), ("operator_a", 403), ("evaluator", 404)],
)
def test_api_extends_the_window_for_the_secretariat_only(
    personas, edition, form_a, persona, status
):
    last = domain.forms_window(edition)[1]
    client, auth = _api(personas[persona])
    response = client.post(
        f"/api/v1/pkri/editions/{edition.code}/forms/extend",
        {"until": (last + dt.timedelta(days=5)).isoformat(), "number": "B-78", "date": str(last)},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == status
    if status == 201:
        assert response.json()["window"][1] == (last + dt.timedelta(days=5)).isoformat()
    assert (domain.forms_window(edition)[1] > last) is (status == 201)
