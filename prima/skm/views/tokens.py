"""Staff pages that bring citizens to a survey: the QR code and poster, one-time codes.

- ``/skm/<pk>/qr/``: the survey's open link and QR code (``?unduh=png|svg`` downloads it);
- ``/skm/<pk>/poster.pdf``: an A4 poster with the QR code for the counter;
- ``/skm/unit/<unit_pk>/kode/``: issue a batch of one-time codes (the answer is the PDF
  of slips to print: clear codes are never stored, so they are printed now or never) and
  the unit's batches with how many codes were used.

For the people who run the unit's surveys: its operators, the institution's Admin Lokal,
the secretariat. Others get 403 (the page exists but is not theirs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from prima.core.documents import pdf_response
from prima.core.domain.errors import DomainError
from prima.core.models import ServiceUnit
from prima.core.views import apply_domain_error, signed_in_person
from prima.skm.domain.tokens import default_batch_label, issue_codes
from prima.skm.enums import SurveyState, TokenKind
from prima.skm.interfaces.posters import (
    codes_filename,
    codes_pdf,
    poster_pdf,
    qr_png,
    qr_svg,
    survey_link,
)
from prima.skm.interfaces.token_forms import IssueCodesForm
from prima.skm.models import Survey, SurveyToken
from prima.skm.queries import surveys_run_by, units_run_by

BATCHES_SHOWN = 50


def _survey_run_by(request: HttpRequest, pk: int) -> Survey:
    survey = surveys_run_by(signed_in_person(request)).filter(pk=pk).first()
    if survey is None:
        get_object_or_404(Survey, pk=pk)
        raise PermissionDenied
    return survey


def _unit_run_by(request: HttpRequest, unit_pk: int) -> ServiceUnit:
    unit = units_run_by(signed_in_person(request)).filter(pk=unit_pk).first()
    if unit is None:
        get_object_or_404(ServiceUnit, pk=unit_pk)
        raise PermissionDenied
    return unit


def _download_name(survey: Survey, extension: str) -> str:
    return f"qr-survei-{survey.period_code.lower()}-{survey.pk}.{extension}"


@login_required
def survey_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey's public link and QR code, to show, print or download."""
    survey = _survey_run_by(request, pk)
    link = survey_link(survey.public_id)
    fmt = request.GET.get("unduh", "")
    if fmt == "png":
        response = HttpResponse(qr_png(link), content_type="image/png")
        response["Content-Disposition"] = f'attachment; filename="{_download_name(survey, "png")}"'
        return response
    if fmt == "svg":
        response = HttpResponse(qr_svg(link), content_type="image/svg+xml")
        response["Content-Disposition"] = f'attachment; filename="{_download_name(survey, "svg")}"'
        return response
    return render(
        request,
        "skm/tokens/qr.html",
        {
            "survey": survey,
            "link": link,
            "svg": qr_svg(link, title=survey.unit.name),
            "collecting": survey.state == SurveyState.COLLECTING,
        },
    )


@login_required
def survey_poster(request: HttpRequest, pk: int) -> HttpResponse:
    """An A4 poster with the QR code, for the service counter."""
    survey = _survey_run_by(request, pk)
    content = poster_pdf(
        link=survey_link(survey.public_id),
        unit_name=survey.unit.name,
        institution_name=survey.institution.name,
        period_label=survey.period_code,
        generated_at=timezone.now(),
    )
    return pdf_response(content, f"poster-survei-{survey.period_code.lower()}-{survey.pk}.pdf")


def _batches(unit: ServiceUnit) -> list[Mapping[str, object]]:
    now = timezone.now()
    return list(
        SurveyToken.objects.filter(unit=unit, kind=TokenKind.CODE)
        .values("batch", "service_code")
        .annotate(
            issued=Count("id"),
            used=Count("used_at"),
            expired=Count("id", filter=Q(used_at__isnull=True, expires_at__lte=now)),
            issued_on=Min("issued_on"),
            expires_at=Max("expires_at"),
            created=Max("created_at"),
        )
        .order_by("-created")[:BATCHES_SHOWN]
    )


def _links(unit: ServiceUnit) -> dict[str, int]:
    return SurveyToken.objects.filter(unit=unit, kind=TokenKind.LINK).aggregate(
        issued=Count("id"), used=Count("used_at")
    )


@login_required
def unit_codes(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """Issue one-time codes (POST answers with the PDF of slips) and list the batches."""
    unit = _unit_run_by(request, unit_pk)
    person = signed_in_person(request)
    form = IssueCodesForm(request.POST or None, unit=unit)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            issued_on: dt.date = data["issued_on"]
            batch = " ".join(data["batch"].split()) or default_batch_label(issued_on)
            try:
                codes = issue_codes(
                    actor=person,
                    unit=unit,
                    count=data["count"],
                    issued_on=issued_on,
                    service_code=data["service_code"],
                    batch=batch,
                    valid_days=data["valid_days"],
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                service_name = (
                    unit.services.filter(code=data["service_code"])
                    .values_list("name", flat=True)
                    .first()
                    or ""
                )
                content = codes_pdf(
                    codes,
                    unit_name=unit.name,
                    batch=batch,
                    expires_on=issued_on + dt.timedelta(days=data["valid_days"] - 1),
                    service_name=service_name,
                    generated_at=timezone.now(),
                )
                response = pdf_response(content, codes_filename(batch), private=True)
                response["Content-Disposition"] = response["Content-Disposition"].replace(
                    "inline", "attachment", 1
                )
                return response
    surveys = list(
        Survey.objects.filter(unit=unit, state=SurveyState.COLLECTING).order_by("period_start")
    )
    return render(
        request,
        "skm/tokens/codes.html",
        {
            "unit": unit,
            "form": form,
            "batches": _batches(unit),
            "links": _links(unit),
            "collecting": surveys,
        },
        status=status,
    )
