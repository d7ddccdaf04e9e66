"""The stage rows of a PKRI edition and what each allows (pkri.md §5.2).

Views read the flags of the open stage; nothing branches on the stage code.
"""

from __future__ import annotations

from dataclasses import dataclass

from prima.evaluation.enums import AssessorRole, EditionState


@dataclass(frozen=True)
class StageTemplate:
    code: str
    participants_submit: bool = False
    assessors_score: bool = False
    identities_visible: bool = True
    others_scores_visible: bool = False
    decisions_open: bool = False
    scoring: str = ""
    assessor_role: str = ""


# PKRI is not blind: the desk assessors judge an institution's own record (§7.1).
PKRI_STAGES: tuple[StageTemplate, ...] = (
    StageTemplate(EditionState.SCOPE_DRAFT, decisions_open=True),
    StageTemplate(EditionState.SCOPE_FROZEN),
    StageTemplate(EditionState.FORMS_OPEN, participants_submit=True),
    StageTemplate(EditionState.FORMS_CLOSED),
    StageTemplate(
        EditionState.DESK_EVALUATION,
        assessors_score=True,
        # The secretariat records consolidated scores (kipp.md §10.3) while it is open.
        decisions_open=True,
        scoring="sections",
        assessor_role=AssessorRole.EVALUATOR,
    ),
    StageTemplate(EditionState.SHORTLIST_PUBLISHED, decisions_open=True),
    StageTemplate(
        EditionState.INTERVIEWS,
        assessors_score=True,
        scoring="rubric:interview",
        assessor_role=AssessorRole.PANELIST,
    ),
    StageTemplate(EditionState.PLENARY, others_scores_visible=True, decisions_open=True),
    StageTemplate(EditionState.RESULTS),
    StageTemplate(EditionState.DECREED),
    StageTemplate(EditionState.AWARDED),
    StageTemplate(EditionState.CLOSED),
)

PKRI_STAGE_CODES: tuple[str, ...] = tuple(t.code for t in PKRI_STAGES)
# From here on the results are frozen and public figures may be generated (pkri.md §8).
RESULTS_STATES = frozenset(
    {EditionState.RESULTS, EditionState.DECREED, EditionState.AWARDED, EditionState.CLOSED}
)


def reached(state: str, target: str) -> bool:
    """Whether an edition in ``state`` has reached ``target`` in the PKRI lifecycle."""
    if state == EditionState.PLANNED:
        return target == EditionState.PLANNED
    return PKRI_STAGE_CODES.index(state) >= PKRI_STAGE_CODES.index(target)
