"""Central institutions of the demo: ministries, national agencies and enterprises.

Names are public facts: the 34 ministries of the Kabinet Indonesia Maju after the April
2021 reshuffle (4 coordinating ministries and 30 ministries), 46 national agencies
(non-ministerial agencies and other state bodies), five state enterprises (BUMN) and a
few regional enterprises (BUMD) with the local government that owns them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CentralInstitution:
    name: str
    short_name: str
    email_domain: str = ""
    # Vertical offices: one per province ({province}: "Sumatera Barat") and one per
    # regency/city ({region}: "Kota Payakumbuh").
    province_office: str = ""
    local_office: str = ""
    # What the vertical offices do, for matching innovation themes (see innovations.py).
    office_tag: str = ""


# Order: the four coordinating ministries first, then the ministries as listed in the
# cabinet (Perpres 68/2019 as amended in 2021).
MINISTRIES: tuple[CentralInstitution, ...] = (
    CentralInstitution(
        "Kementerian Koordinator Bidang Politik, Hukum, dan Keamanan",
        "Kemenko Polhukam",
        "polkam.go.id",
    ),
    CentralInstitution(
        "Kementerian Koordinator Bidang Perekonomian", "Kemenko Perekonomian", "ekon.go.id"
    ),
    CentralInstitution(
        "Kementerian Koordinator Bidang Kemaritiman dan Investasi",
        "Kemenko Marves",
        "maritim.go.id",
    ),
    CentralInstitution(
        "Kementerian Koordinator Bidang Pembangunan Manusia dan Kebudayaan",
        "Kemenko PMK",
        "kemenkopmk.go.id",
    ),
    CentralInstitution("Kementerian Sekretariat Negara", "Kemensetneg", "setneg.go.id"),
    CentralInstitution("Kementerian Dalam Negeri", "Kemendagri", "kemendagri.go.id"),
    CentralInstitution("Kementerian Luar Negeri", "Kemenlu", "kemlu.go.id"),
    CentralInstitution("Kementerian Pertahanan", "Kemhan", "kemhan.go.id"),
    CentralInstitution(
        "Kementerian Agama",
        "Kemenag",
        "kemenag.go.id",
        province_office="Kantor Wilayah Kementerian Agama Provinsi {province}",
        local_office="Kantor Kementerian Agama {region}",
        office_tag="keagamaan",
    ),
    CentralInstitution(
        "Kementerian Hukum dan Hak Asasi Manusia",
        "Kemenkumham",
        "kemenkumham.go.id",
        province_office="Kantor Wilayah Kementerian Hukum dan HAM {province}",
        office_tag="hukum",
    ),
    CentralInstitution(
        "Kementerian Keuangan",
        "Kemenkeu",
        "kemenkeu.go.id",
        province_office="Kantor Wilayah Direktorat Jenderal Perbendaharaan Provinsi {province}",
        office_tag="keuangan",
    ),
    CentralInstitution(
        "Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi",
        "Kemendikbudristek",
        "kemdikbud.go.id",
        province_office="Balai Penjaminan Mutu Pendidikan Provinsi {province}",
        office_tag="pendidikan",
    ),
    CentralInstitution("Kementerian Kesehatan", "Kemenkes", "kemkes.go.id"),
    CentralInstitution("Kementerian Sosial", "Kemensos", "kemensos.go.id"),
    CentralInstitution("Kementerian Ketenagakerjaan", "Kemnaker", "kemnaker.go.id"),
    CentralInstitution("Kementerian Perindustrian", "Kemenperin", "kemenperin.go.id"),
    CentralInstitution("Kementerian Perdagangan", "Kemendag", "kemendag.go.id"),
    CentralInstitution(
        "Kementerian Energi dan Sumber Daya Mineral", "Kementerian ESDM", "esdm.go.id"
    ),
    CentralInstitution(
        "Kementerian Pekerjaan Umum dan Perumahan Rakyat", "Kementerian PUPR", "pu.go.id"
    ),
    CentralInstitution("Kementerian Perhubungan", "Kemenhub", "dephub.go.id"),
    CentralInstitution("Kementerian Komunikasi dan Informatika", "Kemenkominfo", "kominfo.go.id"),
    CentralInstitution("Kementerian Pertanian", "Kementan", "pertanian.go.id"),
    CentralInstitution("Kementerian Lingkungan Hidup dan Kehutanan", "KLHK", "menlhk.go.id"),
    CentralInstitution("Kementerian Kelautan dan Perikanan", "KKP", "kkp.go.id"),
    CentralInstitution(
        "Kementerian Desa, Pembangunan Daerah Tertinggal, dan Transmigrasi",
        "Kemendes PDTT",
        "kemendesa.go.id",
    ),
    CentralInstitution(
        "Kementerian Agraria dan Tata Ruang/Badan Pertanahan Nasional",
        "Kementerian ATR/BPN",
        "atrbpn.go.id",
        province_office="Kantor Wilayah Badan Pertanahan Nasional Provinsi {province}",
        local_office="Kantor Pertanahan {region}",
        office_tag="pertanahan",
    ),
    CentralInstitution(
        "Kementerian Perencanaan Pembangunan Nasional/Badan Perencanaan Pembangunan Nasional",
        "Kementerian PPN/Bappenas",
        "bappenas.go.id",
    ),
    CentralInstitution(
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
        "KemenPANRB",
        "menpan.go.id",
    ),
    CentralInstitution("Kementerian Badan Usaha Milik Negara", "Kementerian BUMN", "bumn.go.id"),
    CentralInstitution(
        "Kementerian Koperasi dan Usaha Kecil dan Menengah", "KemenKopUKM", "kemenkopukm.go.id"
    ),
    CentralInstitution(
        "Kementerian Pariwisata dan Ekonomi Kreatif/Badan Pariwisata dan Ekonomi Kreatif",
        "Kemenparekraf",
        "kemenparekraf.go.id",
    ),
    CentralInstitution(
        "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak",
        "KemenPPPA",
        "kemenpppa.go.id",
    ),
    CentralInstitution("Kementerian Pemuda dan Olahraga", "Kemenpora", "kemenpora.go.id"),
    CentralInstitution(
        "Kementerian Investasi/Badan Koordinasi Penanaman Modal",
        "Kementerian Investasi/BKPM",
        "bkpm.go.id",
    ),
)

AGENCIES: tuple[CentralInstitution, ...] = (
    CentralInstitution(
        "Badan Pusat Statistik",
        "BPS",
        "bps.go.id",
        province_office="Badan Pusat Statistik Provinsi {province}",
        local_office="Badan Pusat Statistik {region}",
        office_tag="statistik",
    ),
    CentralInstitution("Badan Meteorologi, Klimatologi, dan Geofisika", "BMKG", "bmkg.go.id"),
    CentralInstitution(
        "Badan Pengawas Obat dan Makanan",
        "BPOM",
        "pom.go.id",
        province_office="Balai Pengawas Obat dan Makanan Provinsi {province}",
        office_tag="pom",
    ),
    CentralInstitution("Badan Kepegawaian Negara", "BKN", "bkn.go.id"),
    CentralInstitution("Lembaga Administrasi Negara", "LAN", "lan.go.id"),
    CentralInstitution("Arsip Nasional Republik Indonesia", "ANRI", "anri.go.id"),
    CentralInstitution(
        "Badan Pengawasan Keuangan dan Pembangunan",
        "BPKP",
        "bpkp.go.id",
        province_office="Perwakilan BPKP Provinsi {province}",
        office_tag="pengawasan",
    ),
    CentralInstitution(
        "Badan Narkotika Nasional",
        "BNN",
        "bnn.go.id",
        province_office="Badan Narkotika Nasional Provinsi {province}",
        office_tag="narkotika",
    ),
    CentralInstitution("Badan Nasional Penanggulangan Bencana", "BNPB", "bnpb.go.id"),
    CentralInstitution("Badan Nasional Penanggulangan Terorisme", "BNPT", "bnpt.go.id"),
    CentralInstitution("Badan Siber dan Sandi Negara", "BSSN", "bssn.go.id"),
    CentralInstitution("Badan Riset dan Inovasi Nasional", "BRIN", "brin.go.id"),
    CentralInstitution(
        "Badan Kependudukan dan Keluarga Berencana Nasional",
        "BKKBN",
        "bkkbn.go.id",
        province_office="Perwakilan BKKBN Provinsi {province}",
        office_tag="kb",
    ),
    CentralInstitution("Badan Informasi Geospasial", "BIG", "big.go.id"),
    CentralInstitution("Badan Standardisasi Nasional", "BSN", "bsn.go.id"),
    CentralInstitution("Badan Pengawas Tenaga Nuklir", "Bapeten", "bapeten.go.id"),
    CentralInstitution("Badan Keamanan Laut", "Bakamla", "bakamla.go.id"),
    CentralInstitution("Badan Nasional Pencarian dan Pertolongan", "Basarnas", "basarnas.go.id"),
    CentralInstitution("Badan Pangan Nasional", "Bapanas", "badanpangan.go.id"),
    CentralInstitution("Perpustakaan Nasional Republik Indonesia", "Perpusnas", "perpusnas.go.id"),
    CentralInstitution("Lembaga Ketahanan Nasional", "Lemhannas", "lemhannas.go.id"),
    CentralInstitution("Badan Pembinaan Ideologi Pancasila", "BPIP", "bpip.go.id"),
    CentralInstitution("Badan Nasional Pengelola Perbatasan", "BNPP", "bnpp.go.id"),
    CentralInstitution("Badan Pelindungan Pekerja Migran Indonesia", "BP2MI", "bp2mi.go.id"),
    CentralInstitution("Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah", "LKPP", "lkpp.go.id"),
    CentralInstitution("Badan Intelijen Negara", "BIN", "bin.go.id"),
    CentralInstitution(
        "Kepolisian Negara Republik Indonesia",
        "Polri",
        "polri.go.id",
        province_office="Kepolisian Daerah {province}",
        office_tag="kepolisian",
    ),
    CentralInstitution(
        "Kejaksaan Republik Indonesia",
        "Kejaksaan RI",
        "kejaksaan.go.id",
        province_office="Kejaksaan Tinggi {province}",
        office_tag="hukum",
    ),
    CentralInstitution(
        "Ombudsman Republik Indonesia",
        "Ombudsman RI",
        "ombudsman.go.id",
        province_office="Ombudsman RI Perwakilan {province}",
        office_tag="pengaduan",
    ),
    CentralInstitution(
        "Badan Penyelenggara Jaminan Sosial Kesehatan",
        "BPJS Kesehatan",
        "bpjs-kesehatan.go.id",
    ),
    CentralInstitution(
        "Badan Penyelenggara Jaminan Sosial Ketenagakerjaan",
        "BPJS Ketenagakerjaan",
        "bpjsketenagakerjaan.go.id",
    ),
    CentralInstitution("Komisi Pemberantasan Korupsi", "KPK", "kpk.go.id"),
    CentralInstitution("Komisi Nasional Hak Asasi Manusia", "Komnas HAM", "komnasham.go.id"),
    CentralInstitution(
        "Komisi Pemilihan Umum",
        "KPU",
        "kpu.go.id",
        province_office="Komisi Pemilihan Umum Provinsi {province}",
        office_tag="pemilu",
    ),
    CentralInstitution(
        "Badan Pengawas Pemilihan Umum",
        "Bawaslu",
        "bawaslu.go.id",
        province_office="Badan Pengawas Pemilihan Umum Provinsi {province}",
        office_tag="pemilu",
    ),
    CentralInstitution(
        "Mahkamah Agung Republik Indonesia", "Mahkamah Agung", "mahkamahagung.go.id"
    ),
    CentralInstitution(
        "Badan Pengusahaan Kawasan Perdagangan Bebas dan Pelabuhan Bebas Batam",
        "BP Batam",
        "bpbatam.go.id",
    ),
    CentralInstitution("Tentara Nasional Indonesia", "TNI", "tni.mil.id"),
    CentralInstitution("Badan Pemeriksa Keuangan", "BPK", "bpk.go.id"),
    CentralInstitution("Mahkamah Konstitusi Republik Indonesia", "Mahkamah Konstitusi", "mkri.id"),
    CentralInstitution(
        "Komisi Yudisial Republik Indonesia", "Komisi Yudisial", "komisiyudisial.go.id"
    ),
    CentralInstitution("Pusat Pelaporan dan Analisis Transaksi Keuangan", "PPATK", "ppatk.go.id"),
    CentralInstitution("Sekretariat Kabinet Republik Indonesia", "Setkab", "setkab.go.id"),
    CentralInstitution("Badan Restorasi Gambut dan Mangrove", "BRGM", "brgm.go.id"),
    CentralInstitution("Lembaga Perlindungan Saksi dan Korban", "LPSK", "lpsk.go.id"),
    CentralInstitution("Badan Karantina Indonesia", "Barantin", "karantinaindonesia.go.id"),
)

STATE_ENTERPRISES: tuple[CentralInstitution, ...] = (
    CentralInstitution("PT PLN (Persero)", "PLN", "pln.co.id"),
    CentralInstitution("PT Pertamina (Persero)", "Pertamina", "pertamina.com"),
    CentralInstitution("PT Kereta Api Indonesia (Persero)", "KAI", "kai.id"),
    CentralInstitution("PT Pos Indonesia (Persero)", "Pos Indonesia", "posindonesia.co.id"),
    CentralInstitution("PT Bank Rakyat Indonesia (Persero) Tbk", "BRI", "bri.co.id"),
)

# Service units of the state enterprises: their customer-facing offices.
STATE_ENTERPRISE_UNITS: dict[str, tuple[str, ...]] = {
    "PLN": (
        "PLN Unit Induk Distribusi Jakarta Raya",
        "PLN Unit Induk Distribusi Jawa Barat",
        "PLN Unit Induk Distribusi Jawa Tengah dan D.I. Yogyakarta",
        "PLN Unit Induk Distribusi Jawa Timur",
        "PLN Unit Induk Distribusi Bali",
        "PLN Unit Induk Wilayah Sumatera Barat",
        "PLN Unit Induk Wilayah Sulawesi Selatan, Tenggara, dan Barat",
        "PLN Unit Induk Wilayah Papua dan Papua Barat",
    ),
    "Pertamina": (
        "Pertamina Patra Niaga Regional Jawa Bagian Barat",
        "Pertamina Patra Niaga Regional Jawa Bagian Tengah",
        "Pertamina Patra Niaga Regional Jawa Timur, Bali, dan Nusa Tenggara",
        "Pertamina Patra Niaga Regional Sumatera Bagian Utara",
        "Pertamina Patra Niaga Regional Kalimantan",
        "Pertamina Patra Niaga Regional Sulawesi",
    ),
    "KAI": (
        "KAI Daerah Operasi 1 Jakarta",
        "KAI Daerah Operasi 2 Bandung",
        "KAI Daerah Operasi 4 Semarang",
        "KAI Daerah Operasi 6 Yogyakarta",
        "KAI Daerah Operasi 8 Surabaya",
        "KAI Divisi Regional II Sumatera Barat",
        "KAI Contact Center 121",
    ),
    "Pos Indonesia": (
        "Kantor Pos Jakarta Pusat",
        "Kantor Pos Bandung",
        "Kantor Pos Surabaya",
        "Kantor Pos Padang",
        "Kantor Pos Makassar",
        "Kantor Pos Payakumbuh",
    ),
    "BRI": (
        "BRI Kantor Wilayah Jakarta 1",
        "BRI Kantor Wilayah Padang",
        "BRI Kantor Wilayah Surabaya",
        "BRI Kantor Wilayah Makassar",
        "BRI Kantor Cabang Payakumbuh",
        "BRI Unit Layanan Kredit Usaha Rakyat",
    ),
}


@dataclass(frozen=True)
class RegionalEnterprise:
    name: str
    short_name: str
    # Kemendagri code of the owning local government's region.
    owner_region: str
    units: tuple[str, ...]


REGIONAL_ENTERPRISES: tuple[RegionalEnterprise, ...] = (
    RegionalEnterprise(
        "PT Bank Pembangunan Daerah Sumatera Barat",
        "Bank Nagari",
        "13",
        ("Bank Nagari Kantor Pusat", "Bank Nagari Cabang Payakumbuh"),
    ),
    RegionalEnterprise(
        "PT Bank Pembangunan Daerah Jawa Timur Tbk",
        "Bank Jatim",
        "35",
        ("Bank Jatim Kantor Pusat", "Bank Jatim Cabang Malang"),
    ),
    RegionalEnterprise(
        "PT Bank Pembangunan Daerah Jawa Barat dan Banten Tbk",
        "Bank BJB",
        "32",
        ("Bank BJB Kantor Pusat", "Bank BJB Cabang Bogor"),
    ),
    RegionalEnterprise(
        "PT Bank DKI",
        "Bank DKI",
        "31",
        ("Bank DKI Kantor Pusat", "Bank DKI Layanan JakOne"),
    ),
    RegionalEnterprise(
        "Perusahaan Umum Daerah Air Minum Jaya",
        "PAM Jaya",
        "31",
        ("PAM Jaya Kantor Pusat", "PAM Jaya Layanan Pelanggan"),
    ),
    RegionalEnterprise(
        "PT Transportasi Jakarta",
        "Transjakarta",
        "31",
        ("Transjakarta Layanan Pelanggan",),
    ),
    RegionalEnterprise(
        "Perusahaan Umum Daerah Air Minum Surya Sembada Kota Surabaya",
        "PDAM Surya Sembada",
        "35.78",
        ("PDAM Surya Sembada Kantor Pusat", "PDAM Surya Sembada Layanan Pelanggan"),
    ),
    RegionalEnterprise(
        "Perusahaan Umum Daerah Air Minum Tirta Pakuan Kota Bogor",
        "Perumda Tirta Pakuan",
        "32.71",
        ("Perumda Tirta Pakuan Kantor Pusat",),
    ),
    RegionalEnterprise(
        "Perusahaan Umum Daerah Air Minum Tirtawening Kota Bandung",
        "Perumda Tirtawening",
        "32.73",
        ("Perumda Tirtawening Kantor Pusat",),
    ),
    RegionalEnterprise(
        "Perusahaan Umum Daerah Air Minum Tirta Moedal Kota Semarang",
        "Perumda Tirta Moedal",
        "33.74",
        ("Perumda Tirta Moedal Kantor Pusat",),
    ),
    RegionalEnterprise(
        "Perusahaan Umum Daerah Air Minum Kota Padang",
        "Perumda AM Kota Padang",
        "13.71",
        ("Perumda Air Minum Kota Padang Kantor Pusat",),
    ),
)

# Units every ministry and agency has at its headquarters: (name pattern, unit kind, tag).
HEADQUARTERS_UNITS: tuple[tuple[str, str, str], ...] = (
    ("Unit Layanan Terpadu {short}", "kantor", "layanan_terpadu"),
    ("Pejabat Pengelola Informasi dan Dokumentasi {short}", "kantor", "informasi"),
    ("Biro Hubungan Masyarakat {short}", "biro", "informasi"),
    ("Biro Sumber Daya Manusia {short}", "biro", "kepegawaian"),
    ("Pusat Data dan Informasi {short}", "kantor", "data"),
)

# Further well-known service units of some central institutions, keyed by short name:
# (name, unit kind, tag, Kemendagri code of the unit's region or "" for national).
SPECIAL_UNITS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "Kemendagri": (
        ("Direktorat Jenderal Kependudukan dan Pencatatan Sipil", "kantor", "dukcapil", ""),
    ),
    "Kemenkumham": (
        ("Direktorat Jenderal Imigrasi", "kantor", "imigrasi", ""),
        ("Direktorat Jenderal Administrasi Hukum Umum", "kantor", "hukum", ""),
    ),
    "Kemenkeu": (
        ("Direktorat Jenderal Pajak", "kantor", "pajak", ""),
        ("Direktorat Jenderal Bea dan Cukai", "kantor", "pajak", ""),
    ),
    "Kemenkes": (
        ("RSUPN Dr. Cipto Mangunkusumo", "rsud", "rsud", "31.71"),
        ("RSUP Dr. Hasan Sadikin", "rsud", "rsud", "32.73"),
        ("RSUP Dr. Kariadi", "rsud", "rsud", "33.74"),
        ("RSUP Dr. Sardjito", "rsud", "rsud", "34.04"),
        ("RSUP Dr. M. Djamil", "rsud", "rsud", "13.71"),
        ("RSUP Dr. Wahidin Sudirohusodo", "rsud", "rsud", "73.71"),
    ),
    "Kemensos": (("Direktorat Jenderal Perlindungan dan Jaminan Sosial", "kantor", "sosial", ""),),
    "Kemenhub": (("Direktorat Jenderal Perhubungan Darat", "kantor", "perhubungan", ""),),
    "KemenPANRB": (("Deputi Bidang Pelayanan Publik", "kantor", "layanan_terpadu", ""),),
    "Kementerian Investasi/BKPM": (
        ("Layanan Online Single Submission", "kantor", "perizinan", ""),
    ),
    "Polri": (("Korps Lalu Lintas", "kantor", "kepolisian", ""),),
    "BKN": (
        ("Kantor Regional I BKN Yogyakarta", "kantor", "kepegawaian", "34.71"),
        ("Kantor Regional II BKN Surabaya", "kantor", "kepegawaian", "35.78"),
        ("Kantor Regional III BKN Bandung", "kantor", "kepegawaian", "32.73"),
        ("Kantor Regional IV BKN Makassar", "kantor", "kepegawaian", "73.71"),
        ("Kantor Regional V BKN Jakarta", "kantor", "kepegawaian", "31.75"),
        ("Kantor Regional VI BKN Medan", "kantor", "kepegawaian", "12.71"),
        ("Kantor Regional VII BKN Palembang", "kantor", "kepegawaian", "16.71"),
        ("Kantor Regional VIII BKN Banjarmasin", "kantor", "kepegawaian", "63.71"),
        ("Kantor Regional IX BKN Jayapura", "kantor", "kepegawaian", "91.71"),
        ("Kantor Regional X BKN Denpasar", "kantor", "kepegawaian", "51.71"),
        ("Kantor Regional XI BKN Manado", "kantor", "kepegawaian", "71.71"),
        ("Kantor Regional XII BKN Pekanbaru", "kantor", "kepegawaian", "14.71"),
        ("Kantor Regional XIII BKN Banda Aceh", "kantor", "kepegawaian", "11.71"),
        ("Kantor Regional XIV BKN Manokwari", "kantor", "kepegawaian", "92.02"),
    ),
    "BMKG": (
        ("Stasiun Meteorologi Minangkabau", "kantor", "cuaca", "13.05"),
        ("Stasiun Geofisika Padang Panjang", "kantor", "cuaca", "13.74"),
        ("Pusat Gempa Bumi dan Tsunami", "kantor", "cuaca", ""),
    ),
    "Mahkamah Agung": (
        ("Pengadilan Negeri Payakumbuh", "kantor", "peradilan", "13.76"),
        ("Pengadilan Agama Payakumbuh", "kantor", "peradilan", "13.76"),
        ("Pengadilan Negeri Surabaya", "kantor", "peradilan", "35.78"),
    ),
}
