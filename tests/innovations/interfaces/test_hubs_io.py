"""Importing a hub's members from CSV or XLSX: all rows or none, each problem named by row."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from prima.core.domain.errors import PermissionDenied
from prima.core.interfaces.tabular import TableError
from prima.core.models import AuditEntry
from prima.innovations.interfaces.hubs_io import import_members
from tests.innovations.hub_factories import hub, regency


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("anggota.xlsx", buffer.getvalue())


def _csv(text):
    return SimpleUploadedFile("anggota.csv", text.encode("utf-8"))


def test_an_xlsx_file_names_members_by_id_or_name(secretariat, sumbar, institution_a):
    agam = regency("13.06", "Kabupaten Agam")
    made = hub(sumbar)

    result = import_members(
        made,
        _xlsx([["Instansi"], [institution_a.pk], ["Pemerintah Kabupaten Agam"]]),
        actor=secretariat,
    )

    assert (result.added, result.removed, result.kept) == (2, 0, 0)
    assert set(made.members.all()) == {institution_a, agam}
    [entry] = AuditEntry.objects.filter(action="jipp.hub.members_changed")
    assert entry.after["added"] == sorted([institution_a.pk, agam.pk])


def test_replace_keeps_only_the_rows_of_the_file(secretariat, sumbar, institution_a):
    agam = regency("13.06", "Kabupaten Agam")
    made = hub(sumbar, members=[institution_a, agam])

    result = import_members(made, _csv(f"instansi\n{agam.pk}\n"), replace=True, actor=secretariat)

    assert (result.added, result.removed, result.kept) == (0, 1, 1)
    assert list(made.members.all()) == [agam]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nama\nKota Payakumbuh\n", "instansi"),
        ("instansi\n", "hanya berisi judul kolom"),
        ("instansi;catatan\n;kosong\n", "Baris 2, kolom instansi: wajib diisi"),
    ],
)
def test_a_file_without_member_rows_is_refused(secretariat, sumbar, institution_a, text, message):
    made = hub(sumbar, members=[institution_a])
    with pytest.raises(TableError, match=message):
        import_members(made, _csv(text), replace=True, actor=secretariat)
    assert list(made.members.all()) == [institution_a]


def test_every_bad_row_is_reported_and_nothing_changes(secretariat, sumbar, institution_b):
    made = hub(sumbar)
    regency("13.06", "Kabupaten Agam")

    with pytest.raises(TableError) as raised:
        import_members(
            made,
            _csv("instansi\nPemerintah Kabupaten Agam\n99999\n" + str(institution_b.pk)),
            actor=secretariat,
        )

    assert [(e.row, e.column) for e in raised.value.errors] == [(3, "instansi"), (4, "instansi")]
    assert "'99999' tidak ditemukan" in raised.value.errors[0].message
    assert "tidak berada di Provinsi Sumatera Barat" in raised.value.errors[1].message
    assert not made.members.exists()


def test_only_the_secretariat_imports(personas, sumbar, institution_a):
    made = hub(sumbar)
    with pytest.raises(PermissionDenied):
        import_members(made, _csv(f"instansi\n{institution_a.pk}\n"), actor=personas["admin_a"])
    assert not made.members.exists()
