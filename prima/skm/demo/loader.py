"""The SKM demo: service catalogues, a year of quarterly surveys, a survey collecting now.

Called once by `prima.core.demo.loader.load_demo` inside its transaction, after the
registry is written and before the single `demo.loaded` audit entry (which then carries
the SKM counts). Like the rest of the demo it bypasses the per-record domain functions
(no per-row audit, no actor) and writes rows in bulk, exactly as those functions would
leave them:

- every unit gets a small service catalogue (`catalogue.py`), codes unique per institution;
- `SURVEYED_UNITS` units get a survey for each quarter of 2025, calculated or published,
  with their responses, the counters of skm.md §5 (built with the same slices as
  `record_batch`, so `recompute_counters` finds nothing to change) and the frozen §10
  result computed from those counters by `prima.skm.domain.index.compute`;
- every eighth of them falls short of its sample target in 2025;
- Disdukcapil Kota Surabaya's 2025-Q2 responses are skm.md §13 example 2 twenty times
  over (same NRR): the printed rule gives C 76.54, the exact one B 76.62;
- the same units collect for 2026-Q4 (responses up to `COLLECTED_UNTIL`);
- a quarter of the units adopted a follow-up plan for their published 2025-Q2 survey,
  with items done, in progress and cancelled.

Everything comes from one seeded generator, so the same seed gives the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice, pairwise
from typing import Any

from django.db import connection, models
from django.utils import timezone

from prima.core.demo.accounts import DEMO_ACCOUNTS
from prima.core.demo.plan import JAKARTA, DemoPlan
from prima.core.models import Institution, Service, ServiceUnit
from prima.skm.demo.catalogue import catalogue_for, unique_codes
from prima.skm.domain.answer_columns import answer_fields
from prima.skm.domain.counters import as_counters
from prima.skm.domain.document import result_document
from prima.skm.domain.index import IkmResult, compute
from prima.skm.domain.periods import Period, parse_period
from prima.skm.domain.results import unit_reference
from prima.skm.domain.sample import default_population, sample_target
from prima.skm.domain.versions import CURRENT_INSTRUMENT, instrument, setting_for
from prima.skm.enums import (
    UNSPECIFIED_SERVICE,
    AgeBand,
    Channel,
    Dimension,
    Education,
    Gender,
    Occupation,
    PeriodKind,
    PublicationMedium,
    RtlStatus,
    SurveyState,
    WeightRule,
)
from prima.skm.models import FollowUpItem, FollowUpPlan, Response, ResponseCounter, Survey

SKM_SEED = 5
SURVEYED_UNITS = 240
# Besides the demo logins' units, surveyed units are drawn among units of at most this
# many users a year, so a quarter's sample (≤ 160) keeps the demo quick to load.
SMALL_UNIT_USERS = 1000
YEAR_QUARTERS = ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4")
COLLECTING_PERIOD = "2026-Q4"
# The last day with responses in the collecting survey: fixed, so the demo does not
# depend on the day it is loaded.
COLLECTED_UNTIL = dt.date(2026, 11, 24)
EXAMPLE_UNIT = "Dinas Kependudukan dan Pencatatan Sipil Kota Surabaya"
EXAMPLE_PERIOD = "2025-Q2"
EXAMPLE_SCALE = 20  # 12 respondents × 20: the same NRR, a realistic sample
EXAMPLE_POPULATION = 600  # target 235 ≤ 240 respondents
# skm.md §13 example 2: per element, respondents answering 4/3/2/1.
EXAMPLE_2 = {
    "U1": (3, 7, 2, 0),
    "U2": (2, 8, 2, 0),
    "U3": (2, 7, 3, 0),
    "U4": (6, 5, 1, 0),
    "U5": (2, 9, 1, 0),
    "U6": (3, 8, 1, 0),
    "U7": (4, 7, 1, 0),
    "U8": (1, 6, 4, 1),
    "U9": (3, 7, 2, 0),
}
SHORT_EVERY = 8  # every eighth surveyed unit falls short of its sample in 2025
PLAN_EVERY = 4  # every fourth adopted a follow-up plan for its 2025-Q2 survey
CHUNK = 5000

# Answer value weights (1, 2, 3, 4) at three levels of satisfaction, interpolated.
_LEVELS = (
    (2.7, (0.05, 0.25, 0.58, 0.12)),
    (3.1, (0.02, 0.10, 0.62, 0.26)),
    (3.5, (0.01, 0.03, 0.42, 0.54)),
)
# Elements people rate lower or higher than the unit's average (skm-2017 codes).
_ELEMENT_OFFSET = {"U3": -0.12, "U4": 0.15, "U8": -0.2, "U5": 0.03}
_DEMOGRAPHICS: dict[str, tuple[Sequence[str], Sequence[float]]] = {
    "gender": ((Gender.MALE, Gender.FEMALE, ""), (0.47, 0.5, 0.03)),
    "age_band": (
        (*AgeBand.values, ""),
        (0.06, 0.22, 0.27, 0.21, 0.13, 0.08, 0.03),
    ),
    "education": (
        (*Education.values, ""),
        (0.02, 0.08, 0.14, 0.4, 0.12, 0.18, 0.03, 0.005, 0.025),
    ),
    "occupation": (
        (*Occupation.values, ""),
        (0.12, 0.03, 0.25, 0.22, 0.12, 0.1, 0.13, 0.03),
    ),
}
_CHANNELS = ((Channel.ONLINE, Channel.TOKEN, Channel.KIOSK, Channel.PAPER), (45, 15, 15, 25))
_SUGGESTIONS = (
    "Antrean pagi terlalu panjang, mohon tambah loket.",
    "Petugas ramah dan cepat, pertahankan.",
    "Informasi persyaratan di situs web belum lengkap.",
    "Ruang tunggu panas, mohon tambah kipas angin.",
    "Mohon jam layanan diperpanjang sampai sore.",
    "Pelayanan sudah baik, terima kasih.",
    "Tempat parkir sempit.",
    "Nomor pengaduan sulit dihubungi.",
    "Proses lebih cepat dari yang saya kira.",
    "Perlu papan petunjuk alur layanan yang lebih jelas.",
)
_ACTIONS = {
    "U1": ("Persyaratan dinilai belum sesuai.", "Sederhanakan dan umumkan ulang persyaratan."),
    "U2": ("Prosedur dinilai berbelit.", "Terbitkan alur layanan satu halaman di loket."),
    "U3": ("Waktu penyelesaian lama.", "Tambah petugas verifikasi pada jam sibuk."),
    "U4": ("Biaya dinilai tidak jelas.", "Pasang papan informasi biaya (gratis) di loket."),
    "U5": ("Produk layanan tidak sesuai standar.", "Periksa mutu produk sebelum diserahkan."),
    "U6": ("Kompetensi petugas kurang.", "Pelatihan teknis petugas front office."),
    "U7": ("Perilaku petugas dikeluhkan.", "Pelatihan pelayanan prima dan survei ulang."),
    "U8": ("Pengaduan lambat ditangani.", "Tetapkan SOP pengaduan dan respons 3 hari kerja."),
    "U9": ("Sarana ruang tunggu kurang.", "Tambah kursi, kipas, dan pojok laktasi."),
}
_MEDIA = tuple(PublicationMedium.values)


@dataclass
class _UnitPick:
    pk: int
    institution_id: int
    province_code: str
    name: str
    yearly: int | None
    codes: list[str]
    quality: float
    short: bool = False


@dataclass
class _SurveyPlan:
    unit: _UnitPick
    period: Period
    state: str
    population: int | None
    respondents: int
    example: bool = False
    row: Survey | None = None
    result: IkmResult | None = None
    counters: dict[tuple[str, str], tuple[int, dict[str, dict[str, int]]]] = field(
        default_factory=dict
    )
    columns: dict[str, list[int | None]] = field(default_factory=dict)
    slices: dict[str, list[str]] = field(default_factory=dict)
    days: list[dt.date] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------ raw inserts


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found


def _insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert plain tuples with one prepared statement per chunk (no model instances).

    The demo writes hundreds of thousands of responses; building a model object for each
    costs more than writing it. Values must already be in the database's form.
    """
    quote = connection.ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(str(_field(model, name).column)) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"
    total = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(iterator, CHUNK)):
            cursor.executemany(sql, chunk)
            total += len(chunk)
    return total


