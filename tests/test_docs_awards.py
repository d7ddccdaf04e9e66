"""The awards documentation cannot drift from the code (see `tests/docs_check.py`)."""

from __future__ import annotations

import pytest

from prima.awards import urls as awards_urls
from tests.docs_check import Programme

DOCS = (
    "docs/user-guide/penghargaan.md",
    "docs/api/penghargaan.md",
)
AWARDS = Programme(
    name="Awards",
    page_prefix="/penghargaan/",
    api_prefix="/api/v1/awards/",
    url_name_prefix="awards_",
    urlpatterns=awards_urls.urlpatterns,
    docs=DOCS,
    api_doc="docs/api/penghargaan.md",
    about_paths=DOCS,
    samples={"kode": "pkri-2024", "code": "pkri-2024"},
)


@pytest.mark.parametrize("name", DOCS)
def test_every_documented_path_exists(name: str) -> None:
    AWARDS.assert_documented_paths_exist(name)


def test_a_path_that_does_not_exist_is_caught() -> None:
    text = (
        "`/penghargaan/{kode}/daftar/unduh/{format}/` and "
        "`POST /api/v1/awards/awards/{award_id}/remove` exist; "
        "`/penghargaan/{kode}/daftar/unduh/csv/` (a literal caught by a converter), "
        "`/penghargaan/piagam/`, `GET /api/v1/awards/awards/{award_id}/remove` do not."
    )
    assert AWARDS.unresolved(AWARDS.mentioned_paths(text)) == [
        "/penghargaan/{kode}/daftar/unduh/csv/",
        "/penghargaan/piagam/",
        "GET /api/v1/awards/awards/{award_id}/remove",
    ]


def test_every_award_page_is_documented() -> None:
    AWARDS.assert_every_page_documented()


def test_every_award_api_operation_is_documented() -> None:
    AWARDS.assert_every_operation_documented()
