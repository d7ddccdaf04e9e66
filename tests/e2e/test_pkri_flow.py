"""PKRI end to end: a unit fills and sends its sustainability form, the Admin Lokal
submits it, and once the edition is evaluated and published the innovation shows as
awarded on the public pages (pkri.md §5.2, §6.1, §8, §10).

The edition, scope and forms window are set up with the PKRI domain functions, and the
evaluation stages run through them too (tests/e2e/pkri_setup.py); the form itself is
filled in, checked, corrected, sent and submitted only through the pages.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from prima.pkri.enums import FormState
from prima.pkri.models import FormEvidence
from tests.e2e.kipp_setup import log_in, log_out, numbered_pdf
from tests.e2e.pkri_setup import (
    AWARD_YEAR,
    RUNNING_SINCE,
    PkriCast,
    build_pkri_cast,
    evaluate_and_publish,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

UNIT = "Dinas PUPR Kota Payakumbuh"
INSTITUTION = "Pemerintah Kota Payakumbuh"
SHORT_NAME = "Kota Payakumbuh"  # what the public pages call the institution


def group(page: Page, legend: str) -> Locator:
    """A fieldset of the form by its legend."""
    return page.get_by_role("group", name=legend, exact=True)


def fill(scope: Locator, answers: dict[str, str]) -> None:
    """Type into inputs and pick options of selects, each found by its (aria-)label."""
    for label, value in answers.items():
        field = scope.get_by_label(label, exact=True)
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)


def add_row(page: Page, legend: str, answers: dict[str, str]) -> Locator:
    """Press "Tambah baris" under a repeated answer and fill the new row."""
    rows = group(page, legend).locator("tbody tr")
    before = rows.count()
    group(page, legend).get_by_role("button", name="Tambah baris").click()
    expect(rows).to_have_count(before + 1)
    row = rows.nth(before)
    fill(row, answers)
    return row


def beneficiaries(cast: PkriCast) -> list[dict[str, str]]:
    """One row per year since the award (2019) up to the last full year, one measure."""
    return [
        {
            "Tahun": str(year),
            "Jumlah": f"{1_200 + 350 * (year - AWARD_YEAR):,}".replace(",", "."),
            "Satuan": "Orang",
            "Sumber data": "Rekap kunjungan puskesmas keliling",
        }
        for year in range(AWARD_YEAR, cast.last_full_year + 1)
    ]


def operator_fills_and_sends(page: Page, cast: PkriCast, tmp_path) -> None:
    """The unit operator fills the form, meets a field error, fixes it, uploads the
    documents and sends the form to its Admin Lokal."""
    log_in(page, "operator_a")
    page.goto("/pkri/formulir/")
    expect(page.get_by_role("heading", name="Formulir PKRI saya", level=1)).to_be_visible()
    row = page.get_by_role("row", name=re.compile("SIPANDU"))
    expect(row).to_contain_text("Keberlanjutan")
    expect(row).to_contain_text("Diumumkan")
    row.get_by_role("link", name="SIPANDU").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SIPANDU")
    # Nothing answered yet: the page already says what keeps the form from being sent.
    expect(
        page.get_by_text(re.compile(r"^Formulir belum dapat dikirim: \d+ isian"))
    ).to_be_visible()

    # Status: still running; the start date comes from the registry.
    page.get_by_label("Inovasi masih berjalan", exact=True).select_option(label="Ya")
    expect(page.get_by_label("Berjalan sejak", exact=True)).to_have_value(RUNNING_SINCE.isoformat())

    add_row(
        page,
        "Penyempurnaan sejak penghargaan",
        {
            "Tahun": str(AWARD_YEAR + 2),
            "Jenis": "Teknologi",
            "Uraian (≤ 150 kata)": "Rujukan daring desa tersambung ke aplikasi rumah sakit.",
        },
    )
    page.get_by_label("Cakupan bertambah sejak penghargaan", exact=True).select_option(label="Ya")
    page.get_by_label("Lokasi atau unit baru", exact=True).fill(
        "Dari 6 menjadi 12 kecamatan di Kota Payakumbuh."
    )

    # Beneficiaries for every year since the award; a row added by mistake is removed.
    for answers in beneficiaries(cast):
        add_row(page, "Penerima manfaat per tahun", answers)
    spare = add_row(page, "Penerima manfaat per tahun", {"Tahun": str(AWARD_YEAR - 1)})
    spare.get_by_role("button", name="Hapus baris").click()
    expect(group(page, "Penerima manfaat per tahun").locator("tbody tr")).to_have_count(
        cast.last_full_year - AWARD_YEAR + 1
    )

    # Budget of the last three full years; the first amount is mistyped as negative.
    budget_years = range(cast.last_full_year - 2, cast.last_full_year + 1)
    for n, year in enumerate(budget_years):
        add_row(
            page,
            "Anggaran",
            {
                "Tahun": str(year),
                "Sumber": "APBD",
                "Program/kegiatan": "Program Pemenuhan Upaya Kesehatan Perorangan",
                "Jumlah (Rp)": "-5.000.000" if n == 0 else f"{450 + 25 * n}.000.000",
            },
        )

    add_row(
        page,
        "Dasar hukum",
        {
            "Jenis": "Peraturan Kepala Daerah",
            "Nomor": "12 Tahun 2018",
            "Tanggal": "2018-04-02",
            "Judul": "Layanan Kesehatan Terpadu Keliling",
        },
    )
    fill(group(page, "SOP"), {"Ada": "Ya", "Nomor": "SOP/DINKES/07/2019", "Tanggal": "2019-01-15"})
    fill(group(page, "SK tim inovasi"), {"Ada": "Tidak"})
    fill(
        group(page, "Narahubung resmi"),
        {
            "Nama": "Rina Marlina",
            "Jabatan": "Kepala Bidang Pelayanan",
            "Surel resmi": "rina.marlina@payakumbuhkota.go.id",
        },
    )
    page.get_by_label("Kami menyatakan bahwa isian ini benar", exact=True).check()
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_role("alert").filter(has_text="Formulir tersimpan")).to_have_text(
        "Formulir tersimpan sebagai draf."
    )

    # The negative amount is named at its own field, in Indonesian.
    amount = group(page, "Anggaran").locator("tbody tr").first.get_by_label("Jumlah (Rp)")
    expect(amount).to_have_value("-5000000")
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(amount).to_have_accessible_description(
        "Nilai tidak boleh negatif (tertulis -5.000.000)."
    )
    expect(group(page, "Anggaran").locator(".invalid-feedback")).to_have_count(1)
    amount.fill("5.000.000")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_role("alert").filter(has_text="Formulir tersimpan")).to_be_visible()
    expect(group(page, "Anggaran").locator(".invalid-feedback")).to_have_count(0)
    # What is left are the documents: the SOP and the signed declaration.
    expect(page.get_by_text("Formulir belum dapat dikirim: 2 isian")).to_be_visible()

    # The documents, each uploaded for its answer (picked by its label), which then
    # refers to it.
    uploads = (
        "SOP › Berkas (PDF)",
        "Dasar hukum › baris 1 › Berkas (PDF)",
        "Surat pernyataan ditandatangani pimpinan (PDF)",
    )
    for n, answer in enumerate(uploads, start=1):
        pdf = tmp_path / f"dokumen-{n}.pdf"
        pdf.write_bytes(numbered_pdf(n))
        page.get_by_label("Untuk isian").select_option(label=answer)
        page.get_by_label("Berkas PDF (≤ 2 MB)").set_input_files(str(pdf))
        page.get_by_role("button", name="Unggah").click()
        expect(page.get_by_role("alert").filter(has_text="diunggah")).to_have_text(
            f"Berkas «dokumen-{n}.pdf» telah diunggah."
        )
    files = page.get_by_role("region", name="Berkas bukti").get_by_role("table")
    expect(files.locator("tbody tr")).to_have_count(len(uploads))
    expect(group(page, "SOP").get_by_label("Berkas (PDF)")).to_have_value(
        str(FormEvidence.objects.get(form=cast.form, field="sop.file").pk)
    )
    expect(page.get_by_text("Formulir belum dapat dikirim")).to_have_count(0)

    page.get_by_role("button", name="Kirim ke Admin Lokal").click()
    expect(page.get_by_role("alert")).to_have_text("Formulir telah dikirim ke Admin Lokal.")
    expect(page.get_by_text("Di Admin Lokal", exact=True)).to_be_visible()
    # The unit can no longer change it.
    expect(page.get_by_role("button", name="Simpan draf")).to_have_count(0)
    log_out(page)

    cast.form.refresh_from_db()
    data = cast.form.data
    assert cast.form.state == FormState.AT_INSTITUTION
    assert data["still_running"] is True
    assert [row["year"] for row in data["beneficiaries"]] == list(
        range(AWARD_YEAR, cast.last_full_year + 1)
    )
    assert {row["measure"] for row in data["beneficiaries"]} == {"people"}
    assert [(row["year"], row["amount"]) for row in data["budget"]] == [
        (budget_years[0], 5_000_000),
        (budget_years[1], 475_000_000),
        (budget_years[2], 500_000_000),
    ]
    assert data["sop"]["exists"] is True and data["sop"]["file"] is not None
    assert data["team_decree"]["exists"] is False
    assert data["legal_basis"][0]["file"] is not None
    assert data["declaration"] is True and data["declaration_file"] is not None


def admin_submits(page: Page, cast: PkriCast) -> None:
    """The Admin Lokal checks the form on its progress page and submits it."""
    log_in(page, "admin_a")
    page.goto(f"/pkri/{cast.edition.code}/instansi/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Formulir instansi")
    row = page.get_by_role("row", name=re.compile("SIPANDU"))
    expect(row).to_contain_text("Di Admin Lokal")
    expect(row).to_contain_text(UNIT)
    row.get_by_role("link", name="SIPANDU").click()
    page.get_by_role("link", name="Periksa dan kirim ke sekretariat").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^Semua isian memenuhi ketentuan"))
    page.get_by_role("button", name="Kirim ke sekretariat").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Formulir telah dikirim ke sekretariat; isiannya terkunci."
    )
    expect(page.get_by_text("Sidik jari isian (SHA-256)")).to_be_visible()
    log_out(page)
    cast.form.refresh_from_db()
    assert cast.form.state == FormState.SUBMITTED
    # The answers are frozen as sent, with their SHA-256.
    snapshot = cast.form.snapshot
    assert snapshot is not None and snapshot["data"] == cast.form.data
    assert len(cast.form.snapshot_hash) == 64


def public_sees_the_award(page: Page, cast: PkriCast) -> None:
    """Anonymously: the programme page, the group's results, the institution's page and
    the award list all show SIPANDU as awarded."""
    year = cast.year
    award_title = f"Top Inovasi Pelayanan Publik Kategori Kelompok Keberlanjutan {year}"
    page.goto(f"/pkri/{year}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(cast.edition.title)
    expect(page.locator('[data-sentence="T3"]')).to_have_text(
        f"PKRI {year} memantau 1 inovasi pada 1 instansi: 0 kementerian, 0 lembaga, "
        "1 pemerintah daerah, dan 0 BUMN"
    )
    expect(page.locator('[data-sentence="T4"]')).to_contain_text(
        f"Sebanyak 1 penghargaan PKRI {year} diserahkan pada Gebyar Pelayanan Prima {year}"
    )
    expect(
        page.get_by_text(re.compile(r"^100(,00)?% masih berjalan \(1 dari 1 yang menjawab"))
    ).to_be_visible()
    page.get_by_role("link", name="Hasil Keberlanjutan").click()
    expect(page).to_have_url(re.compile(rf"/pkri/{year}/hasil/\?kelompok=keberlanjutan$"))
    expect(page.get_by_text("1 peserta, 1 menerima penghargaan")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("SIPANDU"))
    expect(row.get_by_role("cell", name=UNIT, exact=True)).to_be_visible()
    expect(row.get_by_role("cell", name="Pemerintah Kota", exact=True)).to_be_visible()
    expect(row.locator(".badge")).to_have_text(award_title)

    row.get_by_role("link", name=SHORT_NAME).click()
    expect(page).to_have_url(
        re.compile(rf"/pkri/{year}/instansi/{cast.innovation.institution_id}/$")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(SHORT_NAME)
    row = page.get_by_role("row", name=re.compile("SIPANDU"))
    expect(row).to_contain_text("Keberlanjutan")
    expect(row).to_contain_text(award_title)
    last = cast.last_full_year
    served = f"{1_200 + 350 * (last - AWARD_YEAR):,}".replace(",", ".")
    expect(row.locator('[data-sentence="T5"]')).to_have_text(
        f"SIPANDU ({UNIT}, Kota Payakumbuh) masih berjalan sejak {RUNNING_SINCE.year} dan "
        f"melayani {served} orang pada {last}"
    )

    page.goto(f"/penghargaan/{cast.edition.code}/daftar/")
    expect(page.get_by_role("heading", name="Penerima penghargaan", level=1)).to_be_visible()
    section = page.get_by_role("region", name=award_title)
    row = section.get_by_role("row", name=re.compile("SIPANDU"))
    expect(row).to_contain_text(INSTITUTION)


def test_sustainability_form_goes_from_unit_to_public_award(
    page, unit_a, operator_a, admin_a, secretariat, tmp_path
):
    cast = build_pkri_cast(unit_a, secretariat)

    # Before the results nothing is public.
    response = page.goto(f"/pkri/{cast.year}/hasil/?kelompok=keberlanjutan")
    assert response is not None and response.status == 404

    operator_fills_and_sends(page, cast, tmp_path)
    admin_submits(page, cast)
    evaluate_and_publish(cast, secretariat)
    public_sees_the_award(page, cast)
