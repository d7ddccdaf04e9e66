"""The replication network as files for JIPPNas (pkri.md §9): export and import of its
nodes (innovations) and edges (replication links) as JSON or CSV.

Export (the format is documented in `docs/api/jipp.md`):

- JSON: one object ``{"exported_at", "public", "nodes": [...], "edges": [...]}``;
- CSV: one file per part (``nodes`` or ``edges``), UTF-8 with BOM, comma separated,
  header row = the column names below; the CLI writes both into one ZIP archive
  (``nodes.csv``, ``edges.csv``).

Rows are produced one by one from chunked queries, so memory stays bounded whatever
the size of the network (HTTP responses stream).

Import reads a JSON file (``nodes`` and/or ``edges``), a CSV or XLSX file of one part
(recognised by its columns: ``source_id`` + ``replica_id`` for edges, ``id`` for nodes;
comma or semicolon separated, UTF-8 with or without BOM, or Windows-1252, as read by
`prima.core.interfaces.tabular`), or a ZIP archive holding ``nodes.csv`` and/or
``edges.csv``. Cell problems (a date, a number, a code) are collected for every row;
the rows that read well are then checked by `prima.innovations.domain.exchange`, and
all problems are reported together; nothing is written unless there are none.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.http import StreamingHttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.core.interfaces.export import guard_formula
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.interfaces.registry_io import Column
from prima.core.interfaces.tabular import (
    CellError,
    CellValueError,
    ErrorList,
    Row,
    TableError,
    Upload,
    parse_bool,
    parse_int,
    parse_required,
    read_table,
)
from prima.core.models import Person
from prima.innovations.domain.exchange import (
    EDGES,
    NODES,
    PROFILE_FIELDS,
    EdgeRow,
    ImportRefused,
    ImportResult,
    NodeRow,
    Problem,
    check_import,
    import_network,
    require_secretariat,
)
from prima.innovations.enums import LinkScope, LinkStatus
from prima.innovations.models import Innovation, ReplicationLink
from prima.innovations.queries import province_code_of
from prima.innovations.queries_exchange import network_edges, network_nodes

NODE_COLUMNS = (
    Column("id", True, gettext_lazy("Nomor id inovasi di Prima (kunci impor).")),
    Column("name", False, gettext_lazy("Nama inovasi (hanya ekspor).")),
    Column("acronym", False, gettext_lazy("Akronim (hanya ekspor).")),
    Column("institution_id", False, gettext_lazy("Nomor id instansi pemilik (hanya ekspor).")),
    Column("institution_name", False, gettext_lazy("Nama instansi pemilik (hanya ekspor).")),
    Column("institution_kind", False, gettext_lazy("Kode jenis instansi (hanya ekspor).")),
    Column("province_code", False, gettext_lazy("Kode provinsi, mis. 13 (hanya ekspor).")),
    Column("unit_name", False, gettext_lazy("Nama unit pemilik (hanya ekspor).")),
    Column("started_on", False, gettext_lazy("Tanggal mulai diterapkan (hanya ekspor).")),
    Column(
        "status", False, gettext_lazy("Status inovasi: active, paused, stopped (hanya ekspor).")
    ),
    Column(
        "status_confirmed_on",
        False,
        gettext_lazy("Tanggal status terakhir dikonfirmasi, TTTT-BB-HH; kosong = tidak ada."),
    ),
    Column(
        "open_to_replication",
        False,
        gettext_lazy("Terbuka untuk direplikasi: true/false (juga ya/tidak)."),
    ),
    Column(
        "replication_contact",
        False,
        gettext_lazy("Kontak resmi replikasi (paling banyak 200 huruf)."),
    ),
    Column(
        "tiers",
        False,
        gettext_lazy("Tier penghargaan yang tidak dicabut, mis. kipp:2019:top99 (hanya ekspor)."),
    ),
    Column("updated_at", False, gettext_lazy("Waktu profil terakhir diperbarui (hanya ekspor).")),
    Column("is_published", False, gettext_lazy("Tampil di katalog publik (hanya ekspor).")),
)
EDGE_COLUMNS = (
    Column("source_id", True, gettext_lazy("Nomor id inovasi asal (yang direplikasi).")),
    Column("replica_id", True, gettext_lazy("Nomor id inovasi replikasi.")),
    Column(
        "replicated_on",
        True,
        gettext_lazy("Tanggal replikasi, TTTT-BB-HH (juga HH-BB-TTTT); tidak di masa depan."),
    ),
    Column("scope", False, gettext_lazy("Cakupan replikasi: full, partial, atau kosong.")),
    Column(
        "status",
        False,
        gettext_lazy("Status tautan: claimed, confirmed, atau verified; kosong = claimed."),
    ),
    Column("origin", False, gettext_lazy("Asal data (hanya ekspor; impor selalu jipp_import).")),
    Column("differences", False, gettext_lazy("Perbedaan replikasi dengan inovasi asal.")),
    Column(
        "evidence_note",
        False,
        gettext_lazy("Bukti: tautan atau keterangan (paling banyak 500 huruf)."),
    ),
)
PARTS = (NODES, EDGES)
ZIP_MEMBERS = {NODES: "nodes.csv", EDGES: "edges.csv"}
_ZIP_MAGIC = b"PK\x03\x04"
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_SCOPE_WORDS = {"penuh": LinkScope.FULL, "sebagian": LinkScope.PARTIAL}


def _names(columns: Sequence[Column]) -> list[str]:
    return [c.name for c in columns]


# ------------------------------------------------------------------------ export


def _tiers(innovation: Innovation) -> str:
    """The tiers not revoked, oldest first (prefetched by `network_nodes`)."""
    awards = sorted(innovation.public_tiers, key=lambda a: (a.year, a.programme, a.tier))  # type: ignore[attr-defined]
    return ";".join(f"{a.programme}:{a.year}:{a.tier}" for a in awards)


def node_record(innovation: Innovation, *, public: bool) -> dict[str, Any]:
    """One node with JSON values (dates as ISO text, times in WIB with their offset).

    Publicly the replication contact shows only when the owner invites replication, as in
    the catalogue."""
    contact = innovation.replication_contact
    if public and not innovation.open_to_replication:
        contact = ""
    return {
        "id": innovation.pk,
        "name": innovation.name,
        "acronym": innovation.acronym,
        "institution_id": innovation.institution_id,
        "institution_name": innovation.institution.name,
        "institution_kind": innovation.institution.kind,
        "province_code": province_code_of(innovation),
        "unit_name": innovation.unit.name,
        "started_on": innovation.started_on.isoformat(),
        "status": innovation.status,
        "status_confirmed_on": (
            innovation.status_confirmed_on.isoformat() if innovation.status_confirmed_on else None
        ),
        "open_to_replication": innovation.open_to_replication,
        "replication_contact": contact,
        "tiers": _tiers(innovation),
        "updated_at": timezone.localtime(innovation.updated_at).isoformat(),
        "is_published": innovation.is_published,
    }


def edge_record(link: ReplicationLink) -> dict[str, Any]:
    return {
        "source_id": link.source_id,
        "replica_id": link.replica_id,
        "replicated_on": link.replicated_on.isoformat(),
        "scope": link.scope,
        "status": link.status,
        "origin": link.origin,
        "differences": link.differences,
        "evidence_note": link.evidence_note,
    }


def part_records(part: str, *, public: bool) -> Iterator[dict[str, Any]]:
    """The records of one part, read in chunks."""
    if part == NODES:
        for innovation in network_nodes(public=public).iterator(chunk_size=1000):
            yield node_record(innovation, public=public)
    else:
        for link in network_edges(public=public).iterator(chunk_size=2000):
            yield edge_record(link)


def json_chunks(*, public: bool, exported_at: dt.datetime | None = None) -> Iterator[str]:
    """The JSON document in pieces (one per row), for streaming."""
    when = timezone.localtime(exported_at or timezone.now()).isoformat()
    yield "{" + f'"exported_at": {json.dumps(when)}, "public": {json.dumps(public)}'
    for part in PARTS:
        yield f', "{part}": ['
        for index, record in enumerate(part_records(part, public=public)):
            yield ("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False)
        yield "\n]"
    yield "}\n"


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return guard_formula(str(value))


class _Line:
    """A write-only buffer that hands back what the csv writer wrote."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(part: str, *, public: bool) -> Iterator[str]:
    """One part as CSV text, line by line: BOM + header, then one row per record."""
    columns = _names(NODE_COLUMNS if part == NODES else EDGE_COLUMNS)
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(columns)
    for record in part_records(part, public=public):
        yield writer.writerow([_csv_cell(record[name]) for name in columns])


