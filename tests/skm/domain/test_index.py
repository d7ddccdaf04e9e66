"""IKM computation (skm.md §5, §10, §11, §13.1–§13.5), from counters and from responses."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prima.core.domain.rounding import round_half_up
from prima.skm.domain.index import Counters, Tally, compute, tally, uniform_converted
from prima.skm.enums import ResultStatus, ResultWarning, WeightRule
from tests.skm.spec import (
    EXAMPLE_1,
    EXAMPLE_2,
    EXAMPLE_3,
    SKM_2004,
    SKM_2017,
    distribution,
    responses,
    uniform,
)

PRINTED, EXACT = WeightRule.PRINTED, WeightRule.EXACT


def both(result):
    """(IKM, converted, grade) under printed and exact, whichever the result chose."""
    rules = {r.weight_rule: r for r in (result.result, result.alternative)}
    return {
        rule: (str(r.ikm), str(r.ikm_converted), r.grade, r.performance)
        for rule, r in rules.items()
    }


# --------------------------------------------------------------------------- §11


@pytest.mark.parametrize(
    ("answer", "exact", "printed"),
    [
        (4, ("4.0000", "100.00", "A", "Sangat Baik"), ("3.9960", "99.90", "A", "Sangat Baik")),
        (1, ("1.0000", "25.00", "D", "Tidak Baik"), ("0.9990", "24.98", "D", "Tidak Baik")),
        (3, ("3.0000", "75.00", "C", "Kurang Baik"), ("2.9970", "74.93", "C", "Kurang Baik")),
    ],
)
def test_test_vectors_of_section_11(answer, exact, printed):
    result = compute(tally(uniform(SKM_2017, answer), SKM_2017), SKM_2017)
    assert both(result) == {EXACT: exact, PRINTED: printed}
    assert result.weight_rule == PRINTED  # the instrument's default rule
    assert ResultWarning.WEIGHT_RULE_GRADE_DIFFERS not in result.warnings


def test_everyone_answering_3_is_explained_as_c():
    result = compute(tally(uniform(SKM_2017, 3), SKM_2017), SKM_2017)
    assert result.explain_baik_is_c
    assert uniform_converted(SKM_2017, 3, EXACT) == Decimal("75.00")
    assert uniform_converted(SKM_2017, 3, PRINTED) == Decimal("74.93")
    # All 4s is A: no explanation.
    assert not compute(tally(uniform(SKM_2017, 4), SKM_2017), SKM_2017).explain_baik_is_c


def test_no_baik_explanation_where_the_instrument_grades_all_3s_above_c():
    # skm-2004: all 3s is 75.00, grade B. A C with 3 as the most frequent answer exists
    # (four respondents answer 3, three answer 1), but "3 lies inside C" would be false.
    rows = uniform(SKM_2004, 3, 4) + uniform(SKM_2004, 1, 3)
    result = compute(tally(rows, SKM_2004), SKM_2004)
    assert (str(result.result.ikm_converted), result.result.grade) == ("53.25", "C")
    assert not result.explain_baik_is_c
    assert SKM_2004.band_for(uniform_converted(SKM_2004, 3, EXACT)).grade == "B"


@pytest.mark.parametrize(
    ("converted", "grade"),
    [
        ("88.30", "B"),
        ("88.31", "A"),
        ("76.60", "C"),
        ("76.61", "B"),
        ("64.99", "D"),
        ("65.00", "C"),
        ("100.00", "A"),
        ("25.00", "D"),
        ("24.98", "D"),
    ],
)
def test_grading_of_converted_values(converted, grade):
    assert SKM_2017.band_for(Decimal(converted)).grade == grade


@pytest.mark.parametrize(
    ("converted", "grade"),
    [
        ("81.26", "A"),
        ("81.25", "B"),
        ("62.51", "B"),
        ("62.50", "C"),
        ("43.76", "C"),
        ("43.75", "D"),
        ("24.85", "D"),
    ],
)
def test_grading_of_converted_values_under_skm_2004(converted, grade):
    assert SKM_2004.band_for(Decimal(converted)).grade == grade


def all_threes_but(respondents: int, code: str, fours: int) -> Counters:
    """Every element answered 3 by everyone, except ``fours`` answers 4 on ``code``."""
    answers = {c: {3: respondents} for c in SKM_2017.element_codes}
    answers[code] = {4: fours, 3: respondents - fours}
    return Counters(respondents, answers)


def test_the_grade_reads_the_converted_value_rounded_to_2_dp():
    # Σ NRR = 524/19; exact: IKM 3.06432… (below NI 3.0644), converted 76.6082 → 76.61 → B.
    result = compute(all_threes_but(19, "U1", 11), SKM_2017, weight_rule=EXACT)
    assert (str(result.result.ikm), str(result.result.ikm_converted)) == ("3.0643", "76.61")
    assert result.result.grade == "B"
    assert (str(result.alternative.ikm_converted), result.alternative.grade) == ("76.53", "C")
    assert ResultWarning.WEIGHT_RULE_GRADE_DIFFERS in result.warnings


def test_nrr_is_rounded_half_up_from_the_exact_average():
    # U1 = 97/32 = 3.03125 exactly.
    result = compute(all_threes_but(32, "U1", 1), SKM_2017)
    assert str(result.nrr["U1"]) == "3.0313"
    assert str(result.nrr["U2"]) == "3.0000"


# --------------------------------------------------------------------------- §13


B_BAIK = ("B", "Baik")
NO_BLANKS = dict.fromkeys(SKM_2017.element_codes, 12)


@pytest.mark.parametrize(
    ("example", "answered", "nrr", "printed", "exact", "warnings"),
    [
        pytest.param(
            EXAMPLE_1,
            NO_BLANKS,
            "3.3333 3.2500 3.0000 3.8333 3.4167 3.5000 3.5833 2.8333 3.1667",
            ("3.3208", "83.02", *B_BAIK),
            ("3.3241", "83.10", *B_BAIK),
            [],
            id="1-no-blanks",
        ),
        pytest.param(
            EXAMPLE_2,
            NO_BLANKS,
            "3.0833 3.0000 2.9167 3.4167 3.0833 3.1667 3.2500 2.5833 3.0833",
            ("3.0618", "76.54", "C", "Kurang Baik"),
            ("3.0648", "76.62", *B_BAIK),
            [ResultWarning.WEIGHT_RULE_GRADE_DIFFERS],
            id="2-rules-disagree",
        ),
        pytest.param(
            EXAMPLE_3,
            {**NO_BLANKS, "U4": 10, "U8": 9},
            "3.5000 3.3333 3.1667 3.8000 3.4167 3.5833 3.6667 3.1111 3.4167",
            ("3.4404", "86.01", *B_BAIK),
            ("3.4438", "86.10", *B_BAIK),
            [],
            id="3-blanks",
        ),
    ],
)
def test_examples_1_to_3_of_section_13(example, answered, nrr, printed, exact, warnings):
    result = compute(tally(responses(example, 12), SKM_2017), SKM_2017)
    assert (result.status, result.respondents) == (ResultStatus.CALCULATED, 12)
    assert dict(result.answers) == answered
    assert [str(result.nrr[code]) for code in SKM_2017.element_codes] == nrr.split()
    assert both(result) == {PRINTED: printed, EXACT: exact}
    assert list(result.warnings) == [*warnings, ResultWarning.POPULATION_UNKNOWN]


def test_example_2_is_rounded_from_the_exact_value():
    counters = Counters(12, distribution(EXAMPLE_2))
    # The printed IKM is exactly 3.06175 → 3.0618, and 76.54375 → 76.54, not 3.0618 × 25
    # = 76.545 → 76.55.
    nrr_sum = sum(Fraction(counters.total(code), 12) for code in SKM_2017.element_codes)
    assert nrr_sum * Fraction("0.111") == Fraction("3.06175")
    assert str(compute(counters, SKM_2017).result.ikm_converted) == "76.54"


def test_example_2_under_the_exact_rule_keeps_printed_as_alternative():
    result = compute(Counters(12, distribution(EXAMPLE_2)), SKM_2017, weight_rule=EXACT)
    assert (result.weight_rule, result.result.grade) == (EXACT, "B")
    assert (result.alternative.weight_rule, result.alternative.grade) == (PRINTED, "C")
    assert ResultWarning.WEIGHT_RULE_GRADE_DIFFERS in result.warnings


def test_example_4_historical_version_keeps_its_own_grade_table():
    answers = [
        {code: 3 if code <= "E10" else 4 for code in SKM_2004.element_codes} for _ in range(8)
    ]
    result = compute(tally(answers, SKM_2004), SKM_2004)
    assert sum(result.nrr.values()) == 46
    assert both(result) == {
        PRINTED: ("3.2660", "81.65", "A", "Sangat Baik"),
        EXACT: ("3.2857", "82.14", "A", "Sangat Baik"),
    }
    assert result.instrument == "skm-2004"
    # The same 81.65 under the 2017 table would be B.
    assert SKM_2017.band_for(Decimal("81.65")).grade == "B"


def test_example_5_sample_target_and_adequacy():
    result = compute(Counters(12, distribution(EXAMPLE_1)), SKM_2017, population=300)
    assert (result.sample_target, result.sample_adequate) == (169, False)
    assert result.warnings == (ResultWarning.SAMPLE_BELOW_TARGET,)

    enough = compute(Counters(12, distribution(EXAMPLE_1)), SKM_2017, population=12)
    assert (enough.sample_target, enough.sample_adequate, enough.warnings) == (12, True, ())


# --------------------------------------------------------------------------- edges


def test_an_element_nobody_answered_makes_the_result_incomplete():
    answers = [{**row, "U4": None} for row in uniform(SKM_2017, 4)]
    result = compute(tally(answers, SKM_2017), SKM_2017, population=10)
    assert result.status == ResultStatus.INCOMPLETE
    assert result.missing == ("U4",)
    assert result.nrr["U4"] is None and result.nrr["U1"] == Decimal("4.0000")
    assert result.result is None and result.alternative is None
    assert result.warnings == (
        ResultWarning.SAMPLE_BELOW_TARGET,
        ResultWarning.INCOMPLETE_ELEMENT,
    )


def test_no_responses_at_all_is_incomplete():
    result = compute(Tally(SKM_2017).counters(), SKM_2017)
    assert result.status == ResultStatus.INCOMPLETE
    assert result.missing == SKM_2017.element_codes
    assert result.respondents == 0


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (dict.fromkeys(SKM_2017.element_codes), "every element blank"),
        ({}, "every element blank"),
        ({"U1": 5}, "off the scale"),
        ({"U1": 0}, "off the scale"),
        ({"U1": True}, "off the scale"),
        ({"U1": 3.0}, "off the scale"),
        ({"U10": 3}, "unknown element"),
    ],
)
def test_the_tally_refuses_what_entry_must_have_refused(answers, message):
    counting = Tally(SKM_2017)
    counting.add({"U1": 4})
    with pytest.raises(ValueError, match=message):
        counting.add(answers)
    # Nothing of the refused response was counted.
    assert counting.counters() == tally([{"U1": 4}], SKM_2017)


@pytest.mark.parametrize(
    ("respondents", "answers", "message"),
    [
        (2, {4: 3}, "more answers than the 2 respondents"),
        (2, {4: -1}, "negative"),
    ],
)
def test_inconsistent_counters_are_refused(respondents, answers, message):
    with pytest.raises(ValueError, match=message):
        Counters(respondents, {"U1": answers})


def test_counters_of_another_instrument_are_refused():
    with pytest.raises(ValueError, match="skm-2004"):
        compute(tally(uniform(SKM_2017, 3), SKM_2017), SKM_2004)


# --------------------------------------------------------------------------- properties

answer = st.one_of(st.none(), st.integers(1, 4))
response = st.fixed_dictionaries(dict.fromkeys(SKM_2017.element_codes, answer)).filter(
    lambda r: any(v is not None for v in r.values())
)
response_sets = st.lists(response, min_size=1, max_size=40)


def raw_index(rows, rule):
    """The oracle: skm.md §5 straight from raw answers, nothing shared with the module."""
    nrr = []
    for code in SKM_2017.element_codes:
        given_answers = [row[code] for row in rows if row[code] is not None]
        if not given_answers:
            return None
        nrr.append(Fraction(sum(given_answers), len(given_answers)))
    weight = Fraction("0.111") if rule == PRINTED else Fraction(1, 9)
    ikm = sum(nrr) * weight
    return round_half_up(ikm, 4), round_half_up(ikm * 25, 2)


@given(response_sets, st.sampled_from([PRINTED, EXACT]))
def test_counters_path_equals_raw_path(rows, rule):
    result = compute(tally(rows, SKM_2017), SKM_2017, weight_rule=rule)
    expected = raw_index(rows, rule)
    if expected is None:
        assert result.status == ResultStatus.INCOMPLETE
    else:
        assert (result.result.ikm, result.result.ikm_converted) == expected


@given(response_sets, st.sampled_from([PRINTED, EXACT]))
def test_converted_is_25_times_the_ikm(rows, rule):
    result = compute(tally(rows, SKM_2017), SKM_2017, weight_rule=rule)
    for r in (result.result, result.alternative):
        if r is not None:
            # Both are rounded from the same exact value (25 × IKM), never one from the other:
            # they differ by at most half a unit of each rounding.
            assert abs(r.ikm_converted - 25 * r.ikm) <= 25 * Decimal("0.00005") + Decimal("0.005")
            assert r.ikm_converted == raw_index(rows, r.weight_rule)[1]


@given(response_sets, response_sets)
def test_counters_add_up_to_the_pooled_responses(first, second):
    pooled = tally(first, SKM_2017) + tally(second, SKM_2017)
    assert pooled == tally(first + second, SKM_2017)
    assert compute(pooled, SKM_2017) == compute(tally(first + second, SKM_2017), SKM_2017)


@given(response_sets, st.integers(0, 5))
def test_blank_answers_change_only_the_count_of_respondents(rows, extra):
    """A response answering only U1 leaves every other element's NRR as it was."""
    before = compute(tally(rows, SKM_2017), SKM_2017)
    after = compute(tally(rows + [{"U1": 4}] * extra, SKM_2017), SKM_2017)
    assert after.respondents == before.respondents + extra
    for code in SKM_2017.element_codes[1:]:
        assert after.nrr[code] == before.nrr[code]
        assert after.answers[code] == before.answers[code]
