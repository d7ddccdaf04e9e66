"""SKM result pages: a survey's result, its report, its suggestions, the staff summary,
and the public pages of published results with their open data (skm.md §5, §10).

Staff pages read every survey the person may see (`surveys_visible_to`); public pages
only PUBLISHED surveys, reached by their random public id, with small breakdown slices
hidden. Every page reads counters or frozen results, so its cost does not grow with the
number of responses.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from prima.core.access import access_for
from prima.core.documents import pdf_response
from prima.core.domain.errors import DomainError
from prima.core.interfaces.export import XLSX_TYPE, table_response
from prima.core.interfaces.listing import paginate
from prima.core.views import signed_in_person
from prima.skm.domain.aggregates import (
    ATTRIBUTION,
    GROUPS,
    LICENCE,
    LICENCE_URL,
    SurveyFigures,
    open_data_records,
    open_data_table,
    province_names,
    summary,
    survey_figures,
    unit_trend,
    within_period,
)
from prima.skm.domain.versions import known_codes
from prima.skm.enums import SurveyState
from prima.skm.interfaces.reports import (
    ReportExtras,
    follow_up_text,
    report_filename,
    report_pdf,
    report_xlsx,
)
from prima.skm.interfaces.result import baik_explanation, rule_difference, rule_name
from prima.skm.models import FollowUpPlan, Response, Survey
from prima.skm.queries import READER_ROLES, published_surveys, surveys_visible_to

EXPORT_FORMATS = ("csv", "xlsx")
OPEN_DATA_FORMATS = ("csv", "json")
SUGGESTIONS_PAGE = 50
PUBLIC_PAGE = 50


# --------------------------------------------------------------------------- helpers


def _visible_survey(request: HttpRequest, pk: int) -> Survey:
    """The survey if the person may read it: 404 when it does not exist, 403 otherwise."""
    survey = surveys_visible_to(signed_in_person(request)).filter(pk=pk).first()
    if survey is None:
        if Survey.objects.filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404
    return survey


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def chart_data(figures: SurveyFigures, trend: Any) -> dict[str, Any]:
    """What the charts draw (the tables beside them show the same figures)."""
    result = figures.result
    return {
        "nrr": {
            "labels": [f"{e.code} {e.name}" for e in figures.instrument.elements],
            "values": [_number(result.nrr[e.code]) for e in figures.instrument.elements],
        },
        "services": {
            "labels": [row.label for row in figures.services if row.result],
            "values": [
                _number(row.result.result.ikm_converted)
                if row.result and row.result.result
                else None
                for row in figures.services
                if row.result
            ],
        },
        "profile": [
            {
                "title": str(profile.dimension.label),
                "labels": [row.label for row in profile.rows if row.respondents is not None],
                "values": [row.respondents for row in profile.rows if row.respondents is not None],
            }
            for profile in figures.profile
        ],
        "trend": {
            "labels": [point.period_code for point in trend],
            "values": [_number(point.ikm_converted) for point in trend],
        },
    }


def _result_context(figures: SurveyFigures, trend: Any) -> dict[str, Any]:
    version = figures.instrument
    result = figures.result
    return {
        "survey": figures.survey,
        "figures": figures,
        "result": result,
        "main": result.result,
        "other": result.alternative,
        "main_rule": rule_name(version, result.weight_rule),
        "other_rule": rule_name(version, result.alternative.weight_rule)
        if result.alternative
        else "",
        "elements": [
            {
                "code": element.code,
                "name": element.name,
                "answered": result.answers[element.code],
                "nrr": result.nrr[element.code],
            }
            for element in version.elements
        ],
        "missing": [{"code": code, "name": version.element(code).name} for code in result.missing],
        "rule_difference": rule_difference(version, result),
        "baik_explanation": baik_explanation(version, result),
        "trend": trend,
        "charts": chart_data(figures, trend),
    }


# --------------------------------------------------------------------------- staff pages


@login_required
def survey_result(request: HttpRequest, pk: int) -> HttpResponse:
    """`/skm/<pk>/hasil/`: the result, live ("sementara") until the survey is calculated."""
    survey = _visible_survey(request, pk)
    figures = survey_figures(survey)
    context = _result_context(figures, unit_trend(survey))
    return render(request, "skm/results/result.html", context)


def _report_extras(survey: Survey) -> ReportExtras:
    suggestions = (
        Response.objects.filter(survey=survey, voided_at__isnull=True)
        .exclude(suggestion="")
        .count()
    )
    plan = FollowUpPlan.objects.filter(survey=survey).first()
    items = plan.items.count() if plan is not None else 0
    return ReportExtras(suggestions=suggestions, follow_up=follow_up_text(plan, items))


@login_required
def survey_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """`/skm/<pk>/laporan.pdf`: the standard report."""
    survey = _visible_survey(request, pk)
    figures = survey_figures(survey)
    content = report_pdf(figures, _report_extras(survey))
    return pdf_response(content, report_filename(figures, "pdf"), private=True)


@login_required
def survey_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """`/skm/<pk>/laporan.xlsx`: the standard report as a workbook."""
    survey = _visible_survey(request, pk)
    figures = survey_figures(survey)
    response = HttpResponse(report_xlsx(figures, _report_extras(survey)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{report_filename(figures, "xlsx")}"'
    response["Cache-Control"] = "private, no-store"
    return response


SUGGESTION_HEADER = ("tanggal", "kode_layanan", "saluran", "nomor_responden", "saran")


@login_required
def survey_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    """`/skm/<pk>/saran/`: the written suggestions of accepted responses, newest first."""
    survey = _visible_survey(request, pk)
    rows = (
        Response.objects.filter(survey=survey, voided_at__isnull=True)
        .exclude(suggestion="")
        .order_by("-answered_on", "-id")
    )
    fmt = request.GET.get("unduh", "")
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        values = rows.values_list(
            "answered_on", "service_code", "channel", "respondent_ref", "suggestion"
        )
        return table_response(
            fmt,
            f"saran-skm-{survey.unit_id}-{survey.period_code}",
            SUGGESTION_HEADER,
            ((day.isoformat(), *rest) for day, *rest in values.iterator()),
        )
    page = paginate(
        request,
        rows.only("answered_on", "service_code", "channel", "respondent_ref", "suggestion"),
        SUGGESTIONS_PAGE,
    )
    return render(request, "skm/results/suggestions.html", {"survey": survey, "page": page})


def summary_surveys(person: Any) -> QuerySet[Survey]:
    """Surveys a summary pools for the person: every published survey, and the calculated
    ones the person may read."""
    visible = surveys_visible_to(person).filter(state=SurveyState.CALCULATED).values("pk")
    return Survey.objects.filter(Q(state=SurveyState.PUBLISHED) | Q(pk__in=visible))


def may_read_summary(person: Any) -> bool:
    """Staff who read some surveys: national readers, institutions' readers, operators."""
    access = access_for(person)
    return bool(
        access.is_superuser
        or access.reads_nationally
        or access.institutions_with(*READER_ROLES)
        or access.operator_unit_ids
    )


