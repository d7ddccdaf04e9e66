"""Staff pages of a survey's responses (skm.md §4, §7, §9).

- ``/skm/<pk>/jawaban/``: the accepted responses (filters, pages, CSV/XLSX in the canonical
  §9 layout) and, apart, the voided ones with their reason. Everyone who reads the survey.
- ``/skm/<pk>/jawaban/baru/``: paper entry by the people who run the survey (channel paper);
  "Simpan dan isi berikutnya" keeps the date and service for the next sheet.
- ``/skm/<pk>/jawaban/<rid>/batal/``: void a response with a reason.
- ``/skm/<pk>/kios/``: kiosk mode on a counter tablet, opened by a signed-in operator
  (channel kiosk); the form starts empty again after every answer. No cookie limits it:
  the tablet serves many citizens.

Every write goes through `prima.skm.domain.responses`; this module only reads the
scoped querysets and turns forms into the domain's input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.core.domain.errors import DomainError
from prima.core.domain.errors import PermissionDenied as DomainPermissionDenied
from prima.core.interfaces.export import table_response
from prima.core.interfaces.listing import paginate
from prima.core.views import signed_in_person
from prima.skm.domain.answer_columns import answer_fields
from prima.skm.domain.instruments import SkmInstrument
from prima.skm.domain.responses import (
    VOID_REASON_MIN_LENGTH,
    ResponseRejected,
    record_response,
    void_response,
)
from prima.skm.domain.versions import instrument as instrument_of
from prima.skm.enums import UNSPECIFIED_SERVICE, Channel, SurveyState
from prima.skm.interfaces.response_file import columns_of
from prima.skm.interfaces.response_forms import PaperEntryForm, ResponseForm, service_choices
from prima.skm.models import Response, Survey
from prima.skm.queries import may_run_survey, surveys_run_by, surveys_visible_to

EXPORT_FORMATS = ("csv", "xlsx")
PAGE_SIZE = 50
VOIDED_PAGE_SIZE = 20
# Extra export columns start with x_ so the file imports back unchanged (skm.md §9).
EXPORT_EXTRA = ("x_channel", "x_created_at")
VOIDED_EXTRA = ("x_voided_at", "x_void_reason")
DEMOGRAPHIC_COLUMNS = ("gender", "age_band", "education", "occupation")


# --------------------------------------------------------------------------- access


def _survey(request: HttpRequest, pk: int, scope: QuerySet[Survey]) -> Survey:
    """The survey in the person's scope; 404 when unknown, 403 when outside the scope."""
    survey = scope.filter(pk=pk).first()
    if survey is None:
        get_object_or_404(Survey, pk=pk)
        raise PermissionDenied
    return survey


def _readable(request: HttpRequest, pk: int) -> Survey:
    return _survey(request, pk, surveys_visible_to(request.user))


def _runnable(request: HttpRequest, pk: int) -> Survey:
    return _survey(request, pk, surveys_run_by(request.user))


# --------------------------------------------------------------------------- list


