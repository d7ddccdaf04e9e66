"""PKRI API: the secretariat's decisions (pkri.md §7.2–§7.5).

Reads (shortlist, interview schedule, rankings) are for the secretariat and national
readers who assess nothing in the edition; every write is the secretariat's and goes
through the same domain functions as the pages (refusals become 403/422 through the
global handlers). The edition is named by its code (`pkri-2024`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from prima.core.api_auth import token_person
from prima.evaluation.models import Appointment, Edition
from prima.pkri.domain.decisions import (
    mark_awarded,
    may_act,
    may_read_decisions,
    pkri_rules,
    publish_results,
    publish_shortlist,
    record_decree,
)
from prima.pkri.domain.interviews import close_interviews, open_interviews, schedule_interview
from prima.pkri.domain.rankings import compute_rankings
from prima.pkri.interfaces.decision_tables import ranking_tables, schedule_rows, shortlist_tables
from prima.pkri.models import Announcement, SelfAssessment

router = Router(tags=["PKRI"])


class ErrorOut(Schema):
    detail: str


# Refusals every operation may answer with (writes may also be refused as invalid).
READ_ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 422: ErrorOut}


class InstitutionOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str


class InnovationOut(Schema):
    id: int
    name: str


class ShortlistItem(Schema):
    form: int
    position: int
    innovation: InnovationOut | None
    institution: InstitutionOut
    desk_score: Decimal | None
    running: bool
    state: str
    shortlisted: bool
    tie_at_cutoff: bool


class ShortlistGroup(Schema):
    group: str
    size: int | None
    min_desk_score: Decimal | None
    require_running: bool
    published: bool
    items: list[ShortlistItem]


class AnnouncementOut(Schema):
    id: int
    kind: str
    number: str
    date: dt.date
    title: str


class ShortlistOut(Schema):
    state: str
    announcement: AnnouncementOut | None
    groups: list[ShortlistGroup]


class SlotOut(Schema):
    slot: int
    form: int
    starts_at: dt.datetime
    minutes: int
    link: str
    presenter_name: str
    presenter_position: str
    group: str
    innovation: InnovationOut | None
    institution: InstitutionOut
    panelists: list[str]
    interview_score: Decimal | None


class SlotList(Schema):
    count: int
    items: list[SlotOut]


class RankingItem(Schema):
    form: int
    rank: int | None
    kind: str
    innovation: InnovationOut | None
    institution: InstitutionOut
    desk_score: Decimal | None
    interview_score: Decimal | None
    final_score: Decimal | None
    tie_at_cutoff: bool
    state: str
    award: str | None


class RankingPart(Schema):
    kind: str
    slots: int
    items: list[RankingItem]


class RankingGroup(Schema):
    group: str
    award_title: str
    awards: int
    min_final_score: Decimal | None
    tie_breakers: list[str]
    parts: list[RankingPart]


class RankingsOut(Schema):
    state: str
    groups: list[RankingGroup]


class LetterIn(Schema):
    number: str = Field(max_length=60)
    date: dt.date


class SlotIn(Schema):
    form: int = Field(description="nomor formulir peserta daftar wawancara")
    starts_at: dt.datetime = Field(description="waktu mulai dengan zona waktu")
    panelists: list[int] = Field(description="nomor penugasan (appointment) panelis")
    link: str = Field("", max_length=300)
    presenter_name: str = Field("", max_length=150)
    presenter_position: str = Field("", max_length=150)


class CloseIn(Schema):
    force: bool = False
    reason: str = ""


class StateOut(Schema):
    state: str
    is_published: bool


class RankingsDone(Schema):
    state: str
    proposed: dict[str, int]


# --------------------------------------------------------------------------- helpers


def _edition(request: HttpRequest, code: str, *, write: bool = False) -> Edition:
    edition = (
        Edition.objects.filter(programme="pkri", code=code).select_related("instrument").first()
    )
    if edition is None:
        raise HttpError(404, _("Penyelenggaraan tidak ditemukan."))
    person = token_person(request)
    if not may_read_decisions(person, edition):
        raise HttpError(403, _("Anda tidak berwenang melihat keputusan penyelenggaraan ini."))
    if write and not may_act(person):
        raise HttpError(403, _("Hanya Sekretariat yang dapat melakukan ini."))
    return edition


def _announcement(row: Announcement | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "id": row.pk,
        "kind": row.kind,
        "number": row.number,
        "date": row.date,
        "title": row.title,
    }


def _state(edition: Edition) -> dict[str, Any]:
    return {"state": edition.state, "is_published": edition.is_published}


def _act(
    request: HttpRequest,
    code: str,
    action: Callable[..., Any],
    letter: LetterIn | None = None,
    **options: Any,
) -> tuple[Edition, Any]:
    """Run one secretariat action on the edition (with the letter's number and date, if
    any): the edition, as the action left it, and what the action returned."""
    edition = _edition(request, code, write=True)
    if letter is not None:
        options.update(number=letter.number, date=letter.date)
    return edition, action(edition, actor=token_person(request), **options)


def _state_after(
    request: HttpRequest,
    code: str,
    action: Callable[..., Any],
    letter: LetterIn | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Run the action, then answer with the edition's new state."""
    return _state(_act(request, code, action, letter, **options)[0])


# --------------------------------------------------------------------------- reads


