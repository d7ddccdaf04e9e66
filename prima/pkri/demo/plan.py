"""The PKRI part of the demo as plain values (pkri.md §10), built on the national plan.

- **PKRI 2024** (finished): the scope of the published record — 631 loci (34 ministries,
  46 agencies, 546 of the 552 local governments, 5 state enterprises) and 979 objects
  (640 `keberlanjutan` + 339 `replikasi`). The national plan's KIPP Top innovations
  2014–2023 and their replications come first; synthetic Top innovations (tier records
  flagged `is_demo_placeholder`) and synthetic replications fill the scope up to the
  record, and loci without objects are added for the coaching group. Candidates the
  record leaves out (regional enterprises are no loci; Payakumbuh has exactly its three
  published objects) are excluded with a reason, as the secretariat would.
- Flags (`is_demo_placeholder`): every object, form and score is synthetic. The 2024 loci
  of the published names (`PUBLISHED_LOCI`: Payakumbuh, Jawa Timur, Balikpapan, Mataram,
  Surabaya, Sawahlunto) are real participations; every other locus is synthetic. The
  special cases (always submitted, always running) are the explicit `NAMED_OBJECTS`
  (Payakumbuh's three, Jawa Timur's Klinik BUM Desa), never the flag.
- Every locus is in `pembinaan`; 308 coaching forms are submitted, the others missing.
  Object forms are mostly submitted with valid answers.
- Desk levels are illustrative inputs; each desk score is H1's `desk_score` of them, with
  one exception: Kota Balikpapan. B7 lists its desk score as 88.50, which no set of whole
  levels gives (scores move in steps of 1.25); its levels give 88.75 and the demo records
  88.50 as the score consolidated by the evaluation team (`FormSpec.consolidation`: the
  score, justification, attendees and minutes reference exactly as
  `prima.evaluation.domain.results.record_consolidation` would store them). The demo
  creates no engine `Subject`s for its forms, so there is no `Consolidation` row: the
  loader stores the consolidated `desk_score` on the form and lists the consolidation
  in the `demo.loaded` audit entry (`pkri_consolidations_2024`). The levels are drawn so
  that Prima's own shortlist and ranking reproduce the record: 58 + 36 interviewees,
  38 + 23 object awards, the 14 coaching awards with the five published cities (B7) and
  Provinsi Jawa Timur, whose "Klinik BUM Desa" wins a sustainability award. Interview
  scores are drawn for the shortlisted; finals are H1's `final_score`. Shortlist,
  ranks and awards are *not* in the plan: the loader runs Prima's functions.
- **PKRI 2025** (forms open): a small scope around Kota Payakumbuh with forms in every
  filling state, as of the demo's "today" `NOW_2025` (7 Jul 2025). The self-assessment
  window is fixed at 16 Jun–15 Aug 2025 so the data stay the same on every load; on the
  real date the demo is used the window has ended, so drafts can still be saved but
  submission is refused (`window_closed`), as in KIPP 2025's demo.

Nothing here touches the database; the same national plan gives the same PKRI plan.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from prima.core.demo import themes
from prima.core.demo.plan import (
    ILLUSTRATIVE,
    JAKARTA,
    AwardSpec,
    DemoPlan,
    InnovationSpec,
    InstitutionSpec,
    innovation,
)
from prima.core.demo.plan import LinkSpec as CoreLinkSpec
from prima.core.demo.units import UnitSpec
from prima.core.enums import InstitutionKind, UnitKind
from prima.evaluation.domain.instruments import load_instrument
from prima.pkri.demo import answers
from prima.pkri.domain.config import PkriRules, read_rules_file, rules_of
from prima.pkri.domain.editions import EDITIONS_DIR, INSTRUMENTS_DIR
from prima.pkri.domain.indicators import ObjectFacts, locus_indicators
from prima.pkri.domain.scores import desk_score, final_score
from prima.pkri.enums import FormKind, FormState, Group, ScopeOrigin

CODE_2024 = "pkri-2024"
CODE_2025 = "pkri-2025"
OBJECTS_BY_GROUP = {Group.KEBERLANJUTAN: 640, Group.REPLIKASI: 339}  # 979 in all
CENTRAL_KINDS = (
    InstitutionKind.MINISTRY,
    InstitutionKind.AGENCY,
    InstitutionKind.STATE_ENTERPRISE,
)
LOCAL_KINDS = (InstitutionKind.PROVINCE, InstitutionKind.REGENCY, InstitutionKind.CITY)
LOCAL_LOCI = 546
COACHING_SUBMITTED = 308
OBJECT_SUBMITTED_SHARE = 0.86
STOPPED_SHARE = 0.07
TIER_YEARS = tuple(y for y in range(2014, 2024) if y != 2021)  # 2021 is KIPP 2021's decree

PAYAKUMBUH = "Pemerintah Kota Payakumbuh"
JATIM = "Pemerintah Provinsi Jawa Timur"
JATIM_UNIT = "Dinas Pemberdayaan Masyarakat dan Desa Provinsi Jawa Timur"
KLINIK_BUM_DESA = "Klinik BUM Desa"
PAYAKUMBUH_TIERS = {"SITARANG": 2022, "Sipaduko": 2023, "Klinik Berhenti Merokok": 2022}
# The published objects (pkri.md §10): (institution, innovation name).
NAMED_OBJECTS = {(PAYAKUMBUH, name) for name in PAYAKUMBUH_TIERS} | {(JATIM, KLINIK_BUM_DESA)}
# The published PKRI 2024 participations (§7.5, §10): these loci are not placeholders.
PUBLISHED_LOCI = {
    PAYAKUMBUH,
    JATIM,
    "Pemerintah Kota Balikpapan",
    "Pemerintah Kota Mataram",
    "Pemerintah Kota Surabaya",
    "Pemerintah Kota Sawahlunto",
}
# Synthetic desk levels of Payakumbuh's objects: all below the shortlist cut-off (§10).
PAYAKUMBUH_OBJECT_LEVELS = {
    "SITARANG": {"k1": 3, "k2": 3, "k3": 3, "k4": 3, "k5": 3, "k6": 2},  # 71.25
    "Sipaduko": {"k1": 3, "k2": 2, "k3": 3, "k4": 3, "k5": 3, "k6": 2},  # 66.25
    "Klinik Berhenti Merokok": {"k1": 3, "k2": 2, "k3": 2, "k4": 1, "k5": 3, "k6": 2},  # 57.50
}
# Objects with both a legal basis and an SOP (P7 = 3: 2 of 3).
PAYAKUMBUH_INSTITUTIONALISED = {"SITARANG", "Sipaduko"}


# B6 and B7: coaching levels of the published cities (synthetic). Desk = 25·Σwᵢ·Lᵢ/100.
def _p(*levels: int) -> dict[str, int]:
    """P1–P9 levels by position."""
    return {f"p{number}": level for number, level in enumerate(levels, start=1)}


PAYAKUMBUH_LEVELS = _p(3, 4, 4, 3, 3, 4, 3, 4, 2)
NAMED_LEVELS: dict[str, dict[str, int]] = {
    "Pemerintah Kota Surabaya": _p(4, 4, 4, 4, 4, 4, 3, 3, 3),  # 91.25
    # 88.75 by levels; consolidated 88.50 (B7)
    "Pemerintah Kota Balikpapan": _p(4, 4, 4, 4, 3, 4, 3, 3, 3),
    PAYAKUMBUH: PAYAKUMBUH_LEVELS,  # 85.00, P8 4
    "Pemerintah Kota Sawahlunto": _p(4, 3, 4, 4, 3, 4, 3, 3, 3),  # 85.00, P8 3
    "Pemerintah Kota Mataram": _p(3, 4, 3, 3, 3, 4, 3, 3, 4),  # 83.75
    JATIM: _p(4, 4, 4, 4, 3, 3, 3, 4, 3),  # 90.00
}


@dataclass(frozen=True)
class ConsolidationSpec:
    """A desk-stage consolidation, as `record_consolidation` stores it (stripped texts,
    attendees one per line, the score at the instrument's two places)."""

    score: Decimal
    justification: str
    attendees: str
    minutes_ref: str


# B7 lists Balikpapan at 88.50, which no set of whole levels gives (scores move in steps
# of 1.25): the demo records it as the desk score consolidated by the evaluation team.
CONSOLIDATIONS = {
    "Pemerintah Kota Balikpapan": ConsolidationSpec(
        score=Decimal("88.50"),
        justification=(
            "Tim Evaluasi menyepakati nilai 88,50: bukti pembinaan P5 dan P7 dinilai berada "
            "di antara dua level, sehingga nilai agregat 88,75 disesuaikan (data demo)."
        ),
        attendees="\n".join(
            (
                "Ketua Tim Evaluasi PKRI 2024 (data demo)",
                "Evaluator kelompok pembinaan 1 (data demo)",
                "Evaluator kelompok pembinaan 2 (data demo)",
                "Sekretariat PKRI (data demo)",
            )
        ),
        minutes_ref="Rapat konsolidasi Tim Evaluasi (data demo)",
    )
}
# Every other locus and object outside the awards stays at or below these desk scores.
COACHING_CAP = Decimal("82.50")
SHORTLIST_FLOOR = Decimal("80.00")
SHORTLIST_CAP = Decimal("96.25")
OBJECT_CAP = Decimal("78.75")
LETTER_SHORTLIST_2024 = "B/352/PP.00.05/2024"
LETTER_RESULTS_2024 = "B/498/PP.00.05/2024"
DATE_SHORTLIST_2024 = dt.date(2024, 7, 9)
DATE_RESULTS_2024 = dt.date(2024, 9, 30)
LETTER_SCOPE_2025 = "B/188/PP.00.05/2025"
# The demo's "today" is KIPP 2025's (one week into its desk evaluation, 7 Jul 2025).
NOW_2025 = dt.datetime(2025, 7, 7, 10, 0, tzinfo=JAKARTA)
WINDOW_2025 = (dt.date(2025, 6, 16), dt.date(2025, 8, 15))
SCOPE_2025_LOCI = 40


# A tier record; here `innovation` indexes the national + PKRI innovations.
TierSpec = AwardSpec


@dataclass(frozen=True)
class LinkSpec(CoreLinkSpec):
    status: str


@dataclass
class ObjectSpec:
    edition: str
    innovation: int
    institution: str
    unit: str
    group: str
    source_tier: str
    award_year: int | None
    original: int | None = None
    excluded: bool = False
    excluded_reason: str = ""


@dataclass
class LocusSpec:
    edition: str
    institution: str
    kind: str
    origin: str
    reason: str = ""
    in_pembinaan: bool = True
    excluded: bool = False
    excluded_reason: str = ""
    is_demo_placeholder: bool = True


@dataclass
class FormSpec:
    edition: str
    kind: str
    institution: str  # the locus
    object: int | None  # index into PkriPlan.objects
    state: str
    data: dict[str, Any] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    submitted_at: dt.datetime | None = None
    levels: dict[str, int] = field(default_factory=dict)
    derived: dict[str, Any] = field(default_factory=dict)
    desk_score: Decimal | None = None
    # The desk score the evaluation team agreed when it differs from the levels' score.
    consolidation: ConsolidationSpec | None = None
    interview_score: Decimal | None = None
    final_score: Decimal | None = None
    return_note: str = ""
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    by_operator: bool = False


@dataclass
class PkriPlan:
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    first: int = 0  # index of the first PKRI innovation (after the national ones)
    units: list[UnitSpec] = field(default_factory=list)
    innovations: list[InnovationSpec] = field(default_factory=list)
    tiers: list[TierSpec] = field(default_factory=list)
    links: list[LinkSpec] = field(default_factory=list)
    loci: list[LocusSpec] = field(default_factory=list)
    objects: list[ObjectSpec] = field(default_factory=list)
    forms: list[FormSpec] = field(default_factory=list)

    def of(self, edition: str) -> tuple[list[LocusSpec], list[ObjectSpec], list[FormSpec]]:
        return (
            [x for x in self.loci if x.edition == edition],
            [x for x in self.objects if x.edition == edition],
            [x for x in self.forms if x.edition == edition],
        )


# --------------------------------------------------------------------------- rules


def rules_2024() -> dict[str, Any]:
    return read_rules_file(EDITIONS_DIR / "pkri-2024.yaml")


def _shift(value: Any) -> Any:
    """Years one later: ISO dates, whole years and titles ending in the year."""
    if isinstance(value, str):
        if len(value) == 10 and value[:4].isdigit() and value[4] == "-":
            return f"{int(value[:4]) + 1}{value[4:]}"
        return value.replace("2024", "2025")
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and 2000 <= value <= 2100:
        return value + 1
    if isinstance(value, dict):
        return {key: _shift(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shift(item) for item in value]
    return value


def rules_2025() -> dict[str, Any]:
    """The 2024 rules a year later, with the window around the demo's "today"."""
    data = rules_2024()
    shifted: dict[str, Any] = {
        key: _shift(value) for key, value in data.items() if key != "desk_evaluation"
    }
    shifted["desk_evaluation"] = data["desk_evaluation"]
    shifted["edition"]["ordinal"] = 2
    shifted["edition"]["announcement"] = {"number": LETTER_SCOPE_2025, "date": "2025-06-05"}
    shifted["scope"]["expected_counts"] = {}
    shifted["calendar"].update(
        socialisation="2025-06-10",
        self_assessment=[day.isoformat() for day in WINDOW_2025],
        desk_evaluation=["2025-08-18", "2025-09-12"],
        interviews=["2025-09-22", "2025-09-26"],
    )
    shifted["calendar"]["award_event"]["date"] = "2025-11-20"
    return shifted


def weights_by_group() -> dict[str, dict[str, Decimal]]:
    """Indicator weights of each group, read by the engine from instruments/pkri-2024."""
    instrument = load_instrument(INSTRUMENTS_DIR / "pkri-2024.yaml")
    return {group.code: instrument.weights(group.code) for group in instrument.groups}


# --------------------------------------------------------------------------- helpers


def wib(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=JAKARTA)


def _moment(rng: random.Random, first: dt.date, last: dt.date) -> dt.datetime:
    day = first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))
    return wib(day, rng.randint(8, 16), rng.randint(0, 59))


