"""Scope import (all or nothing, Indonesian row/column errors) and export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from prima.core.domain.errors import DomainError
from prima.core.enums import InstitutionKind
from prima.core.interfaces.tabular import TableError
from prima.pkri.domain import scope
from prima.pkri.enums import FormState, Group, ScopeOrigin
from prima.pkri.interfaces import scope_io
from prima.pkri.models import Locus, ScopeObject
from tests.factories import AwardRecordFactory, InnovationFactory, InstitutionFactory
from tests.pkri.factories import PkriEditionFactory

pytestmark = pytest.mark.django_db
HEADER = "jenis,aksi,instansi,inovasi_id,kelompok,pembinaan,alasan\n"


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("lingkup.csv", (HEADER + text).encode("utf-8"), "text/csv")


@pytest.fixture
def edition(unit_a, secretariat):
    edition = PkriEditionFactory(stages="scope_draft")
    top = InnovationFactory(unit=unit_a, name="SITARANG")
    AwardRecordFactory(innovation=top, year=2019)
    scope.derive_scope(edition, actor=secretariat)
    return edition


def test_import_adds_and_excludes(edition, secretariat, institution_b):
    agency = InstitutionFactory(kind=InstitutionKind.AGENCY, name="Lembaga Uji", region=None)
    extra = InnovationFactory(name="Sipaduko")
    top = ScopeObject.objects.get(edition=edition)
    upload = _csv(
        f"lokus,tambah,Lembaga Uji,,,ya,Ditambahkan untuk pembinaan\n"
        f"objek,tambah,,{extra.pk},keberlanjutan,,Terlewat saat penurunan\n"
        f"objek,keluarkan,,{top.innovation_id},,,Inovasi sudah digabung\n"
    )
    summary = scope_io.import_scope(edition, upload, actor=secretariat)
    assert (summary.loci_added, summary.objects_added, summary.objects_excluded) == (1, 1, 1)
    locus = Locus.objects.get(edition=edition, institution=agency)
    assert locus.in_pembinaan and locus.origin == ScopeOrigin.IMPORTED
    assert ScopeObject.objects.get(edition=edition, innovation=extra).group == Group.KEBERLANJUTAN
    top.refresh_from_db()
    assert top.excluded and top.excluded_reason == "Inovasi sudah digabung"


def test_any_bad_row_changes_nothing_and_errors_name_row_and_column(edition, secretariat):
    extra = InnovationFactory()
    before = sorted(ScopeObject.objects.values_list("pk", "excluded"))
    upload = _csv(
        f"objek,tambah,,{extra.pk},keberlanjutan,,Alasan yang cukup panjang\n"
        "lokus,tambah,Instansi Tidak Ada,,,,Alasan yang cukup panjang\n"
        "objek,tambah,,999999,kelompokx,,pendek\n"
        "benda,hapus,,,,,\n"
    )
    with pytest.raises(TableError) as failed:
        scope_io.import_scope(edition, upload, actor=secretariat)
    problems = {(e.row, e.column) for e in failed.value.errors}
    assert (3, "instansi") in problems
    assert (4, "inovasi_id") in problems and (4, "alasan") in problems
    assert (5, "jenis") in problems and (5, "aksi") in problems
    assert "Baris 3, kolom instansi" in str(failed.value.errors[0]) or any(
        "Baris 3, kolom instansi" in str(e) for e in failed.value.errors
    )
    assert sorted(ScopeObject.objects.values_list("pk", "excluded")) == before
    assert not ScopeObject.objects.filter(innovation=extra).exists()


def test_domain_refusal_undoes_earlier_rows(edition, secretariat):
    """Row 2 is fine, row 3 is refused by the domain (BUMD): row 2 is undone."""
    extra = InnovationFactory()
    bumd = InstitutionFactory(kind=InstitutionKind.REGIONAL_ENTERPRISE, name="PDAM Uji")
    upload = _csv(
        f"objek,tambah,,{extra.pk},keberlanjutan,,Alasan yang cukup panjang\n"
        "lokus,tambah,PDAM Uji,,,ya,Alasan yang cukup panjang\n"
    )
    with pytest.raises(TableError) as failed:
        scope_io.import_scope(edition, upload, actor=secretariat)
    assert [(e.row, e.column) for e in failed.value.errors] == [(3, "instansi")]
    assert "BUMD" in failed.value.errors[0].message
    assert not ScopeObject.objects.filter(innovation=extra).exists()
    assert not Locus.objects.filter(institution=bumd).exists()


def test_after_freeze_import_is_an_amendment(edition, secretariat):
    original = scope.freeze_scope(
        edition, number="B/241", date=dt.date(2024, 4, 17), actor=secretariat
    )
    extra = InnovationFactory()
    text = f"objek,tambah,,{extra.pk},replikasi,,Ditambahkan lewat perubahan\n"
    with pytest.raises(DomainError) as refused:
        scope_io.import_scope(edition, _csv(text), actor=secretariat)
    assert refused.value.field == "scope_frozen"
    summary = scope_io.import_scope(
        edition,
        _csv(text),
        actor=secretariat,
        amendment=scope_io.Amendment("B/260", dt.date(2024, 5, 1), original),
    )
    assert summary.announcement is not None and summary.announcement.amends == original
    obj = ScopeObject.objects.get(innovation=extra)
    assert obj.origin == ScopeOrigin.AMENDMENT
    assert obj.form.state == FormState.ANNOUNCED


def test_export_reimports_unchanged_columns(edition, secretariat):
    loci = Locus.objects.filter(edition=edition)
    objects = ScopeObject.objects.filter(edition=edition)
    response = scope_io.export_scope(edition, loci, objects, "xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:7] == (
        "jenis",
        "aksi",
        "instansi",
        "inovasi_id",
        "kelompok",
        "pembinaan",
        "alasan",
    )
    assert rows[1][:3] == ("lokus", "tambah", "Pemerintah Kota Payakumbuh")
    obj = objects.get()
    assert rows[2][:5] == ("objek", "tambah", None, obj.innovation_id, "keberlanjutan")
    assert "SITARANG" in rows[2]
