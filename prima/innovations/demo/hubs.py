"""JIPP demo data: the twelve replication-network hubs (Simpul JIPP) of pkri.md §9.

Eight pilot provinces designated in 2020 by KepmenPANRB 94/2020 and four more in 2021 by
KepmenPANRB 359/2021. Each hub's members are the demo's local governments of its province
(the provincial government, its regencies and cities). No assisting university is named:
the spec gives none, and the demo invents no names, so `universities` stays empty.

Written in bulk (hubs, then member rows) inside the demo's transaction; the `demo.loaded`
audit entry carries the counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prima.core.demo.plan import DemoPlan
from prima.core.enums import InstitutionKind, RegionLevel
from prima.core.models import Institution, Region
from prima.innovations.models import Innovation, JippHub

DECREE_2020 = "KepmenPANRB 94/2020"
DECREE_2021 = "KepmenPANRB 359/2021"
# (province name as in the region registry, year, decree), in the order of pkri.md §9.
HUBS: tuple[tuple[str, int, str], ...] = (
    ("Jawa Timur", 2020, DECREE_2020),
    ("Sumatera Selatan", 2020, DECREE_2020),
    ("Sulawesi Selatan", 2020, DECREE_2020),
    ("Jawa Tengah", 2020, DECREE_2020),
    ("Sumatera Barat", 2020, DECREE_2020),
    ("Kepulauan Bangka Belitung", 2020, DECREE_2020),
    ("Kalimantan Selatan", 2020, DECREE_2020),
    ("Gorontalo", 2020, DECREE_2020),
    ("Kalimantan Barat", 2021, DECREE_2021),
    ("Riau", 2021, DECREE_2021),
    ("Bali", 2021, DECREE_2021),
    ("Maluku", 2021, DECREE_2021),
)
MEMBER_KINDS = (InstitutionKind.PROVINCE, InstitutionKind.REGENCY, InstitutionKind.CITY)
BATCH = 1000


def load(plan: DemoPlan, innovations: Sequence[Innovation]) -> dict[str, Any]:
    """Write the twelve hubs and their members; return the counts for the demo audit entry."""
    codes = {
        row.name: row.code
        for row in plan.regions
        if row.level == RegionLevel.PROVINCE and row.name in {name for name, _, _ in HUBS}
    }
    missing = [name for name, _, _ in HUBS if name not in codes]
    if missing:
        raise ValueError(f"demo hubs: provinces missing from the region registry: {missing}")
    provinces = dict(Region.objects.filter(code__in=codes.values()).values_list("code", "pk"))
    hubs = [
        JippHub(province_id=provinces[codes[name]], decree_ref=decree, year=year)
        for name, year, decree in HUBS
    ]
    JippHub.objects.bulk_create(hubs)
    hub_by_province = {codes[name]: hub for (name, _, _), hub in zip(HUBS, hubs, strict=True)}

    names = [
        spec.name
        for spec in plan.institutions
        if spec.kind in MEMBER_KINDS and spec.province_code in hub_by_province
    ]
    members = Institution.objects.filter(name__in=names).values_list("pk", "province_code")
    through = JippHub.members.through
    rows = [
        through(jipphub_id=hub_by_province[province_code].pk, institution_id=pk)
        for pk, province_code in members
    ]
    through.objects.bulk_create(rows, batch_size=BATCH)
    return {
        "jipp_hubs": len(hubs),
        "jipp_hubs_2020": sum(1 for hub in hubs if hub.year == 2020),
        "jipp_hubs_2021": sum(1 for hub in hubs if hub.year == 2021),
        "jipp_hub_members": len(rows),
    }
