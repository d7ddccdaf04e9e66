"""The demo dataset as plain values, drawn from one seeded random generator.

Planning touches no database, so the same seed always gives the same plan (tested) and
the loader only has to write it. `size` is the number of innovations; replication
links and awards scale with it (150 links for 3,000 innovations; 99 KIPP Top 99 per
year at national scale, 30,000 innovations).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from prima.core.demo import central, localgov, themes, units
from prima.core.demo.localgov import RegionRow
from prima.core.demo.themes import Theme
from prima.core.demo.units import UnitSpec
from prima.core.enums import InstitutionKind, RegionLevel, UnitKind

SEED = 2024
DEFAULT_SIZE = 3_000
JAKARTA = ZoneInfo("Asia/Jakarta")

FIRST_START = dt.date(2014, 1, 1)
LAST_START = dt.date(2024, 12, 31)
# Nothing in the demo happened after this day, so the plan does not depend on the clock.
LAST_DAY = dt.date(2025, 6, 30)
AWARD_YEARS = range(2014, 2024)
# Later years see more innovations registered.
START_YEAR_WEIGHTS = dict(
    zip(range(2014, 2025), (6, 7, 8, 9, 10, 11, 12, 12, 12, 12, 12), strict=True)
)
# How likely a unit of each kind is to own an innovation, relative to a Puskesmas.
UNIT_KIND_WEIGHTS: dict[str, float] = {
    UnitKind.DINAS: 3.0,
    UnitKind.BADAN: 2.0,
    UnitKind.BIRO: 1.0,
    UnitKind.RSUD: 3.0,
    UnitKind.MPP: 3.0,
    UnitKind.SAMSAT: 1.0,
    UnitKind.PUSKESMAS: 1.0,
    UnitKind.KECAMATAN: 0.6,
    UnitKind.KANTOR: 1.2,
}


@dataclass(frozen=True)
class InstitutionSpec:
    name: str
    short_name: str
    kind: str
    region_code: str = ""
    province_code: str = ""
    parent_name: str = ""
    is_disadvantaged: bool = False
    is_border: bool = False
    email_domain: str = ""


@dataclass
class InnovationSpec:
    institution_name: str
    unit_name: str
    name: str
    acronym: str
    summary: str
    problem: str
    approach: str
    results: str
    beneficiaries: str
    started_on: dt.date
    is_digital: bool
    categories: tuple[str, ...]
    sdg_goals: tuple[int, ...]
    theme: str
    status: str = "active"
    status_reason: str = ""
    status_changed_on: dt.date | None = None
    is_published: bool = False
    registered_at: dt.datetime | None = None


@dataclass(frozen=True)
class AwardSpec:
    innovation: int  # index into DemoPlan.innovations
    year: int
    tier: str
    level: str


@dataclass(frozen=True)
class LinkSpec:
    replica: int
    source: int
    replicated_on: dt.date
    adaptation: str
    differences: str


@dataclass
class DemoPlan:
    seed: int
    size: int
    regions: list[RegionRow]
    institutions: list[InstitutionSpec] = field(default_factory=list)
    units: list[UnitSpec] = field(default_factory=list)
    innovations: list[InnovationSpec] = field(default_factory=list)
    awards: list[AwardSpec] = field(default_factory=list)
    links: list[LinkSpec] = field(default_factory=list)


# The real, publicly cited innovations of Kota Payakumbuh. Their descriptions in the demo
# are written for illustration and make no claim beyond the names and owners.
ILLUSTRATIVE = "Uraian pada data demo bersifat ilustratif."
KNOWN_INNOVATIONS: tuple[InnovationSpec, ...] = (
    InnovationSpec(
        institution_name="Pemerintah Kota Payakumbuh",
        unit_name="Dinas Pekerjaan Umum dan Penataan Ruang Kota Payakumbuh",
        name="SITARANG",
        acronym="SITARANG",
        summary=(
            "SITARANG adalah inovasi Dinas Pekerjaan Umum dan Penataan Ruang Kota Payakumbuh "
            f"di bidang layanan penataan ruang. {ILLUSTRATIVE}"
        ),
        problem="Warga memerlukan informasi dan layanan penataan ruang yang mudah dijangkau.",
        approach="Layanan penataan ruang yang lebih dekat dan mudah diakses warga kota.",
        results="Layanan penataan ruang lebih cepat dan terbuka bagi warga.",
        beneficiaries="Warga dan pelaku usaha Kota Payakumbuh.",
        started_on=dt.date(2019, 1, 2),
        is_digital=True,
        categories=(themes.GOVERNANCE,),
        sdg_goals=(11, 16),
        theme="tata_ruang",
        is_published=True,
    ),
    InnovationSpec(
        institution_name="Pemerintah Kota Payakumbuh",
        unit_name="Puskesmas Ibuh",
        name="Sipaduko",
        acronym="Sipaduko",
        summary=(
            f"Sipaduko adalah inovasi layanan kesehatan Puskesmas Ibuh, Kota Payakumbuh. "
            f"{ILLUSTRATIVE}"
        ),
        problem="Warga wilayah kerja Puskesmas Ibuh memerlukan layanan kesehatan yang terpadu.",
        approach="Layanan kesehatan terpadu bagi warga wilayah kerja Puskesmas Ibuh.",
        results="Layanan kesehatan lebih mudah dijangkau warga.",
        beneficiaries="Warga wilayah kerja Puskesmas Ibuh.",
        started_on=dt.date(2019, 1, 2),
        is_digital=False,
        categories=(themes.HEALTH,),
        sdg_goals=(3,),
        theme="antrean_kesehatan",
        is_published=True,
    ),
    InnovationSpec(
        institution_name="Pemerintah Kota Payakumbuh",
        unit_name="Puskesmas Padang Karambia",
        name="Klinik Berhenti Merokok",
        acronym="",
        summary=(
            "Klinik Berhenti Merokok adalah layanan Puskesmas Padang Karambia, Kota "
            f"Payakumbuh, yang mendampingi warga yang ingin berhenti merokok. {ILLUSTRATIVE}"
        ),
        problem="Perokok yang ingin berhenti memerlukan pendampingan.",
        approach="Konseling dan pendampingan bagi warga yang ingin berhenti merokok.",
        results="Warga mendapat pendampingan untuk berhenti merokok.",
        beneficiaries="Perokok dan keluarganya.",
        started_on=dt.date(2019, 1, 2),
        is_digital=False,
        categories=(themes.HEALTH,),
        sdg_goals=(3,),
        theme="berhenti_merokok",
        is_published=True,
    ),
)


def _institutions(regions: list[RegionRow]) -> list[InstitutionSpec]:
    specs = [
        InstitutionSpec(i.name, i.short_name, InstitutionKind.MINISTRY, email_domain=i.email_domain)
        for i in central.MINISTRIES
    ]
    specs += [
        InstitutionSpec(i.name, i.short_name, InstitutionKind.AGENCY, email_domain=i.email_domain)
        for i in central.AGENCIES
    ]
    specs += [
        InstitutionSpec(
            i.name, i.short_name, InstitutionKind.STATE_ENTERPRISE, email_domain=i.email_domain
        )
        for i in central.STATE_ENTERPRISES
    ]
    by_code = {row.code: row for row in regions}
    for row in regions:
        government = localgov.local_government(row)
        specs.append(
            InstitutionSpec(
                name=government.name,
                short_name=government.short_name,
                kind=government.kind,
                region_code=row.code,
                province_code=row.province_code,
                is_disadvantaged=government.is_disadvantaged,
                is_border=government.is_border,
                email_domain=government.email_domain,
            )
        )
    for enterprise in central.REGIONAL_ENTERPRISES:
        owner = by_code[enterprise.owner_region]
        specs.append(
            InstitutionSpec(
                name=enterprise.name,
                short_name=enterprise.short_name,
                kind=InstitutionKind.REGIONAL_ENTERPRISE,
                region_code=owner.code,
                province_code=owner.province_code,
                parent_name=localgov.local_government(owner).name,
            )
        )
    return specs


def _units(rng: random.Random, regions: list[RegionRow]) -> list[UnitSpec]:
    provinces = [row for row in regions if row.level == RegionLevel.PROVINCE]
    locals_ = [row for row in regions if row.level != RegionLevel.PROVINCE]
    result: list[UnitSpec] = []
    for institution in central.MINISTRIES + central.AGENCIES:
        result += units.central_units(rng, institution, province_rows=provinces, local_rows=locals_)
    for institution in central.STATE_ENTERPRISES:
        result += units.state_enterprise_units(rng, institution)
    locals_by_province: dict[str, list[RegionRow]] = {}
    for row in locals_:
        locals_by_province.setdefault(row.province_code, []).append(row)
    for row in regions:
        name = localgov.local_government(row).name
        if row.level == RegionLevel.PROVINCE:
            result += units.province_units(rng, name, row, locals_by_province.get(row.code, []))
        else:
            result += units.local_units(rng, name, row)
    result += units.regional_enterprise_units(rng)
    return result


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _start_date(rng: random.Random) -> dt.date:
    year = rng.choices(list(START_YEAR_WEIGHTS), weights=list(START_YEAR_WEIGHTS.values()))[0]
    return _random_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 31))


def _themes_by_tag() -> dict[str, list[Theme]]:
    by_tag: dict[str, list[Theme]] = {}
    for theme in themes.THEMES:
        for tag in sorted(theme.tags):
            by_tag.setdefault(tag, []).append(theme)
    return by_tag


def _pick_suffix(rng: random.Random, name: str) -> str:
    suffix = rng.choices(
        [s for s, _ in themes.NAME_SUFFIXES], weights=[w for _, w in themes.NAME_SUFFIXES]
    )[0]
    return "" if suffix.strip() and suffix.strip() in name else suffix


def innovation(rng: random.Random, theme: Theme, unit: UnitSpec, place: str) -> InnovationSpec:
    """A synthetic innovation of `unit` on `theme`, its texts naming `place` (shared with
    the PKRI demo, `prima.pkri.demo.plan`)."""
    base, acronym, expansion = rng.choice(theme.names)
    suffix = _pick_suffix(rng, base)
    name = base + suffix
    display = f"{name} ({expansion})" if expansion else name
    before = rng.randint(6, 30)
    # Counts stay within what the unit could plausibly serve in a year.
    reach = max(200, unit.user_population)
    count = rng.randint(max(20, reach // 200), max(40, reach // 5))
    values = {
        "unit": unit.name,
        "place": place,
        "before": before,
        "after": rng.randint(1, max(1, before // 3)),
        "pct": rng.randint(10, 60),
        "count": f"{count:,}".replace(",", "."),
    }
    return InnovationSpec(
        institution_name=unit.institution_name,
        unit_name=unit.name,
        name=name,
        acronym=acronym,
        summary=f"{display} adalah {theme.summary}, diterapkan oleh {unit.name}.",
        problem=theme.problem.format(**values),
        approach=theme.approach.format(**values),
        results=theme.results.format(**values),
        beneficiaries=theme.beneficiaries,
        started_on=_start_date(rng),
        is_digital=theme.digital or suffix == " Digital",
        categories=theme.categories,
        sdg_goals=theme.sdgs,
        theme=theme.key,
    )


def _generated_innovations(
    rng: random.Random,
    plan_units: list[UnitSpec],
    institutions: list[InstitutionSpec],
    regions: list[RegionRow],
    count: int,
) -> list[InnovationSpec]:
    by_tag = _themes_by_tag()
    region_names = {row.code: row.name for row in regions}
    short_names = {spec.name: spec.short_name for spec in institutions}
    # Some institutions innovate far more than others (a long-tailed factor each).
    activity = {spec.name: rng.lognormvariate(0.0, 0.8) for spec in institutions}
    candidates = [unit for unit in plan_units if unit.tag in by_tag]
    weights = [
        UNIT_KIND_WEIGHTS.get(unit.kind, 1.0) * activity[unit.institution_name]
        for unit in candidates
    ]
    chosen = rng.choices(candidates, weights=weights, k=count)
    result = []
    for unit in chosen:
        theme = rng.choice(by_tag[unit.tag])
        place = region_names.get(unit.region_code) or short_names[unit.institution_name]
        result.append(innovation(rng, theme, unit, place))
    return result


def _awards(rng: random.Random, innovations: list[InnovationSpec], first: int) -> list[AwardSpec]:
    """KIPP Top 99 (finalists) and Top 45 (winners) per year; awardees' dates made to fit."""
    generated = len(innovations) - first
    top99 = min(99, max(1, round(99 * generated / 30_000)))
    top45 = max(1, round(top99 * 45 / 99)) if top99 >= 2 else 0
    awarded: set[int] = set()
    result: list[AwardSpec] = []
    for year in AWARD_YEARS:
        pool = [
            index
            for index in range(first, len(innovations))
            if index not in awarded and innovations[index].started_on.year <= year
        ]
        picked = rng.sample(pool, min(top99, len(pool)))
        for rank, index in enumerate(picked):
            spec = innovations[index]
            # An entry must be at least 24 months old at the call (kipp.md §9, umum group).
            deadline = dt.date(year - 2, 3, 31)
            if spec.started_on > deadline:
                spec.started_on = _random_date(rng, dt.date(max(2010, year - 5), 1, 1), deadline)
            awarded.add(index)
            result.append(AwardSpec(index, year, "top99", "finalist"))
            if rank < top45:
                result.append(AwardSpec(index, year, "top45", "winner"))
    return result


