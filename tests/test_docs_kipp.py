"""The KIPP documentation cannot drift from the code (see `tests/docs_check.py`)."""

from __future__ import annotations

import pytest

from prima.kipp import urls as kipp_urls
from tests.docs_check import Programme

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
KIPP = Programme(
    name="KIPP",
    page_prefix="/kipp/",
    api_prefix="/api/v1/kipp/",
    url_name_prefix="kipp_",
    urlpatterns=kipp_urls.urlpatterns,
    docs=DOCS,
    api_doc="docs/api/kipp.md",
    # The role guides and the API guide are about pages and endpoints: each must name some.
    about_paths=DOCS[:6],
    samples={
        "kode": "kipp-2025",
        "code": "kipp-2025",
        "tahap": "desk_evaluation",
        "stage": "desk_evaluation",
        "stage_code": "desk_evaluation",
    },
)


@pytest.mark.parametrize("name", DOCS)
def test_every_documented_path_exists(name: str) -> None:
    KIPP.assert_documented_paths_exist(name)


def test_a_path_that_does_not_exist_is_caught() -> None:
    text = (
        "Buka `/kipp/proposal/{nomor}/ubah/`, lalu `/kipp/tidak-ada/{kode}/`; "
        "`GET /api/v1/kipp/proposals` dan `DELETE /api/v1/kipp/proposals` serta "
        "`/api/v1/kipp/tidak-ada`, `/kipp/publik/statistik/`."
    )
    assert KIPP.unresolved(KIPP.mentioned_paths(text)) == [
        "/kipp/tidak-ada/{kode}/",
        "DELETE /api/v1/kipp/proposals",
        "/api/v1/kipp/tidak-ada",
        "/kipp/publik/statistik/",
    ]


def test_every_kipp_page_is_documented() -> None:
    KIPP.assert_every_page_documented()


def test_every_kipp_api_operation_is_documented() -> None:
    KIPP.assert_every_operation_documented()
