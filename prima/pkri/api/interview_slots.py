"""PKRI API: moving and cancelling an interview slot (pkri.md §7.3), the secretariat's.

The same domain functions as the pages (`reschedule_interview_slot`,
`cancel_interview_slot`); refusals become 403/422 through the global handlers. The slot is
named by its number in `GET /api/v1/pkri/editions/{code}/interviews` (`slot`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from prima.core.api_auth import token_person
from prima.evaluation.models import Edition
from prima.pkri.api.decisions import WRITE_ERRORS, SlotOut
from prima.pkri.domain.decisions import may_act, may_read_decisions
from prima.pkri.domain.interviews import (
    MAX_LINK,
    MAX_PRESENTER,
    MAX_REASON,
    cancel_interview_slot,
    reschedule_interview_slot,
)
from prima.pkri.interfaces.decision_tables import schedule_rows
from prima.pkri.models import InterviewSlot

router = Router(tags=["PKRI"])


class RescheduleIn(Schema):
    starts_at: dt.datetime = Field(description="waktu mulai baru dengan zona waktu")
    link: str | None = Field(None, max_length=MAX_LINK, description="null: tidak berubah")
    presenter_name: str | None = Field(None, max_length=MAX_PRESENTER)
    presenter_position: str | None = Field(None, max_length=MAX_PRESENTER)
    reason: str = Field(max_length=MAX_REASON, description="alasan, minimal 10 karakter")


class CancelIn(Schema):
    reason: str = Field(max_length=MAX_REASON, description="alasan, minimal 10 karakter")


class CancelledOut(Schema):
    slot: int
    form: int
    state: str


def _slot(request: HttpRequest, code: str, slot_id: int) -> tuple[Edition, InterviewSlot]:
    """The edition's slot for the secretariat: 404 unknown, 403 anyone else."""
    edition = Edition.objects.filter(programme="pkri", code=code).first()
    if edition is None:
        raise HttpError(404, _("Penyelenggaraan tidak ditemukan."))
    person = token_person(request)
    if not (may_read_decisions(person, edition) and may_act(person)):
        raise HttpError(403, _("Hanya Sekretariat yang dapat melakukan ini."))
    slot = (
        InterviewSlot.objects.select_related(
            "form__edition", "form__object__innovation", "form__locus__institution"
        )
        .filter(pk=slot_id, form__edition=edition)
        .first()
    )
    if slot is None:
        raise HttpError(404, _("Jadwal wawancara tidak ditemukan."))
    return edition, slot


@router.post(
    "/editions/{code}/interviews/{slot_id}/reschedule",
    response={200: SlotOut, **WRITE_ERRORS},
    summary="Ubah waktu (dan tautan/penyaji) satu jadwal wawancara, dengan alasan",
)
def post_reschedule(
    request: HttpRequest, code: str, slot_id: int, payload: RescheduleIn
) -> dict[str, Any]:
    edition, slot = _slot(request, code, slot_id)
    moved = reschedule_interview_slot(
        slot,
        starts_at=payload.starts_at,
        link=payload.link,
        presenter_name=payload.presenter_name,
        presenter_position=payload.presenter_position,
        reason=payload.reason,
        actor=token_person(request),
    )
    return next(r for r in schedule_rows(edition) if r["slot"] == moved.pk)


@router.post(
    "/editions/{code}/interviews/{slot_id}/cancel",
    response={200: CancelledOut, **WRITE_ERRORS},
    summary="Batalkan satu jadwal wawancara (panelisnya dilepas), dengan alasan",
)
def post_cancel(request: HttpRequest, code: str, slot_id: int, payload: CancelIn) -> dict[str, Any]:
    _edition, slot = _slot(request, code, slot_id)
    slot_pk = slot.pk
    form = cancel_interview_slot(slot, reason=payload.reason, actor=token_person(request))
    return {"slot": slot_pk, "form": form.pk, "state": form.state}
