"""The page of a Prima document: letterhead, running header, footer, page numbers, watermark.

`render_pdf(story, meta)` lays the flowables out on A4 and returns the PDF bytes. The
output depends only on the story and `meta` (including `meta.generated_at`): ReportLab's
invariant mode fixes the file ID, and the creation date written in the file is
`generated_at`, so the same input at the same time gives the same bytes (tests compare
them; a cache can key on them).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from prima.core.documents.dates import in_jakarta, indonesian_datetime
from prima.core.documents.styles import FONT, FONT_BOLD, MUTED, RULE, register_fonts

MARGIN_X = 20 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 24 * mm
LETTERHEAD_LINE = 5 * mm
RUNNING_HEADER = 10 * mm


@dataclass(frozen=True)
class Letterhead:
    """The issuing office, printed centred at the top of the first page (text only)."""

    lines: tuple[str, ...]


# Prima's documents are issued by the Deputy for Public Service of the Ministry.
PANRB_LETTERHEAD = Letterhead(
    lines=(
        "KEMENTERIAN PENDAYAGUNAAN APARATUR NEGARA",
        "DAN REFORMASI BIROKRASI REPUBLIK INDONESIA",
        "DEPUTI BIDANG PELAYANAN PUBLIK",
    )
)


@dataclass(frozen=True)
class DocumentMeta:
    """What a document says about itself, on its pages and in the PDF's properties.

    `public_url` is where the document can be checked online (printed in the footer);
    `fingerprint` (e.g. a SHA-256 of the content) is printed under it so a paper copy can
    be compared; `watermark` (e.g. "DRAF") is written across every page.
    """

    title: str
    public_url: str
    generated_at: dt.datetime
    fingerprint: str = ""
    watermark: str = ""
    subject: str = ""
    author: str = "Kementerian PANRB — Deputi Bidang Pelayanan Publik"
    letterhead: Letterhead | None = PANRB_LETTERHEAD
    running_header: str = ""
    pagesize: tuple[float, float] = A4


def content_width(pagesize: tuple[float, float] = A4) -> float:
    """The width the story has between the margins."""
    return pagesize[0] - 2 * MARGIN_X


def page_label(page: int, total: int) -> str:
    return f"Halaman {page} dari {total}"


def _letterhead_height(letterhead: Letterhead | None) -> float:
    return 0.0 if letterhead is None else LETTERHEAD_LINE * len(letterhead.lines) + 6 * mm


def _draw_letterhead(canvas: Any, meta: DocumentMeta) -> None:
    assert meta.letterhead is not None
    width, height = meta.pagesize
    y = height - MARGIN_TOP
    canvas.setFillColor(RULE)
    for i, line in enumerate(meta.letterhead.lines):
        canvas.setFont(FONT_BOLD, 12 if i < len(meta.letterhead.lines) - 1 else 11)
        y -= LETTERHEAD_LINE
        canvas.drawCentredString(width / 2, y, line)
    # The double rule under a kop surat.
    y -= 3 * mm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(1.6)
    canvas.line(MARGIN_X, y, width - MARGIN_X, y)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, y - 1.6, width - MARGIN_X, y - 1.6)


def _draw_running_header(canvas: Any, meta: DocumentMeta) -> None:
    width, height = meta.pagesize
    y = height - MARGIN_TOP - 4 * mm
    canvas.setFont(FONT, 8)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN_X, y, meta.running_header or meta.title)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, y - 2 * mm, width - MARGIN_X, y - 2 * mm)


def _draw_footer(canvas: Any, meta: DocumentMeta) -> None:
    width, _height = meta.pagesize
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    top = MARGIN_BOTTOM - 6 * mm
    canvas.line(MARGIN_X, top, width - MARGIN_X, top)
    canvas.setFont(FONT, 7)
    canvas.setFillColor(MUTED)
    lines = [
        f"Dokumen ini dapat diperiksa di {meta.public_url}",
        f"Dibuat {indonesian_datetime(meta.generated_at)}",
    ]
    if meta.fingerprint:
        lines.append(f"SHA-256: {meta.fingerprint}")
    y = top - 3.5 * mm
    for line in lines:
        canvas.drawString(MARGIN_X, y, line)
        y -= 3.2 * mm


def _draw_page_number(canvas: Any, meta: DocumentMeta, page: int, total: int) -> None:
    width, _height = meta.pagesize
    canvas.setFont(FONT, 8)
    canvas.setFillColor(colors.black)
    canvas.drawRightString(width - MARGIN_X, MARGIN_BOTTOM - 9.5 * mm, page_label(page, total))


def _draw_watermark(canvas: Any, meta: DocumentMeta) -> None:
    width, height = meta.pagesize
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.14))
    canvas.setFont(FONT_BOLD, 120)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -40, meta.watermark)
    canvas.restoreState()


def _pdf_date(moment: dt.datetime) -> Callable[..., str]:
    """The file's CreationDate/ModDate: `generated_at` in WIB instead of the clock."""
    stamp = in_jakarta(moment).strftime("D:%Y%m%d%H%M%S+07'00'")
    return lambda *_ymdhms: stamp


def _canvas_class(meta: DocumentMeta) -> type[Canvas]:
    """A canvas that holds its pages until the end, to print "Halaman X dari Y"."""

    class DocumentCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.setDateFormatter(_pdf_date(meta.generated_at))
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for state in self._held_pages:
                self.__dict__.update(state)
                _draw_page_number(self, meta, self._pageNumber, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return DocumentCanvas


def render_pdf(story: Sequence[Flowable], meta: DocumentMeta) -> bytes:
    """Lay out `story` on pages with letterhead, footer and page numbers; the PDF bytes."""
    register_fonts()
    in_jakarta(meta.generated_at)  # refuse a naive time before any work
    width, height = meta.pagesize
    frame_width = width - 2 * MARGIN_X
    bottom = MARGIN_BOTTOM
    first_top = height - MARGIN_TOP - _letterhead_height(meta.letterhead) - 4 * mm
    later_top = height - MARGIN_TOP - RUNNING_HEADER
    # No frame padding: the story's width is exactly `content_width()`.
    unpadded = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    first = Frame(MARGIN_X, bottom, frame_width, first_top - bottom, id="first", **unpadded)
    later = Frame(MARGIN_X, bottom, frame_width, later_top - bottom, id="later", **unpadded)

    def on_first(canvas: Any, _doc: Any) -> None:
        if meta.letterhead is not None:
            _draw_letterhead(canvas, meta)
        else:
            _draw_running_header(canvas, meta)
        _draw_footer(canvas, meta)

    def on_later(canvas: Any, _doc: Any) -> None:
        _draw_running_header(canvas, meta)
        _draw_footer(canvas, meta)

    def on_end(canvas: Any, _doc: Any) -> None:
        # Over the content, translucent, so table fills cannot hide it.
        if meta.watermark:
            _draw_watermark(canvas, meta)

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=meta.pagesize,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        creator="Prima",
        invariant=1,
        lang="id-ID",
        pageTemplates=[
            PageTemplate(
                id="first",
                frames=[first],
                onPage=on_first,
                onPageEnd=on_end,
                autoNextPageTemplate="later",
                pagesize=meta.pagesize,
            ),
            PageTemplate(
                id="later",
                frames=[later],
                onPage=on_later,
                onPageEnd=on_end,
                pagesize=meta.pagesize,
            ),
        ],
    )
    doc.build(list(story), canvasmaker=_canvas_class(meta))
    return buffer.getvalue()
