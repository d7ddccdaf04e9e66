"""The fixed cast of personas reused by every permission test (STYLE.md, healthchecks)."""

from __future__ import annotations

import pytest
from django.test import Client

from prima.core.enums import InstitutionKind, RegionLevel, Role
from tests.factories import (
    InstitutionFactory,
    PersonFactory,
    RegionFactory,
    ServiceUnitFactory,
    person_with_role,
)


@pytest.fixture
def region_a(db):
    RegionFactory(code="13", name="Sumatera Barat", level=RegionLevel.PROVINCE, province_code="13")
    return RegionFactory(code="13.76", name="Kota Payakumbuh", level=RegionLevel.CITY)


@pytest.fixture
def region_b(db):
    RegionFactory(code="35", name="Jawa Timur", level=RegionLevel.PROVINCE, province_code="35")
    return RegionFactory(code="35.78", name="Kota Surabaya", level=RegionLevel.CITY)


@pytest.fixture
def institution_a(region_a):
    return InstitutionFactory(
        kind=InstitutionKind.CITY,
        name="Pemerintah Kota Payakumbuh",
        short_name="Kota Payakumbuh",
        region=region_a,
    )


@pytest.fixture
def institution_b(region_b):
    return InstitutionFactory(
        kind=InstitutionKind.CITY,
        name="Pemerintah Kota Surabaya",
        short_name="Kota Surabaya",
        region=region_b,
    )


@pytest.fixture
def unit_a(institution_a):
    return ServiceUnitFactory(institution=institution_a, name="Dinas PUPR Kota Payakumbuh")


@pytest.fixture
def unit_b(institution_b):
    return ServiceUnitFactory(institution=institution_b, name="Dinas Kependudukan Kota Surabaya")


@pytest.fixture
def secretariat(db):
    return person_with_role(Role.SECRETARIAT, username="sekretariat")


@pytest.fixture
def admin_a(institution_a):
    return person_with_role(Role.INSTITUTION_ADMIN, institution=institution_a, username="admin_a")


@pytest.fixture
def operator_a(unit_a):
    return person_with_role(Role.UNIT_OPERATOR, unit=unit_a, username="operator_a")


@pytest.fixture
def operator_b(unit_b):
    return person_with_role(Role.UNIT_OPERATOR, unit=unit_b, username="operator_b")


@pytest.fixture
def evaluator(db):
    return person_with_role(Role.EVALUATOR, username="evaluator")


@pytest.fixture
def nobody(db):
    """Logged in, but holds no role anywhere."""
    return PersonFactory(username="tanpa_peran")


@pytest.fixture
def personas(secretariat, admin_a, operator_a, operator_b, evaluator, nobody):
    return {
        "secretariat": secretariat,
        "admin_a": admin_a,
        "operator_a": operator_a,
        "operator_b": operator_b,
        "evaluator": evaluator,
        "nobody": nobody,
        "public": None,
    }


def client_for(person) -> Client:
    """A browser session logged in as the person (anonymous for None)."""
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


@pytest.fixture
def as_client():
    return client_for


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache; every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo(demo_once, db):
    """The national demo of a module that loads it once (`tests/demo_fixtures.py`)."""
    return demo_once
