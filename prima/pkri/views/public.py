"""Public PKRI pages: no login (pkri.md §8, §10).

The programme page of a year (sentences T3/T4, counts, response rates, links), the
results of one group (filters, CSV/XLSX of exactly the rows shown) and an institution's
page (T1/T2/T5, its groups and objects with their outcome). Published editions only;
national readers see them at any time. Demo data carries a note that scores are
illustrative.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from prima.awards.models import Award
from prima.core.enums import InstitutionKind
from prima.core.interfaces.export import table_response
from prima.evaluation.models import Edition
from prima.pkri.domain.config import RANKED_KINDS
from prima.pkri.domain.results import (
    ResultRow,
    edition_of_year,
    group_results,
    institution_results,
    may_read_results,
    publication_of,
)
from prima.pkri.domain.statistics import (
    GROUPS,
    display_name,
    edition_figures,
    institution_sentences,
)
from prima.pkri.enums import Group
from prima.pkri.models import Locus, SelfAssessment

RESULTS_PAGE = 100
EXPORT_FORMATS = ("csv", "xlsx")


def _edition(request: HttpRequest, year: int) -> Edition:
    edition = edition_of_year(year, request.user)
    if edition is None:
        raise Http404(_("PKRI tahun ini belum diumumkan."))
    return edition


def _results_edition(request: HttpRequest, year: int) -> Edition:
    edition = _edition(request, year)
    if not may_read_results(request.user, edition):
        raise Http404(_("Hasil PKRI tahun ini belum diumumkan."))
    return edition


def is_demo(edition: Edition) -> bool:
    """A demo site, or an edition holding synthetic (placeholder) results."""
    if getattr(settings, "PRIMA_DEMO", False):
        return True
    return (
        SelfAssessment.objects.filter(edition=edition, is_demo_placeholder=True).exists()
        or Award.objects.filter(edition=edition, is_demo_placeholder=True).exists()
    )


def award_list_url(edition: Edition) -> str:
    """The award list of the edition (awards app, `/penghargaan/{kode}/daftar/`)."""
    return reverse("awards_list", args=[edition.code])


def institution_awards_url(institution_id: int) -> str:
    """An institution's awards across programmes (awards app)."""
    return reverse("awards_institution", args=[institution_id])


def _kind_label(kind: str) -> str:
    return str(InstitutionKind(kind).label) if kind in InstitutionKind.values else kind


def pkri_public_edition(request: HttpRequest, year: int) -> HttpResponse:
    edition = _edition(request, year)
    figures = edition_figures(edition)
    kinds = [
        {"code": kind, "label": _kind_label(kind), "loci": count}
        for kind, count in figures["loci"]["by_kind"].items()
    ]
    groups = [
        {
            "code": group,
            "label": Group(group).label,
            "objects": figures["objects"]["by_group"].get(group),
            "responses": figures["responses"][group],
            "shortlist": figures["shortlist"].get(group),
            "awards": figures["awards"]["by_group"].get(group, 0),
        }
        for group in GROUPS
    ]
    coaching = [
        {"label": _kind_label(kind), **counts}
        for kind, counts in figures["coaching_by_kind"].items()
    ]
    return render(
        request,
        "pkri/public/edition.html",
        {
            "edition": edition,
            "figures": figures,
            "kinds": kinds,
            "groups": groups,
            "coaching": coaching,
            "results_open": may_read_results(request.user, edition),
            "award_list_url": award_list_url(edition),
            "demo": is_demo(edition),
        },
    )


def _columns(group: str, shown_ranks: bool, shown_scores: bool) -> list[str]:
    columns: list[str] = []
    if shown_ranks:
        columns.append(_("Peringkat dalam jenis"))
    if group != Group.PEMBINAAN:
        columns += [_("Inovasi"), _("Unit")]
    columns += [_("Instansi"), _("Jenis instansi"), _("Kode wilayah")]
    if shown_scores:
        columns.append(_("Nilai"))
    columns.append(_("Penghargaan"))
    return columns


def _cells(row: ResultRow, group: str, shown_ranks: bool, shown_scores: bool) -> list[Any]:
    cells: list[Any] = []
    if shown_ranks:
        cells.append(row.rank_in_kind)
    if group != Group.PEMBINAAN:
        cells += [row.innovation_name, row.unit_name]
    cells += [row.institution_name, _kind_label(row.institution_kind), row.region_code or ""]
    if shown_scores:
        cells.append(None if row.score is None else f"{row.score:.2f}".replace(".", ","))
    cells.append(row.award_title)
    return cells


def pkri_public_results(request: HttpRequest, year: int) -> HttpResponse:
    edition = _results_edition(request, year)
    group = request.GET.get("kelompok", Group.PEMBINAAN)
    if group not in Group.values:
        group = Group.PEMBINAAN
    kind = request.GET.get("jenis", "")
    if kind not in RANKED_KINDS:
        kind = ""
    rows = group_results(edition, group, kind=kind)
    published = publication_of(edition)
    columns = _columns(group, published.ranks, published.scores)
    fmt = request.GET.get("unduh", "")
    if fmt in EXPORT_FORMATS:
        name = f"pkri-{edition.year}-hasil-{group}" + (f"-{kind}" if kind else "")
        return table_response(
            fmt, name, columns, (_cells(r, group, published.ranks, published.scores) for r in rows)
        )
    # The database orders and slices: the page's cost does not grow with the group.
    page = Paginator(rows, RESULTS_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "pkri/public/results.html",
        {
            "edition": edition,
            "group": group,
            "group_label": Group(group).label,
            "groups": [(g, Group(g).label) for g in GROUPS],
            "kind": kind,
            "kinds": [(k, _kind_label(k)) for k in RANKED_KINDS],
            "page": page,
            "published": published,
            "columns": columns,
            "is_objects": group != Group.PEMBINAAN,
            "awarded": rows.awarded(),
            "demo": is_demo(edition),
        },
    )


def pkri_public_institution(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    edition = _results_edition(request, year)
    locus = (
        Locus.objects.filter(edition=edition, institution_id=pk, excluded=False)
        .select_related("institution__region")
        .first()
    )
    if locus is None:
        raise Http404(_("Instansi ini bukan lokus PKRI tahun ini."))
    institution = locus.institution
    texts = institution_sentences(edition, institution)
    t5 = {item["object"]: item["text"] for item in texts.get("T5", [])}
    results = institution_results(edition, locus)
    object_rows = [{"row": row, "sentence": t5.get(row.object_id, "")} for row in results.objects]
    return render(
        request,
        "pkri/public/institution.html",
        {
            "edition": edition,
            "locus": locus,
            "institution": institution,
            "name": display_name(institution.short_name, institution.name),
            "kind_label": _kind_label(institution.kind),
            "texts": texts,
            "results": results,
            "object_rows": object_rows,
            "published": publication_of(edition),
            "awards_url": institution_awards_url(institution.pk),
            "demo": is_demo(edition),
        },
    )


def pkri_public_editions(request: HttpRequest) -> HttpResponse:
    """The published PKRI editions, newest first: the public entry to the programme."""
    editions = Edition.objects.filter(programme="pkri", is_published=True).order_by("-year")
    return render(request, "pkri/public/editions.html", {"editions": editions})
