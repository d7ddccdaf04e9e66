"""Result figures, breakdowns, trends, pooled summaries and open data (skm.md §4, §5, §10)."""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal

import pytest

from prima.skm.domain.aggregates import (
    open_data_records,
    open_data_table,
    summary,
    survey_figures,
    unit_trend,
    within_period,
)
from prima.skm.domain.counters import recompute_counters, survey_counters
from prima.skm.domain.index import compute
from prima.skm.domain.responses import ResponseInput, record_batch, record_response
from prima.skm.domain.results import survey_document, survey_result
from prima.skm.domain.versions import instrument
from prima.skm.enums import Channel, Dimension, ResultWarning, WeightRule
from prima.skm.models import Survey
from tests.factories import ServiceFactory, ServiceUnitFactory, SurveyFactory
from tests.skm.results_world import DAY, calculate, example_inputs, fill, publish, uniform_inputs
from tests.skm.spec import EXAMPLE_1, EXAMPLE_2

pytestmark = pytest.mark.django_db
SKM_2017 = "skm-2017"


def test_live_figures_are_the_counters_result_with_breakdowns():
    survey = SurveyFactory()
    ServiceFactory(unit=survey.unit, code="KK-BARU", name="Kartu keluarga baru")
    inputs = example_inputs(EXAMPLE_1)
    fill(survey, [dataclasses.replace(d, service_code="KK-BARU", gender="P") for d in inputs[:7]])
    fill(survey, inputs[7:])

    figures = survey_figures(survey)

    assert figures.provisional
    assert figures.result == survey_result(survey)
    assert figures.document == survey_document(survey, survey_result(survey))
    assert str(figures.result.result.ikm_converted) == "83.02"
    services = {row.key: row for row in figures.services}
    assert services["KK-BARU"].label == "Kartu keluarga baru (KK-BARU)"
    assert services["KK-BARU"].respondents == 7
    assert services["unspecified"].respondents == 5
    assert services["unspecified"].label == "Tidak disebutkan"
    gender = {p.dimension: p for p in figures.profile}[Dimension.GENDER]
    assert [(r.label, r.respondents) for r in gender.rows] == [
        ("Perempuan", 7),
        ("Tidak disebutkan", 5),
    ]
    channel = {p.dimension: p for p in figures.profile}[Dimension.CHANNEL]
    assert [(r.key, r.respondents) for r in channel.rows] == [("import", 12)]


def test_public_figures_hide_slices_under_five_respondents():
    survey = SurveyFactory()
    ServiceFactory(unit=survey.unit, code="KTP-EL")
    inputs = example_inputs(EXAMPLE_1)
    fill(survey, [dataclasses.replace(d, service_code="KTP-EL", gender="L") for d in inputs[:4]])
    fill(survey, [dataclasses.replace(d, gender="P") for d in inputs[4:]])

    public = survey_figures(survey, public=True)
    staff = survey_figures(survey)

    services = {row.key: row for row in public.services}
    assert services["KTP-EL"].suppressed and services["KTP-EL"].result is None
    assert services["unspecified"].respondents == 8
    gender = {p.dimension: p for p in public.profile}[Dimension.GENDER]
    assert [(r.key, r.respondents) for r in gender.rows] == [("L", None), ("P", 8)]
    assert {row.key: row.respondents for row in staff.services}["KTP-EL"] == 4


def test_a_calculated_survey_shows_its_frozen_result_equal_to_the_live_one():
    survey = fill(SurveyFactory(), example_inputs(EXAMPLE_2))
    calculate(survey)

    figures = survey_figures(survey)

    assert figures.frozen and not figures.provisional
    assert figures.document == survey.result
    assert survey_document(survey, survey_result(survey)) == survey.result
    assert figures.result == dataclasses.replace(figures.live)
    assert ResultWarning.WEIGHT_RULE_GRADE_DIFFERS in figures.result.warnings
    assert figures.result.result.grade == "C"
    assert figures.result.alternative.grade == "B"


def test_the_frozen_result_is_what_the_page_shows_even_if_counters_drift():
    survey = fill(SurveyFactory(), example_inputs(EXAMPLE_1))
    calculate(survey)
    frozen = dict(survey.result)
    # A stored result is never recomputed silently: the page keeps the frozen numbers.
    Survey.objects.filter(pk=survey.pk).update(result={**frozen, "ikm_converted": "83.00"})
    survey.refresh_from_db()

    assert str(survey_figures(survey).result.result.ikm_converted) == "83.00"


def test_everyone_answering_3_carries_the_baik_explanation_flag():
    survey = fill(SurveyFactory(), uniform_inputs(3, 6))
    assert survey_figures(survey).result.explain_baik_is_c
    calculate(survey)
    assert survey_figures(survey).result.explain_baik_is_c


def test_an_element_nobody_answered_is_named():
    codes = [f"U{n}" for n in range(1, 10) if n != 4]
    survey = fill(SurveyFactory(), uniform_inputs(4, 3, codes))
    figures = survey_figures(survey)
    assert figures.result.result is None
    assert figures.result.missing == ("U4",)


