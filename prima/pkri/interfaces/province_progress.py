"""The province progress table (pkri.md §2): rows, totals, province choices and the export.

Shared by the page `/pkri/{kode}/provinsi/` and `GET /api/v1/pkri/editions/{code}/
province-progress`; the loci come from `prima.pkri.queries.loci_in_province_for`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from prima.core.enums import InstitutionKind, RegionLevel
from prima.core.models import Region
from prima.pkri.domain.progress import (
    BUCKET_CODES,
    BUCKETS,
    LocusProgress,
    ProgressTotals,
    bucket_of,
)
from prima.pkri.models import Locus


def progress_rows(loci: QuerySet[Locus]) -> list[LocusProgress]:
    """One row per locus of `loci_in_province_for` (its annotations, no further query)."""
    rows = []
    for locus in loci:
        institution = locus.institution
        region = institution.region
        rows.append(
            LocusProgress(
                locus_id=locus.pk,
                institution_id=institution.pk,
                institution=institution.name,
                short_name=institution.short_name or institution.name,
                kind=institution.kind,
                kind_label=str(InstitutionKind(institution.kind).label),
                region_code=region.code if region is not None else "",
                objects=locus.n_objects,  # type: ignore[attr-defined]
                forms={code: getattr(locus, f"n_{code}") for code in BUCKET_CODES},
                coaching=bucket_of(locus.coaching_state),  # type: ignore[attr-defined]
            )
        )
    return rows


def provinces(codes: set[str] | None) -> list[Region]:
    """The province regions among `codes` (None: every province), by code."""
    regions = Region.objects.filter(level=RegionLevel.PROVINCE)
    if codes is not None:
        regions = regions.filter(province_code__in=codes)
    return list(regions.order_by("province_code"))


def export_header() -> list[str]:
    return [
        _("Kode wilayah"),
        _("Instansi"),
        _("Jenis instansi"),
        _("Objek"),
        *[_("Formulir objek: %(state)s") % {"state": b.label} for b in BUCKETS],
        _("Formulir pembinaan"),
    ]


def export_rows(rows: Sequence[LocusProgress], total: ProgressTotals) -> Iterator[list[Any]]:
    """The table's rows, then a totals row (the coaching column counts submitted forms)."""
    for row in rows:
        yield [
            row.region_code,
            row.institution,
            row.kind_label,
            row.objects,
            *[row.forms[code] for code in BUCKET_CODES],
            row.coaching_label,
        ]
    yield [
        "",
        _("Jumlah (%(n)s lokus)") % {"n": total.loci},
        "",
        total.objects,
        *[total.forms[code] for code in BUCKET_CODES],
        _("%(n)s dikirim") % {"n": total.coaching["submitted"]},
    ]


def as_api(rows: Iterable[LocusProgress]) -> list[dict[str, Any]]:
    return [
        {
            "locus": row.locus_id,
            "institution": {
                "id": row.institution_id,
                "name": row.institution,
                "short_name": row.short_name,
                "kind": row.kind,
                "region": row.region_code,
            },
            "objects": row.objects,
            "forms": dict(row.forms),
            "coaching": row.coaching,
        }
        for row in rows
    ]
