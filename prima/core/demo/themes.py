"""Innovation themes: what public-service innovations in Indonesia typically look like.

Each theme lists the units it fits (by unit tag, see units.py), names in the style
innovators use (an acronym with its expansion, or a plain descriptive name), the KIPP
categories and SDG goals it serves, and texts with placeholders filled per innovation:
{unit}, {place}, {before}, {after}, {pct} and {count}.
"""

from __future__ import annotations

from dataclasses import dataclass

# Category codes of the registry (innovations migration 0002).
POVERTY = "pengentasan_kemiskinan"
EDUCATION = "pendidikan"
HEALTH = "kesehatan"
FOOD = "ketahanan_pangan"
ECONOMY = "pertumbuhan_ekonomi_kesempatan_kerja"
EMPOWERMENT = "pemberdayaan_masyarakat"
GENDER = "pelayanan_publik_responsif_gender"
ENVIRONMENT = "perlindungan_pelestarian_lingkungan_hidup"
GOVERNANCE = "tata_kelola_pemerintahan"
LAW = "penegakan_hukum"


@dataclass(frozen=True)
class Theme:
    key: str
    tags: frozenset[str]
    # (name, acronym, expansion of the acronym)
    names: tuple[tuple[str, str, str], ...]
    categories: tuple[str, ...]
    sdgs: tuple[int, ...]
    digital: bool
    # A noun phrase: "<name> adalah <summary>".
    summary: str
    problem: str
    approach: str
    results: str
    beneficiaries: str
    # What a replica usually takes over from its source.
    adaptation: str


def _t(tags: str) -> frozenset[str]:
    return frozenset(tags.split())


