"""Public KIPP pages: no login, published editions only (kipp.md §12, §15).

The edition list, an edition's page (theme, calendar, announcements), the finalist list
with the objection banner, and an announcement with its list. Filing an objection needs
a staff login or a citizen account (one-time code by SMS); the form is here because it
hangs off the public finalist list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.core.citizen_session import citizen_login_url, current_citizen
from prima.core.documents import pdf_response
from prima.core.domain.errors import DomainError
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.interfaces.listing import paginate
from prima.evaluation.models import Edition
from prima.kipp.domain.announcements import (
    attached_list,
    content_fingerprint,
    published_announcements,
)
from prima.kipp.domain.objections import (
    STATEMENT_MAX,
    STATEMENT_MIN,
    current_window,
    file_objection,
    may_object,
)
from prima.kipp.domain.rules import CALENDAR_LABELS
from prima.kipp.enums import AnnouncementKind, ObjectionGround, ProposalState
from prima.kipp.interfaces.announcement_pdf import pdf_filename, render_announcement_pdf
from prima.kipp.models import Announcement, Proposal

LIST_PAGE = 100


def _published_edition(code: str) -> Edition:
    return get_object_or_404(Edition, code=code, programme="kipp", is_published=True)


def _calendar(edition: Edition) -> list[dict[str, Any]]:
    """The calendar of the rule set as rows (label, first day, last day), in config order."""
    calendar = (edition.rules or {}).get("calendar") or {}
    rows: list[dict[str, Any]] = []
    for key, value in calendar.items():
        if key not in CALENDAR_LABELS:
            continue
        start: Any
        end: Any = None
        if isinstance(value, Mapping):
            start, end = value.get("open"), value.get("close")
        elif isinstance(value, list | tuple) and value:
            start, end = value[0], value[-1]
        else:
            start = value
        if key == "registration" and edition.registration_close is not None:
            end = edition.registration_close
        rows.append({"label": CALENDAR_LABELS[key], "start": _when(start), "end": _when(end)})
    return rows


def _when(value: Any) -> Any:
    """ISO strings of the rule set as dates or datetimes (left as they are when unreadable)."""
    if isinstance(value, str):
        try:
            return (
                dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
            )
        except ValueError:
            return value
    return value


def kipp_public_editions(request: HttpRequest) -> HttpResponse:
    editions = Edition.objects.filter(programme="kipp", is_published=True).order_by("-year", "pk")
    return render(request, "kipp/public/edition_list.html", {"page": paginate(request, editions)})


def _latest(edition: Edition, kind: str) -> Announcement | None:
    return published_announcements(edition).filter(kind=kind).first()


def kipp_public_edition(request: HttpRequest, code: str) -> HttpResponse:
    edition = _published_edition(code)
    announcements = list(published_announcements(edition))
    return render(
        request,
        "kipp/public/edition.html",
        {
            "edition": edition,
            "calendar": _calendar(edition),
            "announcements": announcements,
            "has_finalists": any(a.kind == AnnouncementKind.FINALISTS for a in announcements),
            "window": current_window(edition),
        },
    )


def _filter_rows(rows: list[dict[str, Any]], q: str, category: str) -> list[dict[str, Any]]:
    needle = q.casefold()
    return [
        row
        for row in rows
        if (
            not needle
            or needle in f"{row.get('title', '')} {row.get('institution', '')}".casefold()
        )
        and (not category or row.get("category") == category)
    ]


def _categories(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    found = {row.get("category", ""): row.get("category_label", "") for row in rows}
    return sorted(((c, label) for c, label in found.items() if c), key=lambda item: item[1])


def kipp_public_finalists(request: HttpRequest, code: str) -> HttpResponse:
    """The finalist list of the latest published finalist announcement (or its correction)."""
    edition = _published_edition(code)
    announcement = _latest(edition, AnnouncementKind.FINALISTS)
    rows = list(announcement.listing) if announcement else []
    q = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("kategori", "")
    shown = _filter_rows(rows, q, category)
    page = Paginator(shown, LIST_PAGE).get_page(request.GET.get("page"))
    window = current_window(edition)
    open_ids: set[int] = set()
    if window.is_open:
        ids = [row["proposal"] for row in page.object_list]
        open_ids = set(
            Proposal.objects.filter(
                pk__in=ids, edition=edition, state=ProposalState.UNDER_OBJECTION
            ).values_list("pk", flat=True)
        )
    return render(
        request,
        "kipp/public/finalists.html",
        {
            "edition": edition,
            "announcement": announcement,
            "page": page,
            "total": len(rows),
            "q": q,
            "category": category,
            "categories": _categories(rows),
            "window": window,
            "open_ids": open_ids,
        },
    )


def kipp_public_announcement(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(published_announcements(), pk=pk)
    listing = attached_list(announcement)
    rows = listing.rows
    q = request.GET.get("q", "").strip()[:100]
    shown = _filter_rows(rows, q, "")
    page = Paginator(shown, LIST_PAGE).get_page(request.GET.get("page"))
    corrections = list(published_announcements().filter(corrects=announcement))
    return render(
        request,
        "kipp/public/announcement.html",
        {
            "announcement": announcement,
            "edition": announcement.edition,
            "page": page,
            "total": len(rows),
            "q": q,
            "corrections": corrections,
            "schedule": listing.schedule,
            "with_tier": listing.with_tier,
            # Printed in the PDF's footer: a paper copy is checked against this page.
            "fingerprint": content_fingerprint(announcement, rows),
        },
    )


def kipp_public_announcement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The official PDF of a published announcement (same visibility as its page)."""
    announcement = get_object_or_404(published_announcements(), pk=pk)
    content = render_announcement_pdf(announcement, generated_at=timezone.now())
    return pdf_response(content, pdf_filename(announcement))


