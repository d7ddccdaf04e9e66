"""The KIPP demo plan as plain values: editions, proposals, people, reviews, publications.

`prima.kipp.demo.plan` builds a `KippPlan`; `prima.kipp.demo.loader` writes it. Proposals
and assignments are keyed by (edition code, innovation index in the national plan),
people by username, so the plan needs no database ids.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from prima.evaluation.domain.instruments import Instrument
from prima.kipp.demo import people
from prima.kipp.domain.stages import StageTemplate


@dataclass(frozen=True)
class StageSpec:
    template: StageTemplate
    position: int
    status: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None


@dataclass
class EditionSpec:
    code: str
    year: int
    ordinal: int
    title: str
    theme: str
    legal_refs: list[str]
    state: str
    rules: dict[str, Any]  # JSON-ready
    rules_frozen_at: dt.datetime
    instrument: str  # instrument code
    region_3t_codes: list[str]
    registration_close: dt.datetime
    stages: list[StageSpec]


@dataclass(frozen=True)
class Transition:
    from_state: str
    to_state: str
    at: dt.datetime
    by_secretariat: bool = False
    reason: str = ""


@dataclass(frozen=True)
class AdminSpec:
    automatic: list[dict[str, Any]]
    overrides: list[dict[str, Any]]
    passed: bool
    reasons: list[str]
    note: str
    decided_at: dt.datetime


@dataclass
class ProposalSpec:
    edition: str
    innovation: int  # index into DemoPlan.innovations
    title: str
    group: str
    category: str
    sdg_goals: list[int]
    answers: dict[str, str]
    video_url: str
    video_minutes: Decimal | None
    declaration: bool
    state: str
    created_at: dt.datetime
    transitions: list[Transition]
    attachments: tuple[str, ...]
    institution: str  # institution name
    institution_kind: str
    province: str  # local institutions only
    region_3t: bool
    text: str  # the subject text matched against expertise
    submitted_at: dt.datetime | None = None
    admin: AdminSpec | None = None
    desk_score: Decimal | None = None
    final_score: Decimal | None = None
    tiers: list[str] = field(default_factory=list)
    subject_active: bool = False
    # Extra form code → answers (the SPBE form of editions from 2023).
    extra_answers: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, int]:
        return (self.edition, self.innovation)

    @property
    def state_changed_at(self) -> dt.datetime:
        return self.transitions[-1].at

    @property
    def state_reason(self) -> str:
        return self.transitions[-1].reason


@dataclass(frozen=True)
class PersonSpec:
    username: str
    full_name: str
    position: str
    role: str  # national membership role: evaluator | panelist
    expertise: str = ""
    exists: bool = False  # a demo login created by the national demo


@dataclass(frozen=True)
class AppointmentSpec:
    edition: str
    username: str
    role: str
    university: str
    home_province: str
    expertise: str
    categories: tuple[str, ...]
    ready_at: dt.datetime
    is_active: bool
    min_load: int = 0
    max_load: int | None = None
    affiliation: str | None = None  # institution name
    past_institutions: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.edition, self.username)


@dataclass(frozen=True)
class ConflictSpec:
    edition: str
    username: str
    kind: str  # declared | secretariat_entered
    nature: str
    reason: str
    created_at: dt.datetime
    innovation: int | None = None  # a subject conflict
    institution: str | None = None  # an institution conflict


@dataclass(frozen=True)
class SheetSpec:
    status: str  # final | draft
    values: dict[str, int]
    comments: dict[str, str]
    note: str
    total: Decimal | None
    saved_at: dt.datetime
    finalised_at: dt.datetime | None
    instrument: str  # instrument code


@dataclass
class AssignmentSpec:
    edition: str
    stage: str
    innovation: int
    username: str
    affinity: float
    created_at: dt.datetime
    from_run: bool
    sheet: SheetSpec | None = None


@dataclass(frozen=True)
class RunSpec:
    edition: str
    stage: str
    label: str
    created_at: dt.datetime
    deployed_at: dt.datetime
    parameters: dict[str, Any] = field(default_factory=dict)
    objective: float = 0.0
    duration_ms: int = 0
    subject_count: int = 0
    assessor_count: int = 0


@dataclass(frozen=True)
class AnnouncementSpec:
    edition: str
    kind: str
    number: str
    date: dt.date
    title: str
    body: str
    published_at: dt.datetime


@dataclass(frozen=True)
class DecreeSpec:
    edition: str
    number: str
    date: dt.date
    title: str
    tier_lists: dict[str, list[int]]  # tier → innovation indexes


@dataclass(frozen=True)
class AwardEventSpec:
    name: str
    date: dt.date
    venue: str
    editions: tuple[str, ...]


@dataclass(frozen=True)
class SlotSpec:
    innovation: int
    starts_at: dt.datetime
    minutes: int
    mode: str
    location: str
    presenter_name: str
    presenter_position: str
    confirmed_at: dt.datetime


@dataclass(frozen=True)
class CitizenSpec:
    """A demo citizen account; the number is not a valid Indonesian one (+62 840…)."""

    phone: str
    verified_at: dt.datetime


@dataclass(frozen=True)
class RatingSpec:
    """One citizen's public benefit rating, as `submit_rating` would have stored it."""

    edition: str
    innovation: int
    citizen: int  # index into KippPlan.citizens
    relationship: str
    benefit: int
    adoption: int
    affiliated: bool
    comment: str
    value: Decimal
    exclusion: str
    rated_at: dt.datetime
    suspicion: str = ""
    released_at: dt.datetime | None = None
    release_reason: str = ""


@dataclass
class KippPlan:
    instruments: dict[str, Instrument] = field(default_factory=dict)  # code → instrument
    instrument_files: dict[str, str] = field(default_factory=dict)  # code → file name
    editions: list[EditionSpec] = field(default_factory=list)
    persons: list[PersonSpec] = field(default_factory=list)
    appointments: list[AppointmentSpec] = field(default_factory=list)
    proposals: list[ProposalSpec] = field(default_factory=list)
    conflicts: list[ConflictSpec] = field(default_factory=list)
    runs: list[RunSpec] = field(default_factory=list)
    assignments: list[AssignmentSpec] = field(default_factory=list)
    announcements: list[AnnouncementSpec] = field(default_factory=list)
    decrees: list[DecreeSpec] = field(default_factory=list)
    award_events: list[AwardEventSpec] = field(default_factory=list)
    slots: list[SlotSpec] = field(default_factory=list)
    citizens: list[CitizenSpec] = field(default_factory=list)
    ratings: list[RatingSpec] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


# An evaluator of the shared pool: the person, their university, home province and
# expertise (keywords and categories per edition).
EvaluatorEntry = tuple[PersonSpec, people.University, str, people.ExpertiseArea]
