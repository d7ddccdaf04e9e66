"""Hubs (Simpul JIPP) and the places around them, for the hub tests.

The personas' regions (tests/conftest.py) give two provinces: Sumatera Barat (13, with
Kota Payakumbuh = institution_a) and Jawa Timur (35, with Kota Surabaya = institution_b).
"""

from __future__ import annotations

from prima.core.enums import InstitutionKind, RegionLevel
from prima.core.models import Institution, Region
from prima.innovations.models import JippHub
from tests.factories import InstitutionFactory, RegionFactory


def province(code: str = "13", name: str = "Sumatera Barat") -> Region:
    return RegionFactory(code=code, name=name, level=RegionLevel.PROVINCE, province_code=code)


def local_government(region: Region, kind: str = InstitutionKind.REGENCY) -> Institution:
    return InstitutionFactory(
        kind=kind, name=f"Pemerintah {region.name}", short_name=region.name, region=region
    )


def regency(code: str, name: str) -> Institution:
    region = RegionFactory(code=code, name=name, level=RegionLevel.REGENCY)
    return local_government(region)


def ministry(name: str = "Kementerian Kesehatan") -> Institution:
    return InstitutionFactory(kind=InstitutionKind.MINISTRY, name=name, region=None)


def hub(
    region: Region | None = None,
    *,
    decree_ref: str = "KepmenPANRB 94/2020",
    year: int = 2020,
    members: list[Institution] | None = None,
    universities: list[str] | None = None,
) -> JippHub:
    """A hub written directly (the domain functions have their own tests)."""
    made = JippHub.objects.create(
        province=region or province(),
        decree_ref=decree_ref,
        year=year,
        universities=universities or [],
    )
    made.members.set(members or [])
    return made
