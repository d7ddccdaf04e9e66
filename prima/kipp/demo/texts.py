"""Indonesian text of the KIPP demo: proposal answers, review notes, people's names.

Answers are composed from the innovation's own fields (summary, problem, approach,
results, beneficiaries, start date, replication links) so that every proposal reads as
a plausible, specific entry; each section keeps well under its word limit. Everything
here is pure and draws only from the `random.Random` it is given.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from prima.core.dates import month_year

SDG_NAMES = {
    1: "Tanpa Kemiskinan",
    2: "Tanpa Kelaparan",
    3: "Kehidupan Sehat dan Sejahtera",
    4: "Pendidikan Berkualitas",
    5: "Kesetaraan Gender",
    6: "Air Bersih dan Sanitasi Layak",
    7: "Energi Bersih dan Terjangkau",
    8: "Pekerjaan Layak dan Pertumbuhan Ekonomi",
    9: "Industri, Inovasi dan Infrastruktur",
    10: "Berkurangnya Kesenjangan",
    11: "Kota dan Permukiman yang Berkelanjutan",
    12: "Konsumsi dan Produksi yang Bertanggung Jawab",
    13: "Penanganan Perubahan Iklim",
    14: "Ekosistem Lautan",
    15: "Ekosistem Daratan",
    16: "Perdamaian, Keadilan dan Kelembagaan yang Tangguh",
    17: "Kemitraan untuk Mencapai Tujuan",
}


def _lower_first(text: str) -> str:
    text = text.strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _months_after(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class SourceText:
    """The original a replica adapted (for the replication sections)."""

    name: str
    institution: str
    tier: str  # "Top 99 KIPP 2019", or "" when it holds none
    adaptation: str
    differences: str


@dataclass(frozen=True)
class AnswerContext:
    """What the answer templates need to know about one innovation."""

    name: str
    unit: str
    institution: str  # short name, e.g. "Kota Payakumbuh"
    summary: str
    problem: str
    approach: str
    results: str
    beneficiaries: str
    adaptation: str
    started_on: dt.date
    is_digital: bool
    sdg_goals: tuple[int, ...]
    funding: str  # "APBD Kota Payakumbuh", "APBN", …
    replicated_by: tuple[str, ...] = ()
    source: SourceText | None = None


# --------------------------------------------------------------------------- sections

GOALS = (
    "mempercepat layanan dan memangkas kunjungan berulang",
    "menjangkau kelompok yang selama ini tertinggal dari layanan",
    "membuat layanan lebih pasti, terbuka, dan mudah dipantau warga",
    "menurunkan biaya yang harus ditanggung warga untuk memperoleh layanan",
)
METHODS = (
    "survei kepuasan masyarakat sebelum dan sesudah penerapan",
    "data register layanan tiga tahun terakhir",
    "dasbor kinerja yang diperbarui setiap bulan",
    "evaluasi bersama perguruan tinggi setempat",
)
OLD_WAYS = (
    "warga harus datang sendiri ke kantor, mengantre, dan sering kembali karena berkas kurang",
    "layanan hanya tersedia di pusat kota pada jam kerja",
    "informasi layanan tersebar dan tidak ada cara memantau prosesnya",
    "pencatatan masih manual sehingga data sering terlambat dan tidak akurat",
)
NOVELTIES = (
    "penggabungan beberapa tahap layanan menjadi satu alur yang sederhana",
    "pelibatan kader dan tokoh masyarakat sebagai perpanjangan tangan petugas",
    "pemanfaatan data yang sudah ada sehingga warga tidak perlu mengisi ulang",
    "jadwal layanan yang menyesuaikan waktu warga, bukan waktu kantor",
)
PARTNERS = (
    "perguruan tinggi setempat",
    "organisasi perangkat daerah terkait",
    "kader PKK dan posyandu",
    "tokoh agama dan tokoh adat",
    "dunia usaha melalui tanggung jawab sosial perusahaan",
    "media lokal",
    "karang taruna",
    "lembaga swadaya masyarakat",
)
SUSTAIN = (
    "Secara kelembagaan, inovasi ditetapkan dengan keputusan pimpinan dan dimasukkan ke "
    "dalam rencana strategis.",
    "Secara kelembagaan, inovasi sudah memiliki standar operasional prosedur dan "
    "penanggung jawab tetap.",
    "Secara kelembagaan, inovasi diatur dalam peraturan kepala daerah sehingga tidak "
    "bergantung pada pejabat tertentu.",
)
SUSTAIN_MANAGERIAL = (
    "Secara manajerial, anggaran operasional masuk pagu rutin dan petugas baru dilatih "
    "setiap tahun.",
    "Secara manajerial, kinerja layanan dipantau bulanan dan hasilnya dibahas dalam rapat "
    "pimpinan.",
)
SUSTAIN_SOCIAL = (
    "Secara sosial, warga dan komunitas ikut mengawasi serta mempromosikan layanan ini.",
    "Secara sosial, kader dan relawan setempat menjadi penggerak yang menjaga inovasi tetap "
    "berjalan.",
)
# How an app-based demo innovation protects personal data (the SPBE form, UU 27/2022).
DATA_PROTECTION = (
    "Data pribadi hanya dapat dibuka petugas sesuai perannya; setiap akses tercatat dan "
    "basis data dienkripsi.",
    "Pengguna menyetujui pemrosesan data saat mendaftar; kebijakan privasi dapat dibaca di "
    "aplikasi dan data disimpan di pusat data pemerintah.",
    "NIK dan nomor telepon disamarkan pada tampilan petugas; cadangan data dienkripsi dan "
    "diuji pemulihannya setiap semester.",
)
STEPS_REPLICATION = (
    "tim melakukan studi tiru dan mempelajari dokumen inovasi asal",
    "kesepakatan kerja sama ditandatangani dengan instansi asal",
    "alur layanan disesuaikan dengan kondisi setempat",
    "petugas dilatih oleh narasumber dari instansi asal",
    "layanan diluncurkan secara bertahap dan dievaluasi setiap triwulan",
)


def _ringkasan(rng: random.Random, c: AnswerContext) -> str:
    return (
        f"{c.summary} Inovasi ini berjalan sejak {month_year(c.started_on)} dan menyasar "
        f"{_lower_first(c.beneficiaries)}. {c.results}"
    )


def _latar_belakang(rng: random.Random, c: AnswerContext) -> str:
    target = rng.choice(
        (
            "waktu layanan turun sedikitnya separuh dalam dua tahun",
            "seluruh sasaran terlayani paling lambat tahun ketiga",
            "kepuasan pengguna layanan di atas 85 dari 100",
        )
    )
    return (
        f"{c.problem} Kondisi ini mendorong {c.unit} merancang {c.name}. Tujuannya "
        f"{rng.choice(GOALS)}. Kelompok sasarannya adalah {_lower_first(c.beneficiaries)}, "
        f"dengan target terukur: {target}."
    )


def _kebaruan(rng: random.Random, c: AnswerContext) -> str:
    digital = (
        " Seluruh proses tercatat secara elektronik sehingga dapat dilacak warga dan dipantau "
        "pimpinan."
        if c.is_digital
        else " Pendekatannya tidak bergantung pada aplikasi, sehingga mudah diterapkan di "
        "wilayah dengan sinyal terbatas."
    )
    return (
        f"Sebelum {c.name}, {rng.choice(OLD_WAYS)}. {c.approach} Nilai tambahnya terletak "
        f"pada {rng.choice(NOVELTIES)}.{digital}"
    )


def _implementasi(rng: random.Random, c: AnswerContext) -> str:
    trial = _months_after(c.started_on, rng.randint(2, 4))
    full = _months_after(trial, rng.randint(4, 8))
    return (
        f"Persiapan dan penyusunan alur layanan dimulai {month_year(c.started_on)}. Uji coba "
        f"di lokasi terpilih berlangsung mulai {month_year(trial)}, disertai pelatihan "
        f"petugas. Penerapan penuh dimulai {month_year(full)} setelah evaluasi uji coba, "
        "lalu diperluas bertahap ke seluruh wilayah layanan."
    )


def _signifikansi(rng: random.Random, c: AnswerContext) -> str:
    return (
        f"{c.results} Perubahan sebelum dan sesudah inovasi diukur dengan "
        f"{rng.choice(METHODS)}. Selain angka tersebut, pengaduan tentang layanan ini "
        f"berkurang dan {_lower_first(c.beneficiaries)} tidak lagi menanggung biaya "
        "perjalanan berulang. Hasil evaluasi dituangkan dalam dokumen evaluasi yang "
        "dilampirkan."
    )


def _adaptabilitas(rng: random.Random, c: AnswerContext) -> str:
    if c.replicated_by:
        names = ", ".join(c.replicated_by[:4])
        first = f"Inovasi ini sudah direplikasi oleh {names}."
    else:
        first = (
            "Inovasi ini belum direplikasi secara resmi, tetapi beberapa instansi sudah "
            "melakukan kunjungan belajar."
        )
    return (
        f"{first} Bagian yang paling mudah ditiru adalah {_lower_first(c.adaptation)}. "
        "Kebutuhan biayanya kecil dan alurnya dapat disesuaikan dengan jumlah petugas, "
        "sehingga cocok untuk daerah lain dengan masalah serupa."
    )


def _sumber_daya(rng: random.Random, c: AnswerContext) -> str:
    budget = rng.choice((35, 50, 75, 120, 150, 250, 400))
    staff = rng.randint(4, 25)
    equipment = (
        "server dan perangkat pendukung aplikasi"
        if c.is_digital
        else "kendaraan operasional dan perlengkapan layanan keliling"
    )
    return (
        f"Anggaran sekitar Rp{budget} juta per tahun dari {c.funding}. Sumber daya manusia: "
        f"{staff} petugas terlatih dan seorang koordinator. Metode kerja mengikuti standar "
        f"operasional prosedur yang ditetapkan. Peralatan utama: {equipment}."
    )


def _keberlanjutan(rng: random.Random, c: AnswerContext) -> str:
    return " ".join(
        (rng.choice(SUSTAIN), rng.choice(SUSTAIN_MANAGERIAL), rng.choice(SUSTAIN_SOCIAL))
    )


def _inspirasi(rng: random.Random, c: AnswerContext) -> str:
    source = c.source
    if source is None:
        return "Inovasi ini tidak mereplikasi inovasi lain."
    held = f", {source.tier}" if source.tier else ""
    return (
        f"Terinspirasi oleh {source.name} dari {source.institution}{held}, karena masalah "
        "yang dihadapi serupa dan hasilnya sudah terbukti."
    )


def _proses_replikasi(rng: random.Random, c: AnswerContext) -> str:
    steps = "; ".join(STEPS_REPLICATION)
    source = c.source.institution if c.source else "instansi asal"
    return (
        f"Replikasi dari {source} ditempuh dalam lima langkah: {steps}. Yang diadopsi: "
        f"{_lower_first(c.source.adaptation if c.source else c.adaptation)}."
    )


def _faktor_pembeda(rng: random.Random, c: AnswerContext) -> str:
    difference = c.source.differences if c.source and c.source.differences else ""
    return (
        f"{difference or 'Disesuaikan dengan kondisi wilayah dan jumlah petugas.'} Sasaran di "
        f"{c.institution} juga mencakup warga di wilayah yang lebih terpencil."
    )


def _kontribusi_tpb(rng: random.Random, c: AnswerContext) -> str:
    goals = "; ".join(f"TPB {goal} ({SDG_NAMES[goal]})" for goal in c.sdg_goals)
    return (
        f"Inovasi ini mendukung {goals}. Kontribusinya terlihat pada capaian layanan bagi "
        f"{_lower_first(c.beneficiaries)} yang dilaporkan dalam dokumen perencanaan daerah."
    )


def _kolaborasi(rng: random.Random, c: AnswerContext) -> str:
    partners = rng.sample(PARTNERS, 3)
    return (
        f"{c.unit} bekerja sama dengan {partners[0]}, {partners[1]}, dan {partners[2]}. "
        "Pembagian peran dituangkan dalam kesepakatan tertulis dan dibahas dalam rapat "
        "koordinasi berkala."
    )


SECTION_WRITERS = {
    "ringkasan": _ringkasan,
    "latar_belakang": _latar_belakang,
    "kebaruan": _kebaruan,
    "ide_inovatif": _kebaruan,
    "implementasi": _implementasi,
    "signifikansi": _signifikansi,
    "adaptabilitas": _adaptabilitas,
    "sumber_daya": _sumber_daya,
    "keberlanjutan": _keberlanjutan,
    "inspirasi": _inspirasi,
    "proses_replikasi": _proses_replikasi,
    "faktor_pembeda": _faktor_pembeda,
    "kontribusi_tpb": _kontribusi_tpb,
    "kolaborasi": _kolaborasi,
}


def _fit(text: str, limit: int) -> str:
    """At most ``limit`` whitespace-separated tokens (the word count never exceeds it)."""
    tokens = text.split()
    if len(tokens) <= limit:
        return text
    return " ".join(tokens[:limit]).rstrip(",;:") + "."


def answers(
    rng: random.Random,
    context: AnswerContext,
    limits: dict[str, int],
    *,
    careless: bool = False,
) -> dict[str, str]:
    """Section code → answer for the sections in ``limits`` (code → max words).

    A careless proposal repeats its summary in every section, as the admin check's
    ``careless_content`` reason describes (copied or irrelevant answers).
    """
    result: dict[str, str] = {}
    summary = _fit(_ringkasan(rng, context), limits.get("ringkasan", 200))
    for code, limit in limits.items():
        if careless and code != "ringkasan":
            text = summary
        else:
            writer = SECTION_WRITERS.get(code)
            text = writer(rng, context) if writer else summary
        result[code] = _fit(text, limit)
    return result


# --------------------------------------------------------------------------- review notes

NOTES_BY_LEVEL = {
    "high": (
        "Inovasi sangat relevan dengan kategori; dampak terukur dan didukung dokumen evaluasi.",
        "Uraian lengkap dan konsisten; potensi replikasi tinggi dan sudah terbukti.",
        "Kebaruan jelas, data sebelum–sesudah meyakinkan, keberlanjutan terjamin regulasi.",
    ),
    "mid": (
        "Inovasi relevan, tetapi data dampak belum dibandingkan dengan kondisi awal.",
        "Cukup baik; strategi keberlanjutan perlu diperkuat dengan dasar hukum.",
        "Uraian implementasi jelas, namun bukti replikasi masih terbatas.",
    ),
    "low": (
        "Uraian umum dan kurang didukung data; kebaruan tidak tampak jelas.",
        "Dampak belum terukur; beberapa bagian mengulang isi ringkasan.",
        "Inovasi lebih menyerupai program rutin daripada terobosan layanan.",
    ),
}
SECTION_COMMENTS = (
    "Perlu data pembanding sebelum inovasi.",
    "Sudah didukung bukti yang memadai.",
    "Uraian terlalu umum.",
    "Target terukur dan realistis.",
    "Belum menjelaskan sumber pendanaan lanjutan.",
)


def review_note(rng: random.Random, total: float) -> str:
    level = "high" if total >= 85 else "mid" if total >= 65 else "low"
    return rng.choice(NOTES_BY_LEVEL[level])


def section_comment(rng: random.Random) -> str:
    return rng.choice(SECTION_COMMENTS)


# --------------------------------------------------------------------------- people

# fmt: off
MALE = (
    "Agus", "Ahmad", "Andi", "Arief", "Bambang", "Budi", "Dedi", "Eko", "Fajar", "Hadi",
    "Hendra", "Imam", "Irwan", "Joko", "Kurniawan", "Muhammad", "Nugroho", "Rahmat", "Rudi",
    "Slamet", "Taufik", "Teguh", "Wahyu", "Yusuf", "Zainal", "Bayu", "Dimas", "Rizky",
)
# fmt: on
# fmt: off
FEMALE = (
    "Ani", "Dewi", "Endang", "Fitri", "Indah", "Intan", "Kartika", "Lestari", "Maya", "Nur",
    "Putri", "Ratna", "Rina", "Sari", "Sri", "Tuti", "Wulan", "Yanti", "Nurul", "Diah",
    "Anisa", "Retno", "Siti", "Hesti", "Melati", "Ayu",
)
# fmt: on
# fmt: off
FAMILY = (
    "Santoso", "Wibowo", "Saputra", "Hidayat", "Pratama", "Setiawan", "Siregar", "Nasution",
    "Harahap", "Lubis", "Simanjuntak", "Sitompul", "Tanjung", "Rangkuti", "Wijaya",
    "Kusuma", "Gunawan", "Halim", "Utomo", "Susanto", "Rahman", "Syahputra", "Purnomo",
    "Hakim", "Firmansyah", "Lestari", "Anggraini", "Rahayu", "Puspitasari", "Permana",
    "Mahendra", "Suryadi", "Marpaung", "Sinaga", "Pohan", "Daulay", "Manurung", "Tambunan",
    "Pattiasina", "Latuconsina", "Mandagi", "Sumual", "Rumondor", "Daeng", "Mappanyukki",
)
# fmt: on
DEGREES = (
    "S.Sos., M.Si.",
    "S.IP., M.A.",
    "S.E., M.M.",
    "S.KM., M.Kes.",
    "S.T., M.T.",
    "S.H., M.H.",
    "S.P., M.Si.",
    "S.Si., M.Sc.",
    "S.AP., M.AP.",
)
PANEL_POSITIONS = (
    "Akademisi, anggota Tim Panel Independen",
    "Praktisi pelayanan publik, anggota Tim Panel Independen",
    "Jurnalis senior, anggota Tim Panel Independen",
    "Perwakilan organisasi masyarakat sipil, anggota Tim Panel Independen",
)


def person_name(rng: random.Random, *, academic: bool) -> str:
    """An Indonesian name; academics carry their title and degrees."""
    first = rng.choice(MALE + FEMALE)
    family = rng.choice(FAMILY)
    name = f"{first} {family}" if family != first else first
    if not academic:
        return name
    title = rng.choice(("Dr. ", "Dr. ", "Dr. ", "Prof. Dr. "))
    return f"{title}{name}, {rng.choice(DEGREES)}"
