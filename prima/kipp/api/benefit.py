"""KIPP API: the public benefit rating (kipp.md §14).

Published results for anyone once the window has closed (409 before: no counts or scores
while it is open, §14 rule 7); a citizen's own ratings with a citizen bearer token; the
counts, the suspect ratings and their release for the secretariat (staff token). Nothing
here returns a phone number or an address hash.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.citizen_session import CitizenTokenAuth
from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.models import Citizen, Person
from prima.core.ratelimit import client_address
from prima.evaluation.models import Edition
from prima.kipp.domain.benefit import (
    benefit_summaries,
    may_monitor_ratings,
    min_valid_ratings,
    public_results,
    rateable_proposals,
    ratings_of_citizen,
    release_ratings,
    submit_rating,
    suspect_ratings,
    window_state,
)
from prima.kipp.interfaces.benefit import result_item, summary_item
from prima.kipp.interfaces.sheet_forms import category_choices
from prima.kipp.models import BenefitRating
from prima.kipp.models.benefit import RatingSuspicion

router = Router(tags=["KIPP"])


class ErrorOut(Schema):
    detail: str


class Page(Schema):
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class ResultOut(Schema):
    proposal: int
    title: str
    institution: str
    category: str
    category_label: str
    valid_ratings: int
    score: Decimal | None = Field(description="kosong bila penilaian sah kurang dari minimum")


class ResultList(Schema):
    count: int
    min_valid_ratings: int
    items: list[ResultOut]


class RatingIn(Schema):
    proposal: int = Field(description="nomor proposal finalis")
    relationship: str = Field(
        description="Q0: used_myself, family_or_community_used, know_of_it, not_familiar"
    )
    benefit: int = Field(description="Q1 kebermanfaatan, 1–5")
    adoption: int = Field(description="Q2 layak ditiru daerah lain, 1–5")
    affiliated: bool = Field(False, description="berafiliasi dengan instansi pengusul")
    comment: str = Field(
        "", description="opsional, paling banyak 500 karakter; tidak dipublikasikan"
    )


class RatingOut(Schema):
    id: int
    proposal: int
    title: str
    relationship: str
    benefit: int
    adoption: int
    affiliated: bool
    comment: str
    created_at: dt.datetime
    rated_at: dt.datetime


class RatingList(Schema):
    count: int
    items: list[RatingOut]


class SummaryOut(Schema):
    proposal: int
    title: str
    institution: str
    total: int
    valid: int
    excluded: dict[str, int]
    suspect: int
    released: int
    score: Decimal | None
    minimum_reached: bool


class SummaryList(Schema):
    count: int
    min_valid_ratings: int
    items: list[SummaryOut]


class SuspectFilters(Page):
    proposal: int | None = Field(None, description="nomor proposal finalis")
    suspicion: str = Field("", description="burst atau network")


class SuspectOut(Schema):
    id: int
    proposal: int
    title: str
    citizen: int = Field(description="nomor akun warga (bukan nomor ponsel)")
    relationship: str
    benefit: int
    adoption: int
    affiliated: bool
    comment: str
    value: Decimal
    exclusion: str
    suspicion: str
    rated_at: dt.datetime
    released_at: dt.datetime | None
    release_reason: str


class SuspectList(Schema):
    count: int
    items: list[SuspectOut]


class ReleaseIn(Schema):
    ids: list[int] = Field(description="nomor penilaian yang dilepas")
    reason: str = Field(description="minimal 20 karakter")


class ReleaseOut(Schema):
    released: int


# --------------------------------------------------------------------------- helpers


def _edition(code: str) -> Edition:
    edition = Edition.objects.filter(programme="kipp", code=code, is_published=True).first()
    if edition is None or window_state(edition) == "disabled":
        raise HttpError(404, _("Penilaian kebermanfaatan penyelenggaraan ini tidak ditemukan."))
    return edition


def _monitored(request: HttpRequest, code: str) -> tuple[Edition, Person]:
    person = request.auth  # type: ignore[attr-defined]
    if not isinstance(person, Person):
        raise HttpError(403, _("Anda tidak berwenang memantau penilaian kebermanfaatan."))
    edition = Edition.objects.filter(programme="kipp", code=code).first()
    if edition is None:
        raise HttpError(404, _("Penyelenggaraan tidak ditemukan."))
    if not may_monitor_ratings(person, edition):
        raise HttpError(403, _("Anda tidak berwenang memantau penilaian kebermanfaatan."))
    return edition, person


def _citizen(request: HttpRequest) -> Citizen:
    citizen = request.auth  # type: ignore[attr-defined]
    if not isinstance(citizen, Citizen):
        raise HttpError(401, _("Masuk dengan token warga untuk menilai."))
    return citizen


def _rating_out(rating: BenefitRating, title: str) -> dict[str, Any]:
    return {
        "id": rating.pk,
        "proposal": rating.proposal_id,
        "title": title,
        "relationship": rating.relationship,
        "benefit": rating.benefit,
        "adoption": rating.adoption,
        "affiliated": rating.affiliated,
        "comment": rating.comment,
        "created_at": rating.created_at,
        "rated_at": rating.rated_at,
    }


def _bad_request(error: DomainError) -> HttpError:
    """A refused rating as 400, naming the field («… (kolom: benefit)»)."""
    message = (
        _("%(message)s (kolom: %(field)s)") % {"message": error.message, "field": error.field}
        if error.field
        else error.message
    )
    return HttpError(400, message)


# --------------------------------------------------------------------------- public


@router.get(
    "/editions/{code}/benefit-ratings/results",
    response={200: ResultList, 404: ErrorOut, 409: ErrorOut},
    auth=None,
    summary="Hasil penilaian kebermanfaatan per finalis (setelah masa penilaian ditutup)",
)
def benefit_results(request: HttpRequest, code: str, page: Query[Page]) -> dict[str, Any]:
    edition = _edition(code)
    if window_state(edition) != "closed":
        raise HttpError(
            409,
            _(
                "Hasil penilaian kebermanfaatan diumumkan setelah masa penilaian ditutup; "
                "sebelum itu jumlah penilaian dan nilai tidak ditampilkan."
            ),
        )
    labels = dict(category_choices(edition))
    items = [result_item(row, labels) for row in public_results(edition)]
    return {
        "count": len(items),
        "min_valid_ratings": min_valid_ratings(edition),
        "items": items[page.offset : page.offset + page.limit],
    }


# --------------------------------------------------------------------------- citizen


@router.post(
    "/editions/{code}/benefit-ratings",
    response={201: RatingOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    auth=CitizenTokenAuth(),
    summary="Kirim atau ganti penilaian kebermanfaatan satu finalis (token warga)",
)
def rate(request: HttpRequest, code: str, payload: RatingIn) -> tuple[int, Any]:
    edition = _edition(code)
    proposal = rateable_proposals(edition).filter(pk=payload.proposal).first()
    if proposal is None:
        raise _bad_request(
            DomainError(_("Proposal ini bukan finalis yang dapat dinilai."), field="proposal")
        )
    try:
        rating = submit_rating(
            citizen=_citizen(request),
            proposal=proposal,
            relationship=payload.relationship,
            benefit=payload.benefit,
            adoption=payload.adoption,
            affiliated=payload.affiliated,
            comment=payload.comment,
            address=client_address(request),
        )
    except (PermissionDenied, StaleVersion):
        raise
    except DomainError as error:
        raise _bad_request(error) from error
    return 201, _rating_out(rating, proposal.title)


@router.get(
    "/editions/{code}/benefit-ratings/mine",
    response={200: RatingList, 401: ErrorOut, 404: ErrorOut},
    auth=CitizenTokenAuth(),
    summary="Penilaian kebermanfaatan saya pada satu penyelenggaraan (token warga)",
)
def my_ratings(request: HttpRequest, code: str, page: Query[Page]) -> dict[str, Any]:
    edition = _edition(code)
    rated = ratings_of_citizen(_citizen(request), edition)
    titles = dict(rateable_proposals(edition).filter(pk__in=list(rated)).values_list("pk", "title"))
    ratings = sorted(rated.values(), key=lambda r: (r.rated_at, r.pk), reverse=True)
    return {
        "count": len(ratings),
        "items": [
            _rating_out(r, titles.get(r.proposal_id, ""))
            for r in ratings[page.offset : page.offset + page.limit]
        ],
    }


# --------------------------------------------------------------------------- secretariat


@router.get(
    "/editions/{code}/benefit-ratings/summary",
    response={200: SummaryList, 403: ErrorOut, 404: ErrorOut},
    summary="Pemantauan penilaian kebermanfaatan per finalis (Sekretariat)",
)
def benefit_summary(request: HttpRequest, code: str, page: Query[Page]) -> dict[str, Any]:
    edition, _person = _monitored(request, code)
    minimum = min_valid_ratings(edition)
    summaries = benefit_summaries(edition)
    proposals = list(rateable_proposals(edition).select_related("institution"))
    items = [
        summary_item(proposal, summaries.get(proposal.pk), minimum)
        for proposal in proposals[page.offset : page.offset + page.limit]
    ]
    return {"count": len(proposals), "min_valid_ratings": minimum, "items": items}


@router.get(
    "/editions/{code}/benefit-ratings/suspects",
    response={200: SuspectList, 403: ErrorOut, 404: ErrorOut},
    summary="Penilaian kebermanfaatan yang mencurigakan (Sekretariat)",
)
def benefit_suspects(
    request: HttpRequest, code: str, filters: Query[SuspectFilters]
) -> dict[str, Any]:
    edition, person = _monitored(request, code)
    suspicion = filters.suspicion if filters.suspicion in RatingSuspicion.values else ""
    qs = (
        suspect_ratings(edition, actor=person, proposal_id=filters.proposal, suspicion=suspicion)
        .select_related("proposal")
        .defer("address_hash", "network_hash")
    )
    rows = qs[filters.offset : filters.offset + filters.limit]
    return {
        "count": qs.count(),
        "items": [
            {
                **_rating_out(r, r.proposal.title),
                "citizen": r.citizen_id,
                "value": r.value,
                "exclusion": r.exclusion,
                "suspicion": r.suspicion,
                "released_at": r.released_at,
                "release_reason": r.release_reason,
            }
            for r in rows
        ],
    }


@router.post(
    "/editions/{code}/benefit-ratings/release",
    response={200: ReleaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Lepaskan penilaian mencurigakan ke dalam nilai, dengan alasan (Sekretariat)",
)
def benefit_release(request: HttpRequest, code: str, payload: ReleaseIn) -> dict[str, Any]:
    edition, person = _monitored(request, code)
    try:
        released = release_ratings(
            edition=edition, rating_ids=payload.ids, reason=payload.reason, actor=person
        )
    except DomainError as error:
        if error.field == "rating_ids":  # the payload calls them `ids`
            raise DomainError(error.message, field="ids") from error
        raise
    return {"released": released}
