"""The three PKRI forms as field definitions: labels (Indonesian, gettext), choices, and
how each answer is read from POST data into the stored JSON shape (pkri.md §6).

Input names are the answer paths: ``still_running``, ``sop.number``,
``budget.2.amount``. Repeated rows are ``<code>.<n>.<field>``; the page adds rows from a
``<template>`` (``prima/pkri/static/pkri/rows.js``) with a fresh ``<n>``, and rows left
empty are dropped. :func:`parse` returns the answers and the values that could not be
read (path → message); :func:`layout` gives the page what to render, with the problems
of :func:`prima.pkri.domain.form_rules.form_problems` attached field by field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as lazy

from prima.pkri.domain import coaching_rules as cr
from prima.pkri.domain import form_rules as fr
from prima.pkri.enums import FormKind

Choices = tuple[tuple[Any, Any], ...]  # (code or id, label)


@dataclass(frozen=True)
class Field:
    """One answer. Kinds: bool (ya/tidak/kosong), check (centang), date, int, year, text,
    longtext, url, email, choice, multichoice, file (one evidence id), files (several),
    ref (the id of an innovation or institution), ids (several innovation ids). A ref or
    ids answer names its ``lookup``: which innovations or institutions may be chosen
    (:mod:`prima.pkri.interfaces.form_lookups`)."""

    code: str
    label: Any
    kind: str = "text"
    choices: Choices = ()
    help: Any = ""
    readonly: bool = False
    lookup: str = ""


@dataclass(frozen=True)
class Group:
    """An answer made of named parts (e.g. ``sop``); ``nullable`` answers (the latest
    evaluation) are stored as null when every part is empty."""

    code: str
    label: Any
    fields: tuple[Field, ...]
    help: Any = ""
    nullable: bool = False


@dataclass(frozen=True)
class Rows:
    """A list answer; ``fixed`` lists (one row per year, filled by the system) cannot
    gain or lose rows on the page."""

    code: str
    label: Any
    fields: tuple[Field, ...]
    help: Any = ""
    fixed: bool = False


Item = Field | Group | Rows


@dataclass(frozen=True)
class Section:
    code: str
    label: Any
    items: tuple[Item, ...]


def _choices(codes: Sequence[str], labels: Mapping[str, Any]) -> Choices:
    return tuple((code, labels.get(code, code)) for code in codes)


def _choice(
    code: str,
    label: Any,
    codes: Sequence[str],
    labels: Mapping[str, Any],
    *,
    multiple: bool = False,
) -> Field:
    """A choice (or, ``multiple``, a multichoice) answer among ``codes``."""
    return Field(code, label, "multichoice" if multiple else "choice", _choices(codes, labels))


STOP_REASON_LABELS = {
    "budget": lazy("Anggaran tidak tersedia"),
    "leadership_change": lazy("Pergantian pimpinan"),
    "regulation_change": lazy("Perubahan regulasi"),
    "merged_into_other_system": lazy("Digabung ke sistem lain"),
    "replaced_by_national_system": lazy("Digantikan sistem nasional"),
    "need_ended": lazy("Kebutuhan sudah tidak ada"),
    "other": lazy("Lainnya"),
}
IMPROVEMENT_LABELS = {
    "feature": lazy("Fitur"),
    "coverage": lazy("Cakupan"),
    "process": lazy("Proses bisnis"),
    "technology": lazy("Teknologi"),
    "regulation": lazy("Regulasi"),
}
MEASURE_LABELS = {
    "people": lazy("Orang"),
    "households": lazy("Rumah tangga"),
    "businesses": lazy("Pelaku usaha"),
    "documents": lazy("Dokumen"),
    "transactions": lazy("Transaksi"),
    "other": lazy("Lainnya"),
}
BUDGET_LABELS = {
    "APBN": "APBN",
    "APBD": "APBD",
    "BUMN": "BUMN",
    "CSR": "CSR",
    "other": lazy("Lainnya"),
    "none": lazy("Tidak ada anggaran"),
}
LEGAL_LABELS = {
    "perda": lazy("Peraturan Daerah"),
    "perkada": lazy("Peraturan Kepala Daerah"),
    "permen": lazy("Peraturan Menteri"),
    "peraturan_lembaga": lazy("Peraturan Lembaga"),
    "sk_kepala": lazy("SK Kepala Instansi"),
    "surat_edaran": lazy("Surat Edaran"),
    "other": lazy("Lainnya"),
}
EVALUATION_KIND_LABELS = {"internal": lazy("Internal"), "external": lazy("Eksternal")}
EVALUATOR_LABELS = {
    "unit": lazy("Unit sendiri"),
    "parent_office": lazy("Instansi induk"),
    "inspektorat": lazy("Inspektorat"),
    "bpk": "BPK",
    "university": lazy("Perguruan tinggi"),
    "other": lazy("Lainnya"),
}
FOLLOW_UP_LABELS = {"yes": lazy("Ya"), "partly": lazy("Sebagian"), "no": lazy("Tidak")}
SCOPE_LABELS = {"full": lazy("Penuh"), "partial": lazy("Sebagian")}
RELATIONSHIP_LABELS = {
    "agreement": lazy("Perjanjian kerja sama/MoU"),
    "study_visit": lazy("Studi tiru"),
    "mentoring": lazy("Pendampingan oleh unit asal"),
    "none": lazy("Tidak ada"),
}
PROGRAMME_LABELS = {
    "internal_competition": lazy("Kompetisi inovasi internal"),
    "idea_clinic": lazy("Klinik ide"),
    "training": lazy("Pelatihan"),
    "innovation_lab": lazy("Laboratorium inovasi"),
    "other": lazy("Lainnya"),
}
ACTIVITY_LABELS = {
    "mentoring": lazy("Pendampingan"),
    "proposal_clinic": lazy("Klinik proposal"),
    "capacity_building": lazy("Peningkatan kapasitas"),
    "benchmarking": lazy("Studi banding"),
    "other": lazy("Lainnya"),
}
DIRECTION_LABELS = {"out": lazy("Keluar (inovasi kami direplikasi)"), "in": lazy("Masuk")}
INSTITUTIONALISATION_LABELS = {
    "legal_umbrella": lazy("Payung hukum"),
    "sop_adoption": lazy("Penetapan SOP"),
    "plan_integration": lazy("Integrasi ke dokumen perencanaan"),
    "budgeting": lazy("Penganggaran"),
    "other": lazy("Lainnya"),
}

FILE = Field("file", lazy("Berkas (PDF)"), "file")
EVIDENCE = Field("evidence", lazy("Bukti (PDF)"), "file")


def _document(code: str, label: Any) -> Group:
    return Group(
        code,
        label,
        (
            Field("exists", lazy("Ada"), "bool"),
            Field("number", lazy("Nomor")),
            Field("date", lazy("Tanggal"), "date"),
            FILE,
        ),
        help=lazy("Berkas wajib diunggah bila dokumen ada."),
    )


def _year_row(*fields: Field) -> tuple[Field, ...]:
    return (Field("year", lazy("Tahun"), "year"), *fields)


def _legal_rows(code: str, label: Any, types: Sequence[str]) -> Rows:
    """Regulations or decrees: {type, number, date, title, file} (legal basis, coaching
    policy)."""
    return Rows(
        code,
        label,
        (
            _choice("type", lazy("Jenis"), types, LEGAL_LABELS),
            Field("number", lazy("Nomor")),
            Field("date", lazy("Tanggal"), "date"),
            Field("title", lazy("Judul")),
            FILE,
        ),
    )


def _replication_rows(code: str, label: Any) -> Rows:
    return Rows(
        code,
        label,
        (
            Field("institution", lazy("Instansi yang mereplikasi"), "ref", lookup="institution"),
            Field("unit", lazy("Unit")),
            Field(
                "innovation",
                lazy("Inovasi replika (opsional)"),
                "ref",
                help=lazy(
                    "Inovasi milik instansi yang mereplikasi; jika dipilih, tautan replikasi "
                    "berstatus «diklaim» dicatat."
                ),
                lookup="innovation",
            ),
            Field("start_date", lazy("Mulai"), "date"),
            _choice("scope", lazy("Cakupan"), fr.SCOPES, SCOPE_LABELS),
            Field("differences", lazy("Perbedaan (≤ 100 kata)"), "longtext"),
            EVIDENCE,
        ),
    )


def _object_sections(kind: str) -> tuple[Section, ...]:
    replication = kind == FormKind.REPLICATION
    rows_code = "onward_replications" if replication else "replications"
    sections: list[Section] = []
    if replication:
        sections.append(
            Section(
                "asal",
                lazy("Inovasi asal dan adaptasi"),
                (
                    Field(
                        "original_innovation",
                        lazy("Inovasi asal (Top KIPP)"),
                        "ref",
                        lookup="top",
                    ),
                    Field("replication_started", lazy("Mulai replikasi"), "date"),
                    _choice("scope", lazy("Cakupan replikasi"), fr.SCOPES, SCOPE_LABELS),
                    Field("adaptation_steps", lazy("Langkah adaptasi (≤ 200 kata)"), "longtext"),
                    Field(
                        "differentiators",
                        lazy("Pembeda: wilayah, sasaran, tingkat pemerintahan (≤ 100 kata)"),
                        "longtext",
                    ),
                    _choice(
                        "relationship",
                        lazy("Hubungan dengan unit asal"),
                        fr.RELATIONSHIPS,
                        RELATIONSHIP_LABELS,
                        multiple=True,
                    ),
                ),
            )
        )
    sections += [
        Section(
            "status",
            lazy("Status inovasi"),
            (
                Field("still_running", lazy("Inovasi masih berjalan"), "bool"),
                Field(
                    "running_since",
                    lazy("Berjalan sejak"),
                    "date",
                    help=lazy(
                        "Diisi dari registri; bila diubah, unggah bukti untuk isian ini "
                        "(running_since)."
                    ),
                ),
                Field("stopped_on", lazy("Berhenti pada"), "date"),
                _choice(
                    "stop_reason", lazy("Alasan berhenti"), fr.STOP_REASONS, STOP_REASON_LABELS
                ),
                Field(
                    "stop_reason_text", lazy("Penjelasan alasan berhenti (≤ 150 kata)"), "longtext"
                ),
                Field(
                    "successor_innovation",
                    lazy("Inovasi pengganti"),
                    "ref",
                    help=lazy("Untuk inovasi yang digabung atau digantikan sistem lain."),
                    lookup="innovation",
                ),
                Rows(
                    "interruptions",
                    lazy("Masa terhenti sejak penghargaan"),
                    (
                        Field("from", lazy("Dari"), "date"),
                        Field("to", lazy("Sampai"), "date"),
                        Field("reason", lazy("Sebab")),
                    ),
                ),
            ),
        ),
        Section(
            "pengembangan",
            lazy("Pengembangan dan cakupan"),
            (
                Rows(
                    "improvements",
                    lazy("Penyempurnaan sejak penghargaan"),
                    _year_row(
                        _choice("type", lazy("Jenis"), fr.IMPROVEMENT_TYPES, IMPROVEMENT_LABELS),
                        Field("description", lazy("Uraian (≤ 150 kata)"), "longtext"),
                        EVIDENCE,
                    ),
                ),
                Field("coverage_expanded", lazy("Cakupan bertambah sejak penghargaan"), "bool"),
                Field("coverage_description", lazy("Lokasi atau unit baru"), "longtext"),
            ),
        ),
        Section(
            "manfaat",
            lazy("Penerima manfaat dan anggaran"),
            (
                Rows(
                    "beneficiaries",
                    lazy("Penerima manfaat per tahun"),
                    _year_row(
                        Field("count", lazy("Jumlah"), "int"),
                        _choice("measure", lazy("Satuan"), fr.MEASURES, MEASURE_LABELS),
                        Field("measure_other", lazy("Satuan lain")),
                        Field("source", lazy("Sumber data")),
                    ),
                    help=lazy(
                        "Setiap tahun dari tahun penghargaan sampai tahun penuh terakhir; "
                        "satuannya sama di setiap baris."
                    ),
                ),
                Rows(
                    "budget",
                    lazy("Anggaran"),
                    _year_row(
                        _choice("source", lazy("Sumber"), fr.BUDGET_SOURCES, BUDGET_LABELS),
                        Field("line", lazy("Program/kegiatan")),
                        Field("amount", lazy("Jumlah (Rp)"), "int"),
                    ),
                    help=lazy("Minimal satu baris untuk setiap tiga tahun penuh terakhir."),
                ),
            ),
        ),
        Section(
            "kelembagaan",
            lazy("Dasar hukum, SOP dan evaluasi"),
            (
                _legal_rows("legal_basis", lazy("Dasar hukum"), fr.LEGAL_TYPES),
                _document("sop", lazy("SOP")),
                _document("team_decree", lazy("SK tim inovasi")),
                Group(
                    "latest_evaluation",
                    lazy("Evaluasi terakhir (opsional)"),
                    (
                        Field("date", lazy("Tanggal"), "date"),
                        _choice("kind", lazy("Jenis"), fr.EVALUATION_KINDS, EVALUATION_KIND_LABELS),
                        _choice("evaluator", lazy("Evaluator"), fr.EVALUATORS, EVALUATOR_LABELS),
                        Field("summary", lazy("Ringkasan (≤ 300 kata)"), "longtext"),
                        _choice(
                            "follow_up", lazy("Ditindaklanjuti"), fr.FOLLOW_UPS, FOLLOW_UP_LABELS
                        ),
                        FILE,
                    ),
                    nullable=True,
                ),
            ),
        ),
        Section(
            "replikasi",
            lazy("Replikasi oleh instansi lain"),
            (_replication_rows(rows_code, lazy("Replikasi")),),
        ),
        _closing_section(contact=True),
    ]
    return tuple(sections)


def _closing_section(*, contact: bool) -> Section:
    items: list[Item] = [
        Field("evidence", lazy("Bukti pendukung lain (PDF)"), "files"),
    ]
    if contact:
        items += [
            Field("video_url", lazy("Tautan video (opsional)"), "url"),
            Group(
                "contact",
                lazy("Narahubung resmi"),
                (
                    Field("name", lazy("Nama")),
                    Field("position", lazy("Jabatan")),
                    Field("email", lazy("Surel resmi"), "email"),
                ),
            ),
        ]
    items += [
        Field(
            "declaration",
            lazy("Kami menyatakan bahwa isian ini benar"),
            "check",
            help=lazy("Wajib untuk mengirim formulir."),
        ),
        Field("declaration_file", lazy("Surat pernyataan ditandatangani pimpinan (PDF)"), "file"),
    ]
    return Section("pernyataan", lazy("Bukti dan pernyataan"), tuple(items))


COACHING_SECTIONS: tuple[Section, ...] = (
    Section(
        "kebijakan",
        lazy("Kebijakan pembinaan"),
        (
            _legal_rows(
                "coaching_policy",
                lazy("Peraturan atau keputusan tentang pembinaan inovasi"),
                cr.POLICY_TYPES,
            ),
            Field(
                "in_strategic_plan", lazy("Pembinaan inovasi ada dalam dokumen perencanaan"), "bool"
            ),
            Field("strategic_plan_ref", lazy("Rujukan dokumen (Renstra, RPJMD, rencana kerja)")),
            Group(
                "coaching_team",
                lazy("Unit atau tim pembina"),
                (
                    Field("name", lazy("Nama unit/tim")),
                    Field("decree_number", lazy("Nomor SK")),
                    FILE,
                ),
            ),
        ),
    ),
    Section(
        "penciptaan",
        lazy("Penciptaan"),
        (
            Rows(
                "creation_programmes",
                lazy("Program penciptaan inovasi"),
                _year_row(
                    Field("name", lazy("Nama program")),
                    _choice("kind", lazy("Jenis"), cr.PROGRAMME_KINDS, PROGRAMME_LABELS),
                    Field("participants", lazy("Peserta"), "int"),
                ),
            ),
            Rows(
                "internal_competition",
                lazy("Kompetisi inovasi internal per tahun"),
                _year_row(
                    Field("held", lazy("Diselenggarakan"), "bool"),
                    Field("decree_only", lazy("Hanya ditetapkan, tidak diselenggarakan"), "bool"),
                    Field("entries", lazy("Peserta"), "int"),
                    Field("winners", lazy("Pemenang"), "int"),
                    FILE,
                ),
            ),
            Rows(
                "innovations_registered",
                lazy("Inovasi terdaftar per tahun"),
                _year_row(
                    Field(
                        "kipp_registered",
                        lazy("Terdaftar di KIPP (dari Prima)"),
                        "int",
                        readonly=True,
                    ),
                    Field("internal_registered", lazy("Terdaftar di database internal"), "int"),
                ),
                fixed=True,
            ),
        ),
    ),
    Section(
        "pengembangan",
        lazy("Pengembangan"),
        (
            Rows(
                "development_activities",
                lazy("Kegiatan pengembangan"),
                _year_row(
                    _choice("kind", lazy("Jenis"), cr.ACTIVITY_KINDS, ACTIVITY_LABELS),
                    Field("participants", lazy("Peserta"), "int"),
                ),
            ),
            Rows(
                "replication_facilitation",
                lazy("Fasilitasi replikasi"),
                _year_row(
                    Field("original_innovation", lazy("Inovasi asal"), "ref", lookup="innovation"),
                    Field("partner", lazy("Instansi atau unit mitra")),
                    _choice("direction", lazy("Arah"), cr.DIRECTIONS, DIRECTION_LABELS),
                    EVIDENCE,
                ),
            ),
        ),
    ),
    Section(
        "pelembagaan",
        lazy("Pelembagaan"),
        (
            Rows(
                "institutionalisation_programmes",
                lazy("Program pelembagaan"),
                _year_row(
                    _choice(
                        "kind",
                        lazy("Jenis"),
                        cr.INSTITUTIONALISATION_KINDS,
                        INSTITUTIONALISATION_LABELS,
                    ),
                    Field(
                        "innovations",
                        lazy("Inovasi yang dicakup"),
                        "ids",
                        help=lazy("Inovasi instansi ini; pilih satu atau lebih."),
                        lookup="locus",
                    ),
                    EVIDENCE,
                ),
            ),
            Rows(
                "coaching_budget",
                lazy("Anggaran pembinaan inovasi per tahun"),
                _year_row(Field("amount", lazy("Jumlah (Rp)"), "int")),
            ),
            Field("inventory_kept", lazy("Ada basis data/daftar inovasi"), "bool"),
            Field("inventory_ref", lazy("Rujukan basis data")),
            Field("innovator_incentives", lazy("Ada penghargaan/insentif bagi inovator"), "bool"),
            Field("incentives_ref", lazy("Rujukan insentif")),
        ),
    ),
    _closing_section(contact=False),
)

SECTIONS: Mapping[str, tuple[Section, ...]] = {
    FormKind.SUSTAINABILITY: _object_sections(FormKind.SUSTAINABILITY),
    FormKind.REPLICATION: _object_sections(FormKind.REPLICATION),
    FormKind.COACHING: COACHING_SECTIONS,
}


# --------------------------------------------------------------------------- reading POST

_INT_RE = re.compile(r"^-?\d+$")


def _read(f: Field, post: QueryDict, name: str, errors: dict[str, str]) -> Any:
    """One value from POST (None when empty); a bad value is recorded in ``errors``."""
    if f.kind == "multichoice":
        known = {code for code, _label in f.choices}
        return [v for v in post.getlist(name) if v in known]
    if f.kind == "files":
        return [int(v) for v in post.getlist(name) if v.isdigit()]
    if f.kind == "ids":
        # A multiple select sends one value per choice (older pages: one comma list).
        parts = [p.strip() for v in post.getlist(name) for p in v.split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            errors[name] = _("Pilih dari daftar; tertulis «%(value)s».") % {
                "value": ", ".join(parts)
            }
            return None
        return list(dict.fromkeys(int(p) for p in parts)) or None
    raw = (post.get(name) or "").strip()
    if f.kind == "check":
        return raw in ("on", "1", "true", "ya")
    if raw == "":
        return None
    if f.kind == "bool":
        if raw in ("ya", "tidak"):
            return raw == "ya"
        errors[name] = _("Pilih ya atau tidak.")
        return None
    if f.kind == "date":
        try:
            return dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            errors[name] = _("Tanggal tidak sah: «%(value)s» (format TTTT-BB-HH).") % {"value": raw}
            return None
    if f.kind in ("int", "year", "ref", "file"):
        digits = raw.replace(".", "").replace(" ", "")
        if not _INT_RE.match(digits):
            errors[name] = _("Harus berupa bilangan bulat; tertulis «%(value)s».") % {"value": raw}
            return None
        return int(digits)
    if f.kind == "choice":
        if raw not in {code for code, _label in f.choices}:
            errors[name] = _("Pilihan tidak dikenal: «%(value)s».") % {"value": raw}
            return None
        return raw
    return raw


def _empty(value: Any) -> bool:
    # A "no" is an answer; only unanswered values (and unticked boxes) are empty.
    return value is None or value == []


def _row_indices(post: QueryDict, code: str) -> list[int]:
    pattern = re.compile(rf"^{re.escape(code)}\.(\d+)\.")
    found = {int(m.group(1)) for key in post for m in [pattern.match(key)] if m}
    return sorted(found)


def parse(kind: str, post: QueryDict) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers of a submitted page in the stored shape, and the unreadable values."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for section in SECTIONS[kind]:
        for item in section.items:
            if isinstance(item, Field):
                value = _read(item, post, item.code, errors)
                if item.kind in ("multichoice", "files", "check") or value is not None:
                    data[item.code] = value
            elif isinstance(item, Group):
                part = {
                    f.code: _read(f, post, f"{item.code}.{f.code}", errors) for f in item.fields
                }
                if item.nullable and all(_empty(v) for v in part.values()):
                    continue
                if not all(_empty(v) for v in part.values()):
                    data[item.code] = part
            else:
                rows = []
                for index in _row_indices(post, item.code):
                    row = {
                        f.code: _read(f, post, f"{item.code}.{index}.{f.code}", errors)
                        for f in item.fields
                        if not f.readonly
                    }
                    if item.fixed or not all(_empty(v) for v in row.values()):
                        rows.append(row)
                data[item.code] = rows
    return data, _renumber(kind, post, errors)


def _renumber(kind: str, post: QueryDict, errors: dict[str, str]) -> dict[str, str]:
    """Row errors keyed by the row's position in the stored list (page indices may skip)."""
    result: dict[str, str] = {}
    for path, message in errors.items():
        parts = path.split(".")
        if len(parts) == 3 and parts[1].isdigit():
            indices = _row_indices(post, parts[0])
            position = indices.index(int(parts[1])) if int(parts[1]) in indices else int(parts[1])
            path = f"{parts[0]}.{position}.{parts[2]}"
        result[path] = message
    return result


