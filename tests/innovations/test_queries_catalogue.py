"""Reading one innovation's public lineage: bounded queries, diamonds drawn once, stored
cycles survived (pkri.md §9)."""

from __future__ import annotations

import pytest

from prima.innovations.enums import LinkStatus
from prima.innovations.models import ReplicationLink
from prima.innovations.queries_catalogue import catalogue_lineage
from tests.innovations.catalogue_data import build_graph, link, owned_innovation

pytestmark = pytest.mark.django_db


def test_one_query_per_generation_below_and_at_most_generations_plus_one_above(
    innovation_a, django_assert_num_queries
):
    innovation_a.is_published = True
    innovation_a.save()
    build_graph(innovation_a)

    # Below: B/C/D/E, F, G, then an empty frontier (4). Above: S, T, U (3).
    with django_assert_num_queries(7):
        lineage = catalogue_lineage(innovation_a, generations=2)
    with django_assert_num_queries(4 + 2):
        catalogue_lineage(innovation_a, generations=1)

    assert lineage.metrics.descendants == 4
    assert [node.innovation.name for node in lineage.originals] == ["Asal Sleman"]
    assert lineage.originals[0].children[0].more is True  # U sits above T
    assert lineage.deeper


def test_a_diamond_draws_the_shared_replica_once():
    a = owned_innovation("Asal", province="13")
    b = owned_innovation("Kiri", province="35")
    c = owned_innovation("Kanan", province="52")
    d = owned_innovation("Bawah", province="61")
    link(a, b, LinkStatus.CONFIRMED)
    link(a, c, LinkStatus.CONFIRMED)
    link(b, d, LinkStatus.CONFIRMED)
    link(c, d, LinkStatus.VERIFIED)

    lineage = catalogue_lineage(a, generations=2)

    left, right = sorted(lineage.replicas, key=lambda node: node.innovation.name)
    assert (left.innovation, right.innovation) == (c, b)
    drawn = [(node.innovation, node.repeated) for node in (*left.children, *right.children)]
    assert sorted(drawn, key=lambda pair: pair[1]) == [(d, False), (d, True)]
    assert lineage.metrics.descendants == 3 and lineage.metrics.institutions == 3


def test_a_circle_in_stored_data_ends(django_assert_max_num_queries):
    a = owned_innovation("Satu", province="13")
    b = owned_innovation("Dua", province="35")
    # Written past the domain (which refuses cycles), as an import might have done.
    ReplicationLink.objects.bulk_create(
        [
            ReplicationLink(
                source=a,
                replica=b,
                replicated_on="2022-01-01",
                adaptation="-",
                status=LinkStatus.CONFIRMED,
            ),
            ReplicationLink(
                source=b,
                replica=a,
                replicated_on="2023-01-01",
                adaptation="-",
                status=LinkStatus.CONFIRMED,
            ),
        ]
    )

    with django_assert_max_num_queries(8):
        lineage = catalogue_lineage(a, generations=8)

    assert [node.innovation for node in lineage.replicas] == [b]
    # a shows up below b only as a mark that it is drawn already, with nothing under it.
    [again] = lineage.replicas[0].children
    assert (again.innovation, again.repeated, again.children) == (a, True, [])
    assert lineage.metrics.descendants == 1
