"""Reading the PDFs Prima renders, for tests: page text and the QR symbols drawn on them."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import ContentStream

from prima.core.documents.qr import QUIET_ZONE, QrMatrix


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page."""
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def _rects(form: object, reader: PdfReader) -> list[tuple[float, float, float, float]]:
    stream = ContentStream(form, reader)
    return [
        tuple(float(v) for v in operands)  # type: ignore[misc]
        for operands, operator in stream.operations
        if operator == b"re"
    ]


def qr_symbols(content: bytes) -> dict[str, QrMatrix]:
    """Every QR symbol the toolkit drew (form XObjects named ``qr…``), rebuilt module by
    module from the rectangles in the file, by XObject name."""
    reader = PdfReader(io.BytesIO(content))
    found: dict[str, QrMatrix] = {}
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for name, ref in xobjects.items():
            if ".qr" not in name and not name.lstrip("/").startswith("qr"):
                continue
            form = ref.get_object()
            x0, _y0, x1, _y1 = (float(v) for v in form["/BBox"])
            size = x1 - x0
            dark = [r for r in _rects(form, reader) if not (r[2] >= size and r[3] >= size)]
            unit = min(r[3] for r in dark)
            modules = round(size / unit) - 2 * QUIET_ZONE
            grid = [[False] * modules for _ in range(modules)]
            for x, y, width, _height in dark:
                row = round((size - y) / unit) - QUIET_ZONE - 1
                start = round(x / unit) - QUIET_ZONE
                for col in range(start, start + round(width / unit)):
                    grid[row][col] = True
            found[name] = tuple(tuple(line) for line in grid)
    return found
