"""Derived locus indicators of the coaching group (pkri.md §6.3; acceptance example B5).

Computed by the system from the locus's object forms and replication links, never typed
in. A missing form (``running is None``) counts as not running and as not institutionalised.

Pure: no ORM.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class ObjectFacts:
    """What one in-scope object's submitted form says; ``running`` None = form missing."""

    running: bool | None
    legal_basis: bool
    sop: bool


@dataclass(frozen=True)
class LocusIndicators:
    objects_total: int
    sustained_share: Decimal  # 0–1
    institutionalised_share: Decimal  # 0–1
    replications_out: int  # confirmed + verified, started in the lookback years
    replications_out_claimed: int  # claimed only, shown separately
    kipp_registrations: Mapping[int, int] = field(default_factory=dict)  # year → proposals


def share(part: int, whole: int) -> Decimal:
    """``part / whole`` as an exact-enough Decimal; 0 when there is nothing to divide."""
    return Decimal(part) / Decimal(whole) if whole else Decimal(0)


def locus_indicators(
    objects: Sequence[ObjectFacts],
    replications_out: int,
    replications_out_claimed: int,
    kipp_registrations: Mapping[int, int],
) -> LocusIndicators:
    """The derived indicators of one locus from the facts of each of its objects."""
    total = len(objects)
    running = sum(1 for o in objects if o.running is True)
    institutionalised = sum(1 for o in objects if o.running is not None and o.legal_basis and o.sop)
    return LocusIndicators(
        objects_total=total,
        sustained_share=share(running, total),
        institutionalised_share=share(institutionalised, total),
        replications_out=replications_out,
        replications_out_claimed=replications_out_claimed,
        kipp_registrations=dict(kipp_registrations),
    )
