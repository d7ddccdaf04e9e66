"""Who a person is in Prima: their active roles per scope, read once per request.

This is the one permission layer (DESIGN.md §1.5): scoped querysets and predicates
are built on it, views and the API never test roles on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from prima.core.enums import InstitutionKind, Role, Scope

NATIONAL_READ_ROLES = frozenset({Role.SECRETARIAT, Role.ANALYST, Role.VIEWER})
AUDIT_READ_ROLES = frozenset({Role.SECRETARIAT, Role.VIEWER})


@dataclass(frozen=True)
class Access:
    person_id: int | None
    is_superuser: bool = False
    national: frozenset[str] = frozenset()
    # institution id → roles held at that institution (institution-scoped memberships)
    institutions: dict[int, frozenset[str]] = field(default_factory=dict)
    # unit id → roles held at that unit, and the unit's institution
    units: dict[int, frozenset[str]] = field(default_factory=dict)
    unit_institution: dict[int, int] = field(default_factory=dict)
    # Province codes of the province governments where the person is `viewer` (institution
    # scope): that makes them the province's PKRI coordinator (pkri.md §2).
    viewer_provinces: frozenset[str] = frozenset()

    @property
    def is_authenticated(self) -> bool:
        return self.person_id is not None

    @property
    def is_secretariat(self) -> bool:
        return Role.SECRETARIAT in self.national

    @property
    def reads_nationally(self) -> bool:
        """Sees every institution's registry data (secretariat, analysts, viewers)."""
        return bool(self.national & NATIONAL_READ_ROLES)

    @property
    def works_in_registry(self) -> bool:
        """Sees some institution's internal registry pages (units, innovations)."""
        return self.reads_nationally or bool(self.institutions or self.units)

    @property
    def is_assessor(self) -> bool:
        """Serves some edition as evaluator or panelist (appointments say which)."""
        return bool(self.national & {Role.EVALUATOR, Role.PANELIST})

    @property
    def reads_audit(self) -> bool:
        """The audit log is for the secretariat and national viewers (auditors)."""
        return bool(self.national & AUDIT_READ_ROLES)

    def has_role(self, role: str) -> bool:
        return (
            role in self.national
            or any(role in roles for roles in self.institutions.values())
            or any(role in roles for roles in self.units.values())
        )

    def institutions_with(self, *roles: str) -> set[int]:
        wanted = set(roles)
        return {pk for pk, held in self.institutions.items() if held & wanted}

    def units_with(self, *roles: str) -> set[int]:
        wanted = set(roles)
        return {pk for pk, held in self.units.items() if held & wanted}

    @property
    def admin_institution_ids(self) -> set[int]:
        return self.institutions_with(Role.INSTITUTION_ADMIN)

    @property
    def operator_unit_ids(self) -> set[int]:
        return self.units_with(Role.UNIT_OPERATOR)

    @property
    def member_institution_ids(self) -> set[int]:
        """Institutions the person works for, through any institution or unit membership."""
        return set(self.institutions) | set(self.unit_institution.values())

    @property
    def coordinated_province_codes(self) -> set[str]:
        """Province codes of the province governments where the person holds `viewer`.

        DESIGN.md has no coordinator role: a viewer at a province government's institution
        is that province's coordinator (read-only progress of its loci, pkri.md §2).
        """
        return set(self.viewer_provinces)

    @property
    def roles(self) -> set[str]:
        held = set(self.national)
        for roles in (*self.institutions.values(), *self.units.values()):
            held |= roles
        return held


ANONYMOUS = Access(person_id=None)


def access_for(person: Any) -> Access:
    """The person's access, computed once and cached on the person object."""
    if person is None or not getattr(person, "is_authenticated", False) or not person.is_active:
        return ANONYMOUS
    cached = getattr(person, "_prima_access", None)
    if cached is not None:
        return cached
    from prima.core.models import Membership  # models import this module's users lazily

    national: set[str] = set()
    institutions: dict[int, set[str]] = {}
    units: dict[int, set[str]] = {}
    unit_institution: dict[int, int] = {}
    viewer_provinces: set[str] = set()
    # The institution's kind and region come in the same query (joins), so a province
    # coordinator costs no extra query.
    rows = Membership.objects.filter(person_id=person.pk, is_active=True).values_list(
        "role",
        "scope",
        "institution_id",
        "unit_id",
        "institution__kind",
        "institution__region__province_code",
    )
    for role, scope, institution_id, unit_id, kind, province_code in rows:
        if scope == Scope.NATIONAL:
            national.add(role)
        elif scope == Scope.INSTITUTION:
            institutions.setdefault(institution_id, set()).add(role)
            if role == Role.VIEWER and kind == InstitutionKind.PROVINCE and province_code:
                viewer_provinces.add(province_code)
        else:
            units.setdefault(unit_id, set()).add(role)
            unit_institution[unit_id] = institution_id
    access = Access(
        person_id=person.pk,
        is_superuser=person.is_superuser,
        national=frozenset(national),
        institutions={k: frozenset(v) for k, v in institutions.items()},
        units={k: frozenset(v) for k, v in units.items()},
        unit_institution=unit_institution,
        viewer_provinces=frozenset(viewer_provinces),
    )
    person._prima_access = access
    return access


def forget_access(person: Any) -> None:
    """Drop the cached access after memberships change."""
    if hasattr(person, "_prima_access"):
        del person._prima_access
