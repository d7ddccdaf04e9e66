"""The KIPP documentation cannot drift from the code.

Every page path (`/kipp/…`) and API path (`/api/v1/kipp/…`) written in backticks in the
KIPP docs must exist: page paths resolve through Django's URLconf (placeholders such as
`{kode}` or `{nomor}` replaced by sample values), API paths are operations of the OpenAPI
schema of `prima.api.api` (with the method, when one is written). Conversely every KIPP
page and every KIPP API operation must be described somewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, resolve

from prima.api import api
from prima.kipp import urls as kipp_urls

ROOT = Path(__file__).resolve().parent.parent
DOCS = (
    "docs/user-guide/kipp-sekretariat.md",
    "docs/user-guide/kipp-admin-lokal.md",
    "docs/user-guide/kipp-operator.md",
    "docs/user-guide/kipp-penilai.md",
    "docs/user-guide/kipp-publik.md",
    "docs/api/kipp.md",
    "docs/engine.md",
    "docs/editions.md",
)
API_DOC = "docs/api/kipp.md"
# The role guides and the API guide are about pages and endpoints: each must name some.
ABOUT_PATHS = DOCS[:6]
PAGE_PREFIX = "/kipp/"
API_PREFIX = "/api/v1/kipp/"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_SPAN = re.compile(r"`([^`\n]+)`")
_PATH = re.compile(rf"(?:({'|'.join(METHODS)}) )?(/\S*)")
_PLACEHOLDER = re.compile(r"\{([^}]*)\}|<([^>]*)>")
# Sample values for placeholders, by name; any other name is a number.
_SAMPLES = {
    "kode": "kipp-2025",
    "code": "kipp-2025",
    "tahap": "desk_evaluation",
    "stage": "desk_evaluation",
    "stage_code": "desk_evaluation",
}


SAMPLE_VALUES = {*_SAMPLES.values(), "1"}


def _text(name: str) -> str:
    return _FENCE.sub("", (ROOT / name).read_text(encoding="utf-8"))


def mentioned_paths(text: str) -> list[tuple[str | None, str]]:
    """(method or None, path) for every backticked `/kipp/…` or `/api/v1/kipp/…` path."""
    found: list[tuple[str | None, str]] = []
    for span in _SPAN.findall(text):
        match = _PATH.fullmatch(span.strip())
        if match is None:
            continue
        method, path = match.group(1), match.group(2).split("?")[0].split("#")[0]
        if path.startswith((API_PREFIX, PAGE_PREFIX)):
            found.append((method, path))
    return found


def sample_url(path: str) -> str:
    """The path with each placeholder replaced by a sample value."""

    def value(match: re.Match[str]) -> str:
        name = (match.group(1) or match.group(2) or "").strip().lower()
        return _SAMPLES.get(name, "1")

    return _PLACEHOLDER.sub(value, path)


def page_route(path: str) -> str | None:
    """The KIPP URL route a documented page path resolves to, or None.

    Every captured value must come from a placeholder: a literal word caught by a
    converter (`/kipp/publik/statistik/` read as edition «publik») is no match.
    """
    try:
        match = resolve(sample_url(path))
    except Resolver404:
        return None
    if not (match.url_name or "").startswith("kipp_"):
        return None
    if any(str(value) not in SAMPLE_VALUES for value in match.kwargs.values()):
        return None
    return match.route


def _shape(path: str) -> str:
    return _PLACEHOLDER.sub("{}", path.rstrip("/") or "/")


def api_operations() -> set[tuple[str, str]]:
    """(METHOD, path shape) of every KIPP operation in the OpenAPI schema."""
    schema = api.get_openapi_schema()
    return {
        (method.upper(), _shape(path))
        for path, operations in schema["paths"].items()
        if path.startswith(API_PREFIX.rstrip("/"))
        for method in operations
    }


def unresolved(paths: Iterable[tuple[str | None, str]]) -> list[str]:
    """The documented paths that name no page or API operation."""
    operations = api_operations()
    shapes = {shape for _method, shape in operations}
    missing: list[str] = []
    for method, path in paths:
        if path.startswith(API_PREFIX):
            shape = _shape(path)
            ok = (method, shape) in operations if method else shape in shapes
        else:
            ok = method is None and page_route(path) is not None
        if not ok:
            missing.append(f"{method + ' ' if method else ''}{path}")
    return missing


def _routes(patterns: Iterable[URLPattern | URLResolver], prefix: str) -> set[str]:
    routes: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            routes |= _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            routes.add(prefix + str(pattern.pattern))
    return routes


@pytest.mark.parametrize("name", DOCS)
def test_every_documented_path_exists(name: str) -> None:
    paths = mentioned_paths(_text(name))
    assert paths or name not in ABOUT_PATHS, f"{name} mentions no KIPP page or API path"
    missing = unresolved(paths)
    assert not missing, f"{name} mentions paths that do not exist:\n" + "\n".join(missing)


def test_a_path_that_does_not_exist_is_caught() -> None:
    text = (
        "Buka `/kipp/proposal/{nomor}/ubah/`, lalu `/kipp/tidak-ada/{kode}/`; "
        "`GET /api/v1/kipp/proposals` dan `DELETE /api/v1/kipp/proposals` serta "
        "`/api/v1/kipp/tidak-ada`, `/kipp/publik/statistik/`."
    )
    assert unresolved(mentioned_paths(text)) == [
        "/kipp/tidak-ada/{kode}/",
        "DELETE /api/v1/kipp/proposals",
        "/api/v1/kipp/tidak-ada",
        "/kipp/publik/statistik/",
    ]


def test_every_kipp_page_is_documented() -> None:
    documented = {
        route
        for name in DOCS
        for method, path in mentioned_paths(_text(name))
        if method is None and path.startswith(PAGE_PREFIX)
        if (route := page_route(path)) is not None
    }
    missing = sorted(_routes(kipp_urls.urlpatterns, "kipp/") - documented)
    assert not missing, "KIPP pages no doc describes:\n" + "\n".join(missing)


def test_every_kipp_api_operation_is_documented() -> None:
    documented = {
        (method, _shape(path))
        for method, path in mentioned_paths(_text(API_DOC))
        if method is not None and path.startswith(API_PREFIX)
    }
    missing = sorted(f"{method} {path}" for method, path in api_operations() - documented)
    assert not missing, f"API operations {API_DOC} does not describe:\n" + "\n".join(missing)
