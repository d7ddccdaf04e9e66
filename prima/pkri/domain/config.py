"""A PKRI edition's rule set (pkri.md §5.1): read from YAML, validated, and typed.

`edition.rules` holds the plain data (dates as ISO strings); :func:`rules_of` turns it
into :class:`PkriRules` for the domain code; :func:`rules_for` is the one accessor of an
edition's typed rules.

The level bands of the desk instruments (pkri.md §7.1) are instrument data (the
``level_rules`` block of ``instruments/pkri-2024.yaml``): :func:`level_bands_of` reads
them from an instrument into :class:`LevelBands`, naming each missing or unusable entry
by its path. Pure: no ORM.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from prima.core.domain.errors import DomainError
from prima.core.enums import InstitutionKind
from prima.evaluation.domain.instruments import Instrument, load_instrument
from prima.evaluation.domain.level_bands import LEVEL_RULES, Threshold
from prima.evaluation.domain.yamlcheck import Problem, ProblemsError
from prima.pkri.enums import Group

# Kinds ranked separately in the coaching group (pkri.md §7.4), in display order.
RANKED_KINDS: tuple[str, ...] = (
    InstitutionKind.MINISTRY,
    InstitutionKind.AGENCY,
    InstitutionKind.PROVINCE,
    InstitutionKind.REGENCY,
    InstitutionKind.CITY,
    InstitutionKind.STATE_ENTERPRISE,
)
LEVEL_BREAKER_PREFIX = "level:"


class RulesError(ProblemsError):
    title = "aturan PKRI tidak sah"


@dataclass(frozen=True)
class Shortlist:
    size: int
    min_desk_score: Decimal
    require_running: bool


@dataclass(frozen=True)
class GroupRules:
    code: str
    form: str
    interview: bool
    award_title: str
    # Coaching group: ranked within institution kind with slots per kind.
    award_slots: Mapping[str, int] = field(default_factory=dict)
    min_final_score: Decimal | None = None
    tie_breakers: tuple[str, ...] = ()
    # Object groups: a shortlist for the interview and a number of awards.
    shortlist: Shortlist | None = None
    awards: int | None = None

    @property
    def award_count(self) -> int:
        return sum(self.award_slots.values()) if self.award_slots else (self.awards or 0)


@dataclass(frozen=True)
class AwardEventRules:
    date: dt.date
    name: str
    venue: str


@dataclass(frozen=True)
class PkriRules:
    code: str
    year: int
    title: str
    instrument_code: str
    instrument_version: int
    announcement_number: str
    announcement_date: dt.date | None
    source_years: tuple[int, int]
    source_levels: tuple[str, ...]
    include_replications: bool
    both_policy: str
    expected_counts: Mapping[str, Any]
    self_assessment: tuple[dt.date, dt.date]
    desk_evaluation: tuple[dt.date, dt.date] | None
    interviews: tuple[dt.date, dt.date] | None
    award_event: AwardEventRules | None
    lookback_years: tuple[int, int]
    groups: Mapping[str, GroupRules]
    assessors_per_form: int
    points_per_level: int
    disagreement_range: Decimal
    panelists_per_slot: int
    interview_minutes: int
    final_with_interview: tuple[Decimal, Decimal]  # (desk, interview)
    publish_scores: bool
    publish_ranks: bool
    total_awards: int | None

    def group(self, code: str) -> GroupRules:
        return self.groups[code]

    @property
    def lookback(self) -> range:
        return range(self.lookback_years[0], self.lookback_years[1] + 1)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _span(value: Any) -> tuple[dt.date, dt.date]:
    first, last = value
    return _date(first), _date(last)


def json_ready(value: Any) -> Any:
    """YAML data as JSON-storable data (dates as ISO strings, Decimals as strings)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value


def read_rules_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The validated, JSON-ready rule data of an edition file; RulesError names each problem."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    data = json_ready(data)
    problems = validate(data)
    if problems:
        raise RulesError(problems)
    return data


