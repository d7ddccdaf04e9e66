"""The provincial coordinator's progress pages `/pkri/provinsi/` and `/pkri/{kode}/provinsi/`."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prima.pkri.enums import FormState
from tests.conftest import client_for
from tests.pkri.province_factories import object_form, province_world, regency

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(institution_a, institution_b):
    return province_world(institution_a, institution_b)


def _url(world, **params):
    url = reverse("pkri_province_progress", args=[world.edition.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_the_coordinator_reads_its_province_without_contents_or_scores(world):
    response = client_for(world.coordinator).get(_url(world))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Kemajuan provinsi: Jawa Timur" in page
    for name in ("Provinsi Jawa Timur", "Kabupaten Malang", "Kota Surabaya"):
        assert name in page
    assert "Kota Payakumbuh" not in page
    # A desk-evaluated form reads as submitted; no answer, no score leaks.
    assert "RAHASIA-ISIAN" not in page
    assert "91.00" not in page and "91,00" not in page
    assert "Selesai dinilai" not in page
    assert response.context["total"].loci == 3
    assert response.context["total"].objects == 5
    assert dict(response.context["total"].forms) == {
        "announced": 1,
        "draft": 1,
        "at_institution": 0,
        "returned": 1,
        "submitted": 1,
        "missing": 1,
    }
    assert response.context["total"].coaching["submitted"] == 1
    assert response.context["total"].coaching["draft"] == 1


def test_the_coordinator_may_not_pick_another_province(world):
    assert client_for(world.coordinator).get(_url(world, provinsi="13")).status_code == 403


def test_the_secretariat_picks_any_province(world, secretariat):
    client = client_for(secretariat)
    first = client.get(_url(world))
    assert first.status_code == 200
    assert "Pilih provinsi untuk melihat kemajuannya." in first.content.decode()

    page = client.get(_url(world, provinsi="13")).content.decode()
    assert "Kota Payakumbuh" in page
    assert "Kota Surabaya" not in page
    assert client.get(_url(world, provinsi="99")).status_code == 404


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_and_xlsx_exports_hold_the_rows_and_the_totals(world):
    client = client_for(world.coordinator)

    rows = _csv(client.get(_url(world, unduh="csv")))

    assert rows[0][:4] == ["Kode wilayah", "Instansi", "Jenis instansi", "Objek"]
    assert rows[0][-1] == "Formulir pembinaan"
    body = {row[1]: row for row in rows[1:-1]}
    assert set(body) == {
        "Pemerintah Provinsi Jawa Timur",
        "Pemerintah Kabupaten Malang",
        "Pemerintah Kota Surabaya",
    }
    assert body["Pemerintah Provinsi Jawa Timur"][3:] == [
        "2",
        "0",
        "0",
        "0",
        "1",
        "1",
        "0",
        "Dikirim",
    ]
    assert rows[-1][1] == "Jumlah (3 lokus)"
    assert rows[-1][3] == "5"

    response = client.get(_url(world, unduh="xlsx"))
    assert response["Content-Disposition"].endswith('-provinsi-35.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 5  # header, three loci, totals
    assert client.get(_url(world, unduh="pdf")).status_code == 404


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_any_number_of_loci(world, django_assert_num_queries):
    client = client_for(world.coordinator)
    url = _url(world)
    one = _count(client, url)
    for n in range(2, 6):
        institution = regency("35", n)
        object_form(world.edition, institution, FormState.DRAFT)
        object_form(world.edition, institution, FormState.SUBMITTED)
    with django_assert_num_queries(one):
        response = client.get(url)
    assert response.context["total"].loci == 7


def test_the_editions_page_links_each_province(world):
    response = client_for(world.coordinator).get(reverse("pkri_province_editions"))

    assert response.status_code == 200
    assert f"{_url(world)}?provinsi=35" in response.content.decode()


def test_the_menu_offers_the_page_to_coordinators_only(world, admin_a):
    link = reverse("pkri_province_editions")
    assert link in client_for(world.coordinator).get(reverse("dashboard")).content.decode()
    assert link not in client_for(admin_a).get(reverse("dashboard")).content.decode()
