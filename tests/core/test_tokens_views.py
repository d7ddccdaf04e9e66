"""The API tokens page and what a token opens (and stops opening) in the API."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from prima.core.api_auth import digest_of
from prima.core.domain import tokens
from prima.core.models import ApiToken


def create_through_page(client: Client, name: str) -> str:
    response = client.post(reverse("token_list"), {"name": name})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    match = re.search(r'id="new-key" value="(prima_[^"]+)"', response.content.decode())
    assert match, "the new key must be shown once"
    return match.group(1)


@pytest.mark.django_db
def test_key_is_shown_once_and_only_its_digest_is_stored(as_client, operator_a):
    client = as_client(operator_a)
    key = create_through_page(client, "Sinkronisasi SIMPEG")

    token = ApiToken.objects.get(person=operator_a)
    assert token.digest == digest_of(key)
    assert token.name == "Sinkronisasi SIMPEG"
    later = client.get(reverse("token_list")).content.decode()
    assert "Sinkronisasi SIMPEG" in later
    assert key not in later
    assert token.prefix in later


@pytest.mark.django_db
def test_token_authenticates_me_until_revoked(as_client, operator_a, unit_a):
    client = as_client(operator_a)
    key = create_through_page(client, "skrip laporan")
    api = Client()

    response = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "operator_a"
    assert body["memberships"] == [
        {
            "id": operator_a.memberships.get().pk,
            "role": "unit_operator",
            "role_label": "Operator UPP",
            "scope": "unit",
            "institution": {"id": unit_a.institution_id, "name": "Pemerintah Kota Payakumbuh"},
            "unit": {"id": unit_a.pk, "name": "Dinas PUPR Kota Payakumbuh"},
        }
    ]
    assert ApiToken.objects.get().last_used_at is not None

    token = ApiToken.objects.get()
    response = client.post(reverse("token_revoke", args=[token.pk]), follow=True)
    assert "dicabut" in response.content.decode()

    response = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert response.json() == {"detail": "Token tidak ada atau tidak berlaku."}


@pytest.mark.django_db
def test_someone_elses_token_cannot_be_revoked(as_client, operator_a, operator_b):
    token, _key = tokens.create_api_token(actor=operator_b, name="milik B")
    response = as_client(operator_a).post(reverse("token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_token_of_a_deactivated_person_stops_working(operator_a, admin_a):
    from prima.core.domain import accounts

    _token, key = tokens.create_api_token(actor=operator_a, name="x")
    accounts.deactivate_person(operator_a, actor=admin_a, reason="Mutasi")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401


@pytest.mark.django_db
def test_me_without_credentials_is_401_and_with_a_session_works(as_client, evaluator):
    assert Client().get("/api/v1/me").status_code == 401
    body = as_client(evaluator).get("/api/v1/me").json()
    assert [m["role"] for m in body["memberships"]] == ["evaluator"]
    assert body["memberships"][0]["institution"] is None


@pytest.mark.django_db
def test_invalid_name_is_explained(as_client, operator_a):
    response = as_client(operator_a).post(reverse("token_list"), {"name": "  "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
