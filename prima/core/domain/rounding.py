"""Rounding of exact values for output, shared by the indices (IKM, IPP, inclusive scores):
ROUND_HALF_UP read from the exact value (skm.md §5, pekppp.md §9)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def round_half_up(value: Fraction, places: int = 0) -> Decimal:
    """``value`` rounded half away from zero to ``places`` decimals, as an exact Decimal.

    The rounding reads the exact fraction, never a rounded copy: 3.06175 → 3.0618. The
    Decimal is built from its digits, so no decimal context (precision, mode) applies.
    """
    scaled = abs(value) * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    sign = "-" if value < 0 and whole else ""
    return Decimal(f"{sign}{whole}E-{places}")
