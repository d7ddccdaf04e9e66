"""Local governments of the demo: one per row of `prima/data/regions.csv`.

Names follow the official form ("Pemerintah Provinsi Sumatera Barat", "Pemerintah
Kabupaten Aceh Selatan", "Pemerintah Kota Payakumbuh"); the short name is the region's
own name ("Provinsi Sumatera Barat", "Kabupaten Aceh Selatan", "Kota Payakumbuh").

Flags, deterministic and documented in docs/operations.md:

- 3T/disadvantaged (`is_disadvantaged`): every regency (not city, not province) in
  Nusa Tenggara Timur (53), Maluku (81), Maluku Utara (82) and the six Papua provinces
  (91–96). It approximates the national list of disadvantaged regions, which is
  concentrated there.
- Border (`is_border`): the regencies and cities named in `BORDER_REGIONS`, those with a
  land border (Malaysia, Timor-Leste, Papua New Guinea) or outermost small islands facing
  a neighbouring country.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from prima.core.enums import RegionLevel

REGIONS_CSV = Path(__file__).resolve().parent.parent.parent / "data" / "regions.csv"

DISADVANTAGED_PROVINCES = frozenset({"53", "81", "82", "91", "92", "93", "94", "95", "96"})

BORDER_REGIONS = frozenset(
    {
        # Land border with Malaysia (Kalimantan).
        "Kabupaten Sambas",
        "Kabupaten Bengkayang",
        "Kabupaten Sanggau",
        "Kabupaten Sintang",
        "Kabupaten Kapuas Hulu",
        "Kabupaten Mahakam Ulu",
        "Kabupaten Nunukan",
        "Kabupaten Malinau",
        # Land border with Timor-Leste.
        "Kabupaten Belu",
        "Kabupaten Malaka",
        "Kabupaten Timor Tengah Utara",
        "Kabupaten Kupang",
        # Land border with Papua New Guinea.
        "Kota Jayapura",
        "Kabupaten Keerom",
        "Kabupaten Pegunungan Bintang",
        "Kabupaten Boven Digoel",
        "Kabupaten Merauke",
        # Outermost islands facing a neighbouring country.
        "Kabupaten Natuna",
        "Kabupaten Kepulauan Anambas",
        "Kabupaten Kepulauan Talaud",
        "Kabupaten Kepulauan Sangihe",
        "Kabupaten Rote Ndao",
        "Kabupaten Alor",
        "Kabupaten Maluku Barat Daya",
        "Kabupaten Kepulauan Aru",
        "Kabupaten Pulau Morotai",
        "Kabupaten Raja Ampat",
        "Kabupaten Supiori",
    }
)

# Everyday names of provinces whose official names are long.
PROVINCE_COMMON_NAMES = {
    "31": "DKI Jakarta",
    "34": "DI Yogyakarta",
}

# Official e-mail domains the demo knows; others are left empty rather than guessed.
EMAIL_DOMAINS = {
    "13": "sumbarprov.go.id",
    "13.76": "payakumbuhkota.go.id",
    "31": "jakarta.go.id",
    "35": "jatimprov.go.id",
    "35.78": "surabaya.go.id",
}


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    province_code: str
    population: int | None


@dataclass(frozen=True)
class LocalGovernment:
    region_code: str
    kind: str
    name: str
    short_name: str
    province_code: str
    is_disadvantaged: bool
    is_border: bool
    email_domain: str


def read_regions(path: Path | None = None) -> list[RegionRow]:
    """The rows of regions.csv, names stripped of stray spaces."""
    with (path or REGIONS_CSV).open(encoding="utf-8", newline="") as handle:
        return [
            RegionRow(
                code=row["code"].strip(),
                name=" ".join(row["name"].split()),
                level=row["level"].strip(),
                province_code=row["province_code"].strip(),
                population=int(row["population"]) if row["population"].strip() else None,
            )
            for row in csv.DictReader(handle)
        ]


def province_common_name(row: RegionRow) -> str:
    """The name people use for a province ("DKI Jakarta" rather than the full title)."""
    return PROVINCE_COMMON_NAMES.get(row.code, row.name)


def local_government(row: RegionRow) -> LocalGovernment:
    """The local government of one region, with its name, short name and flags."""
    if row.level == RegionLevel.PROVINCE:
        name = f"Pemerintah Provinsi {row.name}"
        short_name = f"Provinsi {province_common_name(row)}"
    else:
        name = f"Pemerintah {row.name}"
        short_name = row.name
    return LocalGovernment(
        region_code=row.code,
        kind=row.level,
        name=name,
        short_name=short_name[:60],
        province_code=row.province_code,
        is_disadvantaged=(
            row.level == RegionLevel.REGENCY and row.province_code in DISADVANTAGED_PROVINCES
        ),
        is_border=row.name in BORDER_REGIONS,
        email_domain=EMAIL_DOMAINS.get(row.code, ""),
    )