def _levels(
    rng: random.Random,
    weights: dict[str, Decimal],
    *,
    low: Decimal,
    high: Decimal,
    quality: tuple[float, float],
    fixed: dict[str, int] | None = None,
) -> tuple[dict[str, int], Decimal]:
    """Levels whose desk score lies in [low, high] (drawn around a quality level)."""
    for _ in range(2000):
        centre = rng.uniform(*quality)
        levels = {code: min(4, max(0, round(rng.gauss(centre, 0.7)))) for code in weights}
        levels.update(fixed or {})
        score = desk_score(levels, weights)
        if low <= score <= high:
            return levels, score
    raise ValueError(f"no levels between {low} and {high}")


# --------------------------------------------------------------------------- innovations


@dataclass
class _Registry:
    demo: DemoPlan
    kinds: dict[str, str]
    specs: dict[str, InstitutionSpec]
    units: dict[str, list[UnitSpec]]
    by_tag: dict[str, list[themes.Theme]]
    theme_of: dict[str, themes.Theme]
    region_names: dict[str, str]

    def innovation(self, plan: PkriPlan, index: int) -> InnovationSpec:
        if index < plan.first:
            return self.demo.innovations[index]
        return plan.innovations[index - plan.first]


def _registry(demo: DemoPlan) -> _Registry:
    units: dict[str, list[UnitSpec]] = defaultdict(list)
    by_tag: dict[str, list[themes.Theme]] = defaultdict(list)
    for theme in themes.THEMES:
        for tag in sorted(theme.tags):
            by_tag[tag].append(theme)
    for unit in demo.units:
        if unit.tag in by_tag:
            units[unit.institution_name].append(unit)
    return _Registry(
        demo=demo,
        kinds={spec.name: str(spec.kind) for spec in demo.institutions},
        specs={spec.name: spec for spec in demo.institutions},
        units=units,
        by_tag=by_tag,
        theme_of={theme.key: theme for theme in themes.THEMES},
        region_names={row.code: row.name for row in demo.regions},
    )


