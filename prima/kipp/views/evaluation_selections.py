"""Evaluation desk: one selection run — its ranking with merit/quota marks, tie flags,
displaced candidates and the constraint summary; the plenary's adoption with recorded
swaps (kipp.md §11.2, §11.3); and the nomination it feeds (#8).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.core.domain.errors import DomainError
from prima.core.interfaces.export import table_response
from prima.evaluation.domain.selections import adopt_selection
from prima.evaluation.enums import PickReason, SelectionKind, StageStatus
from prima.evaluation.models import SelectionOverride, SelectionRun, Subject
from prima.kipp.domain.decisions import (
    NOMINATION_TIER,
    WINNER_LEVEL,
    edition_rules,
    finalist_source,
    nominate,
)
from prima.kipp.enums import ProposalState
from prima.kipp.interfaces.evaluation_forms import AdoptForm, swap_forms
from prima.kipp.models import Proposal
from prima.kipp.views.evaluation import (
    base_context,
    export_format,
    require_reader,
    secretariat_edition,
)

S = ProposalState


# --------------------------------------------------------------------------- one selection


def _selection(request: HttpRequest, pk: int) -> tuple[SelectionRun, bool]:
    if not request.user.is_authenticated:
        raise Http404
    run = get_object_or_404(
        SelectionRun.objects.select_related("stage__edition", "created_by", "proposed"),
        pk=pk,
        stage__edition__programme="kipp",
    )
    return run, require_reader(request, run.stage.edition)


def selection_rows(run: SelectionRun) -> list[dict[str, Any]]:
    """The run's ranking with each subject's strata, pick reason and displacement."""
    subjects = {
        s.pk: s
        for s in Subject.objects.filter(pk__in=[int(i["subject"]) for i in run.ranking])
        .select_related("institution")
        .defer("text")
    }
    reasons = {int(i["subject"]): str(i.get("reason", "")) for i in run.result.get("selected", [])}
    displaced = {
        int(i["subject"]): str(i.get("constraint", ""))
        for i in run.result.get("displaced", [])
        if isinstance(i, Mapping) and "subject" in i
    }
    rows: list[dict[str, Any]] = []
    for item in run.ranking:
        subject_id = int(item["subject"])
        subject = subjects.get(subject_id)
        rows.append(
            {
                "subject_id": subject_id,
                "rank": item.get("rank"),
                "position": item.get("position"),
                "title": item.get("title") or (subject.title if subject else ""),
                "institution": subject.institution.name if subject and subject.institution else "",
                "group": subject.group if subject else "",
                "category": subject.category if subject else "",
                "province": subject.province if subject else "",
                "region_3t": subject.region_3t if subject else False,
                "score": item.get("score"),
                "official": item.get("official"),
                "normalised": item.get("normalised"),
                "consolidated": item.get("consolidated"),
                "tie_at_cutoff": bool(item.get("tie_at_cutoff")),
                "reason": reasons.get(subject_id, ""),
                "displaced": displaced.get(subject_id, ""),
            }
        )
    return rows


def selection_header() -> list[str]:
    return [
        _("Peringkat"),
        _("No. subjek"),
        _("Judul inovasi"),
        _("Instansi"),
        _("Kelompok"),
        _("Kategori"),
        _("Provinsi (pemda)"),
        _("3T"),
        _("Nilai peringkat"),
        _("Nilai resmi"),
        _("Nilai ternormalisasi"),
        _("Nilai konsolidasi"),
        _("Seri di batas"),
        _("Terpilih"),
        _("Tergeser oleh"),
    ]


def selection_cells(row: Mapping[str, Any], labels: Mapping[str, str]) -> list[Any]:
    return [
        row["rank"],
        row["subject_id"],
        row["title"],
        row["institution"],
        row["group"],
        row["category"],
        row["province"],
        row["region_3t"],
        row["score"] or "",
        row["official"] or "",
        row["normalised"] or "",
        row["consolidated"] or "",
        row["tie_at_cutoff"],
        labels.get(row["reason"], row["reason"]),
        row["displaced"],
    ]


def _labels() -> dict[str, str]:
    return {str(value): str(label) for value, label in PickReason.choices}


def _decision_kind(run: SelectionRun) -> str:
    """Which decision an adopted run feeds: nomination, finalists or winners."""
    if run.tier.startswith(NOMINATION_TIER):
        return "nomination"
    rules = edition_rules(run.stage.edition)
    if run.tier in rules.finalists.tiers:
        return "finalists"
    if any(t.code == run.tier and t.level == WINNER_LEVEL for t in rules.tiers):
        return "winners"
    return ""


@login_required
def kipp_evaluation_selection(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposed or adopted selection: ranks, marks, constraints; the plenary form."""
    run, can_act = _selection(request, pk)
    edition = run.stage.edition
    rows = selection_rows(run)
    selected = [(r["subject_id"], f"#{r['subject_id']} {r['title']}") for r in rows if r["reason"]]
    others = [
        (r["subject_id"], f"#{r['subject_id']} {r['title']}") for r in rows if not r["reason"]
    ]
    adoptable = (
        can_act
        and run.kind == SelectionKind.PROPOSED
        and run.stage.decisions_open
        and run.stage.status in (StageStatus.OPEN, StageStatus.CLOSED)
    )
    posted = request.POST if request.method == "POST" else None
    swaps = swap_forms(posted, selected, others)
    form = AdoptForm(posted)
    if posted is not None:
        if not adoptable:
            return redirect("kipp_evaluation_selection", pk=run.pk)
        if form.is_valid() and all(s.is_valid() for s in swaps):
            overrides = [o for s in swaps if (o := s.override()) is not None]
            try:
                adopted = adopt_selection(
                    run,
                    overrides=overrides,
                    minutes_ref=form.cleaned_data["minutes_ref"],
                    acknowledge_violations=form.cleaned_data["acknowledge"],
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Daftar ditetapkan pleno."))
                return redirect("kipp_evaluation_selection", pk=adopted.pk)
    decision = _decision_kind(run) if run.kind == SelectionKind.ADOPTED else ""
    swaps_made = (
        SelectionOverride.objects.filter(run=run)
        .select_related("removed", "added", "decided_by")
        .order_by("pk")
    )
    return render(
        request,
        "kipp/evaluation/selection.html",
        base_context(
            edition,
            can_act,
            run=run,
            rows=rows,
            labels=_labels(),
            summary=run.result.get("summary", []),
            shortfalls=run.result.get("shortfalls", []),
            conflicts=run.result.get("conflicts", []),
            status=run.result.get("status", ""),
            passing_grade=run.result.get("passing_grade"),
            adoptable=adoptable,
            swaps=swaps,
            form=form,
            overrides=swaps_made,
            adoptions=run.adoptions.order_by("-created_at"),
            decision=decision,
            undecided=_undecided(run, decision),
        ),
    )


def _undecided(run: SelectionRun, decision: str) -> int:
    """How many proposals the run's decision would still move (0: nothing to decide)."""
    if not decision:
        return 0
    state: str
    if decision == "nomination":
        state = S.DESK_REVIEW
    elif decision == "finalists":
        state, _stage = finalist_source(edition_rules(run.stage.edition))
    else:
        state = S.PRESENTED
    ids = [int(i["subject"]) for i in run.ranking]
    groups = set(Subject.objects.filter(pk__in=ids).values_list("group", flat=True))
    return Proposal.objects.filter(
        edition_id=run.stage.edition_id, state=state, group__in=groups
    ).count()


@login_required
def kipp_evaluation_selection_export(request: HttpRequest, pk: int) -> HttpResponse:
    run, _can_act = _selection(request, pk)
    labels = _labels()
    return table_response(
        export_format(request),
        f"seleksi-{run.tier}-{run.pk}",
        selection_header(),
        [selection_cells(row, labels) for row in selection_rows(run)],
    )


@login_required
@require_POST
def kipp_evaluation_nominate(request: HttpRequest, pk: int) -> HttpResponse:
    """#8 from an adopted nomination run."""
    run, _can_act = _selection(request, pk)
    edition = secretariat_edition(request, run.stage.edition.code)
    try:
        outcome = nominate(edition, run=run, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("kipp_evaluation_selection", pk=run.pk)
    messages.success(
        request,
        _("Nominasi dicatat: %(p)s nominasi, %(f)s tidak lolos.")
        % {"p": len(outcome.passed), "f": len(outcome.failed)},
    )
    return redirect("kipp_evaluation_nomination", code=edition.code)
