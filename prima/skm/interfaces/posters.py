"""QR codes and printouts that bring citizens to the survey (skm.md §7).

- :func:`survey_link`, :func:`code_page_link`, :func:`token_link`: absolute addresses
  (``SITE_URL``) printed and encoded in QR codes;
- :func:`qr_svg` / :func:`qr_png`: the QR symbol of a link as a download;
- :func:`poster_pdf`: an A4 poster with a large QR code for the service counter;
- :func:`codes_pdf`: sheets of one-time code slips to cut out, rendered once at issue
  time (only digests are stored, the codes cannot be printed again).

PDFs go through Prima's document toolkit (`prima.core.documents`), in Bahasa Indonesia
like every official printout; the QR is the toolkit's vector `QrCode`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import qrcode
from django.urls import reverse
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from prima.core.documents import (
    DocumentMeta,
    QrCode,
    content_width,
    escape,
    indonesian_date,
    paragraph,
    qr_matrix,
    render_pdf,
    styles,
)
from prima.core.documents.qr import QUIET_ZONE
from prima.core.documents.styles import FONT_BOLD, GRID
from prima.core.domain.accounts.mail import site_url

SLIP_COLUMNS = 2


def survey_link(public_id: str) -> str:
    """The open link of a survey (``/survei/<public_id>/``)."""
    return site_url(reverse("skm_public_survey", args=[public_id]))


def code_page_link() -> str:
    """Where a code from a printed slip is typed in (``/survei/kode/``)."""
    return site_url(reverse("skm_public_code"))


def token_link(secret: str) -> str:
    """An after-service link (``/survei/t/<token>/``)."""
    return site_url(reverse("skm_public_token", args=[secret]))


# ------------------------------------------------------------------------ QR downloads


def qr_svg(payload: str, *, title: str = "") -> str:
    """A standalone SVG of the QR symbol (quiet zone included), one path of dark runs."""
    matrix = qr_matrix(payload)
    size = len(matrix) + 2 * QUIET_ZONE
    runs: list[str] = []
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            runs.append(f"M{QUIET_ZONE + start} {QUIET_ZONE + r}h{c - start}v1h-{c - start}z")
    label = escape(title or payload)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'role="img" aria-label="{label}" shape-rendering="crispEdges">'
        f"<title>{label}</title>"
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )


def qr_png(payload: str, *, box_size: int = 12) -> bytes:
    """A PNG of the QR symbol, ``box_size`` pixels per module (quiet zone included)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=QUIET_ZONE)
    code.add_data(payload)
    code.make(fit=True)
    image = code.make_image()
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------ PDFs


def _centred(name: str, size: float, *, bold: bool = False) -> ParagraphStyle:
    base = styles()
    return ParagraphStyle(
        name,
        parent=base.body,
        fontName=FONT_BOLD if bold else base.body.fontName,
        fontSize=size,
        leading=size * 1.25,
        alignment=TA_CENTER,
        spaceAfter=size * 0.3,
    )


def poster_story(
    *, link: str, unit_name: str, institution_name: str, period_label: str
) -> list[Flowable]:
    width = content_width(A4)
    story: list[Flowable] = [
        paragraph("SURVEI KEPUASAN MASYARAKAT", _centred("poster-title", 24, bold=True)),
        paragraph(unit_name, _centred("poster-unit", 18, bold=True)),
        paragraph(institution_name, _centred("poster-inst", 13)),
        paragraph(f"Periode {period_label}", _centred("poster-period", 12)),
        Spacer(1, 6 * mm),
        paragraph(
            "Bagaimana pelayanan kami hari ini? Pindai kode QR ini dengan kamera ponsel "
            "dan isi survei singkat (± 2 menit). Tanpa nama, tanpa login.",
            _centred("poster-ask", 14),
        ),
        Spacer(1, 4 * mm),
    ]
    qr = Table([[QrCode(link, size=min(120 * mm, width))]], colWidths=[width])
    qr.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    story += [
        qr,
        Spacer(1, 4 * mm),
        paragraph("atau buka alamat:", _centred("poster-or", 11)),
        paragraph(link, _centred("poster-link", 13, bold=True)),
        Spacer(1, 6 * mm),
        paragraph(
            "Jawaban Anda membantu kami memperbaiki pelayanan. "
            "Hasil survei diumumkan kepada masyarakat.",
            _centred("poster-note", 11),
        ),
    ]
    return story


