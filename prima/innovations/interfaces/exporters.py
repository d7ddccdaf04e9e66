"""CSV/XLSX export of an innovation list: the same scoped, filtered rows the page shows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone

from prima.core.interfaces.export import table_response
from prima.innovations.models import Innovation
from prima.innovations.queries import province_code_of

HEADER = [
    "id",
    "nama",
    "akronim",
    "instansi",
    "unit",
    "kode_provinsi",
    "mulai_diterapkan",
    "digital",
    "kategori",
    "tujuan_sdgs",
    "status",
    "alasan_status",
    "tanggal_status",
    "dipublikasikan",
    "ringkasan",
    "versi",
    "diperbarui",
]


def innovation_rows(qs: QuerySet[Innovation]) -> Iterator[list[Any]]:
    """One row per innovation; `qs` must carry the list relations (see queries)."""
    for innovation in qs.iterator(chunk_size=2000):
        yield [
            innovation.pk,
            innovation.name,
            innovation.acronym,
            innovation.institution.name,
            innovation.unit.name,
            province_code_of(innovation),
            innovation.started_on.isoformat(),
            innovation.is_digital,
            "; ".join(c.name for c in innovation.categories.all()),
            ", ".join(str(goal) for goal in innovation.sdg_goals),
            innovation.get_status_display(),
            innovation.status_reason,
            innovation.status_changed_on.isoformat() if innovation.status_changed_on else "",
            innovation.is_published,
            innovation.summary,
            innovation.version,
            timezone.localtime(innovation.updated_at).strftime("%Y-%m-%d %H:%M"),
        ]


def export_innovations(qs: QuerySet[Innovation], fmt: str) -> HttpResponse:
    """The list as a CSV (default) or XLSX download named with today's date."""
    filename = f"inovasi-{timezone.localdate():%Y%m%d}"
    return table_response(fmt, filename, HEADER, innovation_rows(qs))