def validate(data: Any) -> list[Problem]:
    """Every problem of a rule set, each with its path; empty when `rules_of` will work."""
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        return [Problem("(akar)", "harus berupa pemetaan")]
    for key in ("edition", "scope", "calendar", "lookback_years", "groups", "desk_evaluation"):
        if key not in data:
            problems.append(Problem(key, "wajib diisi"))
    if problems:
        return problems
    if data["edition"].get("programme") != "pkri":
        problems.append(Problem("edition.programme", "harus 'pkri'"))
    groups = data["groups"]
    for code in groups:
        if code not in Group.values:
            problems.append(
                Problem(f"groups.{code}", f"tidak dikenal; pilih {', '.join(Group.values)}")
            )
    for code, group in groups.items():
        if code == Group.PEMBINAAN:
            for kind in group.get("award_slots", {}):
                if kind not in RANKED_KINDS:
                    problems.append(
                        Problem(f"groups.{code}.award_slots.{kind}", "jenis instansi tidak dikenal")
                    )
            for breaker in group.get("tie_breakers", []):
                if not str(breaker).startswith(LEVEL_BREAKER_PREFIX):
                    problems.append(
                        Problem(f"groups.{code}.tie_breakers", f"{breaker!r}: pakai level:<kode>")
                    )
        elif code in Group.values and ("shortlist" not in group or "awards" not in group):
            problems.append(Problem(f"groups.{code}", "shortlist dan awards wajib diisi"))
        if "award" not in group:
            problems.append(Problem(f"groups.{code}.award", "nama penghargaan wajib diisi"))
    try:
        rules = rules_of(data)
    except (KeyError, TypeError, ValueError) as error:
        problems.append(Problem("(akar)", f"tidak dapat dibaca: {error}"))
        return problems
    first, last = rules.self_assessment
    if last < first:
        problems.append(Problem("calendar.self_assessment", "tanggal akhir sebelum tanggal mulai"))
    if rules.total_awards is not None:
        total = sum(g.award_count for g in rules.groups.values())
        if total != rules.total_awards:
            problems.append(
                Problem(
                    "totals_check.awards",
                    f"jumlah penghargaan kelompok {total}, tertulis {rules.total_awards}",
                )
            )
    return problems


def _group(code: str, data: Mapping[str, Any]) -> GroupRules:
    shortlist = data.get("shortlist")
    return GroupRules(
        code=code,
        form=data["form"],
        interview=bool(data.get("interview", False)),
        award_title=data["award"],
        award_slots={str(k): int(v) for k, v in (data.get("award_slots") or {}).items()},
        min_final_score=(
            None if data.get("min_final_score") is None else Decimal(str(data["min_final_score"]))
        ),
        tie_breakers=tuple(data.get("tie_breakers") or ()),
        shortlist=(
            Shortlist(
                size=int(shortlist["size"]),
                min_desk_score=Decimal(str(shortlist.get("min_desk_score", 0))),
                require_running=bool(shortlist.get("require_running", True)),
            )
            if shortlist
            else None
        ),
        awards=int(data["awards"]) if data.get("awards") is not None else None,
    )


def _group_position(code: str) -> int:
    return Group.values.index(code) if code in Group.values else len(Group.values)


def rules_of(data: Mapping[str, Any]) -> PkriRules:
    """The typed rule set of validated plain data (`edition.rules`)."""
    edition = data["edition"]
    scope = data["scope"]
    calendar = data["calendar"]
    announcement = edition.get("announcement") or {}
    event = calendar.get("award_event")
    desk = data["desk_evaluation"]
    interview = data.get("interview") or {}
    minutes = interview.get("minutes") or {"talk": 7, "interview": 13}
    final = (data.get("final_score") or {}).get("with_interview") or {"desk": 0.6, "interview": 0.4}
    publication = data.get("publication") or {}
    instrument = edition.get("instrument") or {}
    return PkriRules(
        code=edition["code"],
        year=int(edition["year"]),
        title=edition.get("title") or f"PKRI {edition['year']}",
        instrument_code=instrument.get("code", "pkri-default-v1"),
        instrument_version=int(instrument.get("version", 1)),
        announcement_number=announcement.get("number", ""),
        announcement_date=_date(announcement["date"]) if announcement.get("date") else None,
        source_years=(int(scope["source_years"][0]), int(scope["source_years"][1])),
        source_levels=tuple(scope.get("source_levels") or ("finalist", "winner")),
        include_replications=bool(scope.get("include_replications", True)),
        both_policy=scope.get("both_policy", Group.KEBERLANJUTAN),
        expected_counts=scope.get("expected_counts") or {},
        self_assessment=_span(calendar["self_assessment"]),
        desk_evaluation=(
            _span(calendar["desk_evaluation"]) if calendar.get("desk_evaluation") else None
        ),
        interviews=_span(calendar["interviews"]) if calendar.get("interviews") else None,
        award_event=(
            AwardEventRules(_date(event["date"]), event["name"], event.get("venue", ""))
            if event
            else None
        ),
        lookback_years=(int(data["lookback_years"][0]), int(data["lookback_years"][1])),
        # In the spec's order (pkri.md §4), not the stored order: PostgreSQL's jsonb does
        # not keep the order of keys.
        groups={
            code: _group(code, data["groups"][code])
            for code in sorted(data["groups"], key=_group_position)
        },
        assessors_per_form=int(desk.get("assessors_per_form", 2)),
        points_per_level=int(desk.get("points_per_level", 25)),
        disagreement_range=Decimal(str(desk.get("disagreement_range", 15))),
        panelists_per_slot=int(interview.get("panelists_per_slot", 3)),
        interview_minutes=int(minutes.get("talk", 7)) + int(minutes.get("interview", 13)),
        final_with_interview=(Decimal(str(final["desk"])), Decimal(str(final["interview"]))),
        publish_scores=bool(publication.get("publish_scores", False)),
        publish_ranks=bool(publication.get("publish_ranks", False)),
        total_awards=(data.get("totals_check") or {}).get("awards"),
    )


