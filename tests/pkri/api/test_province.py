"""`GET /api/v1/pkri/editions/{code}/province-progress` (pkri.md §2)."""

from __future__ import annotations

import pytest

from prima.core.domain.tokens import create_api_token
from prima.pkri.enums import FormState
from tests.conftest import client_for
from tests.pkri.province_factories import object_form, province_world, regency

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(institution_a, institution_b):
    return province_world(institution_a, institution_b)


@pytest.fixture
def get_progress():
    """GET the progress as a person (one API token per person)."""
    keys: dict[int, str] = {}

    def get(person, code, **params):
        if person.pk not in keys:
            keys[person.pk] = create_api_token(actor=person, name="uji provinsi")[1]
        return client_for(None).get(
            f"/api/v1/pkri/editions/{code}/province-progress",
            params,
            HTTP_AUTHORIZATION=f"Bearer {keys[person.pk]}",
        )

    return get


def test_the_coordinator_gets_its_province_by_default(world, get_progress):
    response = get_progress(world.coordinator, world.edition.code)

    assert response.status_code == 200
    body = response.json()
    assert body["province"] == {"code": "35", "name": "Jawa Timur"}
    assert [row["institution"]["short_name"] for row in body["loci"]] == [
        "Provinsi Jawa Timur",
        "Kabupaten Malang",
        "Kota Surabaya",
    ]
    jatim = body["loci"][0]
    assert jatim["forms"]["submitted"] == 1 and jatim["forms"]["returned"] == 1
    assert jatim["coaching"] == "submitted"
    assert body["loci"][2]["coaching"] is None
    assert body["totals"]["loci"] == 3 and body["totals"]["objects"] == 5
    assert "RAHASIA-ISIAN" not in response.content.decode()
    assert "desk_score" not in response.content.decode()


def test_refusals(world, secretariat, admin_a, get_progress):
    assert get_progress(world.coordinator, world.edition.code, province="13").status_code == 403
    assert get_progress(admin_a, world.edition.code).status_code == 403
    assert get_progress(world.coordinator, "pkri-tidak-ada-1").status_code == 404
    assert get_progress(secretariat, world.edition.code).status_code == 422
    assert get_progress(secretariat, world.edition.code, province="99").status_code == 404
    other = get_progress(secretariat, world.edition.code, province="13").json()
    assert [row["institution"]["name"] for row in other["loci"]] == ["Pemerintah Kota Payakumbuh"]


def test_the_answer_costs_the_same_queries_for_any_number_of_loci(world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, key = create_api_token(actor=world.coordinator, name="uji")
    url = f"/api/v1/pkri/editions/{world.edition.code}/province-progress"
    client = client_for(None)
    client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")  # the token's first use is recorded
    with CaptureQueriesContext(connection) as first:
        assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    for n in range(2, 5):
        object_form(world.edition, regency("35", n), FormState.DRAFT)
    with django_assert_num_queries(len(first)):
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.json()["totals"]["loci"] == 6
