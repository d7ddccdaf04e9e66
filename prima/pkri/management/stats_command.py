"""The statistics document of a PKRI year for the command line (`prima pkri stats`).

Used by the `stats` subcommand of `prima pkri` (prima/pkri/management/commands/pkri.py).
The command line is an operator's tool: it reads the edition whether or not it is
published.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from prima.evaluation.models import Edition
from prima.pkri.domain.statistics import edition_statistics


def stats_document(year: int) -> dict[str, Any]:
    """The document of `GET /api/v1/pkri/editions/{year}` for the year's edition.

    The published edition of the year when there is one, else the latest created;
    CommandError when the year has no PKRI edition.
    """
    edition = (
        Edition.objects.filter(programme="pkri", year=year).order_by("-is_published", "-pk").first()
    )
    if edition is None:
        raise CommandError(f"Tidak ada penyelenggaraan PKRI tahun {year}.")
    return edition_statistics(edition)


def add_stats_arguments(parser: CommandParser) -> None:
    parser.add_argument("year", type=int, help="Tahun penyelenggaraan, mis. 2024.")
    parser.add_argument(
        "--json", action="store_true", help="Cetak dokumen JSON yang sama dengan API publik."
    )


def render_stats(document: dict[str, Any], *, as_json: bool) -> str:
    """The document as JSON, or as short readable lines."""
    if as_json:
        return json.dumps(document, ensure_ascii=False, indent=2)
    lines = [f"PKRI {document['year']}"]
    loci = document["loci"]
    lines.append(
        f"Lokus: {loci['total']} ("
        + ", ".join(f"{kind} {n}" for kind, n in loci["by_kind"].items())
        + ")"
    )
    objects = document["objects"]
    lines.append(
        f"Objek: {objects['total']} ("
        + ", ".join(f"{group} {n}" for group, n in objects["by_group"].items())
        + ")"
    )
    lines.append(
        "Diwawancarai: " + ", ".join(f"{group} {n}" for group, n in document["interviewed"].items())
    )
    lines.append(f"Peserta pembinaan yang dinilai: {document['coaching_assessed']}")
    awards = document["awards"]
    lines.append(
        f"Penghargaan: {awards['total']} ("
        + ", ".join(f"{group} {n}" for group, n in awards["by_group"].items())
        + ")"
    )
    for code, text in document["sentences"].items():
        lines.append(f"{code}: {text}")
    return "\n".join(lines)
