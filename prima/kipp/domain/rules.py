"""KIPP edition rules as data: load and validate ``editions/<code>.yaml`` (kipp.md §6).

An edition's rule set holds everything that changed between editions: entry groups with
their age, quota, exclusion and replication rules (§9), categories, attachments, the
calendar (§6.1), the desk evaluation (§10), the panel stages (§11, §13), the final score
(§13), the award tiers and the composition constraints of sized selections (§11.2). The
proposal sections live in the instrument the edition names (``proposal_sections``, loaded
by :mod:`prima.evaluation.domain.instruments`).

- :func:`validate_rules` — plain data → *all* problems, each a dotted path and an
  Indonesian message (``groups.umum.exclusions[1]: aturan eksklusi 'x' tidak ada``).
- :func:`load_rules` — YAML text or file → frozen :class:`EditionRules`; raises
  :class:`RulesError` listing every problem.
- :func:`check_instrument` — cross-check of the rules against the instrument they name.
- :func:`effective_close`, :func:`age_reference_close` — the registration close after
  extensions, and the reference date of the age rule (§9.1).
- :func:`auto_max_load` — ``max: auto`` of the evaluator load (§10.1).

Times are Asia/Jakarta (WIB). A window given as dates opens at 00:00:00 on its first day
and closes at 23:59:59 on its last day; a close given as ``HH:MM`` closes at that minute,
except ``23:59``, the published spelling of "end of the day", which closes at 23:59:59.

This module is pure: no ORM, no Django.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from itertools import pairwise
from types import MappingProxyType
from typing import Any, cast
from zoneinfo import ZoneInfo

from prima.evaluation.domain.instruments import Instrument, InstrumentError, parse
from prima.evaluation.domain.yamlcheck import (
    CASED_CODE_RE,
    DOTTED_CODE_RE,
    ROOT,
    Checker,
    Problem,
    ProblemsError,
    container_name,
    join,
)

WIB = ZoneInfo("Asia/Jakarta")

PROGRAMME = "kipp"
LEVELS = ("finalist", "winner")
REPLICATION_LINKS = ("required", "forbidden", "optional")
AGE_REFERENCES = ("registration_close_effective", "registration_close_original")
DUPLICATE_TITLE_POLICIES = ("block_within_institution", "off")
EXCLUSION_TYPES = ("held_tier_level", "held_tiers", "tier_count_at_least")
# Admin-check reason codes (§9); a failed check carries one of them.
REASON_CODES = (
    "age_below_minimum",
    "age_unproven",
    "incomplete",
    "careless_content",
    "duplicate_title",
    "winner_tier_held",
    "top99_twice",
    "required_tier_missing",
    "replication_link_missing",
    "replication_source_not_eligible",
    "category_mismatch",
    "quota_exceeded",
    "other",
)
# Attachment kinds (§7.3); the same codes as prima.kipp.enums.AttachmentKind.
ATTACHMENT_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "bukti_mulai_implementasi": "Bukti mulai implementasi",
        "sk_inovator": "SK inovator",
        "standar_pelayanan": "Standar pelayanan",
        "maklumat_pelayanan": "Maklumat pelayanan",
        "sk_pengaduan": "SK pengelolaan pengaduan",
        "pernyataan_replikasi": "Pernyataan replikasi",
        "dokumen_evaluasi": "Dokumen evaluasi",
        "pernyataan_kebenaran": "Pernyataan kebenaran data",
        "lainnya": "Lainnya",
    }
)
ALL_GROUPS = "all"  # key of attachments.required that applies to every group
FILE_TYPES = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx", "pptx", "mp4")
EXTRA_FORMS = ("spbe",)
AGGREGATIONS = ("mean", "median")
NORMALISATION_METHODS = ("zscore", "none")
SELECTION_MODES = ("threshold", "top_n")
SECTION_MEAN = "section_mean:"  # tie breaker prefix: the mean score of one section
TIE_BREAKERS = ("verified_replications", "submitted_at")  # besides section_mean:<section>
CONFLICT_RULES = ("same_institution", "same_province_local", "declared", "secretariat_entered")
FINALIST_MODES = ("all_passing", "top_n")
OBJECTION_AFTER = ("nominees_announced", "finalists_announced", "winners_announced")
ASSESSMENT_KINDS = ("feasibility",)
POOLS = ("by_category", "none")
MISSING_COMPONENT_POLICIES = ("redistribute", "zero")
STRATA = ("category", "group", "institution_type", "institution", "province_local", "region_3t")
# Institution kinds as prima.core.enums.InstitutionKind spells them (DESIGN.md §4).
INSTITUTION_TYPES = (
    "ministry",
    "agency",
    "province",
    "regency",
    "city",
    "state_enterprise",
    "regional_enterprise",
)
SDG_GOALS = range(1, 18)

# Calendar entries that follow one another: each starts no earlier than the day on which
# the one before it (among those present) ends.
CALENDAR_SEQUENCE = (
    "pre_announcement",
    "launch",
    "registration",
    "admin_selection",
    "desk_evaluation",
    "desk_plenary",
    "panel_review",
    "panel_plenary",
    "panel_assessment",
    "presentation",
    "field_verification",
    "final_plenary",
    "results_announced",
    "award_ceremony",
)
# Entries that run beside the sequence (socialisation during registration, the public
# benefit rating beside the panel assessment).
CALENDAR_PARALLEL = ("socialisation", "public_benefit_rating")
CALENDAR_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "pre_announcement": "pra-pengumuman",
        "launch": "peluncuran",
        "socialisation": "sosialisasi",
        "registration": "pendaftaran",
        "admin_selection": "seleksi administrasi",
        "desk_evaluation": "penilaian Tim Evaluasi",
        "desk_plenary": "pleno Tim Evaluasi",
        "panel_review": "penilaian TPI",
        "panel_plenary": "pleno TPI",
        "public_benefit_rating": "penilaian kebermanfaatan",
        "panel_assessment": "penilaian kelayakan TPI",
        "presentation": "presentasi dan wawancara",
        "field_verification": "verifikasi lapangan",
        "final_plenary": "pleno akhir",
        "results_announced": "pengumuman hasil",
        "award_ceremony": "penyerahan penghargaan",
    }
)

CATEGORY_CODE_RE = CASED_CODE_RE
EDITION_CODE_RE = DOTTED_CODE_RE
TIER_AT_YEAR_RE = re.compile(r"([a-z][a-z0-9_]*)@(\d{4})\Z")
PROVINCE_RE = re.compile(r"\d{2}\Z")

_TOP_REQUIRED = (
    "edition",
    "calendar",
    "eligibility",
    "groups",
    "categories",
    "attachments",
    "proposal_sections",
    "desk_evaluation",
    "conflicts",
    "panel_review",
    "finalists",
    "objection_window",
    "panel_assessment",
    "presentation",
    "field_verification",
    "public_benefit_rating",
    "final_score",
    "tiers",
    "announcement",
)
_TOP_OPTIONAL = ("exclusion_rules", "extra_forms", "composition", "holidays")


# --------------------------------------------------------------------------- errors


class RulesError(ProblemsError):
    """The rule set is invalid; ``problems`` holds every problem found."""

    title = "aturan edisi tidak sah"


# --------------------------------------------------------------------------- the model


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


# --------------------------------------------------------------------------- times


def window_close(day: date) -> datetime:
    """The close of a window whose last day is ``day``: 23:59:59 WIB."""
    return datetime.combine(day, time(23, 59, 59), WIB)


def window_open(day: date) -> datetime:
    """The opening of a window whose first day is ``day``: 00:00:00 WIB."""
    return datetime.combine(day, time(0), WIB)


def to_moment(value: object, *, closing: bool) -> datetime | None:
    """A date, datetime or ISO text → an aware WIB datetime, or None if it is none of them.

    A bare date opens at 00:00:00 or, when ``closing``, closes at 23:59:59. A naive time is
    WIB; an aware one is converted. A closing ``23:59`` means the end of that day.
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            value = date.fromisoformat(text)
        except ValueError:
            try:
                value = datetime.fromisoformat(text)
            except ValueError:
                return None
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=WIB) if value.tzinfo is None else value.astimezone(WIB)
        if closing and (moment.hour, moment.minute, moment.second, moment.microsecond) == (
            23,
            59,
            0,
            0,
        ):
            moment = moment.replace(second=59)
        return moment
    if isinstance(value, date):
        return window_close(value) if closing else window_open(value)
    return None