# --------------------------------------------------------------------------- rendering


@dataclass
class Widget:
    view = "field"

    name: str
    label: Any
    kind: str
    value: Any
    choices: Choices = ()
    help: Any = ""
    readonly: bool = False
    errors: list[str] = field(default_factory=list)
    # Ref and ids answers: the lookup, and what form_lookups.FormLookups.attach sets.
    lookup: str = ""
    noun: Any = ""
    searchable: bool = False  # too many choices to list: a search box filters them
    query: str = ""
    searched: bool = False
    truncated: bool = False  # the search matched more than it shows

    @property
    def multiple(self) -> bool:
        return self.kind == "ids"

    @property
    def selected_ids(self) -> list[Any]:
        """The chosen ids of a ref or ids answer (the options marked selected)."""
        if isinstance(self.value, list):
            return self.value
        return [] if self.value is None else [self.value]

    @property
    def text(self) -> str:
        """The value as the input shows it."""
        if self.value is None:
            return ""
        if isinstance(self.value, list):
            return ", ".join(str(v) for v in self.value)
        return str(self.value)

    @property
    def display(self) -> str:
        """The value as read-only pages show it."""
        if self.value is None or self.value == []:
            return "—"
        if self.kind in ("bool", "check"):
            return str(_("Ya") if self.value else _("Tidak"))
        labels = dict(self.choices)
        if self.kind == "ref":
            return str(labels.get(self.value, f"#{self.value}"))
        if self.kind == "ids" and isinstance(self.value, list):
            return "; ".join(str(labels.get(v, f"#{v}")) for v in self.value)
        if self.kind == "choice":
            return str(labels.get(self.value, self.value))
        if self.kind == "multichoice":
            return ", ".join(str(labels.get(v, v)) for v in self.value)
        if self.kind in ("int",) and isinstance(self.value, int):
            return f"{self.value:,}".replace(",", ".")
        return self.text


