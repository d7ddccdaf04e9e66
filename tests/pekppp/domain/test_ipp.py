"""The IPP computation of pekppp.md §9 and the acceptance examples of §14."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prima.pekppp.domain.instruments import load_instrument
from prima.pekppp.domain.ipp import (
    F03_INSUFFICIENT,
    ScoreError,
    compute,
    f03_score,
    rank,
    round_half_up,
)
from tests.pekppp.spec import (
    EXAMPLE_1,
    EXAMPLE_3,
    EXAMPLE_5_MEANS,
    INSTRUMENT_2017,
    INSTRUMENT_2023,
    scores,
)

INSTRUMENT = load_instrument(INSTRUMENT_2023)
LEVELS = st.lists(st.integers(0, 5), min_size=30, max_size=30)


def test_example_1_mixed_unit():
    result = compute(INSTRUMENT, EXAMPLE_1)
    data = result.as_dict()
    assert data["aspect_scores"] == {
        "I": "3.3300", "II": "3.8000", "III": "3.7000",
        "IV": "3.7000", "V": "3.0000", "VI": "2.5000",
    }  # fmt: skip
    contributions = [
        Fraction(aspect.weight) / 100 * result.aspect_scores[aspect.code]
        for aspect in INSTRUMENT.aspects
    ]
    assert [round_half_up(value, 4) for value in contributions] == [
        Decimal(text) for text in ("0.7992", "0.9500", "0.6660", "0.4070", "0.3000", "0.3000")
    ]
    assert result.ipp_raw == Fraction("3.4222")
    assert (data["ipp_raw"], data["ipp"], data["grade"], data["predicate"]) == (
        "3.422200", "3.42", "B-", "Baik (Dengan Catatan)",
    )  # fmt: skip
    assert data["percent"] == "68.44"
    assert data["combination"] == data["combination_used"] == "f02_only"
    assert data["warnings"] == []


def test_example_2_improve_first():
    result = compute(INSTRUMENT, EXAMPLE_1)
    assert [(item.number, item.gain) for item in result.improve_first] == [
        (29, Fraction("0.18")),
        (13, Fraction("0.15")),
        (30, Fraction("0.12")),
        (27, Fraction("0.075")),
        (17, Fraction("0.072")),
    ]
    assert result.as_dict()["improve_first"][0] == {
        "number": 29, "code": "29.f.B", "score": 2, "global_weight": "6.00", "gain": "0.1800",
    }  # fmt: skip


def test_improve_first_ties_prefer_the_larger_global_weight_then_the_lower_number():
    # 11, 12, 13 all have global weight 5.00; 14 (7.50) at 4 gains 0.075 like 27 (2.50) at 2.
    levels = {**scores([5] * 30), 11: 4, 12: 4, 13: 4, 14: 4, 27: 2}
    result = compute(INSTRUMENT, levels)
    assert [item.number for item in result.improve_first] == [14, 27, 11, 12, 13]
    assert compute(INSTRUMENT, scores([5] * 30)).improve_first == ()


def test_example_3_half_up_boundary():
    result = compute(INSTRUMENT, EXAMPLE_3)
    assert result.aspect_scores["II"] == Fraction("3.5")
    assert result.aspect_scores["VI"] == 4
    assert result.ipp_raw == Fraction("4.505")
    assert (result.ipp, result.grade, result.predicate) == (
        Decimal("4.51"), "A", "Pelayanan Prima",
    )  # fmt: skip


def test_example_4_lower_band_edge():
    result = compute(INSTRUMENT, scores([4] * 30))
    assert (result.as_dict()["ipp_raw"], result.ipp, result.grade, result.predicate) == (
        "4.000000", Decimal("4.00"), "B", "Baik",
    )  # fmt: skip


def test_example_5_weighted_combination():
    means = {n: Fraction(m) for n, m in enumerate(EXAMPLE_5_MEANS)}
    f03 = sum(means.values(), Fraction(0)) / len(means)
    assert f03 == 4
    result = compute(INSTRUMENT, EXAMPLE_1, combination="weighted", f03_score=f03, f03_responses=10)
    assert result.ipp_raw == Fraction("3.56665")
    assert (result.ipp, result.grade, result.predicate) == (Decimal("3.57"), "B", "Baik")
    assert result.combination_used == "weighted" and result.warnings == ()
    short = compute(INSTRUMENT, EXAMPLE_1, combination="weighted", f03_score=f03, f03_responses=8)
    assert (short.ipp, short.grade, short.combination_used) == (Decimal("3.42"), "B-", "f02_only")
    assert short.warnings == (F03_INSUFFICIENT,)
    assert short.as_dict()["f03_score"] == "4.0000"


def test_f03_score_is_the_mean_of_item_means_over_answered_items():
    # (4.5 + 3) / 2; the unanswered item 3 does not count.
    assert f03_score({1: [4, 5, None], 2: [3], 3: [None, None]}) == Fraction("3.75")
    assert f03_score({1: [None]}) is None


def test_example_6_accepted_contest_changes_the_grade():
    before = compute(INSTRUMENT, EXAMPLE_1)
    after = compute(INSTRUMENT, {**EXAMPLE_1, 29: 4})
    assert after.aspect_scores["VI"] == Fraction("3.5")
    assert after.ipp_raw == before.ipp_raw + Fraction("0.12")
    assert (after.ipp, after.grade, after.predicate) == (Decimal("3.54"), "B", "Baik")


def test_example_8_ranking():
    ipps = [Fraction(text) for text in ("4.5150", "4.5149", "4.5100", "4.2000", "3.9000")]
    assert [round_half_up(value, 2) for value in ipps] == [
        Decimal(text) for text in ("4.52", "4.51", "4.51", "4.20", "3.90")
    ]
    assert rank(ipps) == [1, 2, 2, 4, 5]


def test_every_bad_score_is_named_by_indicator():
    levels = {**EXAMPLE_1, 12: 6, 3: "4", 5: True, "31": 2}
    del levels[7]
    with pytest.raises(ScoreError) as caught:
        compute(INSTRUMENT, levels)
    assert [str(problem) for problem in caught.value.problems] == [
        "scores.31: bukan nomor indikator instrumen ini",
        "scores.3: indikator 3 (3.a.T): nilai harus bilangan bulat 0–5, bukan '4'",
        "scores.5: indikator 5 (5.a.K): nilai harus bilangan bulat 0–5, bukan True",
        "scores.7: indikator 7 (7.a.T) belum dinilai; semua indikator wajib bernilai",
        "scores.12: indikator 12 (12.b.Ak): nilai 6 di luar skala 0–5",
    ]


def test_text_keys_are_accepted():
    assert compute(INSTRUMENT, {str(k): v for k, v in EXAMPLE_1.items()}).ipp == Decimal("3.42")


def test_bad_settings_are_refused():
    with pytest.raises(ScoreError, match="combination"):
        compute(INSTRUMENT, EXAMPLE_1, combination="mixed")
    with pytest.raises(ScoreError, match="berjumlah 1"):
        compute(INSTRUMENT, EXAMPLE_1, f02_weight=Decimal("0.8"), f03_weight=Decimal("0.3"))
    with pytest.raises(ScoreError, match="tidak memuat daftar indikator"):
        compute(load_instrument(INSTRUMENT_2017), EXAMPLE_1)


@given(LEVELS)
def test_ipp_stays_between_0_and_5(levels):
    result = compute(INSTRUMENT, scores(levels))
    assert 0 <= result.ipp_raw <= 5
    assert Decimal("0.00") <= result.ipp <= Decimal("5.00")
    assert result.band.minimum <= result.ipp <= result.band.maximum


@given(LEVELS, st.integers(1, 30))
def test_raising_a_score_never_lowers_the_ipp(levels, number):
    before = compute(INSTRUMENT, scores(levels))
    raised = {**scores(levels), number: min(levels[number - 1] + 1, 5)}
    after = compute(INSTRUMENT, raised)
    assert after.ipp_raw >= before.ipp_raw
    assert after.ipp >= before.ipp


GRADE_ORDER = [band.grade for band in INSTRUMENT.bands]


@given(st.integers(0, 500), st.integers(0, 500))
def test_banding_is_monotone(low, high):
    low, high = sorted((low, high))
    lower = INSTRUMENT.band_for(Decimal(low).scaleb(-2))
    upper = INSTRUMENT.band_for(Decimal(high).scaleb(-2))
    # Bands are listed from the highest down: a higher IPP never gets a later band.
    assert GRADE_ORDER.index(upper.grade) <= GRADE_ORDER.index(lower.grade)
