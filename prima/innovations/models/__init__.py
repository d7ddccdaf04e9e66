from prima.innovations.models.innovation import Category, Innovation
from prima.innovations.models.records import AwardRecord, Evidence, ReplicationLink

__all__ = ["AwardRecord", "Category", "Evidence", "Innovation", "ReplicationLink"]