@dataclass
class GroupView:
    view = "group"

    code: str
    label: Any
    help: Any
    widgets: list[Widget]
    errors: list[str] = field(default_factory=list)


@dataclass
class RowsView:
    view = "rows"

    code: str
    label: Any
    help: Any
    fixed: bool
    rows: list[list[Widget]]
    template: list[Widget]
    errors: list[str] = field(default_factory=list)


@dataclass
class SectionView:
    code: str
    label: Any
    items: list[Widget | GroupView | RowsView]


@dataclass
class Layout:
    sections: list[SectionView]
    errors: list[str]  # problems that name no answer on the page (e.g. the window)
    widgets: list[Widget] = field(default_factory=list)  # every widget, row templates too


def _widget(f: Field, name: str, value: Any) -> Widget:
    return Widget(name, f.label, f.kind, value, f.choices, f.help, f.readonly, lookup=f.lookup)


def layout(
    kind: str, data: Mapping[str, Any], errors: Mapping[str, Sequence[str]] | None = None
) -> Layout:
    """What the page renders, each problem placed at its answer (or the nearest list or
    group; problems naming no answer on the page are returned apart)."""
    pending: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}
    sections: list[SectionView] = []
    widgets: list[Widget] = []
    templates: list[Widget] = []
    containers: list[GroupView | RowsView] = []
    for section in SECTIONS[kind]:
        items: list[Widget | GroupView | RowsView] = []
        for item in section.items:
            if isinstance(item, Field):
                w = _widget(item, item.code, data.get(item.code))
                widgets.append(w)
                items.append(w)
            elif isinstance(item, Group):
                part = data.get(item.code) or {}
                part = part if isinstance(part, Mapping) else {}
                group_widgets = [
                    _widget(f, f"{item.code}.{f.code}", part.get(f.code)) for f in item.fields
                ]
                widgets += group_widgets
                view = GroupView(item.code, item.label, item.help, group_widgets)
                containers.append(view)
                items.append(view)
            else:
                stored = data.get(item.code) or []
                rows = [
                    [_widget(f, f"{item.code}.{i}.{f.code}", row.get(f.code)) for f in item.fields]
                    for i, row in enumerate(r if isinstance(r, Mapping) else {} for r in stored)
                ]
                for row in rows:
                    widgets += row
                template = [_widget(f, f"{item.code}.__i__.{f.code}", None) for f in item.fields]
                templates += template
                rows_view = RowsView(item.code, item.label, item.help, item.fixed, rows, template)
                containers.append(rows_view)
                items.append(rows_view)
        sections.append(SectionView(section.code, section.label, items))
    for w in widgets:
        w.errors = pending.pop(w.name, [])
    for container in sorted(containers, key=lambda c: -len(c.code)):
        for path in [
            p for p in pending if p == container.code or p.startswith(container.code + ".")
        ]:
            container.errors += pending.pop(path)
    for path in list(pending):
        top = path.split(".", 1)[0]
        for w in widgets:
            if w.name == top:
                w.errors += pending.pop(path)
                break
    return Layout(
        sections, [m for messages in pending.values() for m in messages], widgets + templates
    )


