"""The SKM documentation cannot drift from the code (see `tests/docs_check.py`).

SKM has two page trees: staff pages under /skm/ and the citizens' pages (survey form,
one-time codes, published results, open data) under /survei/; both share the API.
"""

from __future__ import annotations

import pytest

from prima.skm import urls as skm_urls
from prima.skm.urls import public as public_urls
from tests.docs_check import Programme

GUIDES = (
    "docs/user-guide/skm-operator.md",
    "docs/user-guide/skm-operator-jawaban.md",
    "docs/user-guide/skm-sekretariat.md",
    "docs/user-guide/skm-impor.md",
    "docs/user-guide/skm-hasil.md",
    "docs/user-guide/skm-rtl.md",
    "docs/user-guide/skm-kode.md",
    "docs/user-guide/skm-survei-publik.md",
    "docs/user-guide/skm-data-terbuka.md",
)
DOCS = (*GUIDES, "docs/api/skm.md")
SAMPLES = {"format": "csv", "fmt": "csv", "public_id": "abcdefgh12345678"}
SKM = Programme(
    name="SKM",
    page_prefix="/skm/",
    api_prefix="/api/v1/skm/",
    url_name_prefix="skm_",
    urlpatterns=skm_urls.urlpatterns,
    docs=DOCS,
    api_doc="docs/api/skm.md",
    about_paths=tuple(d for d in DOCS if "publik" not in d and "terbuka" not in d),
    samples=SAMPLES,
)
PUBLIC = Programme(
    name="SKM publik",
    page_prefix="/survei/",
    api_prefix="/api/v1/skm/",
    url_name_prefix="skm_",
    urlpatterns=public_urls.urlpatterns,
    docs=DOCS,
    api_doc="docs/api/skm.md",
    about_paths=("docs/user-guide/skm-survei-publik.md", "docs/user-guide/skm-data-terbuka.md"),
    samples=SAMPLES,
)


@pytest.mark.parametrize("name", DOCS)
def test_every_documented_staff_path_exists(name: str) -> None:
    SKM.assert_documented_paths_exist(name)


@pytest.mark.parametrize("name", DOCS)
def test_every_documented_public_path_exists(name: str) -> None:
    PUBLIC.assert_documented_paths_exist(name)


def test_a_path_that_does_not_exist_is_caught() -> None:
    text = "`/skm/{id}/hasil/` exists; `/skm/{id}/tidak-ada/` and `GET /api/v1/skm/nothing` do not."
    assert SKM.unresolved(SKM.mentioned_paths(text)) == [
        "/skm/{id}/tidak-ada/",
        "GET /api/v1/skm/nothing",
    ]


def test_every_staff_page_is_documented() -> None:
    SKM.assert_every_page_documented()


def test_every_public_page_is_documented() -> None:
    PUBLIC.assert_every_page_documented()


def test_every_skm_api_operation_is_documented() -> None:
    SKM.assert_every_operation_documented()
