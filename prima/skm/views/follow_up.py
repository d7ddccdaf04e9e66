"""Follow-up plan (RTL) pages of a survey (skm.md §8).

- ``/skm/<pk>/rtl/``: the plan, its metrics, the proposed priorities and the items with
  their status; ``?unduh=csv|xlsx`` downloads the items. Readers of the survey see it;
  the people who run the survey also get the actions.
- Start, add/edit an item, change its status (with evidence), remove a draft item, adopt.
- ``/skm/<pk>/rtl/butir/<item_pk>/bukti/``: the evidence file, only for readers of the survey.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.core.domain.errors import DomainError, StaleVersion
from prima.core.interfaces.export import table_response
from prima.core.models import Service
from prima.core.views import signed_in_person
from prima.skm.domain.follow_up import (
    PLANNABLE_STATES,
    add_item,
    adopt_plan,
    plan_metrics,
    priority_elements,
    remove_item,
    service_codes_of,
    set_item_status,
    start_plan,
    update_item,
)
from prima.skm.domain.versions import instrument as instrument_of
from prima.skm.interfaces.follow_up_forms import AdoptForm, ItemForm, StartPlanForm, StatusForm
from prima.skm.models import FollowUpItem, FollowUpPlan, Survey
from prima.skm.queries import may_run_survey, surveys_visible_to

EXPORT_HEADER = (
    "no",
    "unsur",
    "kode_layanan",
    "masalah",
    "rencana_aksi",
    "penanggung_jawab",
    "rencana_mulai",
    "rencana_selesai",
    "status",
    "tanggal_terealisasi",
    "alasan_pembatalan",
    "keterangan_bukti",
    "ada_berkas_bukti",
)


def _survey(request: HttpRequest, pk: int, *, run: bool = False) -> Survey:
    """The survey if the person may read it (404 otherwise); 403 if ``run`` and they may
    not run it."""
    survey = get_object_or_404(surveys_visible_to(request.user), pk=pk)
    if run and not may_run_survey(request.user, survey):
        raise PermissionDenied
    return survey


def _plan(survey: Survey) -> FollowUpPlan:
    plan = FollowUpPlan.objects.filter(survey=survey).first()
    if plan is None:
        raise Http404(_("Survei ini belum memiliki rencana tindak lanjut."))
    plan.survey = survey
    return plan


def _item(plan: FollowUpPlan, item_pk: int) -> FollowUpItem:
    item = get_object_or_404(FollowUpItem.objects.filter(plan=plan), pk=item_pk)
    item.plan = plan
    return item


def _service_names(survey: Survey) -> dict[str, str]:
    return dict(Service.objects.filter(unit_id=survey.unit_id).values_list("code", "name"))


def _service_choices(survey: Survey) -> list[tuple[str, str]]:
    names = _service_names(survey)
    return [(code, f"{code} — {names.get(code, code)}") for code in service_codes_of(survey)]


def _add_error(form: Any, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    if field is not None and form.fields[field].widget.is_hidden:
        field = None
    form.add_error(field, error.message)


def _detail(survey: Survey) -> HttpResponse:
    return redirect("skm_follow_up", pk=survey.pk)


@login_required
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    version = instrument_of(survey.instrument)
    element_names = {element.code: element.name for element in version.elements}
    plan = FollowUpPlan.objects.filter(survey=survey).select_related("adopted_by").first()
    items = list(plan.items.all()) if plan is not None else []
    fmt = request.GET.get("unduh", "")
    if fmt in ("csv", "xlsx") and plan is not None:
        rows = [
            (
                item.position,
                " ".join(item.elements),
                item.service_code,
                item.problem,
                item.action,
                item.owner,
                item.planned_start,
                item.planned_end,
                item.status,
                item.realised_on,
                item.cancel_reason,
                item.evidence_note,
                bool(item.evidence),
            )
            for item in items
        ]
        return table_response(fmt, f"rtl-{survey.pk}-{survey.period_code}", EXPORT_HEADER, rows)
    if plan is not None:
        plan.survey = survey
    service_names = _service_names(survey) if any(item.service_code for item in items) else {}
    for item in items:
        item.element_labels = [(code, element_names.get(code, code)) for code in item.elements]  # type: ignore[attr-defined]
        item.service_name = service_names.get(item.service_code, "")  # type: ignore[attr-defined]
    may_run = may_run_survey(request.user, survey)
    priorities = priority_elements(survey) if survey.state in PLANNABLE_STATES else []
    return render(
        request,
        "skm/follow_up/detail.html",
        {
            "survey": survey,
            "plan": plan,
            "items": items,
            "metrics": plan_metrics(plan, items) if plan is not None else None,
            "priorities": priorities,
            "may_run": may_run,
            "plannable": survey.state in PLANNABLE_STATES,
            "start_form": StartPlanForm() if may_run and plan is None else None,
        },
    )


@login_required
@require_POST
def follow_up_start(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, run=True)
    form = StartPlanForm(request.POST)
    if form.is_valid():
        try:
            start_plan(
                survey,
                actor=signed_in_person(request),
                note=form.cleaned_data["note"],
                draft_priorities=form.cleaned_data["draft_priorities"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Rencana tindak lanjut telah dibuat."))
    else:
        messages.error(request, _("Periksa isian rencana tindak lanjut."))
    return _detail(survey)


def _item_page(
    request: HttpRequest, survey: Survey, form: ItemForm, item: FollowUpItem | None, status: int
) -> HttpResponse:
    return render(
        request,
        "skm/follow_up/item_form.html",
        {"survey": survey, "form": form, "item": item},
        status=status,
    )


@login_required
def follow_up_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, run=True)
    plan = _plan(survey)
    form = ItemForm(
        request.POST or None,
        instrument=instrument_of(survey.instrument),
        service_codes=_service_choices(survey),
    )
    if request.method == "POST" and form.is_valid():
        try:
            add_item(plan, actor=signed_in_person(request), data=form.to_input())
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Butir rencana telah ditambahkan."))
            return _detail(survey)
    return _item_page(request, survey, form, None, 200)


@login_required
def follow_up_item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    survey = _survey(request, pk, run=True)
    item = _item(_plan(survey), item_pk)
    form = ItemForm(
        request.POST or None,
        instrument=instrument_of(survey.instrument),
        service_codes=_service_choices(survey),
        initial={
            "elements": item.elements,
            "service_code": item.service_code,
            "problem": item.problem,
            "action": item.action,
            "owner": item.owner,
            "planned_start": item.planned_start,
            "planned_end": item.planned_end,
            "version": item.version,
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            update_item(
                item,
                actor=signed_in_person(request),
                version=form.cleaned_data["version"] or 0,
                data=form.to_input(),
            )
        except StaleVersion as error:
            _add_error(form, error)
            status = 409
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Butir rencana telah disimpan."))
            return _detail(survey)
    return _item_page(request, survey, form, item, status)


@login_required
def follow_up_item_status(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    survey = _survey(request, pk, run=True)
    item = _item(_plan(survey), item_pk)
    form = StatusForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "status": item.status,
            "realised_on": item.realised_on,
            "cancel_reason": item.cancel_reason,
            "evidence_note": item.evidence_note,
            "version": item.version,
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            set_item_status(
                item,
                actor=signed_in_person(request),
                version=cd["version"],
                status=cd["status"],
                realised_on=cd["realised_on"],
                reason=cd["cancel_reason"],
                evidence_note=cd["evidence_note"],
                evidence=cd["evidence"] or None,
            )
        except StaleVersion as error:
            _add_error(form, error)
            status = 409
        except DomainError as error:
            if error.field == "file":
                error.field = "evidence"
            _add_error(form, error)
        else:
            messages.success(request, _("Status butir rencana telah disimpan."))
            return _detail(survey)
    return render(
        request,
        "skm/follow_up/status_form.html",
        {"survey": survey, "form": form, "item": item},
        status=status,
    )


@login_required
@require_POST
def follow_up_item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    survey = _survey(request, pk, run=True)
    item = _item(_plan(survey), item_pk)
    version = request.POST.get("version", "")
    try:
        remove_item(
            item,
            actor=signed_in_person(request),
            version=int(version) if version.isdigit() else 0,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Butir rencana telah dihapus."))
    return _detail(survey)


@login_required
def follow_up_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, run=True)
    plan = _plan(survey)
    form = AdoptForm(request.POST or None, initial={"adopted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            adopt_plan(
                plan,
                actor=signed_in_person(request),
                adopted_on=form.cleaned_data["adopted_on"],
                decree_number=form.cleaned_data["decree_number"],
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Rencana tindak lanjut telah ditetapkan."))
            return _detail(survey)
    return render(
        request,
        "skm/follow_up/adopt_form.html",
        {"survey": survey, "plan": plan, "form": form},
    )


@login_required
def follow_up_evidence(request: HttpRequest, pk: int, item_pk: int) -> FileResponse:
    """The evidence file, for readers of the survey only; never through MEDIA_URL."""
    survey = _survey(request, pk)
    item = _item(_plan(survey), item_pk)
    if not item.evidence:
        raise Http404
    try:
        handle = item.evidence.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    name = (item.evidence.name or "").rsplit("/", 1)[-1]
    # Checked as PDF or an image from the content at upload: safe to show inline.
    content_type = "application/pdf" if name.endswith(".pdf") else f"image/{_image(name)}"
    response = FileResponse(handle, content_type=content_type, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _image(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return {"jpg": "jpeg", "png": "png", "webp": "webp"}.get(extension, "jpeg")
