"""Synthetic, valid answers of the PKRI demo forms (pkri.md §6; the contract's JSON shapes).

Each builder returns ``(data, files)``: the answers with every file answer left ``None``,
and the dotted paths of the file answers (``legal_basis.0.file``, ``evidence.0``) the
loader fills with the ids of the form's `FormEvidence` rows once they exist. The answers
pass `prima.pkri.domain.form_rules.form_problems` (tested). Pure: no ORM.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

Answers = tuple[dict[str, Any], list[str]]

CONTACT_NAMES = (
    "Rahmat Hidayat",
    "Siti Nurhaliza",
    "Dewi Kartika",
    "Andi Saputra",
    "Yusuf Maulana",
    "Lestari Wulandari",
    "Hendra Gunawan",
    "Rina Marlina",
)
CONTACT_POSITIONS = (
    "Kepala Seksi Pelayanan",
    "Kepala Subbagian Program",
    "Analis Kebijakan",
    "Pengelola Inovasi",
)
IMPROVEMENT_TEXTS = {
    "feature": "Menambah fitur pendaftaran dan pelacakan layanan secara daring.",
    "coverage": "Memperluas layanan ke kecamatan dan kelurahan yang belum terjangkau.",
    "process": "Memangkas alur layanan dan menyederhanakan persyaratan.",
    "technology": "Memindahkan aplikasi ke pusat data pemerintah daerah dan menambah SMS.",
    "regulation": "Menetapkan peraturan kepala daerah sebagai payung hukum layanan.",
}
STOP_TEXTS = {
    "budget": "Anggaran operasional tidak lagi tersedia sejak perubahan prioritas daerah.",
    "leadership_change": "Pimpinan baru mengalihkan prioritas program unit.",
    "replaced_by_national_system": "Layanan digantikan sistem nasional yang wajib dipakai.",
    "need_ended": "Kebutuhan layanan sudah terpenuhi oleh layanan reguler unit.",
}
MEASURES = ("people", "households", "businesses", "documents", "transactions")
SOURCES = ("Laporan tahunan unit", "Aplikasi layanan", "Register layanan", "Laporan kinerja")


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _contact(rng: random.Random, domain: str) -> dict[str, str]:
    name = rng.choice(CONTACT_NAMES)
    user = name.split()[0].lower()
    return {
        "name": name,
        "position": rng.choice(CONTACT_POSITIONS),
        "email": f"{user}@{domain or 'prima-demo.example'}",
    }


def object_answers(
    rng: random.Random,
    *,
    kind: str,
    running: bool,
    running_since: dt.date,
    base_year: int,
    edition_year: int,
    today: dt.date,
    institutionalised: bool,
    domain: str,
    original_innovation: int | None = None,
    replication_started: dt.date | None = None,
) -> Answers:
    """A sustainability or replication form: award/replication year `base_year` onwards."""
    files: list[str] = []
    last_full = edition_year - 1
    data: dict[str, Any] = {"still_running": running, "running_since": running_since.isoformat()}
    if not running:
        reason = rng.choice(sorted(STOP_TEXTS))
        stopped = _day(rng, max(running_since, dt.date(base_year, 6, 1)), dt.date(last_full, 12, 1))
        data.update(
            stopped_on=stopped.isoformat(), stop_reason=reason, stop_reason_text=STOP_TEXTS[reason]
        )
    data["interruptions"] = []
    if running and rng.random() < 0.15:
        start = _day(rng, dt.date(base_year, 2, 1), dt.date(last_full, 6, 1))
        data["interruptions"] = [
            {
                "from": start.isoformat(),
                "to": (start + dt.timedelta(days=rng.randint(20, 200))).isoformat(),
                "reason": "Pemeliharaan sistem dan pergantian petugas.",
            }
        ]
    improvements = []
    for _ in range(rng.randint(0, 4) if running else rng.randint(0, 1)):
        kind_of = rng.choice(sorted(IMPROVEMENT_TEXTS))
        improvements.append(
            {
                "year": rng.randint(base_year, edition_year),
                "type": kind_of,
                "description": IMPROVEMENT_TEXTS[kind_of],
                "evidence": None,
            }
        )
    data["improvements"] = sorted(improvements, key=lambda row: row["year"])
    expanded = running and rng.random() < 0.45
    data["coverage_expanded"] = expanded
    data["coverage_description"] = (
        "Layanan kini juga dibuka di unit pelaksana di tingkat kecamatan." if expanded else ""
    )
    measure = rng.choice(MEASURES)
    count = rng.randint(300, 6000)
    source = rng.choice(SOURCES)
    rows = []
    for year in range(base_year, last_full + 1):
        rows.append({"year": year, "count": count, "measure": measure, "source": source})
        count = max(0, int(count * rng.uniform(0.85, 1.45 if running else 1.0)))
    data["beneficiaries"] = rows
    budget = []
    for year in range(last_full - 2, last_full + 1):
        if running and rng.random() < 0.85:
            budget.append(
                {
                    "year": year,
                    "source": rng.choice(("APBD", "APBD", "APBN", "CSR")),
                    "line": "Program peningkatan kualitas pelayanan publik",
                    "amount": rng.randint(5, 400) * 1_000_000,
                }
            )
        else:
            budget.append({"year": year, "source": "none", "line": "", "amount": 0})
    data["budget"] = budget
    legal = []
    if institutionalised or rng.random() < 0.3:
        legal.append(
            {
                "type": rng.choice(("perkada", "sk_kepala", "peraturan_lembaga", "surat_edaran")),
                "number": f"{rng.randint(1, 120)} Tahun {rng.randint(base_year, last_full)}",
                "date": _day(
                    rng, dt.date(base_year, 1, 10), dt.date(last_full, 12, 20)
                ).isoformat(),
                "title": "Penyelenggaraan layanan inovasi",
                "file": None,
            }
        )
        files.append("legal_basis.0.file")
    data["legal_basis"] = legal
    for key, label in (("sop", "SOP"), ("team_decree", "SK Tim")):
        exists = institutionalised if key == "sop" else rng.random() < 0.6
        if exists:
            data[key] = {
                "exists": True,
                "number": f"{label} {rng.randint(1, 90)}/{rng.randint(base_year, last_full)}",
                "date": _day(
                    rng, dt.date(base_year, 1, 10), dt.date(last_full, 12, 20)
                ).isoformat(),
                "file": None,
            }
            files.append(f"{key}.file")
        else:
            data[key] = {"exists": False, "number": "", "date": None, "file": None}
    if rng.random() < 0.6:
        data["latest_evaluation"] = {
            "date": _day(
                rng, dt.date(last_full - 3, 1, 10), dt.date(last_full, 12, 10)
            ).isoformat(),
            "kind": rng.choice(("internal", "external")),
            "evaluator": rng.choice(("unit", "parent_office", "inspektorat", "university")),
            "summary": "Evaluasi menunjukkan layanan berjalan sesuai standar; beberapa saran "
            "perbaikan telah ditindaklanjuti.",
            "follow_up": rng.choice(("yes", "partly")),
            "file": None,
        }
        files.append("latest_evaluation.file")
    else:
        data["latest_evaluation"] = None
    data["replications" if kind == "sustainability" else "onward_replications"] = []
    data["evidence"] = [None]
    files.append("evidence.0")
    data["video_url"] = ""
    data["contact"] = _contact(rng, domain)
    data["declaration"] = True
    data["declaration_file"] = None
    files.append("declaration_file")
    if kind == "replication":
        assert original_innovation is not None and replication_started is not None
        data.update(
            original_innovation=original_innovation,
            replication_started=replication_started.isoformat(),
            scope=rng.choice(("full", "partial")),
            adaptation_steps="Studi tiru ke unit asal, penyesuaian alur layanan dengan kondisi "
            "setempat, uji coba tiga bulan, lalu penerapan penuh.",
            differentiators="Sasaran layanan dan wilayah berbeda; formulir disederhanakan.",
            relationship=rng.choice((["study_visit"], ["agreement", "mentoring"], ["mentoring"])),
        )
    assert today >= running_since
    return data, files


def coaching_answers(
    rng: random.Random,
    *,
    lookback: tuple[int, int],
    edition_year: int,
    domain: str,
    strength: float,
) -> Answers:
    """A coaching form; `strength` (0–1) makes the coaching record richer."""
    first, last = lookback
    files: list[str] = []
    data: dict[str, Any] = {}
    policy = []
    if rng.random() < 0.4 + 0.5 * strength:
        policy.append(
            {
                "type": rng.choice(("perkada", "sk_kepala", "surat_edaran", "permen")),
                "number": f"{rng.randint(1, 99)} Tahun {rng.randint(first, last)}",
                "date": dt.date(rng.randint(first, last), rng.randint(1, 12), 10).isoformat(),
                "title": "Pembinaan inovasi pelayanan publik",
                "file": None,
            }
        )
        files.append("coaching_policy.0.file")
    data["coaching_policy"] = policy
    in_plan = rng.random() < 0.3 + 0.5 * strength
    data["in_strategic_plan"] = in_plan
    data["strategic_plan_ref"] = "Rencana Strategis 2021–2026, sasaran inovasi" if in_plan else ""
    data["coaching_team"] = {
        "name": "Tim Pembina Inovasi",
        "decree_number": f"SK/{rng.randint(10, 99)}/{last}",
        "file": None,
    }
    files.append("coaching_team.file")
    data["creation_programmes"] = [
        {
            "year": year,
            "name": "Klinik dan lomba gagasan inovasi",
            "kind": rng.choice(("internal_competition", "idea_clinic", "training")),
            "participants": rng.randint(15, 200),
        }
        for year in range(first, last + 1)
        if rng.random() < 0.3 + 0.6 * strength
    ]
    competition = []
    for year in range(first, last + 1):
        held = rng.random() < 0.2 + 0.7 * strength
        entries = rng.randint(5, 60) if held else None
        competition.append(
            {
                "year": year,
                "held": held,
                "decree_only": False,
                "entries": entries,
                "winners": rng.randint(1, min(10, entries)) if entries else None,
                "file": None,
            }
        )
    data["internal_competition"] = competition
    data["innovations_registered"] = [
        {"year": year, "kipp_registered": 0, "internal_registered": rng.randint(0, 12)}
        for year in range(first, last + 1)
    ]
    data["development_activities"] = [
        {
            "year": rng.randint(first, last),
            "kind": rng.choice(("mentoring", "proposal_clinic", "capacity_building")),
            "participants": rng.randint(10, 120),
        }
        for _ in range(rng.randint(0, 2 + round(4 * strength)))
    ]
    data["replication_facilitation"] = []
    data["institutionalisation_programmes"] = [
        {
            "year": rng.randint(first, last),
            "kind": "sop_adoption",
            "innovations": [],
            "evidence": None,
        }
        for _ in range(rng.randint(0, 2))
    ]
    data["coaching_budget"] = [
        {
            "year": year,
            "amount": rng.randint(20, 800) * 1_000_000
            if rng.random() < 0.4 + 0.5 * strength
            else 0,
        }
        for year in range(first, last + 1)
    ]
    inventory = rng.random() < 0.5
    data["inventory_kept"] = inventory
    data["inventory_ref"] = "Basis data inovasi daerah" if inventory else ""
    incentives = rng.random() < 0.4
    data["innovator_incentives"] = incentives
    data["incentives_ref"] = "Penghargaan inovator tahunan" if incentives else ""
    data["evidence"] = [None]
    files.append("evidence.0")
    data["declaration"] = True
    data["declaration_file"] = None
    files.append("declaration_file")
    assert edition_year > last
    return data, files


def payakumbuh_coaching(lookback: tuple[int, int], domain: str) -> Answers:
    """Kota Payakumbuh's coaching form, written to fit the levels of B6 (P1–P9 = 3, 4, 4,
    3, 3, 4, 3, 4, 2): a mayoral regulation outside the strategic plan, yearly creation
    programmes, a competition every year, coaching budget every year, two facilitations."""
    first, last = lookback
    years = range(first, last + 1)
    data: dict[str, Any] = {
        "coaching_policy": [
            {
                "type": "perkada",
                "number": "Peraturan Wali Kota Payakumbuh Nomor 18 Tahun 2021",
                "date": "2021-05-17",
                "title": "Pembinaan inovasi daerah",
                "file": None,
            }
        ],
        "in_strategic_plan": False,
        "strategic_plan_ref": "",
        "coaching_team": {
            "name": "Tim Inovasi Daerah Kota Payakumbuh",
            "decree_number": "SK Wali Kota 100.3.3.2/23/WK-PYK/2022",
            "file": None,
        },
        "creation_programmes": [
            {"year": year, "name": name, "kind": kind, "participants": participants}
            for year in years
            for name, kind, participants in (
                ("Lomba inovasi perangkat daerah", "internal_competition", 42),
                ("Klinik inovasi", "idea_clinic", 35),
            )
        ],
        "internal_competition": [
            {
                "year": year,
                "held": True,
                "decree_only": False,
                "entries": 30,
                "winners": 6,
                "file": None,
            }
            for year in years
        ],
        "innovations_registered": [
            {"year": year, "kipp_registered": 0, "internal_registered": 7} for year in years
        ],
        "development_activities": [
            {"year": 2021, "kind": "mentoring", "participants": 40},
            {"year": 2022, "kind": "proposal_clinic", "participants": 25},
            {"year": 2022, "kind": "capacity_building", "participants": 60},
            {"year": 2023, "kind": "benchmarking", "participants": 20},
        ],
        "replication_facilitation": [
            {
                "year": 2022,
                "original_innovation": None,
                "partner": "Kabupaten Lima Puluh Kota",
                "direction": "out",
                "evidence": None,
            },
            {
                "year": 2023,
                "original_innovation": None,
                "partner": "Kota Bukittinggi",
                "direction": "out",
                "evidence": None,
            },
        ],
        "institutionalisation_programmes": [
            {"year": 2022, "kind": "sop_adoption", "innovations": [], "evidence": None}
        ],
        "coaching_budget": [{"year": year, "amount": 350_000_000} for year in years],
        "inventory_kept": True,
        "inventory_ref": "Basis data inovasi Kota Payakumbuh",
        "innovator_incentives": True,
        "incentives_ref": "Penghargaan inovator tahunan Wali Kota",
        "evidence": [None],
        "declaration": True,
        "declaration_file": None,
    }
    files = [
        "coaching_policy.0.file",
        "coaching_team.file",
        "internal_competition.0.file",
        "evidence.0",
        "declaration_file",
    ]
    assert domain is not None
    return data, files


def draft_of(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A form still being filled in: the first part of the answers, no declaration."""
    keys = list(data)
    kept = keys[: max(2, int(len(keys) * rng.uniform(0.3, 0.8)))]
    return {key: data[key] for key in kept if key not in ("declaration", "declaration_file")}
