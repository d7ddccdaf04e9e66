"""Prima's document toolkit: official PDFs (announcements now, award certificates next).

Build a list of ReportLab flowables with the helpers here and hand it to `render_pdf`
with a `DocumentMeta`; see docs/documents.md. Documents are written in Bahasa Indonesia
whatever the reader's interface language: they are official letters.
"""

from prima.core.documents.dates import indonesian_date, indonesian_datetime
from prima.core.documents.http import pdf_response
from prima.core.documents.page import (
    PANRB_LETTERHEAD,
    DocumentMeta,
    Letterhead,
    content_width,
    page_label,
    render_pdf,
)
from prima.core.documents.qr import QrCode, form_name, qr_matrix
from prima.core.documents.styles import styles
from prima.core.documents.tables import column_widths, data_table
from prima.core.documents.text import escape, paragraph, paragraphs

__all__ = [
    "PANRB_LETTERHEAD",
    "DocumentMeta",
    "Letterhead",
    "QrCode",
    "column_widths",
    "content_width",
    "data_table",
    "escape",
    "form_name",
    "indonesian_date",
    "indonesian_datetime",
    "page_label",
    "paragraph",
    "paragraphs",
    "pdf_response",
    "qr_matrix",
    "render_pdf",
    "styles",
]
