"""The PKRI documentation cannot drift from the code (see `tests/docs_check.py`)."""

from __future__ import annotations

import pytest

from prima.pkri import urls as pkri_urls
from tests.docs_check import Programme

DOCS = (
    "docs/user-guide/pkri-sekretariat.md",
    "docs/user-guide/pkri-admin-lokal.md",
    "docs/user-guide/pkri-operator.md",
    "docs/user-guide/pkri-penilai.md",
    "docs/user-guide/pkri-panel.md",
    "docs/user-guide/pkri-publik.md",
    "docs/user-guide/pkri-koordinator-provinsi.md",
    "docs/api/pkri.md",
)
# Staff pages name an edition by its code (the `pkri_code` converter needs a letter, a
# hyphen and a digit), public pages by its year.
PKRI = Programme(
    name="PKRI",
    page_prefix="/pkri/",
    api_prefix="/api/v1/pkri/",
    url_name_prefix="pkri_",
    urlpatterns=pkri_urls.urlpatterns,
    docs=DOCS,
    api_doc="docs/api/pkri.md",
    about_paths=DOCS,
    samples={"kode": "pkri-2024", "code": "pkri-2024", "tahun": "2024", "year": "2024"},
)


@pytest.mark.parametrize("name", DOCS)
def test_every_documented_path_exists(name: str) -> None:
    PKRI.assert_documented_paths_exist(name)


def test_a_path_that_does_not_exist_is_caught() -> None:
    text = (
        "`/pkri/panel/`, `/pkri/{tahun}/hasil/`, `/pkri/{kode}/lingkup/` and "
        "`GET /api/v1/pkri/editions/{year}/results` exist; "
        "`/pkri/{kode}/hasil/`, `/pkri/{tahun}/lingkup/`, `/pkri/umum/`, "
        "`DELETE /api/v1/pkri/forms/{id}` and `/api/v1/pkri/tidak-ada` do not."
    )
    assert PKRI.unresolved(PKRI.mentioned_paths(text)) == [
        "/pkri/{kode}/hasil/",
        "/pkri/{tahun}/lingkup/",
        "/pkri/umum/",
        "DELETE /api/v1/pkri/forms/{id}",
        "/api/v1/pkri/tidak-ada",
    ]


def test_every_pkri_page_is_documented() -> None:
    PKRI.assert_every_page_documented()


def test_every_pkri_api_operation_is_documented() -> None:
    PKRI.assert_every_operation_documented()
