"""Award split by largest remainder (pkri.md §7.5; acceptance example B9)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prima.pkri.domain.split import largest_remainder


def test_b9_61_awards_over_58_and_36_interviewees() -> None:
    shares = largest_remainder(61, {"keberlanjutan": 58, "replikasi": 36})

    assert shares == {"keberlanjutan": 38, "replikasi": 23}
    assert 14 + sum(shares.values()) == 75


def test_equal_remainders_go_to_the_larger_weight_then_the_first_listed() -> None:
    assert largest_remainder(1, {"a": 1, "b": 3}) == {"a": 0, "b": 1}
    assert largest_remainder(1, {"a": 2, "b": 2}) == {"a": 1, "b": 0}


def test_zero_weights() -> None:
    assert largest_remainder(0, {"a": 0}) == {"a": 0}
    with pytest.raises(ValueError):
        largest_remainder(3, {"a": 0, "b": 0})
    with pytest.raises(ValueError):
        largest_remainder(3, {"a": -1, "b": 2})


@given(
    total=st.integers(min_value=0, max_value=500),
    weights=st.dictionaries(
        st.text(min_size=1, max_size=3), st.integers(min_value=0, max_value=1000), min_size=1
    ).filter(lambda w: sum(w.values()) > 0),
)
def test_shares_sum_to_total_and_stay_within_one_of_the_quota(
    total: int, weights: dict[str, int]
) -> None:
    shares = largest_remainder(total, weights)

    assert sum(shares.values()) == total
    weight_sum = sum(weights.values())
    for key, weight in weights.items():
        quota = Fraction(total * weight, weight_sum)
        assert quota - 1 < shares[key] < quota + 1
