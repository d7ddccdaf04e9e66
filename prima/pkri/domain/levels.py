"""Suggested indicator levels 0–4 from form data (pkri.md §7.1; acceptance examples B3, B5).

The assessor confirms or changes each suggestion. Judgement indicators (R2) get none.
Where a rule leaves a case open, the choice is written next to it. Input is the form's
answer data as stored (``SelfAssessment.data``, contract shapes); unusable values count
as absent.

The bands (at which count, share or change each level starts) are instrument data, read
by :func:`prima.pkri.domain.config.level_bands_of` and passed in as :class:`LevelBands`;
without them the Prima default instrument's bands apply. This module measures each
indicator's value and holds the rules that are not bands (categories, special cases).

Pure: no ORM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from prima.core.dates import add_months
from prima.evaluation.domain.level_bands import Threshold, level_for
from prima.pkri.domain.config import LevelBands, default_level_bands
from prima.pkri.domain.indicators import LocusIndicators

REGULATION_TYPES = frozenset({"perda", "perkada", "permen", "peraturan_lembaga"})
CONFIRMED_LINK_STATES = frozenset({"confirmed", "verified"})


# --------------------------------------------------------------------------- band helpers


def share_level(share: Decimal, thresholds: Sequence[Threshold] | None = None) -> int:
    """P7 and P8 from a share 0–1 (default: P8's bands, 0%→0, <25%→1, <50%→2, <75%→3,
    ≥75%→4)."""
    return level_for(share, default_level_bands().of("p8") if thresholds is None else thresholds)


def beneficiary_trend_level(
    base: int, last: int, thresholds: Sequence[Threshold] | None = None
) -> int:
    """K3 and R3: change c = (last − base) / base read in the bands (B3; default K3's:
    c < −10% → 0; −10% ≤ c ≤ 0 → 1; 0 < c ≤ 25% → 2; 25% < c ≤ 100% → 3; c > 100% → 4).

    A base of 0: rising to a positive count → the top level, staying 0 → 0. Exact
    rational arithmetic.
    """
    bands = default_level_bands().of("k3") if thresholds is None else thresholds
    if base <= 0:
        return max((t.level for t in bands), default=0) if last > 0 else 0
    return level_for(Fraction(last - base, base), bands)


# --------------------------------------------------------------------------- reading data


def _rows(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = data.get(key)
    return [row for row in value if isinstance(row, Mapping)] if isinstance(value, list) else []


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _count_by_year(rows: Iterable[Mapping[str, Any]], key: str) -> dict[int, int]:
    """Year → the row's ``key`` value (the first valid row of each year)."""
    found: dict[int, int] = {}
    for row in rows:
        year, value = _int(row.get("year")), _int(row.get(key))
        if year is not None and value is not None and year not in found:
            found[year] = value
    return found


def _trend(
    data: Mapping[str, Any], base_year: int | None, last_year: int, bands: Sequence[Threshold]
) -> int:
    """K3/R3 from the beneficiary rows; 0 when the base or last year has no count."""
    counts = _count_by_year(_rows(data, "beneficiaries"), "count")
    if base_year is None or base_year not in counts or last_year not in counts:
        return 0
    return beneficiary_trend_level(counts[base_year], counts[last_year], bands)


def _document_exists(data: Mapping[str, Any], key: str) -> bool:
    doc = data.get(key)
    return isinstance(doc, Mapping) and doc.get("exists") is True


def _institutionalisation(data: Mapping[str, Any]) -> int:
    """K4: legal basis, SOP, team decree present → 0–3; all three with a regulation → 4."""
    legal = _rows(data, "legal_basis")
    present = sum(
        (bool(legal), _document_exists(data, "sop"), _document_exists(data, "team_decree"))
    )
    if present == 3 and any(row.get("type") in REGULATION_TYPES for row in legal):
        return 4
    return present


def _budget(data: Mapping[str, Any], edition_year: int, bands: LevelBands) -> int:
    """K5: of the last 3 full years, those whose amounts sum above 0."""
    totals: dict[int, int] = {}
    for row in _rows(data, "budget"):
        year, amount = _int(row.get("year")), _int(row.get("amount"))
        if year is not None and amount is not None and row.get("source") != "none":
            totals[year] = totals.get(year, 0) + amount
    funded = sum(1 for year in range(edition_year - 3, edition_year) if totals.get(year, 0) > 0)
    return level_for(funded, bands.of("k5"))