def field_at(kind: str, path: str) -> Field | None:
    """The field of an answer path (``sop.file``; rows by any number or ``__i__``)."""
    parts = path.split(".")
    for section in SECTIONS[kind]:
        for item in section.items:
            if item.code != parts[0]:
                continue
            if isinstance(item, Field):
                return item if len(parts) == 1 else None
            if isinstance(item, Group):
                rest = parts[1:]
            elif len(parts) == 3 and (parts[1].isdigit() or parts[1] == "__i__"):
                rest = parts[2:]
            else:
                return None
            return next((f for f in item.fields if [f.code] == rest), None)
    return None


# --------------------------------------------------------------------------- paths


def lookup_values(kind: str, data: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """(lookup, answer path, value) of every answer that names an innovation or an
    institution, as far as ``data`` has them."""
    found: list[tuple[str, str, Any]] = []
    for section in SECTIONS[kind]:
        for item in section.items:
            if isinstance(item, Field) and item.lookup and data.get(item.code) is not None:
                found.append((item.lookup, item.code, data[item.code]))
            elif isinstance(item, Rows):
                rows = data.get(item.code)
                for index, row in enumerate(rows if isinstance(rows, list) else []):
                    if not isinstance(row, Mapping):
                        continue
                    for f in item.fields:
                        if f.lookup and row.get(f.code) is not None:
                            found.append((f.lookup, f"{item.code}.{index}.{f.code}", row[f.code]))
    return found


def file_slots(kind: str, data: Mapping[str, Any]) -> list[tuple[Any, list[tuple[str, str]]]]:
    """The answers a file can be uploaded for, as (section label, [(path, label)]), with
    one slot per stored row of a list; the path is what ``add_evidence`` takes."""
    found: list[tuple[Any, list[tuple[str, str]]]] = []
    for section in SECTIONS[kind]:
        slots: list[tuple[str, str]] = []
        for item in section.items:
            if isinstance(item, Field):
                if item.code == "running_since":
                    slots.append(
                        (item.code, _("Bukti perubahan «%(label)s»") % {"label": item.label})
                    )
                elif item.kind in ("file", "files"):
                    slots.append((item.code, str(item.label)))
            elif isinstance(item, Group):
                slots += [
                    (f"{item.code}.{f.code}", f"{item.label} › {f.label}")
                    for f in item.fields
                    if f.kind in ("file", "files")
                ]
            else:
                rows = data.get(item.code)
                for index in range(len(rows) if isinstance(rows, list) else 0):
                    slots += [
                        (
                            f"{item.code}.{index}.{f.code}",
                            _("%(list)s › baris %(n)s › %(field)s")
                            % {"list": item.label, "n": index + 1, "field": f.label},
                        )
                        for f in item.fields
                        if f.kind in ("file", "files")
                    ]
        if slots:
            found.append((section.label, slots))
    return found
