"""Accepting and voiding survey responses (skm.md §4, §5, §7, §9).

One path for every channel: the public form, one-time tokens, kiosk, paper entry, the API
and file imports all end in :func:`record_response` (one response) or
:func:`record_batch` (many, already validated), which write the rows and the counters in
one transaction with the survey row locked. Responses are immutable: :func:`void_response`
takes one out of the figures with a reason.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import Person
from prima.skm.domain.answer_columns import answer_columns, answers_of
from prima.skm.domain.counters import CounterDelta, slices_of
from prima.skm.domain.instruments import SkmInstrument
from prima.skm.domain.permissions import may_run_survey
from prima.skm.domain.versions import instrument as instrument_of
from prima.skm.enums import (
    RESPONDENT_REF_MAX_LENGTH,
    SUGGESTION_MAX_LENGTH,
    UNSPECIFIED_SERVICE,
    AgeBand,
    Channel,
    Education,
    Gender,
    Occupation,
    SurveyState,
)
from prima.skm.models import Response, Survey

BATCH_SIZE = 5000
VOID_REASON_MIN_LENGTH = 10
DEMOGRAPHICS = {
    "gender": Gender,
    "age_band": AgeBand,
    "education": Education,
    "occupation": Occupation,
}


@dataclass(frozen=True)
class ResponseInput:
    """One respondent's answers as entered; element code → 1–4 or None (blank)."""

    answered_on: dt.date
    answers: Mapping[str, int | None]
    service_code: str = UNSPECIFIED_SERVICE
    gender: str = ""
    age_band: str = ""
    education: str = ""
    occupation: str = ""
    suggestion: str = ""
    respondent_ref: str = ""


class ResponseRejected(DomainError):
    """Every problem of a response, by field (element codes are fields too)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        first_field, first = next(iter(errors.items()))
        super().__init__(first, field=first_field)
        self.errors = dict(errors)


def allowed_service_codes(survey: Survey) -> set[str]:
    """The service codes a response of the survey may name, ``unspecified`` included."""
    restricted = {service.code for service in survey.services.all()}
    if restricted:
        return restricted | {UNSPECIFIED_SERVICE}
    codes = set(survey.unit.services.filter(is_active=True).values_list("code", flat=True))
    return codes | {UNSPECIFIED_SERVICE}


def response_problems(
    survey: Survey,
    instrument: SkmInstrument,
    data: ResponseInput,
    service_codes: set[str] | None = None,
) -> dict[str, str]:
    """Every problem of one response (field → Indonesian message); empty when valid."""
    problems: dict[str, str] = {}
    if not survey.period_start <= data.answered_on <= survey.period_end:
        problems["answered_on"] = _(
            "Tanggal %(day)s di luar periode survei %(period)s (%(start)s – %(end)s)."
        ) % {
            "day": data.answered_on.isoformat(),
            "period": survey.period_code,
            "start": survey.period_start.isoformat(),
            "end": survey.period_end.isoformat(),
        }
    codes = service_codes if service_codes is not None else allowed_service_codes(survey)
    if (data.service_code or UNSPECIFIED_SERVICE) not in codes:
        problems["service_code"] = _("Layanan %(code)s tidak termasuk survei ini.") % {
            "code": data.service_code
        }
    for name, choices in DEMOGRAPHICS.items():
        value = getattr(data, name)
        if value and value not in choices.values:
            problems[name] = _("Nilai %(value)s tidak dikenal; pilih salah satu: %(codes)s.") % {
                "value": value,
                "codes": ", ".join(choices.values),
            }
    unknown = sorted(set(data.answers) - set(instrument.element_codes))
    if unknown:
        problems[unknown[0]] = _("Unsur %(code)s tidak ada pada instrumen %(instrument)s.") % {
            "code": ", ".join(unknown),
            "instrument": instrument.code,
        }
    low, high = instrument.answer_values[0], instrument.answer_values[-1]
    for code in instrument.element_codes:
        value = data.answers.get(code)
        if value is not None and (type(value) is not int or value not in instrument.answer_values):
            problems[code] = _("Nilai harus %(low)s–%(high)s atau kosong.") % {
                "low": low,
                "high": high,
            }
    if all(data.answers.get(code) is None for code in instrument.element_codes):
        problems["answers"] = _("Jawab paling sedikit satu unsur; jawaban kosong semua ditolak.")
    if len(data.suggestion) > SUGGESTION_MAX_LENGTH:
        problems["suggestion"] = _("Saran paling banyak %(limit)s karakter.") % {
            "limit": SUGGESTION_MAX_LENGTH
        }
    if len(data.respondent_ref) > RESPONDENT_REF_MAX_LENGTH:
        problems["respondent_ref"] = _("Nomor responden paling banyak %(limit)s karakter.") % {
            "limit": RESPONDENT_REF_MAX_LENGTH
        }
    return problems


def new_respondent_ref() -> str:
    """A reference for a response whose file or form gave none (unique within a survey)."""
    return "R" + secrets.token_hex(8).upper()


def _row(survey: Survey, instrument: SkmInstrument, data: ResponseInput, **extra: Any) -> Response:
    return Response(
        survey=survey,
        respondent_ref=data.respondent_ref or new_respondent_ref(),
        answered_on=data.answered_on,
        service_code=data.service_code or UNSPECIFIED_SERVICE,
        gender=data.gender,
        age_band=data.age_band,
        education=data.education,
        occupation=data.occupation,
        suggestion=data.suggestion.strip(),
        **answer_columns(data.answers, instrument),
        **extra,
    )


def _count(delta: CounterDelta, response: Response, instrument: SkmInstrument, sign: int) -> None:
    delta.add(
        slices_of(
            service_code=response.service_code,
            channel=response.channel,
            gender=response.gender,
            age_band=response.age_band,
            education=response.education,
            occupation=response.occupation,
        ),
        answers_of(response, instrument),
        sign,
    )


def lock_collecting(survey: Survey) -> Survey:
    """The survey row, locked, when it accepts responses (skm.md §7); DomainError if not."""
    locked = Survey.objects.select_for_update().select_related("unit").get(pk=survey.pk)
    if locked.state != SurveyState.COLLECTING:
        raise DomainError(
            _("Survei %(period)s tidak sedang menerima jawaban (status: %(state)s).")
            % {"period": locked.period_code, "state": locked.get_state_display()}
        )
    return locked


def record_response(
    survey: Survey,
    data: ResponseInput,
    *,
    channel: Channel,
    actor: Person | None = None,
) -> Response:
    """Accept one response: validate, store it and count it, or change nothing.

    ``actor`` is the operator for paper and kiosk entry (audited, and they must run the
    survey); citizens answer without one. Raises :class:`ResponseRejected` with every
    problem, or DomainError when the survey is not collecting.
    """
    if actor is not None and not may_run_survey(actor, survey):
        raise PermissionDenied(_("Anda tidak berwenang mengisi jawaban survei unit ini."))
    with transaction.atomic():
        locked = lock_collecting(survey)
        version = instrument_of(locked.instrument)
        problems = response_problems(locked, version, data)
        if data.respondent_ref and "respondent_ref" not in problems:
            taken = Response.objects.filter(survey=locked, respondent_ref=data.respondent_ref)
            if taken.exists():
                problems["respondent_ref"] = _(
                    "Nomor responden %(ref)s sudah dipakai di survei ini."
                ) % {"ref": data.respondent_ref}
        if problems:
            raise ResponseRejected(problems)
        response = _row(locked, version, data, channel=channel, entered_by=actor)
        response.save()
        delta = CounterDelta()
        _count(delta, response, version, 1)
        delta.apply(locked)
        Survey.objects.filter(pk=locked.pk).update(respondents=F("respondents") + 1)
        if actor is not None:
            audit.record(
                actor=actor,
                action="skm.response.entered",
                obj=response,
                after={"survey": locked.pk, "channel": channel, "ref": response.respondent_ref},
            )
    survey.respondents = locked.respondents + 1
    return response


def record_batch(
    survey: Survey,
    responses: Iterable[ResponseInput],
    *,
    channel: Channel,
    actor: Person | None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Store responses already validated by the caller (an import); returns how many.

    Written in batches of ``batch_size`` rows, each with one counters update, inside the
    caller's transaction (an all-or-nothing import wraps the whole file). Respondent
    references must be new to the survey; the database refuses repeats.
    """
    total = 0
    with transaction.atomic():
        locked = lock_collecting(survey)
        version = instrument_of(locked.instrument)
        iterator = iter(responses)
        while chunk := list(islice(iterator, batch_size)):
            rows = [
                _row(locked, version, data, channel=channel, entered_by=actor) for data in chunk
            ]
            Response.objects.bulk_create(rows)
            delta = CounterDelta()
            for row in rows:
                _count(delta, row, version, 1)
            delta.apply(locked)
            Survey.objects.filter(pk=locked.pk).update(respondents=F("respondents") + len(rows))
            total += len(rows)
    survey.respondents = locked.respondents + total
    return total


