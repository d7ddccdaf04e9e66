"""Scoped querysets for the registry: what a person may see, in lists, exports, counts, API."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from prima.core.access import access_for
from prima.core.models import Institution, Person, ServiceUnit


def institutions_visible_to(person: Any) -> QuerySet[Institution]:
    """Institutions are public facts: everyone sees the active ones, national readers all."""
    access = access_for(person)
    qs = Institution.objects.select_related("region", "parent")
    if access.reads_nationally:
        return qs
    return qs.filter(is_active=True)


def units_visible_to(person: Any) -> QuerySet[ServiceUnit]:
    """National readers see every unit; institution and unit members their institution's."""
    access = access_for(person)
    qs = ServiceUnit.objects.select_related("institution", "region")
    if access.reads_nationally:
        return qs
    institution_ids = access.member_institution_ids
    if not institution_ids:
        return qs.none()
    return qs.filter(institution_id__in=institution_ids)


def units_manageable_by(person: Any) -> QuerySet[ServiceUnit]:
    """Units whose data and operators the person may change."""
    access = access_for(person)
    qs = ServiceUnit.objects.select_related("institution", "region")
    if access.is_secretariat:
        return qs
    return qs.filter(institution_id__in=access.admin_institution_ids)


def people_manageable_by(person: Any) -> QuerySet[Person]:
    """Accounts the person may create, deactivate or reactivate.

    The secretariat manages everyone; an Admin Lokal only the unit operators of the
    institution(s) they administer.
    """
    access = access_for(person)
    qs = Person.objects.all()
    if access.is_secretariat:
        return qs
    institution_ids = access.admin_institution_ids
    if not institution_ids:
        return qs.none()
    return qs.filter(
        Q(memberships__role="unit_operator", memberships__institution_id__in=institution_ids)
    ).distinct()


def with_active_unit_counts(institutions: QuerySet[Institution]) -> QuerySet[Institution]:
    """Annotate `active_units`.

    A correlated subquery rather than a join + GROUP BY: the database counts units only
    for the rows it returns (a page of 50), not for all 700+ institutions.
    """
    counts = (
        ServiceUnit.objects.filter(institution=OuterRef("pk"), is_active=True)
        .order_by()
        .values("institution")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return institutions.annotate(
        active_units=Coalesce(Subquery(counts, output_field=IntegerField()), 0)
    )
