"""The public catalogue: published innovations only, public evidence only, no login."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.innovations.domain.evidence import add_evidence
from prima.innovations.models import Category
from tests.factories import AwardRecordFactory, InnovationFactory, ReplicationLinkFactory
from tests.innovations.conftest import pdf_upload, png_upload

pytestmark = pytest.mark.django_db

LIST = reverse("public_innovation_list")


def text(response) -> str:
    return response.content.decode()


def test_list_shows_only_published_innovations(as_client, innovation_a, innovation_b):
    innovation_b.is_published = True
    innovation_b.save()
    response = as_client(None).get(LIST)
    assert response.status_code == 200
    html = text(response)
    assert "Klampid New Generation" in html
    assert "SITARANG" not in html
    assert "<title>Katalog Inovasi Pelayanan Publik Indonesia · Prima</title>" in html
    assert 'name="viewport"' in html


def test_list_filters_and_ignores_the_internal_published_filter(as_client, unit_a, unit_b):
    InnovationFactory(unit=unit_a, name="Klinik Berhenti Merokok", is_published=True)
    InnovationFactory(unit=unit_b, name="Rahasia Surabaya", is_published=False)
    surabaya = InnovationFactory(unit=unit_b, name="Surabaya Single Window", is_published=True)
    surabaya.categories.set(Category.objects.filter(code="pertumbuhan_ekonomi_kesempatan_kerja"))
    client = as_client(None)

    def names(**params):
        return {i.name for i in client.get(LIST, params).context["page"].object_list}

    assert names(province="35") == {"Surabaya Single Window"}
    assert names(q="merokok") == {"Klinik Berhenti Merokok"}
    assert names(category="pertumbuhan_ekonomi_kesempatan_kerja") == {"Surabaya Single Window"}
    assert "Rahasia Surabaya" not in names(published="tidak")


def test_list_query_count_is_fixed(as_client, unit_a, django_assert_num_queries):
    client = as_client(None)
    InnovationFactory(unit=unit_a, is_published=True).categories.set(Category.objects.all()[:1])
    # Filter choices (categories, provinces, tiers, hubs), count, rows, categories, tiers.
    with django_assert_num_queries(8):
        client.get(LIST)
    for _ in range(6):
        InnovationFactory(unit=unit_a, is_published=True).categories.set(Category.objects.all()[:4])
    with django_assert_num_queries(8):
        assert client.get(LIST).context["page"].paginator.count == 7


def test_detail_shows_public_evidence_only_and_published_lineage(
    as_client, operator_a, innovation_a, innovation_b, unit_b
):
    innovation_a.is_published = True
    innovation_a.save()
    add_evidence(
        innovation_a,
        actor=operator_a,
        upload=pdf_upload("brosur.pdf"),
        description="Brosur layanan",
        is_public=True,
    )
    add_evidence(
        innovation_a,
        actor=operator_a,
        upload=png_upload("ktp-warga.png"),
        description="Contoh KTP pemohon",
    )
    AwardRecordFactory(innovation=innovation_a, tier="top99")
    AwardRecordFactory(innovation=innovation_a, year=2018, tier="top40", revoked=True)
    # Published source: shown. Unpublished replica: never named (only counted).
    innovation_b.is_published = True
    innovation_b.save()
    ReplicationLinkFactory(replica=innovation_a, source=innovation_b, adaptation="Pengajuan daring")
    hidden = InnovationFactory(unit=unit_b, name="Replika Diam-diam")
    ReplicationLinkFactory(replica=hidden, source=innovation_a)

    response = as_client(None).get(reverse("public_innovation_detail", args=[innovation_a.pk]))

    html = text(response)
    assert "<title>SITARANG (SITARANG) — Pemerintah Kota Payakumbuh" in html
    assert "Brosur layanan" in html
    assert "Contoh KTP pemohon" not in html and "ktp-warga" not in html
    assert "top99" in html and "top40" not in html
    assert "Klampid New Generation" in html
    assert reverse("public_innovation_detail", args=[innovation_b.pk]) in html
    assert "Replika Diam-diam" not in html
    assert "belum dipublikasikan" not in html
    assert "Dan 1 replikasi lain yang profilnya tidak ditampilkan untuk publik." in html
    assert reverse("innovation_detail", args=[innovation_b.pk]) not in html
    assert "Hapus" not in html


def test_unpublished_detail_is_404_even_for_its_owner(as_client, operator_a, innovation_a):
    url = reverse("public_innovation_detail", args=[innovation_a.pk])
    assert as_client(None).get(url).status_code == 404
    assert as_client(operator_a).get(url).status_code == 404
