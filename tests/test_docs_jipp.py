"""The JIPP documentation cannot drift from the code (see `tests/docs_check.py`)."""

from __future__ import annotations

import pytest

from prima.innovations.urls import exchange, hubs, links
from tests.docs_check import Programme

DOCS = (
    "docs/user-guide/jipp-tautan.md",
    "docs/user-guide/jipp-katalog.md",
    "docs/user-guide/jipp-simpul.md",
    "docs/user-guide/jipp-pertukaran-data.md",
    "docs/api/jipp.md",
)
JIPP = Programme(
    name="JIPP",
    page_prefix="/inovasi/",
    api_prefix="/api/v1/jipp/",
    # The catalogue pages predate JIPP and keep their names.
    url_name_prefix=("jipp_", "public_innovation_", "innovation_detail"),
    urlpatterns=[
        *links.urlpatterns,
        *hubs.urlpatterns,
        *exchange.urlpatterns,
    ],
    docs=DOCS,
    api_doc="docs/api/jipp.md",
    about_paths=DOCS,
)


@pytest.mark.parametrize("name", DOCS)
def test_every_documented_path_exists(name: str) -> None:
    JIPP.assert_documented_paths_exist(name)


def test_every_page_is_documented() -> None:
    JIPP.assert_every_page_documented()


def test_every_api_operation_is_documented() -> None:
    JIPP.assert_every_operation_documented()