def _new_innovation(
    rng: random.Random, reg: _Registry, institution: str, *, theme_tags: frozenset[str] | None
) -> InnovationSpec | None:
    candidates = reg.units.get(institution, [])
    if theme_tags is not None:
        candidates = [unit for unit in candidates if unit.tag in theme_tags]
    if not candidates:
        return None
    unit = rng.choice(candidates)
    themes_here = reg.by_tag[unit.tag]
    if theme_tags is not None:
        themes_here = [t for t in themes_here if t.tags & theme_tags] or themes_here
    theme = rng.choice(themes_here)
    place = reg.region_names.get(unit.region_code) or reg.specs[institution].short_name
    spec = innovation(rng, theme, unit, place)
    spec.summary = f"{spec.summary} {ILLUSTRATIVE}"
    spec.is_published = True
    return spec


def _registered(rng: random.Random, spec: InnovationSpec) -> None:
    day = spec.started_on + dt.timedelta(days=rng.randint(14, 300))
    spec.registered_at = wib(min(day, dt.date(2024, 3, 31)), rng.randint(7, 16), rng.randint(0, 59))


# --------------------------------------------------------------------------- scope 2024


def _national_candidates(
    demo: DemoPlan, rules: PkriRules
) -> tuple[dict[int, tuple[str, int]], dict[int, int]]:
    """Top objects (index → (tier, year)) and replication objects (index → original) as
    `derive_scope` finds them in the national plan."""
    first_year, last_year = rules.source_years
    tops: dict[int, tuple[str, int]] = {}
    for award in sorted(demo.awards, key=lambda a: (a.innovation, a.year, a.level != "winner")):
        if award.level in rules.source_levels and first_year <= award.year <= last_year:
            tops.setdefault(award.innovation, (award.tier, award.year))
    replicas: dict[int, int] = {}
    for link in sorted(demo.links, key=lambda k: (k.replicated_on, k.replica, k.source)):
        if link.source in tops and link.replica not in tops:
            replicas.setdefault(link.replica, link.source)
    return tops, replicas


