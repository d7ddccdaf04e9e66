"""Authorisation matrix: every account page and endpoint × every persona → status code.

Anonymous visitors are redirected to login (302) on non-public pages; logged-in people
get 403 on pages of a role they lack and 404 on objects outside their reach.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.core.domain import tokens
from prima.core.enums import Role
from tests.core.domain.test_accounts import submit

PERSONAS = ("secretariat", "admin_a", "operator_a", "operator_b", "evaluator", "nobody", "public")
SECRETARIAT_ONLY = {"secretariat": "ok", "*": 403, "public": 302}
OPERATOR_MANAGERS = {"secretariat": "ok", "admin_a": "ok", "*": 403, "public": 302}
MANAGEABLE_OPERATOR_A = {"secretariat": "ok", "admin_a": "ok", "*": 404, "public": 302}
ANY_PERSON = {"*": "ok", "public": 302}
EVERYONE = {"*": "ok"}


def _request(ctx):
    return submit(ctx["institution_b"], email="ortala@surabaya.go.id").pk


def _token_of_operator_a(ctx):
    token, _key = tokens.create_api_token(actor=ctx["operator_a"], name="matriks")
    return token.pk


# (url name, method, args from context, POST data, expectations, status meaning "ok")
CASES = [
    ("account_request_create", "get", None, None, EVERYONE, 200),
    ("account_request_sent", "get", None, None, EVERYONE, 200),
    ("account_request_list", "get", None, None, SECRETARIAT_ONLY, 200),
    ("account_request_detail", "get", _request, None, SECRETARIAT_ONLY, 200),
    ("account_request_letter", "get", _request, None, SECRETARIAT_ONLY, 200),
    ("account_request_approve", "post", _request, {}, SECRETARIAT_ONLY, 302),
    (
        "account_request_reject",
        "post",
        _request,
        {"reject-reason": "Surat tidak lengkap"},
        SECRETARIAT_ONLY,
        302,
    ),
    ("operator_list", "get", None, None, OPERATOR_MANAGERS, 200),
    ("operator_create", "get", None, None, OPERATOR_MANAGERS, 200),
    ("person_list", "get", None, None, SECRETARIAT_ONLY, 200),
    ("person_create", "get", None, None, SECRETARIAT_ONLY, 200),
    ("person_detail", "get", lambda c: c["operator_a"].pk, None, SECRETARIAT_ONLY, 200),
    (
        "membership_grant",
        "post",
        lambda c: c["nobody"].pk,
        {"role": Role.VIEWER},
        SECRETARIAT_ONLY,
        302,
    ),
    (
        "membership_revoke",
        "post",
        lambda c: c["evaluator"].memberships.get().pk,
        {"reason": "Tugas selesai"},
        SECRETARIAT_ONLY,
        302,
    ),
    ("person_deactivate", "get", lambda c: c["operator_a"].pk, None, MANAGEABLE_OPERATOR_A, 200),
    ("person_reactivate", "get", lambda c: c["operator_a"].pk, None, MANAGEABLE_OPERATOR_A, 200),
    (
        "person_resend_activation",
        "post",
        lambda c: c["operator_a"].pk,
        {},
        MANAGEABLE_OPERATOR_A,
        302,
    ),
    ("profile", "get", None, None, ANY_PERSON, 200),
    ("token_list", "get", None, None, ANY_PERSON, 200),
    (
        "token_revoke",
        "post",
        _token_of_operator_a,
        {},
        {"operator_a": "ok", "*": 404, "public": 302},
        302,
    ),
    ("dashboard", "get", None, None, ANY_PERSON, 200),
    ("profile_complete", "get", None, None, ANY_PERSON, 200),
    ("password_change", "get", None, None, ANY_PERSON, 200),
    ("password_reset", "get", None, None, EVERYONE, 200),
    ("password_reset_done", "get", None, None, EVERYONE, 200),
    ("password_reset_complete", "get", None, None, EVERYONE, 200),
    ("account_activate", "get", lambda c: ("MQ", "bukan-token"), None, EVERYONE, 200),
    ("password_reset_confirm", "get", lambda c: ("MQ", "bukan-token"), None, EVERYONE, 200),
    ("login", "get", None, None, {"*": 302, "public": "ok"}, 200),
]


def expected_status(expectations, persona, ok):
    value = expectations.get(persona, expectations.get("*"))
    return ok if value == "ok" else value


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method", "args", "data", "expectations", "ok"),
    CASES,
    ids=[case[0] for case in CASES],
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_account_pages_matrix(
    as_client, personas, institution_b, persona, name, method, args, data, expectations, ok
):
    context = {**personas, "institution_b": institution_b}
    resolved = args(context) if args else ()
    url = reverse(name, args=resolved if isinstance(resolved, tuple) else (resolved,))
    client = as_client(personas[persona])
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    assert response.status_code == expected_status(expectations, persona, ok), (persona, name)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_me_endpoint_matrix(as_client, personas, persona):
    response = as_client(personas[persona]).get("/api/v1/me")
    if persona == "public":
        assert response.status_code == 401
    else:
        assert response.status_code == 200
        assert response.json()["id"] == personas[persona].pk
