"""What PKRI desk evaluators see: their to-do list, a form's frozen answers in Indonesian,
and each indicator with its suggested level and level rule (pkri.md §7.1).

Shared by the evaluator pages and the API, so both show the same data. Assignments are
read only through the engine's scoping helpers (`prima.evaluation.queries`, via the KIPP
assessor helpers): a conflicted or unassigned form is a 404 everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from prima.evaluation.domain.catalogue import instrument_of
from prima.evaluation.domain.sheets import Criterion, criteria_for
from prima.evaluation.models import Assignment
from prima.kipp.interfaces.sheet_forms import TODO_LABELS, SheetState, sheet_state
from prima.pkri.domain.answers import frozen_answers
from prima.pkri.domain.config import rules_of
from prima.pkri.domain.desk import form_of, sheet_levels
from prima.pkri.interfaces.form_fields import lookup_values
from prima.pkri.interfaces.form_lookups import names_of
from prima.pkri.models import FormEvidence, SelfAssessment
from prima.pkri.queries import (  # moved; old import path
    desk_assignment,
    pkri_appointments,
    todo_queryset,
)

__all__ = [
    "LEVEL_RULES",
    "TODO_LABELS",
    "AnswerLine",
    "IndicatorRow",
    "answer_lines",
    "desk_assignment",
    "indicator_rows",
    "pkri_appointments",
    "todo_queryset",
]

# pkri.md §7.1, the level rule of every indicator as shown to the evaluator.
LEVEL_RULES: Mapping[str, Any] = {
    "p1": _(
        "0 tidak ada; 1 surat edaran; 2 keputusan kepala instansi; 3 peraturan (perkada, "
        "permen, peraturan lembaga); 4 peraturan dan tercantum dalam rencana strategis"
    ),
    "p2": _("Program-tahun dalam tahun acuan: 0→0, 1→1, 2→2, 3–4→3, ≥5→4"),
    "p3": _("Tahun kompetisi internal diselenggarakan: tidak ada→0, hanya SK→1, 1→2, 2→3, 3→4"),
    "p4": _(
        "Rata-rata inovasi terdaftar per tahun (KIPP + internal): 0→0, ≤2→1, ≤5→2, ≤10→3, >10→4"
    ),
    "p5": _("Jumlah kegiatan pengembangan dalam tahun acuan: 0→0, 1→1, 2–3→2, 4–5→3, ≥6→4"),
    "p6": _("Tahun acuan dengan anggaran pembinaan > 0: 0→0, 1→2, 2→3, 3→4"),
    "p7": _("Porsi inovasi terlembagakan: 0%→0, <25%→1, <50%→2, <75%→3, ≥75%→4"),
    "p8": _(
        "Porsi inovasi masih berjalan (formulir tidak dikirim = tidak berjalan): sama dengan P7"
    ),
    "p9": _(
        "Replikasi keluar (dikonfirmasi/diverifikasi) + fasilitasi berbukti: "
        "0→0, 1→1, 2–3→2, 4–6→3, ≥7→4"
    ),
    "k1": _(
        "0 berhenti; 1 berjalan, jeda terlama ≥ 12 bulan; 2 berjalan, jeda terlama < 12 bulan; "
        "3 berjalan tanpa jeda; 4 seperti 3 dan cakupan diperluas"
    ),
    "k2": _("Pembaruan sejak penghargaan: 0→0, 1→1, 2→2, 3–4→3, ≥5→4"),
    "k3": _(
        "Perubahan penerima manfaat c dari tahun penghargaan ke tahun penuh terakhir: "
        "c < −10% → 0; −10% ≤ c ≤ 0 → 1; 0 < c ≤ 25% → 2; 25% < c ≤ 100% → 3; c > 100% → 4; "
        "dari 0 naik → 4, 0 tetap 0 → 0"
    ),
    "k4": _(
        "Dasar hukum, SOP, SK tim: tidak ada→0; satu→1; dua→2; tiga→3; tiga dengan dasar "
        "hukum setingkat peraturan→4"
    ),
    "k5": _("Tiga tahun penuh terakhir dengan anggaran > 0: 0→0, 1→2, 2→3, 3→4"),
    "k6": _(
        "Evaluasi terakhir: tidak ada→0; internal lebih dari 3 tahun→1; internal dalam 3 "
        "tahun→2; eksternal dalam 3 tahun→3; eksternal dalam 3 tahun dan ditindaklanjuti→4"
    ),
    "r1": _(
        "Tidak ada bukti→0; pernyataan saja→2; perjanjian/MoU atau konfirmasi instansi asal→4 "
        "(1 dan 3 menurut pertimbangan penilai)"
    ),
    "r2": _(
        "Pertimbangan penilai: 0 disalin tanpa adaptasi; 2 disesuaikan dengan kondisi "
        "setempat; 4 adaptasi substantif dengan dampak terukur"
    ),
    "r3": _("Seperti K3, dengan tahun mulai replikasi sebagai tahun dasar"),
    "r4": _("Rata-rata level K4 dan K5, dibulatkan setengah ke atas"),
    "r5": _("Replikasi lanjutan: 0→0, 1→2, 2→3, ≥3→4"),
}

# Indonesian labels of the form's field codes (pkri.md §6; contract shapes).
FIELD_LABELS: Mapping[str, Any] = {
    "still_running": _("Masih berjalan"),
    "running_since": _("Berjalan sejak"),
    "stopped_on": _("Berhenti pada"),
    "stop_reason": _("Alasan berhenti"),
    "stop_reason_text": _("Keterangan alasan berhenti"),
    "successor_innovation": _("Inovasi pengganti"),
    "interruptions": _("Jeda pelaksanaan"),
    "improvements": _("Pembaruan sejak penghargaan"),
    "coverage_expanded": _("Cakupan diperluas"),
    "coverage_description": _("Keterangan perluasan cakupan"),
    "beneficiaries": _("Penerima manfaat per tahun"),
    "budget": _("Anggaran"),
    "legal_basis": _("Dasar hukum"),
    "sop": _("SOP"),
    "team_decree": _("SK tim inovasi"),
    "latest_evaluation": _("Evaluasi terakhir"),
    "replications": _("Replikasi oleh instansi lain"),
    "onward_replications": _("Replikasi lanjutan"),
    "original_innovation": _("Inovasi asal"),
    "replication_started": _("Replikasi dimulai"),
    "scope": _("Cakupan replikasi"),
    "adaptation_steps": _("Langkah adaptasi"),
    "differentiators": _("Pembeda"),
    "relationship": _("Hubungan dengan inovasi asal"),
    "coaching_policy": _("Kebijakan pembinaan"),
    "in_strategic_plan": _("Tercantum dalam rencana strategis"),
    "strategic_plan_ref": _("Rujukan rencana strategis"),
    "coaching_team": _("Unit/tim pembina"),
    "creation_programmes": _("Program penciptaan inovasi"),
    "internal_competition": _("Kompetisi inovasi internal"),
    "innovations_registered": _("Inovasi yang terdaftar"),
    "development_activities": _("Kegiatan pengembangan"),
    "replication_facilitation": _("Fasilitasi replikasi"),
    "institutionalisation_programmes": _("Program pelembagaan"),
    "coaching_budget": _("Anggaran pembinaan"),
    "inventory_kept": _("Basis data inovasi dikelola"),
    "inventory_ref": _("Rujukan basis data inovasi"),
    "innovator_incentives": _("Insentif bagi inovator"),
    "incentives_ref": _("Rujukan insentif"),
    "evidence": _("Bukti pendukung"),
    "video_url": _("Tautan video"),
    "contact": _("Narahubung"),
    "declaration": _("Pernyataan kebenaran data"),
    "declaration_file": _("Berkas pernyataan"),
}
SUBFIELD_LABELS: Mapping[str, Any] = {
    "from": _("dari"),
    "to": _("sampai"),
    "reason": _("alasan"),
    "year": _("tahun"),
    "type": _("jenis"),
    "description": _("uraian"),
    "evidence": _("bukti"),
    "count": _("jumlah"),
    "measure": _("satuan"),
    "measure_other": _("satuan lain"),
    "source": _("sumber"),
    "line": _("mata anggaran"),
    "amount": _("jumlah (Rp)"),
    "number": _("nomor"),
    "date": _("tanggal"),
    "title": _("judul"),
    "file": _("berkas"),
    "exists": _("ada"),
    "kind": _("jenis"),
    "evaluator": _("pelaksana"),
    "summary": _("ringkasan"),
    "follow_up": _("tindak lanjut"),
    "institution": _("instansi"),
    "unit": _("unit"),
    "start_date": _("mulai"),
    "scope": _("cakupan"),
    "differences": _("perbedaan"),
    "name": _("nama"),
    "position": _("jabatan"),
    "email": _("surel"),
    "decree_number": _("nomor SK"),
    "participants": _("peserta"),
    "held": _("diselenggarakan"),
    "decree_only": _("hanya SK"),
    "entries": _("peserta"),
    "winners": _("pemenang"),
    "kipp_registered": _("terdaftar KIPP"),
    "internal_registered": _("terdaftar internal"),
    "original_innovation": _("inovasi asal"),
    "innovation": _("inovasi replika"),
    "partner": _("mitra"),
    "direction": _("arah"),
    "innovations": _("inovasi"),
}
VALUE_LABELS: Mapping[str, Any] = {
    "budget": _("anggaran"),
    "leadership_change": _("pergantian pimpinan"),
    "regulation_change": _("perubahan regulasi"),
    "merged_into_other_system": _("digabung ke sistem lain"),
    "replaced_by_national_system": _("diganti sistem nasional"),
    "need_ended": _("kebutuhan berakhir"),
    "other": _("lainnya"),
    "feature": _("fitur"),
    "coverage": _("cakupan"),
    "process": _("proses"),
    "technology": _("teknologi"),
    "regulation": _("regulasi"),
    "people": _("orang"),
    "households": _("rumah tangga"),
    "businesses": _("pelaku usaha"),
    "documents": _("dokumen"),
    "transactions": _("transaksi"),
    "none": _("tidak ada"),
    "perda": _("perda"),
    "perkada": _("perkada"),
    "permen": _("permen"),
    "peraturan_lembaga": _("peraturan lembaga"),
    "sk_kepala": _("SK kepala"),
    "surat_edaran": _("surat edaran"),
    "internal": _("internal"),
    "external": _("eksternal"),
    "parent_office": _("instansi induk"),
    "inspektorat": _("inspektorat"),
    "bpk": _("BPK"),
    "university": _("perguruan tinggi"),
    "yes": _("ya"),
    "partly": _("sebagian"),
    "no": _("tidak"),
    "full": _("penuh"),
    "partial": _("sebagian"),
    "agreement": _("perjanjian/MoU"),
    "study_visit": _("studi tiru"),
    "mentoring": _("pendampingan"),
    "internal_competition": _("kompetisi internal"),
    "idea_clinic": _("klinik ide"),
    "training": _("pelatihan"),
    "innovation_lab": _("laboratorium inovasi"),
    "proposal_clinic": _("klinik proposal"),
    "capacity_building": _("peningkatan kapasitas"),
    "benchmarking": _("studi banding"),
    "out": _("keluar"),
    "in": _("masuk"),
    "legal_umbrella": _("payung hukum"),
    "sop_adoption": _("penerapan SOP"),
    "plan_integration": _("integrasi perencanaan"),
    "budgeting": _("penganggaran"),
}
FILE_KEYS = frozenset({"file", "evidence", "declaration_file"})


# --------------------------------------------------------------------------- the sheet


@dataclass(frozen=True)
class AnswerLine:
    code: str
    label: str
    text: str


def _value_text(value: Any, key: str, files: Mapping[int, str]) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return str(_("Ya") if value else _("Tidak"))
    if key in FILE_KEYS and isinstance(value, int):
        return files.get(value, str(_("berkas #%(id)s")) % {"id": value})
    if isinstance(value, list):
        if key in FILE_KEYS:
            return ", ".join(_value_text(v, key, files) for v in value)
        return ", ".join(_value_text(v, "", files) for v in value)
    if isinstance(value, Mapping):
        parts = [
            f"{SUBFIELD_LABELS.get(k, k)}: {_value_text(v, k, files)}"
            for k, v in value.items()
            if v not in (None, "", [])
        ]
        return "; ".join(parts) or "–"
    if isinstance(value, int) and not isinstance(value, bool) and key in ("amount", "count"):
        return f"{value:,}".replace(",", ".")
    text = str(value)
    return str(VALUE_LABELS.get(text, text))


def _file_ids(value: Any, key: str = "") -> set[int]:
    found: set[int] = set()
    if isinstance(value, Mapping):
        for k, v in value.items():
            found |= _file_ids(v, k)
    elif isinstance(value, list):
        for v in value:
            found |= _file_ids(v, key)
    elif key in FILE_KEYS and isinstance(value, int) and not isinstance(value, bool):
        found.add(value)
    return found


def _with_names(kind: str, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with every innovation or institution id replaced by its name (one query
    per model); an id no longer in the registry stays a number."""
    named = dict(answers)
    found = lookup_values(kind, answers)
    if not found:
        return named
    ids: dict[str, list[int]] = {}
    for lookup, _path, value in found:
        ids.setdefault(lookup, []).extend(
            v for v in (value if isinstance(value, list) else [value]) if isinstance(v, int)
        )
    names = names_of(ids)
    for lookup, path, value in found:
        table = names[lookup]

        def name(v: Any, table: Mapping[int, str] = table) -> Any:
            return table.get(v, v) if isinstance(v, int) and not isinstance(v, bool) else v

        shown = [name(v) for v in value] if isinstance(value, list) else name(value)
        code, *rest = path.split(".")
        if not rest:
            named[code] = shown
        else:
            index, field = int(rest[0]), rest[1]
            rows = named[code] = [dict(row) for row in named[code]]
            rows[index][field] = shown
    return named