def _scope_2024(rng: random.Random, reg: _Registry, plan: PkriPlan, rules: PkriRules) -> None:
    demo = reg.demo
    tops, replicas = _national_candidates(demo, rules)
    owner = {i: demo.innovations[i].institution_name for i in (*tops, *replicas)}

    # The 6 local governments left out own no candidate (and are none of the named ones).
    named = {PAYAKUMBUH, JATIM, *NAMED_LEVELS}
    owners = set(owner.values())
    locals_ = [s.name for s in demo.institutions if s.kind in LOCAL_KINDS]
    spare = [name for name in locals_ if name not in owners and name not in named]
    left_out = set(rng.sample(spare, len(locals_) - LOCAL_LOCI))
    pool = [
        s.name
        for s in demo.institutions
        if s.kind in CENTRAL_KINDS or (s.kind in LOCAL_KINDS and s.name not in left_out)
    ]
    pool_set = set(pool)

    # `derive_scope` leaves regional enterprises (BUMD) out: they are no loci.
    tops = {
        i: t for i, t in tops.items() if reg.kinds[owner[i]] != InstitutionKind.REGIONAL_ENTERPRISE
    }
    replicas = {
        i: s
        for i, s in replicas.items()
        if reg.kinds[owner[i]] != InstitutionKind.REGIONAL_ENTERPRISE
    }

    def exclusion(index: int) -> str:
        institution = owner[index]
        if institution == PAYAKUMBUH:
            return "Dikeluarkan: inovasi ini tidak lagi dikelola unit pemiliknya."
        announced = rules.announcement_date or dt.date(rules.year, 1, 1)
        if demo.innovations[index].started_on >= announced:
            return "Dikeluarkan: replikasi dimulai setelah penetapan lokus dan objek."
        return ""

    # Keberlanjutan: national Tops, Payakumbuh's three, Klinik BUM Desa, synthetic Tops.
    keep_tops = [i for i in sorted(tops) if not exclusion(i)]
    keep_tops = keep_tops[: OBJECTS_BY_GROUP[Group.KEBERLANJUTAN] - 4]
    for index in sorted(tops):
        tier, year = tops[index]
        reason = exclusion(index) or (
            "" if index in keep_tops else "Dikeluarkan: digabung ke inovasi lain."
        )
        spec = demo.innovations[index]
        plan.objects.append(
            ObjectSpec(
                CODE_2024,
                index,
                spec.institution_name,
                spec.unit_name,
                Group.KEBERLANJUTAN,
                f"{tier}@{year}",
                year,
                excluded=bool(reason),
                excluded_reason=reason,
            )
        )
    for index, spec in enumerate(demo.innovations):
        if spec.institution_name == PAYAKUMBUH and spec.name in PAYAKUMBUH_TIERS:
            year = PAYAKUMBUH_TIERS[spec.name]
            plan.tiers.append(TierSpec(index, year, "top99", "finalist"))
            plan.objects.append(
                ObjectSpec(
                    CODE_2024,
                    index,
                    PAYAKUMBUH,
                    spec.unit_name,
                    Group.KEBERLANJUTAN,
                    f"top99@{year}",
                    year,
                )
            )
    # Klinik BUM Desa: its unit and record are created when the registry lacks them.
    jatim = reg.specs[JATIM]
    unit = UnitSpec(
        JATIM, JATIM_UNIT, UnitKind.DINAS, "services", jatim.region_code, 40_000, "Surabaya", "pmd"
    )
    if not any(u.name == JATIM_UNIT for u in reg.units.get(JATIM, [])):
        plan.units.append(unit)
    klinik = InnovationSpec(
        institution_name=JATIM,
        unit_name=JATIM_UNIT,
        name=KLINIK_BUM_DESA,
        acronym="",
        summary=(
            "Klinik BUM Desa adalah layanan pendampingan Dinas Pemberdayaan Masyarakat dan Desa "
            f"Provinsi Jawa Timur bagi pengelola Badan Usaha Milik Desa. {ILLUSTRATIVE}"
        ),
        problem="Banyak BUM Desa belum dikelola dengan baik dan belum berbadan hukum.",
        approach="Konsultasi, pendampingan dan pelatihan pengelolaan BUM Desa.",
        results="BUM Desa yang didampingi lebih tertib administrasi dan usahanya.",
        beneficiaries="Pengelola BUM Desa dan pemerintah desa di Jawa Timur.",
        started_on=dt.date(2017, 3, 1),
        is_digital=False,
        categories=(themes.GOVERNANCE,),
        sdg_goals=(8, 17),
        theme="layanan_kecamatan",
        is_published=True,
    )
    _registered(rng, klinik)
    plan.innovations.append(klinik)
    klinik_index = plan.first + len(plan.innovations) - 1
    plan.tiers.append(TierSpec(klinik_index, 2020, "top99", "finalist"))
    plan.objects.append(
        ObjectSpec(
            CODE_2024, klinik_index, JATIM, JATIM_UNIT, Group.KEBERLANJUTAN, "top99@2020", 2020
        )
    )

    # Synthetic Tops up to the record, owned across the loci (never Payakumbuh).
    owners_pool = [name for name in pool if name != PAYAKUMBUH]
    weight = {
        InstitutionKind.MINISTRY: 1.6,
        InstitutionKind.AGENCY: 1.0,
        InstitutionKind.STATE_ENTERPRISE: 1.6,
        InstitutionKind.PROVINCE: 2.2,
        InstitutionKind.REGENCY: 1.0,
        InstitutionKind.CITY: 1.3,
    }
    weights = [weight[reg.kinds[name]] for name in owners_pool]  # type: ignore[index]
    wanted = OBJECTS_BY_GROUP[Group.KEBERLANJUTAN] - sum(
        1 for o in plan.objects if o.group == Group.KEBERLANJUTAN and not o.excluded
    )
    while wanted > 0:
        institution = rng.choices(owners_pool, weights=weights)[0]
        new = _new_innovation(rng, reg, institution, theme_tags=None)
        if new is None:
            continue
        year = rng.choice(TIER_YEARS)
        deadline = dt.date(year - 2, 3, 31)
        new.started_on = dt.date(max(2010, year - 6), 1, 1) + dt.timedelta(
            days=rng.randint(0, (deadline - dt.date(max(2010, year - 6), 1, 1)).days)
        )
        _registered(rng, new)
        plan.innovations.append(new)
        index = plan.first + len(plan.innovations) - 1
        winner = rng.random() < 0.45
        plan.tiers.append(TierSpec(index, year, "top99", "finalist"))
        if winner:
            plan.tiers.append(TierSpec(index, year, "top45", "winner"))
        plan.objects.append(
            ObjectSpec(
                CODE_2024,
                index,
                institution,
                new.unit_name,
                Group.KEBERLANJUTAN,
                f"{'top45' if winner else 'top99'}@{year}",
                year,
            )
        )
        wanted -= 1

    # Replikasi: national replications of Tops, then synthetic ones.
    for index in sorted(replicas):
        spec = demo.innovations[index]
        reason = exclusion(index)
        plan.objects.append(
            ObjectSpec(
                CODE_2024,
                index,
                spec.institution_name,
                spec.unit_name,
                Group.REPLIKASI,
                "",
                None,
                original=replicas[index],
                excluded=bool(reason),
                excluded_reason=reason,
            )
        )
    sources = [o for o in plan.objects if o.group == Group.KEBERLANJUTAN and not o.excluded]
    wanted = OBJECTS_BY_GROUP[Group.REPLIKASI] - sum(
        1 for o in plan.objects if o.group == Group.REPLIKASI and not o.excluded
    )
    while wanted > 0:
        source_obj = rng.choice(sources)
        source = reg.innovation(plan, source_obj.innovation)
        tags = reg.theme_of[source.theme].tags
        institution = rng.choices(owners_pool, weights=weights)[0]
        if institution == source.institution_name:
            continue
        new = _new_innovation(rng, reg, institution, theme_tags=tags)
        if new is None:
            continue
        earliest = source.started_on + dt.timedelta(days=120)
        latest = dt.date(2023, 6, 30)
        if earliest >= latest:
            continue
        new.started_on = earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))
        _registered(rng, new)
        plan.innovations.append(new)
        index = plan.first + len(plan.innovations) - 1
        status = rng.choices(("confirmed", "claimed", "verified"), weights=(6, 3, 1))[0]
        plan.links.append(
            LinkSpec(
                replica=index,
                source=source_obj.innovation,
                replicated_on=new.started_on,
                adaptation=reg.theme_of[new.theme].adaptation,
                differences=rng.choice(themes.REPLICATION_DIFFERENCES),
                status=status,
            )
        )
        plan.objects.append(
            ObjectSpec(
                CODE_2024,
                index,
                institution,
                new.unit_name,
                Group.REPLIKASI,
                "",
                None,
                original=source_obj.innovation,
            )
        )
        wanted -= 1

    # Loci: owners of candidates (derived), then the rest of the record for coaching.
    with_objects: dict[str, bool] = {}
    for obj in plan.objects:
        with_objects[obj.institution] = with_objects.get(obj.institution, False) or not obj.excluded
    for institution in with_objects:
        # A locus stays (for coaching) even when all its candidates were excluded.
        plan.loci.append(
            LocusSpec(CODE_2024, institution, reg.kinds[institution], ScopeOrigin.DERIVED)
        )
    for institution in pool:
        if institution not in with_objects:
            plan.loci.append(
                LocusSpec(
                    CODE_2024,
                    institution,
                    reg.kinds[institution],
                    ScopeOrigin.ADDED,
                    reason="Ditambahkan untuk kelompok pembinaan (pemantauan menyeluruh 2024).",
                )
            )
    for loc in plan.loci:
        loc.is_demo_placeholder = loc.institution not in PUBLISHED_LOCI
    strays = [
        loc.institution for loc in plan.loci if not loc.excluded and loc.institution not in pool_set
    ]
    if strays:
        raise ValueError(f"loci outside the record's pool: {strays[:5]}")


