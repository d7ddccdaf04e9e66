"""Dividing a number of awards in proportion to weights by largest remainder (pkri.md §7.5, B9).

Pure: no ORM.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction


def largest_remainder(total: int, weights: Mapping[str, int]) -> dict[str, int]:
    """Split ``total`` over ``weights`` (Hamilton's method).

    Each key first gets the floor of its quota ``total·w/Σw``; the seats left go one each
    to the largest remainders. Equal remainders go to the larger weight, then to the key
    listed first. B9: 61 over 58 : 36 → 38 + 23.
    """
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise ValueError(f"largest_remainder: total must be an integer ≥ 0, got {total!r}")
    for key, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
            raise ValueError(f"largest_remainder: weights[{key!r}] must be an integer ≥ 0")
    weight_sum = sum(weights.values())
    if weight_sum == 0:
        if total:
            raise ValueError("largest_remainder: weights sum to 0 but total is not 0")
        return dict.fromkeys(weights, 0)
    quotas = {key: Fraction(total * weight, weight_sum) for key, weight in weights.items()}
    shares = {key: int(quota) for key, quota in quotas.items()}  # floor: quotas are ≥ 0
    left = total - sum(shares.values())
    order = list(weights)
    by_remainder = sorted(
        order,
        key=lambda k: (-(quotas[k] - shares[k]), -weights[k], order.index(k)),
    )
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares
