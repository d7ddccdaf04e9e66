"""Surveys with answers for the result tests: filled through the real domain functions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from prima.core.enums import Role
from prima.skm.domain.responses import ResponseInput, record_batch, record_response
from prima.skm.domain.surveys import calculate_survey, close_survey, publish_survey
from prima.skm.enums import Channel, PublicationMedium
from prima.skm.models import Survey
from tests.factories import person_with_role
from tests.skm.domain.test_responses import example_inputs

DAY = dt.date(2025, 4, 14)

__all__ = ["DAY", "answer", "calculate", "example_inputs", "fill", "publish", "uniform_inputs"]


def uniform_inputs(value: int, count: int, codes: Iterable[str] | None = None, **extra):
    codes = tuple(codes or (f"U{n}" for n in range(1, 10)))
    return [
        ResponseInput(answered_on=DAY, answers=dict.fromkeys(codes, value), **extra)
        for _ in range(count)
    ]


def fill(survey: Survey, inputs, *, channel: Channel = Channel.IMPORT) -> Survey:
    """Store the responses in one batch (as an import does)."""
    record_batch(survey, list(inputs), channel=channel, actor=None)
    survey.refresh_from_db()
    return survey


def answer(survey: Survey, data: ResponseInput, **changes) -> None:
    record_response(survey, dataclasses.replace(data, **changes), channel=Channel.ONLINE)


def calculate(survey: Survey) -> Survey:
    """COLLECTING → CLOSED → CALCULATED through the survey domain."""
    actor = person_with_role(Role.SECRETARIAT)
    close_survey(survey, actor=actor)
    calculate_survey(survey, actor=actor)
    survey.refresh_from_db()
    return survey


def publish(survey: Survey, day: dt.date = dt.date(2025, 7, 10)) -> Survey:
    """Calculate (when needed) and publish the survey."""
    if survey.state == "COLLECTING":
        calculate(survey)
    publish_survey(
        survey,
        actor=person_with_role(Role.SECRETARIAT),
        published_on=day,
        media=[PublicationMedium.WEBSITE],
        url="https://contoh.go.id/skm",
    )
    survey.refresh_from_db()
    return survey
