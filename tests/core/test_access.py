"""`access_for`: the province coordinator derived from memberships (pkri.md §2)."""

from __future__ import annotations

import pytest

from prima.core.access import access_for, forget_access
from prima.core.enums import Role
from prima.core.models import Membership
from tests.factories import person_with_role
from tests.pkri.province_factories import province_government

pytestmark = pytest.mark.django_db


def test_a_viewer_at_a_province_government_coordinates_that_province():
    jatim = province_government("35", "Jawa Timur")
    person = person_with_role(Role.VIEWER, institution=jatim)

    access = access_for(person)

    assert access.coordinated_province_codes == {"35"}
    assert not access.reads_nationally


def test_other_roles_and_other_kinds_coordinate_nothing(institution_b):
    jatim = province_government("35", "Jawa Timur")
    admin = person_with_role(Role.INSTITUTION_ADMIN, institution=jatim)
    city_viewer = person_with_role(Role.VIEWER, institution=institution_b)
    national_viewer = person_with_role(Role.VIEWER)

    for person in (admin, city_viewer, national_viewer):
        assert access_for(person).coordinated_province_codes == set()


def test_two_provinces_and_an_inactive_membership(institution_b):
    jatim = province_government("35", "Jawa Timur")
    sumbar = province_government("13", "Sumatera Barat")
    person = person_with_role(Role.VIEWER, institution=jatim)
    person_with_role(Role.VIEWER, institution=sumbar)  # someone else
    Membership.objects.create(
        person=person, role=Role.VIEWER, scope="institution", institution=sumbar
    )
    assert access_for(person).coordinated_province_codes == {"13", "35"}

    Membership.objects.filter(person=person, institution=sumbar).update(is_active=False)
    forget_access(person)
    assert access_for(person).coordinated_province_codes == {"35"}


def test_access_costs_one_query_for_a_coordinator(django_assert_num_queries):
    jatim = province_government("35", "Jawa Timur")
    person = person_with_role(Role.VIEWER, institution=jatim)
    forget_access(person)
    with django_assert_num_queries(1):
        assert access_for(person).coordinated_province_codes == {"35"}
