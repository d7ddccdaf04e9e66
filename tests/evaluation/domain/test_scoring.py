"""Totals, official rounding, aggregation and normalisation: kipp.md §18 A5, A6, A9."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prima.evaluation.domain.scoring import (
    PRECISION,
    Aggregate,
    Normalised,
    aggregate,
    normalise,
    official,
    weighted_total,
)

D = Decimal
SECTIONS = (
    "ringkasan",
    "latar_belakang",
    "kebaruan",
    "implementasi",
    "signifikansi",
    "adaptabilitas",
    "sumber_daya",
    "keberlanjutan",
)
# kipp.md §7.1, umum: 0/10/15/5/30/20/5/15.
UMUM = dict(zip(SECTIONS, map(D, ("0", "10", "15", "5", "30", "20", "5", "15")), strict=True))
# kipp-default-v1-r5: Ringkasan 5, every other weight × 0.95.
UMUM_R5 = dict(
    zip(
        SECTIONS,
        map(D, ("5", "9.5", "14.25", "4.75", "28.5", "19", "4.75", "14.25")),
        strict=True,
    )
)

# kipp.md §18 A5 (LB KB IM SG AD SD KL) and the r5 Ringkasan scores.
A5 = {
    "E1": ((80, 70, 90, 85, 75, 60, 80), 80, D("78.50"), D("78.575")),
    "E2": ((85, 80, 80, 90, 85, 70, 85), 90, D("84.75"), D("85.0125")),
    "E3": ((70, 65, 85, 70, 60, 65, 70), 70, D("67.75"), D("67.8625")),
}


def sheet(sections: tuple[int, ...], ringkasan: int | None = None) -> dict[str, int]:
    scores = dict(zip(SECTIONS[1:], sections, strict=True))
    if ringkasan is not None:
        scores["ringkasan"] = ringkasan
    return scores


# --------------------------------------------------------------------------- weighted_total


def test_weights_sum_to_100() -> None:
    assert sum(UMUM.values()) == 100
    assert sum(UMUM_R5.values()) == 100


@pytest.mark.parametrize("evaluator", sorted(A5))
def test_a5_umum_totals(evaluator: str) -> None:
    sections, ringkasan, umum, _ = A5[evaluator]
    assert weighted_total(sheet(sections), UMUM) == umum
    # The zero-weight Ringkasan is entered but does not count.
    assert weighted_total(sheet(sections, ringkasan), UMUM) == umum


@pytest.mark.parametrize("evaluator", sorted(A5))
def test_a5_r5_totals(evaluator: str) -> None:
    sections, ringkasan, umum, r5 = A5[evaluator]
    total = weighted_total(sheet(sections, ringkasan), UMUM_R5)
    assert total == r5
    assert total == D("0.05") * ringkasan + D("0.95") * umum


def test_hand_computed_total() -> None:
    # 0·50 + 10·60 + 15·70 + 5·80 + 30·90 + 20·100 + 5·0 + 15·45 = 7425 → 74.25
    scores = dict(zip(SECTIONS, (50, 60, 70, 80, 90, 100, 0, 45), strict=True))
    assert weighted_total(scores, UMUM) == D("74.25")
    # r5: 5·50 + 9.5·60 + 14.25·70 + 4.75·80 + 28.5·90 + 19·100 + 4.75·0 + 14.25·45
    #   = 250 + 570 + 997.5 + 380 + 2565 + 1900 + 0 + 641.25 = 7303.75 → 73.0375
    assert weighted_total(scores, UMUM_R5) == D("73.0375")


def test_decimal_scores_accepted() -> None:
    scores = {s: D("82.5") for s in SECTIONS}
    assert weighted_total(scores, UMUM) == D("82.5")


def test_missing_weighted_section() -> None:
    scores = sheet(A5["E1"][0])
    del scores["signifikansi"]
    with pytest.raises(ValueError, match=r"weighted section.*without a score: signifikansi"):
        weighted_total(scores, UMUM)


def test_missing_several_sections_named_in_order() -> None:
    with pytest.raises(ValueError, match=r"adaptabilitas, implementasi"):
        weighted_total(
            {s: 50 for s in SECTIONS if s not in {"implementasi", "adaptabilitas"}}, UMUM
        )


def test_missing_zero_weight_section_is_fine() -> None:
    assert weighted_total(sheet(A5["E2"][0]), UMUM) == D("84.75")


@pytest.mark.parametrize("bad", [-1, 101, D("100.01"), D("-0.5")])
def test_score_out_of_range(bad: int | Decimal) -> None:
    scores = sheet(A5["E1"][0])
    scores["kebaruan"] = bad  # type: ignore[assignment]
    with pytest.raises(ValueError, match=r"scores\['kebaruan'\]: score .* outside 0–100"):
        weighted_total(scores, UMUM)


def test_out_of_range_on_zero_weight_section_still_rejected() -> None:
    with pytest.raises(ValueError, match="ringkasan"):
        weighted_total(sheet(A5["E1"][0], ringkasan=150), UMUM)


def test_boundaries_accepted() -> None:
    assert weighted_total(dict.fromkeys(SECTIONS, 0), UMUM) == 0
    assert weighted_total(dict.fromkeys(SECTIONS, 100), UMUM) == 100


def test_weights_must_sum_to_100() -> None:
    weights = dict(UMUM, keberlanjutan=D("14"))
    with pytest.raises(ValueError, match="sum to 99, must sum to 100"):
        weighted_total(dict.fromkeys(SECTIONS, 50), weights)


def test_negative_weight() -> None:
    weights = dict(UMUM, ringkasan=D("-5"), keberlanjutan=D("20"))
    with pytest.raises(ValueError, match=r"weights\['ringkasan'\]: weight -5 is negative"):
        weighted_total(dict.fromkeys(SECTIONS, 50), weights)


def test_unknown_section() -> None:
    scores = {**dict.fromkeys(SECTIONS, 50), "inspirasi": 80}
    with pytest.raises(ValueError, match=r"scores\['inspirasi'\]: section has no weight"):
        weighted_total(scores, UMUM)


@pytest.mark.parametrize("bad", [80.0, True, "80", D("NaN"), D("Infinity")])
def test_score_type_and_finiteness(bad: object) -> None:
    scores: dict[str, object] = dict.fromkeys(SECTIONS, 50)
    scores["kebaruan"] = bad
    with pytest.raises((TypeError, ValueError), match="kebaruan"):
        weighted_total(scores, UMUM)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- official


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("84.995", "85.00"),
        ("84.985", "84.99"),  # float(84.985) is 84.98499…, round() gives 84.98
        ("84.975", "84.98"),  # float gives 84.97
        ("1.005", "1.01"),  # float gives 1.0
        ("84.984999", "84.98"),
        ("2.675", "2.68"),  # the classic float trap
        ("0.125", "0.13"),  # half-even would give 0.12
        ("84.9833333333", "84.98"),
        ("85", "85.00"),
        ("77.15", "77.15"),
        ("0", "0.00"),
        ("100", "100.00"),
    ],
)
def test_official_round_half_up(value: str, expected: str) -> None:
    result = official(D(value))
    assert result == D(expected)
    assert str(result) == expected  # always exactly two decimals


def test_float_would_round_the_other_way() -> None:
    # Binary floats land just below these halves; Decimal keeps them exact.
    for value, float_result, expected in [
        ("84.985", 84.98, "84.99"),
        ("84.975", 84.97, "84.98"),
        ("2.675", 2.67, "2.68"),
    ]:
        assert round(float(value), 2) == float_result
        assert official(D(value)) == D(expected)


def test_official_rounding_rule_is_a_parameter() -> None:
    assert str(official(D("84.985"), places=1)) == "85.0"
    assert str(official(D("84.5"), places=0)) == "85"
    assert official(D("0.125"), rounding=ROUND_HALF_EVEN) == D("0.12")
    assert str(official(D("84.9855"), places=3)) == "84.986"


def test_official_rejects_bad_input() -> None:
    with pytest.raises(TypeError):
        official(84.995)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a finite"):
        official(D("NaN"))
    with pytest.raises(ValueError, match="places"):
        official(D(1), places=-1)


# --------------------------------------------------------------------------- aggregate

A5_TOTALS = [D("78.50"), D("84.75"), D("67.75")]


def test_a5_mean_median_disagreement() -> None:
    mean = aggregate(A5_TOTALS)
    assert mean == Aggregate(
        score=D("77.00"), raw=D("77"), spread=D("17.00"), disagreement=True, count=3
    )
    assert str(mean.score) == "77.00"
    median = aggregate(A5_TOTALS, "median")
    assert median.score == D("78.50") and median.raw == D("78.50")
    assert median.disagreement


def test_a5_r5_mean() -> None:
    result = aggregate([D("78.575"), D("85.0125"), D("67.8625")])
    assert result.raw == D("77.15")
    assert result.score == D("77.15")


@pytest.mark.parametrize(
    ("totals", "raw", "score"),
    [
        (["85.00", "85.00", "85.00"], "85", "85.00"),  # A
        (["85.00", "85.00", "84.95"], None, "84.98"),  # B: 84.9833…
        (["84.95", "84.95", "85.10"], "85", "85.00"),  # C
    ],
)
def test_a6_threshold_examples(totals: list[str], raw: str | None, score: str) -> None:
    result = aggregate([D(t) for t in totals])
    assert result.score == D(score)
    if raw is not None:
        assert result.raw == D(raw)
    else:
        assert D("84.98333") < result.raw < D("84.98334")
    assert (result.score >= 85) is (score == "85.00")


def test_mean_rounded_once_not_per_total() -> None:
    # 84.994 + 84.996 → mean 84.995 → 85.00 (rounding each first would give 84.99 + 85.00).
    assert aggregate([D("84.994"), D("84.996")]).score == D("85.00")


def test_median_even_count() -> None:
    result = aggregate([D("70"), D("90"), D("80"), D("60")], "median")
    assert result.raw == D("75")
    assert result.score == D("75.00")
    assert aggregate([D("80.01"), D("80.00")], "median").raw == D("80.005")
    assert aggregate([D("80.01"), D("80.00")], "median").score == D("80.01")


def test_median_odd_and_single() -> None:
    assert aggregate([D("90"), D("10"), D("50")], "median").raw == D("50")
    single = aggregate([D("84.995")], "median")
    assert single == Aggregate(D("85.00"), D("84.995"), D(0), False, 1)


def test_disagreement_exactly_at_range_is_not_flagged() -> None:
    assert aggregate([D("70"), D("85")]).disagreement is False
    assert aggregate([D("70"), D("85.01")]).disagreement is True
    assert aggregate([D("70"), D("85")]).spread == D("15")


def test_disagreement_range_is_a_parameter() -> None:
    assert aggregate(A5_TOTALS, disagreement_range=D("17")).disagreement is False
    assert aggregate(A5_TOTALS, disagreement_range=D("16.99")).disagreement is True


def test_aggregate_rounding_rule_is_a_parameter() -> None:
    assert str(aggregate(A5_TOTALS, places=1).score) == "77.0"


def test_aggregate_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="at least one"):
        aggregate([])
    with pytest.raises(ValueError, match="method"):
        aggregate(A5_TOTALS, "mode")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negative"):
        aggregate(A5_TOTALS, disagreement_range=D(-1))


# --------------------------------------------------------------------------- normalise

A9 = {
    "X": {"p1": D(70), "p2": D(80), "p3": D(90)},
    "Y": {"p4": D(60), "p5": D(65), "p6": D(70)},
}


def test_a9_normalisation() -> None:
    result = normalise(A9, min_sample=3)
    assert set(result) == {(a, p) for a, totals in A9.items() for p in totals}
    assert all(n.normalised for n in result.values())
    official_n = {key: official(n.value) for key, n in result.items()}
    assert official_n[("X", "p3")] == official_n[("Y", "p6")] == D("84.62")
    assert official_n[("X", "p1")] == official_n[("Y", "p4")] == D("60.38")
    assert official_n[("X", "p2")] == official_n[("Y", "p5")] == D("72.50")
    # The middle totals have z = 0 → N = μ_all exactly.
    assert result[("X", "p2")].value == D("72.5")


def test_a9_intermediate_values() -> None:
    # μ_all = 72.5, σ_all = sqrt(587.5/6) = 9.8953…; z = 10/sqrt(200/3) = 1.2247…
    n = normalise(A9, min_sample=3)[("X", "p3")].value
    assert D("84.6190") < n < D("84.6195")


def test_small_hand_example() -> None:
    # A: 2, 4 (μ 3, σ 1); B: 10, 10 (σ 0). All: 2, 4, 10, 10 → μ_all 6.5, σ_all² = 12.75.
    result = normalise({"A": {"s": D(2), "t": D(4)}, "B": {"s": D(10), "t": D(10)}}, 2)
    with localcontext(Context(prec=PRECISION)):
        sigma_all = D("12.75").sqrt()
        low, high = D("6.5") - sigma_all, D("6.5") + sigma_all
    assert result[("A", "s")] == Normalised(low, True)  # z = -1
    assert result[("A", "t")] == Normalised(high, True)  # z = +1
    assert official(high) == D("10.07")
    # σ_e = 0 → N = T, not normalised, even with enough totals.
    assert result[("B", "s")] == Normalised(D(10), False)
    assert result[("B", "t")] == Normalised(D(10), False)


def test_min_sample_fallback() -> None:
    result = normalise(A9)  # default min_sample = 10 > 3 totals each
    assert all(not n.normalised for n in result.values())
    assert {k: n.value for k, n in result.items()} == {
        (a, p): t for a, totals in A9.items() for p, t in totals.items()
    }


def test_fallback_assessor_still_counts_in_mu_all() -> None:
    totals = {
        "X": {"p1": D(70), "p2": D(80), "p3": D(90)},
        "Z": {"p9": D(20)},  # one total: not normalised, but part of μ_all / σ_all
    }
    result = normalise(totals, min_sample=3)
    assert result[("Z", "p9")] == Normalised(D(20), False)
    # μ_all = 65, so X's middle total (z = 0) lands on 65, not on 80.
    assert result[("X", "p2")] == Normalised(D(65), True)


def test_min_sample_boundary() -> None:
    assert all(n.normalised for n in normalise(A9, min_sample=3).values())
    assert not any(n.normalised for n in normalise(A9, min_sample=4).values())


def test_normalise_empty_and_bad_min_sample() -> None:
    assert normalise({}) == {}
    assert normalise({"X": {}}) == {}
    with pytest.raises(ValueError, match="min_sample"):
        normalise(A9, min_sample=0)


# --------------------------------------------------------------------------- properties

score_values = st.one_of(
    st.integers(0, 100),
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
)
totals_lists = st.lists(
    st.decimals(min_value=0, max_value=100, places=4, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=7,
)


@settings(max_examples=100, deadline=None)
@given(x=score_values, weights=st.sampled_from([UMUM, UMUM_R5]))
def test_equal_scores_total_that_score(x: int | Decimal, weights: dict[str, Decimal]) -> None:
    assert weighted_total(dict.fromkeys(SECTIONS, x), weights) == x


@settings(max_examples=100, deadline=None)
@given(scores=st.lists(score_values, min_size=8, max_size=8), r5=st.booleans())
def test_total_within_bounds(scores: list[int | Decimal], r5: bool) -> None:
    weights = UMUM_R5 if r5 else UMUM
    sheet_ = dict(zip(SECTIONS, scores, strict=True))
    total = weighted_total(sheet_, weights)
    assert 0 <= total <= 100
    weighted = [D(x) for s, x in sheet_.items() if weights[s]]
    assert min(weighted) <= total <= max(weighted)


@settings(max_examples=100, deadline=None)
@given(totals=totals_lists, method=st.sampled_from(["mean", "median"]))
def test_aggregate_within_min_max(totals: list[Decimal], method: str) -> None:
    result = aggregate(totals, method)  # type: ignore[arg-type]
    assert min(totals) <= result.raw <= max(totals)
    assert official(min(totals)) <= result.score <= official(max(totals))
    assert result.spread == max(totals) - min(totals)
    assert result.disagreement is (result.spread > 15)
    assert result.count == len(totals)
    assert aggregate(list(reversed(totals)), method) == result  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(
    totals=st.dictionaries(
        st.sampled_from("ABCD"),
        st.dictionaries(st.sampled_from("pqrstu"), totals_lists.map(lambda t: t[0]), max_size=6),
        max_size=4,
    ),
    min_sample=st.integers(1, 5),
)
def test_normalise_properties(totals: dict[str, dict[str, Decimal]], min_sample: int) -> None:
    result = normalise(totals, min_sample)
    assert set(result) == {(a, s) for a, ts in totals.items() for s in ts}
    for (assessor, subject), n in result.items():
        own = list(totals[assessor].values())
        if n.normalised:
            assert len(own) >= min_sample and len(set(own)) > 1
        else:
            assert n.value == totals[assessor][subject]
            assert len(own) < min_sample or len(set(own)) == 1
    # Normalisation preserves each assessor's order of totals.
    for assessor, ts in totals.items():
        keys = sorted(ts, key=lambda s: ts[s])
        values = [result[(assessor, s)].value for s in keys]
        assert values == sorted(values)
