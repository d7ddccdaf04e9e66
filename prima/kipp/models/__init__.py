from prima.kipp.models.benefit import (
    BenefitRating,
    BenefitRatingKey,
    RatingExclusion,
    RatingRelationship,
    RatingSuspicion,
)
from prima.kipp.models.proposal import (
    AdminCheck,
    Invitation,
    Proposal,
    ProposalAttachment,
    ProposalTransition,
)
from prima.kipp.models.publication import (
    Announcement,
    AwardEvent,
    Decree,
    FieldVisit,
    Objection,
    PresentationSlot,
)

__all__ = [
    "AdminCheck",
    "Announcement",
    "AwardEvent",
    "BenefitRating",
    "BenefitRatingKey",
    "Decree",
    "FieldVisit",
    "Invitation",
    "Objection",
    "PresentationSlot",
    "Proposal",
    "ProposalAttachment",
    "ProposalTransition",
    "RatingExclusion",
    "RatingRelationship",
    "RatingSuspicion",
]
