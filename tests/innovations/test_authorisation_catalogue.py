"""Who may read the public innovation catalogue (pkri.md §9): everyone, pages and API, for
published innovations; an innovation not published does not exist for anyone (404), not
even for its owners (they use the internal registry page)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.innovations.enums import LinkStatus
from tests.conftest import client_for
from tests.factories import ReplicationLinkFactory

pytestmark = pytest.mark.django_db

COVERED_PAGES = {"public_innovation_list", "public_innovation_detail"}
COVERED_OPERATIONS = {
    ("get", "/jipp/catalogue"),
    ("get", "/jipp/catalogue/{}"),
}

PERSONAS = ["secretariat", "admin_a", "operator_a", "operator_b", "evaluator", "nobody", "public"]


def _targets(innovation) -> dict[str, str]:
    return {
        "list": reverse("public_innovation_list"),
        "detail": reverse("public_innovation_detail", args=[innovation.pk]),
        "api_list": "/api/v1/jipp/catalogue",
        "api_detail": f"/api/v1/jipp/catalogue/{innovation.pk}",
    }


@pytest.mark.parametrize("target", ["list", "detail", "api_list", "api_detail"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_reads_a_published_innovation(
    personas, innovation_a, innovation_b, target, persona
):
    innovation_a.is_published = True
    innovation_a.save()
    ReplicationLinkFactory(source=innovation_a, replica=innovation_b, status=LinkStatus.VERIFIED)

    response = client_for(personas[persona]).get(_targets(innovation_a)[target])

    assert response.status_code == 200
    assert innovation_a.name.encode() in response.content
    assert innovation_b.name.encode() not in response.content  # not published


@pytest.mark.parametrize("target", ["detail", "api_detail"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_an_unpublished_innovation_is_404_for_everyone(personas, innovation_a, target, persona):
    response = client_for(personas[persona]).get(_targets(innovation_a)[target])
    assert response.status_code == 404


@pytest.mark.parametrize("target", ["list", "api_list"])
@pytest.mark.parametrize("persona", ["secretariat", "admin_a", "public"])
def test_an_unpublished_innovation_is_never_listed(personas, innovation_a, target, persona):
    response = client_for(personas[persona]).get(_targets(innovation_a)[target])
    assert response.status_code == 200
    assert innovation_a.name.encode() not in response.content
