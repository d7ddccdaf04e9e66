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

This package is pure: no ORM, no Django. Every public name is importable from here.
"""

from __future__ import annotations

from prima.evaluation.domain.yamlcheck import Problem
from prima.kipp.domain.rules.build import build_rules, load_rules
from prima.kipp.domain.rules.constants import (
    AGE_REFERENCES,
    AGGREGATIONS,
    ALL_GROUPS,
    ASSESSMENT_KINDS,
    ATTACHMENT_KINDS,
    CALENDAR_LABELS,
    CALENDAR_PARALLEL,
    CALENDAR_SEQUENCE,
    CATEGORY_CODE_RE,
    CONFLICT_RULES,
    DUPLICATE_TITLE_POLICIES,
    EDITION_CODE_RE,
    EXCLUSION_TYPES,
    EXTRA_FORMS,
    FILE_TYPES,
    FINALIST_MODES,
    INSTITUTION_TYPES,
    LEVELS,
    MISSING_COMPONENT_POLICIES,
    NORMALISATION_METHODS,
    OBJECTION_AFTER,
    POOLS,
    PROGRAMME,
    PROVINCE_RE,
    REASON_CODES,
    REPLICATION_LINKS,
    SDG_GOALS,
    SECTION_MEAN,
    SELECTION_MODES,
    STRATA,
    TIE_BREAKERS,
    TIER_AT_YEAR_RE,
    WIB,
)
from prima.kipp.domain.rules.instrument import check_instrument
from prima.kipp.domain.rules.times import (
    age_reference_close,
    effective_close,
    to_day,
    to_moment,
    window_close,
    window_open,
)
from prima.kipp.domain.rules.types import (
    AgeException,
    AnnouncementRules,
    AttachmentRules,
    Calendar,
    Category,
    Composition,
    CompositionConstraint,
    DeskEvaluation,
    EditionRules,
    EligibilityRules,
    ExclusionRule,
    Extension,
    FieldVerification,
    Finalists,
    FinalScore,
    GroupRule,
    LoadRule,
    Normalisation,
    ObjectionWindow,
    PanelAssessment,
    PanelReview,
    Presentation,
    PublicBenefitRating,
    ReplicationSources,
    Requirement,
    RulesError,
    Selection,
    Tier,
    VideoRule,
    Window,
    auto_max_load,
)
from prima.kipp.domain.rules.validate import validate_rules

__all__ = [
    "AGE_REFERENCES",
    "AGGREGATIONS",
    "ALL_GROUPS",
    "ASSESSMENT_KINDS",
    "ATTACHMENT_KINDS",
    "CALENDAR_LABELS",
    "CALENDAR_PARALLEL",
    "CALENDAR_SEQUENCE",
    "CATEGORY_CODE_RE",
    "CONFLICT_RULES",
    "DUPLICATE_TITLE_POLICIES",
    "EDITION_CODE_RE",
    "EXCLUSION_TYPES",
    "EXTRA_FORMS",
    "FILE_TYPES",
    "FINALIST_MODES",
    "INSTITUTION_TYPES",
    "LEVELS",
    "MISSING_COMPONENT_POLICIES",
    "NORMALISATION_METHODS",
    "OBJECTION_AFTER",
    "POOLS",
    "PROGRAMME",
    "PROVINCE_RE",
    "REASON_CODES",
    "REPLICATION_LINKS",
    "SDG_GOALS",
    "SECTION_MEAN",
    "SELECTION_MODES",
    "STRATA",
    "TIER_AT_YEAR_RE",
    "TIE_BREAKERS",
    "WIB",
    "AgeException",
    "AnnouncementRules",
    "AttachmentRules",
    "Calendar",
    "Category",
    "Composition",
    "CompositionConstraint",
    "DeskEvaluation",
    "EditionRules",
    "EligibilityRules",
    "ExclusionRule",
    "Extension",
    "FieldVerification",
    "FinalScore",
    "Finalists",
    "GroupRule",
    "LoadRule",
    "Normalisation",
    "ObjectionWindow",
    "PanelAssessment",
    "PanelReview",
    "Presentation",
    "Problem",
    "PublicBenefitRating",
    "ReplicationSources",
    "Requirement",
    "RulesError",
    "Selection",
    "Tier",
    "VideoRule",
    "Window",
    "age_reference_close",
    "auto_max_load",
    "build_rules",
    "check_instrument",
    "effective_close",
    "load_rules",
    "to_day",
    "to_moment",
    "validate_rules",
    "window_close",
    "window_open",
]