# --------------------------------------------------------------------------- forms 2024


def _object_forms_2024(
    rng: random.Random, reg: _Registry, plan: PkriPlan, rules: PkriRules
) -> dict[int, ObjectFacts]:
    """One form per kept object; returns the object facts per object index."""
    weights = weights_by_group()
    window = rules.self_assessment
    today = window[1]
    facts: dict[int, ObjectFacts] = {}
    by_group: dict[str, list[FormSpec]] = defaultdict(list)
    for number, obj in enumerate(plan.objects):
        if obj.edition != CODE_2024 or obj.excluded:
            continue
        spec = reg.innovation(plan, obj.innovation)
        named = (obj.institution, spec.name) in NAMED_OBJECTS
        submitted = named or rng.random() < OBJECT_SUBMITTED_SHARE
        kind = FormKind.SUSTAINABILITY if obj.group == Group.KEBERLANJUTAN else FormKind.REPLICATION
        form = FormSpec(CODE_2024, kind, obj.institution, number, FormState.FORM_MISSING)
        form.created_at = wib(window[0], 8)
        if not submitted:
            facts[number] = ObjectFacts(running=None, legal_basis=False, sop=False)
            form.updated_at = wib(window[1] + dt.timedelta(days=1), 0, 5)
            plan.forms.append(form)
            continue
        running = spec.status != "stopped" and (named or rng.random() > STOPPED_SHARE)
        institutionalised = (
            spec.name in PAYAKUMBUH_INSTITUTIONALISED
            if obj.institution == PAYAKUMBUH
            else rng.random() < 0.55
        )
        domain = reg.specs[obj.institution].email_domain
        if kind == FormKind.SUSTAINABILITY:
            assert obj.award_year is not None
            data, files = answers.object_answers(
                rng,
                kind=kind,
                running=running,
                running_since=spec.started_on,
                base_year=obj.award_year,
                edition_year=rules.year,
                today=today,
                institutionalised=institutionalised,
                domain=domain,
            )
        else:
            assert obj.original is not None
            data, files = answers.object_answers(
                rng,
                kind=kind,
                running=running,
                running_since=spec.started_on,
                base_year=spec.started_on.year,
                edition_year=rules.year,
                today=today,
                institutionalised=institutionalised,
                domain=domain,
                original_innovation=obj.original,  # an index: the loader maps it to an id
                replication_started=spec.started_on,
            )
        form.data, form.files = data, files
        form.state = FormState.DESK_EVALUATED
        form.submitted_at = _moment(rng, window[0], window[1])
        form.updated_at = wib(rules.desk_evaluation[1] if rules.desk_evaluation else today, 17)
        facts[number] = ObjectFacts(
            running=running,
            legal_basis=bool(data["legal_basis"]),
            sop=data["sop"]["exists"] is True,
        )
        plan.forms.append(form)
        by_group[obj.group].append(form)

    # Desk levels: the shortlist-sized strong set above every other running object.
    for group, forms in by_group.items():
        w = weights[group]
        size = rules.group(group).shortlist.size  # type: ignore[union-attr]
        candidates = [
            f for f in forms if f.data.get("still_running") is True and f.institution != PAYAKUMBUH
        ]
        klinik = [f for f in candidates if f.institution == JATIM and _is_klinik(plan, reg, f)]
        others = [f for f in candidates if f not in klinik]
        strong = klinik + rng.sample(others, size - len(klinik))
        strong_ids = {id(f) for f in strong}
        for form in forms:
            obj = plan.objects[form.object]  # type: ignore[index]
            name = reg.innovation(plan, obj.innovation).name
            if obj.institution == PAYAKUMBUH:
                form.levels = dict(PAYAKUMBUH_OBJECT_LEVELS[name])
                form.desk_score = desk_score(form.levels, w)
            elif form in klinik:
                form.levels = {"k1": 4, "k2": 4, "k3": 4, "k4": 4, "k5": 4, "k6": 3}  # 97.50
                form.desk_score = desk_score(form.levels, w)
            elif id(form) in strong_ids:
                form.levels, form.desk_score = _levels(
                    rng, w, low=SHORTLIST_FLOOR, high=SHORTLIST_CAP, quality=(3.0, 3.8)
                )
            else:
                stopped = form.data.get("still_running") is False
                fixed = {"k1": 0} if stopped and group == Group.KEBERLANJUTAN else None
                form.levels, form.desk_score = _levels(
                    rng, w, low=Decimal(0), high=OBJECT_CAP, quality=(1.2, 3.2), fixed=fixed
                )
        _interviews(rng, rules, group, strong, klinik)
    return facts