def to_day(value: object) -> date | None:
    """A date (or ISO date text) → date; None for anything else, datetimes included."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def effective_close(rules: EditionRules, extensions: Iterable[Extension] = ()) -> datetime:
    """The registration close after every extension (§5, §15).

    ``extensions`` are those recorded after the rules were frozen (registration_extension
    announcements), in the order granted; they follow the ones in the rule set. The last
    one granted wins.
    """
    granted = (*rules.calendar.extensions, *extensions)
    return granted[-1].new_close if granted else rules.calendar.registration.end


def age_reference_close(rules: EditionRules, extensions: Iterable[Extension] = ()) -> datetime:
    """The reference moment of the age rule (§9.1): effective or original close."""
    if rules.eligibility.age_reference == "registration_close_original":
        return rules.calendar.registration.end
    return effective_close(rules, extensions)


def auto_max_load(k: int, proposals: int, evaluators: int) -> int:
    """``max: auto`` = ⌈1.2 · k · P / E⌉ (§10.1), in exact integer arithmetic."""
    if evaluators < 1:
        raise ValueError("jumlah evaluator harus minimal 1")
    if k < 0 or proposals < 0:
        raise ValueError("k dan jumlah proposal tidak boleh negatif")
    return -(-12 * k * proposals // (10 * evaluators))


# --------------------------------------------------------------------------- parsing


def load_rules(source: str | os.PathLike[str]) -> EditionRules:
    """YAML text or file → :class:`EditionRules`; raises :class:`RulesError` with every problem."""
    try:
        data = parse(source)
    except InstrumentError as error:
        raise RulesError(error.problems) from error
    problems = validate_rules(data)
    if problems:
        raise RulesError(problems)
    return build_rules(data)


# --------------------------------------------------------------------------- validation


def _show(value: object) -> str:
    name = container_name(value)
    if name is not None:
        return name
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return repr(value)


def _options(options: Iterable[str]) -> str:
    return ", ".join(options)


class _Check(Checker):
    """A :class:`Checker` with the readers only edition rules need."""

    def __init__(self) -> None:
        super().__init__(_show)

    def boolean(self, value: object, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.add(path, f"harus true atau false, bukan {_show(value)}")
            return None
        return value

    def choice(self, value: object, path: str, options: Sequence[str]) -> str | None:
        if not isinstance(value, str) or value not in options:
            self.add(path, f"{_show(value)} tidak dikenal; pilih salah satu: {_options(options)}")
            return None
        return value

    def codes(
        self, value: object, path: str, known: Iterable[str] | None, what: str, *, empty: bool
    ) -> list[str] | None:
        """A list of distinct codes, each in ``known`` (when given)."""
        entries = self.items(value, path, non_empty=not empty)
        if entries is None:
            return None
        allowed = None if known is None else tuple(known)
        result: list[str] = []
        for index, entry in enumerate(entries):
            ipath = f"{path}[{index}]"
            if not isinstance(entry, str):
                self.add(ipath, f"harus kode {what}, bukan {_show(entry)}")
            elif allowed is not None and entry not in allowed:
                self.add(ipath, f"{what} {entry!r} tidak ada; yang ada: {_options(allowed)}")
            elif entry in result:
                self.add(ipath, f"{what} {entry!r} disebut dua kali")
            else:
                result.append(entry)
        return result

    def enabled(
        self, value: object, path: str, required: Sequence[str], optional: Sequence[str] = ()
    ) -> dict[str, Any] | None:
        """A stage block ``{enabled: bool, …}``; its other keys are checked only when on.

        Returns the block when it is enabled, else None.
        """
        block = self.mapping(value, path, ("enabled",), closed=False)
        if block is None or "enabled" not in block:
            return None
        on = self.boolean(block["enabled"], join(path, "enabled"))
        if not on:
            for key in block:
                if key != "enabled":
                    self.add(join(path, key), "hanya berlaku bila enabled: true")
            return None
        return self.mapping(block, path, ("enabled", *required), optional)


@dataclass
class _Known:
    """Codes found so far, for cross-references; None when the list itself is broken."""

    groups: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    exclusions: tuple[str, ...] | None = None
    tiers: Mapping[str, dict[str, Any]] | None = None
    number_regex: re.Pattern[str] | None = None
    enabled: dict[str, bool] | None = None
    calendar: frozenset[str] | None = None  # the calendar keys present


def validate_rules(data: object) -> list[Problem]:
    """Every problem of an edition's plain data (§6 save-time validation); [] when valid."""
    check = _Check()
    root = check.mapping(data, ROOT, _TOP_REQUIRED, _TOP_OPTIONAL)
    if root is None:
        return check.problems
    known = _Known(enabled={})
    if "announcement" in root:
        _check_announcement(check, root["announcement"], known)
    if "edition" in root:
        _check_edition(check, root["edition"])
    if "categories" in root:
        _check_categories(check, root["categories"], known)
    known.exclusions = (
        _check_exclusion_rules(check, root["exclusion_rules"]) if "exclusion_rules" in root else ()
    )
    if "groups" in root:
        _check_groups(check, root["groups"], known)
    if "tiers" in root:
        _check_tiers(check, root["tiers"], known)
    if "eligibility" in root:
        _check_eligibility(check, root["eligibility"])
    if "attachments" in root:
        _check_attachments(check, root["attachments"], known)
    if "extra_forms" in root:
        check.codes(root["extra_forms"], "extra_forms", EXTRA_FORMS, "formulir", empty=True)
    if "proposal_sections" in root:
        check.code(root["proposal_sections"], "proposal_sections", EDITION_CODE_RE)
    if "calendar" in root:
        _check_calendar(check, root["calendar"], known)
    if "desk_evaluation" in root:
        _check_desk(check, root["desk_evaluation"], known)
    if "conflicts" in root:
        check.codes(root["conflicts"], "conflicts", CONFLICT_RULES, "aturan konflik", empty=True)
    _check_stages(check, root, known)
    if "finalists" in root:
        _check_finalists(check, root["finalists"], known)
    if "final_score" in root:
        _check_final_score(check, root["final_score"], known)
    if "composition" in root:
        _check_composition(check, root["composition"], known)
    if "holidays" in root:
        _check_holidays(check, root["holidays"])
    return check.problems


