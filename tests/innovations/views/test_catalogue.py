"""The public innovation catalogue of the replication network (pkri.md §9): one page per
innovation with status, tiers, replication metrics, lineage and replicas; the list with
its filters and badges; and the owners' replication profile."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from prima.core.enums import InstitutionKind, RegionLevel
from prima.core.models import AuditEntry
from prima.innovations.enums import InnovationStatus, LinkStatus
from prima.innovations.models import Innovation, JippHub
from tests.factories import InnovationFactory, RegionFactory
from tests.innovations.catalogue_data import award, build_graph, link, owned_innovation

pytestmark = pytest.mark.django_db

LIST = reverse("public_innovation_list")


def detail_url(innovation, **params) -> str:
    url = reverse("public_innovation_detail", args=[innovation.pk])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def published(innovation: Innovation) -> Innovation:
    innovation.is_published = True
    innovation.save()
    return innovation


def text(response) -> str:
    return response.content.decode()


# --------------------------------------------------------------------------- detail page


def test_the_sentence_counts_confirmed_and_verified_links_and_claims_apart(as_client, innovation_a):
    build_graph(published(innovation_a))

    html = text(as_client(None).get(detail_url(innovation_a)))

    # B, C (not published, still counted), F and G: four institutions in 35, 52 and 61.
    assert "Direplikasi oleh 4 instansi di 3 provinsi" in html
    assert "+1 klaim belum terverifikasi" in html
    assert "Replikasi langsung: 2 · seluruh turunan: 4 · generasi terpanjang: 3" in html


def test_rejected_links_and_unpublished_replicas_never_appear(as_client, innovation_a):
    graph = build_graph(published(innovation_a))

    html = text(as_client(None).get(detail_url(innovation_a, generasi=8)))

    assert graph.e.name not in html and "Klaim ditolak sekretariat." not in html
    assert graph.c.name not in html
    assert "Dan 1 replikasi lain yang profilnya tidak ditampilkan untuk publik." in html


def test_a_claimed_replica_carries_the_unverified_badge_in_the_list_and_diagram(
    as_client, innovation_a
):
    graph = build_graph(published(innovation_a))

    response = as_client(None).get(detail_url(innovation_a))

    html = text(response)
    assert html.count(">belum terverifikasi</span>") == 2  # diagram and replica list
    replicas = response.context["lineage"].direct_replicas
    assert [(node.innovation, node.claimed) for node in replicas] == [
        (graph.b, False),
        (graph.d, True),
    ]
    assert "Memakai aplikasi WhatsApp." in html
    assert "Ditambah layanan jemput bola di kecamatan." in html
    assert "Cakupan</span>" not in html and "Cakupan: Sebagian" in html


def test_the_diagram_shows_two_generations_each_way_and_expands_on_request(as_client, innovation_a):
    graph = build_graph(published(innovation_a))
    client = as_client(None)

    html = text(client.get(detail_url(innovation_a)))
    assert graph.s.name in html and graph.t.name in html and graph.u.name not in html
    assert graph.b.name in html and graph.f.name in html and graph.g.name not in html
    assert html.index(graph.s.name) < html.index("Inovasi ini") < html.index(graph.b.name)
    assert "?generasi=4#lineage-heading" in html
    assert "berlanjut ke generasi berikutnya" in html

    wider = text(client.get(detail_url(innovation_a, generasi=4)))
    assert graph.u.name in wider and graph.g.name in wider
    assert "Tampilkan lebih banyak generasi" not in wider  # nothing further to show

    # Nonsense asks for the default.
    assert graph.g.name not in text(client.get(detail_url(innovation_a, generasi="x")))


def test_revoked_tiers_never_appear_and_others_are_badges(as_client, innovation_a):
    published(innovation_a)
    award(innovation_a, tier="top99", year=2019)
    award(innovation_a, tier="top45", year=2020, revoked=True)

    html = text(as_client(None).get(detail_url(innovation_a)))

    assert "KIPP 2019 · top99" in html
    assert "top45" not in html


def test_status_confirmation_open_to_replication_and_atm_guidance(as_client, innovation_a):
    innovation_a.is_published = True
    innovation_a.status_confirmed_on = dt.date(2024, 6, 3)
    innovation_a.open_to_replication = True
    innovation_a.replication_contact = "Bidang Tata Ruang — tataruang@payakumbuhkota.go.id"
    innovation_a.save()

    html = text(as_client(None).get(detail_url(innovation_a)))

    assert "Terakhir dikonfirmasi pemilik pada 3 Juni 2024" in html
    assert "Inovasi ini terbuka untuk direplikasi." in html
    assert "Bidang Tata Ruang — tataruang@payakumbuhkota.go.id" in html
    assert "Amati" in html and "Tiru" in html and "Modifikasi" in html


def test_a_closed_innovation_hides_its_stored_contact(as_client, innovation_a):
    innovation_a.is_published = True
    innovation_a.replication_contact = "kontak-lama@contoh.go.id"
    innovation_a.save()

    html = text(as_client(None).get(detail_url(innovation_a)))

    assert "kontak-lama@contoh.go.id" not in html
    assert "belum menyatakan inovasi ini terbuka untuk direplikasi" in html
    assert "Belum pernah dikonfirmasi pemilik" in html


def test_a_profile_older_than_24_months_shows_the_stale_badge(as_client, innovation_a):
    published(innovation_a)
    client = as_client(None)
    assert "data belum diperbarui" not in text(client.get(detail_url(innovation_a)))

    old = timezone.now() - dt.timedelta(days=2 * 366 + 1)
    Innovation.objects.filter(pk=innovation_a.pk).update(updated_at=old)

    assert "data belum diperbarui" in text(client.get(detail_url(innovation_a)))
    assert "data belum diperbarui" in text(client.get(LIST))


def test_an_innovation_without_links_says_so(as_client, innovation_a):
    published(innovation_a)
    html = text(as_client(None).get(detail_url(innovation_a)))
    assert "Belum tercatat direplikasi" in html
    assert "klaim belum terverifikasi" not in html


def test_detail_queries_are_bounded_by_the_depth_of_the_lineage(
    as_client, innovation_a, django_assert_max_num_queries
):
    build_graph(published(innovation_a))
    # Innovation, categories, public evidence, public tiers, 4 generations below (+1 empty)
    # and 2 generations above (+1 to know whether there are more).
    with django_assert_max_num_queries(4 + 5 + 3):
        as_client(None).get(detail_url(innovation_a))


# --------------------------------------------------------------------------- the list


def names(client, **params) -> set[str]:
    rows = client.get(LIST, params).context["rows"]
    return {row.innovation.name for row in rows}


def test_the_list_filters_by_kind_tier_award_year_and_replicas(as_client, innovation_a):
    graph = build_graph(published(innovation_a))
    province = owned_innovation("Inovasi Provinsi", province="13", kind=InstitutionKind.PROVINCE)
    award(graph.b, tier="top99", year=2021)
    award(province, tier="top45", year=2021)
    award(province, tier="top99", year=2019, revoked=True)
    client = as_client(None)

    assert names(client, kind="province") == {"Inovasi Provinsi"}
    assert names(client, tier="top99") == {graph.b.name}
    assert names(client, award_year="2021") == {graph.b.name, "Inovasi Provinsi"}
    assert names(client, tier="top99", award_year="2019") == set()  # revoked
    assert names(client, tier="top45", award_year="2021") == {"Inovasi Provinsi"}
    # Counted replicas only: the root (B, C), B (F), F (G), T (S), U (T), S (root).
    assert names(client, has_replicas="ya") == {
        innovation_a.name,
        graph.b.name,
        graph.f.name,
        graph.s.name,
        graph.t.name,
        graph.u.name,
    }
    assert graph.d.name in names(client, has_replicas="tidak")
    assert names(client, status="stopped") == set()
    # The revoked tier is not offered as a choice either.
    form = client.get(LIST).context["form"]
    assert [code for code, _label in form.fields["tier"].choices] == ["", "top45", "top99"]


def test_the_list_filters_by_hub_membership(as_client, innovation_a, innovation_b):
    published(innovation_a)
    published(innovation_b)
    province = RegionFactory(
        code="13", name="Sumatera Barat", level=RegionLevel.PROVINCE, province_code="13"
    )
    hub = JippHub.objects.create(province=province, decree_ref="KepmenPANRB 94/2020", year=2020)
    hub.members.add(innovation_a.institution)
    client = as_client(None)

    assert names(client, hub=hub.pk) == {innovation_a.name}
    assert names(client) == {innovation_a.name, innovation_b.name}
    assert "Sumatera Barat (2020)" in text(client.get(LIST))


def test_each_row_shows_its_counted_direct_replications_and_badges(as_client, innovation_a):
    graph = build_graph(published(innovation_a))
    award(innovation_a, tier="top99", year=2019)
    award(innovation_a, tier="top45", year=2020, revoked=True)
    Innovation.objects.filter(pk=graph.b.pk).update(
        open_to_replication=True, replication_contact="x"
    )

    response = as_client(None).get(LIST)

    rows = {row.innovation.pk: row for row in response.context["rows"]}
    assert rows[innovation_a.pk].direct_replications == 2  # B and C; not D, not E
    assert [a.tier for a in rows[innovation_a.pk].tiers] == ["top99"]
    assert rows[graph.b.pk].direct_replications == 1
    html = text(response)
    assert "2 replikasi langsung" in html
    assert "Terbuka untuk direplikasi" in html
    assert "top45" not in html
    assert graph.c.name not in html


def test_list_query_count_is_fixed_whatever_the_rows(
    as_client, innovation_a, django_assert_num_queries
):
    client = as_client(None)
    build_graph(published(innovation_a))
    award(innovation_a, tier="top99", year=2019)
    # Form choices (categories, provinces, tiers, hubs), count, rows, categories, tiers.
    with django_assert_num_queries(8):
        small = client.get(LIST)
    for index in range(12):
        other = owned_innovation(f"Tambahan {index}", province="35")
        award(other, tier="top45", year=2020)
        link(innovation_a, other, LinkStatus.CONFIRMED)
    with django_assert_num_queries(8):
        large = client.get(LIST)
    assert large.context["page"].paginator.count > small.context["page"].paginator.count + 10


def test_unpublished_innovations_are_404_and_never_listed(as_client, innovation_a, operator_a):
    assert as_client(operator_a).get(detail_url(innovation_a)).status_code == 404
    assert innovation_a.name not in names(as_client(None))


# --------------------------------------------------------------------------- the owners


def test_the_owner_opens_the_innovation_to_replication_and_it_is_audited(
    as_client, operator_a, innovation_a
):
    client = as_client(operator_a)
    form = client.get(reverse("innovation_edit", args=[innovation_a.pk])).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if name not in ("categories", "sdg_goals", "open_to_replication", "is_digital")
    }
    data["started_on"] = innovation_a.started_on.isoformat()
    data["open_to_replication"] = "on"

    refused = client.post(reverse("innovation_edit", args=[innovation_a.pk]), data)

    assert refused.status_code == 200
    assert "Kontak resmi replikasi wajib diisi" in text(refused)
    innovation_a.refresh_from_db()
    assert innovation_a.open_to_replication is False
    assert not AuditEntry.objects.filter(action="innovation.replication_profile_changed").exists()

    data["replication_contact"] = "Dinas PUPR — pupr@payakumbuhkota.go.id"
    saved = client.post(reverse("innovation_edit", args=[innovation_a.pk]), data)

    assert saved.status_code == 302
    innovation_a.refresh_from_db()
    assert innovation_a.open_to_replication is True
    assert innovation_a.replication_contact == "Dinas PUPR — pupr@payakumbuhkota.go.id"
    entry = AuditEntry.objects.get(action="innovation.replication_profile_changed")
    assert entry.before == {"open_to_replication": False, "replication_contact": ""}
    assert entry.after["open_to_replication"] is True
    page = text(client.get(reverse("innovation_detail", args=[innovation_a.pk])))
    assert "Profil replikasi" in page and "pupr@payakumbuhkota.go.id" in page


def test_the_internal_page_shows_the_date_of_the_latest_confirmation(as_client, operator_a, unit_a):
    innovation = InnovationFactory(
        unit=unit_a, status=InnovationStatus.ACTIVE, status_confirmed_on=dt.date(2024, 5, 20)
    )
    html = text(as_client(operator_a).get(reverse("innovation_detail", args=[innovation.pk])))
    assert "Terakhir dikonfirmasi pemilik pada 20 Mei 2024" in html