def test_the_trend_lists_the_units_surveys_of_the_same_instrument():
    unit = ServiceUnitFactory()
    q1 = publish(
        fill(
            SurveyFactory(unit=unit, period_code="2025-Q1"),
            _dated(uniform_inputs(4, 5), "2025-02-03"),
        )
    )
    q2 = calculate(fill(SurveyFactory(unit=unit, period_code="2025-Q2"), uniform_inputs(3, 5)))
    q3 = fill(
        SurveyFactory(unit=unit, period_code="2025-Q3"), _dated(uniform_inputs(2, 5), "2025-08-01")
    )
    SurveyFactory(unit=unit, period_code="2024", instrument="skm-2004")

    staff = unit_trend(q3)
    public = unit_trend(q3, public=True)

    assert [(p.period_code, str(p.ikm_converted), p.grade, p.provisional) for p in staff] == [
        ("2025-Q1", "99.90", "A", False),
        ("2025-Q2", "74.93", "C", False),
        ("2025-Q3", "49.95", "D", True),
    ]
    assert [p.survey_id for p in public] == [q1.pk]
    assert q2.pk not in [p.survey_id for p in public]


def _dated(inputs, day):
    import datetime as dt

    return [dataclasses.replace(d, answered_on=dt.date.fromisoformat(day)) for d in inputs]


def test_institution_figures_pool_the_responses_and_never_average():
    unit_a = ServiceUnitFactory()
    unit_b = ServiceUnitFactory(institution=unit_a.institution)
    # 2 respondents answering 4 and 10 answering 1: the pooled IKM is far from the
    # average of the two units' IKMs.
    a = calculate(fill(SurveyFactory(unit=unit_a), uniform_inputs(4, 2)))
    b = calculate(fill(SurveyFactory(unit=unit_b), uniform_inputs(1, 10)))
    other = calculate(fill(SurveyFactory(), uniform_inputs(3, 4)))
    old = SurveyFactory(unit=unit_a, period_code="2025-Q1", instrument="skm-2004")
    fill(old, _dated(uniform_inputs(3, 4, [f"E{n:02d}" for n in range(1, 15)]), "2025-01-10"))
    calculate(old)

    tables = summary(within_period(Survey.objects.all(), "2025"), group="institution")

    assert [t.instrument for t in tables] == ["skm-2017", "skm-2004"]
    rows = tables[0].rows
    version = instrument(SKM_2017)
    pooled = compute(survey_counters([a.pk, b.pk], version), version)
    first = next(r for r in rows if r.code == str(unit_a.institution_id))
    assert first.respondents == 12 and first.surveys == 2 and first.units == 2
    assert first.result.result.ikm_converted == pooled.result.ikm_converted
    average = (a.ikm_converted + b.ikm_converted) / 2
    assert first.result.result.ikm_converted != average
    # Ranked within the version: 74.93 (other) before the pooled 37.45.
    assert [r.code for r in rows] == [str(other.institution_id), str(unit_a.institution_id)]
    assert [r.respondents for r in tables[1].rows] == [4]


def test_province_figures_name_the_province(region_b, institution_b):
    unit = ServiceUnitFactory(institution=institution_b)
    calculate(fill(SurveyFactory(unit=unit), uniform_inputs(4, 3)))
    tables = summary(Survey.objects.all(), group="province")
    assert [(r.code, r.name) for r in tables[0].rows] == [("35", "Jawa Timur")]


def test_open_data_holds_published_results_only_with_names(institution_b):
    unit = ServiceUnitFactory(institution=institution_b, name="Disdukcapil Surabaya")
    published = publish(fill(SurveyFactory(unit=unit), example_inputs(EXAMPLE_1)))
    calculate(fill(SurveyFactory(), uniform_inputs(3, 3)))
    SurveyFactory()

    records = open_data_records(Survey.objects.all())

    assert len(records) == 1
    record = records[0]
    assert record["survey"] == published.pk
    assert record["ikm_converted"] == "83.02"
    assert record["unit"] == f"UPP-{unit.pk}"
    assert record["unit_name"] == "Disdukcapil Surabaya"
    assert record["institution_name"] == "Pemerintah Kota Surabaya"
    assert (record["province"], record["province_name"]) == ("35", "Jawa Timur")
    assert record["published_on"] == "2025-07-10"
    header, rows = open_data_table(records)
    line = dict(zip(header, rows[0], strict=True))
    assert line["nrr_U1"] == "3.3333" and line["answers_U1"] == 12
    assert line["nrr_E01"] is None
    assert line["sample_adequate"] == "false"


def test_full_recompute_equals_the_counters():
    """Random responses through both paths, voids excluded: the result read from the
    counters equals the one after rebuilding them from the raw rows."""
    survey = SurveyFactory()
    for code in ("A", "B", "C"):
        ServiceFactory(unit=survey.unit, code=code)
    rng = random.Random(2025)

    def random_input() -> ResponseInput:
        answers = {f"U{n}": rng.choice([1, 2, 3, 4, None]) for n in range(1, 10)}
        answers["U1"] = answers["U1"] or rng.randint(1, 4)
        return ResponseInput(
            answered_on=DAY,
            answers=answers,
            service_code=rng.choice(["A", "B", "C", "unspecified"]),
            gender=rng.choice(["", "L", "P"]),
            age_band=rng.choice(["", "20_29", "60plus"]),
            education=rng.choice(["", "sma", "s2"]),
            occupation=rng.choice(["", "swasta", "pns"]),
        )

    for _ in range(40):
        record_response(survey, random_input(), channel=rng.choice(list(Channel)))
    record_batch(survey, [random_input() for _ in range(300)], channel=Channel.IMPORT, actor=None)
    before = survey_result(survey)
    figures_before = survey_figures(survey)

    recompute_counters(survey, instrument(SKM_2017))

    assert survey_result(survey) == before
    assert before.respondents == 340
    after = survey_figures(survey)
    assert after.services == figures_before.services
    assert after.profile == figures_before.profile
    for rule in WeightRule:
        assert survey_result(survey, weight_rule=rule).nrr == before.nrr
    assert Decimal(after.document["ikm"]) == before.result.ikm
