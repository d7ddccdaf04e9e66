"""Who evaluates in the demo: universities, expertise areas and the category mapping.

The 2025 Tim Evaluasi came from ten universities (kipp.md §3); the demo draws its
evaluators from ten large Indonesian universities, each with the provinces its staff
usually live in. Expertise areas carry the keywords the TF-IDF affinity matches against
proposal text, and the categories (2021 sectoral codes, 2025 Asta Cita codes) that the
category affinity of §10.1 would use.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class University:
    name: str
    # Home provinces of its staff, most common first (BPS province codes).
    provinces: tuple[str, ...]


UNIVERSITIES: tuple[University, ...] = (
    University("Universitas Indonesia", ("32", "31", "36")),
    University("Universitas Gadjah Mada", ("34", "33")),
    University("Institut Teknologi Bandung", ("32",)),
    University("IPB University", ("32", "31")),
    University("Universitas Airlangga", ("35",)),
    University("Universitas Diponegoro", ("33",)),
    University("Universitas Hasanuddin", ("73",)),
    University("Universitas Brawijaya", ("35",)),
    University("Universitas Sumatera Utara", ("12",)),
    University("Universitas Andalas", ("13",)),
)


@dataclass(frozen=True)
class ExpertiseArea:
    keywords: str
    categories_2021: tuple[str, ...]
    categories_2025: tuple[str, ...]


EXPERTISE_AREAS: tuple[ExpertiseArea, ...] = (
    ExpertiseArea(
        "kesehatan masyarakat, puskesmas, gizi, stunting, kesehatan ibu dan anak",
        ("kesehatan",),
        ("AC4",),
    ),
    ExpertiseArea(
        "administrasi kependudukan, pencatatan sipil, pelayanan terpadu, mal pelayanan publik",
        ("tata_kelola_pemerintahan",),
        ("AC7",),
    ),
    ExpertiseArea(
        "perizinan berusaha, investasi, usaha mikro kecil menengah, ekonomi lokal",
        ("pertumbuhan_ekonomi_kesempatan_kerja",),
        ("AC3",),
    ),
    ExpertiseArea(
        "pendidikan, sekolah, literasi, perpustakaan",
        ("pendidikan",),
        ("AC4",),
    ),
    ExpertiseArea(
        "lingkungan hidup, pengelolaan sampah, air bersih, sanitasi",
        ("perlindungan_pelestarian_lingkungan_hidup",),
        ("AC8", "AC2"),
    ),
    ExpertiseArea(
        "pertanian, perikanan, ketahanan pangan, harga pangan",
        ("ketahanan_pangan",),
        ("AC2", "AC5"),
    ),
    ExpertiseArea(
        "tata kelola pemerintahan, akuntabilitas, kepegawaian, pengaduan masyarakat",
        ("tata_kelola_pemerintahan",),
        ("AC7",),
    ),
    ExpertiseArea(
        "pemerintahan digital, aplikasi layanan, data, sistem informasi",
        ("tata_kelola_pemerintahan",),
        ("AC7", "AC3"),
    ),
    ExpertiseArea(
        "penanggulangan kemiskinan, perlindungan sosial, pemberdayaan desa",
        ("pengentasan_kemiskinan", "pemberdayaan_masyarakat"),
        ("AC6",),
    ),
    ExpertiseArea(
        "kesetaraan gender, perlindungan perempuan dan anak, disabilitas, lanjut usia",
        ("pelayanan_publik_responsif_gender",),
        ("AC4", "AC1"),
    ),
    ExpertiseArea(
        "transportasi, pariwisata, tata ruang, infrastruktur",
        ("pertumbuhan_ekonomi_kesempatan_kerja",),
        ("AC3",),
    ),
    ExpertiseArea(
        "penegakan hukum, ketertiban umum, penanggulangan bencana",
        ("penegakan_hukum",),
        ("AC7", "AC2"),
    ),
    ExpertiseArea(
        "industri pengolahan, hilirisasi, koperasi, ekonomi kreatif",
        ("pertumbuhan_ekonomi_kesempatan_kerja",),
        ("AC5", "AC3"),
    ),
)

# The demo login `evaluator` (Dr. Hendra Wijaya, public administration).
LOGIN_EXPERTISE = (
    "administrasi publik, tata kelola pemerintahan, pelayanan terpadu, pemerintahan digital, "
    "pengaduan masyarakat, administrasi kependudukan"
)
LOGIN_UNIVERSITY = "Universitas Indonesia"
LOGIN_PROVINCE = "31"

# 2021 sectoral category → 2025 Asta Cita goal (kipp.md §6.1), refined per theme below.
ASTA_CITA_BY_CATEGORY = {
    "pengentasan_kemiskinan": "AC6",
    "pendidikan": "AC4",
    "kesehatan": "AC4",
    "ketahanan_pangan": "AC2",
    "pertumbuhan_ekonomi_kesempatan_kerja": "AC3",
    "pemberdayaan_masyarakat": "AC6",
    "pelayanan_publik_responsif_gender": "AC4",
    "perlindungan_pelestarian_lingkungan_hidup": "AC8",
    "tata_kelola_pemerintahan": "AC7",
    "penegakan_hukum": "AC7",
}
ASTA_CITA_BY_THEME = {
    "pemilu": "AC1",
    "perlindungan_perempuan_anak": "AC1",
    "air_sanitasi": "AC2",
    "bencana": "AC2",
    "perikanan": "AC5",
    "umkm": "AC5",
    "keagamaan": "AC8",
    "pariwisata": "AC8",
    "data_kemiskinan": "AC6",
    "bedah_rumah": "AC6",
    "layanan_kecamatan": "AC6",
}


def asta_cita(theme: str, categories: tuple[str, ...]) -> str:
    """The 2025 category of an innovation: by theme where it is specific, else by sector."""
    if theme in ASTA_CITA_BY_THEME:
        return ASTA_CITA_BY_THEME[theme]
    return ASTA_CITA_BY_CATEGORY.get(categories[0] if categories else "", "AC7")