def export_response(fmt: str, *, public: bool, part: str = "") -> StreamingHttpResponse:
    """A streamed download: JSON (both parts), or CSV of one part (`part`)."""
    stamp = timezone.localdate().isoformat()
    kind = "publik" if public else "lengkap"
    if fmt == "csv":
        part = part if part in PARTS else NODES
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in csv_chunks(part, public=public)),
            content_type="text/csv; charset=utf-8",
        )
        name = f"jipp-{part}-{kind}-{stamp}.csv"
    else:
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in json_chunks(public=public)),
            content_type="application/json; charset=utf-8",
        )
        name = f"jipp-{kind}-{stamp}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def write_export(target: IO[bytes], fmt: str, *, public: bool) -> None:
    """Write an export to a binary file: JSON, or a ZIP archive of nodes.csv and edges.csv
    (each written member by member, so memory stays bounded)."""
    if fmt == "csv":
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for part in PARTS:
                with archive.open(ZIP_MEMBERS[part], "w", force_zip64=True) as member:
                    for chunk in csv_chunks(part, public=public):
                        member.write(chunk.encode("utf-8"))
        return
    for chunk in json_chunks(public=public):
        target.write(chunk.encode("utf-8"))


# ------------------------------------------------------------------------ import


def parse_date(value: str) -> dt.date:
    """TTTT-BB-HH (ISO; an XLSX date cell reads as this), or HH-BB-TTTT / HH/BB/TTTT."""
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10] if "T" in text else text)
    except ValueError:
        pass
    match = _DAY_FIRST.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise CellValueError(
        _("tanggal '%(value)s' tidak dikenali; tulis TTTT-BB-HH (mis. 2023-01-10).")
        % {"value": value}
    )


