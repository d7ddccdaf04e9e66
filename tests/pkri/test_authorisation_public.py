"""Who may read PKRI's public pages and API: everyone once published, national readers
before that (the edition does not exist for anyone else: 404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.core.enums import InstitutionKind as K
from prima.evaluation.enums import EditionState
from prima.pkri.enums import Group
from tests.conftest import client_for
from tests.pkri.public_data import award, bulk_scope, pkri_edition

COVERED_PAGES = {
    "pkri_public_edition",
    "pkri_public_results",
    "pkri_public_institution",
    "pkri_public_editions",
}
COVERED_OPERATIONS = {
    ("get", "/pkri/editions/{}"),
    ("get", "/pkri/editions/{}/results"),
}

# Before publication: only national readers (here the secretariat) see anything.
UNPUBLISHED = {
    "secretariat": 200,
    "admin_a": 404,
    "operator_a": 404,
    "operator_b": 404,
    "evaluator": 404,
    "nobody": 404,
    "public": 404,
}
PUBLISHED = dict.fromkeys(UNPUBLISHED, 200)


def _edition(institution_a, *, published):
    state = EditionState.RESULTS if published else EditionState.PLENARY
    edition = pkri_edition(state, published=published)
    bulk_scope(
        edition,
        institutions=[institution_a],
        loci={K.CITY: 1},
        coaching=2,
        objects={Group.KEBERLANJUTAN: 1},
    )
    award(edition, Group.PEMBINAAN, institution=institution_a)
    return edition


def _targets(institution_a):
    return {
        "pkri_public_edition": reverse("pkri_public_edition", args=[2024]),
        "pkri_public_results": reverse("pkri_public_results", args=[2024]) + "?kelompok=pembinaan",
        "pkri_public_institution": reverse(
            "pkri_public_institution", args=[2024, institution_a.pk]
        ),
        "api_stats": "/api/v1/pkri/editions/2024",
        "api_results": "/api/v1/pkri/editions/2024/results?group=pembinaan",
    }


TARGETS = sorted([*(COVERED_PAGES - {"pkri_public_editions"}), "api_stats", "api_results"])


@pytest.mark.parametrize("persona", sorted(UNPUBLISHED))
def test_the_editions_index_lists_published_editions_only(personas, institution_a, persona):
    published = _edition(institution_a, published=True)
    hidden = pkri_edition(EditionState.FORMS_OPEN, published=False)
    hidden.title = "PKRI Belum Diumumkan"
    hidden.save(update_fields=["title"])

    page = client_for(personas[persona]).get(reverse("pkri_public_editions"))

    assert page.status_code == 200
    text = page.content.decode()
    assert reverse("pkri_public_edition", args=[published.year]) in text
    assert hidden.title not in text


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("persona, expected", sorted(UNPUBLISHED.items()))
def test_unpublished_edition_is_for_national_readers(
    personas, institution_a, target, persona, expected
):
    _edition(institution_a, published=False)
    response = client_for(personas[persona]).get(_targets(institution_a)[target])
    assert response.status_code == expected


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("persona, expected", sorted(PUBLISHED.items()))
def test_published_edition_is_public(personas, institution_a, target, persona, expected):
    _edition(institution_a, published=True)
    response = client_for(personas[persona]).get(_targets(institution_a)[target])
    assert response.status_code == expected
    shown = "PKRI 2024" if target in ("pkri_public_edition", "api_stats") else "Kota Payakumbuh"
    assert shown.encode() in response.content


def test_the_api_token_of_a_national_reader_opens_an_unpublished_edition(personas, institution_a):
    from prima.core.domain.tokens import create_api_token

    _edition(institution_a, published=False)
    _, key = create_api_token(actor=personas["secretariat"], name="uji")

    ok = client_for(None).get("/api/v1/pkri/editions/2024", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert ok.status_code == 200
    assert ok.json()["loci"]["total"] == 2
