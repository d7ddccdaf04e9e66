"""The people the SKM authorisation matrices try (tests/skm/test_authorisation_*.py).

``cast`` adds to the shared ``personas`` (secretariat, admin_a, operator_a, operator_b,
evaluator, nobody, public) the readers SKM distinguishes: the Admin Lokal of another
institution, national analysts and viewers, and an analyst of institution A. A matrix
module imports the fixture (``from tests.skm.personas import cast``) and lists, per
persona, the answer it expects.
"""

from __future__ import annotations

import itertools

import pytest
from django.test import Client
from django.utils import timezone

from prima.core.domain.tokens import create_api_token
from prima.core.enums import Role
from tests.factories import person_with_role

_token_names = itertools.count(1)


@pytest.fixture
def cast(personas, institution_a, institution_b):
    people = dict(personas)
    people["admin_b"] = person_with_role(Role.INSTITUTION_ADMIN, institution=institution_b)
    people["national_analyst"] = person_with_role(Role.ANALYST)
    people["national_viewer"] = person_with_role(Role.VIEWER)
    people["analyst_a"] = person_with_role(Role.ANALYST, institution=institution_a)
    return people


def api_client(person) -> Client:
    """A client calling the API with a fresh token of the person (none for anonymous)."""
    if person is None:
        return Client()
    _, key = create_api_token(actor=person, name=f"uji {next(_token_names)}")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def api_caller(person):
    """``call(method, path, body=None, **params)`` on ``/api/v1/skm`` as the person: GET
    with query parameters, other methods with a JSON body."""
    client = api_client(person)

    def call(method, path, body=None, **params):
        url = f"/api/v1/skm{path}"
        if method == "get":
            return client.get(url, params)
        return getattr(client, method)(url, body or {}, content_type="application/json")

    return call


def current_quarter() -> str:
    """Today's quarter (2026-Q4): a survey of it accepts answers dated today."""
    today = timezone.localdate()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"
