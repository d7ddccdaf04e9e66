"""Loading Indonesia's regions from the shipped reference file."""

from __future__ import annotations

import pytest

from prima.core.domain import registry
from prima.core.domain.errors import DomainError
from prima.core.enums import RegionLevel
from prima.core.models import AuditEntry, Region

pytestmark = pytest.mark.django_db


def test_loads_38_provinces_416_regencies_and_98_cities():
    result = registry.load_regions(actor=None)
    assert (result.provinces, result.regencies, result.cities) == (38, 416, 98)
    assert Region.objects.filter(level=RegionLevel.PROVINCE).count() == 38
    assert Region.objects.filter(level=RegionLevel.REGENCY).count() == 416
    assert Region.objects.filter(level=RegionLevel.CITY).count() == 98
    payakumbuh = Region.objects.get(code="13.76")
    assert payakumbuh.name == "Kota Payakumbuh"
    assert payakumbuh.level == RegionLevel.CITY
    assert payakumbuh.province_code == "13"
    assert payakumbuh.population and payakumbuh.population > 100_000


def test_running_it_again_changes_nothing_and_says_so(secretariat):
    registry.load_regions(actor=secretariat)
    before = list(Region.objects.order_by("code").values_list("pk", "code", "name", "population"))
    again = registry.load_regions(actor=secretariat)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 552)
    after = list(Region.objects.order_by("code").values_list("pk", "code", "name", "population"))
    assert before == after
    entries = AuditEntry.objects.filter(action="region.loaded").order_by("id")
    assert [e.after["created"] for e in entries] == [552, 0]
    assert entries.last().actor == secretariat


def test_an_outdated_row_is_corrected_in_place():
    registry.load_regions(actor=None)
    Region.objects.filter(code="13.76").update(name="Kota Payakumbuh (lama)", population=1)
    pk = Region.objects.get(code="13.76").pk
    result = registry.load_regions(actor=None)
    assert (result.created, result.updated) == (0, 1)
    region = Region.objects.get(code="13.76")
    assert region.pk == pk
    assert region.name == "Kota Payakumbuh"


def test_a_broken_file_is_refused_whole_and_names_its_lines(tmp_path):
    bad = tmp_path / "wilayah.csv"
    bad.write_text(
        "code,name,level,province_code,population\n"
        "13,Sumatera Barat,province,13,5836157\n"
        "13.76,Kota Payakumbuh,city,13,140000\n"
        "13.77,Kota Contoh,kota,13,\n"
        "35.78,Kota Surabaya,city,35,2880000\n"
        "13.76,Kota Payakumbuh,city,13,abc\n",
        encoding="utf-8",
    )
    with pytest.raises(DomainError) as caught:
        registry.load_regions(bad, actor=None)
    message = caught.value.message
    assert "wilayah.csv baris 4: tingkat 'kota' tidak dikenal" in message
    assert "provinsi 35 yang tidak ada di berkas" in message
    assert "baris 6: jumlah penduduk 'abc' bukan bilangan bulat" in message
    assert "kode 13.76 sudah ada di baris 3" in message
    assert not Region.objects.exists()
    assert not AuditEntry.objects.exists()


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(DomainError, match="tidak ditemukan"):
        registry.load_regions(tmp_path / "tidak-ada.csv", actor=None)
