from prima.innovations.models.innovation import Category, Innovation
from prima.innovations.models.network import JippHub, UpdateRequest
from prima.innovations.models.records import AwardRecord, Evidence, ReplicationLink

__all__ = [
    "AwardRecord",
    "Category",
    "Evidence",
    "Innovation",
    "JippHub",
    "ReplicationLink",
    "UpdateRequest",
]