@router.get(
    "/editions/{code}/shortlist",
    response={200: ShortlistOut, **READ_ERRORS},
    summary="Daftar wawancara per kelompok: nilai dokumen, batas dan seri di batas",
)
def get_shortlist(request: HttpRequest, code: str) -> dict[str, Any]:
    from prima.pkri.domain.decisions import shortlist_announcement

    edition = _edition(request, code)
    return {
        "state": edition.state,
        "announcement": _announcement(shortlist_announcement(edition)),
        "groups": shortlist_tables(edition, pkri_rules(edition)),
    }


@router.get(
    "/editions/{code}/interviews",
    response={200: SlotList, **READ_ERRORS},
    summary="Jadwal wawancara dengan panelis dan nilai wawancara",
)
def get_interviews(request: HttpRequest, code: str) -> dict[str, Any]:
    rows = schedule_rows(_edition(request, code))
    return {"count": len(rows), "items": rows}


@router.get(
    "/editions/{code}/rankings",
    response={200: RankingsOut, **READ_ERRORS},
    summary="Peringkat per kelompok (pembinaan per jenis instansi) dengan usulan penghargaan",
)
def get_rankings(request: HttpRequest, code: str) -> dict[str, Any]:
    edition = _edition(request, code)
    return {"state": edition.state, "groups": ranking_tables(edition, pkri_rules(edition))}


# --------------------------------------------------------------------------- writes


@router.post(
    "/editions/{code}/shortlist",
    response={201: AnnouncementOut, **WRITE_ERRORS},
    summary="Terbitkan daftar wawancara (pengumuman)",
)
def post_shortlist(request: HttpRequest, code: str, payload: LetterIn) -> tuple[int, Any]:
    return 201, _announcement(_act(request, code, publish_shortlist, payload)[1])


@router.post(
    "/editions/{code}/interviews",
    response={201: SlotOut, **WRITE_ERRORS},
    summary="Jadwalkan wawancara satu peserta dengan panelisnya",
)
def post_interview(request: HttpRequest, code: str, payload: SlotIn) -> tuple[int, Any]:
    edition = _edition(request, code, write=True)
    form = SelfAssessment.objects.filter(edition=edition, pk=payload.form).first()
    if form is None:
        raise HttpError(404, _("Formulir tidak ditemukan."))
    found = {
        a.pk: a
        for a in Appointment.objects.filter(
            edition=edition, pk__in=payload.panelists
        ).select_related("person")
    }
    unknown = [str(pk) for pk in payload.panelists if pk not in found]
    if unknown:
        raise HttpError(422, _("Panelis tidak dikenal: %(ids)s.") % {"ids": ", ".join(unknown)})
    slot = schedule_interview(
        form,
        starts_at=payload.starts_at,
        panelists=[found[pk] for pk in payload.panelists],
        link=payload.link,
        presenter_name=payload.presenter_name,
        presenter_position=payload.presenter_position,
        actor=token_person(request),
    )
    row = next(r for r in schedule_rows(edition) if r["slot"] == slot.pk)
    return 201, row


@router.post(
    "/editions/{code}/interviews/open",
    response={200: StateOut, **WRITE_ERRORS},
    summary="Buka wawancara (semua peserta sudah dijadwalkan)",
)
def post_open_interviews(request: HttpRequest, code: str) -> dict[str, Any]:
    return _state_after(request, code, open_interviews)


@router.post(
    "/editions/{code}/interviews/close",
    response={200: StateOut, **WRITE_ERRORS},
    summary="Tutup wawancara; simpan nilai wawancara dan nilai akhir",
)
def post_close_interviews(request: HttpRequest, code: str, payload: CloseIn) -> dict[str, Any]:
    return _state_after(request, code, close_interviews, force=payload.force, reason=payload.reason)


@router.post(
    "/editions/{code}/rankings",
    response={200: RankingsDone, **WRITE_ERRORS},
    summary="Susun peringkat dan usulkan penghargaan (lalu pleno)",
)
def post_rankings(request: HttpRequest, code: str) -> dict[str, Any]:
    edition, report = _act(request, code, compute_rankings)
    return {
        "state": edition.state,
        "proposed": {code: g.proposed for code, g in report.groups.items()},
    }


@router.post(
    "/editions/{code}/decisions/results",
    response={201: AnnouncementOut, **WRITE_ERRORS},
    summary="Terbitkan hasil (semua penghargaan sudah ditetapkan)",
)
def post_results(request: HttpRequest, code: str, payload: LetterIn) -> tuple[int, Any]:
    return 201, _announcement(_act(request, code, publish_results, payload)[1])


@router.post(
    "/editions/{code}/decisions/decree",
    response={200: StateOut, **WRITE_ERRORS},
    summary="Catat keputusan hasil pada penghargaan yang ditetapkan",
)
def post_decree(request: HttpRequest, code: str, payload: LetterIn) -> dict[str, Any]:
    return _state_after(request, code, record_decree, payload)


@router.post(
    "/editions/{code}/decisions/awarded",
    response={200: StateOut, **WRITE_ERRORS},
    summary="Catat bahwa penghargaan telah diserahkan",
)
def post_awarded(request: HttpRequest, code: str) -> dict[str, Any]:
    return _state_after(request, code, mark_awarded)
