"""Fonts and paragraph styles shared by every Prima document.

The fonts are Bitstream Vera, which ReportLab ships: embedding them (instead of the 14
standard PDF fonts) makes the letters the same in every viewer and covers the punctuation
people paste into titles (en dash, curly quotes) beyond WinAnsi. Subsets are embedded, so
a document stays small.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "PrimaSans"
FONT_BOLD = "PrimaSans-Bold"
FONT_ITALIC = "PrimaSans-Italic"
FONT_BOLD_ITALIC = "PrimaSans-BoldItalic"
INK = colors.black
MUTED = colors.HexColor("#4a4a4a")
RULE = colors.HexColor("#1f3864")
HEADER_FILL = colors.HexColor("#dde4ef")
ZEBRA_FILL = colors.HexColor("#f4f6fa")
GRID = colors.HexColor("#9aa5b5")


@cache
def register_fonts() -> str:
    """Register the Vera family once per process; returns the regular font's name."""
    folder = Path(reportlab.__file__).parent / "fonts"
    faces = {
        FONT: "Vera.ttf",
        FONT_BOLD: "VeraBd.ttf",
        FONT_ITALIC: "VeraIt.ttf",
        FONT_BOLD_ITALIC: "VeraBI.ttf",
    }
    for name, filename in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )
    return FONT


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    cell: ParagraphStyle
    header_cell: ParagraphStyle


@cache
def styles() -> Styles:
    """The styles of Prima documents (A4, 10-point body)."""
    register_fonts()
    body = ParagraphStyle(
        "prima-body",
        fontName=FONT,
        fontSize=10,
        leading=14,
        alignment=TA_JUSTIFY,
        spaceAfter=6,
        textColor=INK,
    )
    cell = ParagraphStyle(
        "prima-cell", parent=body, fontSize=8, leading=10, alignment=TA_LEFT, spaceAfter=0
    )
    return Styles(
        body=body,
        small=ParagraphStyle(
            "prima-small",
            parent=body,
            fontSize=8,
            leading=10,
            alignment=TA_LEFT,
            textColor=MUTED,
            spaceAfter=2,
        ),
        title=ParagraphStyle(
            "prima-title",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            alignment=TA_CENTER,
            spaceAfter=2,
        ),
        subtitle=ParagraphStyle(
            "prima-subtitle",
            parent=body,
            fontSize=10,
            leading=13,
            alignment=TA_CENTER,
            spaceAfter=2,
        ),
        heading=ParagraphStyle(
            "prima-heading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            alignment=TA_LEFT,
            spaceBefore=8,
            spaceAfter=4,
        ),
        cell=cell,
        header_cell=ParagraphStyle("prima-header-cell", parent=cell, fontName=FONT_BOLD),
    )
