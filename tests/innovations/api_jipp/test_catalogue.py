"""The public catalogue API (`/api/v1/jipp/catalogue`, pkri.md §9): no token, published
innovations only, the page's filters, badges, metrics and lineage."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from prima.core.enums import InstitutionKind, RegionLevel
from prima.innovations.enums import LinkStatus
from prima.innovations.models import Innovation, JippHub
from tests.factories import RegionFactory
from tests.innovations.catalogue_data import award, build_graph, link, owned_innovation

pytestmark = pytest.mark.django_db

LIST = "/api/v1/jipp/catalogue"


def publish(innovation: Innovation) -> Innovation:
    innovation.is_published = True
    innovation.save()
    return innovation


def get(path: str, **params):
    return Client().get(path, params)


def test_the_list_needs_no_token_and_shows_published_innovations_with_badges(innovation_a):
    graph = build_graph(publish(innovation_a))
    award(innovation_a, tier="top99", year=2019)
    award(innovation_a, tier="top45", year=2020, revoked=True)
    Innovation.objects.filter(pk=innovation_a.pk).update(
        open_to_replication=True,
        replication_contact="Dinas PUPR",
        status_confirmed_on=dt.date(2024, 5, 20),
        updated_at=timezone.now() - dt.timedelta(days=800),
    )

    body = get(LIST, limit=100).json()

    by_id = {item["id"]: item for item in body["items"]}
    assert graph.c.pk not in by_id  # not published
    assert body["count"] == len(by_id) == 9
    item = by_id[innovation_a.pk]
    assert item["direct_replications"] == 2
    assert [(t["tier"], t["year"]) for t in item["tiers"]] == [("top99", 2019)]
    assert item["open_to_replication"] is True
    assert item["status_confirmed_on"] == "2024-05-20"
    assert item["stale"] is True
    assert item["url"] == f"/inovasi/publik/{innovation_a.pk}/"
    assert by_id[graph.b.pk]["stale"] is False
    assert "replication_contact" not in item  # only on the detail


def test_the_list_filters_like_the_page(innovation_a, innovation_b):
    graph = build_graph(publish(innovation_a))
    publish(innovation_b)
    province = RegionFactory(
        code="35", name="Jawa Timur", level=RegionLevel.PROVINCE, province_code="35"
    )
    hub = JippHub.objects.create(province=province, decree_ref="KepmenPANRB 94/2020", year=2020)
    hub.members.add(innovation_b.institution, graph.b.institution)
    award(graph.b, tier="top99", year=2021)
    city = owned_innovation("Kota Tangguh", province="64", kind=InstitutionKind.CITY)

    def ids(**params) -> set[int]:
        return {item["id"] for item in get(LIST, **params).json()["items"]}

    assert ids(hub=hub.pk) == {innovation_b.pk, graph.b.pk}
    assert ids(tier="top99", award_year=2021) == {graph.b.pk}
    assert ids(tier="top99", award_year=2020) == set()
    assert ids(kind="city") == {innovation_a.pk, innovation_b.pk, graph.f.pk, city.pk}
    assert graph.d.pk in ids(has_replicas="false")
    assert graph.d.pk not in ids(has_replicas="true")
    assert get(LIST, limit=2, offset=1).json()["count"] == 11


def test_the_list_issues_a_fixed_number_of_queries(innovation_a, django_assert_num_queries):
    publish(innovation_a)
    award(innovation_a, tier="top99", year=2019)
    with django_assert_num_queries(4):  # rows, categories, tiers, count
        get(LIST)
    for index in range(8):
        other = owned_innovation(f"Tambahan {index}", province="35")
        award(other, tier="top45", year=2020)
        link(innovation_a, other, LinkStatus.VERIFIED)
    with django_assert_num_queries(4):
        assert get(LIST).json()["count"] == 9


def test_the_detail_has_metrics_lineage_two_generations_and_replicas(innovation_a):
    graph = build_graph(publish(innovation_a))
    Innovation.objects.filter(pk=innovation_a.pk).update(
        open_to_replication=True, replication_contact="Dinas PUPR — pupr@contoh.go.id"
    )

    response = get(f"{LIST}/{innovation_a.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["metrics"] == {
        "direct": 2,
        "direct_claimed": 1,
        "descendants": 4,
        "generations": 3,
        "institutions": 4,
        "provinces": 3,
        "by_kind": {"city": 1, "regency": 3},
        "sentence": "Direplikasi oleh 4 instansi di 3 provinsi",
        "claimed_note": "+1 klaim belum terverifikasi",
    }
    assert body["replication_contact"] == "Dinas PUPR — pupr@contoh.go.id"
    generations = {node["id"]: node["generation"] for node in body["lineage"]["nodes"]}
    assert generations == {
        graph.s.pk: -1,
        graph.t.pk: -2,
        graph.b.pk: 1,
        graph.d.pk: 1,
        graph.f.pk: 2,
    }
    assert body["lineage"]["deeper"] is True
    edges = {(e["source"], e["replica"]): e["claimed"] for e in body["lineage"]["edges"]}
    assert edges == {
        (graph.s.pk, innovation_a.pk): False,
        (graph.t.pk, graph.s.pk): False,
        (innovation_a.pk, graph.b.pk): False,
        (innovation_a.pk, graph.d.pk): True,
        (graph.b.pk, graph.f.pk): False,
    }
    replicas = [(r["innovation"]["id"], r["claimed"], r["scope"]) for r in body["replicas"]]
    assert replicas == [(graph.b.pk, False, "partial"), (graph.d.pk, True, "")]
    assert body["unpublished_replicas"] == 1
    text = response.content.decode()
    assert graph.e.name not in text and graph.c.name not in text


def test_the_detail_of_a_closed_innovation_hides_its_contact(innovation_a):
    publish(innovation_a)
    Innovation.objects.filter(pk=innovation_a.pk).update(replication_contact="lama@contoh.go.id")
    body = get(f"{LIST}/{innovation_a.pk}").json()
    assert body["replication_contact"] == ""
    assert body["metrics"]["sentence"] == "Belum tercatat direplikasi"


def test_an_unpublished_or_unknown_innovation_is_404(innovation_a):
    assert get(f"{LIST}/{innovation_a.pk}").status_code == 404
    assert get(f"{LIST}/999999").status_code == 404
