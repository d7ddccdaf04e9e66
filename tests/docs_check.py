"""Checks that a programme's documentation cannot drift from the code.

Every page path (e.g. `/kipp/…`) and API path (e.g. `/api/v1/kipp/…`) written in
backticks in a programme's docs must exist: page paths resolve through Django's URLconf
(placeholders such as `{kode}` or `{nomor}` replaced by sample values), API paths are
operations of the OpenAPI schema of `prima.api.api` (with the method, when one is
written). Conversely every page and every API operation of the programme must be
described somewhere. `tests/test_docs_<programme>.py` describe one programme each with a
`Programme` and run these checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.urls import Resolver404, URLPattern, URLResolver, resolve

from prima.api import api

ROOT = Path(__file__).resolve().parent.parent
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_SPAN = re.compile(r"`([^`\n]+)`")
_PATH = re.compile(rf"(?:({'|'.join(METHODS)}) )?(/\S*)")
_PLACEHOLDER = re.compile(r"\{([^}]*)\}|<([^>]*)>")


def doc_text(name: str) -> str:
    """The text of a doc file (relative to the repository root), without fenced code."""
    return _FENCE.sub("", (ROOT / name).read_text(encoding="utf-8"))


def shape(path: str) -> str:
    """The path with every placeholder written `{}` and no trailing slash."""
    return _PLACEHOLDER.sub("{}", path.rstrip("/") or "/")


def routes(patterns: Iterable[URLPattern | URLResolver], prefix: str) -> set[str]:
    """Every route of a URL pattern list, each starting with `prefix`."""
    found: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found |= routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            found.add(prefix + str(pattern.pattern))
    return found


@dataclass(frozen=True)
class Programme:
    """One programme's pages, API and the docs that must describe them.

    `samples` maps placeholder names (lower case) to the value a documented path gets
    for them; any other placeholder becomes `1`. `about_paths` are the docs that must
    name at least one of the programme's paths (the role guides and the API guide).
    """

    name: str
    page_prefix: str
    api_prefix: str
    url_name_prefix: str | tuple[str, ...]
    urlpatterns: Sequence[URLPattern | URLResolver]
    docs: tuple[str, ...]
    api_doc: str
    about_paths: tuple[str, ...]
    samples: Mapping[str, str] = field(default_factory=dict)

    @property
    def sample_values(self) -> set[str]:
        return {*self.samples.values(), "1"}

    def mentioned_paths(self, text: str) -> list[tuple[str | None, str]]:
        """(method or None, path) for every backticked page or API path of the programme."""
        found: list[tuple[str | None, str]] = []
        for span in _SPAN.findall(text):
            match = _PATH.fullmatch(span.strip())
            if match is None:
                continue
            method, path = match.group(1), match.group(2).split("?")[0].split("#")[0]
            if path.startswith((self.api_prefix, self.page_prefix)):
                found.append((method, path))
        return found

    def sample_url(self, path: str) -> str:
        """The path with each placeholder replaced by a sample value."""

        def value(match: re.Match[str]) -> str:
            name = (match.group(1) or match.group(2) or "").strip().lower()
            return self.samples.get(name, "1")

        return _PLACEHOLDER.sub(value, path)

    def page_route(self, path: str) -> str | None:
        """The programme's URL route a documented page path resolves to, or None.

        Every captured value must come from a placeholder: a literal word caught by a
        converter (`/kipp/publik/statistik/` read as edition «publik») is no match.
        """
        try:
            match = resolve(self.sample_url(path))
        except Resolver404:
            return None
        if not (match.url_name or "").startswith(self.url_name_prefix):
            return None
        if any(str(value) not in self.sample_values for value in match.kwargs.values()):
            return None
        return match.route

    @cached_property
    def api_operations(self) -> set[tuple[str, str]]:
        """(METHOD, path shape) of every operation of the programme in the OpenAPI schema."""
        schema = api.get_openapi_schema()
        return {
            (method.upper(), shape(path))
            for path, operations in schema["paths"].items()
            if path.startswith(self.api_prefix.rstrip("/"))
            for method in operations
        }

    def unresolved(self, paths: Iterable[tuple[str | None, str]]) -> list[str]:
        """The documented paths that name no page or API operation."""
        operations = self.api_operations
        shapes = {op_shape for _method, op_shape in operations}
        missing: list[str] = []
        for method, path in paths:
            if path.startswith(self.api_prefix):
                ok = (method, shape(path)) in operations if method else shape(path) in shapes
            else:
                ok = method is None and self.page_route(path) is not None
            if not ok:
                missing.append(f"{method + ' ' if method else ''}{path}")
        return missing

    # The checks, each returning what is wrong (empty when the docs are right).

    def undescribed_pages(self) -> list[str]:
        """Routes of the programme's pages that no doc describes."""
        documented = {
            route
            for name in self.docs
            for method, path in self.mentioned_paths(doc_text(name))
            if method is None and path.startswith(self.page_prefix)
            if (route := self.page_route(path)) is not None
        }
        return sorted(routes(self.urlpatterns, self.page_prefix.lstrip("/")) - documented)

    def undescribed_operations(self) -> list[str]:
        """API operations of the programme the API doc does not describe."""
        documented = {
            (method, shape(path))
            for method, path in self.mentioned_paths(doc_text(self.api_doc))
            if method is not None and path.startswith(self.api_prefix)
        }
        return sorted(f"{method} {path}" for method, path in self.api_operations - documented)

    # Assertions for the test modules.

    def assert_documented_paths_exist(self, name: str) -> None:
        paths = self.mentioned_paths(doc_text(name))
        assert paths or name not in self.about_paths, (
            f"{name} mentions no {self.name} page or API path"
        )
        missing = self.unresolved(paths)
        assert not missing, f"{name} mentions paths that do not exist:\n" + "\n".join(missing)

    def assert_every_page_documented(self) -> None:
        missing = self.undescribed_pages()
        assert not missing, f"{self.name} pages no doc describes:\n" + "\n".join(missing)

    def assert_every_operation_documented(self) -> None:
        missing = self.undescribed_operations()
        assert not missing, f"API operations {self.api_doc} does not describe:\n" + "\n".join(
            missing
        )