def _summary_filters(request: HttpRequest) -> tuple[str, str, str]:
    year = str(timezone.localdate().year - 1)
    period = request.GET.get("periode", "").strip() or year
    group = request.GET.get("kelompok", "institution")
    if group not in GROUPS:
        group = "institution"
    instrument_code = request.GET.get("instrumen", "")
    if instrument_code not in known_codes():
        instrument_code = ""
    return period, group, instrument_code


@login_required
def results_summary(request: HttpRequest) -> HttpResponse:
    """`/skm/rekap/`: pooled figures per institution or province for a period."""
    person = signed_in_person(request)
    if not may_read_summary(person):
        raise PermissionDenied
    period, group, instrument_code = _summary_filters(request)
    surveys = summary_surveys(person)
    if instrument_code:
        surveys = surveys.filter(instrument=instrument_code)
    error = ""
    try:
        tables = summary(within_period(surveys, period), group=group)
    except DomainError as problem:
        error, tables = problem.message, ()
    fmt = request.GET.get("unduh", "")
    if fmt and not error:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        return table_response(
            fmt,
            f"rekap-skm-{group}-{period}",
            (
                "instrumen",
                "peringkat",
                "kode",
                "nama",
                "survei",
                "unit",
                "responden",
                "ikm",
                "nilai_konversi",
                "mutu",
                "aturan_bobot",
            ),
            (
                [
                    table.instrument,
                    position,
                    row.code,
                    row.name,
                    row.surveys,
                    row.units,
                    row.respondents,
                    _number(row.result.result.ikm) if row.result.result else "",
                    _number(row.result.result.ikm_converted) if row.result.result else "",
                    row.result.result.grade if row.result.result else "",
                    str(table.weight_rule),
                ]
                for table in tables
                for position, row in enumerate(table.rows, start=1)
            ),
        )
    return render(
        request,
        "skm/results/summary.html",
        {
            "period": period,
            "group": group,
            "instrument_code": instrument_code,
            "instruments": known_codes(),
            "tables": tables,
            "error": error,
        },
    )


