from prima.core.models.accounts import AccountRequest, ApiToken, Membership, Person
from prima.core.models.audit import AuditEntry, AuditHead
from prima.core.models.citizens import (
    Citizen,
    CitizenToken,
    OneTimeCode,
    OneTimeCodePurpose,
)
from prima.core.models.jobs import Job, JobState
from prima.core.models.registry import Institution, Region, Service, ServiceUnit

__all__ = [
    "AccountRequest",
    "ApiToken",
    "AuditEntry",
    "AuditHead",
    "Citizen",
    "CitizenToken",
    "Institution",
    "Job",
    "JobState",
    "Membership",
    "OneTimeCode",
    "OneTimeCodePurpose",
    "Person",
    "Region",
    "Service",
    "ServiceUnit",
]
