from prima.pkri.models.forms import FormEvidence, SelfAssessment
from prima.pkri.models.publication import Announcement, InterviewSlot
from prima.pkri.models.scope import Locus, ScopeObject

__all__ = [
    "Announcement",
    "FormEvidence",
    "InterviewSlot",
    "Locus",
    "ScopeObject",
    "SelfAssessment",
]
