"""`prima load_regions` prints what it loaded and is safe to repeat."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from prima.core.models import AuditEntry, Region

pytestmark = pytest.mark.django_db


def test_command_prints_the_counts_and_is_idempotent(secretariat):
    out = StringIO()
    call_command("load_regions", actor="sekretariat", stdout=out)
    assert "38 provinsi, 416 kabupaten, 98 kota" in out.getvalue()
    assert "Baru: 552" in out.getvalue()
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "Baru: 0; diperbarui: 0; tidak berubah: 552" in out.getvalue()
    assert Region.objects.count() == 552
    first, second = AuditEntry.objects.filter(action="region.loaded").order_by("id")
    assert first.actor == secretariat
    assert second.actor is None and second.actor_label == "sistem"


def test_command_reports_a_bad_file_as_an_error(tmp_path):
    bad = tmp_path / "r.csv"
    bad.write_text("kode,nama\n11,Aceh\n", encoding="utf-8")
    with pytest.raises(CommandError, match="kolom wajib tidak ada"):
        call_command("load_regions", file=str(bad))
    assert not Region.objects.exists()


def test_unknown_actor_is_refused():
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("load_regions", actor="siapa")
