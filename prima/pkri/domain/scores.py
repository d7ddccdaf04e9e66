"""Desk and final scores of PKRI (pkri.md §7.1, §7.4; acceptance examples B4, B6).

``S = points_per_level × Σ wᵢ·Lᵢ / 100`` through the engine's weighted total, and the final
score ``w_desk·desk + w_interview·interview``; both rounded once with the engine's
:func:`~prima.evaluation.domain.scoring.official` (ROUND_HALF_UP, 2 decimals).

Pure: no ORM.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from prima.evaluation.domain.scoring import official, weighted_total

MAX_LEVEL = 4


def desk_score(
    levels: Mapping[str, int], weights: Mapping[str, Decimal], points_per_level: int = 25
) -> Decimal:
    """The official score of one level per indicator (0–4) under percentage ``weights``.

    B4: K1–K6 = 4, 3, 3, 4, 2, 2 with 20/20/20/15/15/10 → 77.50.
    """
    for code, level in levels.items():
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= MAX_LEVEL:
            raise ValueError(f"levels[{code!r}]: must be an integer 0–{MAX_LEVEL}, got {level!r}")
    points = {code: level * points_per_level for code, level in levels.items()}
    return official(weighted_total(points, weights))


def final_score(
    desk: Decimal, interview: Decimal | None, weights: tuple[Decimal, Decimal]
) -> Decimal:
    """``weights[0]·desk + weights[1]·interview``; the desk score alone without an interview.

    B4: desk 77.50, interview 88.00, weights (0.6, 0.4) → 81.70.
    """
    if interview is None:
        return official(desk)
    desk_weight, interview_weight = weights
    return official(desk_weight * desk + interview_weight * interview)
