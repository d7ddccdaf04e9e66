"""Scores, totals, aggregates and normalisation (kipp.md §1, §10.2; DESIGN.md §5).

All arithmetic is in ``Decimal``. Weighted totals and medians are exact; means and the
normalisation use a fixed local context of ``PRECISION`` significant digits (independent
of the caller's context), and only :func:`official` rounds to the instrument's rule
(default ROUND_HALF_UP to 2 decimals). Raw values are never rounded in between, so the
official score of an aggregate is rounded exactly once.

- :func:`weighted_total` — ``T_e = Σ_s w_s·x_{e,s} / 100`` for one assessor's sheet.
- :func:`official` — the official score (rounding rule as a parameter).
- :func:`aggregate` — mean or median of the assessors' totals, spread and disagreement.
- :func:`normalise` — optional per-assessor z-score normalisation with the
  ``min_sample`` / ``σ_e = 0`` fallback (``normalised=False``, i.e. ``not_normalised``).

This module is pure: no ORM, no Django.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Literal, TypeVar

A = TypeVar("A", bound=Hashable)
S = TypeVar("S", bound=Hashable)

AggregationMethod = Literal["mean", "median"]

# Significant digits for inexact steps (division, square root). Scores have at most a few
# digits, so 40 digits leave the 2-decimal official rounding unaffected in practice.
PRECISION = 40
OFFICIAL_PLACES = 2
OFFICIAL_ROUNDING = ROUND_HALF_UP
DEFAULT_DISAGREEMENT_RANGE = Decimal(15)
DEFAULT_MIN_SAMPLE = 10
MIN_SCORE = Decimal(0)
MAX_SCORE = Decimal(100)
WEIGHT_TOTAL = Decimal(100)


def _context() -> Context:
    return Context(prec=PRECISION, rounding=ROUND_HALF_UP)


def _as_decimal(value: int | Decimal, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"{where}: expected int or Decimal, got {type(value).__name__}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{where}: {value} is not a finite number")
    return result


# --------------------------------------------------------------------------- totals


def weighted_total(scores: Mapping[str, int | Decimal], weights: Mapping[str, Decimal]) -> Decimal:
    """One assessor's total ``Σ w_s·x_s / 100`` (exact, unrounded).

    ``weights`` are percentages per section, each ≥ 0, summing to exactly 100. Every section
    with a non-zero weight needs a score; zero-weight sections may be scored or omitted
    (kipp.md §10.2: they are entered but do not count). Every score must lie in 0–100 and
    belong to a section listed in ``weights``.
    """
    total_weight = Decimal(0)
    for section, weight in weights.items():
        w = _as_decimal(weight, f"weights[{section!r}]")
        if w < 0:
            raise ValueError(f"weights[{section!r}]: weight {weight} is negative")
        total_weight += w
    if total_weight != WEIGHT_TOTAL:
        raise ValueError(f"weights: sum to {total_weight}, must sum to {WEIGHT_TOTAL}")

    for section, score in scores.items():
        if section not in weights:
            raise ValueError(
                f"scores[{section!r}]: section has no weight in this instrument "
                f"(known: {sorted(weights)})"
            )
        x = _as_decimal(score, f"scores[{section!r}]")
        if not MIN_SCORE <= x <= MAX_SCORE:
            raise ValueError(
                f"scores[{section!r}]: score {score} is outside {MIN_SCORE}–{MAX_SCORE}"
            )

    missing = sorted(s for s, w in weights.items() if Decimal(w) != 0 and s not in scores)
    if missing:
        raise ValueError(f"scores: weighted section(s) without a score: {', '.join(missing)}")

    # Products and the sum are exact under a generous precision; /100 only shifts the exponent.
    with localcontext(_context()) as ctx:
        ctx.prec = 2 * PRECISION
        total = sum(
            (Decimal(weights[s]) * Decimal(x) for s, x in scores.items()),
            start=Decimal(0),
        )
        return total / WEIGHT_TOTAL


def official(
    value: Decimal, places: int = OFFICIAL_PLACES, rounding: str = OFFICIAL_ROUNDING
) -> Decimal:
    """The official score: ``value`` rounded to ``places`` decimals (default ROUND_HALF_UP, 2).

    ``official(Decimal("84.995")) == Decimal("85.00")``; the result always carries exactly
    ``places`` decimals (``official(Decimal(85)) == Decimal("85.00")``).
    """
    if not isinstance(value, Decimal):
        raise TypeError(f"official: expected Decimal, got {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"official: {value} is not a finite number")
    if places < 0:
        raise ValueError(f"official: places must be ≥ 0, got {places}")
    with localcontext(_context()):
        return value.quantize(Decimal(1).scaleb(-places), rounding=rounding)


# --------------------------------------------------------------------------- aggregation


@dataclass(frozen=True)
class Aggregate:
    score: Decimal  # official score of ``raw``
    raw: Decimal  # unrounded mean or median
    spread: Decimal  # max T_e − min T_e
    disagreement: bool  # spread > disagreement_range
    count: int


def aggregate(
    totals: Sequence[Decimal],
    method: AggregationMethod = "mean",
    disagreement_range: Decimal = DEFAULT_DISAGREEMENT_RANGE,
    *,
    places: int = OFFICIAL_PLACES,
    rounding: str = OFFICIAL_ROUNDING,
) -> Aggregate:
    """Aggregate the assessors' totals of one subject (kipp.md §10.2).

    The median of an even count is the mean of the two middle totals. The disagreement
    flag is strict: a spread equal to ``disagreement_range`` is not flagged.
    """
    if not totals:
        raise ValueError("totals: at least one total is needed")
    values = [_as_decimal(t, f"totals[{i}]") for i, t in enumerate(totals)]
    limit = _as_decimal(disagreement_range, "disagreement_range")
    if limit < 0:
        raise ValueError(f"disagreement_range: {disagreement_range} is negative")
    with localcontext(_context()):
        if method == "mean":
            raw = sum(values, start=Decimal(0)) / len(values)
        elif method == "median":
            ordered = sorted(values)
            middle = len(ordered) // 2
            if len(ordered) % 2:
                raw = ordered[middle]
            else:
                raw = (ordered[middle - 1] + ordered[middle]) / 2
        else:
            raise ValueError(f"method: {method!r} is not 'mean' or 'median'")
        spread = max(values) - min(values)
    return Aggregate(
        score=official(raw, places, rounding),
        raw=raw,
        spread=spread,
        disagreement=spread > limit,
        count=len(values),
    )


# --------------------------------------------------------------------------- normalisation


@dataclass(frozen=True)
class Normalised:
    value: Decimal  # N (unrounded), or T itself when not normalised
    normalised: bool  # False = flagged ``not_normalised``


def _mean_and_sigma(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """Mean and population standard deviation (call inside the local context)."""
    mean = sum(values, start=Decimal(0)) / len(values)
    variance = sum(((v - mean) ** 2 for v in values), start=Decimal(0)) / len(values)
    return mean, variance.sqrt()


def normalise(
    totals_by_assessor: Mapping[A, Mapping[S, Decimal]],
    min_sample: int = DEFAULT_MIN_SAMPLE,
) -> dict[tuple[A, S], Normalised]:
    """Per-assessor z-score normalisation of one stage's finalised totals (kipp.md §10.2).

    For an assessor ``e`` with at least ``min_sample`` totals and ``σ_e > 0``:
    ``z = (T − μ_e)/σ_e`` and ``N = μ_all + σ_all·z``, with population σ, and μ_all, σ_all
    over every total in the input (including assessors that are not normalised). Otherwise
    ``N = T`` with ``normalised=False``. N is not rounded and not clamped to 0–100; pass it
    to :func:`aggregate` like a raw total.
    """
    if isinstance(min_sample, bool) or not isinstance(min_sample, int) or min_sample < 1:
        raise ValueError(f"min_sample: must be an integer ≥ 1, got {min_sample!r}")
    checked: dict[A, dict[S, Decimal]] = {
        assessor: {
            subject: _as_decimal(total, f"totals_by_assessor[{assessor!r}][{subject!r}]")
            for subject, total in totals.items()
        }
        for assessor, totals in totals_by_assessor.items()
    }
    every_total = [t for totals in checked.values() for t in totals.values()]
    result: dict[tuple[A, S], Normalised] = {}
    if not every_total:
        return result
    with localcontext(_context()):
        mu_all, sigma_all = _mean_and_sigma(every_total)
        for assessor, totals in checked.items():
            own = list(totals.values())
            mu_e, sigma_e = _mean_and_sigma(own) if own else (Decimal(0), Decimal(0))
            usable = len(own) >= min_sample and sigma_e > 0
            for subject, total in totals.items():
                if usable:
                    z = (total - mu_e) / sigma_e
                    result[(assessor, subject)] = Normalised(mu_all + sigma_all * z, True)
                else:
                    result[(assessor, subject)] = Normalised(total, False)
    return result
