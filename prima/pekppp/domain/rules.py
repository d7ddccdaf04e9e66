"""Suggested levels from F-01 answers (pekppp.md §5 scoring types, §6 named rules).

The evaluator's F-02 score is final; these functions only suggest. Each returns a level
0–5, or None where §6 says Prima suggests nothing (``complaint_resolution`` with nothing
received). Percentages are compared exactly (``Fraction``); month arithmetic uses
calendar months and a date on the boundary satisfies the bound.

This module is pure: no ORM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from fractions import Fraction
from typing import Any

from dateutil.relativedelta import relativedelta

from prima.pekppp.domain.instruments import Indicator

ALL_COMPONENTS = 6
PERFORMANCE = "Performance"
MAX_LEVEL = 5


def ladder(conditions: Sequence[bool]) -> int:
    """Number of consecutive conditions met from the first (condition k = level k)."""
    level = 0
    for met in conditions[:MAX_LEVEL]:
        if not met:
            break
        level += 1
    return level


def checklist(count_to_level: Sequence[tuple[int, int]], ticked: int, *, gate: bool = True) -> int:
    """Ticked-item count → level by ``[minimum count, level]`` pairs; gate false or below → 0."""
    if not gate:
        return 0
    level = 0
    for minimum, value in count_to_level:
        if ticked >= minimum:
            level = value
    return level


def publication_media(components: int, media: int, in_sippn: bool) -> int:
    """Indicator 3: published delivery components, distinct media besides SIPPN, SIPPN."""
    if components <= 0:
        return 0
    if components < ALL_COMPONENTS:
        return 1
    if not in_sippn:
        return 1 if media <= 1 else 2
    if media <= 1:
        return 2  # Prima's default, not published
    return min(media + 1, MAX_LEVEL)


def review_cycle(interval_months: int | None, coverage: str) -> int:
    """Indicator 4: months between the last two reviews (None: never), ``some``/``all``."""
    if interval_months is None:
        return 0
    if interval_months > 24:
        return 1
    everything = coverage == "all"
    if interval_months > 12:
        return 3 if everything else 2
    return 5 if everything else 4


def rtl_percentage(planned: int, realised: int) -> int:
    """Indicator 8: share of the reference SKM's follow-up items realised."""
    if planned <= 0:
        return 0
    percent = Fraction(realised * 100, planned)
    if percent == 0:
        return 1
    if percent < 30:
        return 2
    if percent <= 80:
        return 3
    if percent < 100:
        return 4
    return 5


def rtl_speed(report_date: dt.date, completed_date: dt.date | None) -> int:
    """Indicator 9: smallest m ∈ {1, 3, 6, 9, 12} with completion ≤ report + m months."""
    if completed_date is None:
        return 0
    for months, level in ((1, 5), (3, 4), (6, 3), (9, 2), (12, 1)):
        if completed_date <= report_date + relativedelta(months=months):
            return level
    return 0


def award_criteria(ticked: Collection[str]) -> int:
    """Indicator 13: number of criteria and whether "Performance" is among them."""
    count = len(ticked)
    if count == 0:
        return 0
    if PERFORMANCE not in ticked:
        return 1 if count <= 2 else 2
    if count <= 2:
        return 3
    return 4 if count <= 4 else 5


def complaint_resolution(
    received: int, resolved: int, via_lapor: bool, *, channel: bool = True
) -> int | None:
    """Indicator 28: share resolved in the previous year; None when nothing was received."""
    if received <= 0:
        return 0 if not channel else None
    percent = Fraction(resolved * 100, received)
    if not via_lapor:
        return 1 if percent < 50 else 2
    if percent < 50:
        return 3
    return 4 if percent < 90 else 5


def innovation_resources(legal_basis: str, resources: int) -> int:
    """Indicator 30: legal basis none/draft/adopted, then + one level per resource."""
    if legal_basis == "draft":
        return 1
    if legal_basis == "adopted":
        return min(2 + resources, MAX_LEVEL)
    return 0


RULES: Mapping[str, Callable[..., int | None]] = {
    "publication_media": publication_media,
    "review_cycle": review_cycle,
    "rtl_percentage": rtl_percentage,
    "rtl_speed": rtl_speed,
    "award_criteria": award_criteria,
    "complaint_resolution": complaint_resolution,
    "innovation_resources": innovation_resources,
}


def suggest(indicator: Indicator, answer: Mapping[str, Any]) -> int | None:
    """The suggested level of one F-01 answer, by the indicator's scoring type.

    ``ladder``: ``{"conditions": [bool × 5]}``; ``checklist``: ``{"gate": bool, "ticked":
    [item, …]}`` (distinct items counted); ``choice``: ``{"level": n}``; ``rule``: the
    keyword inputs of the named rule.
    """
    if indicator.scoring == "ladder":
        return ladder(answer["conditions"])
    if indicator.scoring == "checklist":
        gate = bool(answer.get("gate", True)) if indicator.gate else True
        return checklist(indicator.count_to_level, len(set(answer["ticked"])), gate=gate)
    if indicator.scoring == "choice":
        level = answer["level"]
        return level if isinstance(level, int) and 0 <= level <= MAX_LEVEL else None
    assert indicator.rule is not None
    return RULES[indicator.rule](**answer)
