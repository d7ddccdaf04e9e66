"""Who may create a PKRI edition on the web (`/pkri/baru/`): the secretariat only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prima.core.enums import Role
from prima.evaluation.models import Edition
from prima.pkri.domain.editions import EDITIONS_DIR
from tests.conftest import client_for
from tests.factories import person_with_role

COVERED_PAGES = {"pkri_edition_create"}
COVERED_OPERATIONS: set[tuple[str, str]] = set()

PAGES = {
    "secretariat": 200,
    "national_viewer": 403,
    "admin_a": 403,
    "operator_a": 403,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}


@pytest.fixture
def cast(personas):
    return {**personas, "national_viewer": person_with_role(Role.VIEWER)}


def _rules() -> SimpleUploadedFile:
    text = (EDITIONS_DIR / "pkri-2024.yaml").read_text(encoding="utf-8")
    text = text.replace("code: pkri-2024", "code: pkri-2030").replace("year: 2024", "year: 2030")
    return SimpleUploadedFile("pkri-2030.yaml", text.encode("utf-8"))


@pytest.mark.parametrize("persona, expected", sorted(PAGES.items()))
def test_the_page_and_the_upload(cast, persona, expected):
    client = client_for(cast[persona])
    url = reverse("pkri_edition_create")
    assert client.get(url).status_code == expected

    response = client.post(url, {"file": _rules()})

    created = Edition.objects.filter(code="pkri-2030").exists()
    if expected == 200:
        assert response.status_code == 302 and created
    else:
        assert response.status_code == expected and not created
