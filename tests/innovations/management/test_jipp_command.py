"""`prima jipp export` and `prima jipp import`."""

from __future__ import annotations

import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from prima.core.models import AuditEntry
from prima.innovations.models import ReplicationLink
from tests.factories import InnovationFactory, ReplicationLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(unit_a):
    a = InnovationFactory(unit=unit_a, name="SITARANG", is_published=True)
    b = InnovationFactory(unit=unit_a, name="Sipaduko", is_published=True)
    c = InnovationFactory(unit=unit_a, name="Belum Terbit")
    ReplicationLinkFactory(source=a, replica=b, status="confirmed")
    ReplicationLinkFactory(source=a, replica=c)
    return a, b, c


def test_export_json_full_and_public(linked, tmp_path):
    full, public = tmp_path / "lengkap.json", tmp_path / "publik.json"
    call_command("jipp", "export", str(full))
    call_command("jipp", "export", "--public", str(public))
    assert len(json.loads(full.read_text())["edges"]) == 2
    document = json.loads(public.read_text())
    assert document["public"] is True
    assert [n["name"] for n in document["nodes"]] == ["SITARANG", "Sipaduko"]


def test_export_csv_is_a_zip_that_imports_back(linked, tmp_path, secretariat, capsys):
    archive = tmp_path / "jipp.zip"
    call_command("jipp", "export", "--format", "csv", str(archive))
    with zipfile.ZipFile(archive) as opened:
        edges = opened.read("edges.csv").decode("utf-8-sig")
    assert edges.count("\n") == 3
    ReplicationLink.objects.all().delete()

    call_command("jipp", "import", str(archive), "--actor", "sekretariat")

    assert ReplicationLink.objects.count() == 2
    assert "Impor selesai: 2 tautan baru" in capsys.readouterr().out


def test_a_bad_file_prints_every_problem_and_changes_nothing(linked, tmp_path, secretariat, capsys):
    a, b, _c = linked
    bad = tmp_path / "edges.csv"
    bad.write_text(
        f"source_id,replica_id,replicated_on\n{b.pk},{a.pk},2022-01-01\n{a.pk},{a.pk},x\n"
    )
    with pytest.raises(CommandError, match="Berkas tidak diterapkan: 2 masalah"):
        call_command("jipp", "import", str(bad), "--actor", "sekretariat")
    err = capsys.readouterr().err
    assert "Baris 2, kolom replica_id: silsilah akan berputar" in err
    assert "Baris 3, kolom replicated_on: tanggal 'x' tidak dikenali" in err
    assert ReplicationLink.objects.count() == 2
    assert not AuditEntry.objects.filter(action="jipp.imported").exists()


def test_the_import_needs_a_secretariat_actor(linked, tmp_path, admin_a):
    path = tmp_path / "edges.csv"
    path.write_text("source_id,replica_id,replicated_on\n")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("jipp", "import", str(path), "--actor", "siapa")
    with pytest.raises(CommandError, match="Hanya Sekretariat"):
        call_command("jipp", "import", str(path), "--actor", "admin_a")
