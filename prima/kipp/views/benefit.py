"""Public benefit rating of KIPP finalists (kipp.md §14): citizen pages and the
secretariat's monitor.

Citizens browse an edition's rating page without signing in; rating needs a citizen
account verified by a one-time code (`citizen_required`). While the window is open no page
shows a count or a score (§14 rule 7); once it closes, every finalist's valid count and
score are public and downloadable (CSV, JSON, XLSX — open data).

The secretariat (and whoever `may_monitor_ratings` admits) follows the counts per
finalist, reviews suspect ratings and releases them with a reason. Staff never see a
phone number or an address hash; a rater is «Warga #id».
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from prima.core.citizen_session import citizen_required, current_citizen
from prima.core.domain.errors import DomainError
from prima.core.interfaces.export import csv_response, xlsx_response
from prima.core.interfaces.listing import paginate
from prima.core.models import Citizen
from prima.core.ratelimit import client_address
from prima.evaluation.models import Edition
from prima.kipp.domain.benefit import (
    benefit_summaries,
    edition_ratings,
    may_monitor_ratings,
    min_valid_ratings,
    public_results,
    rateable_proposals,
    rating_window,
    ratings_of_citizen,
    release_ratings,
    submit_rating,
    suspect_ratings,
    window_state,
)
from prima.kipp.domain.decisions import may_act
from prima.kipp.interfaces.benefit import (
    ADOPTION_SCALE,
    BENEFIT_SCALE,
    RatingForm,
    ReleaseForm,
    json_number,
    rating_cells,
    rating_header,
    result_cells,
    result_header,
    result_item,
    summary_item,
)
from prima.kipp.interfaces.sheet_forms import category_choices
from prima.kipp.models import Proposal
from prima.kipp.models.benefit import RatingExclusion, RatingSuspicion
from prima.kipp.views.evaluation import base_context, kipp_edition

LIST_PAGE = 50
RESULT_FORMATS = ("csv", "json", "xlsx")


# --------------------------------------------------------------------------- helpers


def _rating_edition(code: str) -> Edition:
    """A published KIPP edition that runs a public benefit rating (404 otherwise)."""
    edition = get_object_or_404(Edition, code=code, programme="kipp", is_published=True)
    if window_state(edition) == "disabled":
        raise Http404
    return edition


def _window(edition: Edition) -> dict[str, Any]:
    dates = rating_window(edition)
    return {
        "state": window_state(edition),
        "first_day": dates[0] if dates else None,
        "last_day": dates[1] if dates else None,
    }


def _search(qs: QuerySet[Proposal], q: str, category: str) -> QuerySet[Proposal]:
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(institution__name__icontains=q))
    if category:
        qs = qs.filter(category=category)
    return qs


def _filters(request: HttpRequest) -> tuple[str, str]:
    return request.GET.get("q", "").strip()[:100], request.GET.get("kategori", "")[:60]


def _citizen(request: HttpRequest) -> Citizen:
    citizen = current_citizen(request)
    if citizen is None:  # citizen_required lets no such request through
        raise PermissionDenied
    return citizen


# --------------------------------------------------------------------------- public


def kipp_benefit_home(request: HttpRequest, code: str) -> HttpResponse:
    """What the rating is, its window, and the finalists to rate (which one has rated)."""
    edition = _rating_edition(code)
    q, category = _filters(request)
    proposals = _search(rateable_proposals(edition).select_related("institution"), q, category)
    page = paginate(request, proposals, LIST_PAGE)
    citizen = current_citizen(request)
    rated = ratings_of_citizen(citizen, edition) if citizen else {}
    categories = category_choices(edition)
    labels = dict(categories)
    page.object_list = [
        {
            "proposal": proposal,
            "category_label": labels.get(proposal.category, proposal.category),
            "rated": proposal.pk in rated,
        }
        for proposal in page.object_list
    ]
    return render(
        request,
        "kipp/benefit/home.html",
        {
            "edition": edition,
            "window": _window(edition),
            "page": page,
            "q": q,
            "category": category,
            "categories": categories,
            "citizen": citizen,
        },
    )


@citizen_required
def kipp_benefit_rate(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The rating form of one finalist; rating again while open replaces the earlier one."""
    edition = _rating_edition(code)
    proposal = get_object_or_404(rateable_proposals(edition).select_related("institution"), pk=pk)
    citizen = _citizen(request)
    earlier = ratings_of_citizen(citizen, edition).get(proposal.pk)
    window = _window(edition)
    form = RatingForm(request.POST or None, initial=RatingForm.initial_from(earlier))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submit_rating(
                citizen=citizen,
                proposal=proposal,
                relationship=data["relationship"],
                benefit=data["benefit"],
                adoption=data["adoption"],
                affiliated=data["affiliated"],
                comment=data["comment"],
                address=client_address(request),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Terima kasih. Penilaian Anda atas «%(title)s» tersimpan. Anda dapat "
                    "mengubahnya selama masa penilaian masih dibuka."
                )
                % {"title": proposal.title},
            )
            return redirect("kipp_benefit_home", code=edition.code)
    return render(
        request,
        "kipp/benefit/rate.html",
        {
            "edition": edition,
            "proposal": proposal,
            "form": form,
            "earlier": earlier,
            "window": window,
            "benefit_scale": BENEFIT_SCALE,
            "adoption_scale": ADOPTION_SCALE,
        },
    )


