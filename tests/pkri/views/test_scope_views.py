"""Scope pages and API: what they show, and query counts independent of the row count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prima.core.domain.tokens import create_api_token
from prima.pkri.domain import scope
from prima.pkri.models import SelfAssessment
from tests.conftest import client_for
from tests.factories import (
    AwardRecordFactory,
    InnovationFactory,
    ReplicationLinkFactory,
    ServiceUnitFactory,
)
from tests.pkri.factories import PkriEditionFactory

pytestmark = pytest.mark.django_db


def _edition_with(n: int, secretariat, institution):
    edition = PkriEditionFactory(stages="scope_draft")
    for _ in range(n):
        top = InnovationFactory(unit=ServiceUnitFactory(institution=institution))
        AwardRecordFactory(innovation=top, year=2018)
        replica = InnovationFactory()
        ReplicationLinkFactory(replica=replica, source=top)
    scope.derive_scope(edition, actor=secretariat)
    return edition


def _count(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["pkri_scope", "pkri_objects", "pkri_edition_dashboard"])
def test_pages_use_the_same_queries_for_one_and_many_rows(secretariat, institution_a, name):
    small = _edition_with(1, secretariat, institution_a)
    large = _edition_with(6, secretariat, institution_a)
    client = client_for(secretariat)
    assert _count(client, reverse(name, args=[small.code])) == _count(
        client, reverse(name, args=[large.code])
    )


@pytest.mark.parametrize("what", ["loci", "objects"])
def test_api_lists_use_the_same_queries(secretariat, institution_a, what):
    small = _edition_with(1, secretariat, institution_a)
    large = _edition_with(6, secretariat, institution_a)
    token = create_api_token(actor=secretariat, name="uji")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = client_for(None)
    # The first call records the token's use; measure the steady state.
    client.get(f"/api/v1/pkri/editions/{small.code}/scope/{what}", **headers)
    counts = [
        _count(client, f"/api/v1/pkri/editions/{e.code}/scope/{what}", **headers)
        for e in (small, large)
    ]
    assert counts[0] == counts[1]


def test_scope_page_shows_counts_filters_and_freeze(secretariat, institution_a):
    edition = _edition_with(2, secretariat, institution_a)
    client = client_for(secretariat)
    page = client.get(reverse("pkri_scope", args=[edition.code]) + "?kelompok=replikasi")
    text = page.content.decode()
    assert "631" in text and "979" in text  # expected counts from the rules
    assert page.context["objects_page"].paginator.count == 2
    assert {o.group for o in page.context["objects_page"].object_list} == {"replikasi"}

    response = client.post(
        reverse("pkri_scope_freeze", args=[edition.code]),
        {"number": "B/241/PP.00.05/2024", "date": "2024-04-17"},
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.state == "scope_frozen"
    assert SelfAssessment.objects.filter(edition=edition).count() == 4
    text = client.get(reverse("pkri_scope", args=[edition.code])).content.decode()
    assert "Pengumuman perubahan lingkup" in text


def test_adding_after_freeze_on_the_page_is_refused_with_message(secretariat, institution_a):
    edition = _edition_with(1, secretariat, institution_a)
    scope.freeze_scope(edition, number="B/1", date=dt.date(2024, 4, 17), actor=secretariat)
    extra = InnovationFactory()
    client = client_for(secretariat)
    response = client.post(
        reverse("pkri_scope_add_object", args=[edition.code]),
        {"innovation": extra.pk, "group": "keberlanjutan", "reason": "Terlewat saat penurunan"},
        follow=True,
    )
    assert "pengumuman perubahan" in response.content.decode()
    assert not edition.pkri_objects.filter(innovation=extra).exists()
