"""Downloads of awards: the published list (CSV, XLSX, PDF) and an edition's piagam ZIP."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Flowable, Spacer

from prima.awards.domain.certificate_document import pdf_filename
from prima.awards.models import Certificate
from prima.awards.queries import AwardList
from prima.core.documents import (
    DocumentMeta,
    column_widths,
    content_width,
    data_table,
    paragraph,
    pdf_response,
    render_pdf,
    styles,
)
from prima.core.domain.accounts.mail import site_url
from prima.core.interfaces.export import table_response
from prima.evaluation.models import Edition

FORMATS = ("csv", "xlsx", "pdf")


def list_filename(edition: Edition) -> str:
    return f"penghargaan-{edition.code}"


def award_list_response(listing: AwardList, fmt: str) -> HttpResponse:
    """The list as shown on the page, in `fmt` (csv, xlsx or pdf)."""
    if fmt == "pdf":
        return pdf_response(award_list_pdf(listing), f"{list_filename(listing.edition)}.pdf")
    return table_response(
        fmt, list_filename(listing.edition), listing.export_header(), listing.table()
    )


def award_list_pdf(listing: AwardList) -> bytes:
    """The list per category, with the same columns as the page (landscape A4)."""
    with translation.override(settings.LANGUAGE_CODE):
        look = styles()
        edition = listing.edition
        page = landscape(A4)
        header = listing.header()[1:]  # the category is the heading of each table
        ratios = [0.6] + ([1.6, 1.0] if listing.show_ranks else []) + [3.5, 3.5, 1.8]
        if listing.show_scores:
            ratios.append(0.9)
        widths = column_widths(content_width(page), ratios)
        story: list[Flowable] = [
            paragraph("DAFTAR PENERIMA PENGHARGAAN", look.title),
            paragraph(edition.title, look.subtitle),
            Spacer(1, 8),
        ]
        if listing.has_demo:
            story.append(
                paragraph(
                    "Sebagian data dalam daftar ini adalah data demo (ilustrasi), bukan "
                    "penerima penghargaan yang sebenarnya.",
                    look.small,
                )
            )
        if not listing.show_ranks:
            story.append(
                paragraph("Daftar disusun menurut abjad; peringkat tidak diumumkan.", look.small)
            )
        for listed in listing.categories:
            story.append(paragraph(listed.category.title, look.heading))
            rows = listing.rows_of(listed)
            if rows:
                story.append(data_table(header, rows, widths))
            else:
                story.append(paragraph("Belum ada penerima yang ditetapkan.", look.body))
        url = site_url(reverse("awards_list", args=[edition.code]))
        return render_pdf(
            story,
            DocumentMeta(
                title=f"Penerima penghargaan {edition.title}",
                public_url=url,
                generated_at=timezone.now(),
                pagesize=page,
                running_header=f"Penerima penghargaan {edition.title} (lanjutan)",
            ),
        )


def certificates_zip(edition: Edition) -> bytes:
    """Every stored, non-revoked piagam PDF of the edition in one ZIP, by number."""
    buffer = io.BytesIO()
    certificates = Certificate.objects.filter(
        award__edition=edition, revoked_at__isnull=True
    ).order_by("number")
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            if not certificate.file:
                continue
            with certificate.file.open("rb") as handle:
                archive.writestr(pdf_filename(certificate.number), handle.read())
    return buffer.getvalue()
