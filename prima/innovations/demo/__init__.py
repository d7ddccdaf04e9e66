"""Demo data of the replication network (JIPP, pkri.md §9), loaded after PKRI's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prima.core.demo.plan import DemoPlan
from prima.innovations.demo import catalogue, exchange, hubs, links
from prima.innovations.models import Innovation


def load_jipp_demo(plan: DemoPlan, innovations: Sequence[Innovation]) -> dict[str, Any]:
    counts: dict[str, Any] = {}
    for area in (links, hubs, catalogue, exchange):
        counts.update(area.load(plan, innovations))
    return counts
