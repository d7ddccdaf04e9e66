"""Plausible service catalogues for the demo units, by the unit's name and kind.

Codes follow mpp.md §3 (upper-case letters, digits, hyphens; unique per institution): when
several units of one institution offer the same service (twenty Puskesmas of a regency),
the second and later get a number, e.g. ``POLI-UMUM-2``.
"""

from __future__ import annotations

from prima.core.enums import UnitKind

Catalogue = tuple[tuple[str, str], ...]

# Checked in order against the unit's name; the first match wins.
BY_NAME: tuple[tuple[str, Catalogue], ...] = (
    (
        "Kependudukan",
        (
            ("KK-BARU", "Penerbitan Kartu Keluarga baru"),
            ("KTP-EL", "Perekaman dan pencetakan KTP elektronik"),
            ("AKTA-LAHIR", "Penerbitan akta kelahiran"),
            ("PINDAH-DATANG", "Surat keterangan pindah dan datang"),
        ),
    ),
    (
        "Penanaman Modal",
        (
            ("PBG", "Persetujuan Bangunan Gedung"),
            ("NIB-PENDAMPINGAN", "Pendampingan Nomor Induk Berusaha (OSS)"),
            ("IZIN-REKLAME", "Izin penyelenggaraan reklame"),
        ),
    ),
    (
        "Kesehatan",
        (
            ("SIP-NAKES", "Surat izin praktik tenaga kesehatan"),
            ("IZIN-APOTEK", "Izin apotek dan toko obat"),
            ("RUJUKAN-DATA", "Layanan data dan informasi kesehatan"),
        ),
    ),
    (
        "Pekerjaan Umum",
        (
            ("REKOM-TEKNIS", "Rekomendasi teknis bangunan gedung"),
            ("KRK", "Keterangan Rencana Kota"),
            ("ADUAN-JALAN", "Penanganan aduan jalan dan drainase"),
        ),
    ),
    (
        "Perhubungan",
        (
            ("UJI-KIR", "Pengujian berkala kendaraan bermotor"),
            ("IZIN-TRAYEK", "Izin trayek angkutan umum"),
        ),
    ),
    (
        "Tenaga Kerja",
        (
            ("KARTU-AK1", "Kartu tanda pencari kerja (AK/I)"),
            ("PELATIHAN-KERJA", "Pendaftaran pelatihan kerja"),
        ),
    ),
    (
        "Pendidikan",
        (
            ("LEGALISIR-IJAZAH", "Legalisasi ijazah"),
            ("MUTASI-SISWA", "Rekomendasi mutasi siswa"),
        ),
    ),
    (
        "Sosial",
        (
            ("DTKS", "Pendaftaran Data Terpadu Kesejahteraan Sosial"),
            ("SKTM", "Surat keterangan tidak mampu"),
        ),
    ),
    (
        "Perpustakaan",
        (
            ("KARTU-ANGGOTA", "Pendaftaran anggota perpustakaan"),
            ("PINJAM-BUKU", "Peminjaman koleksi"),
        ),
    ),
    (
        "Pendapatan",
        (
            ("PBB-P2", "Pelayanan PBB perdesaan dan perkotaan"),
            ("BPHTB", "Validasi BPHTB"),
        ),
    ),
)

BY_KIND: dict[str, Catalogue] = {
    UnitKind.PUSKESMAS: (
        ("POLI-UMUM", "Pemeriksaan poli umum"),
        ("KIA", "Kesehatan ibu dan anak"),
        ("IMUNISASI", "Imunisasi"),
        ("LAB", "Laboratorium sederhana"),
    ),
    UnitKind.RSUD: (
        ("RAWAT-JALAN", "Rawat jalan"),
        ("IGD", "Instalasi gawat darurat"),
        ("RAWAT-INAP", "Rawat inap"),
        ("LAB-KLINIK", "Laboratorium klinik"),
    ),
    UnitKind.KECAMATAN: (
        ("SKU", "Surat keterangan usaha"),
        ("LEGALISASI", "Legalisasi dokumen"),
        ("REKOM-NIKAH", "Surat pengantar nikah"),
    ),
    UnitKind.SAMSAT: (
        ("PKB-TAHUNAN", "Pembayaran pajak kendaraan tahunan"),
        ("STNK-5TH", "Pengesahan STNK lima tahunan"),
        ("BBNKB", "Balik nama kendaraan bermotor"),
    ),
    UnitKind.MPP: (
        ("INFO-MPP", "Informasi dan antrean MPP"),
        ("PENGADUAN-MPP", "Pengaduan layanan MPP"),
    ),
}

GENERIC: Catalogue = (
    ("INFO-PUBLIK", "Permohonan informasi publik"),
    ("REKOMENDASI", "Penerbitan surat rekomendasi"),
    ("PENGADUAN", "Penanganan pengaduan"),
)


def catalogue_for(name: str, kind: str) -> Catalogue:
    """The services a unit of this name and kind plausibly offers."""
    for word, services in BY_NAME:
        if word in name:
            return services
    return BY_KIND.get(kind, GENERIC)


def unique_codes(catalogue: Catalogue, taken: set[str]) -> list[tuple[str, str]]:
    """The catalogue with codes made unique within an institution (``taken`` is updated)."""
    chosen: list[tuple[str, str]] = []
    for code, name in catalogue:
        candidate, number = code, 1
        while candidate in taken:
            number += 1
            candidate = f"{code}-{number}"
        taken.add(candidate)
        chosen.append((candidate, name))
    return chosen
