from prima.core.models.accounts import AccountRequest, ApiToken, Membership, Person
from prima.core.models.audit import AuditEntry, AuditHead
from prima.core.models.registry import Institution, Region, ServiceUnit

__all__ = [
    "AccountRequest",
    "ApiToken",
    "AuditEntry",
    "AuditHead",
    "Institution",
    "Membership",
    "Person",
    "Region",
    "ServiceUnit",
]