@citizen_required
def kipp_benefit_mine(request: HttpRequest, code: str) -> HttpResponse:
    """«Penilaian saya»: the citizen's own ratings in this edition, with their answers."""
    edition = _rating_edition(code)
    rated = ratings_of_citizen(_citizen(request), edition)
    proposals = {
        p.pk: p
        for p in rateable_proposals(edition)
        .filter(pk__in=list(rated))
        .select_related("institution")
    }
    rows = [
        (proposals[pk], rating)
        for pk, rating in sorted(rated.items(), key=lambda item: item[1].rated_at, reverse=True)
        if pk in proposals
    ]
    return render(
        request,
        "kipp/benefit/mine.html",
        {
            "edition": edition,
            "window": _window(edition),
            "rows": rows,
            "benefit_labels": dict(BENEFIT_SCALE),
            "adoption_labels": dict(ADOPTION_SCALE),
        },
    )


def _result_items(edition: Edition) -> list[dict[str, Any]]:
    labels = dict(category_choices(edition))
    return [result_item(row, labels) for row in public_results(edition)]


def kipp_benefit_results(request: HttpRequest, code: str) -> HttpResponse:
    """Each finalist's valid ratings and score, once the window has closed (§14 rule 7)."""
    edition = _rating_edition(code)
    window = _window(edition)
    q, category = _filters(request)
    page = None
    total = 0
    if window["state"] == "closed":
        items = _result_items(edition)
        total = len(items)
        needle = q.casefold()
        shown = [
            item
            for item in items
            if (not needle or needle in f"{item['title']} {item['institution']}".casefold())
            and (not category or item["category"] == category)
        ]
        page = Paginator(shown, LIST_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "kipp/benefit/results.html",
        {
            "edition": edition,
            "window": window,
            "page": page,
            "total": total,
            "q": q,
            "category": category,
            "categories": category_choices(edition),
            "minimum": min_valid_ratings(edition),
        },
    )


def kipp_benefit_results_export(request: HttpRequest, code: str) -> HttpResponse:
    """The published results as open data: `?format=csv|json|xlsx` (404 while not closed)."""
    edition = _rating_edition(code)
    fmt = request.GET.get("format", "csv")
    if fmt not in RESULT_FORMATS or window_state(edition) != "closed":
        raise Http404
    items = _result_items(edition)
    filename = f"kebermanfaatan-{edition.code}"
    if fmt == "json":
        body = {
            "edition": edition.code,
            "count": len(items),
            "items": [{**item, "score": json_number(item["score"])} for item in items],
        }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    rows = [result_cells(item) for item in items]
    if fmt == "xlsx":
        return xlsx_response(filename, result_header(), rows, sheet=_("Kebermanfaatan"))
    return csv_response(filename, result_header(), rows)