def _check_holidays(check: _Check, value: object) -> None:
    """Public holidays skipped when scheduling presentations: a list of dates."""
    if not isinstance(value, list):
        check.add("holidays", "harus berupa daftar tanggal (YYYY-MM-DD)")
        return
    for index, item in enumerate(value):
        if isinstance(item, date) and not isinstance(item, datetime):
            continue
        if isinstance(item, str):
            try:
                date.fromisoformat(item)
                continue
            except ValueError:
                pass
        check.add(f"holidays[{index}]", f"{item!r} bukan tanggal (YYYY-MM-DD)")


def _check_announcement(check: _Check, value: object, known: _Known) -> None:
    block = check.mapping(value, "announcement", ("number_regex",))
    if block is None or "number_regex" not in block:
        return
    pattern = check.text(block["number_regex"], "announcement.number_regex")
    if pattern is None:
        return
    try:
        known.number_regex = re.compile(pattern)
    except re.error as error:
        check.add("announcement.number_regex", f"regex tidak sah: {error}")


def _check_edition(check: _Check, value: object) -> None:
    path = "edition"
    edition = check.mapping(
        value, path, ("programme", "code", "year", "ordinal", "legal_refs"), ("theme",)
    )
    if edition is None:
        return
    if "programme" in edition and edition["programme"] != PROGRAMME:
        check.add(f"{path}.programme", f"harus {PROGRAMME!r}, bukan {_show(edition['programme'])}")
    if "code" in edition:
        check.code(edition["code"], f"{path}.code", EDITION_CODE_RE)
    if "year" in edition:
        check.integer(edition["year"], f"{path}.year", 2014)
    if "ordinal" in edition:
        check.integer(edition["ordinal"], f"{path}.ordinal", 1)
    if edition.get("theme") is not None:
        check.text(edition["theme"], f"{path}.theme")
    if "legal_refs" in edition:
        refs = check.items(edition["legal_refs"], f"{path}.legal_refs")
        for index, ref in enumerate(refs or ()):
            check.text(ref, f"{path}.legal_refs[{index}]")


def _check_categories(check: _Check, value: object, known: _Known) -> None:
    entries = check.items(value, "categories")
    if entries is None:
        return
    codes: list[str] = []
    complete = True
    for index, entry in enumerate(entries):
        path = f"categories[{index}]"
        item = check.mapping(entry, path, ("code", "label"))
        code = check.code(item["code"], f"{path}.code", CATEGORY_CODE_RE) if item else None
        if item and "label" in item:
            check.text(item["label"], f"{path}.label")
        if code is None:
            complete = False
        elif code in codes:
            check.add(f"{path}.code", f"kode {code!r} dipakai dua kali")
        else:
            codes.append(code)
    known.categories = tuple(codes) if complete else None


def _check_exclusion_rules(check: _Check, value: object) -> tuple[str, ...] | None:
    rules = check.mapping(value, "exclusion_rules", closed=False)
    if rules is None:
        return None
    for name, spec in rules.items():
        path = f"exclusion_rules.{name}"
        if check.code(name, path) is None:
            continue
        rule = check.mapping(spec, path, ("type",), ("code", "level", "tiers", "count"))
        if rule is None or "type" not in rule:
            continue
        kind = check.choice(rule["type"], f"{path}.type", EXCLUSION_TYPES)
        reason = rule.get("code", name)
        if reason not in REASON_CODES:
            where = f"{path}.code" if "code" in rule else path
            check.add(
                where,
                f"kode alasan {_show(reason)} tidak dikenal; isi code dengan salah satu: "
                f"{_options(REASON_CODES)}",
            )
        needed = {
            "held_tier_level": ("level",),
            "held_tiers": ("tiers",),
            "tier_count_at_least": ("tiers", "count"),
        }.get(kind or "", ())
        for key in ("level", "tiers", "count"):
            if key in rule and kind is not None and key not in needed:
                check.add(f"{path}.{key}", f"tidak berlaku untuk type {kind}")
        for key in needed:
            if key not in rule:
                check.add(f"{path}.{key}", "wajib diisi")
        if kind == "held_tier_level" and "level" in rule:
            check.choice(rule["level"], f"{path}.level", LEVELS)
        if kind == "held_tiers" and "tiers" in rule:
            entries = check.items(rule["tiers"], f"{path}.tiers")
            for index, entry in enumerate(entries or ()):
                if not isinstance(entry, str) or not TIER_AT_YEAR_RE.match(entry):
                    check.add(
                        f"{path}.tiers[{index}]",
                        f"harus berbentuk peringkat@tahun (mis. top45@2019), bukan {_show(entry)}",
                    )
        if kind == "tier_count_at_least":
            if "tiers" in rule:
                tiers = check.items(rule["tiers"], f"{path}.tiers")
                for index, entry in enumerate(tiers or ()):
                    check.code(entry, f"{path}.tiers[{index}]")
            if "count" in rule:
                check.integer(rule["count"], f"{path}.count", 1)
    return tuple(str(name) for name in rules)


def _check_groups(check: _Check, value: object, known: _Known) -> None:
    groups = check.mapping(value, "groups", closed=False)
    if groups is None:
        return
    if not groups:
        check.add("groups", "minimal satu kelompok")
    codes: list[str] = []
    for code, spec in groups.items():
        path = f"groups.{code}"
        if check.code(code, path) is not None:
            codes.append(code)
        group = check.mapping(
            spec,
            path,
            ("label", "min_age_months", "quota_per_institution", "replication_link"),
            ("age_exceptions", "invitation_only", "exclusions", "replication_sources", "requires"),
        )
        if group is not None:
            _check_group(check, group, path, known)
    known.groups = tuple(codes) if len(codes) == len(groups) else None


def _check_group(check: _Check, group: dict[str, Any], path: str, known: _Known) -> None:
    if "label" in group:
        check.text(group["label"], f"{path}.label")
    if "min_age_months" in group:
        check.integer(group["min_age_months"], f"{path}.min_age_months")
    if group.get("quota_per_institution") is not None:
        check.integer(group["quota_per_institution"], f"{path}.quota_per_institution", 1)
    if "invitation_only" in group:
        check.boolean(group["invitation_only"], f"{path}.invitation_only")
    exceptions = (
        check.items(group["age_exceptions"], f"{path}.age_exceptions", non_empty=False)
        if "age_exceptions" in group
        else None
    )
    for index, entry in enumerate(exceptions or ()):
        epath = f"{path}.age_exceptions[{index}]"
        exception = check.mapping(entry, epath, ("category", "min_age_months"))
        if exception is None:
            continue
        if "category" in exception:
            category = exception["category"]
            if known.categories is not None and category not in known.categories:
                check.add(f"{epath}.category", f"kategori {_show(category)} tidak ada")
        if "min_age_months" in exception:
            check.integer(exception["min_age_months"], f"{epath}.min_age_months")
    if "exclusions" in group:
        check.codes(
            group["exclusions"],
            f"{path}.exclusions",
            known.exclusions,
            "aturan eksklusi",
            empty=True,
        )
    link = None
    if "replication_link" in group:
        link = check.choice(
            group["replication_link"], f"{path}.replication_link", REPLICATION_LINKS
        )
    if link == "required" and "replication_sources" not in group:
        check.add(f"{path}.replication_sources", "wajib diisi bila replication_link: required")
    if "replication_sources" in group:
        if link is not None and link != "required":
            check.add(
                f"{path}.replication_sources", "hanya berlaku bila replication_link: required"
            )
        _check_sources(check, group["replication_sources"], f"{path}.replication_sources")
    if "requires" in group:
        rpath = f"{path}.requires"
        requires = check.mapping(
            group["requires"], rpath, ("held_tier_level",), ("min_months_since_decree",)
        )
        if requires and "held_tier_level" in requires:
            check.choice(requires["held_tier_level"], f"{rpath}.held_tier_level", LEVELS)
        if requires and "min_months_since_decree" in requires:
            check.integer(requires["min_months_since_decree"], f"{rpath}.min_months_since_decree")