def void_response(response: Response, *, actor: Person, reason: str) -> Response:
    """Take a response out of the figures, keeping the row (skm.md §4: immutable).

    Allowed while the survey is collecting or closed; a calculated or published result
    is frozen (return it to collecting first, which is possible only before publication).
    """
    reason = " ".join(reason.split())
    if not may_run_survey(actor, response.survey):
        raise PermissionDenied(_("Anda tidak berwenang membatalkan jawaban survei unit ini."))
    if len(reason) < VOID_REASON_MIN_LENGTH:
        raise DomainError(
            _("Tulis alasan pembatalan paling sedikit %(min)s karakter.")
            % {"min": VOID_REASON_MIN_LENGTH},
            field="reason",
        )
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=response.survey_id)
        if locked.state not in (SurveyState.COLLECTING, SurveyState.CLOSED):
            raise DomainError(
                _("Jawaban hanya dapat dibatalkan selama survei dikumpulkan atau ditutup.")
            )
        row = Response.objects.select_for_update().get(pk=response.pk)
        if row.voided_at is not None:
            raise DomainError(_("Jawaban ini sudah dibatalkan."))
        row.voided_at = timezone.now()
        row.voided_by = actor
        row.void_reason = reason
        row.save(update_fields=["voided_at", "voided_by", "void_reason"])
        delta = CounterDelta()
        _count(delta, row, instrument_of(locked.instrument), -1)
        delta.apply(locked)
        Survey.objects.filter(pk=locked.pk).update(respondents=F("respondents") - 1)
        audit.record(
            actor=actor,
            action="skm.response.voided",
            obj=row,
            after={"survey": locked.pk, "ref": row.respondent_ref},
            reason=reason,
        )
    return row
