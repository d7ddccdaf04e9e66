"""Citizen API (/api/v1/warga): code by SMS, token, own profile, revoking.

COVERED_OPERATIONS lists the operations whose access this file checks (the authorisation
coverage test reads it).
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import sms
from django.test import Client
from django.utils import timezone

from prima.core.domain.citizens import close_citizen_account, issue_citizen_token
from prima.core.domain.tokens import create_api_token
from prima.core.models import Citizen, CitizenToken
from tests.factories import CitizenFactory, PersonFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/warga"
PHONE = "+6281234567890"


@pytest.fixture(autouse=True)
def outbox():
    sms.outbox = []
    return sms.outbox


def post(client, path, body, **headers):
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json", **headers)


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def last_code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)


# --------------------------------------------------------------------------- access matrix

# Who: no token, a citizen token, a staff (Person) API token.
#            method    path      no token  citizen  staff token
MATRIX = [
    ("get", "/warga/saya", 401, 200, 401),
    ("delete", "/warga/token", 401, 204, 401),
]
COVERED_OPERATIONS = {(method, path) for method, path, *_ in MATRIX} | {
    # Open to anyone by design (signing in); their limits are tested below.
    ("post", "/warga/kode"),
    ("post", "/warga/token"),
}
WHO = ("none", "citizen", "staff")
CASES = [
    (method, path, who, expected[i])
    for method, path, *expected in MATRIX
    for i, who in enumerate(WHO)
]


@pytest.mark.parametrize(("method", "path", "who", "expected"), CASES)
def test_access_matrix(method, path, who, expected):
    headers = {}
    if who == "citizen":
        headers = bearer(issue_citizen_token(CitizenFactory()))
    elif who == "staff":
        _token, key = create_api_token(actor=PersonFactory(), name="uji")
        headers = bearer(key)
    response = getattr(Client(), method)(f"/api/v1{path}", **headers)
    assert response.status_code == expected
    if expected >= 400:
        assert response.json()["detail"] == "Token tidak ada atau tidak berlaku."


# --------------------------------------------------------------------------- signing in


def test_code_then_token_then_own_masked_profile(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "/kode", {"phone": "0812-3456-7890"})
    assert response.status_code == 202
    body = response.json()
    assert body["phone"] == "+62812*****890"
    assert sms.outbox[-1].recipients == [PHONE]

    response = post(client, "/token", {"phone": "081234567890", "code": last_code()})

    assert response.status_code == 200
    token = response.json()
    assert token["token"].startswith("warga_")
    expires = dt.datetime.fromisoformat(token["expires_at"])
    assert dt.timedelta(days=29) < expires - timezone.now() <= dt.timedelta(days=30)
    me = client.get(f"{API}/saya", **bearer(token["token"]))
    assert me.status_code == 200
    citizen = Citizen.objects.get()
    assert me.json() == {
        "id": citizen.pk,
        "label": f"Warga #{citizen.pk}",
        "phone": "+62812*****890",
        "email": "",
        "created_at": me.json()["created_at"],
    }
    assert "81234567890" not in me.content.decode()


def test_refusals_are_indonesian_with_the_right_status(client, django_capture_on_commit_callbacks):
    response = post(client, "/kode", {"phone": "+14155552671"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Nomor ponsel harus nomor Indonesia")

    with django_capture_on_commit_callbacks(execute=True):
        post(client, "/kode", {"phone": PHONE})
    again = post(client, "/kode", {"phone": PHONE})
    assert again.status_code == 429
    assert 0 < int(again["Retry-After"]) <= 60
    assert "Kode baru dapat diminta lagi dalam" in again.json()["detail"]

    bad = f"{(int(last_code()) + 1) % 1_000_000:06d}"
    wrong = post(client, "/token", {"phone": PHONE, "code": bad})
    assert wrong.status_code == 400
    assert wrong.json() == {"detail": "Kode salah. Sisa percobaan untuk kode ini: 4."}
    assert not Citizen.objects.exists()

    missing = post(client, "/token", {"phone": PHONE})
    assert missing.status_code == 422


def test_code_tries_per_client_address_are_limited(client):
    for _n in range(30):
        post(client, "/token", {"phone": PHONE, "code": "000000"})
    response = post(client, "/token", {"phone": PHONE, "code": "000000"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "jaringan Anda" in response.json()["detail"]


# --------------------------------------------------------------------------- tokens


@pytest.fixture
def citizen():
    return CitizenFactory(phone=PHONE, email="siti@contoh.id", email_verified_at=timezone.now())


def test_the_profile_shows_a_verified_e_mail_only(client, citizen):
    key = issue_citizen_token(citizen)
    assert client.get(f"{API}/saya", **bearer(key)).json()["email"] == "siti@contoh.id"
    Citizen.objects.filter(pk=citizen.pk).update(email_verified_at=None)
    assert client.get(f"{API}/saya", **bearer(key)).json()["email"] == ""


def test_an_expired_token_is_refused(client, citizen):
    key = issue_citizen_token(citizen)
    CitizenToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(f"{API}/saya", **bearer(key))
    assert response.status_code == 401
    assert response.json() == {"detail": "Token tidak ada atau tidak berlaku."}


def test_delete_revokes_only_the_presented_token(client, citizen):
    key, other = issue_citizen_token(citizen), issue_citizen_token(citizen)
    assert client.delete(f"{API}/token", **bearer(key)).status_code == 204
    assert client.get(f"{API}/saya", **bearer(key)).status_code == 401
    assert client.delete(f"{API}/token", **bearer(key)).status_code == 401
    assert client.get(f"{API}/saya", **bearer(other)).status_code == 200


def test_a_closed_account_s_tokens_stop_working(client, citizen):
    key = issue_citizen_token(citizen)
    close_citizen_account(citizen)
    assert client.get(f"{API}/saya", **bearer(key)).status_code == 401


def test_a_citizen_token_opens_no_staff_endpoint(client, citizen):
    key = issue_citizen_token(citizen)
    assert client.get("/api/v1/me", **bearer(key)).status_code == 401
    assert client.get("/api/v1/kipp/objections", **bearer(key)).status_code == 401