def _check_sources(check: _Check, value: object, path: str) -> None:
    sources = check.mapping(value, path, (), ("levels", "tiers", "years"))
    if sources is None:
        return
    if "levels" not in sources and "tiers" not in sources:
        check.add(path, "isi levels atau tiers")
    if "levels" in sources:
        check.codes(sources["levels"], f"{path}.levels", LEVELS, "tingkat", empty=False)
    if "tiers" in sources:
        entries = check.items(sources["tiers"], f"{path}.tiers")
        for index, entry in enumerate(entries or ()):
            check.code(entry, f"{path}.tiers[{index}]")
    if "years" in sources:
        years = check.items(sources["years"], f"{path}.years")
        if years is None:
            return
        if len(years) != 2:
            check.add(f"{path}.years", f"harus [tahun awal, tahun akhir], bukan {len(years)} nilai")
            return
        first = check.integer(years[0], f"{path}.years[0]", 2014)
        last = check.integer(years[1], f"{path}.years[1]", 2014)
        if first is not None and last is not None and first > last:
            check.add(f"{path}.years", f"tahun awal {first} setelah tahun akhir {last}")


def _check_tiers(check: _Check, value: object, known: _Known) -> None:
    entries = check.items(value, "tiers")
    if entries is None:
        return
    tiers: dict[str, dict[str, Any]] = {}
    complete = True
    for index, entry in enumerate(entries):
        path = f"tiers[{index}]"
        tier = check.mapping(entry, path, ("code", "level", "groups", "size"), ("label",))
        if tier is None:
            complete = False
            continue
        code = check.code(tier["code"], f"{path}.code") if "code" in tier else None
        if "level" in tier:
            check.choice(tier["level"], f"{path}.level", LEVELS)
        if "groups" in tier:
            check.codes(tier["groups"], f"{path}.groups", known.groups, "kelompok", empty=False)
        if tier.get("size") is not None:
            check.integer(tier["size"], f"{path}.size", 1)
        if "label" in tier:
            check.text(tier["label"], f"{path}.label")
        if code is None:
            complete = False
        elif code in tiers:
            check.add(f"{path}.code", f"kode {code!r} dipakai dua kali")
        else:
            tiers[code] = tier
    known.tiers = tiers if complete else None


def _check_eligibility(check: _Check, value: object) -> None:
    path = "eligibility"
    block = check.mapping(value, path, ("age_reference", "require_sdg", "duplicate_title"))
    if block is None:
        return
    if "age_reference" in block:
        check.choice(block["age_reference"], f"{path}.age_reference", AGE_REFERENCES)
    if "require_sdg" in block:
        check.boolean(block["require_sdg"], f"{path}.require_sdg")
    if "duplicate_title" in block:
        check.choice(block["duplicate_title"], f"{path}.duplicate_title", DUPLICATE_TITLE_POLICIES)


def _check_attachments(check: _Check, value: object, known: _Known) -> None:
    path = "attachments"
    block = check.mapping(value, path, ("file_types", "max_file_mb", "video", "required"))
    if block is None:
        return
    if "file_types" in block:
        check.codes(
            block["file_types"], f"{path}.file_types", FILE_TYPES, "jenis berkas", empty=False
        )
    if "max_file_mb" in block:
        size = check.number(block["max_file_mb"], f"{path}.max_file_mb")
        if size is not None and size <= 0:
            check.add(f"{path}.max_file_mb", f"harus > 0, bukan {_show(size)}")
    if "video" in block:
        video = check.mapping(block["video"], f"{path}.video", ("required",), ("max_minutes",))
        if video and "required" in video:
            check.boolean(video["required"], f"{path}.video.required")
        if video and video.get("max_minutes") is not None:
            check.integer(video["max_minutes"], f"{path}.video.max_minutes", 1)
    if "required" in block:
        required = check.mapping(block["required"], f"{path}.required", closed=False)
        for key, kinds in (required or {}).items():
            kpath = f"{path}.required.{key}"
            if key != ALL_GROUPS and known.groups is not None and key not in known.groups:
                check.add(kpath, f"harus {ALL_GROUPS!r} atau kode kelompok, bukan {_show(key)}")
            check.codes(kinds, kpath, ATTACHMENT_KINDS, "jenis lampiran", empty=True)


def _check_calendar(check: _Check, value: object, known: _Known) -> None:
    names = (*CALENDAR_SEQUENCE, *CALENDAR_PARALLEL, "extensions")
    calendar = check.mapping(value, "calendar", ("registration",), names)
    if calendar is None:
        return
    windows: dict[str, Window] = {}
    for name in (*CALENDAR_SEQUENCE, *CALENDAR_PARALLEL):
        if name not in calendar:
            continue
        path = f"calendar.{name}"
        if name == "registration":
            window = _check_registration(check, calendar[name], path)
        else:
            window = _check_window(check, calendar[name], path)
        if window is not None:
            windows[name] = window
    known.calendar = frozenset(calendar)
    close = windows["registration"].end if "registration" in windows else None
    if "extensions" in calendar:
        close = _check_extensions(check, calendar["extensions"], close, known)
    # The sequence: each entry starts no earlier than the day the previous one ends. The
    # registration ends at its effective close.
    present = [(n, windows[n]) for n in CALENDAR_SEQUENCE if n in windows]
    for (before, first), (after, second) in pairwise(present):
        end = close if before == "registration" and close is not None else first.end
        if second.start.date() < end.date():
            check.add(
                f"calendar.{after}",
                f"{CALENDAR_LABELS[after]} mulai {_day(second.start)}, sebelum "
                f"{CALENDAR_LABELS[before]} selesai {_day(end)}; jadwal harus berurutan",
            )


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


def _check_registration(check: _Check, value: object, path: str) -> Window | None:
    block = check.mapping(value, path, ("open", "close"))
    if block is None or "open" not in block or "close" not in block:
        return None
    start = to_moment(block["open"], closing=False)
    end = to_moment(block["close"], closing=True)
    if start is None:
        check.add(f"{path}.open", f"harus tanggal/waktu ISO, bukan {_show(block['open'])}")
    if end is None:
        check.add(f"{path}.close", f"harus tanggal/waktu ISO, bukan {_show(block['close'])}")
    if start is None or end is None:
        return None
    if end <= start:
        check.add(path, f"ditutup {end.isoformat()} tidak setelah dibuka {start.isoformat()}")
        return None
    return Window(start, end)


