"""KIPP API: the administrative check (kipp.md §8 #6, §9).

Same scoping and domain functions as the pages: the secretariat and national readers list
and read; only the secretariat starts checks, overrides and decides (with a token).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.api_jobs import JobStarted, job_started
from prima.evaluation.models import Edition
from prima.kipp.domain import admin_check as domain
from prima.kipp.jobs import start_admin_check_job
from prima.kipp.models import AdminCheck, Proposal
from prima.kipp.queries import proposals_visible_to

router = Router(tags=["KIPP"])

MAX_LIMIT = 200


class ErrorOut(Schema):
    detail: str


class Ref(Schema):
    id: int
    name: str


class CheckOut(Schema):
    rule: str
    passed: bool
    code: str | None
    message: str
    warning: bool
    overridden: bool
    override_note: str | None


class SimilarOut(Schema):
    id: int
    title: str
    institution: str
    similarity: float
    possible_copy: bool = Field(description="similarity at or above the copy threshold")


class ItemOut(Schema):
    id: int
    title: str
    institution: Ref
    province: str
    group: str
    category: str
    state: str
    submitted_at: datetime | None
    automatic_status: str = Field(description="failed | warning | passed | pending")
    top_similarity: float | None = Field(
        description="Similarity of the most similar proposal (0–1); null if none ≥ 0.5"
    )
    failed: list[str]
    warnings: list[str]
    passed: bool | None
    reasons: list[str]
    note: str


class DetailOut(ItemOut):
    checks: list[CheckOut]
    similar: list[SimilarOut] | None = Field(
        description="Most similar submitted proposals, stored when the check runs; null "
        "while not yet computed"
    )
    similar_computed_at: datetime | None


class ListOut(Schema):
    count: int
    items: list[ItemOut]


class FiltersIn(Schema):
    automatic: str = Field("", description="failed | warning | passed (or clean) | pending")
    decision: str = ""
    group: str = ""
    category: str = ""
    province: str = ""
    q: str = ""
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class DecisionIn(Schema):
    passed: bool
    reasons: list[str] = []
    note: str = ""


class OverrideIn(Schema):
    code: str = Field(description="The check's rule (e.g. age) or a failure code")
    note: str


class PassCleanIn(Schema):
    note: str = ""


class PassCleanOut(Schema):
    passed: int


def _edition(request: HttpRequest, code: str, *, decide: bool = False) -> Edition:
    edition = get_object_or_404(Edition, code=code, programme="kipp")
    person = request.user
    if decide and not domain.may_decide(person):
        raise HttpError(403, _("Hanya Sekretariat yang dapat menjalankan seleksi administrasi."))
    if not domain.may_read_admin_checks(person):
        raise HttpError(403, _("Anda tidak memiliki akses ke seleksi administrasi."))
    return edition


def _proposal(request: HttpRequest, edition: Edition, proposal_id: int) -> Proposal:
    proposal = (
        proposals_visible_to(request.user, edition)
        .filter(state__in=domain.CHECKED_STATES, pk=proposal_id)
        .select_related("admin_check", "innovation")
        .first()
    )
    if proposal is None:
        raise HttpError(404, _("Proposal tidak ditemukan dalam seleksi administrasi."))
    return proposal


def _item(proposal: Proposal) -> dict[str, Any]:
    check: AdminCheck | None = getattr(proposal, "admin_check", None)
    rows = domain.check_rows(check)
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "institution": {"id": proposal.institution_id, "name": proposal.institution.name},
        "province": proposal.institution.province_code,
        "group": proposal.group,
        "category": proposal.category,
        "state": proposal.state,
        "submitted_at": proposal.submitted_at,
        "automatic_status": domain.status_of(check),
        "top_similarity": check.similar[0]["similarity"] if check and check.similar else None,
        "failed": [r.code or r.rule for r in rows if r.failed],
        "warnings": [r.code or r.rule for r in rows if r.open_warning],
        "passed": check.passed if check else None,
        "reasons": list(check.reasons) if check else [],
        "note": check.note if check else "",
    }


def _detail(proposal: Proposal) -> dict[str, Any]:
    data = _item(proposal)
    check: AdminCheck | None = getattr(proposal, "admin_check", None)
    data["checks"] = [
        {
            "rule": r.rule,
            "passed": r.passed,
            "code": r.code,
            "message": r.message,
            "warning": r.warning,
            "overridden": r.override is not None,
            "override_note": r.override.get("note") if r.override else None,
        }
        for r in domain.check_rows(check)
    ]
    similar = domain.similar_proposals(check)
    data["similar"] = (
        None
        if similar is None
        else [
            {
                "id": item.proposal.pk,
                "title": item.proposal.title,
                "institution": item.proposal.institution.name,
                "similarity": item.similarity,
                "possible_copy": item.is_copy,
            }
            for item in similar
        ]
    )
    data["similar_computed_at"] = check.similar_computed_at if check else None
    return data


@router.get(
    "/editions/{code}/admin-check",
    response={200: ListOut, 403: ErrorOut, 404: ErrorOut},
    summary="Antrean seleksi administrasi",
)
def list_admin_checks(request: HttpRequest, code: str, params: Query[FiltersIn]) -> dict[str, Any]:
    """Proposals in the administrative check with their automatic results and decisions;
    filters as on the queue page (automatic: failed/warning/passed/pending, filtered in the
    database; decision: undecided/passed/failed)."""
    edition = _edition(request, code)
    filters = domain.QueueFilters(
        automatic=params.automatic,
        decision=params.decision,
        group=params.group,
        category=params.category,
        province=params.province,
        q=params.q,
    )
    proposals = (
        domain.filter_queue(proposals_visible_to(request.user, edition), edition, filters)
        .select_related("admin_check")
        .order_by("submitted_at", "pk")
    )
    count = proposals.count()
    page = proposals[params.offset : params.offset + params.limit]
    return {"count": count, "items": [_item(p) for p in page]}


@router.get(
    "/editions/{code}/admin-check/{int:proposal_id}",
    response={200: DetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="Seleksi administrasi satu proposal",
)
def get_admin_check(request: HttpRequest, code: str, proposal_id: int) -> dict[str, Any]:
    edition = _edition(request, code)
    return _detail(_proposal(request, edition, proposal_id))


@router.post(
    "/editions/{code}/admin-check/start",
    response={202: JobStarted, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Jalankan pemeriksaan otomatis (pekerjaan latar)",
)
def start(request: HttpRequest, code: str) -> tuple[int, dict[str, Any]]:
    """Queue the automatic checks of every proposal in the check and the similarity pass
    over the edition; the job's result holds checked, failed, warnings, clean and
    similar_pairs."""
    edition = _edition(request, code, decide=True)
    return 202, job_started(start_admin_check_job(edition, actor=request.user))


@router.post(
    "/editions/{code}/admin-check/pass-clean",
    response={200: PassCleanOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Loloskan semua proposal tanpa pemeriksaan gagal",
)
def pass_clean(request: HttpRequest, code: str, payload: PassCleanIn) -> dict[str, Any]:
    edition = _edition(request, code, decide=True)
    return {"passed": domain.pass_clean_proposals(edition, actor=request.user, note=payload.note)}


@router.post(
    "/editions/{code}/admin-check/{int:proposal_id}/decision",
    response={200: DetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Putuskan seleksi administrasi",
)
def decide(
    request: HttpRequest, code: str, proposal_id: int, payload: DecisionIn
) -> dict[str, Any]:
    """Pass, or fail with reason codes (`other` needs a note). Hidden from participants
    until the result announcement."""
    edition = _edition(request, code, decide=True)
    proposal = _proposal(request, edition, proposal_id)
    domain.decide_admin_check(
        proposal,
        passed=payload.passed,
        reasons=payload.reasons,
        note=payload.note,
        actor=request.user,
    )
    return _detail(_proposal(request, edition, proposal_id))


@router.post(
    "/editions/{code}/admin-check/{int:proposal_id}/override",
    response={200: DetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Simpangi hasil pemeriksaan otomatis",
)
def override(
    request: HttpRequest, code: str, proposal_id: int, payload: OverrideIn
) -> dict[str, Any]:
    edition = _edition(request, code, decide=True)
    proposal = _proposal(request, edition, proposal_id)
    domain.override_check(proposal, payload.code, payload.note, actor=request.user)
    return _detail(_proposal(request, edition, proposal_id))
