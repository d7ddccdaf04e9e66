"""The hubs of the demo (pkri.md §9): twelve provinces, eight designated in 2020 by
KepmenPANRB 94/2020 and four in 2021 by KepmenPANRB 359/2021, each with the demo's local
governments of its province as members.

Cheap on purpose: only the regions and institutions of the plan are written (as the demo
loader writes them), then the hub loader runs on them; the whole demo is not loaded.
"""

from __future__ import annotations

from collections import Counter

import pytest

from prima.core.demo.plan import build_plan
from prima.core.enums import InstitutionKind
from prima.core.models import Institution, Region
from prima.innovations.demo import hubs as demo_hubs
from prima.innovations.models import JippHub

HUBS_2020 = [
    "Jawa Timur",
    "Sumatera Selatan",
    "Sulawesi Selatan",
    "Jawa Tengah",
    "Sumatera Barat",
    "Kepulauan Bangka Belitung",
    "Kalimantan Selatan",
    "Gorontalo",
]
HUBS_2021 = ["Kalimantan Barat", "Riau", "Bali", "Maluku"]
LOCAL_GOVERNMENTS = {InstitutionKind.PROVINCE, InstitutionKind.REGENCY, InstitutionKind.CITY}


@pytest.fixture(scope="module")
def plan():
    return build_plan(size=30)


@pytest.fixture
def loaded(db, plan):
    Region.objects.bulk_create(
        Region(
            code=row.code,
            name=row.name,
            level=row.level,
            province_code=row.province_code,
            population=row.population,
        )
        for row in plan.regions
    )
    region_ids = dict(Region.objects.values_list("code", "pk"))
    Institution.objects.bulk_create(
        Institution(
            kind=spec.kind,
            name=spec.name,
            short_name=spec.short_name,
            region_id=region_ids.get(spec.region_code),
            province_code=spec.province_code,
        )
        for spec in plan.institutions
    )
    return demo_hubs.load(plan, [])


def test_twelve_hubs_eight_of_2020_and_four_of_2021(loaded):
    assert (loaded["jipp_hubs"], loaded["jipp_hubs_2020"], loaded["jipp_hubs_2021"]) == (12, 8, 4)
    by_year = {
        year: [hub.province.name for hub in JippHub.objects.filter(year=year)]
        for year in (2020, 2021)
    }
    assert sorted(by_year[2020]) == sorted(HUBS_2020)
    assert sorted(by_year[2021]) == sorted(HUBS_2021)
    decrees = Counter(JippHub.objects.values_list("year", "decree_ref"))
    assert decrees == {(2020, "KepmenPANRB 94/2020"): 8, (2021, "KepmenPANRB 359/2021"): 4}


def test_no_university_is_invented(loaded):
    assert all(hub.universities == [] for hub in JippHub.objects.all())


def test_members_are_every_local_government_of_the_province(loaded, plan):
    expected = Counter(
        spec.province_code
        for spec in plan.institutions
        if spec.kind in LOCAL_GOVERNMENTS
        and spec.province_code in set(JippHub.objects.values_list("province__code", flat=True))
    )
    for hub in JippHub.objects.select_related("province").prefetch_related("members__region"):
        members = list(hub.members.all())
        assert len(members) == expected[hub.province.code]
        assert {m.region.province_code for m in members} == {hub.province.code}
        assert {m.kind for m in members} <= LOCAL_GOVERNMENTS
    assert loaded["jipp_hub_members"] == sum(expected.values())
    # Jawa Timur: its provincial government, 29 regencies and 9 cities.
    jatim = JippHub.objects.get(province__name="Jawa Timur")
    assert Counter(jatim.members.values_list("kind", flat=True)) == {
        InstitutionKind.PROVINCE: 1,
        InstitutionKind.REGENCY: 29,
        InstitutionKind.CITY: 9,
    }