def _lifecycle(rng: random.Random, spec: InnovationSpec, *, awarded: bool, known: bool) -> None:
    """Status, publication and registration time, once the start date is final."""
    draw = rng.random()
    if known or draw < (0.97 if awarded else 0.85):
        spec.status = "active"
    else:
        spec.status = "paused" if draw < (0.985 if awarded else 0.94) else "stopped"
        spec.status_reason = rng.choice(themes.STATUS_REASONS[spec.status])
        spec.status_changed_on = _random_date(
            rng, spec.started_on + dt.timedelta(days=180), LAST_DAY
        )
    spec.is_published = spec.is_published or awarded or rng.random() < 0.6
    registered = _random_date(
        rng, spec.started_on + dt.timedelta(days=14), spec.started_on + dt.timedelta(days=700)
    )
    registered = min(registered, LAST_DAY)
    spec.registered_at = dt.datetime.combine(
        registered, dt.time(rng.randint(7, 16), rng.randint(0, 59)), tzinfo=JAKARTA
    )


def _links(
    rng: random.Random, innovations: list[InnovationSpec], first: int, count: int
) -> list[LinkSpec]:
    """Replicas adapt an earlier innovation of the same theme from another institution."""
    by_theme: dict[str, list[int]] = {}
    for index in range(first, len(innovations)):
        by_theme.setdefault(innovations[index].theme, []).append(index)
    groups = [indexes for indexes in by_theme.values() if len(indexes) >= 2]
    theme_of = {t.key: t for t in themes.THEMES}
    seen: set[tuple[int, int]] = set()
    result: list[LinkSpec] = []
    attempts = 0
    while groups and len(result) < count and attempts < count * 50:
        attempts += 1
        group = rng.choice(groups)
        source, replica = rng.sample(group, 2)
        a, b = innovations[source], innovations[replica]
        if a.started_on >= b.started_on:
            source, replica = replica, source
            a, b = b, a
        if a.started_on == b.started_on or a.institution_name == b.institution_name:
            continue
        if (replica, source) in seen:
            continue
        seen.add((replica, source))
        differences = rng.choice(themes.REPLICATION_DIFFERENCES)
        result.append(
            LinkSpec(
                replica=replica,
                source=source,
                replicated_on=b.started_on,
                adaptation=theme_of[b.theme].adaptation,
                differences=differences,
            )
        )
    return result


def build_plan(*, size: int = DEFAULT_SIZE, seed: int = SEED) -> DemoPlan:
    """The whole demo dataset for `size` innovations, the same for the same seed."""
    if size < len(KNOWN_INNOVATIONS):
        raise ValueError(f"size must be at least {len(KNOWN_INNOVATIONS)}")
    rng = random.Random(seed)
    regions = localgov.read_regions()
    plan = DemoPlan(seed=seed, size=size, regions=regions)
    plan.institutions = _institutions(regions)
    plan.units = _units(rng, regions)
    first = len(KNOWN_INNOVATIONS)
    plan.innovations = [dataclasses.replace(spec) for spec in KNOWN_INNOVATIONS]
    plan.innovations += _generated_innovations(
        rng, plan.units, plan.institutions, regions, size - first
    )
    plan.awards = _awards(rng, plan.innovations, first)
    awarded = {award.innovation for award in plan.awards}
    for index, spec in enumerate(plan.innovations):
        _lifecycle(rng, spec, awarded=index in awarded, known=index < first)
    plan.links = _links(rng, plan.innovations, first, round(150 * size / 3_000))
    return plan
