"""Who may read the provincial progress of PKRI (pkri.md §2): the coordinator of the
province (a `viewer` at its province government) and national readers; nobody else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.core.domain.tokens import create_api_token
from prima.core.enums import Role
from tests.conftest import client_for
from tests.factories import person_with_role
from tests.pkri.province_factories import coordinator, province_government, province_world

COVERED_PAGES = {"pkri_province_editions", "pkri_province_progress"}
COVERED_OPERATIONS = {("get", "/pkri/editions/{}/province-progress")}

PAGES = {
    "secretariat": 200,
    "national_viewer": 200,
    "coordinator": 200,
    "coordinator_bali": 403,
    "city_viewer": 403,
    "admin_a": 403,
    "operator_a": 403,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}


@pytest.fixture
def world(personas, institution_a, institution_b):
    world = province_world(institution_a, institution_b)
    cast = dict(personas)
    cast["coordinator"] = world.coordinator
    cast["coordinator_bali"] = coordinator(province_government("51", "Bali"))
    cast["national_viewer"] = person_with_role(Role.VIEWER)
    # A viewer at a city is no coordinator.
    cast["city_viewer"] = person_with_role(Role.VIEWER, institution=institution_b)
    return world, cast


@pytest.mark.parametrize("persona, expected", sorted(PAGES.items()))
def test_the_progress_page_of_jawa_timur(world, persona, expected):
    world, cast = world
    url = reverse("pkri_province_progress", args=[world.edition.code])
    response = client_for(cast[persona]).get(url, {"provinsi": "35"})
    assert response.status_code == expected
    if expected == 200:
        assert "Kota Surabaya" in response.content.decode()
    download = client_for(cast[persona]).get(url, {"provinsi": "35", "unduh": "csv"})
    assert download.status_code == expected


@pytest.mark.parametrize(
    "persona, expected",
    sorted({**PAGES, "coordinator_bali": 200, "city_viewer": 403}.items()),
)
def test_the_editions_page(world, persona, expected):
    _world, cast = world
    response = client_for(cast[persona]).get(reverse("pkri_province_editions"))
    assert response.status_code == expected


def test_a_coordinator_never_reads_another_province(world):
    world, cast = world
    url = reverse("pkri_province_progress", args=[world.edition.code])
    for province in ("13", "51"):
        assert client_for(cast["coordinator"]).get(url, {"provinsi": province}).status_code == 403
    assert client_for(cast["secretariat"]).get(url, {"provinsi": "13"}).status_code == 200


@pytest.mark.parametrize("persona, expected", sorted(PAGES.items()))
def test_the_api(world, persona, expected):
    world, cast = world
    headers = {}
    if cast[persona] is not None:
        _, key = create_api_token(actor=cast[persona], name="uji")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    response = client_for(None).get(
        f"/api/v1/pkri/editions/{world.edition.code}/province-progress",
        {"province": "35"},
        **headers,
    )
    assert response.status_code == (401 if persona == "public" else expected)
