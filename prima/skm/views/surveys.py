"""Staff survey pages (skm.md §4–§6): list, plan, detail with its actions, settings.

- ``/skm/``: surveys in the person's scope, filtered, paginated, CSV/XLSX (``?unduh=``).
- ``/skm/baru/``: plan a survey for a unit the person runs.
- ``/skm/<pk>/``: state, live respondents against the target, result headline, actions.
- ``/skm/<pk>/ubah/``: N, service restriction, token requirement (optimistic locking).
- ``/skm/<pk>/aksi/<action>/`` (POST): start, close, reopen, calculate, publish, recalculate.
- ``/skm/instrumen/``: instrument versions and their weight rule (secretariat edits).
- ``/skm/belum-survei/``: units without a calculated survey in a year that has ended.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prima.core.access import access_for
from prima.core.domain.errors import DomainError, StaleVersion
from prima.core.domain.errors import PermissionDenied as DomainPermissionDenied
from prima.core.interfaces.export import table_response
from prima.core.interfaces.listing import paginate
from prima.core.models import Institution, Service
from prima.core.views import apply_domain_error, signed_in_person
from prima.skm.domain import surveys as lifecycle
from prima.skm.domain.aggregates import province_names
from prima.skm.domain.permissions import runs_all
from prima.skm.domain.results import survey_result
from prima.skm.domain.versions import instrument, known_codes, setting_for
from prima.skm.enums import PublicationMedium, ResultWarning, SurveyState, WeightRule
from prima.skm.interfaces.result import number, rule_name
from prima.skm.interfaces.survey_forms import (
    InstrumentSettingForm,
    PublishForm,
    ReasonForm,
    SurveyCreateForm,
    SurveyFilterForm,
    SurveySettingsForm,
    province_choices,
)
from prima.skm.models import Survey
from prima.skm.queries import may_run_survey, surveys_visible_to, units_run_by

EXPORT_FORMATS = ("csv", "xlsx")
ACTION_LABELS = {
    "start": gettext_lazy("Mulai pengumpulan"),
    "close": gettext_lazy("Tutup pengumpulan"),
    "reopen": gettext_lazy("Buka kembali pengumpulan"),
    "calculate": gettext_lazy("Hitung hasil"),
    "publish": gettext_lazy("Catat publikasi"),
    "recalculate": gettext_lazy("Hitung ulang dengan aturan bobot baru"),
}
UNCOVERED_YEARS = 5


# --------------------------------------------------------------------------- helpers


def _require_reader(request: HttpRequest) -> None:
    if not lifecycle.reads_surveys(request.user):
        raise PermissionDenied


def _survey_for(request: HttpRequest, pk: int) -> Survey:
    """The survey if the person may read it: 404 when it does not exist, 403 otherwise."""
    survey = surveys_visible_to(request.user).filter(pk=pk).first()
    if survey is None:
        if Survey.objects.filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404
    return survey


def _survey_to_run(request: HttpRequest, pk: int) -> Survey:
    survey = _survey_for(request, pk)
    if not may_run_survey(request.user, survey):
        raise PermissionDenied
    return survey


def _institutions_for_filter(request: HttpRequest) -> QuerySet[Institution]:
    access = access_for(request.user)
    if access.is_superuser or access.reads_nationally:
        return Institution.objects.order_by("name")
    return Institution.objects.filter(pk__in=access.member_institution_ids).order_by("name")


def _filtered(request: HttpRequest) -> tuple[SurveyFilterForm, QuerySet[Survey]]:
    _require_reader(request)
    form = SurveyFilterForm(request.GET, institutions=_institutions_for_filter(request))
    qs = surveys_visible_to(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(unit__name__icontains=data["q"])
        period = data["period"].strip().upper()
        if period.isdigit() and len(period) == 4:
            qs = qs.filter(period_start__year=int(period))
        elif period:
            qs = qs.filter(period_code=period)
        if data["state"]:
            qs = qs.filter(state=data["state"])
        if data["province"]:
            qs = qs.filter(province_code=data["province"])
        if data.get("institution"):
            qs = qs.filter(institution=data["institution"])
    return form, qs.order_by("-period_start", "unit__name", "pk")


def _export_rows(qs: QuerySet[Survey]) -> Iterator[list[Any]]:
    for survey in qs.iterator(chunk_size=2000):
        yield [
            survey.pk,
            survey.unit_id,
            survey.unit.name,
            survey.institution.name,
            survey.province_code,
            survey.period_code,
            survey.instrument,
            survey.state,
            survey.population,
            survey.sample_target,
            survey.respondents,
            survey.weight_rule,
            survey.result_status,
            survey.ikm,
            survey.ikm_converted,
            survey.grade,
            survey.published_on,
            " ".join(survey.publication_media),
        ]


EXPORT_HEADER = [
    "id",
    "unit_id",
    "unit",
    "instansi",
    "kode_provinsi",
    "periode",
    "instrumen",
    "status",
    "populasi",
    "target_sampel",
    "responden",
    "aturan_bobot",
    "status_hasil",
    "ikm",
    "ikm_konversi",
    "mutu",
    "tanggal_publikasi",
    "media_publikasi",
]


# --------------------------------------------------------------------------- list


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    fmt = request.GET.get("unduh", "")
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        return table_response(fmt, "survei-skm", EXPORT_HEADER, _export_rows(qs))
    page = paginate(request, qs)
    return render(
        request,
        "skm/surveys/list.html",
        {
            "form": form,
            "page": page,
            "can_create": units_run_by(request.user).exists(),
            "is_secretariat": runs_all(access_for(request.user)),
        },
    )


# --------------------------------------------------------------------------- create


@login_required
def survey_create(request: HttpRequest) -> HttpResponse:
    person = signed_in_person(request)
    units = units_run_by(person).order_by("institution__name", "name")
    if not units.exists():
        raise PermissionDenied
    pick_by_id = runs_all(access_for(person))
    fixed = None
    asked = request.GET.get("unit", "")
    if asked.isdigit():
        fixed = units.filter(pk=int(asked)).first()
    elif not pick_by_id:
        only = list(units[:2])
        if len(only) == 1:
            fixed = only[0]
    if fixed is not None:
        units = units.filter(pk=fixed.pk)
    services = (
        Service.objects.filter(unit=fixed, is_active=True).order_by("code") if fixed else None
    )
    form = SurveyCreateForm(
        request.POST or None,
        units=units,
        instruments=lifecycle.instruments_for_new_surveys(),
        services=services,
        pick_by_id=pick_by_id and fixed is None,
        initial={"unit": fixed.pk if fixed else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = lifecycle.create_survey(
                actor=person,
                unit=data["unit"],
                period_code=data["period_code"],
                instrument=data["instrument"],
                services=data.get("services") or (),
                population=data["population"],
                requires_token=data["requires_token"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Survei %(period)s untuk %(unit)s telah direncanakan.")
                % {"period": survey.period_code, "unit": survey.unit.name},
            )
            return redirect("skm_survey", pk=survey.pk)
    return render(
        request,
        "skm/surveys/create.html",
        {"form": form, "fixed": fixed, "pick_by_id": pick_by_id},
    )


# --------------------------------------------------------------------------- detail


def _element_names(code: str, elements: list[str]) -> list[str]:
    version = instrument(code)
    names = {element.code: element.name for element in version.elements}
    return [f"{element} {names.get(element, '')}".strip() for element in elements]


def _missing(survey: Survey) -> list[str]:
    """Elements nobody answered: from the frozen result, or live once collection closed."""
    if survey.state in lifecycle.RESULT_STATES and survey.result:
        answers = survey.result.get("answers", {})
        return [code for code, number in answers.items() if not number]
    if survey.state == SurveyState.CLOSED and survey.respondents:
        return list(survey_result(survey).missing)
    return []


def _rule_difference(survey: Survey) -> str | None:
    """The frozen result's warning when the two weight rules give different grades."""
    doc = survey.result or {}
    if ResultWarning.WEIGHT_RULE_GRADE_DIFFERS not in doc.get("warnings", []):
        return None
    version = instrument(survey.instrument)
    rows = [doc, doc.get("alternative") or {}]
    if any(not row.get("weight_rule") or not row.get("grade") for row in rows):
        return None
    rows.sort(key=lambda row: row["weight_rule"] != WeightRule.PRINTED)
    parts = [
        f"{rule_name(version, WeightRule(row['weight_rule']))} → {row['grade']} "
        f"({number(Decimal(str(row['ikm_converted'])))})"
        for row in rows
    ]
    return _("Mutu berbeda menurut aturan bobot: %(parts)s") % {"parts": "; ".join(parts)}


