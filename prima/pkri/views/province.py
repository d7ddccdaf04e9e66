"""The provincial coordinator's read-only PKRI pages (pkri.md §2).

- ``/pkri/provinsi/``: the editions (and provinces) whose progress the person may follow.
- ``/pkri/{kode}/provinsi/?provinsi=35``: the edition's loci in the province with their
  object forms per state and their coaching form's state, totals, and the same table as
  CSV or XLSX (``&unduh=csv|xlsx``).

A coordinator is a ``viewer`` at a province government (`Access.coordinated_province_codes`)
and follows only its provinces, from the scope's freezing on; national readers (the
secretariat included) pick any province. Nobody sees form contents or scores here.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from prima.core.interfaces.export import table_response
from prima.evaluation.models import Edition
from prima.pkri.domain.progress import BUCKETS, totals
from prima.pkri.interfaces.province_progress import (
    export_header,
    export_rows,
    progress_rows,
    provinces,
)
from prima.pkri.queries import (
    loci_in_province_for,
    pkri_editions,
    progress_provinces,
    province_progress_editions,
)

EXPORT_FORMATS = ("csv", "xlsx")


@login_required
def province_editions(request: HttpRequest) -> HttpResponse:
    """Where a coordinator starts: each edition with a link per province it follows."""
    allowed = progress_provinces(request.user)
    if allowed is not None and not allowed:
        raise PermissionDenied
    editions = list(province_progress_editions(request.user).order_by("-year", "code"))
    return render(
        request,
        "pkri/province/editions.html",
        {
            "editions": editions,
            # National readers choose the province on the edition's page.
            "provinces": provinces(allowed) if allowed is not None else [],
        },
    )


@login_required
def province_progress(request: HttpRequest, code: str) -> HttpResponse:
    """The loci of one province with their form progress (read-only)."""
    allowed = progress_provinces(request.user)
    if allowed is not None and not allowed:
        raise PermissionDenied
    edition: Edition | None = province_progress_editions(request.user).filter(code=code).first()
    if edition is None:
        get_object_or_404(pkri_editions(), code=code)
        raise PermissionDenied
    choices = provinces(allowed)
    asked = request.GET.get("provinsi", "").strip()
    if not asked and allowed is not None:
        asked = min(allowed)
    province = next((r for r in choices if r.province_code == asked), None)
    if asked and province is None:
        if allowed is not None:
            raise PermissionDenied
        raise Http404
    rows = (
        progress_rows(loci_in_province_for(request.user, edition, province.province_code))
        if province is not None
        else []
    )
    total = totals(rows)
    fmt = request.GET.get("unduh", "")
    if fmt:
        if fmt not in EXPORT_FORMATS or province is None:
            raise Http404
        return table_response(
            fmt,
            f"pkri-{edition.code}-provinsi-{province.province_code}",
            export_header(),
            export_rows(rows, total),
        )
    return render(
        request,
        "pkri/province/progress.html",
        {
            "edition": edition,
            "province": province,
            "choices": choices,
            "rows": rows,
            "total": total,
            "buckets": BUCKETS,
            "coaching": [(b.label, total.coaching[b.code]) for b in BUCKETS],
        },
    )
