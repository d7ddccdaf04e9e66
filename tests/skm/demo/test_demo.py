"""The SKM part of the national demo: what a visitor of the demo relies on finding."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import F

from prima.core.models import Service, ServiceUnit
from prima.skm.demo.loader import (
    COLLECTED_UNTIL,
    COLLECTING_PERIOD,
    EXAMPLE_PERIOD,
    EXAMPLE_UNIT,
    SURVEYED_UNITS,
    YEAR_QUARTERS,
)
from prima.skm.domain.counters import recompute_counters
from prima.skm.domain.results import survey_result
from prima.skm.domain.versions import instrument
from prima.skm.enums import ResultWarning, RtlStatus, SurveyState
from prima.skm.models import FollowUpItem, FollowUpPlan, Response, ResponseCounter, Survey
from tests.demo_fixtures import national_demo

pytestmark = pytest.mark.django_db

SIZE = 200
demo_once = national_demo(SIZE)


def test_the_counts_are_in_the_demo_audit_entry(demo):
    counts = demo.counts
    assert counts["skm_units"] == SURVEYED_UNITS
    assert counts["skm_surveys"] == Survey.objects.count() == SURVEYED_UNITS * 5
    assert counts["skm_responses"] == Response.objects.count()
    assert counts["skm_services"] == Service.objects.count()


def test_disdukcapil_surabaya_has_a_civil_registry_catalogue(demo):
    unit = ServiceUnit.objects.get(name=EXAMPLE_UNIT)
    codes = set(Service.objects.filter(unit=unit).values_list("code", flat=True))
    assert {"KK-BARU", "KTP-EL", "AKTA-LAHIR"} <= codes


def test_codes_of_units_of_one_institution_never_clash(demo):
    # Twenty Puskesmas of a regency: POLI-UMUM, POLI-UMUM-2, … (the constraint would refuse).
    repeated = Service.objects.filter(code__regex=r"-\d+$")
    assert repeated.exists()
    assert Service.objects.filter(code="unspecified").count() == 0


def test_the_example_unit_reproduces_example_2_where_the_rules_disagree(demo):
    survey = Survey.objects.get(unit__name=EXAMPLE_UNIT, period_code=EXAMPLE_PERIOD)

    assert survey.state == SurveyState.PUBLISHED
    assert survey.respondents == 240
    figures = {"printed": ("76.54", "C"), "exact": ("76.62", "B")}
    rule = survey.weight_rule
    other = "exact" if rule == "printed" else "printed"
    assert (str(survey.ikm_converted), survey.grade) == figures[rule]
    alternative = survey.result["alternative"]
    assert (alternative["ikm_converted"], alternative["grade"]) == figures[other]
    assert ResultWarning.WEIGHT_RULE_GRADE_DIFFERS in survey.result["warnings"]
    assert survey.result["nrr"]["U8"] == "2.5833"
    assert survey.result["sample_adequate"] is True


def test_some_units_fall_short_of_their_sample(demo):
    short = Survey.objects.filter(
        period_code__in=YEAR_QUARTERS,
        respondents__lt=F("sample_target"),
    )
    short_units = {s.unit_id for s in short}
    assert len(short_units) == demo.counts["skm_short_units"] > 0
    for survey in short[:10]:
        assert survey.result["sample_adequate"] is False
        assert ResultWarning.SAMPLE_BELOW_TARGET in survey.result["warnings"]


def test_every_surveyed_unit_is_collecting_for_2026_q4(demo):
    collecting = Survey.objects.filter(period_code=COLLECTING_PERIOD)
    assert collecting.count() == SURVEYED_UNITS
    assert set(collecting.values_list("state", flat=True)) == {SurveyState.COLLECTING}
    assert not collecting.exclude(result=None).exists()
    last = Response.objects.filter(survey__period_code=COLLECTING_PERIOD).latest("answered_on")
    assert last.answered_on <= COLLECTED_UNTIL
    example = collecting.get(unit__name=EXAMPLE_UNIT)
    assert 0 < example.respondents < example.sample_target


def test_2025_surveys_are_calculated_or_published(demo):
    states = set(
        Survey.objects.filter(period_code__in=YEAR_QUARTERS).values_list("state", flat=True)
    )
    assert states == {SurveyState.CALCULATED, SurveyState.PUBLISHED}
    published = Survey.objects.filter(state=SurveyState.PUBLISHED)
    assert not published.filter(published_on=None).exists()
    assert not published.filter(publication_media=[]).exists()


def _stored(survey: Survey) -> dict:
    return {
        (c.dimension, c.key): (c.respondents, c.answers)
        for c in ResponseCounter.objects.filter(survey=survey)
    }


def test_counters_equal_a_recompute_from_the_raw_rows(demo):
    version = instrument("skm-2017")
    sample = list(Survey.objects.order_by("pk")[::97])
    assert len(sample) >= 10
    for survey in sample:
        before, respondents = _stored(survey), survey.respondents
        recompute_counters(survey, version)
        assert _stored(survey) == before, survey
        assert survey.respondents == respondents == survey.responses.count()


def test_frozen_results_equal_the_figures_read_from_the_counters(demo):
    for survey in Survey.objects.exclude(result=None).order_by("pk")[::53]:
        live = survey_result(survey)
        assert live.result is not None
        assert (live.result.ikm, live.result.grade) == (survey.ikm, survey.grade)
        assert survey.result["ikm"] == str(live.result.ikm.quantize(Decimal("0.0001")))


def test_follow_up_plans_have_items_done_in_progress_and_cancelled(demo):
    plans = FollowUpPlan.objects.all()
    assert plans.count() == demo.counts["skm_follow_up_plans"] > 0
    assert not plans.exclude(survey__state=SurveyState.PUBLISHED).exists()
    assert not plans.filter(adopted_on=None).exists()
    statuses = set(FollowUpItem.objects.values_list("status", flat=True))
    assert statuses == {RtlStatus.DONE, RtlStatus.IN_PROGRESS, RtlStatus.CANCELLED}
    assert not FollowUpItem.objects.filter(status=RtlStatus.DONE, realised_on=None).exists()
    assert not FollowUpItem.objects.filter(status=RtlStatus.CANCELLED, cancel_reason="").exists()
    example = plans.get(survey__unit__name=EXAMPLE_UNIT)
    # The three lowest NRR of example 2: U8 2.5833, U3 2.9167, U2 3.0000.
    assert [item.elements for item in example.items.all()] == [["U8"], ["U3"], ["U2"]]
