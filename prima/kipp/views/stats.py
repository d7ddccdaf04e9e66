"""Funnel statistics of an edition (kipp.md §16): page and CSV/XLSX export."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.core.access import access_for
from prima.core.enums import LOCAL_KINDS
from prima.core.interfaces.export import table_response
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition
from prima.innovations.models import AwardRecord
from prima.kipp.domain.funnel import BREAKDOWNS, Funnel, edition_funnel, rate

# Once the decree is out every number is public; before that, results are not.
PUBLIC_STATES = frozenset({EditionState.DECREED, EditionState.CLOSED})
STEP_LABELS = {
    "registered": gettext_lazy("Terdaftar"),
    "submitted": gettext_lazy("Diajukan"),
    "admin_passed": gettext_lazy("Lolos administrasi"),
    "admin_failed": gettext_lazy("Tidak lolos administrasi"),
    "nominated": gettext_lazy("Nominasi"),
    "finalists": gettext_lazy("Finalis"),
    "winners": gettext_lazy("Pemenang"),
}
BREAKDOWN_LABELS = {
    "group": gettext_lazy("Kelompok"),
    "category": gettext_lazy("Kategori"),
    "institution_kind": gettext_lazy("Jenis instansi"),
    "province": gettext_lazy("Provinsi"),
    "region_3t": gettext_lazy("Daerah 3T"),
    "institution": gettext_lazy("Instansi"),
}


def may_read_funnel(person: Any, edition: Edition) -> bool:
    """National readers always; everyone else once the edition is decreed and published."""
    if access_for(person).reads_nationally:
        return True
    return edition.is_published and edition.state in PUBLIC_STATES


def _edition_for(request: HttpRequest, code: str) -> Edition:
    edition = get_object_or_404(Edition, code=code, programme="kipp")
    if not may_read_funnel(request.user, edition):
        raise PermissionDenied
    return edition


def _funnel(edition: Edition, breakdown: str | None) -> Funnel:
    return edition_funnel(edition, breakdowns=[breakdown] if breakdown else [])


def kipp_funnel(request: HttpRequest, code: str) -> HttpResponse:
    edition = _edition_for(request, code)
    breakdown = request.GET.get("rincian")
    if breakdown not in BREAKDOWNS:
        breakdown = "group"
    funnel = _funnel(edition, breakdown)
    registered = funnel.step("registered").proposals
    steps = [
        {
            "label": str(STEP_LABELS[step.code]),
            "proposals": step.proposals,
            "institutions": step.institutions,
            "share": rate(step.proposals, registered),
        }
        for step in funnel.steps
    ]
    table = [
        {
            "key": key,
            "counts": counts,
            "pass_rate": rate(counts.get("admin_passed", 0), counts.get("submitted", 0)),
        }
        for key, counts in funnel.breakdown.get(breakdown, {}).items()
    ]
    return render(
        request,
        "kipp/stats/funnel.html",
        {
            "edition": edition,
            "funnel": funnel,
            "steps": steps,
            "breakdown": breakdown,
            "breakdowns": [(key, str(label)) for key, label in BREAKDOWN_LABELS.items()],
            "table": table,
        },
    )


def kipp_funnel_export(request: HttpRequest, code: str) -> HttpResponse:
    edition = _edition_for(request, code)
    breakdown = request.GET.get("rincian")
    if breakdown not in BREAKDOWNS:
        breakdown = "group"
    funnel = _funnel(edition, breakdown)
    header = [
        str(BREAKDOWN_LABELS[breakdown]),
        *(str(STEP_LABELS[code]) for code in STEP_LABELS if code != "admin_failed"),
        _("Persentase lolos administrasi"),
    ]
    step_codes = [c for c in STEP_LABELS if c != "admin_failed"]
    rows = [
        [
            key,
            *(counts.get(c, 0) for c in step_codes),
            rate(counts.get("admin_passed", 0), counts.get("submitted", 0)),
        ]
        for key, counts in funnel.breakdown[breakdown].items()
    ]
    total = {step.code: step.proposals for step in funnel.steps}
    rows.append([_("Jumlah"), *(total[c] for c in step_codes), funnel.pass_rate])
    return table_response(
        request.GET.get("format", "xlsx"), f"{edition.code}-funnel-{breakdown}", header, rows
    )


def kipp_local_winners_export(request: HttpRequest, code: str) -> HttpResponse:
    """Local-government tier holders of the edition (kipp.md §15), the list ministries use
    for fiscal incentives: institution, region code, tier. Revoked tiers are left out."""
    edition = _edition_for(request, code)
    records = (
        AwardRecord.objects.filter(
            programme="kipp",
            year=edition.year,
            revoked=False,
            innovation__institution__kind__in=LOCAL_KINDS,
        )
        .select_related("innovation__institution__region")
        .order_by("innovation__institution__region__code", "tier", "innovation__name")
    )
    header = [
        _("Instansi"),
        _("Jenis instansi"),
        _("Kode wilayah"),
        _("Inovasi"),
        _("Tier"),
        _("Tingkat"),
        _("Nomor keputusan"),
    ]
    rows = [
        [
            record.innovation.institution.name,
            record.innovation.institution.get_kind_display(),
            record.innovation.institution.region.code
            if record.innovation.institution.region
            else "",
            record.innovation.name,
            record.tier,
            record.get_level_display(),
            record.decree_ref,
        ]
        for record in records
    ]
    return table_response(
        request.GET.get("format", "xlsx"), f"{edition.code}-pemenang-daerah", header, rows
    )