def _json(model: type[models.Model], name: str, value: Any) -> Any:
    return _field(model, name).get_db_prep_save(value, connection=connection)


def _day(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _moment(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


# ---------------------------------------------------------------------------- services


def _write_services(
    plan: DemoPlan, unit_ids: dict[tuple[str, str], int], wanted: set[int]
) -> dict[int, list[str]]:
    """A few services for each unit in ``wanted``; returns unit id → its codes."""
    institution_of = dict(ServiceUnit.objects.values_list("pk", "institution_id"))
    now = _moment(timezone.now())
    taken: dict[int, set[str]] = {}
    codes: dict[int, list[str]] = {}
    rows: list[tuple[Any, ...]] = []
    for spec in plan.units:
        unit_id = unit_ids[(spec.institution_name, spec.name)]
        if unit_id not in wanted:
            continue
        institution_id = institution_of[unit_id]
        chosen = unique_codes(
            catalogue_for(spec.name, str(spec.kind)), taken.setdefault(institution_id, set())
        )
        codes[unit_id] = [code for code, _name in chosen]
        rows.extend((institution_id, unit_id, code, name, True, now, now) for code, name in chosen)
    _insert(
        Service,
        ("institution", "unit", "code", "name", "is_active", "created_at", "updated_at"),
        rows,
    )
    return codes


# ------------------------------------------------------------------------------ units


def _login_units() -> set[str]:
    return {account.unit_name for account in DEMO_ACCOUNTS if account.unit_name}


def _pick_units(
    plan: DemoPlan, unit_ids: dict[tuple[str, str], int], rng: random.Random
) -> tuple[list[_UnitPick], set[int]]:
    """The surveyed units (the demo logins' units and a seeded sample of small units), and
    the units that get a service catalogue: those, plus every unit of the logins'
    institutions so their people see catalogues."""
    provinces = dict(Institution.objects.values_list("pk", "province_code"))
    institution_of = dict(ServiceUnit.objects.values_list("pk", "institution_id"))
    logins = _login_units() | {EXAMPLE_UNIT}
    always = [spec for spec in plan.units if spec.name in logins]
    others = [
        spec
        for spec in plan.units
        if spec.name not in logins
        and spec.user_population
        and spec.user_population <= SMALL_UNIT_USERS
    ]
    wanted = max(SURVEYED_UNITS - len(always), 0)
    chosen = always + rng.sample(others, min(wanted, len(others)))
    picks: list[_UnitPick] = []
    for index, spec in enumerate(chosen):
        pk = unit_ids[(spec.institution_name, spec.name)]
        institution_id = institution_of[pk]
        picks.append(
            _UnitPick(
                pk=pk,
                institution_id=institution_id,
                province_code=provinces.get(institution_id, "") or "",
                name=spec.name,
                yearly=spec.user_population,
                codes=[],
                quality=rng.triangular(2.75, 3.55, 3.2),
                short=index % SHORT_EVERY == SHORT_EVERY - 1 and spec.name not in logins,
            )
        )
    login_institutions = {spec.institution_name for spec in always}
    catalogued = {pick.pk for pick in picks} | {
        unit_ids[(spec.institution_name, spec.name)]
        for spec in plan.units
        if spec.institution_name in login_institutions
    }
    return picks, catalogued


# ---------------------------------------------------------------------------- surveys


def _population(unit: _UnitPick, period: Period) -> int | None:
    return default_population(unit.yearly, PeriodKind(period.kind)) if unit.yearly else None


def _plan_surveys(units: list[_UnitPick], rng: random.Random) -> list[_SurveyPlan]:
    plans: list[_SurveyPlan] = []
    collecting = parse_period(COLLECTING_PERIOD)
    elapsed = (COLLECTED_UNTIL - collecting.first_day).days + 1
    share = elapsed / ((collecting.last_day - collecting.first_day).days + 1)
    for unit in units:
        for code in YEAR_QUARTERS:
            period = parse_period(code)
            example = unit.name == EXAMPLE_UNIT and code == EXAMPLE_PERIOD
            population = EXAMPLE_POPULATION if example else _population(unit, period)
            target = sample_target(population) if population else 150
            if example:
                count = 12 * EXAMPLE_SCALE
            elif unit.short:
                count = int(target * rng.uniform(0.55, 0.9))
            else:
                count = target + rng.randint(0, max(target // 10, 1))
            state = (
                SurveyState.CALCULATED
                if code == "2025-Q4" and rng.random() < 0.35
                else (SurveyState.PUBLISHED)
            )
            plans.append(_SurveyPlan(unit, period, state, population, count, example))
        population = _population(unit, collecting)
        target = sample_target(population) if population else 150
        count = max(int(target * share * rng.uniform(0.6, 1.15)), 1)
        plans.append(_SurveyPlan(unit, collecting, SurveyState.COLLECTING, population, count))
    return plans


# -------------------------------------------------------------------------- responses


def _weights(level: float) -> tuple[float, ...]:
    """Answer weights (1–4) for a mean satisfaction level, interpolated between _LEVELS."""
    if level <= _LEVELS[0][0]:
        return _LEVELS[0][1]
    for (low, below), (high, above) in pairwise(_LEVELS):
        if level <= high:
            share = (level - low) / (high - low)
            return tuple(b + (a - b) * share for b, a in zip(below, above, strict=True))
    return _LEVELS[-1][1]


def _answer_columns(
    item: _SurveyPlan, codes: Sequence[str], rng: random.Random
) -> dict[str, list[int | None]]:
    """Per element, the answers of the survey's respondents (None = blank)."""
    n = item.respondents
    if item.example:
        columns: dict[str, list[int | None]] = {}
        for code in codes:
            four, three, two, one = EXAMPLE_2[code]
            values: list[int | None] = [
                v for v, k in ((4, four), (3, three), (2, two), (1, one)) for _ in range(k)
            ]
            column = values * EXAMPLE_SCALE
            rng.shuffle(column)
            columns[code] = column
        return columns
    drift = rng.uniform(-0.08, 0.08)
    columns = {}
    for code in codes:
        level = item.unit.quality + drift + _ELEMENT_OFFSET.get(code, 0.0)
        column = list(rng.choices((1, 2, 3, 4), weights=_weights(level), k=n))
        for index in rng.sample(range(n), k=min(n, int(n * rng.uniform(0, 0.02)))):
            column[index] = None
        columns[code] = column
    # A response must answer at least one element (skm.md §9).
    for index in range(n):
        if all(columns[code][index] is None for code in codes):
            columns[codes[0]][index] = 3
    return columns


def _days(item: _SurveyPlan) -> list[dt.date]:
    last = min(item.period.last_day, COLLECTED_UNTIL)
    span = (last - item.period.first_day).days + 1
    return [item.period.first_day + dt.timedelta(days=d) for d in range(span)]


def _count(
    keys: Sequence[str], columns: dict[str, list[int | None]]
) -> dict[str, tuple[int, dict[str, dict[str, int]]]]:
    """Key → (respondents, element → value → count) as `CounterDelta.apply` stores them."""
    respondents = Counter(keys)
    result: dict[str, tuple[int, dict[str, dict[str, int]]]] = {
        key: (n, {}) for key, n in respondents.items()
    }
    for code, values in columns.items():
        for (key, value), n in Counter(zip(keys, values, strict=True)).items():
            if value is None:
                continue
            result[key][1].setdefault(code, {})[str(value)] = n
    return result


RESPONSE_FIELDS = (
    "survey",
    "respondent_ref",
    "answered_on",
    "service_code",
    "gender",
    "age_band",
    "education",
    "occupation",
    "suggestion",
    "channel",
    "created_at",
    "void_reason",
)


def _draw(item: _SurveyPlan, element_codes: Sequence[str], rng: random.Random) -> None:
    """Draw the survey's responses (as columns) and count them into ``item.counters``,
    in the slices `prima.skm.domain.counters.slices_of` gives each response."""
    n = item.respondents
    item.columns = _answer_columns(item, element_codes, rng)
    item.days = sorted(rng.choices(_days(item), k=n))
    services = [*item.unit.codes, UNSPECIFIED_SERVICE]
    service_weights = [*(3 for _ in item.unit.codes), 1]
    item.slices = {
        Dimension.SERVICE.value: rng.choices(services, weights=service_weights, k=n),
        Dimension.CHANNEL.value: [str(c) for c in rng.choices(*_CHANNELS, k=n)],
    }
    for name, (values, weights) in _DEMOGRAPHICS.items():
        item.slices[name] = [str(v) for v in rng.choices(values, weights=weights, k=n)]
    item.suggestions = [rng.choice(_SUGGESTIONS) if rng.random() < 0.06 else "" for _ in range(n)]
    item.counters = {(Dimension.ALL.value, ""): _count([""] * n, item.columns)[""]}
    for dimension, keys in item.slices.items():
        for key, counted in _count(keys, item.columns).items():
            item.counters[(dimension, key)] = counted


def _rows(
    item: _SurveyPlan,
    element_codes: Sequence[str],
    moments: dict[tuple[dt.date, int], Any],
    dates: dict[dt.date, Any],
) -> Iterator[tuple[Any, ...]]:
    """The survey's response rows in database form (its columns are dropped after)."""
    assert item.row is not None
    survey_id = item.row.pk
    slices = item.slices
    answer_lists = [item.columns[code] for code in element_codes]
    for index in range(item.respondents):
        day = item.days[index]
        minute = index % 420
        moment = moments.get((day, minute))
        if moment is None:
            moment = moments[(day, minute)] = _moment(
                dt.datetime.combine(day, dt.time(8), tzinfo=JAKARTA) + dt.timedelta(minutes=minute)
            )
        answered = dates.get(day)
        if answered is None:
            answered = dates[day] = _day(day)
        yield (
            survey_id,
            f"D{index + 1:05d}",
            answered,
            slices[Dimension.SERVICE.value][index],
            slices["gender"][index],
            slices["age_band"][index],
            slices["education"][index],
            slices["occupation"][index],
            item.suggestions[index],
            slices[Dimension.CHANNEL.value][index],
            moment,
            "",
            *(column[index] for column in answer_lists),
        )
    item.columns, item.slices, item.days, item.suggestions = {}, {}, [], []


# ---------------------------------------------------------------------------- surveys


def _public_id(rng: random.Random) -> str:
    # 16 URL-safe characters like secrets.token_urlsafe(12), but from the demo's seed.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return "".join(rng.choice(alphabet) for _ in range(16))


def _result(item: _SurveyPlan, rule: WeightRule) -> IkmResult:
    """The survey's result from its counters, as `prima.skm.domain.results.survey_result`."""
    if item.result is None:
        version = instrument(CURRENT_INSTRUMENT)
        n, stored = item.counters[(Dimension.ALL.value, "")]
        item.result = compute(
            as_counters(n, stored, version), version, weight_rule=rule, population=item.population
        )
    return item.result


def _survey_row(item: _SurveyPlan, rule: WeightRule, rng: random.Random) -> Survey:
    """The survey as the domain leaves it: collecting, or calculated/published with the
    result frozen from its counters (the §10 document is added once the id is known)."""
    period = item.period
    row = Survey(
        unit_id=item.unit.pk,
        institution_id=item.unit.institution_id,
        province_code=item.unit.province_code,
        period_code=period.code,
        period_kind=period.kind,
        period_start=period.first_day,
        period_end=period.last_day,
        instrument=CURRENT_INSTRUMENT,
        population=item.population,
        sample_target=sample_target(item.population) if item.population else None,
        state=item.state,
        public_id=_public_id(rng),
        respondents=item.respondents,
        is_demo=True,
    )
    if item.state == SurveyState.COLLECTING:
        return row
    result = _result(item, rule)
    main = result.result
    row.weight_rule = str(result.weight_rule)
    row.result_status = str(result.status)
    row.ikm = main.ikm if main else None
    row.ikm_converted = main.ikm_converted if main else None
    row.grade = main.grade if main else ""
    calculated_on = period.last_day + dt.timedelta(days=rng.randint(3, 12))
    row.calculated_at = dt.datetime.combine(calculated_on, dt.time(10), tzinfo=JAKARTA)
    if item.state == SurveyState.PUBLISHED:
        row.published_on = calculated_on + dt.timedelta(days=rng.randint(2, 25))
        row.publication_media = sorted(
            rng.sample(_MEDIA[:4], k=rng.randint(1, 3)), key=_MEDIA.index
        )
        row.publication_url = f"https://skm.example.go.id/{row.period_code.lower()}"
    return row


def _write_surveys(plans: list[_SurveyPlan], rng: random.Random) -> None:
    rule = WeightRule(setting_for(CURRENT_INSTRUMENT).weight_rule)
    rows = [_survey_row(item, rule, rng) for item in plans]
    Survey.objects.bulk_create(rows, batch_size=500)
    for item, row in zip(plans, rows, strict=True):
        item.row = row
    # The frozen §10 document names the survey's id: written once the ids exist.
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(Survey._meta.db_table)} SET {quote('result')} = %s WHERE {quote('id')} = %s"
    )
    updates = []
    for item, row in zip(plans, rows, strict=True):
        if item.state == SurveyState.COLLECTING:
            continue
        assert item.result is not None
        row.result = result_document(
            item.result,
            unit=unit_reference(row.unit_id),
            survey=row.pk,
            period=row.period_code,
        )
        updates.append((_json(Survey, "result", row.result), row.pk))
    with connection.cursor() as cursor:
        cursor.executemany(sql, updates)


def _write_responses(plans: list[_SurveyPlan]) -> int:
    version = instrument(CURRENT_INSTRUMENT)
    fields = answer_fields(version)
    element_codes = list(fields)
    moments: dict[tuple[dt.date, int], Any] = {}
    dates: dict[dt.date, Any] = {}
    rows = (row for item in plans for row in _rows(item, element_codes, moments, dates))
    written = _insert(Response, (*RESPONSE_FIELDS, *fields.values()), rows)
    prepare = _field(ResponseCounter, "answers").get_db_prep_save
    _insert(
        ResponseCounter,
        ("survey", "dimension", "key", "respondents", "answers"),
        (
            (item.row.pk, dimension, key, n, prepare(answers, connection=connection))
            for item in plans
            if item.row is not None
            for (dimension, key), (n, answers) in item.counters.items()
        ),
    )
    return written


# -------------------------------------------------------------------------- follow-up


def _lowest(item: _SurveyPlan) -> list[str]:
    assert item.row is not None and item.row.result is not None
    nrr = {
        code: Decimal(value) for code, value in item.row.result["nrr"].items() if value is not None
    }
    return sorted(nrr, key=lambda code: (nrr[code], code))[:3]


def _write_follow_up(done: list[_SurveyPlan], rng: random.Random) -> tuple[int, int]:
    """Adopted plans for every fourth unit's published 2025-Q2 survey, and their items."""
    chosen = [
        item
        for index, item in enumerate(
            i for i in done if i.period.code == EXAMPLE_PERIOD and i.state == SurveyState.PUBLISHED
        )
        if index % PLAN_EVERY == 0 or item.example
    ]
    plans = []
    for item in chosen:
        assert item.row is not None and item.row.published_on is not None
        adopted = item.row.published_on + dt.timedelta(days=rng.randint(7, 30))
        plans.append(
            FollowUpPlan(
                survey=item.row,
                adopted_on=adopted,
                decree_number=f"800/{item.row.unit_id}/SK-RTL/{adopted.year}",
                note="Disusun bersama tim pengelola SKM berdasarkan tiga unsur terendah.",
            )
        )
    FollowUpPlan.objects.bulk_create(plans, batch_size=500)
    items = []
    for item, plan in zip(chosen, plans, strict=True):
        assert plan.adopted_on is not None
        all_done = rng.random() < 0.3
        for position, code in enumerate(_lowest(item), start=1):
            problem, action = _ACTIONS.get(code, ("Nilai unsur rendah.", "Perbaikan layanan."))
            start = plan.adopted_on + dt.timedelta(days=7 * position)
            end = start + dt.timedelta(days=rng.choice((30, 60, 90)))
            status = (
                RtlStatus.DONE
                if all_done
                else rng.choices(
                    (RtlStatus.DONE, RtlStatus.IN_PROGRESS, RtlStatus.CANCELLED), (6, 3, 1)
                )[0]
            )
            items.append(
                FollowUpItem(
                    plan=plan,
                    position=position,
                    elements=[code],
                    service_code="",
                    problem=problem,
                    action=action,
                    owner="Kepala Seksi Pelayanan",
                    planned_start=start,
                    planned_end=end,
                    status=status,
                    cancel_reason=(
                        "Anggaran dialihkan ke perbaikan sarana yang lebih mendesak."
                        if status == RtlStatus.CANCELLED
                        else ""
                    ),
                    realised_on=(
                        end - dt.timedelta(days=rng.randint(0, 20))
                        if status == RtlStatus.DONE
                        else None
                    ),
                    evidence_note=(
                        "Foto kegiatan dan notulen rapat tersimpan di unit."
                        if status == RtlStatus.DONE
                        else ""
                    ),
                )
            )
    FollowUpItem.objects.bulk_create(items, batch_size=500)
    return len(plans), len(items)


# ------------------------------------------------------------------------------- entry


def load_skm_demo(plan: DemoPlan, unit_ids: dict[tuple[str, str], int]) -> dict[str, Any]:
    """Write the SKM demo for the national plan just written; returns counts for the audit.

    `unit_ids` maps (institution name, unit name) to the unit rows the national demo
    wrote. Must run inside the national demo's transaction.
    """
    rng = random.Random(f"skm-{plan.seed}-{SKM_SEED}")
    units, catalogued = _pick_units(plan, unit_ids, rng)
    codes = _write_services(plan, unit_ids, catalogued)
    for unit in units:
        unit.codes = codes[unit.pk]
    plans = _plan_surveys(units, rng)
    element_codes = list(answer_fields(instrument(CURRENT_INSTRUMENT)))
    for item in plans:
        _draw(item, element_codes, rng)
    _write_surveys(plans, rng)
    responses = _write_responses(plans)
    done = [item for item in plans if item.state != SurveyState.COLLECTING]
    plan_count, item_count = _write_follow_up(done, rng)
    return {
        "skm_services": sum(len(c) for c in codes.values()),
        "skm_units": len(units),
        "skm_surveys": len(plans),
        "skm_surveys_collecting": sum(1 for p in plans if p.state == SurveyState.COLLECTING),
        "skm_responses": responses,
        "skm_short_units": sum(1 for u in units if u.short),
        "skm_follow_up_plans": plan_count,
        "skm_follow_up_items": item_count,
    }


__all__ = ["load_skm_demo"]