def _check_window(check: _Check, value: object, path: str) -> Window | None:
    """A date (one day) or [first day, last day]."""
    if isinstance(value, list):
        if len(value) != 2:
            check.add(path, f"harus [hari pertama, hari terakhir], bukan {len(value)} nilai")
            return None
        first, last = to_day(value[0]), to_day(value[1])
        if first is None:
            check.add(f"{path}[0]", f"harus tanggal (YYYY-MM-DD), bukan {_show(value[0])}")
        if last is None:
            check.add(f"{path}[1]", f"harus tanggal (YYYY-MM-DD), bukan {_show(value[1])}")
        if first is None or last is None:
            return None
        if last < first:
            check.add(path, f"hari terakhir {last} sebelum hari pertama {first}")
            return None
        return Window(window_open(first), window_close(last))
    day = to_day(value)
    if day is None:
        check.add(path, f"harus tanggal atau [hari pertama, hari terakhir], bukan {_show(value)}")
        return None
    return Window(window_open(day), window_close(day))


def _check_extensions(
    check: _Check, value: object, close: datetime | None, known: _Known
) -> datetime | None:
    """Checks each extension; returns the effective close (None if unknown)."""
    entries = check.items(value, "calendar.extensions", non_empty=False)
    for index, entry in enumerate(entries or ()):
        path = f"calendar.extensions[{index}]"
        extension = check.mapping(entry, path, ("new_close", "letter_no", "date"))
        if extension is None:
            close = None
            continue
        new_close = (
            to_moment(extension["new_close"], closing=True) if "new_close" in extension else None
        )
        if "new_close" in extension and new_close is None:
            check.add(
                f"{path}.new_close",
                f"harus tanggal/waktu ISO, bukan {_show(extension['new_close'])}",
            )
        if "letter_no" in extension:
            letter = check.text(extension["letter_no"], f"{path}.letter_no")
            if letter and known.number_regex and not known.number_regex.search(letter):
                check.add(
                    f"{path}.letter_no",
                    f"nomor surat {letter!r} tidak sesuai pola {known.number_regex.pattern}",
                )
        if "date" in extension and to_day(extension["date"]) is None:
            check.add(
                f"{path}.date", f"harus tanggal (YYYY-MM-DD), bukan {_show(extension['date'])}"
            )
        if new_close is not None and close is not None and new_close <= close:
            check.add(
                f"{path}.new_close",
                f"penutupan baru {new_close.isoformat()} harus setelah {close.isoformat()}",
            )
        close = new_close if close is not None else None
    return close


def _check_desk(check: _Check, value: object, known: _Known) -> None:
    path = "desk_evaluation"
    keys = (
        "score_scale",
        "evaluators_per_proposal",
        "load",
        "aggregation",
        "disagreement_range",
        "normalisation",
        "selection",
        "tie_breakers",
    )
    desk = check.mapping(value, path, keys)
    if desk is None:
        return
    scale = None
    if "score_scale" in desk:
        scale = _check_scale(check, desk["score_scale"], f"{path}.score_scale")
    if "evaluators_per_proposal" in desk:
        check.integer(desk["evaluators_per_proposal"], f"{path}.evaluators_per_proposal", 1)
    if "load" in desk:
        load = check.mapping(desk["load"], f"{path}.load", ("min", "max"))
        low = check.integer(load["min"], f"{path}.load.min") if load and "min" in load else None
        high = None
        if load and "max" in load and load["max"] != "auto":
            if isinstance(load["max"], str):
                check.add(
                    f"{path}.load.max", f"harus bilangan bulat atau 'auto', bukan {load['max']!r}"
                )
            else:
                high = check.integer(load["max"], f"{path}.load.max", 1)
        if low is not None and high is not None and low > high:
            check.add(f"{path}.load", f"min {low} lebih besar dari max {high}")
    if "aggregation" in desk:
        check.choice(desk["aggregation"], f"{path}.aggregation", AGGREGATIONS)
    if "disagreement_range" in desk:
        spread = check.number(desk["disagreement_range"], f"{path}.disagreement_range")
        if spread is not None and spread < 0:
            check.add(f"{path}.disagreement_range", "tidak boleh negatif")
    if "normalisation" in desk:
        npath = f"{path}.normalisation"
        block = check.mapping(
            desk["normalisation"], npath, ("method", "min_sample", "use_for_decisions")
        )
        if block and "method" in block:
            check.choice(block["method"], f"{npath}.method", NORMALISATION_METHODS)
        if block and "min_sample" in block:
            check.integer(block["min_sample"], f"{npath}.min_sample", 2)
        if block and "use_for_decisions" in block:
            check.boolean(block["use_for_decisions"], f"{npath}.use_for_decisions")
    if "selection" in desk:
        _check_selection(check, desk["selection"], f"{path}.selection", scale, known)
    if "tie_breakers" in desk:
        _check_tie_breakers(check, desk["tie_breakers"], f"{path}.tie_breakers")


def _check_scale(check: _Check, value: object, path: str) -> tuple[Decimal, Decimal] | None:
    bounds = check.items(value, path)
    if bounds is None:
        return None
    if len(bounds) != 2:
        check.add(path, f"harus [min, max], bukan {len(bounds)} nilai")
        return None
    low, high = check.number(bounds[0], f"{path}[0]"), check.number(bounds[1], f"{path}[1]")
    if low is None or high is None:
        return None
    if low >= high:
        check.add(path, f"min {_show(low)} harus lebih kecil dari max {_show(high)}")
        return None
    return low, high


def _check_selection(
    check: _Check,
    value: object,
    path: str,
    scale: tuple[Decimal, Decimal] | None,
    known: _Known,
) -> None:
    block = check.mapping(value, path, ("mode",), ("passing_grade", "n"))
    if block is None or "mode" not in block:
        return
    mode = check.choice(block["mode"], f"{path}.mode", SELECTION_MODES)
    if mode is None:
        return
    wanted, other = ("passing_grade", "n") if mode == "threshold" else ("n", "passing_grade")
    if wanted not in block:
        check.add(f"{path}.{wanted}", f"wajib diisi untuk mode {mode}")
    if other in block:
        check.add(f"{path}.{other}", f"tidak berlaku untuk mode {mode}")
    if mode == "threshold" and "passing_grade" in block:
        grade = check.number(block["passing_grade"], f"{path}.passing_grade")
        if grade is not None and scale is not None and not scale[0] <= grade <= scale[1]:
            check.add(
                f"{path}.passing_grade",
                f"{_show(grade)} di luar skala {_show(scale[0])}–{_show(scale[1])}",
            )
    if mode == "top_n" and "n" in block:
        counts = check.mapping(block["n"], f"{path}.n", closed=False)
        for group, n in (counts or {}).items():
            if known.groups is not None and group not in known.groups:
                check.add(f"{path}.n.{group}", f"kelompok {_show(group)} tidak ada di groups")
            check.integer(n, f"{path}.n.{group}", 1)
        if counts is not None:
            for group in known.groups or ():
                if group not in counts:
                    check.add(f"{path}.n", f"kelompok {group!r} tidak diberi n")


