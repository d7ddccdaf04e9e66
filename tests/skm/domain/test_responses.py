"""Accepting and voiding responses keeps the counters equal to a recompute (skm.md §4, §5)."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import Role
from prima.skm.domain.counters import recompute_counters, survey_counters
from prima.skm.domain.index import compute
from prima.skm.domain.responses import (
    ResponseInput,
    ResponseRejected,
    record_batch,
    record_response,
    void_response,
)
from prima.skm.domain.versions import instrument
from prima.skm.enums import Channel, Dimension, SurveyState
from prima.skm.models import Response, ResponseCounter
from tests.factories import ServiceFactory, SurveyFactory, person_with_role
from tests.skm.spec import EXAMPLE_1, distribution

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 4, 14)


def answers(**given: int | None) -> dict[str, int | None]:
    return {f"U{n}": given.get(f"U{n}", 3) for n in range(1, 10)}


def example_inputs(text: str) -> list[ResponseInput]:
    """The respondents of a §13 distribution, each element's answers dealt out in order."""
    per_element = {
        code: [
            value for value, number in sorted(counts.items(), reverse=True) for _ in range(number)
        ]
        for code, counts in distribution(text).items()
    }
    size = max(len(values) for values in per_element.values())
    return [
        ResponseInput(
            answered_on=DAY,
            answers={
                code: (values[i] if i < len(values) else None)
                for code, values in per_element.items()
            },
        )
        for i in range(size)
    ]


def snapshot(survey):
    return {
        (row.dimension, row.key): (row.respondents, row.answers)
        for row in ResponseCounter.objects.filter(survey=survey)
    }


def test_example_1_from_counters_gives_the_spec_result():
    survey = SurveyFactory()
    for data in example_inputs(EXAMPLE_1):
        record_response(survey, data, channel=Channel.ONLINE)
    version = instrument("skm-2017")
    result = compute(survey_counters([survey.pk], version), version)
    assert str(result.result.ikm) == "3.3208"
    assert str(result.result.ikm_converted) == "83.02"
    assert result.result.grade == "B"
    survey.refresh_from_db()
    assert survey.respondents == 12


def test_counters_equal_a_recompute_after_entries_batches_and_voids():
    survey = SurveyFactory()
    service = ServiceFactory(unit=survey.unit, code="KK-BARU")
    record_response(
        survey,
        ResponseInput(
            answered_on=DAY, answers=answers(U4=None), service_code=service.code, gender="P"
        ),
        channel=Channel.ONLINE,
    )
    record_batch(
        survey, example_inputs(EXAMPLE_1), channel=Channel.IMPORT, actor=None, batch_size=5
    )
    operator = person_with_role(Role.UNIT_OPERATOR, unit=survey.unit)
    void_response(
        Response.objects.filter(survey=survey).last(),
        actor=operator,
        reason="Salah input petugas loket",
    )
    kept = snapshot(survey)
    recompute_counters(survey, instrument("skm-2017"))
    assert snapshot(survey) == kept
    assert kept[(Dimension.ALL, "")][0] == 12
    assert kept[(Dimension.SERVICE, "KK-BARU")][0] == 1
    assert kept[(Dimension.GENDER, "P")][0] == 1
    survey.refresh_from_db()
    assert survey.respondents == 12


def test_a_bad_response_names_every_problem_and_changes_nothing():
    survey = SurveyFactory()
    bad = ResponseInput(
        answered_on=dt.date(2025, 7, 1),
        answers={**answers(), "U3": 5},
        service_code="TIDAK-ADA",
        gender="X",
    )
    with pytest.raises(ResponseRejected) as refused:
        record_response(survey, bad, channel=Channel.ONLINE)
    assert set(refused.value.errors) == {"answered_on", "service_code", "gender", "U3"}
    assert not Response.objects.exists()
    assert not ResponseCounter.objects.exists()


def test_every_element_blank_is_refused():
    survey = SurveyFactory()
    with pytest.raises(ResponseRejected) as refused:
        record_response(
            survey,
            ResponseInput(answered_on=DAY, answers=dict.fromkeys(answers())),
            channel=Channel.ONLINE,
        )
    assert "answers" in refused.value.errors


def test_a_survey_not_collecting_accepts_nothing():
    survey = SurveyFactory(state=SurveyState.CLOSED)
    with pytest.raises(DomainError, match="tidak sedang menerima"):
        record_response(
            survey, ResponseInput(answered_on=DAY, answers=answers()), channel=Channel.ONLINE
        )


def test_only_people_who_run_the_unit_enter_paper_forms():
    survey = SurveyFactory()
    stranger = person_with_role(Role.UNIT_OPERATOR, unit=SurveyFactory().unit)
    with pytest.raises(PermissionDenied):
        record_response(
            survey,
            ResponseInput(answered_on=DAY, answers=answers()),
            channel=Channel.PAPER,
            actor=stranger,
        )
