"""KIPP end to end through the real pages: submit → administrative check → desk scores →
nomination → finalist (issue 3, kipp.md §8–§13)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from prima.kipp.enums import ProposalState
from prima.kipp.models import Proposal
from tests.e2e.kipp_setup import Cast, build_cast, log_in, log_out, numbered_pdf, open_menu

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# One answer per section Kelompok Umum sees (instrument kipp-default-v1), all within limits.
ANSWERS = {
    "Ringkasan": "SIPANDU menyatukan layanan kesehatan keliling dan rujukan daring desa.",
    "Latar Belakang dan Tujuan": "Warga desa terpencil menempuh dua jam ke puskesmas terdekat.",
    "Kebaruan / Nilai Tambah": "Jadwal kunjungan disusun dari peta keluhan warga setiap pekan.",
    "Implementasi Inovasi": "Berjalan sejak Maret 2021 di dua belas kecamatan.",
    "Signifikansi": "Kunjungan pemeriksaan ibu hamil naik 40 persen dalam setahun.",
    "Adaptabilitas": "Dua kabupaten tetangga sudah meniru alur rujukan daringnya.",
    "Sumber Daya": "Enam tenaga kesehatan, dua mobil layanan dan anggaran daerah.",
    "Strategi Keberlanjutan": "Diatur dalam peraturan wali kota dan masuk rencana kerja dinas.",
}
ATTACHMENTS = ("Bukti mulai implementasi", "SK inovator", "Pernyataan kebenaran data")


def operator_writes_and_sends(page: Page, cast: Cast, tmp_path) -> Proposal:
    """Step 1: the unit operator enters the innovation, writes it up and sends it."""
    log_in(page, "operator_a")
    open_menu(page, "KIPP", "Proposal KIPP")
    expect(page.get_by_role("heading", name=re.compile(r"^Proposal saya"), level=1)).to_be_visible()
    page.get_by_role("link", name="Buat proposal").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Buat proposal"), level=1)).to_be_visible()
    page.get_by_label("Inovasi").select_option(label="SIPANDU — Dinas PUPR Kota Payakumbuh")
    page.get_by_label("Kelompok").select_option("umum")
    page.get_by_label("Kategori").select_option("AC4")
    page.get_by_role("button", name="Buat draf").click()

    expect(page.get_by_role("alert")).to_have_text("Proposal «SIPANDU» telah dibuat sebagai draf.")
    expect(page.get_by_role("heading", name="Ubah isian proposal", level=1)).to_be_visible()
    proposal = Proposal.objects.get(edition=cast.edition, innovation=cast.innovation)
    assert proposal.state == ProposalState.DRAFT
    assert proposal.group == "umum"

    # The live counter follows the typing (same word rule as the server).
    counter = page.locator("#id_answer_ringkasan_counter")
    expect(counter).to_have_text("0 dari 200 kata")
    page.get_by_label("Ringkasan", exact=True).fill("Layanan — kesehatan keliling, 24 jam")
    expect(counter).to_have_text("5 dari 200 kata")
    for label, text in ANSWERS.items():
        page.get_by_label(label, exact=True).fill(text)
    expect(counter).to_have_text("9 dari 200 kata")
    page.get_by_label("Tautan video").fill("https://video.contoh.go.id/sipandu")
    page.get_by_label("Durasi video (menit)").fill("2.5")
    # The 2025 rules ask the SPBE form; this innovation is not app-based, so one answer does.
    page.locator('input[name="extra_spbe_berbasis_elektronik"][value="tidak"]').check()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("alert")).to_have_text("Proposal tersimpan.")

    # The required attachments, uploaded through the attachments page.
    page.get_by_role("link", name="Kelola lampiran").click()
    for n, kind in enumerate(ATTACHMENTS, start=1):
        pdf = tmp_path / f"lampiran-{n}.pdf"
        pdf.write_bytes(numbered_pdf(n))
        page.get_by_label("Jenis lampiran").select_option(label=kind)
        page.get_by_label("Berkas").set_input_files(str(pdf))
        page.get_by_role("button", name="Unggah").click()
        expect(page.get_by_role("alert")).to_have_text(
            f"Lampiran «lampiran-{n}.pdf» telah diunggah."
        )
    expect(page.get_by_text("belum diunggah")).to_have_count(0)
    page.get_by_role("link", name="Kembali ke proposal").click()

    expect(page.get_by_text("Sebelum dapat diteruskan")).to_have_count(0)
    page.get_by_role("link", name="Kirim ke Admin Lokal").click()
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Proposal telah dikirim ke Admin Lokal.")
    expect(page.get_by_text("Menunggu Admin Lokal", exact=True)).to_be_visible()
    log_out(page)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.AT_INSTITUTION
    assert len(proposal.answers) == len(ANSWERS)
    assert proposal.attachments.count() == len(ATTACHMENTS)
    return proposal


def admin_submits(page: Page, proposal: Proposal) -> None:
    """Step 2: the Admin Lokal ticks the declaration and submits to the secretariat."""
    log_in(page, "admin_a")
    open_menu(page, "KIPP", "Proposal KIPP")
    page.get_by_role("link", name="SIPANDU").click()
    page.get_by_role("link", name="Ajukan ke sekretariat").click()
    expect(page.get_by_role("heading", name="Ajukan ke sekretariat", level=1)).to_be_visible()
    # Every eligibility pre-check passes (age, history, quota, ...).
    expect(page.get_by_text("Gagal:")).to_have_count(0)
    page.get_by_label(re.compile(r"^Saya, Admin Lokal, menyatakan")).check()
    page.get_by_role("button", name="Ajukan", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Proposal telah diajukan; isinya kini terkunci.")
    expect(page.get_by_text("Sidik isi (SHA-256)")).to_be_visible()
    log_out(page)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    assert proposal.snapshot_hash


def advance_edition(page: Page, cast: Cast, *, opens: str) -> None:
    """The secretariat closes the running stage from the edition dashboard."""
    open_menu(page, "KIPP", "Penyelenggaraan KIPP")
    page.get_by_role("link", name=cast.edition.title).click()
    page.get_by_role("link", name="Lanjut ke tahap berikutnya").click()
    page.get_by_label("Alasan / dasar perpindahan tahap").fill(f"Jadwal: {opens}.")
    page.get_by_label("Saya memahami bahwa tahap yang berjalan akan ditutup.").check()
    page.get_by_role("button", name="Tutup tahap dan lanjutkan").click()
    expect(page.get_by_role("alert")).to_have_text(f"Tahap «{opens}» dibuka.")
    cast.edition.refresh_from_db()


def secretariat_checks(page: Page, cast: Cast, proposal: Proposal) -> None:
    """Step 3: close registration, open the administrative selection and pass the proposal."""
    log_in(page, "sekretariat")
    advance_edition(page, cast, opens="Pendaftaran ditutup")
    advance_edition(page, cast, opens="Seleksi administrasi")
    assert cast.edition.state == "admin_selection"

    page.get_by_role("link", name="Seleksi administrasi", exact=True).click()
    page.get_by_role("button", name="Jalankan pemeriksaan otomatis").click()
    # A background job: its page shows the outcome and links back to the queue.
    expect(page.get_by_role("status")).to_contain_text(
        "Pemeriksaan otomatis selesai: 1 proposal; 0 ada yang gagal"
    )
    page.get_by_role("link", name="Buka antrean seleksi administrasi").click()
    row = page.get_by_role("table", name="Antrean seleksi administrasi").get_by_role(
        "row", name=re.compile("SIPANDU")
    )
    expect(row).to_contain_text("Belum diputuskan")
    row.get_by_role("link", name="SIPANDU").click()

    # The automatic results: every check met, none failed.
    results = page.get_by_role("table", name="Hasil pemeriksaan otomatis")
    expect(results.locator("tbody tr").first).to_be_visible()
    assert results.locator("tbody tr").count() >= 3
    expect(results.locator(".text-bg-danger")).to_have_count(0)
    expect(results).to_contain_text("Terpenuhi")
    expect(page.get_by_text("Semua terpenuhi").first).to_be_visible()
    page.get_by_role("radio", name="Lolos", exact=True).check()
    page.get_by_label("Catatan").fill("Berkas lengkap dan usia inovasi memenuhi syarat.")
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_role("alert")).to_have_text(
        "«SIPANDU» dicatat lolos (belum terlihat peserta sampai diumumkan)."
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ADMIN_PASSED
    # Results stay hidden from participants until their announcement.
    assert proposal.participant_state == ProposalState.SUBMITTED


def secretariat_appoints(page: Page, cast: Cast) -> None:
    """Step 4a: open the desk evaluation and appoint three evaluators."""
    advance_edition(page, cast, opens="Penilaian Tim Evaluasi")
    # The edition dashboard has no link to the evaluation desk yet: open it by address.
    page.goto(f"/kipp/evaluasi/{cast.edition.code}/")
    expect(page.get_by_role("heading", name=f"Penilaian {cast.edition.title}")).to_be_visible()
    desk = page.get_by_role("navigation", name="Navigasi penilaian")

    for evaluator in cast.evaluators:
        desk.get_by_role("link", name="Penilai", exact=True).click()
        page.get_by_role("link", name="Tunjuk penilai").click()
        page.get_by_label("Cari orang (nama, nama pengguna, surel)").fill(evaluator.username)
        page.get_by_role("button", name="Cari", exact=True).click()
        page.get_by_role("radio", name=f"{evaluator.full_name} ({evaluator.email})").check()
        page.get_by_label("Peran").select_option(label="Tim Evaluasi")
        page.get_by_label("Perguruan tinggi/lembaga").fill("Universitas Andalas")
        page.get_by_label("Kata kunci keahlian").fill("kesehatan masyarakat, layanan desa")
        page.get_by_role("button", name="Tunjuk", exact=True).click()
        expect(page.get_by_role("alert")).to_have_text(
            f"{evaluator.full_name} ditunjuk sebagai Tim Evaluasi."
        )
    expect(page.get_by_role("table", name="Daftar penilai").locator("tbody tr")).to_have_count(3)
    log_out(page)


def evaluator_gets_ready(page: Page, username: str) -> None:
    """Step 5a: an appointed evaluator accepts the code of conduct and declares no conflict.

    The solver only assigns evaluators who did both, so this comes before the run."""
    log_in(page, username)
    open_menu(page, "KIPP", "Tugas penilai")
    page.get_by_role("link", name="Lanjutkan langkah berikutnya").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Kode etik penilai"))).to_be_visible()
    page.get_by_label(re.compile(r"^Saya telah membaca kode etik")).check()
    page.get_by_role("button", name="Setujui kode etik").click()
    expect(page.get_by_role("alert")).to_have_text("Terima kasih, kode etik telah Anda setujui.")
    page.get_by_label(re.compile(r"^Saya menyatakan tidak memiliki konflik")).check()
    page.get_by_role("button", name="Simpan pernyataan").click()
    expect(page.get_by_role("alert")).to_have_text("Pernyataan konflik kepentingan tercatat.")
    expect(page.get_by_role("heading", name=re.compile(r"^Daftar tugas penilaian"))).to_be_visible()
    expect(page.get_by_text("Tidak ada tugas yang cocok.")).to_be_visible()
    log_out(page)


def secretariat_assigns(page: Page, cast: Cast, proposal: Proposal) -> None:
    """Step 4b: run the assignment solver (k=3) and deploy it, which starts the review."""
    log_in(page, "sekretariat")
    page.goto(f"/kipp/evaluasi/{cast.edition.code}/")
    desk = page.get_by_role("navigation", name="Navigasi penilaian")
    desk.get_by_role("link", name="Penugasan: Penilaian Tim Evaluasi").click()
    expect(page.get_by_text("1 proposal menunggu atau sedang dinilai")).to_be_visible()
    page.get_by_label("Label").fill("Penugasan TE pertama")
    page.get_by_label("Penilai per proposal (k)").fill("3")
    page.get_by_role("button", name="Jalankan", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(
        "Proses «Penugasan TE pertama» selesai: optimal."
    )
    page.get_by_role("link", name="Lihat proses penugasan").click()
    page.get_by_role("link", name="Terapkan proses ini").click()
    expect(page.get_by_text("3 penugasan baru")).to_be_visible()
    page.get_by_label("Saya memahami akibat tindakan ini dan ingin melanjutkan.").check()
    page.get_by_role("button", name="Terapkan", exact=True).click()
    # Deploying lets the proposal into the desk review (#7) and e-mails the evaluators.
    expect(page.get_by_role("alert")).to_have_text(
        "Penugasan diterapkan: 3 baru, 0 dihapus, 0 tetap; 3 penilai diberi tahu lewat surel. "
        "1 proposal masuk penilaian."
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DESK_REVIEW

    desk.get_by_role("link", name="Kemajuan").click()
    expect(page.get_by_text("0 final, 0 draf, 0 dibebaskan dari 3 penugasan")).to_be_visible()
    log_out(page)


# Per evaluator: one value per section (ringkasan weighs 0 %, so its 60 never counts).
# Weighted totals: 88.50, 89.00 and 91.25 → official score (mean) 89.58.
SCORES = (
    {"Signifikansi": 85, "default": 90},
    {"Adaptabilitas": 93, "default": 88},
    {"Kebaruan / Nilai Tambah": 87, "default": 92},
)
TOTALS = ("88,50", "89,00", "91,25")
SECTIONS = tuple(ANSWERS)


def evaluator_scores(page: Page, username: str, scores: dict[str, int], total: str) -> None:
    """Step 5b: the to-do list, the blind sheet, scores and note, save, finalise."""
    log_in(page, username)
    open_menu(page, "KIPP", "Tugas penilai")
    page.get_by_role("link", name="Daftar tugas").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Daftar tugas penilaian"))).to_be_visible()
    expect(page.get_by_text("Penilaian tanpa identitas pengusul")).to_be_visible()
    expect(page.get_by_text("0 dari 1 final")).to_be_visible()
    page.get_by_role("link", name="SIPANDU").click()

    # Blind stage: the proposer's institution and unit never reach the page.
    expect(page.get_by_role("heading", name="SIPANDU")).to_be_visible()
    content = page.content()
    for name in ("Pemerintah Kota Payakumbuh", "Kota Payakumbuh", "Dinas PUPR"):
        assert name not in content
    for label in SECTIONS:
        value = 60 if label == "Ringkasan" else scores.get(label, scores["default"])
        section = page.get_by_role("group", name=f"{label} (bobot")
        section.get_by_label("Nilai (0–100)").fill(str(value))
    page.get_by_label("Catatan umum (wajib sebelum finalisasi)").fill(
        "Dampak terukur dan alur rujukan mudah ditiru daerah lain."
    )
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_role("alert")).to_have_text("Draf lembar nilai tersimpan.")
    page.get_by_role("button", name="Finalkan").click()
    expect(page.get_by_role("heading", name="Finalkan lembar nilai?")).to_be_visible()
    expect(page.locator("tfoot")).to_contain_text(total)
    page.get_by_role("button", name="Ya, finalkan").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Lembar nilai difinalkan. Perubahan berikutnya memerlukan koreksi."
    )
    expect(page.get_by_role("table", name="Nilai per kriteria")).to_contain_text(total)
    log_out(page)


def secretariat_decides(page: Page, cast: Cast, proposal: Proposal) -> None:
    """Step 6: score table, nomination proposal (≥ 85), plenary adoption, finalists."""
    log_in(page, "sekretariat")
    page.goto(f"/kipp/evaluasi/{cast.edition.code}/")
    desk = page.get_by_role("navigation", name="Navigasi penilaian")
    expect(page.get_by_text("3 final, 0 draf, 0 dibebaskan dari 3 penugasan")).to_be_visible()

    desk.get_by_role("link", name="Nilai: Penilaian Tim Evaluasi").click()
    row = page.get_by_role("table", name="Nilai per proposal").get_by_role(
        "row", name=re.compile("SIPANDU")
    )
    expect(row).to_contain_text("Pemerintah Kota Payakumbuh")
    expect(row.get_by_role("cell", name="89.58", exact=True).first).to_be_visible()

    desk.get_by_role("link", name="Nominasi").click()
    expect(
        page.get_by_text("Aturan: proposal dengan nilai resmi ≥ 85 dinominasikan.")
    ).to_be_visible()
    page.get_by_role("button", name="Buat usulan nominasi").click()
    expect(page.get_by_role("alert")).to_have_text("Usulan nominasi dibuat (1 daftar).")
    ranking = page.get_by_role("table", name="Peringkat dan hasil seleksi")
    expect(ranking.get_by_role("row", name=re.compile("SIPANDU"))).to_contain_text("89.58")
    page.get_by_label("Nomor notulen pleno").fill("NOT/TE/2025/07")
    page.get_by_role("button", name="Tetapkan daftar").click()
    expect(page.get_by_role("alert")).to_have_text("Daftar ditetapkan pleno.")
    page.get_by_role("button", name="Catat nominasi (1 proposal diputuskan)").click()
    expect(page.get_by_role("alert")).to_have_text("Nominasi dicatat: 1 nominasi, 0 tidak lolos.")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.NOMINATED
    assert str(proposal.desk_score) == "89.58"

    # Panel review is disabled in the 2025 rules: every nominee becomes a finalist.
    desk.get_by_role("link", name="Finalis").click()
    page.get_by_role("button", name="Tetapkan 1 proposal sebagai finalis").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Finalis ditetapkan: 1 finalis, 0 tidak masuk finalis."
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.FINALIST
    assert proposal.tiers == ["finalis_2025"]
    # Nothing announced yet (no admin-result list either): the participant still sees
    # "submitted", so not even passing the administrative check has leaked.
    assert proposal.participant_state == ProposalState.SUBMITTED


def secretariat_announces(page: Page, cast: Cast) -> None:
    """Step 7: the finalists announcement releases the result (and opens the objections)."""
    open_menu(page, "KIPP", "Pengumuman dan keputusan")
    page.get_by_role("link", name=cast.edition.title).click()
    page.get_by_role("navigation", name="Navigasi publikasi").get_by_role(
        "link", name="Pengumuman"
    ).click()
    page.get_by_role("link", name="Susun pengumuman").click()
    page.get_by_label("Jenis").select_option(label="Finalis")
    page.get_by_label("Nomor surat").fill("B/123/PP.00.05/2025")
    page.get_by_label("Judul").fill("Finalis KIPP 2025")
    page.get_by_label("Nama penanda tangan").fill("Deputi Bidang Pelayanan Publik")
    page.get_by_label("Jabatan penanda tangan").fill("Deputi")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_role("alert")).to_have_text("Draf pengumuman B/123/PP.00.05/2025 tersimpan.")
    expect(page.get_by_text("Uji publik dibuka untuk 1 finalis.")).to_be_visible()
    page.get_by_role("button", name="Terbitkan").click()
    expect(page.get_by_role("alert")).to_have_text("Pengumuman B/123/PP.00.05/2025 telah terbit.")
    log_out(page)


def participant_sees_finalist(page: Page) -> None:
    log_in(page, "operator_a")
    open_menu(page, "KIPP", "Proposal KIPP")
    row = page.get_by_role("row", name=re.compile("SIPANDU"))
    expect(row).to_contain_text("Finalis")
    row.get_by_role("link", name="SIPANDU").click()
    expect(page.get_by_text("Finalis", exact=True).first).to_be_visible()


def test_proposal_goes_from_submission_to_finalist(
    page, unit_a, operator_a, admin_a, secretariat, tmp_path
):
    cast = build_cast(unit_a)

    proposal = operator_writes_and_sends(page, cast, tmp_path)
    admin_submits(page, proposal)
    secretariat_checks(page, cast, proposal)
    secretariat_appoints(page, cast)
    for evaluator in cast.evaluators:
        evaluator_gets_ready(page, evaluator.username)
    secretariat_assigns(page, cast, proposal)
    for evaluator, scores, total in zip(cast.evaluators, SCORES, TOTALS, strict=True):
        evaluator_scores(page, evaluator.username, scores, total)
    secretariat_decides(page, cast, proposal)
    assert proposal.state == ProposalState.FINALIST

    secretariat_announces(page, cast)
    proposal.refresh_from_db()
    # Announced: the participant sees it; the objection window now runs for the finalist.
    assert proposal.participant_state == ProposalState.UNDER_OBJECTION
    assert proposal.state == ProposalState.UNDER_OBJECTION
    participant_sees_finalist(page)
