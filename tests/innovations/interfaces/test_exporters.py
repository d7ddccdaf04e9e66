"""Exported rows carry what the list shows, one row per innovation."""

from __future__ import annotations

import pytest

from prima.innovations.interfaces.exporters import HEADER, innovation_rows
from prima.innovations.models import Category, Innovation
from prima.innovations.queries import with_list_relations

pytestmark = pytest.mark.django_db


def test_row_content(innovation_a):
    innovation_a.categories.add(Category.objects.get(code="kesehatan"))
    innovation_a.sdg_goals = [3, 16]
    innovation_a.status = "stopped"
    innovation_a.status_reason = "Digantikan aplikasi provinsi"
    innovation_a.save()

    rows = list(innovation_rows(with_list_relations(Innovation.objects.all())))

    assert len(rows) == 1
    row = dict(zip(HEADER, rows[0], strict=True))
    assert row["nama"] == "SITARANG"
    assert row["instansi"] == "Pemerintah Kota Payakumbuh"
    assert row["unit"] == "Dinas PUPR Kota Payakumbuh"
    assert row["kode_provinsi"] == "13"
    assert row["mulai_diterapkan"] == "2019-05-02"
    assert row["kategori"] == "Kesehatan; Tata Kelola Pemerintahan"
    assert row["tujuan_sdgs"] == "3, 16"
    assert row["status"] == "Berhenti"
    assert row["alasan_status"] == "Digantikan aplikasi provinsi"
    assert row["dipublikasikan"] is False