THEMES: tuple[Theme, ...] = (
    Theme(
        key="adminduk_jemput_bola",
        tags=_t("dukcapil kecamatan"),
        names=(
            ("Jemput Bola Adminduk", "", ""),
            ("PELITA", "PELITA", "Pelayanan Lansia dan Disabilitas Terpadu"),
            ("Dukcapil Menyapa Desa", "", ""),
            ("SIDAK KELING", "SIDAK KELING", "Sistem Dokumen Kependudukan Keliling"),
            ("Mobil Adminduk Keliling", "", ""),
            (
                "GEMA ADMINDUK",
                "GEMA ADMINDUK",
                "Gerakan Masyarakat Sadar Administrasi Kependudukan",
            ),
        ),
        categories=(GOVERNANCE, GENDER),
        sdgs=(16, 10),
        digital=False,
        summary=(
            "pelayanan administrasi kependudukan yang mendatangi warga yang sulit "
            "menjangkau kantor layanan"
        ),
        problem=(
            "Warga desa terpencil, lansia, dan penyandang disabilitas di {place} sulit datang "
            "ke kantor untuk merekam KTP-el dan mengurus akta; banyak anak belum memiliki "
            "akta kelahiran."
        ),
        approach=(
            "Petugas {unit} mendatangi desa, sekolah, panti, dan rumah warga dengan perangkat "
            "perekaman keliling sesuai jadwal yang diumumkan lewat kecamatan dan media sosial; "
            "dokumen dicetak di tempat atau diantar ke rumah."
        ),
        results=(
            "Cakupan akta kelahiran anak naik {pct} poin persen dalam dua tahun; {count} "
            "dokumen kependudukan diterbitkan di lokasi jemput bola."
        ),
        beneficiaries=(
            "Lansia, penyandang disabilitas, warga desa terpencil, dan anak usia sekolah."
        ),
        adaptation="Jadwal jemput bola per desa dan perangkat perekaman keliling.",
    ),
    Theme(
        key="adminduk_daring",
        tags=_t("dukcapil"),
        names=(
            ("SI-CEPAT", "SI-CEPAT", "Sistem Cetak Akta Tepat"),
            ("Dukcapil Dalam Genggaman", "", ""),
            ("LAMPID Online", "LAMPID", "Lahir, Mati, Pindah, Datang"),
            ("TAMAN", "TAMAN", "Tanpa Antre, Mandiri, Daring"),
            ("KIA Daring", "KIA", "Kartu Identitas Anak"),
            ("Cetak Mandiri Dokumen Kependudukan", "", ""),
        ),
        categories=(GOVERNANCE,),
        sdgs=(16,),
        digital=True,
        summary=(
            "layanan permohonan dokumen kependudukan secara daring, dari pengajuan sampai "
            "pencetakan mandiri"
        ),
        problem=(
            "Antrean di kantor {unit} mencapai ratusan orang per hari dan warga harus datang "
            "berulang kali untuk melengkapi berkas."
        ),
        approach=(
            "Permohonan akta, kartu keluarga, dan pindah-datang diajukan lewat aplikasi dan "
            "WhatsApp; berkas diverifikasi petugas, lalu dokumen bertanda tangan elektronik "
            "dicetak sendiri oleh warga di kertas HVS."
        ),
        results=(
            "Waktu penyelesaian dokumen turun dari {before} hari menjadi {after} hari; {count} "
            "permohonan diproses daring setiap tahun."
        ),
        beneficiaries="Seluruh penduduk yang mengurus dokumen kependudukan.",
        adaptation="Alur pengajuan daring, verifikasi berkas, dan cetak mandiri.",
    ),
    Theme(
        key="akta_lahir_fasilitas_kesehatan",
        tags=_t("dukcapil rsud puskesmas"),
        names=(
            ("Bayi Lahir Pulang Bawa Akta", "", ""),
            ("Tiga in Satu Kelahiran", "", ""),
            ("SIBAKUL", "SIBAKUL", "Sinergi Bersama Akta Kelahiran Langsung"),
            ("Akta Lahir Langsung Jadi", "", ""),
        ),
        categories=(GOVERNANCE, HEALTH),
        sdgs=(16, 3),
        digital=False,
        summary=(
            "penerbitan akta kelahiran, kartu keluarga, dan KIA sekaligus di fasilitas persalinan"
        ),
        problem=(
            "Banyak orang tua di {place} menunda pengurusan akta kelahiran karena harus datang "
            "sendiri ke kantor kependudukan setelah persalinan."
        ),
        approach=(
            "Bidan dan petugas {unit} mengirim data kelahiran langsung ke Disdukcapil; akta "
            "kelahiran, kartu keluarga baru, dan KIA diserahkan sebelum ibu dan bayi pulang."
        ),
        results=(
            "{pct}% bayi yang lahir di fasilitas mitra pulang membawa akta kelahiran; {count} "
            "akta terbit tanpa kunjungan ke kantor."
        ),
        beneficiaries="Ibu yang baru melahirkan dan bayinya.",
        adaptation="Kerja sama fasilitas persalinan dengan Disdukcapil dan formulir kelahiran.",
    ),
    Theme(
        key="perizinan_daring",
        tags=_t("perizinan mpp layanan_terpadu"),
        names=(
            ("IZOL", "IZOL", "Izin Online"),
            ("SIMPEL", "SIMPEL", "Sistem Perizinan Elektronik"),
            ("Izin Kilat", "", ""),
            ("PERISAI", "PERISAI", "Perizinan Satu Hari Selesai"),
            ("Antar Izin ke Rumah", "", ""),
            ("Klinik Perizinan Berusaha", "", ""),
        ),
        categories=(ECONOMY, GOVERNANCE),
        sdgs=(8, 16),
        digital=True,
        summary=(
            "perizinan berusaha yang diajukan, dilacak, dan diterbitkan secara elektronik "
            "tanpa tatap muka"
        ),
        problem=(
            "Pelaku usaha di {place} mengeluhkan izin yang lama terbit, persyaratan yang tidak "
            "jelas, dan kewajiban datang berkali-kali."
        ),
        approach=(
            "Permohonan diajukan daring dengan daftar persyaratan baku; statusnya dapat dilacak, "
            "izin ditandatangani secara elektronik oleh pimpinan {unit} dan dikirim lewat surel."
        ),
        results=(
            "Rata-rata waktu terbit izin turun dari {before} hari menjadi {after} hari; jumlah "
            "izin yang terbit naik {pct}%."
        ),
        beneficiaries="Pelaku usaha mikro, kecil, menengah, dan investor.",
        adaptation="Standar persyaratan, pelacakan status, dan tanda tangan elektronik.",
    ),
    Theme(
        key="mpp_terpadu",
        tags=_t("mpp"),
        names=(
            ("Satu Antrean untuk Semua Layanan", "", ""),
            ("MPP Keliling", "", ""),
            ("SAPA", "SAPA", "Sistem Antrean dan Pengaduan Mal Pelayanan"),
            ("MPP Ramah Kelompok Rentan", "", ""),
            ("Layanan MPP Akhir Pekan", "", ""),
        ),
        categories=(GOVERNANCE,),
        sdgs=(16, 10),
        digital=True,
        summary=(
            "penyatuan antrean dan informasi seluruh gerai layanan dalam satu mal pelayanan publik"
        ),
        problem=(
            "Warga {place} harus mendatangi banyak kantor dan mengantre di setiap loket untuk "
            "urusan yang saling berkaitan."
        ),
        approach=(
            "{unit} memakai satu nomor antrean untuk semua gerai instansi pusat, daerah, dan "
            "BUMN, menyediakan ruang laktasi, kursi roda, juru bahasa isyarat, dan survei "
            "kepuasan di setiap gerai."
        ),
        results=(
            "Waktu tunggu rata-rata turun dari {before} menit menjadi {after} menit; {count} "
            "pengunjung dilayani pada tahun pertama."
        ),
        beneficiaries="Seluruh warga, pelaku usaha, dan kelompok rentan.",
        adaptation="Sistem antrean tunggal dan standar fasilitas kelompok rentan.",
    ),
    Theme(
        key="antrean_kesehatan",
        tags=_t("puskesmas rsud"),
        names=(
            ("Antrean Online Puskesmas", "", ""),
            ("SI-ANTO", "SI-ANTO", "Sistem Antrean Online"),
            ("Daftar Berobat dari Rumah", "", ""),
            ("Pendaftaran Pasien via WhatsApp", "", ""),
            ("E-Rekam Medis Terpadu", "", ""),
        ),
        categories=(HEALTH,),
        sdgs=(3,),
        digital=True,
        summary="pendaftaran berobat dan antrean pasien secara daring",
        problem=(
            "Pasien {unit} datang sejak subuh untuk mendapat nomor antrean dan menunggu berjam-jam "
            "di ruang tunggu yang penuh."
        ),
        approach=(
            "Pasien mendaftar lewat aplikasi, SMS, atau WhatsApp, memilih poli dan jam "
            "kedatangan, lalu menerima pengingat ketika gilirannya hampir tiba."
        ),
        results=(
            "Waktu tunggu pasien turun dari {before} menit menjadi {after} menit; kepuasan "
            "pasien naik {pct} poin."
        ),
        beneficiaries="Pasien rawat jalan dan keluarganya.",
        adaptation="Pendaftaran daring dan pengingat giliran.",
    ),
    Theme(
        key="kesehatan_ibu",
        tags=_t("puskesmas kesehatan p3a kb"),
        names=(
            ("Gerakan Sayang Ibu", "", ""),
            ("Kelas Ibu Hamil Keliling", "", ""),
            ("SIBUNDA", "SIBUNDA", "Sistem Informasi Ibu dan Anak"),
            ("Rumah Tunggu Kelahiran", "", ""),
            ("Ambulans Desa", "", ""),
            ("Pendamping Ibu Hamil Risiko Tinggi", "", ""),
        ),
        categories=(HEALTH, GENDER),
        sdgs=(3, 5),
        digital=False,
        summary=(
            "pendampingan ibu hamil sampai persalinan yang aman, terutama ibu dengan risiko tinggi"
        ),
        problem=(
            "Angka kematian ibu di {place} masih tinggi; ibu hamil berisiko tinggi terlambat "
            "dirujuk karena jarak dan biaya."
        ),
        approach=(
            "Setiap ibu hamil didata dan didampingi kader; {unit} memantau pemeriksaan "
            "kehamilan, menyiapkan transportasi desa, dan rumah tunggu dekat fasilitas "
            "persalinan."
        ),
        results=(
            "Persalinan di fasilitas kesehatan naik {pct} poin persen; tidak ada kematian ibu "
            "di desa dampingan selama {after} tahun terakhir."
        ),
        beneficiaries="Ibu hamil, ibu bersalin, dan bayi baru lahir.",
        adaptation="Pendataan ibu hamil oleh kader dan transportasi rujukan desa.",
    ),
    Theme(
        key="stunting",
        tags=_t("puskesmas kesehatan pangan kb pmd"),
        names=(
            ("Gerakan Cegah Stunting", "", ""),
            ("DASHAT", "DASHAT", "Dapur Sehat Atasi Stunting"),
            ("Pos Gizi Balita", "", ""),
            ("SI-CANTING", "SI-CANTING", "Sistem Cegah Anak Stunting"),
            ("Bapak Asuh Anak Stunting", "", ""),
            ("Isi Piringku Desa", "", ""),
        ),
        categories=(HEALTH, FOOD),
        sdgs=(2, 3),
        digital=False,
        summary="penurunan stunting lewat pemantauan gizi balita dan makanan tambahan lokal",
        problem=(
            "Prevalensi stunting di {place} di atas rata-rata nasional dan data balita berisiko "
            "tersebar di banyak buku posyandu."
        ),
        approach=(
            "Balita ditimbang dan diukur setiap bulan; {unit} memetakan keluarga berisiko, "
            "menyediakan makanan tambahan dari bahan pangan lokal, dan menggandeng donatur "
            "sebagai orang tua asuh."
        ),
        results=(
            "Prevalensi stunting turun {pct} poin persen; {count} balita mendapat pendampingan."
        ),
        beneficiaries="Balita, ibu hamil, dan keluarga berisiko stunting.",
        adaptation="Peta keluarga berisiko dan menu makanan tambahan dari pangan lokal.",
    ),
    Theme(
        key="berhenti_merokok",
        tags=_t("puskesmas"),
        names=(
            ("Layanan Konseling Upaya Berhenti Merokok", "", ""),
            ("Kawasan Tanpa Rokok Desa", "", ""),
            ("Rumah Bebas Asap Rokok", "", ""),
        ),
        categories=(HEALTH,),
        sdgs=(3,),
        digital=False,
        summary="pendampingan perokok yang ingin berhenti dan perluasan kawasan tanpa rokok",
        problem=(
            "Banyak perokok di wilayah {unit} ingin berhenti tetapi tidak tahu caranya, dan asap "
            "rokok di rumah membahayakan anak."
        ),
        approach=(
            "Konselor terlatih memeriksa kadar karbon monoksida napas, menyusun rencana berhenti "
            "bersama klien, dan memantau lewat telepon; tokoh masyarakat menetapkan kawasan "
            "tanpa rokok."
        ),
        results="{count} klien dilayani; {pct}% berhenti merokok setelah enam bulan.",
        beneficiaries="Perokok aktif, keluarga, dan anak-anak.",
        adaptation="Protokol konseling dan pemantauan klien berhenti merokok.",
    ),
    Theme(
        key="lansia",
        tags=_t("puskesmas rsud sosial"),
        names=(
            ("Home Care Lansia", "", ""),
            ("Posyandu Lansia Plus", "", ""),
            ("SI-LANSIA", "SI-LANSIA", "Sistem Layanan Lanjut Usia"),
            ("Dokter Keluarga Keliling", "", ""),
        ),
        categories=(HEALTH, EMPOWERMENT),
        sdgs=(3, 10),
        digital=False,
        summary="layanan kesehatan di rumah bagi lanjut usia yang tidak dapat bepergian",
        problem=(
            "Lansia yang tinggal sendiri atau terbaring di rumah di {place} jarang memeriksakan "
            "diri sehingga penyakit kronis terlambat ditangani."
        ),
        approach=(
            "Tim {unit} mengunjungi lansia terdaftar secara berkala, memeriksa tekanan darah "
            "dan gula darah, mengantar obat, dan melatih keluarga merawat."
        ),
        results="{count} lansia dikunjungi rutin; rawat inap karena komplikasi turun {pct}%.",
        beneficiaries="Lanjut usia dan keluarga yang merawatnya.",
        adaptation="Jadwal kunjungan rumah dan daftar pemeriksaan lansia.",
    ),
    Theme(
        key="rumah_sakit",
        tags=_t("rsud"),
        names=(
            ("Sistem Rujukan Terintegrasi", "", ""),
            ("Cek Kamar Online", "", ""),
            ("Obat Antar ke Rumah", "", ""),
            ("Telemedisin Rumah Sakit", "", ""),
            ("Zero Waiting Time IGD", "", ""),
        ),
        categories=(HEALTH,),
        sdgs=(3,),
        digital=True,
        summary="informasi ketersediaan tempat tidur dan rujukan pasien secara waktu nyata",
        problem=(
            "Pasien rujukan ke {unit} sering ditolak karena kamar penuh, dan keluarga tidak tahu "
            "ketersediaan tempat tidur."
        ),
        approach=(
            "Ketersediaan kamar ditampilkan di papan informasi dan situs; puskesmas mengirim "
            "rujukan elektronik sehingga rumah sakit siap sebelum pasien tiba."
        ),
        results=(
            "Waktu penanganan pasien rujukan turun dari {before} jam menjadi {after} jam; "
            "penolakan rujukan turun {pct}%."
        ),
        beneficiaries="Pasien rujukan, keluarga pasien, dan fasilitas kesehatan perujuk.",
        adaptation="Papan ketersediaan kamar dan rujukan elektronik.",
    ),
    Theme(
        key="literasi",
        tags=_t("pendidikan perpustakaan"),
        names=(
            ("Gerakan Literasi Desa", "", ""),
            ("Perpustakaan Keliling Desa", "", ""),
            ("Pojok Baca Digital", "", ""),
            ("Motor Pintar", "", ""),
            ("Satu Guru Satu Buku", "", ""),
        ),
        categories=(EDUCATION,),
        sdgs=(4,),
        digital=False,
        summary="gerakan membaca yang membawa buku ke desa, sekolah, dan ruang publik",
        problem=("Minat baca anak di {place} rendah dan perpustakaan hanya ada di pusat kota."),
        approach=(
            "{unit} mengoperasikan kendaraan perpustakaan keliling, membuka pojok baca di "
            "ruang tunggu layanan, dan melatih relawan pendongeng."
        ),
        results="{count} buku dipinjam per tahun; kunjungan perpustakaan naik {pct}%.",
        beneficiaries="Anak sekolah, remaja, dan warga desa.",
        adaptation="Rute perpustakaan keliling dan pelatihan relawan.",
    ),
    Theme(
        key="anak_sekolah",
        tags=_t("pendidikan sosial"),
        names=(
            ("Gerakan Kembali Bersekolah", "", ""),
            ("Sekolah Kejar Paket Daring", "", ""),
            ("Beasiswa Anak Nelayan", "", ""),
            ("Sekolah Satu Atap", "", ""),
        ),
        categories=(EDUCATION, POVERTY),
        sdgs=(4, 1),
        digital=False,
        summary="pendataan dan pengembalian anak putus sekolah ke bangku pendidikan",
        problem="Ratusan anak usia sekolah di {place} putus sekolah karena biaya dan jarak.",
        approach=(
            "Anak putus sekolah didata sampai tingkat desa; {unit} menyalurkan beasiswa, "
            "seragam, dan transportasi, serta membuka kelas kesetaraan."
        ),
        results="{count} anak kembali bersekolah; angka putus sekolah turun {pct}%.",
        beneficiaries="Anak usia sekolah dari keluarga kurang mampu.",
        adaptation="Pendataan anak putus sekolah dan paket bantuan pendidikan.",
    ),
    Theme(
        key="penerimaan_siswa",
        tags=_t("pendidikan"),
        names=(
            ("PPDB Online Transparan", "PPDB", "Penerimaan Peserta Didik Baru"),
            ("Zonasi Digital", "", ""),
            ("Rapor Digital", "", ""),
        ),
        categories=(EDUCATION, GOVERNANCE),
        sdgs=(4, 16),
        digital=True,
        summary="penerimaan peserta didik baru secara daring dengan hasil seleksi terbuka",
        problem=(
            "Penerimaan siswa baru di {place} menimbulkan antrean panjang dan kecurigaan titipan."
        ),
        approach=(
            "Pendaftaran, verifikasi jarak rumah, dan pengumuman dilakukan daring; peringkat "
            "setiap sekolah dapat dilihat publik secara langsung."
        ),
        results="{count} calon siswa mendaftar daring; pengaduan PPDB turun {pct}%.",
        beneficiaries="Calon peserta didik dan orang tua.",
        adaptation="Aplikasi pendaftaran dan papan peringkat terbuka.",
    ),
    Theme(
        key="data_kemiskinan",
        tags=_t("sosial pmd kecamatan perencanaan statistik"),
        names=(
            ("Satu Data Kemiskinan", "", ""),
            ("SI-PEKA", "SI-PEKA", "Sistem Informasi Penanggulangan Kemiskinan"),
            ("Bansos Tepat Sasaran", "", ""),
            ("Musyawarah Desa Data Warga Miskin", "", ""),
        ),
        categories=(POVERTY, GOVERNANCE),
        sdgs=(1, 10),
        digital=True,
        summary="pemutakhiran data keluarga miskin yang dipakai bersama semua program bantuan",
        problem=(
            "Bantuan sosial di {place} sering salah sasaran karena setiap dinas memakai data "
            "penerima yang berbeda."
        ),
        approach=(
            "Data keluarga miskin diverifikasi dalam musyawarah desa, dipadankan dengan NIK, "
            "dan dibagikan {unit} kepada semua perangkat daerah pemberi bantuan."
        ),
        results=(
            "{count} data penerima ganda atau tidak layak dibersihkan; ketepatan sasaran "
            "bantuan naik {pct}%."
        ),
        beneficiaries="Keluarga miskin dan rentan miskin.",
        adaptation="Verifikasi data dalam musyawarah desa dan padanan NIK.",
    ),
    Theme(
        key="disabilitas",
        tags=_t("sosial kecamatan mpp layanan_terpadu"),
        names=(
            ("Layanan Ramah Disabilitas", "", ""),
            ("Juru Bahasa Isyarat di Loket", "", ""),
            ("Kartu Penyandang Disabilitas Daerah", "", ""),
            ("Loket Prioritas Kelompok Rentan", "", ""),
        ),
        categories=(GENDER, EMPOWERMENT),
        sdgs=(10, 16),
        digital=False,
        summary="layanan yang dapat diakses penyandang disabilitas, lansia, dan ibu hamil",
        problem=(
            "Penyandang disabilitas di {place} kesulitan mengakses kantor layanan yang bertangga, "
            "tanpa penanda, dan tanpa juru bahasa isyarat."
        ),
        approach=(
            "{unit} menyediakan jalur landai, kursi roda, loket prioritas, juru bahasa isyarat, "
            "dan pendamping yang dilatih bersama organisasi penyandang disabilitas."
        ),
        results="{count} penyandang disabilitas dilayani; keluhan aksesibilitas turun {pct}%.",
        beneficiaries="Penyandang disabilitas, lansia, ibu hamil, dan anak.",
        adaptation="Standar sarana prasarana ramah kelompok rentan.",
    ),
    Theme(
        key="tata_ruang",
        tags=_t("pupr perkim pertanahan"),
        names=(
            ("SI-TARU", "SI-TARU", "Sistem Informasi Tata Ruang"),
            ("PBG Daring", "PBG", "Persetujuan Bangunan Gedung"),
            ("Peta Zonasi Digital", "", ""),
            ("Lapor Jalan Rusak", "", ""),
            ("Cek Rencana Tata Ruang dari Ponsel", "", ""),
        ),
        categories=(GOVERNANCE,),
        sdgs=(11, 9),
        digital=True,
        summary="informasi tata ruang dan persetujuan bangunan yang dapat diakses secara daring",
        problem=(
            "Warga dan pengembang di {place} tidak mengetahui peruntukan lahan sehingga banyak "
            "bangunan berdiri tanpa persetujuan."
        ),
        approach=(
            "{unit} menerbitkan peta rencana tata ruang interaktif, memeriksa kesesuaian lokasi "
            "secara daring, dan memproses persetujuan bangunan gedung tanpa tatap muka."
        ),
        results=(
            "Waktu pemeriksaan kesesuaian ruang turun dari {before} hari menjadi {after} hari; "
            "{count} permohonan diproses daring."
        ),
        beneficiaries="Warga pemilik lahan, pengembang, dan pelaku usaha.",
        adaptation="Peta rencana tata ruang interaktif dan alur persetujuan daring.",
    ),
    Theme(
        key="air_sanitasi",
        tags=_t("pupr perkim kesehatan lingkungan bumd"),
        names=(
            ("Sanitasi Total Berbasis Masyarakat", "", ""),
            ("Sambungan Air Bersih Murah", "", ""),
            ("Jamban Sehat untuk Warga", "", ""),
            ("Kampung Bebas Buang Air Besar Sembarangan", "", ""),
        ),
        categories=(HEALTH, ENVIRONMENT),
        sdgs=(6, 3),
        digital=False,
        summary="penyediaan air bersih dan jamban sehat bersama warga",
        problem=(
            "Sebagian rumah tangga di {place} belum memiliki akses air bersih dan jamban sehat."
        ),
        approach=(
            "{unit} memicu kesadaran warga, menyediakan tukang terlatih dan cicilan ringan, "
            "serta memantau desa sampai dinyatakan bebas buang air besar sembarangan."
        ),
        results="{count} rumah tangga memiliki akses sanitasi layak; kasus diare turun {pct}%.",
        beneficiaries="Rumah tangga tanpa akses air bersih dan sanitasi.",
        adaptation="Metode pemicuan warga dan skema cicilan sambungan.",
    ),
    Theme(
        key="bedah_rumah",
        tags=_t("perkim sosial pmd"),
        names=(
            ("Bedah Rumah Gotong Royong", "", ""),
            ("Rumah Layak Huni Bersama", "", ""),
            ("Sedekah Rumah", "", ""),
        ),
        categories=(POVERTY, EMPOWERMENT),
        sdgs=(1, 11),
        digital=False,
        summary="perbaikan rumah tidak layak huni dengan gotong royong dan dana gabungan",
        problem="Ribuan keluarga miskin di {place} tinggal di rumah tidak layak huni.",
        approach=(
            "{unit} menggabungkan anggaran daerah, zakat, dan tanggung jawab sosial perusahaan; "
            "warga bergotong royong mengerjakan perbaikan."
        ),
        results="{count} rumah diperbaiki; biaya per rumah {pct}% lebih rendah dari biasanya.",
        beneficiaries="Keluarga miskin penghuni rumah tidak layak huni.",
        adaptation="Skema pendanaan gabungan dan kerja gotong royong.",
    ),
    Theme(
        key="bank_sampah",
        tags=_t("lingkungan kecamatan"),
        names=(
            ("Bank Sampah Digital", "", ""),
            ("Sedekah Sampah", "", ""),
            ("Tukar Sampah Jadi Emas", "", ""),
            ("Kampung Iklim", "", ""),
            ("Bayar Iuran Pakai Sampah", "", ""),
        ),
        categories=(ENVIRONMENT, EMPOWERMENT),
        sdgs=(12, 13, 11),
        digital=False,
        summary="pengelolaan sampah rumah tangga yang memberi nilai ekonomi bagi warga",
        problem="Sampah rumah tangga di {place} menumpuk dan tempat pembuangan akhir hampir penuh.",
        approach=(
            "Warga memilah sampah dan menyetorkannya ke bank sampah; {unit} mencatat tabungan "
            "warga, menjual sampah terpilah ke pengepul, dan membina kelompok pengolah."
        ),
        results="Sampah ke tempat pembuangan akhir turun {pct}%; {count} nasabah aktif.",
        beneficiaries="Rumah tangga, kelompok ibu, dan pemulung.",
        adaptation="Pencatatan tabungan sampah dan kemitraan dengan pengepul.",
    ),
    Theme(
        key="transportasi",
        tags=_t("perhubungan"),
        names=(
            ("Angkutan Sekolah Gratis", "", ""),
            ("Uji KIR Daring", "", ""),
            ("Bus Kota Nontunai", "", ""),
            ("Parkir Elektronik", "", ""),
        ),
        categories=(GOVERNANCE, ECONOMY),
        sdgs=(11, 9),
        digital=True,
        summary="layanan transportasi dan perhubungan yang lebih tertib dan terjangkau",
        problem=(
            "Pelajar di {place} mengeluarkan biaya besar untuk transportasi dan pungutan di "
            "layanan perhubungan sulit diawasi."
        ),
        approach=(
            "{unit} menjadwalkan armada angkutan sekolah, memakai pembayaran nontunai, dan "
            "menerbitkan hasil uji kendaraan secara elektronik."
        ),
        results="{count} penumpang per bulan; pendapatan resmi naik {pct}% setelah nontunai.",
        beneficiaries="Pelajar, pengguna angkutan umum, dan pemilik kendaraan niaga.",
        adaptation="Jadwal armada dan pembayaran nontunai.",
    ),
    Theme(
        key="samsat",
        tags=_t("samsat pendapatan"),
        names=(
            ("Samsat Keliling", "", ""),
            ("Samsat Desa", "", ""),
            ("Bayar Pajak Kendaraan dari Ponsel", "", ""),
            ("Samsat Drive Thru", "", ""),
            ("Samsat Malam", "", ""),
        ),
        categories=(GOVERNANCE,),
        sdgs=(16, 17),
        digital=True,
        summary="pembayaran pajak kendaraan bermotor yang dekat, cepat, dan bisa nontunai",
        problem=(
            "Wajib pajak di {place} harus menempuh jarak jauh dan mengantre lama untuk "
            "membayar pajak kendaraan."
        ),
        approach=(
            "{unit} membuka layanan di desa, pusat belanja, dan malam hari, serta menerima "
            "pembayaran lewat bank dan dompet digital."
        ),
        results=(
            "Waktu layanan turun dari {before} menit menjadi {after} menit; kepatuhan pajak "
            "kendaraan naik {pct}%."
        ),
        beneficiaries="Pemilik kendaraan bermotor.",
        adaptation="Jadwal layanan keliling dan kanal pembayaran nontunai.",
    ),
    Theme(
        key="pajak_daerah",
        tags=_t("pendapatan pajak keuangan"),
        names=(
            ("E-PBB", "E-PBB", "Pajak Bumi dan Bangunan Elektronik"),
            ("Pajak Daerah Online", "", ""),
            ("Tapping Box Restoran", "", ""),
            ("Lapor Pajak dari Rumah", "", ""),
        ),
        categories=(GOVERNANCE,),
        sdgs=(16, 17),
        digital=True,
        summary="pelaporan dan pembayaran pajak secara elektronik yang dapat diawasi",
        problem=(
            "Penerimaan pajak di {place} bocor karena pelaporan manual dan wajib pajak harus "
            "datang ke kantor."
        ),
        approach=(
            "{unit} mencatat transaksi usaha wajib pajak secara elektronik, mengirim tagihan "
            "lewat pesan singkat, dan menerima pembayaran di bank dan minimarket."
        ),
        results="Penerimaan pajak naik {pct}%; {count} wajib pajak membayar secara elektronik.",
        beneficiaries="Wajib pajak dan pemerintah daerah.",
        adaptation="Perekaman transaksi elektronik dan kanal pembayaran.",
    ),
    Theme(
        key="bursa_kerja",
        tags=_t("naker umkm"),
        names=(
            ("Bursa Kerja Online", "", ""),
            ("Job Fair Virtual", "", ""),
            ("Kartu Pencari Kerja Daring", "", ""),
            ("Pelatihan Kerja Desa", "", ""),
        ),
        categories=(ECONOMY,),
        sdgs=(8,),
        digital=True,
        summary="mempertemukan pencari kerja dan pemberi kerja secara daring",
        problem=(
            "Pencari kerja di {place} sulit mendapat informasi lowongan, sementara perusahaan "
            "kesulitan mencari tenaga terampil."
        ),
        approach=(
            "{unit} membuka portal lowongan, menerbitkan kartu pencari kerja daring, dan "
            "menyelenggarakan pelatihan sesuai kebutuhan perusahaan."
        ),
        results="{count} pencari kerja ditempatkan; waktu tunggu kerja turun {pct}%.",
        beneficiaries="Pencari kerja, lulusan baru, dan perusahaan.",
        adaptation="Portal lowongan dan kartu pencari kerja daring.",
    ),
    Theme(
        key="umkm",
        tags=_t("umkm perdagangan pariwisata bumn bumd"),
        names=(
            ("UMKM Naik Kelas", "", ""),
            ("Pasar Digital UMKM", "", ""),
            ("Klinik Kemasan UMKM", "", ""),
            ("Kredit Usaha Tanpa Agunan Desa", "", ""),
            ("Rumah Kreatif UMKM", "", ""),
        ),
        categories=(ECONOMY, EMPOWERMENT),
        sdgs=(8, 9),
        digital=False,
        summary="pendampingan usaha mikro dan kecil dari perizinan sampai pemasaran",
        problem=(
            "Usaha mikro di {place} sulit berkembang karena kemasan kurang menarik, belum "
            "berizin, dan pasar terbatas."
        ),
        approach=(
            "{unit} memberi pelatihan kemasan, membantu izin edar dan sertifikasi halal, "
            "serta memasarkan produk lewat lokapasar dan pameran."
        ),
        results="{count} UMKM didampingi; omzet rata-rata naik {pct}%.",
        beneficiaries="Pelaku usaha mikro dan kecil.",
        adaptation="Kurikulum pendampingan dan kemitraan pemasaran.",
    ),
    Theme(
        key="harga_pangan",
        tags=_t("perdagangan pangan"),
        names=(
            ("Info Harga Pangan Harian", "", ""),
            ("Pasar Murah Keliling", "", ""),
            ("Timbangan Jujur", "", ""),
            ("Toko Tani Daerah", "", ""),
        ),
        categories=(FOOD, ECONOMY),
        sdgs=(2, 12),
        digital=True,
        summary="informasi harga dan pasokan bahan pangan pokok untuk menjaga harga stabil",
        problem="Harga bahan pokok di {place} melonjak menjelang hari besar tanpa peringatan.",
        approach=(
            "{unit} mencatat harga harian di pasar utama, menayangkannya di papan informasi "
            "dan aplikasi, serta menggelar operasi pasar ketika harga melewati batas."
        ),
        results="Lonjakan harga menjelang hari besar berkurang {pct}%; {count} warga terlayani.",
        beneficiaries="Konsumen rumah tangga, pedagang, dan petani.",
        adaptation="Pencatatan harga harian dan ambang operasi pasar.",
    ),
    Theme(
        key="pertanian",
        tags=_t("pertanian pangan pmd"),
        names=(
            ("Sekolah Lapang Petani", "", ""),
            ("Kartu Tani Digital", "", ""),
            ("Klinik Tanaman Keliling", "", ""),
            ("Pekarangan Pangan Lestari", "", ""),
            ("Alsintan Sewa Murah", "", ""),
        ),
        categories=(FOOD,),
        sdgs=(2,),
        digital=False,
        summary="pendampingan petani untuk meningkatkan hasil panen dan akses sarana produksi",
        problem=(
            "Petani di {place} kesulitan mendapat pupuk bersubsidi dan produktivitas lahan rendah."
        ),
        approach=(
            "Penyuluh {unit} membuka sekolah lapang, mendiagnosis hama di lahan, dan menyalurkan "
            "sarana produksi berdasarkan data kelompok tani."
        ),
        results="Produktivitas padi naik {pct}%; {count} petani mengikuti sekolah lapang.",
        beneficiaries="Petani dan kelompok tani.",
        adaptation="Kurikulum sekolah lapang dan data kelompok tani.",
    ),
    Theme(
        key="perikanan",
        tags=_t("perikanan"),
        names=(
            ("Asuransi Nelayan", "", ""),
            ("Info Cuaca untuk Nelayan", "", ""),
            ("Kampung Budidaya Ikan", "", ""),
            ("Cold Storage Bersama", "", ""),
        ),
        categories=(FOOD, ECONOMY),
        sdgs=(14, 2),
        digital=False,
        summary="perlindungan dan peningkatan pendapatan nelayan dan pembudi daya ikan",
        problem=(
            "Nelayan di {place} rentan kehilangan pendapatan saat cuaca buruk dan harga ikan jatuh."
        ),
        approach=(
            "{unit} mendaftarkan nelayan ke asuransi, menyebarkan informasi cuaca harian, dan "
            "menyediakan gudang pendingin bersama."
        ),
        results="{count} nelayan terlindungi asuransi; harga jual ikan naik {pct}%.",
        beneficiaries="Nelayan kecil dan pembudi daya ikan.",
        adaptation="Pendaftaran asuransi dan penyebaran informasi cuaca.",
    ),
    Theme(
        key="pengaduan",
        tags=_t("kominfo pengaduan informasi layanan_terpadu organisasi satpol"),
        names=(
            ("SIPADU", "SIPADU", "Sistem Pengaduan Terpadu"),
            ("Halo Warga 24 Jam", "", ""),
            ("Kanal Pengaduan WhatsApp", "", ""),
            ("Aduan Cepat Tuntas", "", ""),
            ("Ruang Informasi Publik Terbuka", "", ""),
        ),
        categories=(GOVERNANCE,),
        sdgs=(16,),
        digital=True,
        summary="satu kanal pengaduan dan informasi publik dengan batas waktu tindak lanjut",
        problem=(
            "Pengaduan warga {place} tersebar di banyak kanal dan sering tidak ditindaklanjuti."
        ),
        approach=(
            "Semua pengaduan masuk ke satu dasbor {unit}, diteruskan ke perangkat daerah "
            "terkait dengan batas waktu, dan statusnya dapat dipantau pelapor."
        ),
        results=(
            "{pct}% pengaduan selesai dalam batas waktu; waktu tindak lanjut turun dari "
            "{before} hari menjadi {after} hari."
        ),
        beneficiaries="Warga yang menyampaikan pengaduan dan permintaan informasi.",
        adaptation="Dasbor pengaduan terpadu dan batas waktu tindak lanjut.",
    ),
    Theme(
        key="kota_cerdas",
        tags=_t("kominfo data perencanaan"),
        names=(
            ("Command Center Daerah", "", ""),
            ("Satu Data Daerah", "", ""),
            ("Dasbor Kinerja Daerah", "", ""),
            ("Wifi Desa", "", ""),
        ),
        categories=(GOVERNANCE,),
        sdgs=(9, 16),
        digital=True,
        summary="pusat data dan pemantauan layanan untuk pengambilan keputusan pimpinan",
        problem=(
            "Data pembangunan di {place} tersebar di banyak dinas dengan format berbeda sehingga "
            "sulit dipakai untuk keputusan."
        ),
        approach=(
            "{unit} menyusun katalog data, menghubungkan aplikasi perangkat daerah, dan "
            "menampilkan indikator layanan di dasbor pimpinan."
        ),
        results="{count} set data terbuka diterbitkan; {pct}% perangkat daerah terhubung.",
        beneficiaries="Pimpinan daerah, perangkat daerah, dan masyarakat.",
        adaptation="Katalog data dan integrasi aplikasi perangkat daerah.",
    ),
    Theme(
        key="perlindungan_perempuan_anak",
        tags=_t("p3a kepolisian hukum sosial"),
        names=(
            ("Rumah Aman Perempuan dan Anak", "", ""),
            ("Layanan Pengaduan Kekerasan 24 Jam", "", ""),
            ("Sekolah Ramah Anak", "", ""),
            ("Pendamping Korban Kekerasan", "", ""),
        ),
        categories=(GENDER, LAW),
        sdgs=(5, 16),
        digital=False,
        summary="layanan terpadu bagi perempuan dan anak korban kekerasan",
        problem="Korban kekerasan di {place} enggan melapor dan tidak tahu harus ke mana.",
        approach=(
            "{unit} membuka layanan pengaduan 24 jam, menyediakan rumah aman, pendamping "
            "hukum, dan psikolog, serta menjemput korban bila perlu."
        ),
        results="{count} korban didampingi sampai tuntas; laporan yang tertangani naik {pct}%.",
        beneficiaries="Perempuan dan anak korban kekerasan.",
        adaptation="Alur rujukan korban dan jejaring pendamping.",
    ),
    Theme(
        key="bencana",
        tags=_t("bencana cuaca kecamatan"),
        names=(
            ("Desa Tangguh Bencana", "", ""),
            ("Peringatan Dini Banjir", "", ""),
            ("Sekolah Siaga Bencana", "", ""),
            ("Info Gempa Cepat", "", ""),
        ),
        categories=(ENVIRONMENT, EMPOWERMENT),
        sdgs=(13, 11),
        digital=False,
        summary="kesiapsiagaan warga menghadapi bencana dengan peringatan dini",
        problem="Warga {place} tinggal di kawasan rawan banjir dan longsor tanpa peringatan dini.",
        approach=(
            "{unit} memasang alat ukur sederhana, melatih relawan desa, menyusun jalur evakuasi, "
            "dan menyebarkan peringatan lewat pengeras suara dan pesan singkat."
        ),
        results=(
            "{count} warga terlatih; waktu evakuasi turun dari {before} jam menjadi {after} jam."
        ),
        beneficiaries="Warga kawasan rawan bencana.",
        adaptation="Pelatihan relawan dan jalur peringatan dini.",
    ),
    Theme(
        key="kepegawaian",
        tags=_t("kepegawaian organisasi"),
        names=(
            ("Kenaikan Pangkat Tanpa Antre", "", ""),
            ("E-Kinerja ASN", "", ""),
            ("Pensiun Tepat Waktu", "", ""),
            ("Klinik Kepegawaian", "", ""),
        ),
        categories=(GOVERNANCE,),
        sdgs=(16,),
        digital=True,
        summary="layanan kepegawaian aparatur sipil negara yang daring dan tepat waktu",
        problem=(
            "Pegawai di {place} menunggu berbulan-bulan untuk kenaikan pangkat dan pensiun "
            "karena berkas bolak-balik."
        ),
        approach=(
            "{unit} memakai berkas digital pegawai, mengingatkan jadwal kenaikan pangkat dan "
            "pensiun secara otomatis, dan memproses usulan daring."
        ),
        results=(
            "Keputusan kenaikan pangkat terbit tepat waktu untuk {pct}% pegawai; waktu proses "
            "turun dari {before} hari menjadi {after} hari."
        ),
        beneficiaries="Aparatur sipil negara.",
        adaptation="Berkas digital pegawai dan pengingat otomatis.",
    ),
    Theme(
        key="pariwisata",
        tags=_t("pariwisata pemuda"),
        names=(
            ("Desa Wisata Digital", "", ""),
            ("Festival Budaya Desa", "", ""),
            ("Pemandu Wisata Muda", "", ""),
        ),
        categories=(ECONOMY, EMPOWERMENT),
        sdgs=(8, 11),
        digital=False,
        summary="pengembangan desa wisata yang dikelola warga",
        problem="Potensi wisata di {place} belum dikenal dan belum memberi penghasilan bagi warga.",
        approach=(
            "{unit} melatih kelompok sadar wisata, memasarkan paket wisata daring, dan "
            "menyelenggarakan festival budaya tahunan."
        ),
        results="Kunjungan wisatawan naik {pct}%; {count} warga memperoleh penghasilan tambahan.",
        beneficiaries="Warga desa wisata, pemuda, dan pelaku usaha lokal.",
        adaptation="Pelatihan kelompok sadar wisata dan pemasaran paket wisata.",
    ),
    Theme(
        key="layanan_kecamatan",
        tags=_t("kecamatan pmd"),
        names=(
            ("PATEN Plus", "PATEN", "Pelayanan Administrasi Terpadu Kecamatan"),
            ("Kecamatan Tanpa Antre", "", ""),
            ("Kantor Desa Digital", "", ""),
            ("Surat Keterangan Daring", "", ""),
        ),
        categories=(GOVERNANCE,),
        sdgs=(16,),
        digital=True,
        summary="pelayanan administrasi terpadu di kecamatan dan desa",
        problem=(
            "Warga {place} harus ke kantor kabupaten/kota untuk urusan yang sebenarnya dapat "
            "diselesaikan di kecamatan."
        ),
        approach=(
            "{unit} menerima pelimpahan kewenangan perizinan ringan, membuka satu loket terpadu, "
            "dan menerbitkan surat keterangan secara daring."
        ),
        results=(
            "Waktu layanan turun dari {before} hari menjadi {after} hari; {count} dokumen "
            "terbit di kecamatan setiap tahun."
        ),
        beneficiaries="Warga kecamatan dan desa.",
        adaptation="Pelimpahan kewenangan dan loket terpadu kecamatan.",
    ),
    Theme(
        key="keagamaan",
        tags=_t("keagamaan"),
        names=(
            ("Nikah Tanpa Antre", "", ""),
            ("Layanan Haji Satu Pintu", "", ""),
            ("Sertifikasi Halal Gratis UMK", "", ""),
        ),
        categories=(GOVERNANCE,),
        sdgs=(16,),
        digital=True,
        summary="layanan keagamaan yang terjadwal, transparan, dan dapat dilacak",
        problem="Layanan pencatatan nikah dan haji di {place} memerlukan banyak kunjungan.",
        approach=(
            "{unit} menyediakan pendaftaran daring, jadwal layanan, dan pelacakan berkas, "
            "serta mendampingi usaha mikro mengurus sertifikat halal."
        ),
        results="{count} layanan diselesaikan daring; waktu proses turun {pct}%.",
        beneficiaries="Calon pengantin, calon jemaah haji, dan usaha mikro.",
        adaptation="Pendaftaran daring dan pelacakan berkas.",
    ),
    Theme(
        key="pertanahan",
        tags=_t("pertanahan"),
        names=(
            ("Loket Prioritas Pertanahan", "", ""),
            ("Sertifikat Tanah Elektronik", "", ""),
            ("Layanan Pertanahan Akhir Pekan", "", ""),
        ),
        categories=(GOVERNANCE, LAW),
        sdgs=(16, 1),
        digital=True,
        summary="layanan pertanahan yang cepat dan memberi kepastian hukum hak atas tanah",
        problem="Pengurusan sertifikat tanah di {place} lama dan rawan percaloan.",
        approach=(
            "{unit} membuka loket prioritas dan layanan akhir pekan, menerbitkan sertifikat "
            "elektronik, dan menayangkan status berkas."
        ),
        results=(
            "Waktu layanan turun dari {before} hari menjadi {after} hari; {count} bidang "
            "tanah bersertifikat."
        ),
        beneficiaries="Pemilik tanah dan pelaku usaha.",
        adaptation="Loket prioritas dan status berkas terbuka.",
    ),
    Theme(
        key="statistik",
        tags=_t("statistik data"),
        names=(
            ("Desa Cinta Statistik", "", ""),
            ("Layanan Data Statistik Terpadu", "", ""),
        ),
        categories=(GOVERNANCE,),
        sdgs=(17,),
        digital=True,
        summary="pembinaan statistik sektoral dan layanan data bagi pengguna",
        problem="Desa di {place} tidak memiliki data yang andal untuk merencanakan pembangunan.",
        approach=(
            "{unit} melatih perangkat desa mengumpulkan dan mengolah data, serta membuka "
            "layanan konsultasi data daring."
        ),
        results="{count} desa memiliki data sendiri; permintaan data terlayani {pct}% lebih cepat.",
        beneficiaries="Perangkat desa, peneliti, dan masyarakat.",
        adaptation="Modul pelatihan statistik desa.",
    ),
    Theme(
        key="keamanan_pangan",
        tags=_t("pom kesehatan pangan"),
        names=(
            ("Pasar Aman dari Bahan Berbahaya", "", ""),
            ("Klinik Izin Edar UMKM", "", ""),
            ("Jajanan Sekolah Sehat", "", ""),
        ),
        categories=(HEALTH, FOOD),
        sdgs=(3, 2),
        digital=False,
        summary="pengawasan pangan agar bebas bahan berbahaya sampai ke pasar dan sekolah",
        problem=(
            "Pangan di pasar dan kantin sekolah di {place} masih ditemukan mengandung bahan "
            "berbahaya."
        ),
        approach=(
            "{unit} menguji sampel pangan secara rutin, membina pedagang dan kantin, serta "
            "membantu UMKM pangan mengurus izin edar."
        ),
        results="Temuan bahan berbahaya turun {pct}%; {count} pedagang dibina.",
        beneficiaries="Konsumen, pedagang pasar, dan anak sekolah.",
        adaptation="Uji sampel rutin dan pembinaan pedagang.",
    ),
    Theme(
        key="narkotika",
        tags=_t("narkotika kepolisian"),
        names=(
            ("Desa Bersih Narkoba", "", ""),
            ("Rehabilitasi Rawat Jalan Terpadu", "", ""),
            ("Sekolah Anti Narkoba", "", ""),
        ),
        categories=(LAW, HEALTH),
        sdgs=(3, 16),
        digital=False,
        summary="pencegahan penyalahgunaan narkoba dan rehabilitasi berbasis masyarakat",
        problem="Penyalahgunaan narkoba di kalangan remaja {place} meningkat.",
        approach=(
            "{unit} membentuk relawan desa, menyelenggarakan penyuluhan di sekolah, dan membuka "
            "rehabilitasi rawat jalan bekerja sama dengan puskesmas."
        ),
        results="{count} pecandu menjalani rehabilitasi; kekambuhan turun {pct}%.",
        beneficiaries="Remaja, keluarga, dan pecandu narkoba.",
        adaptation="Relawan desa dan rehabilitasi rawat jalan.",
    ),
    Theme(
        key="kepolisian",
        tags=_t("kepolisian"),
        names=(
            ("SIM Keliling", "SIM", "Surat Izin Mengemudi"),
            ("Polisi Sahabat Anak", "", ""),
            ("Lapor Kehilangan Daring", "", ""),
        ),
        categories=(LAW,),
        sdgs=(16,),
        digital=True,
        summary="layanan kepolisian yang mendekat ke warga dan dapat diakses daring",
        problem="Warga {place} harus datang ke kantor polisi untuk layanan yang sederhana.",
        approach=(
            "{unit} membuka layanan keliling dan pelaporan daring, dengan surat keterangan "
            "yang dapat diverifikasi lewat kode QR."
        ),
        results="{count} layanan diberikan di luar kantor; waktu layanan turun {pct}%.",
        beneficiaries="Warga yang memerlukan layanan kepolisian.",
        adaptation="Layanan keliling dan pelaporan daring.",
    ),
    Theme(
        key="bantuan_hukum",
        tags=_t("hukum peradilan imigrasi"),
        names=(
            ("Pos Bantuan Hukum Desa", "", ""),
            ("Sidang Keliling", "", ""),
            ("Paspor Simpatik", "", ""),
            ("Layanan Hukum Daring", "", ""),
        ),
        categories=(LAW,),
        sdgs=(16,),
        digital=False,
        summary="layanan hukum yang mendekat ke warga yang jauh dari kantor layanan",
        problem=(
            "Warga {place} yang jauh dari kantor layanan hukum tidak mampu menanggung biaya "
            "perjalanan."
        ),
        approach=(
            "{unit} menggelar layanan keliling di kecamatan, membuka pos bantuan hukum, dan "
            "menjadwalkan layanan lewat pendaftaran daring."
        ),
        results="{count} warga terlayani di lokasi; biaya yang dihemat warga rata-rata {pct}%.",
        beneficiaries="Warga kurang mampu dan warga daerah terpencil.",
        adaptation="Jadwal layanan keliling dan pendaftaran daring.",
    ),
    Theme(
        key="keluarga_berencana",
        tags=_t("kb p3a puskesmas"),
        names=(
            ("Kampung Keluarga Berkualitas", "", ""),
            ("KB Pasca Persalinan", "", ""),
            ("Konseling Remaja Berencana", "", ""),
        ),
        categories=(HEALTH, GENDER),
        sdgs=(3, 5),
        digital=False,
        summary="layanan keluarga berencana dan konseling keluarga di tingkat kampung",
        problem="Kebutuhan ber-KB yang tidak terpenuhi di {place} masih tinggi.",
        approach=(
            "{unit} menyediakan layanan KB langsung setelah persalinan dan konseling remaja "
            "bersama kader kampung."
        ),
        results="Peserta KB aktif naik {pct}%; {count} keluarga mendapat konseling.",
        beneficiaries="Pasangan usia subur dan remaja.",
        adaptation="Layanan KB pasca persalinan dan kader kampung.",
    ),
    Theme(
        key="pemilu",
        tags=_t("pemilu"),
        names=(
            ("Pemilih Pemula Cerdas", "", ""),
            ("TPS Ramah Disabilitas", "TPS", "Tempat Pemungutan Suara"),
            ("Cek Data Pemilih Daring", "", ""),
        ),
        categories=(GOVERNANCE,),
        sdgs=(16,),
        digital=True,
        summary="pendidikan pemilih dan akses pemilu yang setara",
        problem=(
            "Pemilih pemula dan penyandang disabilitas di {place} kurang terlayani saat pemilu."
        ),
        approach=(
            "{unit} memberi pendidikan pemilih di sekolah, memetakan TPS yang mudah diakses, "
            "dan membuka pengecekan data pemilih daring."
        ),
        results="Partisipasi pemilih pemula naik {pct}%; {count} pemilih memeriksa datanya daring.",
        beneficiaries="Pemilih pemula dan pemilih penyandang disabilitas.",
        adaptation="Materi pendidikan pemilih dan pemetaan TPS.",
    ),
    Theme(
        key="akuntabilitas",
        tags=_t("pengawasan organisasi keuangan perencanaan"),
        names=(
            ("Klinik Akuntabilitas Desa", "", ""),
            ("Pendampingan Keuangan Desa", "", ""),
            ("Zona Integritas Bersama", "", ""),
        ),
        categories=(GOVERNANCE,),
        sdgs=(16,),
        digital=False,
        summary="pendampingan tata kelola keuangan dan akuntabilitas kinerja",
        problem=(
            "Laporan keuangan desa dan perangkat daerah di {place} sering terlambat dan bermasalah."
        ),
        approach=(
            "{unit} membuka klinik konsultasi, mendampingi penyusunan laporan, dan memantau "
            "tindak lanjut temuan secara daring."
        ),
        results="{pct}% laporan tepat waktu; temuan berulang turun dari {before} menjadi {after}.",
        beneficiaries="Perangkat desa dan perangkat daerah.",
        adaptation="Klinik konsultasi dan pemantauan tindak lanjut.",
    ),
    Theme(
        key="layanan_pelanggan",
        tags=_t("bumn bumd"),
        names=(
            ("Layanan Pelanggan Satu Aplikasi", "", ""),
            ("Pasang Baru Tanpa Antre", "", ""),
            ("Bayar Tagihan Digital", "", ""),
        ),
        categories=(ECONOMY, GOVERNANCE),
        sdgs=(7, 9),
        digital=True,
        summary="layanan pelanggan terpadu dalam satu aplikasi",
        problem=(
            "Pelanggan {unit} harus datang ke kantor untuk pasang baru, pengaduan, dan pembayaran."
        ),
        approach=(
            "Permohonan pasang baru, pengaduan gangguan, dan pembayaran tagihan dilayani lewat "
            "satu aplikasi dengan status yang dapat dilacak."
        ),
        results=(
            "Waktu pasang baru turun dari {before} hari menjadi {after} hari; {count} pelanggan "
            "memakai aplikasi."
        ),
        beneficiaries="Pelanggan rumah tangga dan usaha.",
        adaptation="Aplikasi layanan pelanggan dan pelacakan status.",
    ),
    Theme(
        key="ketertiban",
        tags=_t("satpol"),
        names=(
            ("Satpol PP Humanis", "", ""),
            ("Penataan Pedagang Lewat Dialog", "", ""),
        ),
        categories=(GOVERNANCE, LAW),
        sdgs=(16, 11),
        digital=False,
        summary="penegakan peraturan daerah dengan dialog dan pembinaan",
        problem="Penertiban pedagang kaki lima di {place} sering berujung konflik.",
        approach=(
            "{unit} berdialog dengan paguyuban pedagang, menyiapkan lokasi relokasi, dan "
            "memakai teguran bertahap sebelum penindakan."
        ),
        results="Konflik penertiban turun {pct}%; {count} pedagang pindah secara sukarela.",
        beneficiaries="Pedagang kaki lima dan warga kota.",
        adaptation="Dialog dengan paguyuban dan teguran bertahap.",
    ),
    Theme(
        key="kepemudaan",
        tags=_t("pemuda"),
        names=(
            ("Pemuda Pelopor Desa", "", ""),
            ("Ruang Kreatif Pemuda", "", ""),
        ),
        categories=(EMPOWERMENT, ECONOMY),
        sdgs=(8, 4),
        digital=False,
        summary="ruang kegiatan dan pelatihan kewirausahaan bagi pemuda",
        problem="Pemuda di {place} kekurangan ruang berkegiatan dan pelatihan keterampilan.",
        approach=(
            "{unit} membuka ruang kreatif, pelatihan keterampilan digital, dan pendampingan "
            "usaha pemula."
        ),
        results="{count} pemuda dilatih; {pct}% memulai usaha sendiri.",
        beneficiaries="Pemuda usia 16–30 tahun.",
        adaptation="Kurikulum pelatihan dan pendampingan usaha pemula.",
    ),
)