def _required_date(value: str) -> dt.date:
    return parse_date(parse_required(value))


def _optional_date(value: str) -> dt.date | None:
    return parse_date(value) if value.strip() else None


def _required_id(value: str) -> int:
    number = parse_int(parse_required(value), minimum=1)
    assert number is not None
    return number


def _status(value: str) -> str:
    code = value.strip().lower() or LinkStatus.CLAIMED
    if code not in LinkStatus.values:
        raise CellValueError(
            _("nilai '%(value)s' tidak dikenal; pilih salah satu: %(choices)s.")
            % {"value": value, "choices": "claimed, confirmed, verified"}
        )
    return code


def _scope(value: str) -> str:
    code = value.strip().lower()
    code = _SCOPE_WORDS.get(code, code)
    if code and code not in LinkScope.values:
        raise CellValueError(
            _("nilai '%(value)s' tidak dikenal; isi full, partial, atau kosongkan.")
            % {"value": value}
        )
    return code


@dataclass
class ReadFile:
    """A file read into typed rows, with the cell problems found on the way."""

    name: str
    parts: set[str] = field(default_factory=set)
    nodes: list[NodeRow] = field(default_factory=list)
    edges: list[EdgeRow] = field(default_factory=list)
    errors: ErrorList = field(default_factory=ErrorList)

    def column(self, part: str, column: str) -> str:
        """Columns carry their part when the file holds both (JSON, ZIP)."""
        return f"{part}.{column}" if len(self.parts) > 1 else column

    def add(self, part: str, row: int, column: str, message: str) -> None:
        self.errors.add(row, self.column(part, column) if column else "", message)


