"""Tables that run over several pages: the header row repeats on each page."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Table, TableStyle

from prima.core.documents.styles import GRID, HEADER_FILL, ZEBRA_FILL, styles
from prima.core.documents.text import paragraph


def column_widths(total: float, ratios: Sequence[float]) -> list[float]:
    """Absolute widths for columns sharing `total` points in the given proportions."""
    scale = total / sum(ratios)
    return [ratio * scale for ratio in ratios]


def data_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float]
) -> Table:
    """A table of user values (each escaped and wrapped) whose header repeats on every page.

    Rows split between pages, never inside a row; a long title wraps within its cell.
    """
    if len(widths) != len(header):
        raise ValueError("One width per column is needed.")
    look = styles()
    data = [[paragraph(label, look.header_cell) for label in header]]
    data += [[paragraph(value, look.cell) for value in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1, splitByRow=1)
    commands: list[tuple[object, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    # Light bands on every other body row help a reader follow a row across a wide page.
    commands += [("BACKGROUND", (0, r), (-1, r), ZEBRA_FILL) for r in range(2, len(data), 2)]
    table.setStyle(TableStyle(commands))
    return table
