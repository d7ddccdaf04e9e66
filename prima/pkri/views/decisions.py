"""The secretariat's PKRI decision pages (pkri.md §7.2–§7.5), under /pkri/{kode}/keputusan/.

- the hub: where the edition stands, form counts and one button per step (publish the
  shortlist, open and close the interviews, rank and propose awards, publish the results,
  record the decree, mark the awards handed over), with the link to the award decisions;
- the shortlist with the cut-off and the ties, the interview schedule (and the slot
  form), the ranking tables per group and per institution kind, each group downloadable
  as CSV or XLSX (`?unduh=csv|xlsx&kelompok=<group>`) with exactly the rows shown.

Access: the secretariat acts; national readers (analysts, viewers) who assess nothing in
the edition read; everyone else gets 403. Every write goes through the domain.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prima.core.domain.errors import DomainError
from prima.core.interfaces.export import table_response
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition
from prima.pkri.domain.decisions import (
    mark_awarded,
    may_act,
    may_read_decisions,
    pkri_rules,
    publish_results,
    publish_shortlist,
    record_decree,
    results_announcement,
    shortlist_announcement,
)
from prima.pkri.domain.interviews import close_interviews, open_interviews, schedule_interview
from prima.pkri.domain.rankings import compute_rankings
from prima.pkri.interfaces.decision_forms import CloseInterviewsForm, LetterForm, SlotForm
from prima.pkri.interfaces.decision_tables import (
    ranking_export,
    ranking_tables,
    schedule_rows,
    shortlist_tables,
    state_counts,
)

E = EditionState
EXPORT_FORMATS = ("csv", "xlsx")

# Step slug → (the edition state it acts in, button label).
STEPS: dict[str, tuple[str, Any]] = {
    "daftar-wawancara": (E.DESK_EVALUATION, gettext_lazy("Terbitkan daftar wawancara")),
    "buka-wawancara": (E.SHORTLIST_PUBLISHED, gettext_lazy("Buka wawancara")),
    "tutup-wawancara": (E.INTERVIEWS, gettext_lazy("Tutup wawancara dan hitung nilai akhir")),
    "peringkat": (E.INTERVIEWS, gettext_lazy("Susun peringkat dan usulkan penghargaan")),
    "hasil": (E.PLENARY, gettext_lazy("Terbitkan hasil")),
    "keputusan": (E.RESULTS, gettext_lazy("Catat keputusan hasil")),
    "diserahkan": (E.DECREED, gettext_lazy("Catat penghargaan telah diserahkan")),
}


def reader_edition(request: HttpRequest, code: str) -> tuple[Edition, bool]:
    """The PKRI edition and whether the person may act — or 403."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    edition = get_object_or_404(
        Edition.objects.select_related("instrument"), code=code, programme="pkri"
    )
    if not may_read_decisions(request.user, edition):
        raise PermissionDenied
    return edition, may_act(request.user)


def _base(edition: Edition, can_act: bool) -> dict[str, Any]:
    return {"edition": edition, "can_act": can_act}


def decisions_hub(request: HttpRequest, code: str) -> HttpResponse:
    """Where the edition stands and the buttons for each step."""
    edition, can_act = reader_edition(request, code)
    context = _base(edition, can_act)
    context.update(
        {
            "counts": state_counts(edition),
            "shortlist": shortlist_announcement(edition),
            "results": results_announcement(edition),
            "steps": _available_steps(edition) if can_act else [],
            "letter_form": LetterForm(),
            "close_form": CloseInterviewsForm(),
        }
    )
    return render(request, "pkri/decisions/hub.html", context)


def _available_steps(edition: Edition) -> list[dict[str, Any]]:
    """The steps the edition's state allows now (the domain re-checks each)."""
    steps = []
    for slug, (state, label) in STEPS.items():
        allowed = edition.state == state
        if slug == "daftar-wawancara" and edition.state == E.SHORTLIST_PUBLISHED:
            allowed = shortlist_announcement(edition) is None
        if slug == "peringkat" and edition.state == E.PLENARY:
            allowed = True
        if allowed:
            steps.append(
                {
                    "slug": slug,
                    "label": label,
                    "letter": slug in ("daftar-wawancara", "hasil", "keputusan"),
                    "close": slug == "tutup-wawancara",
                }
            )
    return steps


def _letter(request: HttpRequest) -> tuple[str, Any]:
    form = LetterForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Isi nomor dan tanggal dengan benar."), field="number")
    return form.cleaned_data["number"], form.cleaned_data["date"]


