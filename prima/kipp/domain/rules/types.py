"""The frozen :class:`EditionRules` and its parts, with their small methods; the error type."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from prima.evaluation.domain.yamlcheck import ProblemsError
from prima.kipp.domain.rules.constants import ALL_GROUPS


class RulesError(ProblemsError):
    """The rule set is invalid; ``problems`` holds every problem found."""

    title = "aturan edisi tidak sah"


def _empty_mapping() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Window:
    """A span of time in WIB; ``start`` and ``end`` are both inside it."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Extension:
    """A registration extension: the new close, announced by a numbered letter."""

    new_close: datetime
    letter_no: str
    date: date


@dataclass(frozen=True)
class Calendar:
    registration: Window  # the original close; see effective_close() for extensions
    extensions: tuple[Extension, ...]
    events: Mapping[str, Window]  # every other entry, by its calendar key

    def window(self, name: str) -> Window | None:
        """The window of a calendar entry (``registration`` included), or None if absent."""
        if name == "registration":
            return self.registration
        return self.events.get(name)


@dataclass(frozen=True)
class EligibilityRules:
    age_reference: str  # registration_close_effective | registration_close_original
    require_sdg: bool
    duplicate_title: str  # block_within_institution | off


@dataclass(frozen=True)
class AgeException:
    """A category whose minimum age replaces the group's (e.g. pandemic-related, 2022)."""

    category: str
    min_age_months: int


@dataclass(frozen=True)
class ReplicationSources:
    """Which tiers of the original make a replication eligible (§9.3)."""

    levels: tuple[str, ...]  # empty = any level
    tiers: tuple[str, ...]  # empty = any tier
    years: tuple[int, int] | None  # inclusive; None = any year

    def admits(self, tier: str, level: str, year: int) -> bool:
        if self.levels and level not in self.levels:
            return False
        if self.tiers and tier not in self.tiers:
            return False
        return self.years is None or self.years[0] <= year <= self.years[1]


@dataclass(frozen=True)
class Requirement:
    """A tier the innovation must already hold (the khusus group, §9.2)."""

    held_tier_level: str
    min_months_since_decree: int


@dataclass(frozen=True)
class GroupRule:
    code: str
    label: str
    min_age_months: int
    age_exceptions: tuple[AgeException, ...]
    quota_per_institution: int | None  # None = no cap
    invitation_only: bool
    exclusions: tuple[str, ...]  # names of exclusion_rules
    replication_link: str  # required | forbidden | optional
    replication_sources: ReplicationSources | None
    requires: Requirement | None

    def min_age_for(self, category: str | None) -> int:
        """The minimum age in months for a proposal of ``category`` in this group."""
        for exception in self.age_exceptions:
            if exception.category == category:
                return exception.min_age_months
        return self.min_age_months


@dataclass(frozen=True)
class ExclusionRule:
    """Tier history that bars entry (§9.2).

    ``held_tier_level`` uses ``level``; ``held_tiers`` uses ``tier_years``;
    ``tier_count_at_least`` uses ``tiers`` and ``count``.
    """

    name: str
    type: str
    code: str  # the admin-check reason code a failure carries
    level: str | None = None
    tiers: tuple[str, ...] = ()
    tier_years: tuple[tuple[str, int], ...] = ()
    count: int | None = None


@dataclass(frozen=True)
class Category:
    code: str
    label: str


@dataclass(frozen=True)
class VideoRule:
    required: bool
    max_minutes: int | None


@dataclass(frozen=True)
class AttachmentRules:
    file_types: tuple[str, ...]
    max_file_mb: Decimal
    video: VideoRule
    required: Mapping[str, tuple[str, ...]]  # "all" or a group code → attachment kinds

    def required_for(self, group: str) -> tuple[str, ...]:
        """The attachment kinds a proposal of ``group`` must carry, without repeats."""
        kinds = (*self.required.get(ALL_GROUPS, ()), *self.required.get(group, ()))
        return tuple(dict.fromkeys(kinds))


@dataclass(frozen=True)
class LoadRule:
    min: int
    max: int | None  # None = auto: ceil(1.2 · k · P / E)


@dataclass(frozen=True)
class Normalisation:
    method: str  # zscore | none
    min_sample: int
    use_for_decisions: bool


@dataclass(frozen=True)
class Selection:
    mode: str  # threshold | top_n
    passing_grade: Decimal | None = None  # threshold mode
    n: Mapping[str, int] = field(default_factory=_empty_mapping)  # top_n mode: group → n


