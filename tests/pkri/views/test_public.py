"""The public PKRI pages: programme page, results with downloads, institution page."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from prima.core.enums import InstitutionKind as K
from prima.evaluation.enums import EditionState
from prima.pkri.enums import FormState, Group
from prima.pkri.models import SelfAssessment
from tests.conftest import client_for
from tests.pkri.public_data import award, bulk_awards, bulk_scope, pkri_edition


def _edition_with_payakumbuh(institution_a, unit_a, **rules):
    edition = pkri_edition(EditionState.AWARDED, **rules)
    scope = bulk_scope(
        edition,
        institutions=[institution_a],
        loci={K.CITY: 2, K.MINISTRY: 1},
        objects={Group.KEBERLANJUTAN: 4},
        coaching=3,
        form_state=FormState.NOT_SHORTLISTED,
        coaching_state=FormState.NOT_AWARDED,
    )
    mine = [o for o in scope.objects if o.locus.institution == institution_a]
    sitarang = mine[0]
    sitarang.innovation.name = "SITARANG"
    sitarang.innovation.save()
    sitarang.unit = unit_a
    sitarang.save()
    SelfAssessment.objects.filter(pk=sitarang.form.pk).update(
        snapshot={
            "data": {
                "still_running": True,
                "running_since": "2017-05-02",
                "beneficiaries": [{"year": 2023, "count": 2400, "measure": "people"}],
            }
        }
    )
    for form, score in zip(scope.coaching, ["85.00", "80.00", "90.00"], strict=True):
        SelfAssessment.objects.filter(pk=form.pk).update(final_score=Decimal(score), rank=1)
    award(edition, Group.PEMBINAAN, institution=institution_a)
    return edition, scope


@pytest.mark.django_db
def test_programme_page_shows_t3_t4_counts_rates_and_links(institution_a, unit_a):
    edition, scope = _edition_with_payakumbuh(institution_a, unit_a)
    SelfAssessment.objects.filter(pk=scope.objects[1].form.pk).update(state=FormState.FORM_MISSING)

    page = client_for(None).get(reverse("pkri_public_edition", args=[2024])).content.decode()

    assert (
        "PKRI 2024 memantau 4 inovasi pada 4 instansi: 1 kementerian, 0 lembaga, "
        "3 pemerintah daerah, dan 0 BUMN" in page
    )
    assert (
        "Sebanyak 1 penghargaan PKRI 2024 diserahkan pada Gebyar Pelayanan Prima 2024, "
        "8 Oktober 2024" in page
    )
    assert "75,00%" in page  # 3 of 4 sustainability forms submitted, decimal comma
    assert "/pkri/2024/hasil/?kelompok=keberlanjutan" in page
    assert f"/penghargaan/{edition.code}/daftar/" in page
    assert "<caption>" in page


@pytest.mark.django_db
def test_results_page_is_membership_only_and_downloads_exactly_what_it_shows(institution_a, unit_a):
    _edition_with_payakumbuh(institution_a, unit_a)
    url = reverse("pkri_public_results", args=[2024])
    client = client_for(None)

    page = client.get(url, {"kelompok": "pembinaan", "jenis": "city"}).content.decode()
    exported = client.get(url, {"kelompok": "pembinaan", "jenis": "city", "unduh": "csv"})
    workbook = client.get(url, {"kelompok": "pembinaan", "jenis": "city", "unduh": "xlsx"})

    assert "Kota Payakumbuh" in page
    assert "85,00" not in page and "85.00" not in page
    assert "hanya memuat keanggotaan" in page
    assert "?kelompok=pembinaan&amp;jenis=city&amp;unduh=csv" in page
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == ["Instansi", "Jenis instansi", "Kode wilayah", "Penghargaan"]
    assert len(rows) == 4  # the three cities taking part: Payakumbuh and two more
    names = [row[0] for row in rows[1:]]
    assert names == sorted(names, key=str.casefold)
    assert [
        "Kota Payakumbuh",
        "Pemerintah Kota",
        "13.76",
        "Penyelenggara Inovasi Pelayanan Publik Terbaik Tahun 2024",
    ] in rows
    sheet = list(load_workbook(io.BytesIO(workbook.content)).active.iter_rows(values_only=True))
    assert [list(r) for r in sheet] == [[c if c != "" else None for c in r] for r in rows]


@pytest.mark.django_db
def test_results_page_shows_scores_and_ranks_when_the_rules_publish_them(institution_a, unit_a):
    _edition_with_payakumbuh(institution_a, unit_a, publish_scores=True, publish_ranks=True)
    url = reverse("pkri_public_results", args=[2024])

    exported = client_for(None).get(url, {"kelompok": "pembinaan", "unduh": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))

    assert rows[0][0] == "Peringkat dalam jenis"
    assert "Nilai" in rows[0]
    payakumbuh = next(r for r in rows if r[1] == "Kota Payakumbuh")
    assert payakumbuh[rows[0].index("Nilai")] == "85,00"


@pytest.mark.django_db
def test_institution_page_states_t1_t2_t5_and_links_to_all_its_awards(institution_a, unit_a):
    _edition_with_payakumbuh(institution_a, unit_a)

    page = (
        client_for(None)
        .get(reverse("pkri_public_institution", args=[2024, institution_a.pk]))
        .content.decode()
    )

    assert "Kota Payakumbuh masuk 1 instansi terbaik dari 3 instansi yang berpartisipasi" in page
    assert (
        "Kota Payakumbuh menjadi salah satu dari 1 pemerintah kota terbaik pada PKRI 2024" in page
    )
    assert (
        "SITARANG (Dinas PUPR Kota Payakumbuh, Kota Payakumbuh) masih berjalan sejak 2017 "
        "dan melayani 2.400 orang pada 2023"
    ) in page
    assert "Tidak masuk daftar wawancara" in page
    assert f"/penghargaan/instansi/{institution_a.pk}/" in page
    assert "85,00" not in page


@pytest.mark.django_db
def test_an_institution_outside_the_scope_has_no_page(institution_a, institution_b, unit_a):
    _edition_with_payakumbuh(institution_a, unit_a)

    response = client_for(None).get(
        reverse("pkri_public_institution", args=[2024, institution_b.pk])
    )

    assert response.status_code == 404


@pytest.mark.django_db
def test_demo_results_say_that_scores_are_illustrative(institution_a, unit_a, settings):
    edition, _scope = _edition_with_payakumbuh(institution_a, unit_a)
    client = client_for(None)
    url = reverse("pkri_public_results", args=[2024])

    plain = client.get(url).content.decode()
    award(
        edition, Group.PEMBINAAN, institution=institution_b_like(edition), is_demo_placeholder=True
    )
    marked = client.get(url).content.decode()
    settings.PRIMA_DEMO = True
    site = client.get(reverse("pkri_public_edition", args=[2024])).content.decode()

    assert "bersifat ilustratif" not in plain
    assert "bersifat ilustratif" in marked
    assert "Data demo." in site


def institution_b_like(edition):
    """Another institution of the edition's scope without an award yet."""
    from prima.awards.models import Award
    from prima.pkri.models import Locus

    awarded = Award.objects.filter(edition=edition).values("institution_id")
    return Locus.objects.filter(edition=edition).exclude(institution_id__in=awarded)[0].institution


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_public_pages_cost_the_same_queries_at_any_size(size, django_assert_num_queries):
    edition = pkri_edition(EditionState.RESULTS)
    scope = bulk_scope(
        edition,
        loci={K.CITY: size, K.REGENCY: size},
        coaching=2 * size,
        objects={Group.KEBERLANJUTAN: 3 * size},
    )
    bulk_awards(edition, Group.PEMBINAAN, scope.loci[:size])
    bulk_awards(edition, Group.KEBERLANJUTAN, scope.objects[:size])
    locus = scope.loci[0]
    client = client_for(None)

    with django_assert_num_queries(9):
        client.get(reverse("pkri_public_edition", args=[2024]))
    # Edition, demo marks (2), count, awarded, the page's keys, its forms and awards.
    with django_assert_num_queries(8):
        client.get(reverse("pkri_public_results", args=[2024]), {"kelompok": "keberlanjutan"})
    with django_assert_num_queries(10):
        client.get(reverse("pkri_public_institution", args=[2024, locus.institution_id]))