def _cell(
    read: ReadFile, part: str, row: Row, column: str, parse: Callable[[str], Any]
) -> tuple[bool, Any]:
    try:
        return True, parse(row.get(column))
    except CellValueError as exc:
        read.add(part, row.number, column, exc.message)
        return False, None


def _edge(read: ReadFile, row: Row) -> None:
    checks = {
        "source_id": _required_id,
        "replica_id": _required_id,
        "replicated_on": _required_date,
        "scope": _scope,
        "status": _status,
    }
    values: dict[str, Any] = {}
    ok = True
    for column, parse in checks.items():
        good, values[column] = _cell(read, EDGES, row, column, parse)
        ok = ok and good
    if ok:
        read.edges.append(
            EdgeRow(
                row=row.number,
                differences=row.get("differences"),
                evidence_note=row.get("evidence_note"),
                **values,
            )
        )


def _node(read: ReadFile, row: Row) -> None:
    good, innovation_id = _cell(read, NODES, row, "id", _required_id)
    parsers: dict[str, Callable[[str], Any]] = {
        "open_to_replication": parse_bool,
        "replication_contact": str,
        "status_confirmed_on": _optional_date,
    }
    values: dict[str, Any] = {}
    for column in PROFILE_FIELDS:
        if row.has(column):
            ok, values[column] = _cell(read, NODES, row, column, parsers[column])
            good = good and ok
    if good:
        read.nodes.append(NodeRow(row=row.number, id=innovation_id, values=values))


def _file_error(message: str) -> TableError:
    return TableError([CellError(0, "", message)])