def poster_pdf(
    *,
    link: str,
    unit_name: str,
    institution_name: str,
    period_label: str,
    generated_at: dt.datetime,
) -> bytes:
    """An A4 poster for the counter: the unit, the period, a 12-cm QR code and the link."""
    return render_pdf(
        poster_story(
            link=link,
            unit_name=unit_name,
            institution_name=institution_name,
            period_label=period_label,
        ),
        DocumentMeta(
            title=f"Poster SKM {unit_name} {period_label}",
            subject="Survei Kepuasan Masyarakat",
            public_url=link,
            generated_at=generated_at,
            letterhead=None,
            running_header=f"Survei Kepuasan Masyarakat — {unit_name}",
        ),
    )


def _slip(
    code: str, *, unit_name: str, link: str, expires_on: dt.date, service_name: str, width: float
) -> Table:
    """One slip: the code page's QR on the left, the unit, the code and how to use it."""
    small = ParagraphStyle(
        "slip-small", parent=styles().small, fontSize=6.5, leading=8, spaceAfter=0
    )
    title = ParagraphStyle("slip-title", parent=small, fontName=FONT_BOLD, fontSize=7)
    big = ParagraphStyle("slip-code", parent=small, fontName=FONT_BOLD, fontSize=13, leading=17)
    lines: list[Flowable] = [
        paragraph("Survei Kepuasan Masyarakat", title),
        paragraph(unit_name + (f" — {service_name}" if service_name else ""), small),
        paragraph(code, big),
        paragraph(f"Ketik kode di {link}", small),
        paragraph(f"Sekali pakai, s.d. {indonesian_date(expires_on)}", small),
    ]
    qr_size = 16 * mm
    slip = Table(
        [[QrCode(link, size=qr_size), lines]],
        colWidths=[qr_size + 3 * mm, width - qr_size - 3 * mm],
    )
    slip.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return slip


def codes_story(
    codes: Sequence[str],
    *,
    unit_name: str,
    link: str,
    batch: str,
    expires_on: dt.date,
    service_name: str = "",
) -> list[Flowable]:
    width = content_width(A4)
    intro = paragraph(
        f"Kelompok {batch}: {len(codes)} kode sekali pakai. Gunting per kotak dan berikan "
        "satu kotak kepada setiap pengguna layanan. Kode ini tidak dapat dicetak ulang.",
        styles().small,
    )
    slip_width = width / SLIP_COLUMNS - 6 * mm
    cells = [
        _slip(
            code,
            unit_name=unit_name,
            link=link,
            expires_on=expires_on,
            service_name=service_name,
            width=slip_width,
        )
        for code in codes
    ]
    rows: list[list[object]] = [
        list(cells[i : i + SLIP_COLUMNS]) for i in range(0, len(cells), SLIP_COLUMNS)
    ]
    while len(rows[-1]) < SLIP_COLUMNS:
        rows[-1].append("")
    table = Table(rows, colWidths=[width / SLIP_COLUMNS] * SLIP_COLUMNS, repeatRows=0)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("LINESTYLE", (0, 0), (-1, -1), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
            ]
        )
    )
    return [intro, Spacer(1, 3 * mm), table]


def codes_pdf(
    codes: Sequence[str],
    *,
    unit_name: str,
    batch: str,
    expires_on: dt.date,
    service_name: str = "",
    generated_at: dt.datetime,
) -> bytes:
    """Slips of one-time codes, two across, each with the code page's QR and link."""
    link = code_page_link()
    return render_pdf(
        codes_story(
            codes,
            unit_name=unit_name,
            link=link,
            batch=batch,
            expires_on=expires_on,
            service_name=service_name,
        ),
        DocumentMeta(
            title=f"Kode survei {unit_name} — {batch}",
            subject="Kode sekali pakai Survei Kepuasan Masyarakat",
            public_url=link,
            generated_at=generated_at,
            letterhead=None,
        ),
    )


def codes_filename(batch: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in batch.lower()).strip("-")
    while "--" in slug:
        slug = slug.replace("--", "-")
    return f"kode-survei-{slug or 'kelompok'}.pdf"
