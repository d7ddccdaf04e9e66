"""The document toolkit (prima/core/documents): what a printed Prima PDF shows."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from prima.core.documents import (
    DocumentMeta,
    QrCode,
    column_widths,
    content_width,
    data_table,
    escape,
    indonesian_date,
    indonesian_datetime,
    paragraph,
    paragraphs,
    pdf_response,
    qr_matrix,
    render_pdf,
    styles,
)
from tests.pdf import pdf_pages, qr_symbols

URL = "https://prima.example.go.id/kipp/publik/pengumuman/7/"
AT = dt.datetime(2026, 11, 24, 7, 5, tzinfo=dt.UTC)  # 14.05 WIB


def meta(**changes: Any) -> DocumentMeta:
    values: dict[str, Any] = {
        "title": "Dokumen uji",
        "public_url": URL,
        "generated_at": AT,
        "fingerprint": "0f" * 32,
    }
    values.update(changes)
    return DocumentMeta(**values)


def long_story(rows=150):
    look = styles()
    cells = [
        (str(i), f"Inovasi Nomor {i:03d}", f"Instansi Nomor {i:03d}", "Sumatera Barat")
        for i in range(1, rows + 1)
    ]
    return [
        paragraph("DAFTAR UJI", look.title),
        data_table(
            ["No.", "Inovasi", "Instansi", "Provinsi"],
            cells,
            column_widths(content_width(), [1, 5, 5, 3]),
        ),
    ]


class TestIndonesianDates:
    def test_a_day_is_written_with_the_indonesian_month(self):
        assert indonesian_date(dt.date(2026, 11, 24)) == "24 November 2026"
        assert indonesian_date(dt.date(2025, 2, 1)) == "1 Februari 2025"

    def test_a_moment_is_read_in_jakarta_time(self):
        late_utc = dt.datetime(2026, 11, 24, 20, 30, tzinfo=dt.UTC)
        assert indonesian_date(late_utc) == "25 November 2026"
        assert indonesian_datetime(late_utc) == "25 November 2026 pukul 03.30 WIB"
        assert indonesian_datetime(AT) == "24 November 2026 pukul 14.05 WIB"

    def test_a_naive_time_is_refused(self):
        with pytest.raises(ValueError):
            indonesian_datetime(dt.datetime(2026, 11, 24, 14, 5))
        with pytest.raises(ValueError):
            render_pdf(long_story(1), meta(generated_at=dt.datetime(2026, 11, 24, 14, 5)))


class TestSafeText:
    def test_markup_in_user_text_is_escaped(self):
        assert escape('Sehat <b>Bersama</b> & "Aman"') == (
            "Sehat &lt;b&gt;Bersama&lt;/b&gt; &amp; &quot;Aman&quot;"
        )
        assert escape("a\x00b\x1fc") == "abc"
        assert escape(None) == ""

    def test_user_text_prints_literally_and_keeps_its_paragraphs(self):
        look = styles()
        story = [
            *paragraphs("Loket <Ramah> & Cepat\nbaris dua\n\nParagraf <dua>", look.body),
            paragraph("<font size=40>besar</font>", look.body),
        ]
        text = pdf_pages(render_pdf(story, meta()))[0]
        assert "Loket <Ramah> & Cepat\nbaris dua" in text
        assert "Paragraf <dua>" in text
        assert "<font size=40>besar</font>" in text

    def test_blank_text_gives_no_paragraph(self):
        assert paragraphs("  \n\n ", styles().body) == []


class TestQrCode:
    def test_the_matrix_is_a_function_of_the_payload(self):
        matrix = qr_matrix(URL)
        assert matrix == qr_matrix(URL)
        assert len(matrix) == len(matrix[0]) >= 21
        assert matrix != qr_matrix(URL.replace("/7/", "/8/"))
        # The finder pattern's corner: a 7×7 ring with a dark 3×3 centre.
        assert all(matrix[0][:7]) and all(matrix[6][:7])
        assert not any(matrix[1][1:6]) and all(matrix[3][2:5])

    def test_an_empty_payload_is_refused(self):
        with pytest.raises(ValueError):
            qr_matrix("")

    def test_the_symbol_drawn_in_the_pdf_encodes_the_payload(self):
        content = render_pdf([QrCode(URL), QrCode("https://lain.example/")], meta())
        symbols = list(qr_symbols(content).values())
        assert sorted(symbols) == sorted([qr_matrix(URL), qr_matrix("https://lain.example/")])


class TestPages:
    def test_a_long_table_runs_over_pages_with_its_header_and_numbers(self):
        pages = pdf_pages(render_pdf(long_story(), meta()))
        total = len(pages)
        assert total >= 3
        seen: list[int] = []
        for number, text in enumerate(pages, start=1):
            assert f"Halaman {number} dari {total}" in text
            assert re.search(r"No\.\s*Inovasi\s*Instansi\s*Provinsi", text), number
            seen += [int(n) for n in re.findall(r"Inovasi Nomor (\d{3})", text)]
        # Every row once, in order, none split or lost at a page break.
        assert seen == list(range(1, 151))

    def test_letterhead_on_the_first_page_and_running_header_after(self):
        pages = pdf_pages(render_pdf(long_story(), meta(running_header="Lanjutan uji")))
        assert "KEMENTERIAN PENDAYAGUNAAN APARATUR NEGARA" in pages[0]
        assert "DEPUTI BIDANG PELAYANAN PUBLIK" in pages[0]
        assert "Lanjutan uji" not in pages[0]
        assert "KEMENTERIAN" not in pages[1]
        assert "Lanjutan uji" in pages[1]

    def test_every_page_has_the_footer(self):
        pages = pdf_pages(render_pdf(long_story(), meta()))
        for text in pages:
            assert f"Dokumen ini dapat diperiksa di {URL}" in text
            assert "Dibuat 24 November 2026 pukul 14.05 WIB" in text
            assert "SHA-256: " + "0f" * 32 in text

    def test_watermark_only_when_asked(self):
        plain = pdf_pages(render_pdf(long_story(60), meta()))
        marked = pdf_pages(render_pdf(long_story(60), meta(watermark="DRAF")))
        assert not any("DRAF" in text for text in plain)
        assert all("DRAF" in text for text in marked)


class TestDeterminism:
    def test_same_input_and_time_give_the_same_bytes(self):
        first = render_pdf(long_story(), meta())
        assert render_pdf(long_story(), meta()) == first
        assert render_pdf(long_story(), meta(generated_at=AT + dt.timedelta(minutes=1))) != first

    def test_the_file_is_dated_at_generation_in_wib(self):
        info = PdfReader(io.BytesIO(render_pdf(long_story(1), meta()))).metadata
        assert info is not None
        assert info["/CreationDate"] == "D:20261124140500+07'00'"
        assert info["/Title"] == "Dokumen uji"


def test_pdf_response_is_inline_with_a_safe_name():
    response = pdf_response(b"%PDF-1.4", 'pengumuman-b-1.pdf"; x=y', private=True)
    assert response["Content-Type"] == "application/pdf"
    # A quote in the name cannot end the header's filename and add a parameter.
    assert response["Content-Disposition"] == 'inline; filename="pengumuman-b-1.pdfxy"'
    assert response["Cache-Control"] == "private, no-store"