def _check_tie_breakers(check: _Check, value: object, path: str) -> None:
    entries = check.items(value, path, non_empty=False)
    seen: list[str] = []
    for index, entry in enumerate(entries or ()):
        ipath = f"{path}[{index}]"
        if isinstance(entry, str) and entry.startswith(SECTION_MEAN):
            check.code(entry[len(SECTION_MEAN) :], ipath)
        elif entry not in TIE_BREAKERS:
            check.add(
                ipath,
                f"{_show(entry)} tidak dikenal; pilih {SECTION_MEAN}<bagian>, "
                f"{_options(TIE_BREAKERS)}",
            )
            continue
        if entry in seen:
            check.add(ipath, f"{entry!r} disebut dua kali")
        seen.append(entry)


def _check_rubric(check: _Check, value: object, path: str) -> None:
    rubric = check.mapping(value, path, closed=False)
    if rubric is None:
        return
    if not rubric:
        check.add(path, "rubrik tidak boleh kosong")
        return
    total: Decimal | None = Decimal(0)
    for code, raw in rubric.items():
        check.code(code, f"{path}.{code}")
        weight = check.number(raw, f"{path}.{code}")
        if weight is not None and weight < 0:
            check.add(f"{path}.{code}", "bobot tidak boleh negatif")
            weight = None
        total = None if weight is None or total is None else total + weight
    if total is not None and total != 100:
        check.add(path, f"bobot berjumlah {_show(total)}, harus 100")


def _check_stages(check: _Check, root: Mapping[str, Any], known: _Known) -> None:
    """The on/off stages: panel review, objections, assessment, presentation, rating."""
    enabled = cast(dict[str, bool], known.enabled)
    if "panel_review" in root:
        path = "panel_review"
        block = check.enabled(root[path], path, ("reviewers_per_proposal",), ("pools",))
        if block is not None and "reviewers_per_proposal" in block:
            check.integer(block["reviewers_per_proposal"], f"{path}.reviewers_per_proposal", 1)
        if block is not None and "pools" in block:
            check.choice(block["pools"], f"{path}.pools", POOLS)
        enabled["panel_review"] = block is not None
    if "objection_window" in root:
        path = "objection_window"
        block = check.mapping(root[path], path, ("after", "days"), ("enabled",))
        if block is not None:
            if "enabled" in block:
                check.boolean(block["enabled"], f"{path}.enabled")
            if "after" in block:
                check.choice(block["after"], f"{path}.after", OBJECTION_AFTER)
            if "days" in block:
                check.integer(block["days"], f"{path}.days", 1)
    if "panel_assessment" in root:
        path = "panel_assessment"
        block = check.enabled(
            root[path], path, ("kind", "reviewers_per_proposal", "pools", "rubric")
        )
        if block is not None:
            if "kind" in block:
                check.choice(block["kind"], f"{path}.kind", ASSESSMENT_KINDS)
            if "reviewers_per_proposal" in block:
                check.integer(block["reviewers_per_proposal"], f"{path}.reviewers_per_proposal", 1)
            if "pools" in block:
                check.choice(block["pools"], f"{path}.pools", POOLS)
            if "rubric" in block:
                _check_rubric(check, block["rubric"], f"{path}.rubric")
        enabled["panel_assessment"] = block is not None
    if "presentation" in root:
        path = "presentation"
        block = check.enabled(root[path], path, ("minutes", "rubric"))
        if block is not None:
            if "minutes" in block:
                minutes = check.mapping(block["minutes"], f"{path}.minutes", ("talk", "interview"))
                for key in ("talk", "interview"):
                    if minutes and key in minutes:
                        check.integer(minutes[key], f"{path}.minutes.{key}", 1)
            if "rubric" in block:
                _check_rubric(check, block["rubric"], f"{path}.rubric")
        enabled["presentation"] = block is not None
    if "field_verification" in root:
        check.enabled(root["field_verification"], "field_verification", ())
    if "public_benefit_rating" in root:
        path = "public_benefit_rating"
        block = check.enabled(root[path], path, ("min_valid_ratings", "daily_cap"))
        if block is not None:
            for key in ("min_valid_ratings", "daily_cap"):
                if key in block:
                    check.integer(block[key], f"{path}.{key}", 1)
            if known.calendar is not None and "public_benefit_rating" not in known.calendar:
                check.add(
                    "calendar.public_benefit_rating",
                    "wajib diisi bila penilaian kebermanfaatan diaktifkan",
                )
        enabled["public_benefit"] = block is not None


def _check_finalists(check: _Check, value: object, known: _Known) -> None:
    path = "finalists"
    block = check.mapping(value, path, ("mode",), ("tier", "tiers"))
    if block is None or "mode" not in block:
        return
    mode = check.choice(block["mode"], f"{path}.mode", FINALIST_MODES)
    if mode is None:
        return
    wanted, other = ("tier", "tiers") if mode == "all_passing" else ("tiers", "tier")
    if wanted not in block:
        check.add(f"{path}.{wanted}", f"wajib diisi untuk mode {mode}")
    if other in block:
        check.add(f"{path}.{other}", f"tidak berlaku untuk mode {mode}")
    names: list[tuple[str, object]] = []
    if mode == "all_passing" and "tier" in block:
        names = [(f"{path}.tier", block["tier"])]
    elif mode == "top_n" and "tiers" in block:
        entries = check.items(block["tiers"], f"{path}.tiers")
        names = [(f"{path}.tiers[{i}]", entry) for i, entry in enumerate(entries or ())]
    for tpath, name in names:
        if known.tiers is None:
            continue
        tier = known.tiers.get(name) if isinstance(name, str) else None
        if tier is None:
            check.add(tpath, f"peringkat {_show(name)} tidak ada di tiers")
        elif tier.get("level") != "finalist":
            check.add(tpath, f"peringkat {name!r} bukan tingkat finalist")
        elif mode == "top_n" and tier.get("size") is None:
            check.add(tpath, f"peringkat {name!r} perlu size untuk mode top_n")


def _check_final_score(check: _Check, value: object, known: _Known) -> None:
    path = "final_score"
    block = check.mapping(value, path, ("components", "missing_component"))
    if block is None:
        return
    if "missing_component" in block:
        check.choice(
            block["missing_component"], f"{path}.missing_component", MISSING_COMPONENT_POLICIES
        )
    if "components" not in block:
        return
    components = check.mapping(block["components"], f"{path}.components", closed=False)
    if components is None:
        return
    if not components:
        check.add(f"{path}.components", "minimal satu komponen")
        return
    enabled = dict(known.enabled or {}, desk=True)
    total: Decimal | None = Decimal(0)
    for name, raw in components.items():
        cpath = f"{path}.components.{name}"
        if name not in enabled:
            check.add(
                cpath,
                f"komponen {_show(name)} tidak dikenal atau tahapnya bermasalah; "
                "yang dikenal: desk, panel_review, panel_assessment, presentation, public_benefit",
            )
        elif not enabled[name]:
            check.add(cpath, f"tahap {name!r} tidak diaktifkan (enabled: false)")
        weight = check.number(raw, cpath)
        if weight is not None and not 0 < weight <= 1:
            check.add(cpath, f"bobot harus > 0 dan ≤ 1, bukan {_show(weight)}")
            weight = None
        total = None if weight is None or total is None else total + weight
    if total is not None and total != 1:
        check.add(f"{path}.components", f"bobot berjumlah {_show(total)}, harus 1")