# --------------------------------------------------------------------------- sustainability


def _continuity(data: Mapping[str, Any], award_year: int, long_months: int) -> int:
    """K1. Interruptions ending before the award year are not counted (§6.1: "since");
    one of ``long_months`` or more is long."""
    if data.get("still_running") is not True:
        return 0
    since = dt.date(award_year, 1, 1)
    longest_long = False
    interrupted = False
    for row in _rows(data, "interruptions"):
        start, end = _date(row.get("from")), _date(row.get("to"))
        if start is None or end is None or end < since:
            continue
        interrupted = True
        if end >= add_months(start, long_months):
            longest_long = True
    if longest_long:
        return 1
    if interrupted:
        return 2
    return 4 if data.get("coverage_expanded") is True else 3


def _improvements(
    data: Mapping[str, Any], first_year: int, edition_year: int, bands: LevelBands
) -> int:
    """K2: improvement rows whose year lies between the award year and the edition year."""
    years = (_int(row.get("year")) for row in _rows(data, "improvements"))
    count = sum(1 for y in years if y is not None and first_year <= y <= edition_year)
    return level_for(count, bands.of("k2"))


def _latest_evaluation(data: Mapping[str, Any], today: dt.date, recent_years: int) -> int:
    """K6 (recent: within ``recent_years``, 3 by default). An external evaluation that is
    not recent counts like an old internal one (1)."""
    found = data.get("latest_evaluation")
    if not isinstance(found, Mapping):
        return 0
    day = _date(found.get("date"))
    if day is None:
        return 0
    recent = day >= add_months(today, -12 * recent_years)
    if not recent:
        return 1
    if found.get("kind") != "external":
        return 2
    return 4 if found.get("follow_up") == "yes" else 3


def sustainability_levels(
    data: Mapping[str, Any],
    *,
    award_year: int,
    edition_year: int,
    today: dt.date,
    bands: LevelBands | None = None,
) -> dict[str, int]:
    """Suggested K1–K6 of a sustainability form (``bands``: the instrument's level bands,
    default those of the Prima default instrument)."""
    bands = bands or default_level_bands()
    return {
        "k1": _continuity(data, award_year, bands.long_interruption_months),
        "k2": _improvements(data, award_year, edition_year, bands),
        "k3": _trend(data, award_year, edition_year - 1, bands.of("k3")),
        "k4": _institutionalisation(data),
        "k5": _budget(data, edition_year, bands),
        "k6": _latest_evaluation(data, today, bands.recent_evaluation_years),
    }


# --------------------------------------------------------------------------- replication


def _link_documentation(data: Mapping[str, Any], link_status: str | None) -> int:
    """R1 (1 and 3 are the assessor's): an agreement/MoU or a confirmed link → 4; the form's
    statement of an original → 2; nothing → 0."""
    relationship = data.get("relationship")
    if link_status in CONFIRMED_LINK_STATES or (
        isinstance(relationship, list) and "agreement" in relationship
    ):
        return 4
    return 2 if _int(data.get("original_innovation")) is not None else 0


def _replica_base_year(data: Mapping[str, Any]) -> int | None:
    started = _date(data.get("replication_started")) or _date(data.get("running_since"))
    return started.year if started else None


def replication_levels(
    data: Mapping[str, Any],
    *,
    edition_year: int,
    today: dt.date,
    link_status: str | None = None,
    bands: LevelBands | None = None,
) -> dict[str, int]:
    """Suggested R1, R3, R4, R5 of a replication form (R2 is judgement: absent).

    ``link_status`` is the status of the form's ReplicationLink to its original, when
    known; ``confirmed``/``verified`` counts as confirmation by the original's institution.
    ``bands``: the instrument's level bands (default those of the Prima default instrument).
    """
    bands = bands or default_level_bands()
    k4 = _institutionalisation(data)
    k5 = _budget(data, edition_year, bands)
    onward = len(_rows(data, "onward_replications"))
    return {
        "r1": _link_documentation(data, link_status),
        "r3": _trend(data, _replica_base_year(data), edition_year - 1, bands.of("r3")),
        "r4": (k4 + k5 + 1) // 2,  # mean rounded half up
        "r5": level_for(onward, bands.of("r5")),
    }


