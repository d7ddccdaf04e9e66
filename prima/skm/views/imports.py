"""Importing a file of responses into a survey (skm.md §9): the upload page, the blank
templates (CSV, XLSX with a guide sheet) and the file of rows an import left out.

The pages are for the people who run the survey (others get 403; an unknown survey 404).
The import itself runs as a background job (`prima.skm.jobs`) and the person is taken to
the job's progress page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from prima.core.domain.errors import DomainError
from prima.core.domain.errors import PermissionDenied as DomainPermissionDenied
from prima.core.interfaces.export import XLSX_TYPE, csv_response
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.models import Job
from prima.core.views import signed_in_person
from prima.skm.domain.instruments import SkmInstrument
from prima.skm.domain.responses import allowed_service_codes
from prima.skm.domain.versions import instrument as instrument_of
from prima.skm.enums import (
    UNSPECIFIED_SERVICE,
    AgeBand,
    Education,
    Gender,
    Occupation,
    SurveyState,
)
from prima.skm.interfaces.response_file import IMPORT_LIMITS, columns_of
from prima.skm.interfaces.response_import import ImportMode
from prima.skm.jobs import (
    RESPONSE_IMPORT,
    rejected_file_of,
    start_response_import,
    survey_page,
)
from prima.skm.models import Survey
from prima.skm.queries import surveys_run_by

RECENT_IMPORTS = 10


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas jawaban (CSV atau XLSX)"),
        help_text=gettext_lazy("Paling besar 50 MB dan 1.000.000 baris."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Cara menerapkan"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "<strong>Semua atau tidak sama sekali</strong>: tidak ada yang disimpan bila satu "
            "baris saja salah; daftar masalahnya ditampilkan per baris dan kolom. "
            "<strong>Terapkan baris yang benar saja</strong>: baris yang benar disimpan, baris "
            "yang salah dapat diunduh sebagai CSV beserta pesannya."
        ),
    )


@dataclass(frozen=True)
class GuideRow:
    column: str
    value: str
    blank: str


def guide(survey: Survey, instrument: SkmInstrument) -> list[GuideRow]:
    """What each column of the canonical file takes (skm.md §9), for this survey."""
    services = sorted(allowed_service_codes(survey) - {UNSPECIFIED_SERVICE})
    rows = [
        GuideRow(
            "respondent_ref",
            _("paling banyak 64 karakter, unik dalam survei"),
            _("Prima memberi nomor"),
        ),
        GuideRow(
            "answered_on",
            _("tanggal YYYY-MM-DD dalam periode %(period)s (%(start)s s.d. %(end)s)")
            % {
                "period": survey.period_code,
                "start": survey.period_start.isoformat(),
                "end": survey.period_end.isoformat(),
            },
            _("tidak boleh kosong"),
        ),
        GuideRow(
            "service_code",
            _("kode layanan unit: %(codes)s") % {"codes": ", ".join(services)}
            if services
            else _("kode layanan unit (katalog layanan unit masih kosong)"),
            _("layanan tidak disebut (unspecified)"),
        ),
    ]
    for column, choices in (
        ("gender", Gender),
        ("age_band", AgeBand),
        ("education", Education),
        ("occupation", Occupation),
    ):
        rows.append(
            GuideRow(
                column,
                ", ".join(f"{value} ({label})" for value, label in choices.choices),
                _("tidak disebut"),
            )
        )
    scale = ", ".join(str(value) for value in instrument.answer_values)
    for element in instrument.elements:
        rows.append(
            GuideRow(
                element.code,
                _("%(name)s: %(scale)s") % {"name": element.name, "scale": scale},
                _("unsur tidak dijawab"),
            )
        )
    rows.append(GuideRow("suggestion", _("teks paling banyak 2.000 karakter"), _("tanpa saran")))
    return rows


def _survey(request: HttpRequest, pk: int) -> Survey:
    """The survey, when the person runs it: 404 when it does not exist, 403 otherwise."""
    person = signed_in_person(request)
    survey = surveys_run_by(person).filter(pk=pk).first()
    if survey is None:
        if Survey.objects.filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404
    return survey


def _recent_imports(survey: Survey) -> list[Job]:
    return list(
        Job.objects.filter(kind=RESPONSE_IMPORT, params__survey=survey.pk)
        .select_related("started_by")
        .order_by("-created_at", "-pk")[:RECENT_IMPORTS]
    )


@login_required
def skm_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a canonical file of responses; the import runs as a job."""
    survey = _survey(request, pk)
    instrument = instrument_of(survey.instrument)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = start_response_import(
                survey,
                form.cleaned_data["file"],
                actor=signed_in_person(request),
                mode=form.cleaned_data["mode"],
            )
        except DomainPermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error("mode" if exc.field == "mode" else "file", exc.message)
        else:
            return redirect("job_detail", pk=job.pk)
    return render(
        request,
        "skm/imports/import.html",
        {
            "survey": survey,
            "survey_url": survey_page(survey.pk),
            "form": form,
            "guide": guide(survey, instrument),
            "columns": columns_of(instrument),
            "imports": _recent_imports(survey),
            "limits": IMPORT_LIMITS,
            "collecting": survey.state == SurveyState.COLLECTING,
        },
    )


def _template_xlsx(filename: str, columns: Sequence[str], rows: list[GuideRow]) -> HttpResponse:
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(title=_("Jawaban")[:31])
    data.append(list(columns))
    sheet = workbook.create_sheet(title=_("Petunjuk")[:31])
    sheet.append([_("Isi lembar pertama saja; satu baris per responden. Lembar ini diabaikan.")])
    sheet.append([_("Nama kolom harus persis sama; kolom tambahan harus diawali x_.")])
    sheet.append([])
    sheet.append([_("Kolom"), _("Isian"), _("Bila kosong")])
    for row in rows:
        sheet.append([row.column, row.value, row.blank])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@login_required
def skm_import_template(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A blank file with the canonical columns of the survey's instrument."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    survey = _survey(request, pk)
    instrument = instrument_of(survey.instrument)
    filename = f"templat-skm-{survey.period_code}-{instrument.code}"
    columns = columns_of(instrument)
    if fmt == "xlsx":
        return _template_xlsx(filename, columns, guide(survey, instrument))
    return csv_response(filename, columns, [])


@login_required
def skm_import_rejected(request: HttpRequest, job_id: int) -> HttpResponseBase:
    """The rows an import left out: for the person who ran it and those who run the survey."""
    try:
        found = rejected_file_of(job_id, signed_in_person(request))
    except DomainPermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    if found is None:
        raise Http404
    job, name = found
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=f"baris-ditolak-impor-{job.pk}.csv",
        content_type="text/csv; charset=utf-8",
    )