NAME_SUFFIXES: tuple[tuple[str, float], ...] = (
    ("", 0.72),
    (" Plus", 0.07),
    (" 2.0", 0.05),
    (" Terpadu", 0.06),
    (" Desa", 0.05),
    (" Digital", 0.05),
)

STATUS_REASONS = {
    "paused": (
        "Anggaran operasional tahun berjalan belum tersedia.",
        "Aplikasi sedang dipindahkan ke pusat data nasional.",
        "Petugas pelaksana dimutasi; menunggu pelatihan petugas baru.",
    ),
    "stopped": (
        "Digantikan oleh aplikasi layanan nasional.",
        "Tidak lagi sesuai setelah perubahan peraturan.",
        "Layanan digabungkan ke Mal Pelayanan Publik.",
    ),
}

REPLICATION_DIFFERENCES = (
    "Disesuaikan dengan jumlah petugas yang lebih sedikit.",
    "Memakai aplikasi milik sendiri, bukan aplikasi instansi asal.",
    "Ditambah layanan bagi warga di pulau-pulau kecil.",
    "Jadwal layanan diatur per kecamatan, bukan per desa.",
    "Pendanaan dari dana desa dan tanggung jawab sosial perusahaan.",
    "Melibatkan kader PKK sebagai pendamping.",
    "",
)
