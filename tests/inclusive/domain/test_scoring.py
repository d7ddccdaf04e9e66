"""Scores, bands and the facilities level of inclusive.md §4–§6, and its §8 examples."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prima.inclusive.domain.instruments import load_instrument
from prima.inclusive.domain.scoring import (
    checklist_count,
    checklist_prefills,
    dimension_levels,
    facilities_level,
    institution_score,
    score_levels,
    score_unit,
)

ROOT = Path(__file__).resolve().parents[3]
INSTRUMENT = load_instrument(ROOT / "instruments" / "inclusive-2024.yaml")
NO_LIFT = load_instrument(
    (ROOT / "instruments" / "inclusive-2024.yaml")
    .read_text(encoding="utf-8")
    .replace("vf04_na_counts_as_met: true", "vf04_na_counts_as_met: false")
)
VF = [f"VF{n:02d}" for n in range(1, 15)]
DIMENSION_ITEMS = {
    code: INSTRUMENT.dimension(code).item_codes for code in ("PRO", "INF", "STF", "POL")
}


def items(**counts):
    """The first ``n`` items of each counted dimension: items(PRO=4, INF=2) → PRO1…PRO4, …"""
    return [code for dim, n in counts.items() for code in DIMENSION_ITEMS[dim][:n]]


# --------------------------------------------------------------------------- §8 examples


def test_example_1_checklist_levels():
    assert [facilities_level(INSTRUMENT, n) for n in (0, 3, 11, 13)] == [0, 1, 4, 5]
    assert [INSTRUMENT.checklist_level(n) for n in (0, 3, 11, 13)] == [0, 1, 4, 5]


def test_example_2_single_storey_unit():
    ticked = [code for code in VF if code != "VF04"][:9]
    assert checklist_count(INSTRUMENT, ticked, ground_floor_only=True) == 10
    assert (
        facilities_level(INSTRUMENT, checklist_count(INSTRUMENT, ticked, ground_floor_only=True))
        == 4
    )
    assert checklist_count(NO_LIFT, ticked, ground_floor_only=True) == 9
    assert (
        facilities_level(INSTRUMENT, checklist_count(NO_LIFT, ticked, ground_floor_only=True)) == 3
    )
    # Without the declaration the lift item never counts by itself.
    assert checklist_count(INSTRUMENT, ticked) == 9
    levels = dimension_levels(INSTRUMENT, ticked, [], ground_floor_only=True)
    assert levels["FAC"] == 4


def test_example_3_mid_range_unit():
    result = score_unit(INSTRUMENT, VF[:9], items(PRO=4, INF=2, STF=1, POL=3))
    assert dict(result.levels) == {"FAC": 3, "PRO": 4, "INF": 2, "STF": 1, "POL": 3}
    assert result.total_exact == Fraction(280, 100)
    assert result.total == Decimal("2.80")
    assert str(result.total) == "2.80"
    assert result.band == "Cukup Ramah"
    assert result.role_model_candidate is False


def test_example_4_strong_unit():
    result = score_unit(INSTRUMENT, VF, items(PRO=5, INF=5, STF=4, POL=5))
    assert dict(result.levels) == {"FAC": 5, "PRO": 5, "INF": 5, "STF": 4, "POL": 5}
    assert str(result.total) == "4.85"
    assert result.band == "Sangat Ramah"
    assert result.role_model_candidate is True


def test_example_5_band_edge():
    result = score_unit(INSTRUMENT, VF[:13], items(PRO=2, INF=3, STF=3, POL=4))
    assert str(result.total) == "3.50"
    assert result.band == "Cukup Ramah"
    assert score_levels(INSTRUMENT, {**result.levels, "STF": 4}).band == "Ramah"  # 3.65


def test_example_6_institution_score():
    totals = [Decimal("4.85"), Decimal("2.80"), Decimal("3.50")]
    result = institution_score(INSTRUMENT, totals)
    assert result is not None
    assert result.units == 3
    assert result.score_exact == Fraction(1115, 300)
    assert str(result.score) == "3.72"
    assert result.band == "Ramah"
    assert institution_score(INSTRUMENT, []) is None


def test_example_7_pekppp_link():
    assert facilities_level(INSTRUMENT, checklist_count(INSTRUMENT, VF[:11])) == 4
    assert checklist_prefills(date(2025, 1, 15), date(2025, 5, 15))  # 4 months before
    # The IPP contribution itself (0.18 × 0.20 × 4 = 0.144) belongs to prima/pekppp.


# --------------------------------------------------------------------------- edges


def test_rounding_is_half_up_from_the_exact_value():
    # Mean 0.005 exactly → 0.01 (half up), not 0.00 (half even).
    result = institution_score(INSTRUMENT, [Fraction(1, 100), Fraction(0)])
    assert result is not None
    assert str(result.score) == "0.01"
    assert result.band == "Tidak Ramah"


def test_unknown_and_bad_inputs_are_named():
    with pytest.raises(ValueError, match="VF15"):
        checklist_count(INSTRUMENT, ["VF01", "VF15"])
    with pytest.raises(ValueError, match="PRO9"):
        score_unit(INSTRUMENT, [], ["PRO9"])
    with pytest.raises(ValueError, match="POL: level wajib diisi"):
        score_levels(INSTRUMENT, {"FAC": 1, "PRO": 1, "INF": 1, "STF": 1})
    with pytest.raises(ValueError, match="INF: level harus bilangan bulat 0–5, bukan 6"):
        score_levels(INSTRUMENT, {"FAC": 1, "PRO": 1, "INF": 6, "STF": 1, "POL": 1})
    with pytest.raises(ValueError, match="XYZ: dimensi tidak dikenal"):
        score_levels(INSTRUMENT, {"FAC": 1, "PRO": 1, "INF": 1, "STF": 1, "POL": 1, "XYZ": 1})
    with pytest.raises(ValueError, match="15"):
        facilities_level(INSTRUMENT, 15)
    with pytest.raises(ValueError):
        facilities_level(INSTRUMENT, -1)
    with pytest.raises(TypeError):
        facilities_level(INSTRUMENT, True)


def test_duplicate_codes_count_once():
    assert checklist_count(INSTRUMENT, ["VF01", "VF01", "VF02"]) == 2


def test_checklist_prefill_window_is_twelve_months():
    deadline = date(2025, 5, 31)
    assert checklist_prefills(date(2024, 5, 31), deadline)
    assert not checklist_prefills(date(2024, 5, 30), deadline)
    assert not checklist_prefills(date(2025, 6, 1), deadline)  # after the deadline
    assert checklist_prefills(date(2023, 2, 28), date(2024, 2, 29))


def test_the_published_checklist_rule_is_the_instruments():
    # inclusive.md §4: 0 → 0; 1–3 → 1; 4–6 → 2; 7–9 → 3; 10–12 → 4; 13–14 → 5.
    assert [facilities_level(INSTRUMENT, n) for n in range(15)] == [
        0,
        1,
        1,
        1,
        2,
        2,
        2,
        3,
        3,
        3,
        4,
        4,
        4,
        5,
        5,
    ]


# --------------------------------------------------------------------------- properties

facilities_sets = st.sets(st.sampled_from(VF))
item_sets = st.sets(st.sampled_from([c for codes in DIMENSION_ITEMS.values() for c in codes]))
ALL_ITEMS = VF + [c for codes in DIMENSION_ITEMS.values() for c in codes]


@given(facilities_sets, item_sets, st.booleans())
def test_score_is_within_range_and_banded(facilities, verified, ground_floor):
    result = score_unit(INSTRUMENT, facilities, verified, ground_floor_only=ground_floor)
    assert 0 <= result.total_exact <= 5
    assert Decimal("0.00") <= result.total <= Decimal("5.00")
    band = INSTRUMENT.band_for(result.total)
    assert band.min <= result.total <= band.max
    assert result.band == band.label


@given(facilities_sets, item_sets, st.sampled_from(ALL_ITEMS), st.booleans())
def test_ticking_one_more_item_never_lowers_the_result(facilities, verified, extra, ground):
    before = score_unit(INSTRUMENT, facilities, verified, ground_floor_only=ground)
    if extra.startswith("VF"):
        after = score_unit(INSTRUMENT, facilities | {extra}, verified, ground_floor_only=ground)
    else:
        after = score_unit(INSTRUMENT, facilities, verified | {extra}, ground_floor_only=ground)
    assert after.total_exact >= before.total_exact
    assert all(after.levels[code] >= before.levels[code] for code in before.levels)
    ranks = [band.label for band in INSTRUMENT.bands]  # best first
    assert ranks.index(after.band) <= ranks.index(before.band)


@given(st.integers(0, 13))
def test_facilities_level_is_monotone(count):
    assert facilities_level(INSTRUMENT, count) <= facilities_level(INSTRUMENT, count + 1)


@given(
    st.decimals(min_value=0, max_value=5, places=2),
    st.decimals(min_value=0, max_value=5, places=2),
)
def test_banding_is_monotone(a, b):
    low, high = sorted((a, b))
    ranks = [band.label for band in INSTRUMENT.bands]
    assert ranks.index(INSTRUMENT.band_for(high).label) <= ranks.index(
        INSTRUMENT.band_for(low).label
    )


@given(st.lists(st.fractions(min_value=0, max_value=5), min_size=1, max_size=20))
def test_institution_score_stays_in_range(totals):
    result = institution_score(INSTRUMENT, totals)
    assert result is not None
    assert min(totals) <= result.score_exact <= max(totals)
    assert Decimal("0.00") <= result.score <= Decimal("5.00")