def _is_klinik(plan: PkriPlan, reg: _Registry, form: FormSpec) -> bool:
    obj = plan.objects[form.object]  # type: ignore[index]
    return reg.innovation(plan, obj.innovation).name == KLINIK_BUM_DESA


def _interviews(
    rng: random.Random, rules: PkriRules, group: str, strong: list[FormSpec], top: list[FormSpec]
) -> None:
    """Interview scores of the shortlisted, with no tie at the awards cut-off."""
    weights = rules.final_with_interview
    awards = rules.group(group).awards or 0
    for form in strong:
        form.interview_score = (
            Decimal("97.00") if form in top else Decimal(rng.randint(6500, 9400)) / 100
        )
    for _ in range(200):
        for form in strong:
            assert form.desk_score is not None
            form.final_score = final_score(form.desk_score, form.interview_score, weights)
        ordered = sorted(strong, key=lambda f: f.final_score or 0, reverse=True)
        if awards >= len(ordered) or ordered[awards - 1].final_score != ordered[awards].final_score:
            return
        # Break the tie at the cut-off by the panel's score of the one just above it.
        bumped = ordered[awards - 1]
        bumped.interview_score = min(Decimal(100), (bumped.interview_score or 0) + Decimal("0.5"))
    raise ValueError("could not separate the awards cut-off")


