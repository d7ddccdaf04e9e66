"""Evaluation desk: nomination, finalist and winner pages (kipp.md §10.5, §11, §13).

The system proposes (threshold or Top-N under composition constraints); the plenary adopts
on the selection page (`evaluation_selections`); the secretariat then records the
decision: finalists (#9), presented (#11) and winners per tier (#13). Every write goes
through `prima.kipp.domain.decisions`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.core.domain.errors import DomainError
from prima.core.interfaces.export import table_response
from prima.core.interfaces.listing import paginate
from prima.evaluation.enums import SelectionKind
from prima.evaluation.models import Edition, SelectionRun
from prima.kipp.domain.decisions import (
    NOMINATION_TIER,
    WINNER_LEVEL,
    decide_finalists,
    decide_winners,
    edition_rules,
    final_score_rows,
    final_stage_results,
    finalist_source,
    incomplete_reviews,
    mark_presented,
    propose_finalists,
    propose_nomination,
    propose_winners,
)
from prima.kipp.enums import ProposalState
from prima.kipp.interfaces.score_tables import final_score_cells, final_score_header
from prima.kipp.models import Proposal
from prima.kipp.views.evaluation import (
    base_context,
    export_format,
    reader_edition,
    secretariat_edition,
)

S = ProposalState


def _counts(edition: Any, states: tuple[str, ...]) -> dict[str, int]:
    found = dict.fromkeys(states, 0)
    for state in Proposal.objects.filter(edition=edition, state__in=states).values_list(
        "state", flat=True
    ):
        found[state] += 1
    return {str(S(state).label): n for state, n in found.items()}


def _runs(edition: Any, *, tiers: list[str] | None = None, prefix: str = "") -> Any:
    qs = (
        SelectionRun.objects.filter(stage__edition=edition)
        .select_related("stage", "created_by", "proposed")
        .defer("ranking")
        .order_by("-created_at", "-pk")
    )
    if tiers is not None:
        qs = qs.filter(tier__in=tiers)
    if prefix:
        qs = qs.filter(tier__startswith=prefix)
    return qs


def _refuse(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, error.message)


def _act(request: HttpRequest, write: Callable[[], str]) -> bool:
    """Run a write; its success message, or the refusal, becomes a flash. True when written."""
    try:
        message = write()
    except DomainError as error:
        _refuse(request, error)
        return False
    messages.success(request, message)
    return True


def _propose(
    request: HttpRequest,
    edition: Edition,
    page: str,
    propose: Callable[[], tuple[SelectionRun, str]],
) -> HttpResponse:
    """POST on a decision page (secretariat only): make a proposal and open its run.

    ``propose`` returns the run to open and the success message; a refusal stays on ``page``.
    """
    secretariat_edition(request, edition.code)
    opened: list[SelectionRun] = []

    def write() -> str:
        run, message = propose()
        opened.append(run)
        return message

    if _act(request, write):
        return redirect("kipp_evaluation_selection", pk=opened[0].pk)
    return redirect(page, code=edition.code)


# --------------------------------------------------------------------------- nomination


@login_required
def kipp_evaluation_nomination(request: HttpRequest, code: str) -> HttpResponse:
    """§10.5: the rule, the proposals made so far and the button to propose."""
    edition, can_act = reader_edition(request, code)
    rules = edition_rules(edition)
    if request.method == "POST":

        def nominate() -> tuple[SelectionRun, str]:
            runs = propose_nomination(edition, actor=request.user)
            return runs[0], _("Usulan nominasi dibuat (%(n)s daftar).") % {"n": len(runs)}

        return _propose(request, edition, "kipp_evaluation_nomination", nominate)
    return render(
        request,
        "kipp/evaluation/nomination.html",
        base_context(
            edition,
            can_act,
            selection=rules.desk_evaluation.selection,
            counts=_counts(edition, (S.DESK_REVIEW, S.NOMINATED, S.NOT_NOMINATED)),
            page=paginate(request, _runs(edition, prefix=NOMINATION_TIER)),
        ),
    )


# --------------------------------------------------------------------------- finalists


@login_required
def kipp_evaluation_finalists(request: HttpRequest, code: str) -> HttpResponse:
    """§11: finalist tiers — propose a Top-N per tier, or pass every nominee (2025)."""
    edition, can_act = reader_edition(request, code)
    rules = edition_rules(edition)
    if request.method == "POST":

        def propose() -> tuple[SelectionRun, str]:
            run = propose_finalists(edition, request.POST.get("tier", ""), actor=request.user)
            return run, _("Usulan finalis tier %s dibuat.") % run.tier

        return _propose(request, edition, "kipp_evaluation_finalists", propose)
    from_state, _stage = finalist_source(rules)
    tiers = [t for t in rules.tiers if t.code in rules.finalists.tiers]
    return render(
        request,
        "kipp/evaluation/finalists.html",
        base_context(
            edition,
            can_act,
            mode=rules.finalists.mode,
            tiers=tiers,
            from_state=S(from_state).label,
            waiting=Proposal.objects.filter(edition=edition, state=from_state).count(),
            counts=_counts(edition, (from_state, S.FINALIST, S.NOT_FINALIST)),
            page=paginate(request, _runs(edition, tiers=list(rules.finalists.tiers))),
        ),
    )


@login_required
@require_POST
def kipp_evaluation_decide_finalists(request: HttpRequest, code: str) -> HttpResponse:
    """#9 from an adopted run (`run` in the form), or every nominee in `all_passing` mode."""
    edition = secretariat_edition(request, code)
    run = None
    if request.POST.get("run", "").isdigit():
        run = get_object_or_404(
            SelectionRun.objects.select_related("stage"),
            pk=int(request.POST["run"]),
            stage__edition=edition,
        )

    def write() -> str:
        outcome = decide_finalists(edition, run=run, actor=request.user)
        return _("Finalis ditetapkan: %(p)s finalis, %(f)s tidak masuk finalis.") % {
            "p": len(outcome.passed),
            "f": len(outcome.failed),
        }

    _act(request, write)
    return redirect("kipp_evaluation_finalists", code=edition.code)


