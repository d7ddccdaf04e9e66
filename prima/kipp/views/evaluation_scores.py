"""Evaluation desk: score tables, per-section breakdowns, consolidation and corrections
(kipp.md §10.2, §10.3).

Every table here is built by `prima.kipp.interfaces.score_tables` and exported from the
same rows (CSV or XLSX), so an export holds exactly what the page shows.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from prima.core.domain.errors import DomainError
from prima.core.interfaces.export import table_response
from prima.evaluation.domain.catalogue import instrument_of
from prima.evaluation.domain.results import record_consolidation, stage_results
from prima.evaluation.domain.sheets import correct_sheet, criteria_for, sheet_criteria
from prima.evaluation.enums import StageStatus
from prima.evaluation.models import Consolidation, ScoreSheet, Subject
from prima.kipp.interfaces.evaluation_forms import ConsolidationForm
from prima.kipp.interfaces.score_tables import (
    ScoreFilterForm,
    score_header,
    score_table,
    sheet_details,
    sheet_header,
    sheet_rows,
)
from prima.kipp.interfaces.sheet_forms import (
    CorrectionForm,
    SheetForm,
    field_for_error,
    sheet_state,
)
from prima.kipp.models import Proposal
from prima.kipp.views.evaluation import (
    add_error,
    base_context,
    export_format,
    reader_edition,
    require_secretariat,
    stage_for,
)

PER_PAGE = 50


@login_required
def kipp_evaluation_scores(request: HttpRequest, code: str, stage: str) -> HttpResponse:
    """One row per proposal; disagreements lead the consolidation queue by default."""
    edition, can_act = reader_edition(request, code)
    chosen = stage_for(edition, stage)
    form = ScoreFilterForm(request.GET or None, edition=edition)
    rows = score_table(chosen, form.options())
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "kipp/evaluation/scores.html",
        base_context(
            edition,
            can_act,
            stage=chosen,
            form=form,
            page=page,
            header=score_header(),
            flagged=sum(1 for r in rows if r.result.disagreement),
            query=request.GET.urlencode(),
        ),
    )


@login_required
def kipp_evaluation_scores_export(request: HttpRequest, code: str, stage: str) -> HttpResponse:
    """The score table with the page's filters and order, as CSV or XLSX."""
    edition, _can_act = reader_edition(request, code)
    chosen = stage_for(edition, stage)
    form = ScoreFilterForm(request.GET or None, edition=edition)
    rows = score_table(chosen, form.options())
    return table_response(
        export_format(request),
        f"nilai-{edition.code}-{chosen.code}",
        score_header(),
        [row.cells() for row in rows],
    )


@login_required
def kipp_evaluation_sheets_export(request: HttpRequest, code: str, stage: str) -> HttpResponse:
    """Every sheet of the stage, one row per sheet per criterion."""
    edition, _can_act = reader_edition(request, code)
    chosen = stage_for(edition, stage)
    return table_response(
        export_format(request),
        f"lembar-nilai-{edition.code}-{chosen.code}",
        sheet_header(),
        sheet_rows(chosen),
    )


def _subject(edition_id: int, pk: int) -> Subject:
    return get_object_or_404(Subject, pk=pk, edition_id=edition_id)


@login_required
def kipp_evaluation_score_detail(
    request: HttpRequest, code: str, stage: str, subject: int
) -> HttpResponse:
    """A proposal's per-section breakdown: every sheet's values, means and consolidation."""
    edition, can_act = reader_edition(request, code)
    chosen = stage_for(edition, stage)
    found = _subject(edition.pk, subject)
    results = stage_results(chosen, subjects=[found])
    if not results:
        raise Http404
    result = results[0]
    criteria = criteria_for(chosen.scoring, found.group, instrument_of(edition.instrument))
    sheets = sheet_details(chosen, found.pk)
    rows = [
        (
            criterion,
            [sheet.values.get(criterion.code) for sheet in sheets],
            result.section_means.get(criterion.code),
        )
        for criterion in criteria
    ]
    open_for_decisions = chosen.status == StageStatus.OPEN and chosen.decisions_open
    return render(
        request,
        "kipp/evaluation/score_detail.html",
        base_context(
            edition,
            can_act,
            stage=chosen,
            subject=found,
            proposal=Proposal.objects.filter(subject=found).select_related("institution").first(),
            result=result,
            sheets=sheets,
            rows=rows,
            consolidation=Consolidation.objects.filter(stage=chosen, subject=found)
            .select_related("created_by")
            .first(),
            form=ConsolidationForm() if can_act and open_for_decisions else None,
            correctable=can_act and chosen.status == StageStatus.OPEN,
        ),
    )


@login_required
def kipp_evaluation_consolidate(
    request: HttpRequest, code: str, stage: str, subject: int
) -> HttpResponse:
    """Record the team's consolidated score (replaces the aggregate; sheets are kept)."""
    require_secretariat(request)
    edition, _can_act = reader_edition(request, code)
    chosen = stage_for(edition, stage)
    found = _subject(edition.pk, subject)
    existing = Consolidation.objects.filter(stage=chosen, subject=found).first()
    initial = (
        {
            "score": existing.score,
            "justification": existing.justification,
            "attendees": existing.attendees,
            "minutes_ref": existing.minutes_ref,
        }
        if existing
        else None
    )
    form = ConsolidationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_consolidation(
                chosen,
                found,
                data["score"],
                justification=data["justification"],
                attendees=data["attendees"],
                minutes_ref=data["minutes_ref"],
                actor=request.user,
            )
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Nilai konsolidasi «%s» tersimpan.") % found.title)
            return redirect(
                "kipp_evaluation_score_detail",
                code=edition.code,
                stage=chosen.code,
                subject=found.pk,
            )
    return render(
        request,
        "kipp/evaluation/consolidate.html",
        base_context(edition, True, stage=chosen, subject=found, form=form, existing=existing),
    )


@login_required
def kipp_evaluation_sheet_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat corrects a final sheet: a new version with a reason."""
    require_secretariat(request)
    sheet = get_object_or_404(
        ScoreSheet.objects.select_related(
            "stage__edition__instrument",
            "subject",
            "assignment",
            "appointment__person",
            "instrument",
        ),
        pk=pk,
        stage__edition__programme="kipp",
    )
    stage = sheet.stage
    edition = stage.edition
    criteria = sheet_criteria(sheet)
    state = sheet_state(sheet.assignment)
    initial = SheetForm.initial_from(state)
    form = CorrectionForm(
        request.POST or None,
        initial={k: v for k, v in initial.items() if k.startswith("value_") or k == "note"},
        criteria=criteria,
        scale=instrument_of(sheet.instrument).scale,
    )
    if request.method == "POST" and form.is_valid():
        try:
            corrected = correct_sheet(
                sheet,
                form.values(),
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(field_for_error(error.field, criteria), error.message)
        else:
            messages.success(
                request,
                _("Koreksi tersimpan sebagai versi %(n)s.") % {"n": corrected.current_version},
            )
            return redirect(
                "kipp_evaluation_score_detail",
                code=edition.code,
                stage=stage.code,
                subject=sheet.subject_id,
            )
    return render(
        request,
        "kipp/evaluation/sheet_correct.html",
        base_context(edition, True, stage=stage, sheet=sheet, state=state, form=form),
    )