# --------------------------------------------------------------------------- public pages


def _public_filters(request: HttpRequest, surveys: QuerySet[Survey]) -> tuple[Any, dict[str, str]]:
    """Apply the public filters (province, institution, period, instrument) from GET."""
    chosen = {
        key: request.GET.get(key, "").strip()
        for key in ("provinsi", "instansi", "periode", "instrumen", "q")
    }
    error = ""
    if chosen["provinsi"]:
        surveys = surveys.filter(province_code=chosen["provinsi"])
    if chosen["instansi"].isdigit():
        surveys = surveys.filter(institution_id=int(chosen["instansi"]))
    if chosen["instrumen"]:
        surveys = surveys.filter(instrument=chosen["instrumen"])
    if chosen["q"]:
        surveys = surveys.filter(unit__name__icontains=chosen["q"])
    if chosen["periode"]:
        try:
            surveys = within_period(surveys, chosen["periode"])
        except DomainError as problem:
            error = problem.message
            surveys = surveys.none()
    chosen["error"] = error
    return surveys, chosen


def public_results(request: HttpRequest) -> HttpResponse:
    """`/survei/hasil/`: published results with filters (no login)."""
    surveys, chosen = _public_filters(request, published_surveys())
    page = paginate(request, surveys.order_by("-period_start", "unit__name", "pk"), PUBLIC_PAGE)
    provinces = province_names(s.province_code for s in page.object_list)
    rows = [
        {"survey": survey, "province": provinces.get(survey.province_code, survey.province_code)}
        for survey in page.object_list
    ]
    return render(
        request,
        "skm/results/public_list.html",
        {
            "page": page,
            "rows": rows,
            "chosen": chosen,
            "instruments": known_codes(),
            "provinces": sorted(province_names(_all_published_provinces()).items()),
        },
    )


def _all_published_provinces() -> list[str]:
    return list(published_surveys().order_by().values_list("province_code", flat=True).distinct())


def public_result(request: HttpRequest, public_id: str) -> HttpResponse:
    """`/survei/hasil/<public_id>/`: one published result, small slices hidden."""
    survey = get_object_or_404(published_surveys(), public_id=public_id)
    figures = survey_figures(survey, public=True)
    context = _result_context(figures, unit_trend(survey, public=True))
    context["province"] = province_names([survey.province_code]).get(survey.province_code, "")
    return render(request, "skm/results/public_result.html", context)


def open_data(request: HttpRequest, fmt: str) -> HttpResponse:
    """`/survei/hasil/data.csv` and `data.json`: every published result as open data."""
    if fmt not in OPEN_DATA_FORMATS:
        raise Http404
    surveys, _chosen = _public_filters(request, published_surveys())
    records = open_data_records(surveys)
    for record in records:
        record["result_url"] = request.build_absolute_uri(
            reverse("skm_public_result", args=[record["public_id"]])
        )
    if fmt == "csv":
        header, rows = open_data_table(records)
        return table_response("csv", "skm-hasil-terbuka", header, rows)
    payload = {
        "title": "Hasil Survei Kepuasan Masyarakat yang dipublikasikan",
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": ATTRIBUTION,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "count": len(records),
        "results": records,
    }
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="skm-hasil-terbuka.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
