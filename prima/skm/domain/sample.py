"""Sample size of a survey: Krejcie and Morgan (skm.md §6).

    S = X² · N · P(1−P) / ( d² · (N − 1) + X² · P(1−P) )      X² = 3.841, P = 0.5, d = 0.05

computed exactly (fractions) and rounded ROUND_HALF_UP to the target; the formula is used for
every N (it reproduces the published table), never the next row of the table. Pure.
"""

from __future__ import annotations

from fractions import Fraction

from prima.core.domain.rounding import round_half_up
from prima.skm.enums import PERIODS_PER_YEAR, PeriodKind

CHI_SQUARE = Fraction("3.841")
PROPORTION = Fraction(1, 2)
MARGIN = Fraction(5, 100)


def _require_count(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{what} must be an integer ≥ 1, not {value!r}")


def sample_size(population: int) -> Fraction:
    """The exact S for a population of ``population`` ≥ 1 service users."""
    _require_count(population, "population")
    spread = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
    return spread * population / (MARGIN**2 * (population - 1) + spread)


def sample_target(population: int) -> int:
    """The number of respondents to collect: S rounded half up (N = 650 → 241.67 → 242)."""
    return int(round_half_up(sample_size(population)))


def default_population(yearly_users: int, period: PeriodKind) -> int:
    """Prima's default N for a period: the yearly users ÷ 4, 2 or 1, rounded up.

    ``yearly_users`` must be ≥ 1; a unit without that figure has no default N (unknown).
    """
    _require_count(yearly_users, "yearly users")
    share = Fraction(yearly_users, PERIODS_PER_YEAR[period])
    return -(-share.numerator // share.denominator)
