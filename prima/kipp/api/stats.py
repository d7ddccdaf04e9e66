"""KIPP API: funnel statistics of an edition."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from prima.core.api_auth import person_from_request
from prima.evaluation.models import Edition
from prima.kipp.domain.funnel import BREAKDOWNS, edition_funnel
from prima.kipp.views.stats import may_read_funnel

router = Router(tags=["KIPP"])


class StepOut(Schema):
    code: str
    proposals: int
    institutions: int


class FunnelOut(Schema):
    edition: str
    steps: list[StepOut]
    registered_split: dict[str, int]
    failed_by_reason: dict[str, int]
    tiers: dict[str, int]
    pass_rate: Decimal | None
    breakdown: dict[str, dict[str, dict[str, int]]]


@router.get("/editions/{code}/funnel", response=FunnelOut, auth=None)
def edition_funnel_read(request: HttpRequest, code: str, breakdown: str | None = None) -> FunnelOut:
    """The edition's funnel (§16); public once decreed, else national readers only."""
    edition = get_object_or_404(Edition, code=code, programme="kipp")
    if not may_read_funnel(person_from_request(request), edition):
        raise HttpError(403, "Statistik penyelenggaraan ini belum dibuka untuk Anda.")
    if breakdown is not None and breakdown not in BREAKDOWNS:
        raise HttpError(422, f"Rincian harus salah satu dari: {', '.join(BREAKDOWNS)}.")
    funnel = edition_funnel(edition, breakdowns=[breakdown] if breakdown else [])
    return FunnelOut(
        edition=edition.code,
        steps=[StepOut(**vars(step)) for step in funnel.steps],
        registered_split=dict(funnel.registered_split),
        failed_by_reason=dict(funnel.failed_by_reason),
        tiers=dict(funnel.tiers),
        pass_rate=funnel.pass_rate,
        breakdown={k: {kk: dict(vv) for kk, vv in v.items()} for k, v in funnel.breakdown.items()},
    )