def rules_for(edition: Any) -> PkriRules:
    """The typed rules of a PKRI edition (`edition.rules`, validated when it was created).

    A rule set that cannot be read is refused by name with a DomainError listing the
    first problems.
    """
    try:
        return rules_of(edition.rules or {})
    except (RulesError, KeyError, TypeError, ValueError, AttributeError) as error:
        problems = validate(edition.rules or {})
        listed = "; ".join(f"{p.path}: {p.message}" for p in problems[:3]) or str(error)
        raise DomainError(
            _("Aturan PKRI %(edition)s tidak sah: %(problems)s")
            % {"edition": edition.code, "problems": listed}
        ) from error


# --------------------------------------------------------------------------- level bands

# The Prima default instrument, whose level rules apply when none are given.
DEFAULT_INSTRUMENT = Path(__file__).resolve().parents[3] / "instruments" / "pkri-2024.yaml"
# Indicators whose suggested level is read from bands (pkri.md §7.1), and the numbers of
# the other rules, all required in an instrument's level_rules.
BANDED_INDICATORS: tuple[str, ...] = (
    "k2", "k3", "k5", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "r3", "r5",
)  # fmt: skip
LEVEL_PARAMETERS: tuple[str, ...] = ("long_interruption_months", "recent_evaluation_years")


class LevelRulesError(ProblemsError):
    title = "aturan level PKRI tidak sah"


@dataclass(frozen=True)
class LevelBands:
    """The level rules of pkri.md §7.1 as plain values: thresholds per banded indicator
    (see :func:`prima.evaluation.domain.level_bands.level_for`) and K1's and K6's numbers."""

    bands: Mapping[str, tuple[Threshold, ...]]
    long_interruption_months: int
    recent_evaluation_years: int

    def of(self, code: str) -> tuple[Threshold, ...]:
        return self.bands[code]


def level_band_problems(instrument: Instrument) -> list[Problem]:
    """What keeps the instrument's level rules from serving PKRI, each at its path."""
    rules = instrument.level_rules
    if rules is None:
        return [Problem(LEVEL_RULES, "wajib diisi untuk instrumen PKRI")]
    problems = [
        Problem(f"{LEVEL_RULES}.bands.{code}", "wajib diisi")
        for code in BANDED_INDICATORS
        if code not in rules.bands
    ]
    for name in LEVEL_PARAMETERS:
        value = rules.parameters.get(name)
        path = f"{LEVEL_RULES}.parameters.{name}"
        if value is None:
            problems.append(Problem(path, "wajib diisi"))
        elif value != value.to_integral_value() or value < 1:
            problems.append(Problem(path, f"harus bilangan bulat ≥ 1, bukan {value}"))
    return problems


def level_bands_of(instrument: Instrument) -> LevelBands:
    """The PKRI level bands of an instrument; LevelRulesError names every problem."""
    problems = level_band_problems(instrument)
    if problems:
        raise LevelRulesError(problems)
    rules = instrument.level_rules
    assert rules is not None
    return LevelBands(
        bands={code: rules.bands[code] for code in BANDED_INDICATORS},
        long_interruption_months=int(rules.parameters["long_interruption_months"]),
        recent_evaluation_years=int(rules.parameters["recent_evaluation_years"]),
    )


@functools.cache
def default_level_bands() -> LevelBands:
    """The level bands of the Prima default instrument (``instruments/pkri-2024.yaml``)."""
    return level_bands_of(load_instrument(DEFAULT_INSTRUMENT))
