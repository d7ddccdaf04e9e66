"""QR codes on documents: the module matrix from `qrcode`, drawn by ReportLab as vectors.

Why vectors rather than a PNG from `qrcode`'s Pillow backend: squares drawn on the PDF
canvas are sharp at any print size (a scanned raster blurs module edges), add no image
codec to the output (so the bytes depend only on the matrix and stay deterministic), and
keep the matrix a pure function the tests can compare with what the PDF holds. The
symbol is drawn in a form XObject named ``qr…`` so it can be found again in the file.
"""

from __future__ import annotations

import hashlib
from typing import Any

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

QrMatrix = tuple[tuple[bool, ...], ...]
# The quiet zone the QR standard asks for, in modules, drawn as white space.
QUIET_ZONE = 4


def qr_matrix(payload: str) -> QrMatrix:
    """The dark (True) and light modules of the QR symbol for `payload`, without quiet zone.

    Error correction M (15 %) survives a folded or stamped printout; the version is the
    smallest that fits, so the same payload always gives the same matrix.
    """
    if not payload:
        raise ValueError("A QR code needs a payload.")
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def form_name(payload: str) -> str:
    """The XObject name of the symbol for `payload` (stable, so a re-render is identical)."""
    return "qr" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


class QrCode(Flowable):
    """A square QR symbol of `size` points (quiet zone included) encoding `payload`."""

    def __init__(self, payload: str, size: float = 30 * mm) -> None:
        super().__init__()
        self.payload = payload
        self.matrix = qr_matrix(payload)
        self.size = size
        self.width = self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        canvas: Any = self.canv
        modules = len(self.matrix) + 2 * QUIET_ZONE
        unit = self.size / modules
        name = form_name(self.payload)
        if not canvas.hasForm(name):
            canvas.beginForm(name, 0, 0, self.size, self.size)
            canvas.setFillColor(colors.white)
            canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
            canvas.setFillColor(colors.black)
            top = self.size - QUIET_ZONE * unit
            for r, row in enumerate(self.matrix):
                y = top - (r + 1) * unit
                c = 0
                # One rectangle per run of dark modules keeps the file small.
                while c < len(row):
                    if not row[c]:
                        c += 1
                        continue
                    start = c
                    while c < len(row) and row[c]:
                        c += 1
                    x = (QUIET_ZONE + start) * unit
                    canvas.rect(x, y, (c - start) * unit, unit, stroke=0, fill=1)
            canvas.endForm()
        canvas.doForm(name)
