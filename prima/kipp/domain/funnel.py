"""Funnel statistics of an edition, computed from its records (kipp.md §16).

Each step counts proposals and distinct institutions; rates are percentages rounded
ROUND_HALF_UP to 2 decimals (A10: 1,917 passed of 2,454 submitted → 78.12 %).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from prima.kipp.enums import ProposalState as S
from prima.kipp.models import Proposal

AT_UNIT = frozenset({S.DRAFT, S.RETURNED})
AT_INSTITUTION = frozenset({S.AT_INSTITUTION})
NOT_SUBMITTED = AT_UNIT | AT_INSTITUTION
NOMINATED_OR_LATER = frozenset(
    {
        S.NOMINATED,
        S.PANEL_REVIEW,
        S.FINALIST,
        S.NOT_FINALIST,
        S.UNDER_OBJECTION,
        S.CONFIRMED_FINALIST,
        S.PRESENTED,
        S.FIELD_VERIFICATION,
        S.WINNER,
        S.FINALIST_ONLY,
        S.DECREED,
        S.AWARDED,
    }
)
FINALIST_OR_LATER = NOMINATED_OR_LATER - {S.NOMINATED, S.PANEL_REVIEW, S.NOT_FINALIST}

# Breakdowns a funnel can be split by (§16).
BREAKDOWNS = ("group", "category", "institution_kind", "province", "region_3t", "institution")


def rate(part: int, whole: int) -> Decimal | None:
    """`part / whole × 100` to 2 decimals, half up; None when nothing to divide by."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Row:
    """One proposal as the funnel sees it (plain values, from one query)."""

    state: str
    institution: int
    group: str
    category: str
    institution_kind: str
    province: str
    region_3t: bool
    admin_passed: bool | None
    admin_reasons: tuple[str, ...]
    tiers: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    code: str
    proposals: int
    institutions: int


@dataclass(frozen=True)
class Funnel:
    steps: tuple[Step, ...]
    registered_split: Mapping[str, int]  # at_unit / at_institution / submitted
    failed_by_reason: Mapping[str, int]
    tiers: Mapping[str, int]
    pass_rate: Decimal | None
    breakdown: Mapping[str, Mapping[str, Mapping[str, int]]] = field(default_factory=dict)

    def step(self, code: str) -> Step:
        return next(s for s in self.steps if s.code == code)


def _step(code: str, rows: list[Row]) -> Step:
    return Step(code, len(rows), len({r.institution for r in rows}))


def compute_funnel(
    rows: Iterable[Row],
    *,
    breakdowns: Iterable[str] = (),
    winner_tiers: Iterable[str] | None = None,
) -> Funnel:
    """The funnel of §16 over plain rows (withdrawn proposals count as registered only).

    Winners are proposals holding a winner-level tier (`winner_tiers`, from the edition's
    `tiers`); a finalist-only proposal is not a winner even once decreed. Without the list,
    any decreed tier counts.
    """
    rows = list(rows)
    winning = None if winner_tiers is None else frozenset(winner_tiers)
    submitted = [r for r in rows if r.state not in NOT_SUBMITTED and r.state != S.WITHDRAWN]
    passed = [r for r in submitted if r.admin_passed]
    failed = [r for r in submitted if r.admin_passed is False]
    nominated = [r for r in rows if r.state in NOMINATED_OR_LATER]
    finalists = [r for r in rows if r.state in FINALIST_OR_LATER]
    winners = [
        r
        for r in rows
        if r.state in {S.WINNER, S.DECREED, S.AWARDED}
        and (r.tiers if winning is None else winning.intersection(r.tiers))
    ]
    steps = (
        _step("registered", rows),
        _step("submitted", submitted),
        _step("admin_passed", passed),
        _step("admin_failed", failed),
        _step("nominated", nominated),
        _step("finalists", finalists),
        _step("winners", winners),
    )
    reasons: Counter[str] = Counter()
    for r in failed:
        reasons.update(set(r.admin_reasons))
    tiers: Counter[str] = Counter()
    for r in rows:
        tiers.update(r.tiers)
    split = {
        "at_unit": sum(1 for r in rows if r.state in AT_UNIT),
        "at_institution": sum(1 for r in rows if r.state in AT_INSTITUTION),
        "submitted": len(submitted),
    }
    by: dict[str, dict[str, dict[str, int]]] = {}
    for name in breakdowns:
        table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for label, members in (
            ("registered", rows),
            ("submitted", submitted),
            ("admin_passed", passed),
            ("nominated", nominated),
            ("finalists", finalists),
            ("winners", winners),
        ):
            for r in members:
                table[str(getattr(r, name))][label] += 1
        by[name] = {key: dict(value) for key, value in sorted(table.items())}
    return Funnel(
        steps=steps,
        registered_split=split,
        failed_by_reason=dict(reasons.most_common()),
        tiers=dict(sorted(tiers.items())),
        pass_rate=rate(len(passed), len(submitted)),
        breakdown=by,
    )


def winner_tiers_of(edition: Any) -> frozenset[str]:
    """The winner-level tier codes of the edition's rule set (kipp.md §6 `tiers`)."""
    return frozenset(
        str(tier.get("code"))
        for tier in (edition.rules or {}).get("tiers", [])
        if isinstance(tier, dict) and tier.get("level") == "winner"
    )


def edition_funnel(edition: Any, *, breakdowns: Iterable[str] = ()) -> Funnel:
    """The funnel of one edition from its records."""
    return compute_funnel(
        rows_for_edition(edition), breakdowns=breakdowns, winner_tiers=winner_tiers_of(edition)
    )


def rows_for_edition(edition: Any) -> list[Row]:
    """The edition's proposals as funnel rows, in one query."""
    values = Proposal.objects.filter(edition=edition).values_list(
        "state",
        "institution_id",
        "group",
        "category",
        "subject__institution_kind",
        "subject__province",
        "subject__region_3t",
        "admin_check__passed",
        "admin_check__reasons",
        "tiers",
    )
    return [
        Row(
            state=state,
            institution=institution,
            group=group,
            category=category,
            institution_kind=kind,
            province=province or "",
            region_3t=bool(region_3t),
            admin_passed=passed,
            admin_reasons=tuple(reasons or ()),
            tiers=tuple(tiers or ()),
        )
        for (
            state,
            institution,
            group,
            category,
            kind,
            province,
            region_3t,
            passed,
            reasons,
            tiers,
        ) in values
    ]
