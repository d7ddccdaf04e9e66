"""Who may run a unit's surveys: its operators, the institution's Admin Lokal, the
secretariat (skm.md §4; the scoped querysets in `prima.skm.queries` build on these)."""

from __future__ import annotations

from typing import Any

from prima.core.access import Access, access_for
from prima.core.models import ServiceUnit
from prima.skm.models import Survey


def runs_all(access: Access) -> bool:
    return access.is_superuser or access.is_secretariat


def may_run_unit(person: Any, unit: ServiceUnit) -> bool:
    access = access_for(person)
    return (
        runs_all(access)
        or unit.institution_id in access.admin_institution_ids
        or unit.pk in access.operator_unit_ids
    )


def may_run_survey(person: Any, survey: Survey) -> bool:
    access = access_for(person)
    return (
        runs_all(access)
        or survey.institution_id in access.admin_institution_ids
        or survey.unit_id in access.operator_unit_ids
    )
