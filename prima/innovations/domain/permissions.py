"""Who may see or change one innovation: the object-level form of the rules that
`prima.innovations.queries` expresses as querysets (the two are tested to agree)."""

from __future__ import annotations

from typing import Any

from prima.core.access import access_for
from prima.core.models import ServiceUnit
from prima.innovations.models import Innovation


def may_see(person: Any, innovation: Innovation) -> bool:
    """National readers, the owning institution's members, the owning unit's members."""
    access = access_for(person)
    return (
        access.reads_nationally
        or innovation.institution_id in access.institutions
        or innovation.unit_id in access.units
    )


def may_edit_unit(person: Any, unit: ServiceUnit) -> bool:
    """The secretariat, the unit's Admin Lokal, the unit's operators."""
    access = access_for(person)
    return (
        access.is_secretariat
        or unit.institution_id in access.admin_institution_ids
        or unit.pk in access.operator_unit_ids
    )


def may_edit(person: Any, innovation: Innovation) -> bool:
    """Whether the person may change the innovation and its evidence and lineage."""
    access = access_for(person)
    return (
        access.is_secretariat
        or innovation.institution_id in access.admin_institution_ids
        or innovation.unit_id in access.operator_unit_ids
    )


def may_record_awards(person: Any) -> bool:
    """Award history is recorded by the secretariat only."""
    return access_for(person).is_secretariat