def _check_composition(check: _Check, value: object, known: _Known) -> None:
    path = "composition"
    block = check.mapping(value, path, ("applies_to",), ("region_3t_list", "constraints"))
    if block is None:
        return
    if "applies_to" in block:
        entries = check.items(block["applies_to"], f"{path}.applies_to")
        for index, name in enumerate(entries or ()):
            ipath = f"{path}.applies_to[{index}]"
            if known.tiers is None:
                continue
            tier = known.tiers.get(name) if isinstance(name, str) else None
            if tier is None:
                check.add(ipath, f"peringkat {_show(name)} tidak ada di tiers")
            elif tier.get("size") is None:
                check.add(ipath, f"peringkat {name!r} tidak berukuran (size kosong)")
    if "region_3t_list" in block:
        check.code(block["region_3t_list"], f"{path}.region_3t_list", EDITION_CODE_RE)
    if "constraints" not in block:
        return
    entries = check.items(block["constraints"], f"{path}.constraints", non_empty=False)
    for index, entry in enumerate(entries or ()):
        cpath = f"{path}.constraints[{index}]"
        item = check.mapping(entry, cpath, ("stratum",), ("value", "values", "min", "max"))
        if item is None or "stratum" not in item:
            continue
        stratum = check.choice(item["stratum"], f"{cpath}.stratum", STRATA)
        if "value" in item and "values" in item:
            check.add(cpath, "isi value atau values, jangan keduanya")
        values: list[Any] = []
        if "values" in item:
            values = check.items(item["values"], f"{cpath}.values") or []
        elif "value" in item:
            values = [item["value"]]
        vpath = f"{cpath}.values" if "values" in item else f"{cpath}.value"
        if stratum is not None:
            for value_item in values:
                problem = _stratum_value_problem(stratum, value_item, known)
                if problem:
                    check.add(vpath, problem)
            if stratum == "region_3t" and "region_3t_list" not in block:
                check.add(f"{path}.region_3t_list", "wajib diisi bila ada batasan region_3t")
        low = check.integer(item["min"], f"{cpath}.min") if "min" in item else None
        high = check.integer(item["max"], f"{cpath}.max") if "max" in item else None
        if "min" not in item and "max" not in item:
            check.add(cpath, "isi min atau max")
        if low is not None and high is not None and low > high:
            check.add(cpath, f"min {low} lebih besar dari max {high}")


def _stratum_value_problem(stratum: str, value: object, known: _Known) -> str | None:
    if stratum == "region_3t":
        return (
            None if isinstance(value, bool) else f"nilai 3T harus true/false, bukan {_show(value)}"
        )
    if stratum == "institution_type":
        if value in INSTITUTION_TYPES:
            return None
        return f"jenis instansi {_show(value)} tidak dikenal; pilih: {_options(INSTITUTION_TYPES)}"
    if stratum == "category" and known.categories is not None and value not in known.categories:
        return f"kategori {_show(value)} tidak ada di categories"
    if stratum == "group" and known.groups is not None and value not in known.groups:
        return f"kelompok {_show(value)} tidak ada di groups"
    if stratum == "province_local" and not (isinstance(value, str) and PROVINCE_RE.match(value)):
        return f"kode provinsi harus dua angka dalam tanda kutip (mis. '35'), bukan {_show(value)}"
    if stratum == "institution" and (isinstance(value, bool) or not isinstance(value, str | int)):
        return f"instansi harus kode atau id, bukan {_show(value)}"
    return None


# --------------------------------------------------------------------------- instrument


def check_instrument(rules: EditionRules, instrument: Instrument) -> list[Problem]:
    """Problems between the rules and the instrument of ``proposal_sections``; [] when they fit.

    The instrument must carry the edition's code and exactly its groups; every
    ``section_mean:<section>`` tie breaker must name one of its sections; an enabled
    presentation's rubric must equal the instrument's rubric when it has one.
    """
    problems: list[Problem] = []
    if instrument.code != rules.proposal_sections:
        problems.append(
            Problem(
                "proposal_sections",
                f"instrumen {instrument.code!r} bukan {rules.proposal_sections!r}",
            )
        )
    ours, theirs = list(rules.groups), [group.code for group in instrument.groups]
    if set(ours) != set(theirs):
        problems.append(
            Problem(
                "groups",
                f"kelompok edisi ({_options(ours)}) tidak sama dengan kelompok instrumen "
                f"{instrument.code} ({_options(theirs)})",
            )
        )
    sections = {section.code for section in instrument.sections}
    for index, breaker in enumerate(rules.desk_evaluation.tie_breakers):
        code = breaker.removeprefix(SECTION_MEAN)
        if breaker.startswith(SECTION_MEAN) and code not in sections:
            problems.append(
                Problem(
                    f"desk_evaluation.tie_breakers[{index}]",
                    f"bagian {code!r} tidak ada di instrumen {instrument.code}",
                )
            )
    presentation = instrument.rubric_for("presentation")
    if rules.presentation.enabled and presentation is not None:
        theirs_rubric = presentation.weights()
        if dict(rules.presentation.rubric) != theirs_rubric:
            problems.append(
                Problem(
                    "presentation.rubric",
                    f"berbeda dengan rubrik instrumen {instrument.code}: "
                    + ", ".join(f"{code} {_show(w)}" for code, w in theirs_rubric.items()),
                )
            )
    if rules.panel_assessment.enabled:
        kind = rules.panel_assessment.kind or "feasibility"
        rubric = instrument.rubric_for(kind)
        if rubric is None:
            problems.append(
                Problem(
                    "panel_assessment.kind",
                    f"instrumen {instrument.code} v{instrument.version} tidak memuat rubrik "
                    f"{kind!r}",
                )
            )
        elif rules.panel_assessment.rubric and dict(rules.panel_assessment.rubric) != (
            rubric.weights()
        ):
            problems.append(
                Problem(
                    "panel_assessment.rubric",
                    f"berbeda dengan rubrik {kind!r} instrumen {instrument.code}: "
                    + ", ".join(f"{code} {_show(w)}" for code, w in rubric.weights().items()),
                )
            )
    return problems


# --------------------------------------------------------------------------- building


def _dec(value: object) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(cast(Any, value))


def _moment(value: object, *, closing: bool) -> datetime:
    moment = to_moment(value, closing=closing)
    assert moment is not None  # validated
    return moment


def _day_of(value: object) -> date:
    day = to_day(value)
    assert day is not None  # validated
    return day


def _build_window(value: object) -> Window:
    if isinstance(value, list):
        return Window(window_open(_day_of(value[0])), window_close(_day_of(value[1])))
    day = _day_of(value)
    return Window(window_open(day), window_close(day))


def _build_calendar(data: Mapping[str, Any]) -> Calendar:
    registration = data["registration"]
    return Calendar(
        registration=Window(
            _moment(registration["open"], closing=False),
            _moment(registration["close"], closing=True),
        ),
        extensions=tuple(
            Extension(
                new_close=_moment(e["new_close"], closing=True),
                letter_no=e["letter_no"],
                date=_day_of(e["date"]),
            )
            for e in data.get("extensions", ())
        ),
        events=MappingProxyType(
            {
                name: _build_window(data[name])
                for name in (*CALENDAR_SEQUENCE, *CALENDAR_PARALLEL)
                if name in data and name != "registration"
            }
        ),
    )


