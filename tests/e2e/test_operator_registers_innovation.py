"""A unit operator registers an innovation, backs it with evidence and publishes it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from prima.core.models import AuditEntry
from prima.innovations.models import Category, Evidence, Innovation
from tests.factories import PASSWORD, InnovationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CATEGORY = ("tata_kelola_pemerintahan", "Tata Kelola Pemerintahan")
SDG_LABEL = "11. Kota dan Permukiman yang Berkelanjutan"


def minimal_pdf() -> bytes:
    """A valid one-page PDF (header, objects, cross-reference table with real offsets)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def log_in(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Masuk", exact=True).click()
    expect(page.get_by_role("heading", name="Masuk ke Prima")).to_be_visible()
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Navigasi utama")


def test_operator_registers_documents_and_publishes_an_innovation(
    page, operator_a, unit_a, tmp_path
):
    # Transactional tests flush the tables, seeded categories included.
    Category.objects.get_or_create(code=CATEGORY[0], defaults={"name": CATEGORY[1], "position": 9})
    pdf = tmp_path / "laporan-sitarang.pdf"
    pdf.write_bytes(minimal_pdf())

    log_in(page, "operator_a")

    # Navigation to the registry, then the registration form.
    nav(page).get_by_role("link", name="Registri inovasi").click()
    expect(page.get_by_role("heading", name="Registri inovasi", level=1)).to_be_visible()
    page.get_by_role("link", name="Daftarkan inovasi").click()
    expect(page.get_by_role("heading", name="Daftarkan inovasi", level=1)).to_be_visible()

    # The operator's only unit is preselected.
    unit = page.get_by_label("Unit pemilik")
    expect(unit.locator("option:checked")).to_have_text(
        "Dinas PUPR Kota Payakumbuh — Kota Payakumbuh"
    )
    page.get_by_label("Nama inovasi").fill("SITARANG")
    page.get_by_label("Akronim").fill("Sistem Informasi Tata Ruang")
    page.get_by_label("Ringkasan").fill(
        "Peta tata ruang daring untuk warga dan pemohon izin bangunan."
    )
    page.get_by_label("Masalah yang diatasi").fill(
        "Warga harus datang ke kantor untuk melihat peta."
    )
    page.get_by_label("Pendekatan/cara kerja").fill("Peta zonasi interaktif di peramban.")
    page.get_by_label("Hasil yang dicapai").fill("Kunjungan ke loket turun 60 persen.")
    page.get_by_label("Penerima manfaat").fill("Warga dan pemohon PBG.")
    page.get_by_label("Mulai diterapkan").fill("2022-03-14")
    page.get_by_label("Inovasi digital").check()
    page.get_by_role("group", name="Kategori").get_by_label(CATEGORY[1]).check()
    page.get_by_role("group", name="Tujuan Pembangunan Berkelanjutan (SDGs)").get_by_label(
        SDG_LABEL
    ).check()
    page.get_by_role("button", name="Simpan").click()

    # Detail page.
    expect(page.get_by_role("alert")).to_have_text("Inovasi «SITARANG» telah didaftarkan.")
    expect(page.get_by_role("heading", name="SITARANG", level=1)).to_be_visible()
    expect(page.get_by_text("Belum dipublikasikan", exact=True)).to_be_visible()
    expect(page.get_by_text(SDG_LABEL)).to_be_visible()
    innovation = Innovation.objects.get(name="SITARANG")
    assert page.url.endswith(f"/inovasi/{innovation.pk}/")
    assert innovation.unit == unit_a
    assert innovation.institution == unit_a.institution
    assert innovation.created_by == operator_a
    assert innovation.acronym == "Sistem Informasi Tata Ruang"
    assert innovation.started_on == dt.date(2022, 3, 14)
    assert innovation.is_digital is True
    assert innovation.sdg_goals == [11]
    assert list(innovation.categories.values_list("code", flat=True)) == [CATEGORY[0]]
    assert innovation.is_published is False

    # Evidence upload.
    page.get_by_role("link", name="Unggah bukti dukung").click()
    expect(page.get_by_role("heading", name="Unggah bukti dukung", level=1)).to_be_visible()
    page.get_by_label("Berkas").set_input_files(str(pdf))
    page.get_by_label("Keterangan").fill("Laporan pemanfaatan SITARANG 2023")
    page.get_by_label("Boleh dilihat publik").check()
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_role("alert")).to_have_text("Bukti dukung telah diunggah.")
    evidence_table = page.get_by_role("table", name="Bukti dukung inovasi")
    row = evidence_table.get_by_role("row").filter(has_text="laporan-sitarang.pdf")
    expect(row).to_contain_text("Laporan pemanfaatan SITARANG 2023")
    expect(row).to_contain_text("application/pdf")
    expect(row.get_by_role("cell", name="Ya", exact=True)).to_be_visible()
    evidence = Evidence.objects.get(innovation=innovation)
    assert evidence.content_type == "application/pdf"
    assert evidence.original_name == "laporan-sitarang.pdf"
    assert evidence.size == pdf.stat().st_size
    assert evidence.is_public is True
    assert evidence.uploaded_by == operator_a

    # Publication.
    page.get_by_role("button", name="Publikasikan ke katalog publik").click()
    expect(page.get_by_role("alert")).to_have_text("Inovasi kini tampil di katalog publik.")
    expect(page.get_by_text("Tampil di katalog publik", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Lihat halaman publik")).to_be_visible()
    expect(page.get_by_role("button", name="Tarik dari katalog publik")).to_be_visible()
    innovation.refresh_from_db()
    assert innovation.is_published is True

    actions = list(
        AuditEntry.objects.filter(actor=operator_a)
        .order_by("id")
        .values_list("action", "object_id")
    )
    assert actions == [
        ("innovation.registered", str(innovation.pk)),
        ("evidence.added", str(evidence.pk)),
        ("innovation.published", str(innovation.pk)),
    ]

    # The internal list, searched by name.
    nav(page).get_by_role("link", name="Registri inovasi").click()
    search = page.get_by_role("search", name="Saring daftar inovasi")
    search.get_by_label("Cari").fill("SITARANG")
    search.get_by_role("button", name="Terapkan").click()
    expect(page).to_have_url(re.compile(r"[?&]q=SITARANG"))
    expect(page.get_by_text("1 inovasi", exact=True)).to_be_visible()
    rows = page.get_by_role("table", name="Daftar inovasi sesuai saringan").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("link", name="SITARANG")).to_be_visible()
    expect(rows.first).to_contain_text("Dinas PUPR Kota Payakumbuh")
    expect(rows.first).to_contain_text(CATEGORY[1])
    expect(rows.first).to_contain_text("14-03-2022")

    # Logged out, the public catalogue shows it with its public evidence.
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("link", name="Masuk", exact=True)).to_be_visible()
    nav(page).get_by_role("link", name="Katalog inovasi").click()
    expect(page).to_have_url(re.compile(r"/inovasi/publik/$"))
    expect(
        page.get_by_role("heading", name="Katalog Inovasi Pelayanan Publik", level=1)
    ).to_be_visible()
    card = page.get_by_role("article").filter(has=page.get_by_role("heading", name="SITARANG"))
    expect(card).to_contain_text("Pemerintah Kota Payakumbuh · Dinas PUPR Kota Payakumbuh")
    card.get_by_role("link", name="SITARANG").click()
    expect(page).to_have_url(re.compile(rf"/inovasi/publik/{innovation.pk}/$"))
    expect(page.get_by_role("heading", name="SITARANG", level=1)).to_be_visible()
    evidence_section = page.get_by_role("region", name="Bukti dukung")
    link = evidence_section.get_by_role("link", name="Laporan pemanfaatan SITARANG 2023")
    expect(link).to_have_attribute("href", f"/inovasi/bukti/{evidence.pk}/")
    expect(evidence_section).to_contain_text("application/pdf")
    # Anonymous visitors can download the public evidence of a published innovation.
    response = page.request.get(f"/inovasi/bukti/{evidence.pk}/")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == pdf.read_bytes()


def test_operator_of_another_institution_cannot_open_an_unpublished_innovation(
    page, unit_a, operator_b
):
    innovation = InnovationFactory(unit=unit_a, name="SITARANG")

    log_in(page, "operator_b")
    response = page.goto(f"/inovasi/{innovation.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Halaman tidak ditemukan", level=1)).to_be_visible()
    expect(page.get_by_text("SITARANG")).to_have_count(0)
