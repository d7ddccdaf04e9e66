"""Scores of the inclusive-services evaluation (inclusive.md §4, §5, §6).

- :func:`facilities_level` — a count of verified checklist items → level 0–5 with the
  instrument's rule (``checklist.levels``, §4); PEKPPP indicator 18 uses the same function.
- :func:`checklist_count` — verified checklist item codes (and the ground-floor
  declaration) → the count that :func:`facilities_level` reads.
- :func:`score_levels` / :func:`score_unit` — dimension levels, or verified items, → a
  :class:`UnitScore`: the exact total Σ weight × level / 100, the total rounded to 2 dp
  ROUND_HALF_UP from the exact value, and its band.
- :func:`institution_score` — mean of the units' exact totals, rounded and banded the same way.
- :func:`checklist_prefills` — whether a checklist verified on a date may prefill PEKPPP
  indicator 18 at a deadline (verified within the last 12 months).

Unverified items count as not met: callers pass verified items only. Pure: no ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from prima.core.domain.rounding import round_half_up
from prima.inclusive.domain.instruments import (
    MAX_LEVEL,
    SCORING_CHECKLIST,
    InclusiveInstrument,
)

PREFILL_MONTHS = 12


def facilities_level(instrument: InclusiveInstrument, checked_items: int) -> int:
    """The level (0–5) of ``checked_items`` verified facilities items: the rule is the
    instrument's (inclusive.md §4), never a copy in code."""
    if isinstance(checked_items, bool) or not isinstance(checked_items, int):
        raise TypeError(f"jumlah butir harus bilangan bulat, bukan {checked_items!r}")
    return instrument.checklist_level(checked_items)


def checklist_count(
    instrument: InclusiveInstrument,
    verified: Iterable[str],
    *,
    ground_floor_only: bool = False,
) -> int:
    """How many checklist items count as met.

    ``ground_floor_only``: the unit declared, with a photo, that every public service room is
    on the ground floor; the lift item then counts as met when the instrument says so
    (``vf04_na_counts_as_met``). Unknown codes raise ValueError naming them.
    """
    codes = set(verified)
    unknown = sorted(codes - set(instrument.checklist_codes))
    if unknown:
        raise ValueError(f"butir sarana tidak dikenal: {', '.join(unknown)}")
    if ground_floor_only and instrument.vf04_na_counts_as_met:
        codes.add(instrument.ground_floor_item)
    return len(codes)


@dataclass(frozen=True)
class UnitScore:
    levels: Mapping[str, int]
    total_exact: Fraction
    total: Decimal
    band: str
    role_model_candidate: bool


def _band(instrument: InclusiveInstrument, total_exact: Fraction) -> tuple[Decimal, str]:
    total = round_half_up(total_exact, instrument.places)
    return total, instrument.band_for(total).label


def score_levels(instrument: InclusiveInstrument, levels: Mapping[str, int]) -> UnitScore:
    """Dimension levels (0–5, every dimension) → total and band (§5).

    A missing, unknown or out-of-range level raises ValueError naming the dimension.
    """
    problems = []
    for code in instrument.dimension_codes:
        if code not in levels:
            problems.append(f"{code}: level wajib diisi")
            continue
        level = levels[code]
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= MAX_LEVEL:
            problems.append(f"{code}: level harus bilangan bulat 0–{MAX_LEVEL}, bukan {level!r}")
    problems.extend(
        f"{code}: dimensi tidak dikenal"
        for code in levels
        if code not in instrument.dimension_codes
    )
    if problems:
        raise ValueError("; ".join(problems))
    total_exact = sum(
        (instrument.weight(code) * levels[code] for code in instrument.dimension_codes),
        Fraction(0),
    )
    total, band = _band(instrument, total_exact)
    return UnitScore(
        levels=MappingProxyType({code: levels[code] for code in instrument.dimension_codes}),
        total_exact=total_exact,
        total=total,
        band=band,
        role_model_candidate=band == instrument.role_model_band,
    )


def dimension_levels(
    instrument: InclusiveInstrument,
    facilities: Iterable[str],
    items: Iterable[str],
    *,
    ground_floor_only: bool = False,
) -> dict[str, int]:
    """Verified checklist codes and verified dimension item codes → level per dimension."""
    verified = set(items)
    known = {code for d in instrument.dimensions for code in d.item_codes}
    unknown = sorted(verified - known)
    if unknown:
        raise ValueError(f"butir tidak dikenal: {', '.join(unknown)}")
    count = checklist_count(instrument, facilities, ground_floor_only=ground_floor_only)
    return {
        d.code: (
            instrument.checklist_level(count)
            if d.scoring == SCORING_CHECKLIST
            else len(verified & set(d.item_codes))
        )
        for d in instrument.dimensions
    }


def score_unit(
    instrument: InclusiveInstrument,
    facilities: Iterable[str],
    items: Iterable[str],
    *,
    ground_floor_only: bool = False,
) -> UnitScore:
    """A unit's verified checklist items and dimension items → its score (§5)."""
    return score_levels(
        instrument,
        dimension_levels(instrument, facilities, items, ground_floor_only=ground_floor_only),
    )


@dataclass(frozen=True)
class InstitutionScore:
    units: int
    score_exact: Fraction
    score: Decimal
    band: str


def institution_score(
    instrument: InclusiveInstrument, totals: Iterable[Fraction | Decimal]
) -> InstitutionScore | None:
    """Mean of the exact totals of an institution's verified units (§6); None without units."""
    values = [Fraction(total) for total in totals]
    if not values:
        return None
    mean = sum(values, Fraction(0)) / len(values)
    score, band = _band(instrument, mean)
    return InstitutionScore(units=len(values), score_exact=mean, score=score, band=band)


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def checklist_prefills(verified_on: date, deadline: date) -> bool:
    """A checklist verified within the 12 months up to ``deadline`` prefills indicator 18 (§4)."""
    return _months_before(deadline, PREFILL_MONTHS) <= verified_on <= deadline