def _coaching_forms_2024(
    rng: random.Random,
    reg: _Registry,
    plan: PkriPlan,
    rules: PkriRules,
    facts: dict[int, ObjectFacts],
) -> None:
    weights = weights_by_group()[Group.PEMBINAAN]
    window = rules.self_assessment
    loci = [loc for loc in plan.loci if loc.edition == CODE_2024 and loc.in_pembinaan]
    loci = [loc for loc in loci if not loc.excluded]
    forced = [loc for loc in loci if loc.institution in NAMED_LEVELS]
    rest = [loc for loc in loci if loc.institution not in NAMED_LEVELS]
    submitted = {loc.institution for loc in forced}
    submitted |= {loc.institution for loc in rng.sample(rest, COACHING_SUBMITTED - len(forced))}
    # Winners besides the named ones: the rest of each kind's slots, among the submitted.
    slots = rules.group(Group.PEMBINAAN).award_slots
    winners = set(NAMED_LEVELS)
    for kind, count in sorted(slots.items()):
        named_here = [name for name in NAMED_LEVELS if reg.kinds[name] == kind]
        pool = sorted(
            loc.institution
            for loc in loci
            if loc.kind == kind and loc.institution in submitted and loc.institution not in winners
        )
        winners |= set(rng.sample(pool, max(0, count - len(named_here))))
    objects_of: dict[str, list[int]] = defaultdict(list)
    for number, obj in enumerate(plan.objects):
        if obj.edition == CODE_2024 and not obj.excluded:
            objects_of[obj.institution].append(number)
    lookback = rules.lookback_years
    replications = _replications_out(reg, plan, lookback)
    for loc in loci:
        form = FormSpec(CODE_2024, FormKind.COACHING, loc.institution, None, FormState.FORM_MISSING)
        form.created_at = wib(window[0], 8)
        form.updated_at = wib(window[1] + dt.timedelta(days=1), 0, 5)
        plan.forms.append(form)
        if loc.institution not in submitted:
            continue
        domain = reg.specs[loc.institution].email_domain
        if loc.institution == PAYAKUMBUH:
            form.data, form.files = answers.payakumbuh_coaching(lookback, domain)
        else:
            strength = 0.85 if loc.institution in winners else rng.uniform(0.1, 0.7)
            form.data, form.files = answers.coaching_answers(
                rng, lookback=lookback, edition_year=rules.year, domain=domain, strength=strength
            )
        derived = locus_indicators(
            [facts[n] for n in objects_of.get(loc.institution, [])],
            *replications.get(loc.institution, (0, 0)),
            {},
        )
        form.derived = {
            "objects_total": derived.objects_total,
            "sustained_share": str(derived.sustained_share),
            "institutionalised_share": str(derived.institutionalised_share),
            "replications_out": derived.replications_out,
            "replications_out_claimed": derived.replications_out_claimed,
            "kipp_registrations": {},
        }
        if loc.institution in NAMED_LEVELS:
            form.levels = dict(NAMED_LEVELS[loc.institution])
            form.desk_score = desk_score(form.levels, weights)
            form.consolidation = CONSOLIDATIONS.get(loc.institution)
            if form.consolidation is not None:
                form.desk_score = form.consolidation.score
        elif loc.institution in winners:
            form.levels, form.desk_score = _levels(
                rng, weights, low=Decimal("86.25"), high=Decimal("95.00"), quality=(3.3, 3.9)
            )
        else:
            form.levels, form.desk_score = _levels(
                rng, weights, low=Decimal(0), high=COACHING_CAP, quality=(0.8, 3.2)
            )
        form.state = FormState.DESK_EVALUATED
        form.submitted_at = _moment(rng, window[0], window[1])
        form.updated_at = wib(rules.desk_evaluation[1] if rules.desk_evaluation else window[1], 17)


def _replications_out(
    reg: _Registry, plan: PkriPlan, lookback: tuple[int, int]
) -> dict[str, tuple[int, int]]:
    """Institution → (confirmed + verified, claimed) links from its innovations started in
    the lookback years (national links are claims)."""
    counted: Counter[str] = Counter()
    claimed: Counter[str] = Counter()
    links = [(k.source, k.replicated_on, "claimed") for k in reg.demo.links]
    links += [(k.source, k.replicated_on, k.status) for k in plan.links]
    for source, day, status in links:
        if not lookback[0] <= day.year <= lookback[1]:
            continue
        owner = reg.innovation(plan, source).institution_name
        if status in ("confirmed", "verified"):
            counted[owner] += 1
        elif status == "claimed":
            claimed[owner] += 1
    return {name: (counted[name], claimed[name]) for name in set(counted) | set(claimed)}