def _read_bytes(upload: Upload) -> bytes:
    limit = settings.IMPORT_MAX_BYTES
    if (upload.size or 0) > limit:
        raise _file_error(
            _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
            % {"size": filesizeformat(upload.size or 0), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _file_error(
            _("Berkas terlalu besar; batasnya %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    upload.seek(0)
    return data


def _json_text(value: Any) -> str:
    """A JSON value as the text a cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | str):
        return str(value).strip()
    raise CellValueError(_("nilai harus teks, angka, atau true/false."))


def _read_json(read: ReadFile, data: bytes) -> None:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _file_error(
            _("Berkas JSON tidak dapat dibaca (%(problem)s).") % {"problem": exc}
        ) from exc
    if not isinstance(document, dict) or not any(part in document for part in PARTS):
        raise _file_error(
            _('Berkas JSON harus berupa objek dengan daftar "nodes" dan/atau "edges".')
        )
    read.parts = {part for part in PARTS if part in document}
    for part in PARTS:
        if part not in document:
            continue
        items = document[part]
        if not isinstance(items, list):
            raise _file_error(_('"%(part)s" harus berupa daftar (array).') % {"part": part})
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                read.add(part, number, "", _("setiap baris harus berupa objek JSON."))
                continue
            values: dict[str, str] = {}
            for key, value in item.items():
                try:
                    values[str(key)] = _json_text(value)
                except CellValueError as exc:
                    read.add(part, number, str(key), exc.message)
            (_node if part == NODES else _edge)(read, Row(number, values))


def _read_table(read: ReadFile, upload: Upload, part: str | None = None) -> None:
    table = read_table(
        upload, required=(), optional=_names(NODE_COLUMNS) + _names(EDGE_COLUMNS), allow_extra=True
    )
    columns = set(table.columns)
    if part is None:
        part = EDGES if {"source_id", "replica_id"} & columns else NODES
    required = [c.name for c in (NODE_COLUMNS if part == NODES else EDGE_COLUMNS) if c.required]
    missing = [name for name in required if name not in columns]
    if missing:
        raise _file_error(
            _(
                "Berkas tidak dikenali: kolom wajib tidak ada: %(missing)s. Berkas tautan "
                "(edges) perlu kolom source_id, replica_id, replicated_on; berkas inovasi "
                "(nodes) perlu kolom id."
            )
            % {"missing": ", ".join(missing)}
        )
    read.parts.add(part)
    for row in table.rows:
        (_node if part == NODES else _edge)(read, row)


def _zip_members(data: bytes) -> dict[str, bytes] | None:
    """nodes.csv / edges.csv of a ZIP archive; None when the archive is not one of ours
    (an XLSX workbook is a ZIP archive too)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None
    limit = settings.IMPORT_MAX_BYTES
    found: dict[str, bytes] = {}
    with archive:
        for info in archive.infolist():
            base = info.filename.rsplit("/", 1)[-1].lower()
            part = next((p for p, name in ZIP_MEMBERS.items() if name == base), None)
            if part is None:
                continue
            if info.file_size > limit:
                raise _file_error(
                    _("%(name)s di dalam arsip terlalu besar; batasnya %(limit)s.")
                    % {"name": base, "limit": filesizeformat(limit)}
                )
            with archive.open(info) as member:
                content = member.read(limit + 1)
            if len(content) > limit:
                raise _file_error(
                    _("%(name)s di dalam arsip terlalu besar; batasnya %(limit)s.")
                    % {"name": base, "limit": filesizeformat(limit)}
                )
            found[part] = content
    return found or None


def read_network_file(upload: Upload) -> ReadFile:
    """Read a JSON, CSV, XLSX or ZIP upload into typed rows; file-level problems raise
    TableError, cell problems are collected in `errors`."""
    read = ReadFile(name=(getattr(upload, "name", "") or "").rsplit("/", 1)[-1])
    data = _read_bytes(upload)
    if not data.strip():
        raise _file_error(_("Berkas kosong."))
    head = data[:16].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith((b"{", b"[")):
        _read_json(read, data)
        return read
    members = _zip_members(data) if data.startswith(_ZIP_MAGIC) else None
    if members is not None:
        read.parts = set(members)
        for part in PARTS:
            if part in members:
                _read_table(read, ContentFile(members[part], name=ZIP_MEMBERS[part]), part)
        return read
    _read_table(read, upload)
    return read


def _merge(read: ReadFile, problems: Iterable[Problem]) -> None:
    for problem in problems:
        read.add(problem.part, problem.row, problem.column, problem.message)


def import_network_file(upload: Upload, *, actor: Person, update: bool = False) -> ImportResult:
    """Read, check and import a network file (secretariat only); all rows or none.

    Raises TableError naming every problem by row and column (with the part, nodes or
    edges, when the file holds both).
    """
    require_secretariat(actor)
    read = read_network_file(upload)
    if read.errors:
        _merge(read, check_import(read.edges, read.nodes, update=update))
        read.errors.raise_if_any()
    try:
        return import_network(
            read.edges, read.nodes, actor=actor, update=update, file_name=read.name
        )
    except ImportRefused as refused:
        _merge(read, refused.problems)
        read.errors.raise_if_any()
        raise


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas JSON, CSV, XLSX, atau ZIP"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".json,.csv,.xlsx,.zip,application/json,text/csv,application/zip,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    update = forms.BooleanField(
        label=gettext_lazy("Perbarui tautan yang sudah ada bila isinya berbeda"),
        required=False,
        help_text=gettext_lazy(
            "Tanpa pilihan ini, tautan yang sudah tercatat dengan isi berbeda dilaporkan "
            "sebagai kesalahan dan berkas tidak diterapkan."
        ),
    )