@dataclass(frozen=True)
class DeskEvaluation:
    score_scale: tuple[Decimal, Decimal]
    evaluators_per_proposal: int
    load: LoadRule
    aggregation: str
    disagreement_range: Decimal
    normalisation: Normalisation
    selection: Selection
    tie_breakers: tuple[str, ...]

    def max_load(self, proposals: int, evaluators: int) -> int:
        """The per-evaluator maximum: the configured one, or ``auto`` worked out."""
        if self.load.max is not None:
            return self.load.max
        return auto_max_load(self.evaluators_per_proposal, proposals, evaluators)


@dataclass(frozen=True)
class PanelReview:
    enabled: bool
    reviewers_per_proposal: int | None = None
    pools: str | None = None


@dataclass(frozen=True)
class Finalists:
    mode: str  # all_passing | top_n
    tiers: tuple[str, ...]


@dataclass(frozen=True)
class ObjectionWindow:
    enabled: bool
    after: str | None = None
    days: int | None = None


@dataclass(frozen=True)
class PanelAssessment:
    enabled: bool
    kind: str | None = None
    reviewers_per_proposal: int | None = None
    pools: str | None = None
    rubric: Mapping[str, Decimal] = field(default_factory=_empty_mapping)


@dataclass(frozen=True)
class Presentation:
    enabled: bool
    talk_minutes: int | None = None
    interview_minutes: int | None = None
    rubric: Mapping[str, Decimal] = field(default_factory=_empty_mapping)

    @property
    def slot_minutes(self) -> int | None:
        if self.talk_minutes is None or self.interview_minutes is None:
            return None
        return self.talk_minutes + self.interview_minutes


@dataclass(frozen=True)
class FieldVerification:
    enabled: bool


@dataclass(frozen=True)
class PublicBenefitRating:
    enabled: bool
    min_valid_ratings: int | None = None
    daily_cap: int | None = None


@dataclass(frozen=True)
class FinalScore:
    components: Mapping[str, Decimal]  # component → weight; the weights sum to 1
    missing_component: str  # redistribute | zero


@dataclass(frozen=True)
class Tier:
    code: str
    level: str  # finalist | winner
    groups: tuple[str, ...]
    size: int | None  # None = not sized (e.g. every passing proposal)
    label: str | None = None


@dataclass(frozen=True)
class CompositionConstraint:
    """``{stratum, value(s), min, max}`` of §11.2; ``values`` None = every value."""

    stratum: str
    values: tuple[str | bool, ...] | None
    min: int | None
    max: int | None


@dataclass(frozen=True)
class Composition:
    applies_to: tuple[str, ...]  # tier codes
    region_3t_list: str | None
    constraints: tuple[CompositionConstraint, ...]


@dataclass(frozen=True)
class AnnouncementRules:
    number_regex: str

    def number_is_valid(self, number: str) -> bool:
        return re.search(self.number_regex, number) is not None


@dataclass(frozen=True)
class EditionRules:
    programme: str
    code: str
    year: int
    ordinal: int
    theme: str | None
    legal_refs: tuple[str, ...]
    calendar: Calendar
    eligibility: EligibilityRules
    groups: Mapping[str, GroupRule]  # in config order
    exclusion_rules: Mapping[str, ExclusionRule]
    categories: tuple[Category, ...]
    attachments: AttachmentRules
    extra_forms: tuple[str, ...]
    proposal_sections: str  # the instrument code
    desk_evaluation: DeskEvaluation
    conflicts: tuple[str, ...]
    panel_review: PanelReview
    finalists: Finalists
    objection_window: ObjectionWindow
    panel_assessment: PanelAssessment
    presentation: Presentation
    field_verification: FieldVerification
    public_benefit_rating: PublicBenefitRating
    final_score: FinalScore
    tiers: tuple[Tier, ...]
    composition: Composition | None
    announcement: AnnouncementRules

    def group(self, code: str) -> GroupRule:
        """The group's rules; KeyError (with an Indonesian message) for an unknown group."""
        try:
            return self.groups[code]
        except KeyError:
            raise KeyError(f"kelompok {code!r} tidak ada di edisi {self.code}") from None

    def tier(self, code: str) -> Tier:
        for tier in self.tiers:
            if tier.code == code:
                return tier
        raise KeyError(f"peringkat {code!r} tidak ada di edisi {self.code}")

    def category_codes(self) -> tuple[str, ...]:
        return tuple(category.code for category in self.categories)


def auto_max_load(k: int, proposals: int, evaluators: int) -> int:
    """``max: auto`` = ⌈1.2 · k · P / E⌉ (§10.1), in exact integer arithmetic."""
    if evaluators < 1:
        raise ValueError("jumlah evaluator harus minimal 1")
    if k < 0 or proposals < 0:
        raise ValueError("k dan jumlah proposal tidak boleh negatif")
    return -(-12 * k * proposals // (10 * evaluators))