# --------------------------------------------------------------------------- 2025


STATES_2025 = (
    (FormState.ANNOUNCED, 35),
    (FormState.DRAFT, 25),
    (FormState.AT_INSTITUTION, 12),
    (FormState.RETURNED, 6),
    (FormState.SUBMITTED, 22),
)
RETURN_NOTE = "Lengkapi data penerima manfaat tahun 2024 dan unggah SOP yang sudah ditandatangani."


def _edition_2025(rng: random.Random, reg: _Registry, plan: PkriPlan) -> None:
    """Payakumbuh and ~40 loci of 2024 with their objects whose tier is in 2015–2024."""
    rules = rules_of(plan.rules[CODE_2025])
    first, last = rules.source_years
    objects_2024 = [o for o in plan.objects if o.edition == CODE_2024 and not o.excluded]
    owners = sorted({o.institution for o in objects_2024} - {PAYAKUMBUH})
    chosen = [PAYAKUMBUH, *rng.sample(owners, SCOPE_2025_LOCI)]
    opened = wib(WINDOW_2025[0], 8)
    now = NOW_2025
    for institution in chosen:
        plan.loci.append(LocusSpec(CODE_2025, institution, reg.kinds[institution], "derived"))
        coaching = FormSpec(CODE_2025, FormKind.COACHING, institution, None, FormState.ANNOUNCED)
        picked = [
            o
            for o in objects_2024
            if o.institution == institution
            and (o.group == Group.REPLIKASI or (o.award_year and first <= o.award_year <= last))
        ]
        for obj in picked:
            plan.objects.append(dataclasses.replace(obj, edition=CODE_2025))
            number = len(plan.objects) - 1
            kind = (
                FormKind.SUSTAINABILITY
                if obj.group == Group.KEBERLANJUTAN
                else FormKind.REPLICATION
            )
            plan.forms.append(FormSpec(CODE_2025, kind, institution, number, FormState.ANNOUNCED))
        plan.forms.append(coaching)
    forms = [f for f in plan.forms if f.edition == CODE_2025]
    for form in forms:
        form.created_at = opened
        form.updated_at = opened
        spec = None
        target = plan.objects[form.object] if form.object is not None else None
        if target is not None:
            spec = reg.innovation(plan, target.innovation)
        if form.institution == PAYAKUMBUH:
            # The demo logins find work: the operator's SITARANG draft, the admin's coaching
            # draft, Sipaduko waiting at the institution and the third form returned.
            state = {
                None: FormState.DRAFT,
                "SITARANG": FormState.DRAFT,
                "Sipaduko": FormState.AT_INSTITUTION,
                "Klinik Berhenti Merokok": FormState.RETURNED,
            }[spec.name if spec else None]
        else:
            options = [s for s, _ in STATES_2025]
            if form.kind == FormKind.COACHING:
                options = [
                    s for s in options if s not in (FormState.AT_INSTITUTION, FormState.RETURNED)
                ]
            state = rng.choices(options, weights=[dict(STATES_2025)[s] for s in options])[0]
        form.state = state
        if state == FormState.ANNOUNCED:
            continue
        domain = reg.specs[form.institution].email_domain
        if target is None:
            data, files = answers.coaching_answers(
                rng,
                lookback=rules.lookback_years,
                edition_year=rules.year,
                domain=domain,
                strength=rng.uniform(0.2, 0.9),
            )
        else:
            assert spec is not None
            data, files = answers.object_answers(
                rng,
                kind=form.kind,
                running=spec.status != "stopped",
                running_since=spec.started_on,
                base_year=target.award_year if target.award_year else spec.started_on.year,
                edition_year=rules.year,
                today=now.date(),
                institutionalised=rng.random() < 0.6,
                domain=domain,
                original_innovation=target.original,
                replication_started=spec.started_on if target.original is not None else None,
            )
        touched = _moment(rng, WINDOW_2025[0], now.date() - dt.timedelta(days=1))
        form.updated_at = touched
        form.by_operator = target is not None and state in (FormState.DRAFT,)
        if state == FormState.DRAFT:
            form.data = answers.draft_of(data, rng)
            form.files = [path for path in files if path.split(".")[0] in form.data]
        else:
            form.data, form.files = data, files
        if state == FormState.RETURNED:
            form.return_note = RETURN_NOTE
        if state == FormState.SUBMITTED:
            form.submitted_at = touched


# --------------------------------------------------------------------------- entry point


def build_pkri_plan(demo: DemoPlan) -> PkriPlan:
    """The PKRI demo for this national plan; the same plan always gives the same result."""
    rng = random.Random(f"pkri-{demo.seed}")
    reg = _registry(demo)
    plan = PkriPlan(first=len(demo.innovations))
    plan.rules = {CODE_2024: rules_2024(), CODE_2025: rules_2025()}
    rules = rules_of(plan.rules[CODE_2024])
    _scope_2024(rng, reg, plan, rules)
    facts = _object_forms_2024(rng, reg, plan, rules)
    _coaching_forms_2024(rng, reg, plan, rules, facts)
    _edition_2025(random.Random(f"pkri-2025-{demo.seed}"), reg, plan)
    return plan
