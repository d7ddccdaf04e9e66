"""Who reads and who runs a unit's surveys (skm.md §4; the scoped querysets in
`prima.skm.queries` build on these).

- Running a survey (every write of it, its responses, tokens and follow-up plan) is for
  the unit's operators, the institution's Admin Lokal and the secretariat.
- Reading is for those, the institution's analysts and viewers, and national readers.
"""

from __future__ import annotations

from typing import Any, NamedTuple, TypeVar

from django.db.models import Model, Q, QuerySet

from prima.core.access import Access, access_for
from prima.core.enums import Role
from prima.core.models import ServiceUnit
from prima.skm.models import Survey

# Who reads an institution's surveys besides its units' operators.
READER_ROLES = (Role.INSTITUTION_ADMIN, Role.ANALYST, Role.VIEWER)


def runs_all(access: Access) -> bool:
    return access.is_superuser or access.is_secretariat


def reads_all(access: Access) -> bool:
    return access.is_superuser or access.reads_nationally


def reads_any_survey(person: Any) -> bool:
    """Whether the person may open the staff SKM pages at all (any reading scope)."""
    access = access_for(person)
    return bool(
        reads_all(access) or access.institutions_with(*READER_ROLES) or access.operator_unit_ids
    )


def may_read_unit(person: Any, unit: ServiceUnit) -> bool:
    """Whether the person may read the unit's surveys, plans and metrics."""
    access = access_for(person)
    return (
        reads_all(access)
        or unit.institution_id in access.institutions_with(*READER_ROLES)
        or unit.pk in access.operator_unit_ids
    )


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


class Scope(NamedTuple):
    """Whose surveys a person reaches: all, or those of these institutions and units."""

    everything: bool
    institutions: frozenset[int]
    units: frozenset[int]


def read_scope(person: Any) -> Scope:
    access = access_for(person)
    return Scope(
        reads_all(access),
        frozenset(access.institutions_with(*READER_ROLES)),
        frozenset(access.operator_unit_ids),
    )


def run_scope(person: Any) -> Scope:
    access = access_for(person)
    return Scope(
        runs_all(access),
        frozenset(access.admin_institution_ids),
        frozenset(access.operator_unit_ids),
    )


M = TypeVar("M", bound=Model)


def within(base: QuerySet[M], scope: Scope, *, unit_field: str = "unit_id") -> QuerySet[M]:
    """``base`` narrowed to the scope; rows need ``institution_id`` and ``unit_field``."""
    if scope.everything:
        return base
    if not scope.institutions and not scope.units:
        return base.none()
    return base.filter(
        Q(institution_id__in=scope.institutions) | Q(**{f"{unit_field}__in": scope.units})
    )