# --------------------------------------------------------------------------- coaching

POLICY_LEVELS: Mapping[str, int] = {
    "surat_edaran": 1,
    "other": 1,  # an unnamed kind of document: treated like a circular letter
    "sk_kepala": 2,
    "perkada": 3,
    "permen": 3,
    "peraturan_lembaga": 3,
}


def _policy(data: Mapping[str, Any]) -> int:
    """P1: the strongest policy document; a regulation in the strategic plan → 4."""
    best = max(
        (POLICY_LEVELS.get(str(r.get("type")), 0) for r in _rows(data, "coaching_policy")),
        default=0,
    )
    return 4 if best == 3 and data.get("in_strategic_plan") is True else best


def _in_lookback(row: Mapping[str, Any], lookback: tuple[int, int]) -> bool:
    year = _int(row.get("year"))
    return year is not None and lookback[0] <= year <= lookback[1]


def _competition(data: Mapping[str, Any], lookback: tuple[int, int], bands: LevelBands) -> int:
    """P3: years held in the lookback read in the bands (0–3 → 0, 2, 3, 4); none held but
    ``decree_only`` → 1."""
    rows = [row for row in _rows(data, "internal_competition") if _in_lookback(row, lookback)]
    held = len({row["year"] for row in rows if row.get("held") is True})
    if held:
        return level_for(held, bands.of("p3"))
    return 1 if any(row.get("decree_only") is True for row in rows) else 0


def _registered(
    data: Mapping[str, Any],
    derived: LocusIndicators,
    lookback: tuple[int, int],
    bands: LevelBands,
) -> int:
    """P4: mean per lookback year of KIPP (system) + internal registrations.

    KIPP counts come from ``derived.kipp_registrations``; a year missing there falls back
    to the form's system-filled ``kipp_registered``.
    """
    form_kipp = _count_by_year(_rows(data, "innovations_registered"), "kipp_registered")
    internal = _count_by_year(_rows(data, "innovations_registered"), "internal_registered")
    years = range(lookback[0], lookback[1] + 1)
    total = sum(
        derived.kipp_registrations.get(y, form_kipp.get(y, 0)) + internal.get(y, 0) for y in years
    )
    mean = Fraction(total, len(years)) if len(years) else Fraction(0)
    return level_for(mean, bands.of("p4"))


def _facilitation(
    data: Mapping[str, Any],
    derived: LocusIndicators,
    lookback: tuple[int, int],
    bands: LevelBands,
) -> int:
    """P9: confirmed/verified replications out plus facilitation rows with evidence."""
    rows = sum(
        1
        for row in _rows(data, "replication_facilitation")
        if _in_lookback(row, lookback) and _int(row.get("evidence")) is not None
    )
    return level_for(derived.replications_out + rows, bands.of("p9"))


def coaching_levels(
    data: Mapping[str, Any],
    derived: LocusIndicators,
    *,
    lookback: tuple[int, int],
    bands: LevelBands | None = None,
) -> dict[str, int]:
    """Suggested P1–P9 of a coaching form and its locus's derived indicators (``bands``:
    the instrument's level bands, default those of the Prima default instrument)."""
    bands = bands or default_level_bands()
    programme_years = {
        (row.get("name"), row["year"])
        for row in _rows(data, "creation_programmes")
        if _in_lookback(row, lookback)
    }
    activities = sum(
        1 for row in _rows(data, "development_activities") if _in_lookback(row, lookback)
    )
    funded = sum(
        1
        for year, amount in _count_by_year(_rows(data, "coaching_budget"), "amount").items()
        if lookback[0] <= year <= lookback[1] and amount > 0
    )
    return {
        "p1": _policy(data),
        "p2": level_for(len(programme_years), bands.of("p2")),
        "p3": _competition(data, lookback, bands),
        "p4": _registered(data, derived, lookback, bands),
        "p5": level_for(activities, bands.of("p5")),
        "p6": level_for(funded, bands.of("p6")),
        "p7": share_level(derived.institutionalised_share, bands.of("p7")),
        "p8": share_level(derived.sustained_share, bands.of("p8")),
        "p9": _facilitation(data, derived, lookback, bands),
    }
