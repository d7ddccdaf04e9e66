"""The stages of a KIPP edition and what each allows (kipp.md §5, §8; DESIGN.md §5).

An edition gets one `Stage` row per lifecycle state; the flags below are the defaults
the secretariat can adjust per edition. Stages the rule set disables are `skipped`.

What the final stage scores follows the rule set (:func:`stage_scoring`): the feasibility
rubric when ``panel_assessment`` is enabled (the 2025 mode, §13), else the presentation
rubric. The choice is stored on the stage row when it is created, and the rubric's weights
are read from the edition's instrument, never from the rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from prima.evaluation.domain.sheets import (
    RUBRIC_FEASIBILITY,
    SCORING_RUBRIC,
    SCORING_SECTIONS,
    rubric_scoring,
)
from prima.evaluation.enums import AssessorRole, EditionState


@dataclass(frozen=True)
class StageTemplate:
    code: str
    participants_submit: bool = False
    assessors_score: bool = False
    identities_visible: bool = True
    others_scores_visible: bool = False
    decisions_open: bool = False
    objections_open: bool = False
    # "sections", or "rubric:<name>" (a plain "rubric" is the presentation rubric); the
    # final stage's value is resolved from the rule set by stage_scoring().
    scoring: str = ""
    assessor_role: str = ""


KIPP_STAGES: tuple[StageTemplate, ...] = (
    StageTemplate(EditionState.LAUNCHED),
    StageTemplate(EditionState.REGISTRATION_OPEN, participants_submit=True),
    StageTemplate(EditionState.REGISTRATION_CLOSED),
    StageTemplate(EditionState.ADMIN_SELECTION, decisions_open=True),
    # Desk evaluation is blind: evaluators see the content, not who proposed it.
    StageTemplate(
        EditionState.DESK_EVALUATION,
        assessors_score=True,
        identities_visible=False,
        decisions_open=True,
        scoring=SCORING_SECTIONS,
        assessor_role=AssessorRole.EVALUATOR,
    ),
    StageTemplate(
        EditionState.PANEL_STAGE,
        assessors_score=True,
        others_scores_visible=True,
        decisions_open=True,
        scoring=SCORING_SECTIONS,
        assessor_role=AssessorRole.PANELIST,
    ),
    StageTemplate(EditionState.OBJECTION_WINDOW, objections_open=True, decisions_open=True),
    StageTemplate(
        EditionState.FINAL_STAGE,
        assessors_score=True,
        decisions_open=True,
        scoring=SCORING_RUBRIC,
        assessor_role=AssessorRole.PANELIST,
    ),
    StageTemplate(EditionState.RESULTS, decisions_open=True),
    StageTemplate(EditionState.DECREED, decisions_open=True),
)


def _enabled(rules: Mapping[str, Any], key: str) -> bool:
    section = rules.get(key)
    if isinstance(section, Mapping):
        return bool(section.get("enabled", True))
    return section is not None


def stage_scoring(template: StageTemplate, rules: Mapping[str, Any]) -> str:
    """What a stage created from ``template`` scores under the edition's rule set.

    The final stage scores the rubric of the ``panel_assessment`` kind (``feasibility``)
    when the rules enable it, which replaces the presentation (kipp.md §13); otherwise the
    presentation rubric, written as the plain ``"rubric"`` that stages have always used.
    Every other stage keeps the template's value.
    """
    if template.code != EditionState.FINAL_STAGE:
        return template.scoring
    if _enabled(rules, "panel_assessment"):
        assessment = rules.get("panel_assessment")
        kind = assessment.get("kind") if isinstance(assessment, Mapping) else None
        return rubric_scoring(str(kind or RUBRIC_FEASIBILITY))
    return template.scoring


def skipped_stages(rules: Mapping[str, Any]) -> set[str]:
    """Stages the edition's rule set disables (kipp.md §5: disabled stages are skipped)."""
    skipped: set[str] = set()
    if not _enabled(rules, "panel_review"):
        skipped.add(EditionState.PANEL_STAGE)
    final_parts = ("presentation", "panel_assessment", "field_verification")
    if not any(_enabled(rules, key) for key in final_parts):
        skipped.add(EditionState.FINAL_STAGE)
    if not rules.get("objection_window"):
        skipped.add(EditionState.OBJECTION_WINDOW)
    return skipped