# --------------------------------------------------------------------------- winners


def _winner_tiers(rules: Any) -> list[Any]:
    return [t for t in rules.tiers if t.level == WINNER_LEVEL]


@login_required
def kipp_evaluation_winners(request: HttpRequest, code: str) -> HttpResponse:
    """§13: finalists to mark presented, final scores, and the winner tiers."""
    edition, can_act = reader_edition(request, code)
    rules = edition_rules(edition)
    if request.method == "POST":

        def propose() -> tuple[SelectionRun, str]:
            run = propose_winners(edition, request.POST.get("tier", ""), actor=request.user)
            return run, _("Usulan pemenang tier %s dibuat.") % run.tier

        return _propose(request, edition, "kipp_evaluation_winners", propose)
    tiers = _winner_tiers(rules)
    components = list(rules.final_score.components)
    rows = final_score_rows(edition)
    confirmed = list(
        Proposal.objects.filter(edition=edition, state=S.CONFIRMED_FINALIST)
        .select_related("subject", "institution")
        .order_by("title", "pk")
    )
    results = final_stage_results(edition, confirmed)
    waiting = [
        (p, incomplete_reviews([results[p.pk]]) if p.pk in results else None) for p in confirmed
    ]
    adopted: dict[str, list[SelectionRun]] = {t.code: [] for t in tiers}
    for run in _runs(edition, tiers=[t.code for t in tiers]).filter(kind=SelectionKind.ADOPTED):
        adopted[run.tier].append(run)
    return render(
        request,
        "kipp/evaluation/winners.html",
        base_context(
            edition,
            can_act,
            tiers=tiers,
            components=components,
            weights=rules.final_score.components,
            missing=rules.final_score.missing_component,
            rows=[(row, final_score_cells(row, components)) for row in rows],
            header=final_score_header(components),
            waiting=waiting,
            adopted=adopted,
            counts=_counts(edition, (S.CONFIRMED_FINALIST, S.PRESENTED, S.WINNER, S.FINALIST_ONLY)),
            page=paginate(request, _runs(edition, tiers=[t.code for t in tiers])),
        ),
    )


@login_required
def kipp_evaluation_final_scores_export(request: HttpRequest, code: str) -> HttpResponse:
    edition, _can_act = reader_edition(request, code)
    components = list(edition_rules(edition).final_score.components)
    return table_response(
        export_format(request),
        f"nilai-akhir-{edition.code}",
        final_score_header(components),
        [final_score_cells(row, components) for row in final_score_rows(edition)],
    )


@login_required
@require_POST
def kipp_evaluation_mark_presented(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("edition", "subject"), pk=pk)
    edition = secretariat_edition(request, proposal.edition.code)

    def write() -> str:
        mark_presented(proposal, actor=request.user)
        return _("«%s» ditandai sudah dinilai.") % proposal.title

    _act(request, write)
    return redirect("kipp_evaluation_winners", code=edition.code)


@login_required
@require_POST
def kipp_evaluation_decide_winners(request: HttpRequest, code: str) -> HttpResponse:
    """#13 with one adopted run per winner tier (form fields `run_<tier>`)."""
    edition = secretariat_edition(request, code)
    rules = edition_rules(edition)
    runs: dict[str, SelectionRun] = {}
    for tier in _winner_tiers(rules):
        value = request.POST.get(f"run_{tier.code}", "")
        if value.isdigit():
            runs[tier.code] = get_object_or_404(
                SelectionRun.objects.select_related("stage"), pk=int(value), stage__edition=edition
            )

    def write() -> str:
        outcome = decide_winners(edition, runs_by_tier=runs, actor=request.user)
        return _("Pemenang ditetapkan: %(p)s pemenang, %(f)s finalis.") % {
            "p": len(outcome.passed),
            "f": len(outcome.failed),
        }

    _act(request, write)
    return redirect("kipp_evaluation_winners", code=edition.code)