def _detail_context(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    can_run = may_run_survey(request.user, survey)
    setting = setting_for(survey.instrument)
    actions = lifecycle.available_actions(survey) if can_run else []
    rule_changed = bool(survey.weight_rule) and survey.weight_rule != setting.weight_rule
    if not rule_changed and "recalculate" in actions:
        actions.remove("recalculate")
    target = survey.sample_target
    progress = min(100, survey.respondents * 100 // target) if target else None
    missing = _missing(survey)
    return {
        "survey": survey,
        "services": list(survey.services.order_by("code")),
        "can_run": can_run,
        "actions": [(action, ACTION_LABELS[action]) for action in actions],
        "progress": progress,
        "missing": _element_names(survey.instrument, missing),
        "current_rule": WeightRule(setting.weight_rule),
        "rule_changed": rule_changed,
        "media_labels": [
            PublicationMedium(m).label
            for m in survey.publication_media
            if m in PublicationMedium.values
        ],
        "reason_form": ReasonForm(),
        "publish_form": PublishForm(),
        "collecting": survey.state == SurveyState.COLLECTING,
        "published": survey.state == SurveyState.PUBLISHED,
        "rule_difference": _rule_difference(survey) if survey.calculated_at else None,
    }


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_for(request, pk)
    return render(request, "skm/surveys/detail.html", _detail_context(request, survey))


@login_required
def survey_update(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_to_run(request, pk)
    services = Service.objects.filter(unit=survey.unit_id).filter(
        Q(is_active=True) | Q(skm_surveys=survey)
    )
    form = SurveySettingsForm(
        request.POST or None,
        services=services.distinct().order_by("code"),
        initial={
            "population": survey.population,
            "services": list(survey.services.all()),
            "requires_token": survey.requires_token,
            "version": survey.version,
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["version"] is None:
                raise StaleVersion(
                    _("Formulir tidak lengkap (versi tidak ada); muat ulang halaman ini."),
                    field="version",
                )
            lifecycle.update_survey(
                survey,
                actor=signed_in_person(request),
                version=data["version"],
                population=data["population"],
                services=data["services"],
                requires_token=data["requires_token"],
            )
        except StaleVersion as error:
            apply_domain_error(form, error)
            status = 409
        except DomainPermissionDenied as error:
            raise PermissionDenied from error
        except DomainError as error:
            apply_domain_error(form, error)
            status = 422
        else:
            messages.success(request, _("Perubahan survei tersimpan."))
            return redirect("skm_survey", pk=survey.pk)
    return render(
        request,
        "skm/surveys/update.html",
        {"form": form, "survey": survey, "stale": status == 409},
        status=status,
    )


@login_required
@require_POST
def survey_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTION_LABELS:
        raise Http404
    survey = _survey_to_run(request, pk)
    person = signed_in_person(request)
    try:
        if action == "start":
            lifecycle.start_collecting(survey, actor=person)
            done = _("Pengumpulan jawaban dimulai.")
        elif action == "close":
            lifecycle.close_survey(survey, actor=person)
            done = _("Pengumpulan jawaban ditutup.")
        elif action == "calculate":
            lifecycle.calculate_survey(survey, actor=person)
            done = _("Hasil survei dihitung dan dibekukan.")
        elif action in ("reopen", "recalculate"):
            form = ReasonForm(request.POST)
            reason = form.data.get("reason", "")
            if action == "reopen":
                lifecycle.reopen_survey(survey, actor=person, reason=reason)
                done = _("Survei dibuka kembali untuk pengumpulan.")
            else:
                lifecycle.recalculate_survey(survey, actor=person, reason=reason)
                done = _("Hasil survei dihitung ulang dengan aturan bobot yang berlaku.")
        else:
            publish = PublishForm(request.POST)
            if not publish.is_valid():
                raise DomainError(
                    " ".join(str(e) for errors in publish.errors.values() for e in errors)
                )
            lifecycle.publish_survey(
                survey,
                actor=person,
                published_on=publish.cleaned_data["published_on"],
                media=publish.cleaned_data["publication_media"],
                url=publish.cleaned_data["url"],
            )
            done = _("Publikasi hasil survei tercatat.")
    except DomainPermissionDenied as error:
        raise PermissionDenied from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("skm_survey", pk=survey.pk)


# --------------------------------------------------------------------------- instruments


@login_required
def instrument_settings(request: HttpRequest) -> HttpResponse:
    """Each instrument version with its weight rule; the secretariat changes them here."""
    _require_reader(request)
    person = signed_in_person(request)
    can_edit = runs_all(access_for(person))
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        code = request.POST.get("code", "")
        if code not in known_codes():
            raise Http404
        form = InstrumentSettingForm(request.POST, prefix=code)
        if form.is_valid():
            try:
                lifecycle.set_weight_rule(
                    code,
                    actor=person,
                    rule=form.cleaned_data["weight_rule"],
                    accepts_new_surveys=form.cleaned_data["accepts_new_surveys"],
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, _("Pengaturan instrumen %(code)s tersimpan.") % {"code": code}
                )
        else:
            messages.error(request, _("Pengaturan tidak valid; periksa isian."))
        return redirect("skm_instruments")
    rows = []
    for code in known_codes():
        setting = setting_for(code)
        version = instrument(code)
        rows.append(
            {
                "code": code,
                "setting": setting,
                "elements": len(version.elements),
                "title": version.title,
                "legal_basis": ", ".join(version.legal_basis),
                "rule_label": WeightRule(setting.weight_rule).label,
                "stale_results": lifecycle.results_on_other_rule(code, setting.weight_rule).count(),
                "form": InstrumentSettingForm(
                    prefix=code,
                    initial={
                        "weight_rule": setting.weight_rule,
                        "accepts_new_surveys": setting.accepts_new_surveys,
                    },
                ),
            }
        )
    return render(request, "skm/surveys/instruments.html", {"rows": rows, "can_edit": can_edit})


# --------------------------------------------------------------------------- coverage


@login_required
def uncovered_units(request: HttpRequest) -> HttpResponse:
    """Units with no calculated or published survey in a year that has ended (skm.md §4)."""
    _require_reader(request)
    last = lifecycle.last_ended_year()
    years = list(range(last, last - UNCOVERED_YEARS, -1))
    asked = request.GET.get("tahun", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else last
    units = lifecycle.uncovered_units(year, units=lifecycle.units_readable_by(request.user))
    q = request.GET.get("q", "").strip()
    if q:
        units = units.filter(name__icontains=q)
    province = request.GET.get("provinsi", "").strip()
    if province:
        units = units.filter(institution__province_code=province)
    units = units.annotate(
        open_surveys=Count("skm_surveys", filter=Q(skm_surveys__period_start__year=year))
    ).order_by("institution__name", "name", "pk")
    fmt = request.GET.get("unduh", "")
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        return table_response(
            fmt,
            f"unit-tanpa-skm-{year}",
            ["unit_id", "unit", "instansi", "kode_provinsi", "survei_belum_dihitung"],
            (
                [u.pk, u.name, u.institution.name, u.institution.province_code, u.open_surveys]
                for u in units.iterator(chunk_size=2000)
            ),
        )
    page = paginate(request, units)
    names = province_names(unit.institution.province_code for unit in page.object_list)
    return render(
        request,
        "skm/surveys/uncovered.html",
        {
            "page": page,
            "rows": [
                (unit, names.get(unit.institution.province_code, "")) for unit in page.object_list
            ],
            "year": year,
            "years": years,
            "q": q,
            "province": province,
            "provinces": province_choices(),
            "can_create": units_run_by(request.user).exists(),
        },
    )
