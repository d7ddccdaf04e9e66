"""Award pages: the secretariat's decision page per edition, the public award list with
its downloads, the public certificate verification and an institution's awards.

Every write goes through `prima.awards.domain`; a refusal is shown as a message on the
decision page. Reading goes through `prima.awards.queries`, so downloads equal the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prima.awards.domain import certificates as certs
from prima.awards.domain.certificate_document import pdf_filename
from prima.awards.domain.permissions import (
    is_secretariat,
    results_are_public,
    results_public,
)
from prima.awards.domain.proposals import (
    MIN_REASON,
    add_award,
    decide_awards,
    record_decree,
    remove_award,
)
from prima.awards.enums import AwardStatus
from prima.awards.interfaces.exports import FORMATS, award_list_response, certificates_zip
from prima.awards.interfaces.verification import retry_after, verification_allowed
from prima.awards.jobs import start_certificates_job
from prima.awards.models import Award, AwardCategory, Certificate
from prima.awards.queries import (
    award_list,
    awards_of_institution,
    edition_for,
    override_recipient,
)
from prima.core.access import access_for
from prima.core.documents import pdf_response
from prima.core.domain.errors import DomainError
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.queries import institutions_visible_to
from prima.evaluation.models import Edition

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _secretariat_edition(request: HttpRequest, code: str) -> Edition:
    if not is_secretariat(request.user):
        raise PermissionDenied
    return get_object_or_404(Edition, code=code)


def _back(edition: Edition) -> HttpResponse:
    return redirect("awards_edition", edition.code)


def _run(request: HttpRequest, write: Any, done: str) -> None:
    """Call a domain write; its refusal becomes an error message on the page."""
    try:
        write()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan"),
        min_length=MIN_REASON,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AddForm(ReasonForm):
    institution = forms.IntegerField(label=gettext_lazy("ID instansi"), required=False)
    innovation = forms.IntegerField(label=gettext_lazy("ID inovasi"), required=False)


class DecreeForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=gettext_lazy("Nomor keputusan"), max_length=120)
    date = forms.DateField(label=gettext_lazy("Tanggal keputusan"), widget=DATE_WIDGET)


def _valid(request: HttpRequest, form: forms.Form) -> bool:
    """Whether the form is valid; if not, its errors become an error message."""
    if form.is_valid():
        return True
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return False


# --------------------------------------------------------------------------- secretariat


@login_required
def edition_awards(request: HttpRequest, code: str) -> HttpResponse:
    """Categories with their proposed, decided and removed awards; decide, override,
    decree and certificates."""
    edition = _secretariat_edition(request, code)
    categories = list(
        AwardCategory.objects.filter(edition=edition).prefetch_related(
            Prefetch(
                "awards",
                queryset=Award.objects.select_related("institution", "innovation")
                .prefetch_related(
                    Prefetch(
                        "certificates",
                        queryset=Certificate.objects.order_by("-generated_at", "-pk"),
                        to_attr="all_certificates",
                    )
                )
                .order_by("status", "stratum", "rank", "id"),
            )
        )
    )
    for category in categories:
        rows = list(category.awards.all())
        for award in rows:
            history = award.all_certificates  # type: ignore[attr-defined]
            award.valid = next((c for c in history if c.revoked_at is None), None)  # type: ignore[attr-defined]
            award.revoked = [c for c in history if c.revoked_at is not None]  # type: ignore[attr-defined]
        category.proposed = [a for a in rows if a.status == AwardStatus.PROPOSED]  # type: ignore[attr-defined]
        category.decided = [a for a in rows if a.status == AwardStatus.DECIDED]  # type: ignore[attr-defined]
    counts = {
        "decided": Award.objects.filter(edition=edition, status=AwardStatus.DECIDED).count(),
        # At most one valid certificate per award (a database constraint).
        "certified": Certificate.objects.filter(
            award__edition=edition, award__status=AwardStatus.DECIDED, revoked_at__isnull=True
        ).count(),
    }
    decree = (
        Award.objects.filter(edition=edition, status=AwardStatus.DECIDED)
        .exclude(decree_number="")
        .values("decree_number", "decree_date")
        .first()
    )
    return render(
        request,
        "awards/edition.html",
        {
            "edition": edition,
            "categories": categories,
            "counts": counts,
            "decree": decree,
            "decree_form": DecreeForm(),
            "min_reason": MIN_REASON,
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, code: str, category_id: int) -> HttpResponse:
    edition = _secretariat_edition(request, code)
    category = get_object_or_404(AwardCategory, pk=category_id, edition=edition)
    _run(
        request,
        lambda: decide_awards(category, actor=request.user),
        _("Usulan kategori «%(title)s» ditetapkan.") % {"title": category.title},
    )
    return _back(edition)


@login_required
@require_POST
def add(request: HttpRequest, code: str, category_id: int) -> HttpResponse:
    edition = _secretariat_edition(request, code)
    category = get_object_or_404(AwardCategory, pk=category_id, edition=edition)
    form = AddForm(request.POST)
    if not _valid(request, form):
        return _back(edition)
    data = form.cleaned_data
    institution, innovation = override_recipient(
        institution_id=data["institution"], innovation_id=data["innovation"]
    )
    if data["innovation"] and innovation is None:
        messages.error(request, _("Inovasi dengan ID itu tidak terdaftar."))
        return _back(edition)
    if institution is None:
        messages.error(request, _("Instansi dengan ID itu tidak terdaftar."))
        return _back(edition)
    _run(
        request,
        lambda: add_award(
            category,
            institution=institution,
            innovation=innovation,
            reason=data["reason"],
            actor=request.user,
        ),
        _("Penerima ditambahkan ke «%(title)s».") % {"title": category.title},
    )
    return _back(edition)


@login_required
@require_POST
def remove(request: HttpRequest, code: str, award_id: int) -> HttpResponse:
    edition = _secretariat_edition(request, code)
    award = get_object_or_404(Award, pk=award_id, edition=edition)
    form = ReasonForm(request.POST)
    if not _valid(request, form):
        return _back(edition)
    _run(
        request,
        lambda: remove_award(award, reason=form.cleaned_data["reason"], actor=request.user),
        _("Penghargaan dibatalkan."),
    )
    return _back(edition)


@login_required
@require_POST
def decree(request: HttpRequest, code: str) -> HttpResponse:
    edition = _secretariat_edition(request, code)
    form = DecreeForm(request.POST)
    if not _valid(request, form):
        return _back(edition)
    data = form.cleaned_data
    _run(
        request,
        lambda: record_decree(
            edition, number=data["number"], date=data["date"], actor=request.user
        ),
        _("Keputusan %(number)s dicatat.") % {"number": data["number"]},
    )
    return _back(edition)


@login_required
@require_POST
def issue(request: HttpRequest, code: str, award_id: int) -> HttpResponse:
    edition = _secretariat_edition(request, code)
    award = get_object_or_404(Award, pk=award_id, edition=edition)
    _run(
        request,
        lambda: certs.issue_certificate(award, actor=request.user),
        _("Piagam diterbitkan."),
    )
    return _back(edition)


@login_required
@require_POST
def certificates_job(request: HttpRequest, code: str) -> HttpResponse:
    edition = _secretariat_edition(request, code)
    job = start_certificates_job(edition, actor=request.user)
    return redirect("job_detail", job.pk)


@login_required
@require_POST
def revoke(request: HttpRequest, code: str, certificate_id: int) -> HttpResponse:
    edition = _secretariat_edition(request, code)
    certificate = get_object_or_404(Certificate, pk=certificate_id, award__edition=edition)
    form = ReasonForm(request.POST)
    if not _valid(request, form):
        return _back(edition)
    _run(
        request,
        lambda: certs.revoke_certificate(
            certificate, reason=form.cleaned_data["reason"], actor=request.user
        ),
        _("Piagam %(number)s dicabut.") % {"number": certificate.number},
    )
    return _back(edition)


@login_required
def zip_download(request: HttpRequest, code: str) -> HttpResponse:
    edition = _secretariat_edition(request, code)
    response = HttpResponse(certificates_zip(edition), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="piagam-{edition.code}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


def may_download(person: Any, certificate: Certificate) -> bool:
    """The secretariat, any certificate; the recipient institution's people only a valid
    certificate of a decided award, once the edition's results are public."""
    if is_secretariat(person):
        return True
    award = certificate.award
    return (
        certificate.revoked_at is None
        and award.status == AwardStatus.DECIDED
        and results_public(person, award.edition)
        and award.institution_id in access_for(person).member_institution_ids
    )


