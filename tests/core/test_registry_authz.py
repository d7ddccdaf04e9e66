"""Authorisation matrix for the registry pages and endpoints: every persona × every route."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PERSONAS = ("secretariat", "admin_a", "operator_a", "operator_b", "evaluator", "nobody", "public")
LOGIN = "login"  # anonymous visitors are sent to the login page

ALL_200 = dict.fromkeys(PERSONAS, 200)
SIGNED_IN_200 = {**dict.fromkeys(PERSONAS, 200), "public": LOGIN}
SECRETARIAT_ONLY = {**dict.fromkeys(PERSONAS, 403), "secretariat": 200, "public": LOGIN}
UNIT_MANAGERS = {**SECRETARIAT_ONLY, "admin_a": 200}
# Unit A: seen by the secretariat and institution A's people; hidden (404) from others.
UNIT_A_READERS = {
    "secretariat": 200,
    "admin_a": 200,
    "operator_a": 200,
    "operator_b": 404,
    "evaluator": 404,
    "nobody": 404,
    "public": LOGIN,
}
UNIT_A_EDITORS = {**UNIT_A_READERS, "operator_a": 403}
API_UNIT_A = {**UNIT_A_READERS, "public": 401}

# (route, args, method, POST data, expected status per persona)
MATRIX = [
    ("region_list", [], "get", None, ALL_200),
    ("institution_list", [], "get", None, ALL_200),
    ("institution_export", [], "get", None, ALL_200),
    ("institution_detail", ["institution_a"], "get", None, ALL_200),
    ("institution_import_template", ["xlsx"], "get", None, ALL_200),
    ("unit_import_template", ["csv"], "get", None, ALL_200),
    ("institution_create", [], "get", None, SECRETARIAT_ONLY),
    ("institution_import", [], "get", None, SECRETARIAT_ONLY),
    ("institution_update", ["institution_a"], "get", None, SECRETARIAT_ONLY),
    (
        "institution_deactivate",
        ["institution_a"],
        "post",
        {"reason": ""},
        {**SECRETARIAT_ONLY, "secretariat": 302},
    ),
    (
        "institution_reactivate",
        ["institution_a"],
        "post",
        {},
        {**SECRETARIAT_ONLY, "secretariat": 302},
    ),
    ("unit_list", [], "get", None, SIGNED_IN_200),
    ("unit_export", [], "get", None, SIGNED_IN_200),
    ("unit_detail", ["unit_a"], "get", None, UNIT_A_READERS),
    ("unit_create", [], "get", None, UNIT_MANAGERS),
    ("unit_import", [], "get", None, UNIT_MANAGERS),
    ("unit_update", ["unit_a"], "get", None, UNIT_A_EDITORS),
    (
        "unit_deactivate",
        ["unit_a"],
        "post",
        {"reason": ""},
        {**UNIT_A_EDITORS, "secretariat": 302, "admin_a": 302},
    ),
    (
        "unit_reactivate",
        ["unit_a"],
        "post",
        {},
        {**UNIT_A_EDITORS, "secretariat": 302, "admin_a": 302},
    ),
    ("/api/v1/regions", [], "get", None, ALL_200),
    ("/api/v1/regions/13.76", [], "get", None, ALL_200),
    ("/api/v1/institutions", [], "get", None, ALL_200),
    ("/api/v1/institutions/{institution_a}", [], "get", None, ALL_200),
    ("/api/v1/units", [], "get", None, {**SIGNED_IN_200, "public": 401}),
    ("/api/v1/units/{unit_a}", [], "get", None, API_UNIT_A),
]


def _url(route: str, args: list[str], objects: dict[str, int]) -> str:
    if route.startswith("/"):
        return route.format(**objects)
    return reverse(route, args=[objects.get(a, a) for a in args])


@pytest.mark.parametrize(
    ("route", "args", "method", "data", "expected"),
    MATRIX,
    ids=[f"{m[2]} {m[0]}" for m in MATRIX],
)
def test_registry_authorisation_matrix(
    route, args, method, data, expected, personas, as_client, institution_a, unit_a
):
    objects = {"institution_a": institution_a.pk, "unit_a": unit_a.pk}
    url = _url(route, args, objects)
    if route.endswith("export"):
        url += "?format=csv"
    outcome = {}
    for name in PERSONAS:
        client = as_client(personas[name])
        response = getattr(client, method)(url, data or {})
        status = response.status_code
        if status == 302 and response.url.startswith(reverse("login")):
            status = LOGIN
        outcome[name] = status
    assert outcome == expected