@pytest.mark.django_db
@pytest.mark.parametrize("published", [False, True])
def test_institution_page_carries_scores_and_ranks_only_when_the_rules_publish_them(
    published, institution_a, unit_a
):
    _edition, scope = _edition_with_payakumbuh(
        institution_a, unit_a, publish_scores=published, publish_ranks=published
    )
    sitarang = next(o for o in scope.objects if o.innovation.name == "SITARANG")
    SelfAssessment.objects.filter(pk=sitarang.form.pk).update(final_score=Decimal("77.25"))

    response = client_for(None).get(
        reverse("pkri_public_institution", args=[2024, institution_a.pk])
    )
    page = response.content.decode()
    results = response.context["results"]

    assert ("77,25" in page) is published
    assert ("85,00" in page) is published
    assert ("peringkat 1 dalam jenisnya" in page) is published
    if published:
        assert results.coaching_score == Decimal("85.00")
        assert results.coaching_rank == 1
    else:
        assert results.coaching_score is None
        assert results.coaching_rank is None
        assert all(row.score is None for row in results.objects)


def _rows_of(page: str) -> list[str]:
    """The innovation names of the results table's rows, in order."""
    return re.findall(r'<th scope="row" class="fw-normal">([^<]*)</th>', page)


@pytest.mark.django_db
def test_page_two_shows_the_next_rows_in_the_order_of_the_download(monkeypatch):
    monkeypatch.setattr("prima.pkri.views.public.RESULTS_PAGE", 4)
    edition = pkri_edition(EditionState.RESULTS)
    scope = bulk_scope(edition, loci={K.CITY: 3}, objects={Group.KEBERLANJUTAN: 10})
    # An awardee whose form was not sent is listed among the others, from its award.
    missing = scope.objects[5]
    SelfAssessment.objects.filter(pk=missing.form.pk).update(state=FormState.FORM_MISSING)
    bulk_awards(edition, Group.KEBERLANJUTAN, scope.objects[5:8])
    url = reverse("pkri_public_results", args=[2024])
    client = client_for(None)

    first = client.get(url, {"kelompok": "keberlanjutan"}).content.decode()
    second = client.get(url, {"kelompok": "keberlanjutan", "page": 2}).content.decode()
    exported = client.get(url, {"kelompok": "keberlanjutan", "unduh": "csv"})

    everything = [r[0] for r in csv.reader(io.StringIO(exported.content.decode("utf-8-sig")))][1:]
    assert everything == sorted((o.innovation.name for o in scope.objects), key=str.casefold)
    assert _rows_of(first) == everything[:4]
    assert _rows_of(second) == everything[4:8]
    assert missing.innovation.name in _rows_of(second)
    assert second.count('class="badge text-bg-success') == 3  # rows 6, 7 and 8
    assert "10 peserta, 3 menerima penghargaan" in second


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_a_later_results_page_costs_the_same_queries_at_any_size(
    size, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("prima.pkri.views.public.RESULTS_PAGE", 5)
    edition = pkri_edition(EditionState.RESULTS)
    scope = bulk_scope(edition, loci={K.CITY: size}, objects={Group.KEBERLANJUTAN: 4 * size})
    bulk_awards(edition, Group.KEBERLANJUTAN, scope.objects[:size])
    client = client_for(None)

    with django_assert_num_queries(8):
        page = client.get(
            reverse("pkri_public_results", args=[2024]), {"kelompok": "keberlanjutan", "page": 2}
        ).content.decode()
    assert len(_rows_of(page)) == 5