def answer_lines(form: SelfAssessment) -> list[AnswerLine]:
    """The frozen answers as Indonesian lines, in the form's field order; list answers
    show one row per line, and innovations and institutions by name."""
    answers = _with_names(form.kind, frozen_answers(form))
    ids = _file_ids(dict(answers))
    files = (
        dict(FormEvidence.objects.filter(form=form, pk__in=ids).values_list("pk", "original_name"))
        if ids
        else {}
    )
    known = [code for code in FIELD_LABELS if code in answers]
    extra = sorted(code for code in answers if code not in FIELD_LABELS)
    lines: list[AnswerLine] = []
    for code in (*known, *extra):
        value = answers[code]
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            text = "\n".join(_value_text(v, code, files) for v in value)
        else:
            text = _value_text(value, code, files)
        lines.append(AnswerLine(code=code, label=str(FIELD_LABELS.get(code, code)), text=text))
    return lines


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator on the sheet: weight, rule, suggestion and the evaluator's entry."""

    code: str
    label: str
    weight: Decimal
    rule: str
    suggested: int | None
    level: int | None
    comment: str


def sheet_criteria(assignment: Assignment) -> tuple[Criterion, ...]:
    instrument = instrument_of(assignment.stage.edition.instrument)
    return criteria_for(assignment.stage.scoring, assignment.subject.group, instrument)


