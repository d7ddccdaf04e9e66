"""JIPPNas files: what an export holds, and that it reads back (JSON, CSV, XLSX, ZIP)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from prima.core.domain.errors import PermissionDenied
from prima.core.interfaces.tabular import TableError
from prima.core.models import AuditEntry
from prima.innovations.interfaces.jipp_exchange import (
    csv_chunks,
    export_response,
    import_network_file,
    json_chunks,
    write_export,
)
from prima.innovations.models import Innovation, ReplicationLink
from tests.factories import AwardRecordFactory, InnovationFactory, ReplicationLinkFactory

pytestmark = pytest.mark.django_db

EDGE_KEY = ("source_id", "replica_id", "replicated_on", "scope", "status", "differences")


@pytest.fixture
def network(unit_a, unit_b):
    """Published A → B (confirmed), A → C (claimed, formula-like text), B → D (rejected),
    A → E where E is not published."""
    a = InnovationFactory(unit=unit_a, name="SITARANG", is_published=True)
    b = InnovationFactory(unit=unit_b, name="Klampid", is_published=True)
    c = InnovationFactory(unit=unit_b, name="Sipaduko", is_published=True)
    d = InnovationFactory(unit=unit_b, name="Sapa Warga", is_published=True)
    e = InnovationFactory(unit=unit_b, name="Belum Terbit", is_published=False)
    AwardRecordFactory(innovation=a, year=2019, tier="top99")
    AwardRecordFactory(innovation=a, year=2020, tier="top45")
    AwardRecordFactory(innovation=a, year=2021, tier="top15", revoked=True)
    links = [
        ReplicationLinkFactory(
            source=a,
            replica=b,
            status="confirmed",
            scope="full",
            replicated_on=dt.date(2020, 2, 1),
            differences="Ditambah layanan malam, antar-jemput «dokumen».",
            evidence_note="https://jippnas.example/a-b",
        ),
        ReplicationLinkFactory(
            source=a,
            replica=c,
            replicated_on=dt.date(2021, 3, 4),
            differences="=SUM(A1) bukan rumus; - daftar",
        ),
        ReplicationLinkFactory(source=b, replica=d, status="rejected"),
        ReplicationLinkFactory(source=a, replica=e, status="verified"),
    ]
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "links": links}


def exported(public: bool) -> dict:
    return json.loads("".join(json_chunks(public=public)))


def upload(name: str, content: bytes | str) -> SimpleUploadedFile:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data)


def edges_now() -> set[tuple]:
    return {
        (
            link.source_id,
            link.replica_id,
            link.replicated_on.isoformat(),
            link.scope,
            link.status,
            link.differences,
            link.evidence_note,
        )
        for link in ReplicationLink.objects.all()
    }


# ------------------------------------------------------------------------ export


def test_the_public_export_holds_published_nodes_and_their_standing_links(network):
    document = exported(public=True)
    assert document["public"] is True
    assert dt.datetime.fromisoformat(document["exported_at"]).utcoffset() == dt.timedelta(hours=7)
    assert {n["name"] for n in document["nodes"]} == {
        "SITARANG",
        "Klampid",
        "Sipaduko",
        "Sapa Warga",
    }
    pairs = {(e["source_id"], e["replica_id"]) for e in document["edges"]}
    a, b, c = network["a"], network["b"], network["c"]
    assert pairs == {(a.pk, b.pk), (a.pk, c.pk)}


def test_the_full_export_holds_everything(network):
    document = exported(public=False)
    assert document["public"] is False
    assert len(document["nodes"]) == 5 and len(document["edges"]) == 4
    hidden = next(n for n in document["nodes"] if n["name"] == "Belum Terbit")
    assert hidden["is_published"] is False
    assert {e["status"] for e in document["edges"]} == {
        "confirmed",
        "claimed",
        "rejected",
        "verified",
    }


def test_a_node_and_an_edge_have_the_documented_columns(network, unit_a):
    a, b = network["a"], network["b"]
    node = next(n for n in exported(public=True)["nodes"] if n["id"] == a.pk)
    assert list(node) == [
        "id",
        "name",
        "acronym",
        "institution_id",
        "institution_name",
        "institution_kind",
        "province_code",
        "unit_name",
        "started_on",
        "status",
        "status_confirmed_on",
        "open_to_replication",
        "replication_contact",
        "tiers",
        "updated_at",
        "is_published",
    ]
    assert node["tiers"] == "kipp:2019:top99;kipp:2020:top45"  # the revoked top15 is left out
    assert node["institution_name"] == "Pemerintah Kota Payakumbuh"
    assert node["institution_kind"] == "city"
    assert node["province_code"] == "13"
    assert node["unit_name"] == unit_a.name
    assert node["started_on"] == "2021-03-01"
    assert node["status_confirmed_on"] is None
    edge = next(e for e in exported(public=True)["edges"] if e["replica_id"] == b.pk)
    assert edge == {
        "source_id": a.pk,
        "replica_id": b.pk,
        "replicated_on": "2020-02-01",
        "scope": "full",
        "status": "confirmed",
        "origin": "manual",
        "differences": "Ditambah layanan malam, antar-jemput «dokumen».",
        "evidence_note": "https://jippnas.example/a-b",
    }


def test_the_public_export_shows_a_contact_only_where_the_owner_invites_replication(network):
    a, b = network["a"], network["b"]
    Innovation.objects.filter(pk=a.pk).update(
        open_to_replication=True, replication_contact="Bappeda, jipp@kota.example"
    )
    # B's owner wrote a contact but does not (or no longer) invite replication.
    Innovation.objects.filter(pk=b.pk).update(replication_contact="Pak Budi, 0812 0000 0000")

    public = {n["id"]: n["replication_contact"] for n in exported(public=True)["nodes"]}
    full = {n["id"]: n["replication_contact"] for n in exported(public=False)["nodes"]}
    assert (public[a.pk], public[b.pk]) == ("Bappeda, jipp@kota.example", "")
    assert full[b.pk] == "Pak Budi, 0812 0000 0000"
    assert "0812" not in "".join(csv_chunks("nodes", public=True))


def test_csv_parts_start_with_a_bom_and_guard_formulas(network):
    text = "".join(csv_chunks("edges", public=True))
    assert text.startswith(
        "\ufeffsource_id,replica_id,replicated_on,scope,status,origin,differences,evidence_note\r\n"
    )
    assert "'=SUM(A1) bukan rumus; - daftar" in text
    nodes = "".join(csv_chunks("nodes", public=False))
    assert nodes.splitlines()[0].endswith("tiers,updated_at,is_published")
    assert ",false," in nodes  # booleans as true/false


def test_export_responses_stream(network):
    response = export_response("csv", public=True, part="edges")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="jipp-edges-publik-' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.count("\n") == 3  # header and two links


@pytest.mark.parametrize("size", [2, 12])
def test_the_export_reads_in_a_fixed_number_of_queries(django_assert_num_queries, unit_a, size):
    for _ in range(size):
        a = InnovationFactory(unit=unit_a, is_published=True)
        AwardRecordFactory(innovation=a)
        ReplicationLinkFactory(source=a, replica=InnovationFactory(unit=unit_a))
    # nodes, their awards, edges
    with django_assert_num_queries(3):
        document = exported(public=False)
    assert len(document["edges"]) == size


# ------------------------------------------------------------------- round trips


def test_json_round_trip_gives_the_same_edges(network, secretariat):
    standing = [link for link in network["links"] if link.status != "rejected"]
    before = {row for row in edges_now() if row[4] != "rejected"}
    document = "".join(json_chunks(public=False))
    ReplicationLink.objects.all().delete()
    # The full export also lists the rejected link, which an import cannot create.
    data = json.loads(document)
    data["edges"] = [e for e in data["edges"] if e["status"] != "rejected"]

    result = import_network_file(upload("jipp.json", json.dumps(data)), actor=secretariat)

    assert result.links_created == len(standing)
    assert result.nodes_unchanged == 5
    assert edges_now() == before
    assert set(ReplicationLink.objects.values_list("origin", flat=True)) == {"jipp_import"}


def test_csv_zip_round_trip_gives_the_same_edges(network, secretariat):
    buffer = io.BytesIO()
    write_export(buffer, "csv", public=True)
    before = {row for row in edges_now() if row[4] != "rejected" and network["e"].pk not in row[:2]}
    ReplicationLink.objects.all().delete()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]

    result = import_network_file(upload("jipp.zip", buffer.getvalue()), actor=secretariat)

    assert result.links_created == 2
    assert edges_now() == before  # the guarded formula text reads back unchanged


def test_reimporting_the_full_export_changes_nothing(network, secretariat):
    buffer = io.BytesIO()
    write_export(buffer, "json", public=False)
    result = import_network_file(upload("lengkap.json", buffer.getvalue()), actor=secretariat)
    assert (result.links_created, result.links_unchanged, result.nodes_unchanged) == (0, 4, 5)


def test_a_single_edges_csv_is_recognised_by_its_columns(network, secretariat):
    text = "".join(csv_chunks("edges", public=True))
    ReplicationLink.objects.all().delete()
    result = import_network_file(upload("edges.csv", text), actor=secretariat)
    assert result.links_created == 2


# ----------------------------------------------------------- Indonesian Excel files


def test_semicolons_bom_and_day_first_dates_are_read(network, secretariat):
    a, d = network["a"], network["d"]
    text = (
        "\ufeffsource_id;replica_id;replicated_on;scope;status;differences\r\n"
        f"{a.pk};{d.pk};05/02/2022;penuh;;Layanan keliling; tanpa aplikasi\r\n"
    )
    # The last cell holds a separator, so it is quoted the way Excel quotes it.
    text = text.replace("Layanan keliling; tanpa aplikasi", '"Layanan keliling; tanpa aplikasi"')
    result = import_network_file(upload("replikasi.csv", text.encode("utf-8")), actor=secretariat)
    assert result.links_created == 1
    link = ReplicationLink.objects.get(source=a, replica=d)
    assert (link.replicated_on, link.scope, link.status) == (dt.date(2022, 2, 5), "full", "claimed")
    assert link.differences == "Layanan keliling; tanpa aplikasi"


def test_windows_1252_is_read(network, secretariat):
    a, d = network["a"], network["d"]
    text = (
        "source_id;replica_id;replicated_on;differences\n"
        f"{a.pk};{d.pk};2022-02-05;Caf\xe9 layanan\n"
    )
    import_network_file(upload("replikasi.csv", text.encode("cp1252")), actor=secretariat)
    assert ReplicationLink.objects.get(source=a, replica=d).differences == "Café layanan"


def test_an_xlsx_edges_sheet_is_read(network, secretariat):
    a, d = network["a"], network["d"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["source_id", "replica_id", "replicated_on", "status"])
    sheet.append([a.pk, d.pk, dt.datetime(2022, 2, 5), "verified"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    import_network_file(upload("replikasi.xlsx", buffer.getvalue()), actor=secretariat)
    assert ReplicationLink.objects.get(source=a, replica=d).status == "verified"


# ------------------------------------------------------------------ bad files


def problems_of(content, secretariat, name="edges.csv") -> list[str]:
    links = ReplicationLink.objects.count()
    with pytest.raises(TableError) as caught:
        import_network_file(upload(name, content), actor=secretariat)
    assert ReplicationLink.objects.count() == links
    assert not AuditEntry.objects.filter(action="jipp.imported").exists()
    return [str(error) for error in caught.value.errors]


HEADER = "source_id,replica_id,replicated_on,status\n"


def test_every_problem_of_a_file_is_reported_and_nothing_written(network, secretariat):
    a, b, c, d, e = (network[k] for k in "abcde")
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    content = HEADER + "\n".join(
        [
            f"{c.pk},{e.pk},2022-01-01,",  # row 2: fine
            f"999999,{d.pk},2022-01-01,",  # row 3: unknown id
            f"{d.pk},{d.pk},2022-01-01,",  # row 4: self-link
            f"{c.pk},{d.pk},{future},",  # row 5: future
            f"{e.pk},{d.pk},2022-01-01,approved",  # row 6: bad status
            f"{c.pk},{e.pk},2022-01-02,",  # row 7: duplicate of row 2
            f"{d.pk},{c.pk},31-02-2022,",  # row 8: no such date
            f"x,{c.pk},2022-01-01,",  # row 9: not a number
            f"{b.pk},{a.pk},2022-01-01,",  # row 10: a → b is stored: cycle
        ]
    )
    problems = problems_of(content, secretariat)
    assert problems == [
        "Baris 3, kolom source_id: inovasi nomor 999999 tidak ada di Prima.",
        "Baris 4, kolom replica_id: inovasi tidak dapat mereplikasi dirinya sendiri "
        "(source_id = replica_id).",
        f"Baris 5, kolom replicated_on: tanggal replikasi {future} di masa depan.",
        "Baris 6, kolom status: nilai 'approved' tidak dikenal; pilih salah satu: claimed, "
        "confirmed, verified.",
        f"Baris 7, kolom replica_id: tautan {c.pk} → {e.pk} sudah ada di baris 2.",
        "Baris 8, kolom replicated_on: tanggal '31-02-2022' tidak dikenali; tulis TTTT-BB-HH "
        "(mis. 2023-01-10).",
        "Baris 9, kolom source_id: nilai 'x' bukan bilangan bulat.",
        f"Baris 10, kolom replica_id: silsilah akan berputar: «Klampid» ({b.pk}) sudah, "
        f"langsung atau melalui inovasi lain, mereplikasi «SITARANG» ({a.pk}).",
    ]


def test_a_cycle_inside_the_file_names_its_rows(network, secretariat):
    c, d, e = network["c"], network["d"], network["e"]
    content = (
        HEADER
        + f"{c.pk},{d.pk},2022-01-01,\n{d.pk},{e.pk},2022-01-01,\n{e.pk},{c.pk},2022-01-01,\n"
    )
    problems = problems_of(content, secretariat)
    assert len(problems) == 1
    assert problems[0].startswith("Baris 4, kolom replica_id: silsilah akan berputar")
    assert problems[0].endswith("Putaran ini melewati baris 2, 3 berkas ini.")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("nama,instansi\nA,B\n", "Berkas tidak dikenali: kolom wajib tidak ada: id."),
        ("source_id,replica_id\n1,2\n", "kolom wajib tidak ada: replicated_on."),
        ("", "Berkas kosong."),
        (
            '{"simpul": []}',
            'Berkas JSON harus berupa objek dengan daftar "nodes" dan/atau "edges".',
        ),
        ('{"edges": {"a": 1}}', '"edges" harus berupa daftar (array).'),
        ('{"edges": [1', "Berkas JSON tidak dapat dibaca"),
    ],
)
def test_unusable_files_are_refused(network, secretariat, content, expected):
    assert expected in problems_of(content, secretariat)[0]


def test_json_problems_name_the_part_and_position(network, secretariat):
    a, d = network["a"], network["d"]
    document = {
        "nodes": [{"id": a.pk, "open_to_replication": "mungkin"}],
        "edges": [
            {"source_id": a.pk, "replica_id": d.pk, "replicated_on": "2022-01-01"},
            "bukan objek",
            {"source_id": a.pk, "replica_id": [d.pk], "replicated_on": "2022-01-01"},
        ],
    }
    problems = problems_of(json.dumps(document), secretariat, name="jipp.json")
    assert problems == [
        "Baris 1, kolom nodes.open_to_replication: nilai 'mungkin' tidak dikenal; isi 'ya' "
        "atau 'tidak'.",
        "Baris 2: setiap baris harus berupa objek JSON.",
        "Baris 3, kolom edges.replica_id: nilai harus teks, angka, atau true/false.",
        "Baris 3, kolom edges.replica_id: wajib diisi.",
    ]


def test_a_nodes_file_changes_only_the_profile_columns(network, secretariat):
    a = network["a"]
    text = "".join(csv_chunks("nodes", public=False))
    lines = text.splitlines()
    header = lines[0].lstrip("\ufeff").split(",")
    row = next(line for line in lines[1:] if line.startswith(f"{a.pk},"))
    cells = row.split(",")
    cells[header.index("name")] = "Nama Baru Dari Berkas"
    cells[header.index("open_to_replication")] = "ya"
    cells[header.index("replication_contact")] = "Bappeda Payakumbuh"
    cells[header.index("status_confirmed_on")] = "01-06-2024"
    content = lines[0] + "\n" + ",".join(cells) + "\n"
    result = import_network_file(upload("nodes.csv", content), actor=secretariat)
    assert result.nodes_updated == 1
    a.refresh_from_db()
    assert a.name == "SITARANG"  # not a profile column: ignored
    assert a.open_to_replication and a.replication_contact == "Bappeda Payakumbuh"
    assert a.status_confirmed_on == dt.date(2024, 6, 1)


def test_only_the_secretariat_imports_a_file(network, admin_a):
    with pytest.raises(PermissionDenied):
        import_network_file(upload("edges.csv", HEADER), actor=admin_a)
    assert not Innovation.objects.filter(open_to_replication=True).exists()
