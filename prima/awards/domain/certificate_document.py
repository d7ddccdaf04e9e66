"""The piagam: an A4 landscape certificate with a QR code to its verification page.

Everything printed comes from the certificate's `facts` (what the signature covers), its
number and its verification code, so the paper and the verification page say the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from prima.core.documents import (
    DocumentMeta,
    QrCode,
    column_widths,
    content_width,
    indonesian_date,
    paragraph,
    render_pdf,
    styles,
)
from prima.core.documents.styles import FONT_BOLD, RULE
from prima.core.domain.accounts.mail import site_url

PAGE = landscape(A4)
TITLE = "PIAGAM PENGHARGAAN"


def verification_url(code: str) -> str:
    """The absolute address of the certificate's public verification page (`SITE_URL`)."""
    return site_url(reverse("awards_verify", args=[code]))


def _look() -> dict[str, ParagraphStyle]:
    base = styles()
    return {
        "banner": ParagraphStyle(
            "piagam-banner",
            parent=base.title,
            fontName=FONT_BOLD,
            fontSize=26,
            leading=32,
            textColor=RULE,
            spaceAfter=4,
        ),
        "text": ParagraphStyle("piagam-text", parent=base.subtitle, fontSize=12, leading=16),
        "recipient": ParagraphStyle(
            "piagam-recipient", parent=base.title, fontSize=20, leading=25, spaceAfter=2
        ),
        "detail": ParagraphStyle("piagam-detail", parent=base.subtitle, fontSize=11, leading=14),
        "category": ParagraphStyle(
            "piagam-category", parent=base.title, fontSize=15, leading=19, alignment=TA_CENTER
        ),
        "small": base.small,
        "body": base.body,
    }


def recipient_lines(
    facts: Mapping[str, Any], *, owners: tuple[str, ...] = ("unit", "institution")
) -> tuple[str, str]:
    """The recipient's main line and the line under it: for an innovation its `owners`
    ("Dinas Kesehatan — Kota Payakumbuh"); for an institution nothing under it."""
    if facts.get("innovation"):
        owner = [str(facts[k]) for k in owners if facts.get(k)]
        return str(facts["innovation"]), " — ".join(owner)
    return str(facts.get("institution", "")), ""


def edition_line(facts: Mapping[str, Any]) -> str:
    """The edition's title, with its year only when the title does not already say it."""
    title = str(facts.get("edition", ""))
    year = str(facts.get("year", "") or "")
    return f"{title} ({year})" if year and year not in title else title


def decree_sentence(facts: Mapping[str, Any]) -> str:
    number = facts.get("decree_number")
    if not number:
        return ""
    day = facts.get("decree_date")
    when = f" tanggal {indonesian_date(dt.date.fromisoformat(day))}" if day else ""
    return f"Berdasarkan Keputusan Nomor {number}{when}"


def certificate_story(*, number: str, code: str, facts: Mapping[str, Any]) -> list[Flowable]:
    look = _look()
    url = verification_url(code)
    main, under = recipient_lines(facts)
    story: list[Flowable] = [
        paragraph(TITLE, look["banner"]),
        paragraph(f"Nomor {number}", look["detail"]),
        Spacer(1, 5 * mm),
        paragraph("diberikan kepada", look["text"]),
        paragraph(main, look["recipient"]),
    ]
    if under:
        story.append(paragraph(under, look["detail"]))
    story += [
        Spacer(1, 4 * mm),
        paragraph("sebagai", look["text"]),
        paragraph(str(facts.get("category", "")), look["category"]),
        paragraph(edition_line(facts), look["detail"]),
    ]
    decree = decree_sentence(facts)
    if decree:
        story.append(paragraph(decree, look["detail"]))
    if facts.get("event_name"):
        event = str(facts["event_name"])
        if facts.get("event_date"):
            event += f", {indonesian_date(dt.date.fromisoformat(str(facts['event_date'])))}"
        story.append(paragraph(f"Diserahkan pada {event}", look["detail"]))
    story.append(Spacer(1, 6 * mm))
    left = [QrCode(url, size=30 * mm)]
    right = [
        paragraph(f"Kode verifikasi: {code}", look["body"]),
        paragraph(
            "Pindai kode QR atau buka alamat berikut untuk memeriksa keaslian piagam ini:",
            look["small"],
        ),
        paragraph(url, look["small"]),
    ]
    width = content_width(PAGE)
    table = Table([[left, right]], colWidths=column_widths(width * 0.7, [1, 3]))
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story.append(table)
    return story


def render_certificate_pdf(
    *, number: str, code: str, facts: Mapping[str, Any], generated_at: dt.datetime
) -> bytes:
    """The PDF bytes of a piagam (deterministic for the same input and time)."""
    with translation.override(settings.LANGUAGE_CODE):
        url = verification_url(code)
        return render_pdf(
            certificate_story(number=number, code=code, facts=facts),
            DocumentMeta(
                title=f"Piagam Penghargaan {number}",
                subject=str(facts.get("category", "")),
                public_url=url,
                generated_at=generated_at,
                pagesize=PAGE,
            ),
        )


def pdf_filename(number: str) -> str:
    """`piagam-pkri-2024-keberlanjutan-001.pdf` for PKRI-2024/KEBERLANJUTAN/001."""
    slug = "".join(c if c.isalnum() else "-" for c in number.lower()).strip("-")
    return f"piagam-{slug}.pdf"