@require_POST
def decisions_step(request: HttpRequest, code: str, step: str) -> HttpResponse:
    """Run one step of the edition; the domain refuses a step out of turn."""
    edition, can_act = reader_edition(request, code)
    if not can_act:
        raise PermissionDenied
    if step not in STEPS:
        messages.error(request, _("Langkah tidak dikenal."))
        return redirect("pkri_decisions", code=code)
    actor = request.user
    try:
        if step == "daftar-wawancara":
            number, date = _letter(request)
            publish_shortlist(edition, number=number, date=date, actor=actor)
            done = _("Daftar wawancara diterbitkan.")
        elif step == "buka-wawancara":
            open_interviews(edition, actor=actor)
            done = _("Wawancara dibuka; panelis dapat mengisi lembar nilai.")
        elif step == "tutup-wawancara":
            close = CloseInterviewsForm(request.POST)
            close.is_valid()
            forms = close_interviews(
                edition,
                actor=actor,
                force=bool(close.cleaned_data.get("force")),
                reason=close.cleaned_data.get("reason") or "",
            )
            done = _("Wawancara ditutup; %(n)s peserta memperoleh nilai akhir.") % {"n": len(forms)}
        elif step == "peringkat":
            report = compute_rankings(edition, actor=actor)
            proposed = sum(g.proposed for g in report.groups.values())
            done = _("Peringkat tersusun; %(n)s penghargaan diusulkan ke pleno.") % {"n": proposed}
        elif step == "hasil":
            number, date = _letter(request)
            publish_results(edition, number=number, date=date, actor=actor)
            done = _("Hasil PKRI diterbitkan dan dibuka untuk publik.")
        elif step == "keputusan":
            number, date = _letter(request)
            record_decree(edition, number=number, date=date, actor=actor)
            done = _("Keputusan hasil tercatat.")
        else:
            mark_awarded(edition, actor=actor)
            done = _("Penyerahan penghargaan tercatat.")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("pkri_decisions", code=code)


def decisions_shortlist(request: HttpRequest, code: str) -> HttpResponse:
    """The evaluated object forms by desk score per group, with the cut-off and ties."""
    edition, can_act = reader_edition(request, code)
    context = _base(edition, can_act)
    context.update(
        {
            "tables": shortlist_tables(edition, pkri_rules(edition)),
            "announcement": shortlist_announcement(edition),
        }
    )
    return render(request, "pkri/decisions/shortlist.html", context)


def decisions_interviews(request: HttpRequest, code: str) -> HttpResponse:
    """The interview schedule and, for the secretariat, the slot form."""
    edition, can_act = reader_edition(request, code)
    rules = pkri_rules(edition)
    form = None
    if can_act and edition.state in (E.SHORTLIST_PUBLISHED, E.INTERVIEWS):
        form = SlotForm(request.POST or None, edition=edition)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                schedule_interview(
                    data["form"],
                    starts_at=data["starts_at"],
                    panelists=list(data["panelists"]),
                    link=data["link"],
                    presenter_name=data["presenter_name"],
                    presenter_position=data["presenter_position"],
                    actor=request.user,
                )
            except DomainError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.message)
            else:
                messages.success(request, _("Wawancara dijadwalkan."))
                return redirect("pkri_decisions_interviews", code=code)
    elif request.method == "POST":
        raise PermissionDenied
    context = _base(edition, can_act)
    context.update(
        {
            "rows": schedule_rows(edition),
            "form": form,
            "window": rules.interviews,
            "minutes": rules.interview_minutes,
            "panelists_per_slot": rules.panelists_per_slot,
        }
    )
    return render(request, "pkri/decisions/interviews.html", context)


def decisions_rankings(request: HttpRequest, code: str) -> HttpResponse:
    """Ranking tables per group (coaching per institution kind) with award marks and ties."""
    edition, can_act = reader_edition(request, code)
    context = _base(edition, can_act)
    tables = ranking_tables(edition, pkri_rules(edition))
    fmt = request.GET.get("unduh", "")
    if fmt:
        group = request.GET.get("kelompok", "")
        table = next((t for t in tables if t["group"] == group), None)
        if fmt not in EXPORT_FORMATS or table is None:
            raise Http404
        header, rows = ranking_export(table)
        return table_response(fmt, f"pkri-{edition.code}-peringkat-{group}", header, rows)
    context["tables"] = tables
    return render(request, "pkri/decisions/rankings.html", context)
