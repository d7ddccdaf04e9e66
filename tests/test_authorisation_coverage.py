"""Every page and API operation must sit in an authorisation matrix.

The matrices live beside each area's tests; this test fails when a new URL or API
operation is added without a row in one of them, so no page escapes the persona check.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from django.urls import URLPattern, URLResolver, get_resolver

from prima.api import api
from tests.core import test_accounts_matrix, test_audit_views, test_jobs, test_registry_authz
from tests.core import test_citizens_api as citizens_api
from tests.core import test_citizens_views as citizens_pages
from tests.innovations import test_api as innovations_api
from tests.innovations.views import test_authorisation as innovations_pages


def _kipp_matrices() -> list:
    """Each KIPP, PKRI, awards, JIPP, SKM and service-catalogue area's matrix module names
    what it covers in COVERED_PAGES and COVERED_OPERATIONS ((method, path under /api/v1),
    ids written as {})."""
    import tests.awards
    import tests.core
    import tests.innovations
    import tests.kipp
    import tests.pkri
    import tests.skm

    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for package in (
            tests.kipp,
            tests.pkri,
            tests.awards,
            tests.innovations,
            tests.skm,
            tests.core,
        )
        for info in pkgutil.iter_modules(package.__path__)
        if info.name.startswith("test_authorisation_")
    ]


# Pages that show no data and need no role, each with the reason.
OPEN_PAGES = {
    "home": "public landing page, redirects signed-in people to their dashboard",
    "logout": "ends one's own session",
    "set_language": "Django's language switch",
}


def _page_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace is None:
                names.add(pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def _covered_pages() -> set[str]:
    return (
        {row[0] for row in test_registry_authz.MATRIX}
        | {row[0] for row in test_accounts_matrix.CASES}
        | {row[1] for row in innovations_pages.MATRIX}
        | {row[0] for row in test_audit_views.AUDIT_PAGES}
        | test_jobs.COVERED_PAGES
        | citizens_pages.COVERED_PAGES
        | {name for module in _kipp_matrices() for name in module.COVERED_PAGES}
    )


def test_every_page_is_in_an_authorisation_matrix():
    missing = _page_names() - _covered_pages() - set(OPEN_PAGES)
    assert not missing, f"pages without an authorisation-matrix row: {sorted(missing)}"


def _normalise(path: str) -> str:
    """/api/v1/units/{unit_a} and /api/v1/units/{unit_id} are the same operation."""
    path = path.removeprefix("/api/v1").rstrip("/") or "/"
    return re.sub(r"\{[^}]+\}|(?<=/)\d+(\.\d+)?(?=/|$)", "{}", path)


def _covered_operations() -> set[tuple[str, str]]:
    covered = {
        (row[2].lower(), _normalise(row[0]))
        for row in test_registry_authz.MATRIX
        if row[0].startswith("/api/")
    }
    covered |= {
        (method.lower(), _normalise("/innovations" + path))
        for method, path, _body, _expected in innovations_api.API_MATRIX
    }
    for module in _kipp_matrices():
        covered |= {(method, _normalise(path)) for method, path in module.COVERED_OPERATIONS}
    covered |= {(method, _normalise(path)) for method, path in test_jobs.COVERED_OPERATIONS}
    covered |= {(method, _normalise(path)) for method, path in citizens_api.COVERED_OPERATIONS}
    # /me answers for whoever holds the token: covered by tests/core/test_tokens_views.py.
    covered.add(("get", "/me"))
    return covered


def test_every_api_operation_is_in_an_authorisation_matrix():
    schema = api.get_openapi_schema()
    operations = {
        (method.lower(), _normalise(path))
        for path, methods in schema["paths"].items()
        for method in methods
    }
    missing = operations - _covered_operations()
    assert not missing, f"API operations without an authorisation-matrix row: {sorted(missing)}"