# --------------------------------------------------------------------------- secretariat


def _monitor_edition(request: HttpRequest, code: str) -> Edition:
    """The edition, if the person may follow its ratings — or 403."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    edition = kipp_edition(code)
    if not may_monitor_ratings(request.user, edition):
        raise PermissionDenied
    return edition


@login_required
def kipp_benefit_monitor(request: HttpRequest, code: str) -> HttpResponse:
    """Per finalist: total, valid, excluded by reason, suspect, released, score or missing."""
    edition = _monitor_edition(request, code)
    summaries = benefit_summaries(edition)
    minimum = min_valid_ratings(edition)
    proposals = list(rateable_proposals(edition).select_related("institution"))
    reasons = RatingExclusion.choices
    page: Page[Any] = Paginator(proposals, 100).get_page(request.GET.get("page"))
    page.object_list = [
        summary_item(proposal, summaries.get(proposal.pk), minimum) for proposal in page.object_list
    ]
    present = list(summaries.values())
    return render(
        request,
        "kipp/benefit/monitor.html",
        base_context(
            edition,
            may_act(request.user),
            window=_window(edition),
            page=page,
            reasons=reasons,
            minimum=minimum,
            totals={
                "total": sum(s.total for s in present),
                "valid": sum(s.valid for s in present),
                "suspect": sum(s.suspect for s in present),
                "released": sum(s.released for s in present),
                "scored": sum(1 for s in present if s.score is not None),
            },
            finalists=len(proposals),
        ),
    )


@login_required
def kipp_benefit_suspects(request: HttpRequest, code: str) -> HttpResponse:
    """Suspect ratings, filtered by finalist and reason; the secretariat releases them."""
    edition = _monitor_edition(request, code)
    try:
        finalist = int(request.GET.get("finalis", "") or 0) or None
    except ValueError:
        finalist = None
    reason = request.GET.get("alasan", "")
    if reason not in RatingSuspicion.values:
        reason = ""
    # Unreleased first, newest first (the domain's order).
    qs = suspect_ratings(
        edition, actor=request.user, proposal_id=finalist, suspicion=reason
    ).select_related("proposal__institution")
    page = paginate(request, qs)
    can_act = may_act(request.user)
    shown = [rating.pk for rating in page.object_list if rating.released_at is None]
    form = ReleaseForm(request.POST or None, rating_ids=shown)
    if request.method == "POST":
        if not can_act:
            raise PermissionDenied
        if form.is_valid():
            try:
                released = release_ratings(
                    edition=edition,
                    rating_ids=form.cleaned_data["ratings"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except DomainError as error:
                field = "ratings" if error.field == "rating_ids" else error.field
                form.add_error(field if field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _("%(n)s penilaian dilepas dan kini dihitung dalam nilai.") % {"n": released},
                )
                return redirect(request.get_full_path())
    return render(
        request,
        "kipp/benefit/suspects.html",
        base_context(
            edition,
            can_act,
            page=page,
            form=form,
            finalist=finalist,
            reason=reason,
            reasons=RatingSuspicion.choices,
            finalists=list(
                rateable_proposals(edition).values_list("pk", "title").order_by("title", "pk")
            ),
            releasable=set(shown),
            checked={str(v) for v in form["ratings"].value() or []},
        ),
    )


@login_required
def kipp_benefit_export(request: HttpRequest, code: str) -> HttpResponse:
    """Every rating of the edition as XLSX; raters as «Warga #id», no phone, no hashes."""
    edition = _monitor_edition(request, code)
    ratings = edition_ratings(edition, actor=request.user)
    return xlsx_response(
        f"penilaian-kebermanfaatan-{edition.code}",
        rating_header(),
        (rating_cells(rating) for rating in ratings.iterator(chunk_size=2000)),
        sheet=_("Penilaian"),
    )