def indicator_rows(
    assignment: Assignment, form: SelfAssessment, state: SheetState
) -> list[IndicatorRow]:
    step = rules_of(form.edition.rules).points_per_level
    chosen = sheet_levels(state.values, step)
    suggested = form.suggested_levels or {}
    return [
        IndicatorRow(
            code=c.code,
            label=c.label,
            weight=c.weight,
            rule=str(LEVEL_RULES.get(c.code, "")),
            suggested=None if suggested.get(c.code) is None else int(suggested[c.code]),
            level=chosen.get(c.code),
            comment=state.comments.get(c.code, ""),
        )
        for c in sheet_criteria(assignment)
    ]


@dataclass(frozen=True)
class SheetView:
    assignment: Assignment
    form: SelfAssessment
    state: SheetState
    answers: list[AnswerLine]
    indicators: list[IndicatorRow]
    editable: bool
    derived: Mapping[str, Any]


def sheet_view(assignment: Assignment) -> SheetView:
    form = form_of(assignment)
    state = sheet_state(assignment)
    stage = assignment.stage
    return SheetView(
        assignment=assignment,
        form=form,
        state=state,
        answers=answer_lines(form),
        indicators=indicator_rows(assignment, form, state),
        editable=stage.is_open
        and stage.assessors_score
        and not assignment.is_excused
        and not state.is_final,
        derived=form.derived or {},
    )