class ObjectionForm(StyledFormMixin, forms.Form):
    ground = forms.ChoiceField(
        label=gettext_lazy("Dasar sanggahan"),
        choices=[("", gettext_lazy("— pilih —")), *ObjectionGround.choices],
    )
    statement = forms.CharField(
        label=gettext_lazy("Uraian sanggahan"),
        min_length=STATEMENT_MIN,
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": STATEMENT_MAX}),
        help_text=gettext_lazy("50–1000 karakter. Jelaskan fakta yang Anda ketahui dan sumbernya."),
    )
    evidence = forms.FileField(
        label=gettext_lazy("Bukti (opsional)"),
        required=False,
        help_text=gettext_lazy("PDF atau gambar (JPEG, PNG, WebP)."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )


def kipp_objection_file(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The objection form for one finalist under public test.

    Filed as the signed-in staff person if there is one, else as the signed-in citizen; a
    visitor with neither is sent to the citizen sign-in and comes back here.
    """
    person = request.user if request.user.is_authenticated else None
    citizen = current_citizen(request) if person is None else None
    if person is None and citizen is None:
        return HttpResponseRedirect(citizen_login_url(request.get_full_path()))
    edition = _published_edition(code)
    proposal = get_object_or_404(
        Proposal.objects.select_related("institution"),
        pk=pk,
        edition=edition,
        state=ProposalState.UNDER_OBJECTION,
    )
    if person is not None and not may_object(person, proposal):
        raise PermissionDenied
    window = current_window(edition)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            file_objection(
                proposal,
                ground=cd["ground"],
                statement=cd["statement"],
                evidence=cd["evidence"],
                actor=person,
                citizen=citizen,
            )
        except DomainError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
        else:
            messages.success(
                request,
                _("Sanggahan Anda telah diterima. Hasil penanganannya akan dikirim lewat surel.")
                if person is not None or (citizen and citizen.email_verified_at)
                else _(
                    "Sanggahan Anda telah diterima. Hasil penanganannya akan dikirim lewat SMS."
                ),
            )
            return redirect("kipp_public_finalists", code=edition.code)
    return render(
        request,
        "kipp/public/objection_form.html",
        {
            "edition": edition,
            "proposal": proposal,
            "form": form,
            "window": window,
            "filer": citizen if citizen is not None else person,
        },
    )
