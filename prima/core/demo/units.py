"""Service units (UPP) of every demo institution, realistic per kind of institution.

A regency or city has its offices (Dinas, Badan, Satpol PP, the organisation section),
a regional hospital, health centres (Puskesmas) and sub-districts (Kecamatan) in
proportion to its population, and sometimes a public-service mall (MPP). A province has
its offices, a hospital and one Samsat office per regency/city. Ministries and agencies
have headquarters units and, where they have them, vertical offices per province or
regency/city. Everything is drawn from the caller's seeded random generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from prima.core.demo import places
from prima.core.demo.central import (
    HEADQUARTERS_UNITS,
    REGIONAL_ENTERPRISES,
    SPECIAL_UNITS,
    STATE_ENTERPRISE_UNITS,
    CentralInstitution,
)
from prima.core.demo.localgov import RegionRow, province_common_name
from prima.core.enums import RegionLevel, ServiceType, UnitKind


@dataclass(frozen=True)
class UnitSpec:
    institution_name: str
    name: str
    kind: str
    service_type: str
    region_code: str
    user_population: int
    address: str
    # What the unit does, for matching innovation themes.
    tag: str


@dataclass(frozen=True)
class OfficeTemplate:
    name: str
    kind: str
    service_type: str
    tag: str
    # Yearly users as a share of the region's population.
    reach: float


_A, _S, _G = ServiceType.ADMINISTRATIVE, ServiceType.SERVICES, ServiceType.GOODS

LOCAL_OFFICES: tuple[OfficeTemplate, ...] = (
    OfficeTemplate("Dinas Kependudukan dan Pencatatan Sipil", UnitKind.DINAS, _A, "dukcapil", 0.25),
    OfficeTemplate(
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        UnitKind.DINAS,
        _A,
        "perizinan",
        0.03,
    ),
    OfficeTemplate("Dinas Kesehatan", UnitKind.DINAS, _S, "kesehatan", 0.05),
    OfficeTemplate("Dinas Pendidikan dan Kebudayaan", UnitKind.DINAS, _S, "pendidikan", 0.2),
    OfficeTemplate("Dinas Sosial", UnitKind.DINAS, _G, "sosial", 0.08),
    OfficeTemplate("Dinas Pekerjaan Umum dan Penataan Ruang", UnitKind.DINAS, _S, "pupr", 0.02),
    OfficeTemplate("Dinas Perumahan dan Kawasan Permukiman", UnitKind.DINAS, _S, "perkim", 0.01),
    OfficeTemplate("Dinas Perhubungan", UnitKind.DINAS, _S, "perhubungan", 0.1),
    OfficeTemplate("Dinas Lingkungan Hidup", UnitKind.DINAS, _S, "lingkungan", 0.15),
    OfficeTemplate("Dinas Tenaga Kerja", UnitKind.DINAS, _A, "naker", 0.03),
    OfficeTemplate("Dinas Koperasi, Usaha Kecil dan Menengah", UnitKind.DINAS, _S, "umkm", 0.02),
    OfficeTemplate("Dinas Perdagangan", UnitKind.DINAS, _S, "perdagangan", 0.04),
    OfficeTemplate("Dinas Pertanian", UnitKind.DINAS, _G, "pertanian", 0.05),
    OfficeTemplate("Dinas Perikanan", UnitKind.DINAS, _G, "perikanan", 0.01),
    OfficeTemplate("Dinas Komunikasi dan Informatika", UnitKind.DINAS, _S, "kominfo", 0.3),
    OfficeTemplate("Dinas Perpustakaan dan Kearsipan", UnitKind.DINAS, _S, "perpustakaan", 0.05),
    OfficeTemplate(
        "Dinas Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan Perempuan dan "
        "Perlindungan Anak",
        UnitKind.DINAS,
        _S,
        "p3a",
        0.03,
    ),
    OfficeTemplate("Dinas Pariwisata", UnitKind.DINAS, _S, "pariwisata", 0.2),
    OfficeTemplate("Dinas Pemuda dan Olahraga", UnitKind.DINAS, _S, "pemuda", 0.02),
    OfficeTemplate("Dinas Ketahanan Pangan", UnitKind.DINAS, _G, "pangan", 0.03),
    OfficeTemplate("Satuan Polisi Pamong Praja", UnitKind.KANTOR, _S, "satpol", 0.01),
    OfficeTemplate("Badan Pendapatan Daerah", UnitKind.BADAN, _A, "pendapatan", 0.2),
    OfficeTemplate("Badan Penanggulangan Bencana Daerah", UnitKind.BADAN, _S, "bencana", 0.02),
    OfficeTemplate(
        "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah",
        UnitKind.BADAN,
        _A,
        "perencanaan",
        0.001,
    ),
    OfficeTemplate(
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        UnitKind.BADAN,
        _A,
        "kepegawaian",
        0.005,
    ),
    OfficeTemplate("Bagian Organisasi Sekretariat Daerah", UnitKind.BIRO, _A, "organisasi", 0.001),
)
# Village empowerment is a regency matter; cities have no villages (desa).
REGENCY_ONLY_OFFICES: tuple[OfficeTemplate, ...] = (
    OfficeTemplate("Dinas Pemberdayaan Masyarakat dan Desa", UnitKind.DINAS, _S, "pmd", 0.02),
)

PROVINCE_OFFICES: tuple[OfficeTemplate, ...] = (
    OfficeTemplate("Dinas Pendidikan", UnitKind.DINAS, _S, "pendidikan", 0.05),
    OfficeTemplate("Dinas Kesehatan", UnitKind.DINAS, _S, "kesehatan", 0.02),
    OfficeTemplate("Dinas Sosial", UnitKind.DINAS, _G, "sosial", 0.02),
    OfficeTemplate(
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        UnitKind.DINAS,
        _A,
        "perizinan",
        0.005,
    ),
    OfficeTemplate("Dinas Perhubungan", UnitKind.DINAS, _S, "perhubungan", 0.02),
    OfficeTemplate("Dinas Tenaga Kerja dan Transmigrasi", UnitKind.DINAS, _A, "naker", 0.01),
    OfficeTemplate("Dinas Kelautan dan Perikanan", UnitKind.DINAS, _G, "perikanan", 0.005),
    OfficeTemplate("Dinas Kehutanan", UnitKind.DINAS, _S, "lingkungan", 0.002),
    OfficeTemplate("Dinas Energi dan Sumber Daya Mineral", UnitKind.DINAS, _A, "perizinan", 0.001),
    OfficeTemplate("Dinas Koperasi dan UKM", UnitKind.DINAS, _S, "umkm", 0.01),
    OfficeTemplate("Dinas Perindustrian dan Perdagangan", UnitKind.DINAS, _S, "perdagangan", 0.01),
    OfficeTemplate("Dinas Pariwisata", UnitKind.DINAS, _S, "pariwisata", 0.05),
    OfficeTemplate("Dinas Komunikasi dan Informatika", UnitKind.DINAS, _S, "kominfo", 0.1),
    OfficeTemplate("Dinas Lingkungan Hidup", UnitKind.DINAS, _S, "lingkungan", 0.01),
    OfficeTemplate(
        "Dinas Tanaman Pangan, Hortikultura dan Perkebunan",
        UnitKind.DINAS,
        _G,
        "pertanian",
        0.01,
    ),
    OfficeTemplate("Dinas Perpustakaan dan Kearsipan", UnitKind.DINAS, _S, "perpustakaan", 0.01),
    OfficeTemplate("Badan Pendapatan Daerah", UnitKind.BADAN, _A, "pendapatan", 0.1),
    OfficeTemplate("Badan Penanggulangan Bencana Daerah", UnitKind.BADAN, _S, "bencana", 0.01),
    OfficeTemplate("Badan Kepegawaian Daerah", UnitKind.BADAN, _A, "kepegawaian", 0.002),
    OfficeTemplate("Biro Organisasi Sekretariat Daerah", UnitKind.BIRO, _A, "organisasi", 0.001),
    OfficeTemplate("Satuan Polisi Pamong Praja", UnitKind.KANTOR, _S, "satpol", 0.002),
)

# Local governments known to run a public-service mall in the demo, beyond the drawn ones.
MPP_REGIONS = frozenset({"13.76", "35.78", "31.71", "32.73", "33.74", "51.71", "64.71"})

_CAPITAL_WORDS = ("Kota Administrasi ", "Kabupaten Administrasi ", "Kabupaten ", "Kota ")


def _locality(region_name: str) -> str:
    """ "Kota Payakumbuh" → "Payakumbuh", for names of places inside it."""
    for prefix in _CAPITAL_WORDS:
        if region_name.startswith(prefix):
            return region_name[len(prefix) :]
    return region_name


def _population(row: RegionRow) -> int:
    return row.population or 250_000


def local_units(rng: random.Random, institution_name: str, row: RegionRow) -> list[UnitSpec]:
    """Units of one regency or city government."""
    population = _population(row)
    is_city = row.level == RegionLevel.CITY
    units: list[UnitSpec] = []
    offices = LOCAL_OFFICES if is_city else LOCAL_OFFICES + REGENCY_ONLY_OFFICES
    for office in offices:
        units.append(
            UnitSpec(
                institution_name=institution_name,
                name=f"{office.name} {row.name}",
                kind=office.kind,
                service_type=office.service_type,
                region_code=row.code,
                user_population=max(200, int(population * office.reach * rng.uniform(0.7, 1.3))),
                address=places.address(rng, row.name),
                tag=office.tag,
            )
        )
    units.append(
        UnitSpec(
            institution_name=institution_name,
            name=f"Rumah Sakit Umum Daerah {row.name}",
            kind=UnitKind.RSUD,
            service_type=_S,
            region_code=row.code,
            user_population=max(5_000, int(population * rng.uniform(0.06, 0.12))),
            address=places.address(rng, row.name),
            tag="rsud",
        )
    )
    if row.code in MPP_REGIONS or rng.random() < 0.4:
        units.append(
            UnitSpec(
                institution_name=institution_name,
                name=f"Mal Pelayanan Publik {row.name}",
                kind=UnitKind.MPP,
                service_type=_A,
                region_code=row.code,
                user_population=max(5_000, int(population * rng.uniform(0.1, 0.3))),
                address=places.address(rng, row.name),
                tag="mpp",
            )
        )
    if row.code == "13.76":
        districts = list(places.PAYAKUMBUH_DISTRICTS)
        health_centres = list(places.PAYAKUMBUH_HEALTH_CENTRES)
    else:
        per_district = 60_000 if is_city else 35_000
        n_districts = min(40, max(2 if is_city else 4, round(population / per_district)))
        districts = places.place_names(
            rng, n_districts, city=_locality(row.name) if is_city else ""
        )
        extra = rng.randint(0, max(1, n_districts // 3))
        health_centres = (
            districts
            + [
                name
                for name in places.place_names(rng, n_districts + extra)
                if name not in districts
            ][:extra]
        )
    for district in districts:
        units.append(
            UnitSpec(
                institution_name=institution_name,
                name=f"Kecamatan {district}",
                kind=UnitKind.KECAMATAN,
                service_type=_A,
                region_code=row.code,
                user_population=max(500, int(population / len(districts) * rng.uniform(0.1, 0.3))),
                address=places.address(rng, f"{district}, {row.name}"),
                tag="kecamatan",
            )
        )
    for centre in health_centres:
        units.append(
            UnitSpec(
                institution_name=institution_name,
                name=f"Puskesmas {centre}",
                kind=UnitKind.PUSKESMAS,
                service_type=_S,
                region_code=row.code,
                user_population=max(
                    1_000, int(population / len(health_centres) * rng.uniform(0.4, 0.8))
                ),
                address=places.address(rng, f"{centre}, {row.name}"),
                tag="puskesmas",
            )
        )
    return units


def province_units(
    rng: random.Random, institution_name: str, row: RegionRow, local_rows: list[RegionRow]
) -> list[UnitSpec]:
    """Units of one provincial government, with a Samsat office per regency/city."""
    population = _population(row)
    label = f"Provinsi {province_common_name(row)}"
    units = [
        UnitSpec(
            institution_name=institution_name,
            name=f"{office.name} {label}",
            kind=office.kind,
            service_type=office.service_type,
            region_code=row.code,
            user_population=max(200, int(population * office.reach * rng.uniform(0.7, 1.3))),
            address=places.address(rng, label),
            tag=office.tag,
        )
        for office in PROVINCE_OFFICES
    ]
    units.append(
        UnitSpec(
            institution_name=institution_name,
            name=f"Rumah Sakit Umum Daerah {label}",
            kind=UnitKind.RSUD,
            service_type=_S,
            region_code=row.code,
            user_population=max(10_000, int(population * rng.uniform(0.01, 0.03))),
            address=places.address(rng, label),
            tag="rsud",
        )
    )
    for local in local_rows:
        units.append(
            UnitSpec(
                institution_name=institution_name,
                name=f"UPTD Samsat {local.name}",
                kind=UnitKind.SAMSAT,
                service_type=_A,
                region_code=local.code,
                user_population=max(2_000, int(_population(local) * rng.uniform(0.15, 0.35))),
                address=places.address(rng, local.name),
                tag="samsat",
            )
        )
    return units


def central_units(
    rng: random.Random,
    institution: CentralInstitution,
    *,
    province_rows: list[RegionRow],
    local_rows: list[RegionRow],
) -> list[UnitSpec]:
    """Headquarters units, special units and vertical offices of a ministry or agency."""
    units = [
        UnitSpec(
            institution_name=institution.name,
            name=pattern.format(short=institution.short_name),
            kind=kind,
            service_type=_A if tag != "data" else _S,
            region_code="",
            user_population=rng.randint(5_000, 400_000),
            address=places.address(rng, "Jakarta"),
            tag=tag,
        )
        for pattern, kind, tag in HEADQUARTERS_UNITS
    ]
    for name, kind, tag, region_code in SPECIAL_UNITS.get(institution.short_name, ()):
        units.append(
            UnitSpec(
                institution_name=institution.name,
                name=name,
                kind=kind,
                service_type=_S if kind == UnitKind.RSUD else _A,
                region_code=region_code,
                user_population=rng.randint(20_000, 2_000_000),
                address=places.address(rng, "Jakarta") if not region_code else "",
                tag=tag,
            )
        )
    tag = institution.office_tag or "layanan_terpadu"
    if institution.province_office:
        for row in province_rows:
            units.append(
                UnitSpec(
                    institution_name=institution.name,
                    name=institution.province_office.format(province=province_common_name(row)),
                    kind=UnitKind.KANTOR,
                    service_type=_A,
                    region_code=row.code,
                    user_population=max(1_000, int(_population(row) * rng.uniform(0.002, 0.02))),
                    address="",
                    tag=tag,
                )
            )
    if institution.local_office:
        for row in local_rows:
            units.append(
                UnitSpec(
                    institution_name=institution.name,
                    name=institution.local_office.format(region=row.name),
                    kind=UnitKind.KANTOR,
                    service_type=_A,
                    region_code=row.code,
                    user_population=max(500, int(_population(row) * rng.uniform(0.01, 0.05))),
                    address="",
                    tag=tag,
                )
            )
    return units


def state_enterprise_units(rng: random.Random, institution: CentralInstitution) -> list[UnitSpec]:
    """The customer-facing offices of a state enterprise."""
    return [
        UnitSpec(
            institution_name=institution.name,
            name=name,
            kind=UnitKind.KANTOR,
            service_type=_G if institution.short_name in {"PLN", "Pertamina"} else _S,
            region_code="",
            user_population=rng.randint(100_000, 5_000_000),
            address="",
            tag="bumn",
        )
        for name in STATE_ENTERPRISE_UNITS.get(institution.short_name, ())
    ]


def regional_enterprise_units(rng: random.Random) -> list[UnitSpec]:
    """The offices of every regional enterprise, located in the owner's region."""
    return [
        UnitSpec(
            institution_name=enterprise.name,
            name=name,
            kind=UnitKind.KANTOR,
            service_type=_S,
            region_code=enterprise.owner_region,
            user_population=rng.randint(20_000, 1_500_000),
            address="",
            tag="bumd",
        )
        for enterprise in REGIONAL_ENTERPRISES
        for name in enterprise.units
    ]
