from prima.evaluation.models.assignment import Assignment, AssignmentRun, Pin
from prima.evaluation.models.edition import Edition, Instrument, Stage
from prima.evaluation.models.people import Appointment, Conflict
from prima.evaluation.models.scores import Consolidation, Score, ScoreSheet, ScoreVersion
from prima.evaluation.models.selection import SelectionOverride, SelectionRun
from prima.evaluation.models.subject import Subject

__all__ = [
    "Appointment",
    "Assignment",
    "AssignmentRun",
    "Conflict",
    "Consolidation",
    "Edition",
    "Instrument",
    "Pin",
    "Score",
    "ScoreSheet",
    "ScoreVersion",
    "SelectionOverride",
    "SelectionRun",
    "Stage",
    "Subject",
]