def _build_group(code: str, data: Mapping[str, Any]) -> GroupRule:
    sources = data.get("replication_sources")
    requires = data.get("requires")
    return GroupRule(
        code=code,
        label=data["label"],
        min_age_months=data["min_age_months"],
        age_exceptions=tuple(
            AgeException(e["category"], e["min_age_months"]) for e in data.get("age_exceptions", ())
        ),
        quota_per_institution=data["quota_per_institution"],
        invitation_only=data.get("invitation_only", False),
        exclusions=tuple(data.get("exclusions", ())),
        replication_link=data["replication_link"],
        replication_sources=None
        if sources is None
        else ReplicationSources(
            levels=tuple(sources.get("levels", ())),
            tiers=tuple(sources.get("tiers", ())),
            years=(sources["years"][0], sources["years"][1]) if "years" in sources else None,
        ),
        requires=None
        if requires is None
        else Requirement(requires["held_tier_level"], requires.get("min_months_since_decree", 0)),
    )


def _build_exclusion(name: str, data: Mapping[str, Any]) -> ExclusionRule:
    kind = data["type"]
    tier_years: list[tuple[str, int]] = []
    if kind == "held_tiers":
        for entry in data["tiers"]:
            match = TIER_AT_YEAR_RE.match(entry)
            assert match is not None  # validated
            tier_years.append((match[1], int(match[2])))
    return ExclusionRule(
        name=name,
        type=kind,
        code=data.get("code", name),
        level=data.get("level"),
        tiers=tuple(data["tiers"]) if kind == "tier_count_at_least" else (),
        tier_years=tuple(tier_years),
        count=data.get("count"),
    )


def _rubric(data: Mapping[str, Any]) -> Mapping[str, Decimal]:
    return MappingProxyType({code: _dec(weight) for code, weight in data.items()})


def build_rules(data: Mapping[str, Any]) -> EditionRules:
    """The :class:`EditionRules` of data that :func:`validate_rules` accepted (unchecked here)."""
    edition = data["edition"]
    desk = data["desk_evaluation"]
    selection = desk["selection"]
    normalisation = desk["normalisation"]
    attachments = data["attachments"]
    panel_review = data["panel_review"]
    objection = data["objection_window"]
    assessment = data["panel_assessment"]
    presentation = data["presentation"]
    rating = data["public_benefit_rating"]
    finalists = data["finalists"]
    composition = data.get("composition")
    return EditionRules(
        programme=edition["programme"],
        code=edition["code"],
        year=edition["year"],
        ordinal=edition["ordinal"],
        theme=edition.get("theme"),
        legal_refs=tuple(edition["legal_refs"]),
        calendar=_build_calendar(data["calendar"]),
        eligibility=EligibilityRules(
            age_reference=data["eligibility"]["age_reference"],
            require_sdg=data["eligibility"]["require_sdg"],
            duplicate_title=data["eligibility"]["duplicate_title"],
        ),
        groups=MappingProxyType(
            {code: _build_group(code, spec) for code, spec in data["groups"].items()}
        ),
        exclusion_rules=MappingProxyType(
            {
                name: _build_exclusion(name, spec)
                for name, spec in data.get("exclusion_rules", {}).items()
            }
        ),
        categories=tuple(Category(c["code"], c["label"]) for c in data["categories"]),
        attachments=AttachmentRules(
            file_types=tuple(attachments["file_types"]),
            max_file_mb=_dec(attachments["max_file_mb"]),
            video=VideoRule(
                attachments["video"]["required"], attachments["video"].get("max_minutes")
            ),
            required=MappingProxyType(
                {key: tuple(kinds) for key, kinds in attachments["required"].items()}
            ),
        ),
        extra_forms=tuple(data.get("extra_forms", ())),
        proposal_sections=data["proposal_sections"],
        desk_evaluation=DeskEvaluation(
            score_scale=(_dec(desk["score_scale"][0]), _dec(desk["score_scale"][1])),
            evaluators_per_proposal=desk["evaluators_per_proposal"],
            load=LoadRule(
                min=desk["load"]["min"],
                max=None if desk["load"]["max"] == "auto" else desk["load"]["max"],
            ),
            aggregation=desk["aggregation"],
            disagreement_range=_dec(desk["disagreement_range"]),
            normalisation=Normalisation(
                normalisation["method"],
                normalisation["min_sample"],
                normalisation["use_for_decisions"],
            ),
            selection=Selection(
                mode=selection["mode"],
                passing_grade=_dec(selection["passing_grade"])
                if "passing_grade" in selection
                else None,
                n=MappingProxyType(dict(selection.get("n", {}))),
            ),
            tie_breakers=tuple(desk["tie_breakers"]),
        ),
        conflicts=tuple(data["conflicts"]),
        panel_review=PanelReview(
            enabled=panel_review["enabled"],
            reviewers_per_proposal=panel_review.get("reviewers_per_proposal"),
            pools=panel_review.get("pools"),
        ),
        finalists=Finalists(
            mode=finalists["mode"],
            tiers=(finalists["tier"],) if "tier" in finalists else tuple(finalists["tiers"]),
        ),
        objection_window=ObjectionWindow(
            enabled=objection.get("enabled", True),
            after=objection["after"],
            days=objection["days"],
        ),
        panel_assessment=PanelAssessment(
            enabled=assessment["enabled"],
            kind=assessment.get("kind"),
            reviewers_per_proposal=assessment.get("reviewers_per_proposal"),
            pools=assessment.get("pools"),
            rubric=_rubric(assessment.get("rubric", {})),
        ),
        presentation=Presentation(
            enabled=presentation["enabled"],
            talk_minutes=presentation.get("minutes", {}).get("talk"),
            interview_minutes=presentation.get("minutes", {}).get("interview"),
            rubric=_rubric(presentation.get("rubric", {})),
        ),
        field_verification=FieldVerification(data["field_verification"]["enabled"]),
        public_benefit_rating=PublicBenefitRating(
            enabled=rating["enabled"],
            min_valid_ratings=rating.get("min_valid_ratings"),
            daily_cap=rating.get("daily_cap"),
        ),
        final_score=FinalScore(
            components=MappingProxyType(
                {name: _dec(w) for name, w in data["final_score"]["components"].items()}
            ),
            missing_component=data["final_score"]["missing_component"],
        ),
        tiers=tuple(
            Tier(t["code"], t["level"], tuple(t["groups"]), t["size"], t.get("label"))
            for t in data["tiers"]
        ),
        composition=None
        if composition is None
        else Composition(
            applies_to=tuple(composition["applies_to"]),
            region_3t_list=composition.get("region_3t_list"),
            constraints=tuple(
                CompositionConstraint(
                    stratum=c["stratum"],
                    values=tuple(c["values"])
                    if "values" in c
                    else (c["value"],)
                    if "value" in c
                    else None,
                    min=c.get("min"),
                    max=c.get("max"),
                )
                for c in composition.get("constraints", ())
            ),
        ),
        announcement=AnnouncementRules(data["announcement"]["number_regex"]),
    )
