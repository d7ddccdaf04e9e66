"""The official PDF of a KIPP announcement (kipp.md §15).

Letterhead, number, title, date, edition, body, the decree it rests on, the signatory with
a QR code to the public page, and the attached list with the same rows and columns as the
public page (`attached_list`, which that page uses too). The footer carries the public
address, the generation time and the SHA-256 of the announcement's content
(`content_fingerprint`), so a printed copy can be compared with the page. A draft is
rendered for the secretariat with a «DRAF» watermark.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

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
    render_pdf,
    styles,
)
from prima.core.domain.accounts.mail import site_url
from prima.kipp.domain.announcements import (
    AttachedList,
    attached_list,
    cited_decrees,
    content_fingerprint,
    published_announcements,
)
from prima.kipp.models import Announcement, Decree

DRAFT_WATERMARK = "DRAF"
EMPTY = "–"  # what the public list shows for an empty cell


@dataclass(frozen=True)
class AnnouncementDocument:
    """Everything the PDF prints, gathered once (also what the fingerprint covers)."""

    announcement: Announcement
    listing: AttachedList
    decrees: list[Decree]
    corrections: list[Announcement]
    public_url: str
    fingerprint: str

    @property
    def draft(self) -> bool:
        return self.announcement.published_at is None


def public_url(announcement: Announcement) -> str:
    """The absolute address of the public page (the QR code's payload), from `SITE_URL`."""
    return site_url(reverse("kipp_public_announcement", args=[announcement.pk]))


def pdf_filename(announcement: Announcement) -> str:
    """`pengumuman-b-40-pp-00-05-2025.pdf` for number B/40/PP.00.05/2025."""
    slug = re.sub(r"[^a-z0-9]+", "-", announcement.number.lower()).strip("-")
    return f"pengumuman-{slug or announcement.pk}.pdf"


def announcement_document(announcement: Announcement) -> AnnouncementDocument:
    """Collect the announcement's printed content (a draft's list is generated now)."""
    listing = attached_list(announcement)
    corrections = (
        list(published_announcements().filter(corrects=announcement))
        if announcement.published_at is not None
        else []
    )
    return AnnouncementDocument(
        announcement=announcement,
        listing=listing,
        decrees=cited_decrees(announcement, listing.rows),
        corrections=corrections,
        public_url=public_url(announcement),
        fingerprint=content_fingerprint(announcement, listing.rows),
    )


def listing_table(listing: AttachedList) -> tuple[list[str], list[list[str]], list[float]]:
    """Header, cells and column proportions of the attached list, as the public page shows
    it (kipp/public/_listing.html): numbered rows, slot columns for a schedule, a tier
    column when any row has a tier."""
    header = ["No."]
    ratios = [0.9]
    if listing.schedule:
        header.append("Waktu (WIB)")
        ratios.append(1.9)
    header += ["Inovasi", "Instansi", "Provinsi", "Kelompok", "Kategori"]
    ratios += [3.7, 3.0, 1.7, 1.9, 2.7]
    if listing.with_tier:
        header.append("Tier")
        ratios.append(2.2)
    if listing.schedule:
        header.append("Cara")
        ratios.append(1.9)
    cells: list[list[str]] = []
    for number, row in enumerate(listing.rows, start=1):
        line = [str(number)]
        if listing.schedule:
            starts = str(row.get("starts_at") or "")
            line.append(f"{starts[:10]} {starts[11:16]}".strip())
        line += [
            str(row.get("title", "")),
            str(row.get("institution", "")),
            str(row.get("province") or EMPTY),
            str(row.get("group_label", "")),
            str(row.get("category_label", "")),
        ]
        if listing.with_tier:
            line.append(str(row.get("tier_label") or EMPTY))
        if listing.schedule:
            if row.get("mode") == "online":
                line.append("Daring")
            else:
                place = row.get("location")
                line.append(f"Luring, {place}" if place else "Luring")
        cells.append(line)
    return header, cells, ratios


def _facts(document: AnnouncementDocument) -> Table:
    """Edition, kind, date and publication as a small two-column block."""
    look = styles()
    announcement = document.announcement
    edition = announcement.edition
    published = announcement.published_at
    rows = [
        ("Penyelenggaraan", f"{edition.title} ({edition.year})"),
        ("Jenis", str(announcement.get_kind_display())),
        ("Tanggal", indonesian_date(announcement.date)),
        (
            "Terbit",
            indonesian_datetime(published) if published else "Belum terbit (draf)",
        ),
    ]
    data = [[paragraph(label, look.small), paragraph(value, look.body)] for label, value in rows]
    table = Table(data, colWidths=column_widths(content_width(), [1, 4]), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _signature(document: AnnouncementDocument) -> Table:
    """The QR code to the public page on the left, the signatory on the right."""
    look = styles()
    announcement = document.announcement
    caption = (
        "Halaman publik tersedia setelah pengumuman terbit."
        if document.draft
        else "Pindai untuk membuka pengumuman ini di halaman publik."
    )
    left = [QrCode(document.public_url, size=28 * mm), paragraph(caption, look.small)]
    right = [
        paragraph(f"Jakarta, {indonesian_date(announcement.date)}", look.body),
        paragraph(announcement.signatory_position, look.body),
        Spacer(1, 14 * mm),
        Paragraph(f"<b>{escape(announcement.signatory_name)}</b>", look.body),
    ]
    table = Table([[left, right]], colWidths=column_widths(content_width(), [1, 1.3]))
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def announcement_story(document: AnnouncementDocument) -> list[Flowable]:
    """The flowables of the PDF, in reading order."""
    look = styles()
    announcement = document.announcement
    story: list[Flowable] = [
        paragraph("PENGUMUMAN", look.title),
        paragraph(f"Nomor {announcement.number}", look.subtitle),
        paragraph("tentang", look.subtitle),
        paragraph(announcement.title, look.title),
        Spacer(1, 5 * mm),
        _facts(document),
        Spacer(1, 4 * mm),
    ]
    for correction in document.corrections:
        story.append(
            paragraph(
                f"Pengumuman ini telah diralat oleh pengumuman nomor {correction.number} "
                f"({correction.title}).",
                look.body,
            )
        )
    if announcement.corrects is not None:
        story.append(
            paragraph(
                f"Pengumuman ini meralat pengumuman nomor {announcement.corrects.number}.",
                look.body,
            )
        )
    for decree in document.decrees:
        story.append(
            paragraph(
                f"Berdasarkan Keputusan Menteri PANRB Nomor {decree.number} tanggal "
                f"{indonesian_date(decree.date)} tentang {decree.title}.",
                look.body,
            )
        )
    story += paragraphs(announcement.body, look.body)
    if announcement.new_close is not None:
        story.append(
            paragraph(
                "Batas pendaftaran diperpanjang sampai "
                f"{indonesian_datetime(announcement.new_close)}.",
                look.body,
            )
        )
    story += [Spacer(1, 4 * mm), KeepTogether([_signature(document)])]
    rows = document.listing.rows
    if rows:
        header, cells, ratios = listing_table(document.listing)
        story += [
            Spacer(1, 6 * mm),
            paragraph(f"Lampiran: daftar {len(rows)} inovasi", look.heading),
            data_table(header, cells, column_widths(content_width(), ratios)),
        ]
    return story


def _meta(document: AnnouncementDocument, generated_at: dt.datetime) -> DocumentMeta:
    announcement = document.announcement
    return DocumentMeta(
        title=f"Pengumuman {announcement.number}: {announcement.title}",
        subject=f"{announcement.edition.title} — {announcement.get_kind_display()}",
        public_url=document.public_url,
        generated_at=generated_at,
        fingerprint=document.fingerprint,
        watermark=DRAFT_WATERMARK if document.draft else "",
        running_header=f"Pengumuman Nomor {announcement.number} (lanjutan)",
    )


def render_announcement_pdf(announcement: Announcement, *, generated_at: dt.datetime) -> bytes:
    """The PDF of one announcement; published or draft, the caller has checked access."""
    # An official letter is in Indonesian whatever the reader's interface language.
    with translation.override(settings.LANGUAGE_CODE):
        document = announcement_document(announcement)
        return render_pdf(announcement_story(document), _meta(document, generated_at))