@login_required
def certificate_pdf(request: HttpRequest, code: str, certificate_id: int) -> HttpResponse:
    certificate = get_object_or_404(
        Certificate.objects.select_related("award__edition"),
        pk=certificate_id,
        award__edition__code=code,
    )
    if not may_download(request.user, certificate):
        raise PermissionDenied
    if not certificate.file:
        raise Http404
    with certificate.file.open("rb") as handle:
        content = handle.read()
    return pdf_response(content, pdf_filename(certificate.number), private=True)


# --------------------------------------------------------------------------- public


def public_list(request: HttpRequest, code: str) -> HttpResponse:
    """The decided awards of a published edition per category (secretariat: any edition)."""
    edition = edition_for(request.user, code)
    return render(
        request,
        "awards/list.html",
        {
            "edition": edition,
            "listing": award_list(edition),
            "formats": FORMATS,
            "results_open": results_are_public(edition),
        },
    )


def public_list_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    edition = edition_for(request.user, code)
    if fmt not in FORMATS:
        raise Http404
    return award_list_response(award_list(edition), fmt)


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: is this certificate genuine? (Rate limited per address.)"""
    if not verification_allowed(request):
        response = render(request, "awards/verify.html", {"rate_limited": True}, status=429)
        response["Retry-After"] = retry_after()
        return response
    result = certs.verify_certificate(code)
    facts = result.facts
    return render(
        request,
        "awards/verify.html",
        {
            "result": result,
            "facts": facts,
            "recipient": certs.recipient_name(facts) if facts else "",
            "decree_date": _date(facts.get("decree_date")),
            "event_date": _date(facts.get("event_date")),
            "code": certs.normalise_code(code),
        },
        status=200 if result.certificate is not None else 404,
    )


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def institution_awards(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_object_or_404(institutions_visible_to(request.user), pk=pk)
    return render(
        request,
        "awards/institution.html",
        {"institution": institution, "rows": awards_of_institution(institution)},
    )
