"""The stages of a KIPP edition and what each allows (kipp.md §5, §8; DESIGN.md §5).

An edition gets one `Stage` row per lifecycle state; the flags below are the defaults
the secretariat can adjust per edition. Stages the rule set disables are `skipped`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
    scoring: str = ""  # "sections" or "rubric"
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
        scoring="sections",
        assessor_role=AssessorRole.EVALUATOR,
    ),
    StageTemplate(
        EditionState.PANEL_STAGE,
        assessors_score=True,
        others_scores_visible=True,
        decisions_open=True,
        scoring="sections",
        assessor_role=AssessorRole.PANELIST,
    ),
    StageTemplate(EditionState.OBJECTION_WINDOW, objections_open=True, decisions_open=True),
    StageTemplate(
        EditionState.FINAL_STAGE,
        assessors_score=True,
        decisions_open=True,
        scoring="rubric",
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