class ResponseFilterForm(forms.Form):
    """The list's filters (GET); bad values are ignored rather than refused."""

    q = forms.CharField(label=gettext_lazy("Nomor responden"), required=False, max_length=64)
    channel = forms.ChoiceField(label=gettext_lazy("Saluran"), required=False)
    service = forms.ChoiceField(label=gettext_lazy("Layanan"), required=False)
    dari = forms.DateField(
        label=gettext_lazy("Dari tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sampai = forms.DateField(
        label=gettext_lazy("Sampai tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, data: Any, *, services: list[tuple[str, str]]) -> None:
        super().__init__(data)
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = [("", _("Semua saluran")), *Channel.choices]
        service = self.fields["service"]
        assert isinstance(service, forms.ChoiceField)
        service.choices = [
            ("", _("Semua layanan")),
            *services,
            (UNSPECIFIED_SERVICE, _("Tidak disebutkan")),
        ]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm"

    def apply(self, queryset: QuerySet[Response]) -> QuerySet[Response]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.filter(respondent_ref__icontains=data["q"].strip())
        if data.get("channel"):
            queryset = queryset.filter(channel=data["channel"])
        if data.get("service"):
            queryset = queryset.filter(service_code=data["service"])
        if data.get("dari"):
            queryset = queryset.filter(answered_on__gte=data["dari"])
        if data.get("sampai"):
            queryset = queryset.filter(answered_on__lte=data["sampai"])
        return queryset


@dataclass(frozen=True)
class ResponseRow:
    """One response as the list shows it: answers by element code, labels resolved."""

    response: Response
    answers: list[int | None]
    service: str


def _rows(
    responses: Any, instrument: SkmInstrument, service_names: dict[str, str]
) -> list[ResponseRow]:
    fields = list(answer_fields(instrument).values())
    return [
        ResponseRow(
            response=response,
            answers=[getattr(response, field) for field in fields],
            service=service_names.get(response.service_code, response.service_code),
        )
        for response in responses
    ]


def _service_names(survey: Survey) -> dict[str, str]:
    names = dict(survey.unit.services.values_list("code", "name"))
    names[UNSPECIFIED_SERVICE] = _("Tidak disebutkan")
    return names


def _export_rows(
    queryset: QuerySet[Response], instrument: SkmInstrument, *, voided: bool
) -> Iterator[list[Any]]:
    fields = [
        "respondent_ref",
        "answered_on",
        "service_code",
        *DEMOGRAPHIC_COLUMNS,
        *answer_fields(instrument).values(),
        "suggestion",
        "channel",
        "created_at",
    ]
    if voided:
        fields += ["voided_at", "void_reason"]
    for values in queryset.values_list(*fields).iterator(chunk_size=2000):
        row: list[Any] = list(values)
        row[1] = row[1].isoformat()
        created = fields.index("created_at")
        row[created] = timezone.localtime(row[created]).isoformat(timespec="seconds")
        if voided:
            row[created + 1] = timezone.localtime(row[created + 1]).isoformat(timespec="seconds")
        yield row


def _export(
    survey: Survey,
    instrument: SkmInstrument,
    queryset: QuerySet[Response],
    fmt: str,
    *,
    voided: bool,
) -> HttpResponse:
    header = [*columns_of(instrument), *EXPORT_EXTRA]
    if voided:
        header += list(VOIDED_EXTRA)
    slug = f"skm-{survey.pk}-{survey.period_code}-{'jawaban-batal' if voided else 'jawaban'}"
    return table_response(fmt, slug, header, _export_rows(queryset, instrument, voided=voided))


@login_required
def response_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey's accepted responses and, apart, the voided ones with their reason."""
    survey = _readable(request, pk)
    instrument = instrument_of(survey.instrument)
    services = service_choices(survey)
    filters = ResponseFilterForm(request.GET or None, services=services)
    base = Response.objects.filter(survey=survey).select_related("entered_by", "voided_by")
    accepted = filters.apply(base.filter(voided_at__isnull=True)).order_by("-id")
    voided = filters.apply(base.filter(voided_at__isnull=False)).order_by("-voided_at", "-id")
    fmt = request.GET.get("unduh", "")
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        is_voided = request.GET.get("status") == "batal"
        chosen = (voided if is_voided else accepted).order_by("id")
        return _export(survey, instrument, chosen, fmt, voided=is_voided)
    names = _service_names(survey)
    page = paginate(request, accepted, PAGE_SIZE)
    voided_page = Paginator(voided, VOIDED_PAGE_SIZE).get_page(request.GET.get("hal_batal"))
    query = {
        k: v for k, v in request.GET.items() if k not in ("page", "hal_batal", "unduh", "status")
    }
    return render(
        request,
        "skm/responses/list.html",
        {
            "survey": survey,
            "instrument": instrument,
            "filters": filters,
            "page": page,
            "rows": _rows(page.object_list, instrument, names),
            "voided_page": voided_page,
            "voided_rows": _rows(voided_page.object_list, instrument, names),
            "query": urlencode(query),
            "may_run": may_run_survey(request.user, survey),
            "collecting": survey.state == SurveyState.COLLECTING,
            "may_void": survey.state in (SurveyState.COLLECTING, SurveyState.CLOSED),
        },
    )


# --------------------------------------------------------------------------- paper entry


def _entry_initial(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    """The date and service to start from: those of the previous sheet, else today."""
    initial: dict[str, Any] = {}
    try:
        day = dt.date.fromisoformat(request.GET.get("tanggal", ""))
    except ValueError:
        day = timezone.localdate()
    if survey.period_start <= day <= survey.period_end:
        initial["answered_on"] = day
    if request.GET.get("layanan"):
        initial["service_code"] = request.GET["layanan"]
    return initial


def _form_kwargs(survey: Survey) -> dict[str, Any]:
    return {
        "survey": survey,
        "instrument": instrument_of(survey.instrument),
        "service_choices": service_choices(survey),
    }


def _record(
    request: HttpRequest, survey: Survey, form: ResponseForm, data: Any, channel: Channel
) -> Response | None:
    """Record through the domain; its problems end on the form (None then)."""
    try:
        return record_response(survey, data, channel=channel, actor=signed_in_person(request))
    except ResponseRejected as rejected:
        form.apply_errors(rejected)
    except DomainPermissionDenied as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
    return None


@login_required
def response_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Paper entry: one sheet at a time, channel paper, the operator as author."""
    survey = _runnable(request, pk)
    if request.method == "POST":
        form: PaperEntryForm = PaperEntryForm(request.POST, **_form_kwargs(survey))
        if form.is_valid():
            data = form.to_input()
            response = _record(request, survey, form, data, Channel.PAPER)
            if response is not None:
                messages.success(
                    request,
                    _("Jawaban nomor %(ref)s tersimpan (%(count)s responden).")
                    % {"ref": response.respondent_ref, "count": survey.respondents},
                )
                if "lanjut" in request.POST:
                    query = urlencode(
                        {"tanggal": data.answered_on.isoformat(), "layanan": data.service_code}
                    )
                    return redirect(f"{reverse('skm_response_entry', args=[survey.pk])}?{query}")
                return redirect("skm_responses", survey.pk)
    else:
        form = PaperEntryForm(initial=_entry_initial(request, survey), **_form_kwargs(survey))
    return render(
        request,
        "skm/responses/entry.html",
        {
            "survey": survey,
            "form": form,
            "collecting": survey.state == SurveyState.COLLECTING,
        },
    )


# --------------------------------------------------------------------------- void


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan pembatalan"),
        max_length=500,
        help_text=gettext_lazy("Paling sedikit %(min)s karakter, mis. “lembar tercatat dua kali”.")
        % {"min": VOID_REASON_MIN_LENGTH},
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


@login_required
def response_void(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    """Take one response out of the figures, with a reason (the row stays, audited)."""
    survey = _runnable(request, pk)
    response = get_object_or_404(
        Response.objects.select_related("entered_by", "voided_by"), pk=rid, survey=survey
    )
    instrument = instrument_of(survey.instrument)
    row = _rows([response], instrument, _service_names(survey))[0]
    form = VoidForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            void_response(
                response, actor=signed_in_person(request), reason=form.cleaned_data["reason"]
            )
        except DomainPermissionDenied as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Jawaban nomor %(ref)s dibatalkan dan tidak lagi dihitung.")
                % {"ref": response.respondent_ref},
            )
            return redirect("skm_responses", survey.pk)
    return render(
        request,
        "skm/responses/void.html",
        {
            "survey": survey,
            "response": response,
            "row": row,
            "answer_pairs": list(zip(instrument.element_codes, row.answers, strict=True)),
            "form": form,
            "may_void": survey.state in (SurveyState.COLLECTING, SurveyState.CLOSED)
            and response.voided_at is None,
        },
    )


# --------------------------------------------------------------------------- kiosk


@login_required
def kiosk(request: HttpRequest, pk: int) -> HttpResponse:
    """A counter tablet: citizens answer one after another on the operator's session.

    Dated today, channel kiosk; after each answer the page thanks the citizen and shows
    an empty form again (no cookie limits the tablet to one answer).
    """
    survey = _runnable(request, pk)
    if request.method == "POST":
        form = ResponseForm(request.POST, **_form_kwargs(survey))
        if form.is_valid():
            data = form.to_input(timezone.localdate())
            if _record(request, survey, form, data, Channel.KIOSK) is not None:
                messages.success(request, _("Terima kasih! Jawaban Anda sudah kami terima."))
                return redirect("skm_kiosk", survey.pk)
    else:
        form = ResponseForm(**_form_kwargs(survey))
    return render(
        request,
        "skm/responses/kiosk.html",
        {
            "survey": survey,
            "form": form,
            "collecting": survey.state == SurveyState.COLLECTING,
        },
    )
