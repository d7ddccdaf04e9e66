"""User text inside ReportLab paragraphs.

`Paragraph` parses its text as a small XML markup: a title such as "Sehat <Bersama> & Aman"
would break the layout or inject markup. Every user value goes through `escape`; only the
toolkit adds tags (bold, line breaks).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as _xml_escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

# Control characters other than tab/newline are invalid in the markup and in PDF text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n\s*\n")


def escape(text: object) -> str:
    """The value as literal paragraph text (`&`, `<`, `>`, quotes escaped, controls dropped)."""
    value = _CONTROL.sub("", "" if text is None else str(text))
    return _xml_escape(value, {'"': "&quot;"})


def paragraph(text: object, style: ParagraphStyle) -> Paragraph:
    """One paragraph of user text; single line breaks are kept."""
    lines = escape(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Paragraph("<br/>".join(lines), style)


def paragraphs(text: object, style: ParagraphStyle) -> list[Paragraph]:
    """User text with blank lines as paragraph breaks (as Django's `linebreaks` reads it)."""
    value = ("" if text is None else str(text)).replace("\r\n", "\n").replace("\r", "\n")
    return [
        paragraph(block.strip("\n"), style)
        for block in _BLANK_LINES.split(value.strip())
        if block.strip()
    ]
