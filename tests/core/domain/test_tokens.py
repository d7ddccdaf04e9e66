"""API tokens: the key is shown once, only its digest is kept, revocation is immediate."""

from __future__ import annotations

import hashlib

import pytest

from prima.core.domain import tokens
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import ApiToken, AuditEntry


@pytest.mark.django_db
def test_token_stores_prefix_and_digest_never_the_key(operator_a):
    token, key = tokens.create_api_token(actor=operator_a, name="Integrasi SIMPEG")

    assert key.startswith("prima_") and len(key) > 40
    row = ApiToken.objects.get(pk=token.pk)
    assert row.digest == hashlib.sha256(key.encode()).hexdigest()
    assert row.prefix == key[:12]
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    entry = AuditEntry.objects.get(action="api_token.created")
    assert key not in str(entry.after)
    assert entry.after["prefix"] == key[:12]


@pytest.mark.django_db
def test_two_tokens_get_different_keys(operator_a):
    _first, key1 = tokens.create_api_token(actor=operator_a, name="satu")
    _second, key2 = tokens.create_api_token(actor=operator_a, name="dua")
    assert key1 != key2


@pytest.mark.django_db
def test_token_needs_a_name_unique_among_active_tokens(operator_a):
    with pytest.raises(DomainError) as error:
        tokens.create_api_token(actor=operator_a, name="  ")
    assert error.value.field == "name"
    token, _key = tokens.create_api_token(actor=operator_a, name="Dasbor BI")
    with pytest.raises(DomainError):
        tokens.create_api_token(actor=operator_a, name="dasbor bi")
    tokens.revoke_api_token(token, actor=operator_a)
    tokens.create_api_token(actor=operator_a, name="Dasbor BI")


@pytest.mark.django_db
def test_active_tokens_are_limited(operator_a):
    for n in range(tokens.MAX_ACTIVE_TOKENS):
        tokens.create_api_token(actor=operator_a, name=f"token {n}")
    with pytest.raises(DomainError) as error:
        tokens.create_api_token(actor=operator_a, name="satu lagi")
    assert "cabut" in error.value.message


@pytest.mark.django_db
def test_only_the_owner_revokes_and_only_once(operator_a, operator_b):
    token, _key = tokens.create_api_token(actor=operator_a, name="skrip")
    with pytest.raises(PermissionDenied):
        tokens.revoke_api_token(token, actor=operator_b)
    token.refresh_from_db()
    assert token.revoked_at is None
    tokens.revoke_api_token(token, actor=operator_a)
    assert token.revoked_at is not None
    with pytest.raises(DomainError):
        tokens.revoke_api_token(token, actor=operator_a)
    assert AuditEntry.objects.filter(action="api_token.revoked").count() == 1
