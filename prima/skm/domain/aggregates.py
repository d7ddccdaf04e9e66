"""SKM figures beyond one number: a survey's result with its breakdowns, a unit's trend,
institution and province summaries, and the open-data rows (skm.md §4, §5, §10).

Everything is read from the counters (``ResponseCounter``) or from the frozen result of a
calculated survey, so the cost does not depend on the number of responses: each function
issues a fixed number of queries. Rules that keep the figures honest:

- pooled figures add counters — the pooled responses — and never average IKMs (skm.md §4);
- surveys of different instrument versions are never pooled nor ranked together (§3);
- public views hide every breakdown slice with fewer than ``PUBLIC_BREAKDOWN_MINIMUM``
  respondents (§5).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from prima.core.enums import RegionLevel
from prima.core.models import Region, Service
from prima.skm.domain.counters import as_counters, empty_counters
from prima.skm.domain.document import result_document
from prima.skm.domain.index import Counters, IkmResult, RuleResult, compute
from prima.skm.domain.instruments import SkmInstrument
from prima.skm.domain.periods import parse_period
from prima.skm.domain.results import survey_rule, unit_reference
from prima.skm.domain.versions import instrument, known_codes, setting_for
from prima.skm.enums import (
    PUBLIC_BREAKDOWN_MINIMUM,
    UNSPECIFIED_SERVICE,
    AgeBand,
    Channel,
    Dimension,
    Education,
    Gender,
    Occupation,
    ResultWarning,
    SurveyState,
    WeightRule,
)
from prima.skm.models import ResponseCounter, Survey

# Survey states whose result is final (frozen in ``Survey.result``).
FINAL_STATES = (SurveyState.CALCULATED, SurveyState.PUBLISHED)
# The respondent profile of a result page, in the order it is shown.
PROFILE_DIMENSIONS: tuple[tuple[Dimension, Any], ...] = (
    (Dimension.GENDER, Gender),
    (Dimension.AGE_BAND, AgeBand),
    (Dimension.EDUCATION, Education),
    (Dimension.OCCUPATION, Occupation),
    (Dimension.CHANNEL, Channel),
)
NOT_STATED = _("Tidak disebutkan")
GROUPS = ("institution", "province")

# dimension → key → counters
Slices = dict[str, dict[str, Counters]]


# --------------------------------------------------------------------------- counters


def survey_slices(survey_ids: Sequence[int], version: SkmInstrument) -> Slices:
    """Every counter of the surveys, pooled per (dimension, key), in one query."""
    pooled: Slices = defaultdict(dict)
    rows = ResponseCounter.objects.filter(survey_id__in=list(survey_ids))
    for dimension, key, respondents, stored in rows.values_list(
        "dimension", "key", "respondents", "answers"
    ):
        counters = as_counters(respondents, stored, version)
        per_key = pooled[dimension]
        per_key[key] = per_key[key] + counters if key in per_key else counters
    return pooled


def all_counters(slices: Slices, version: SkmInstrument) -> Counters:
    return slices.get(Dimension.ALL.value, {}).get("", empty_counters(version))


def result_of_document(
    document: Mapping[str, Any], version: SkmInstrument, *, explain_baik_is_c: bool
) -> IkmResult:
    """A frozen §10 document read back as an :class:`IkmResult` (for the text helpers).

    ``explain_baik_is_c`` depends on the answer distribution, which the document does not
    hold: the caller passes the value computed from the counters.
    """

    def decimal(text: str | None) -> Decimal | None:
        return None if text is None else Decimal(text)

    main = other = None
    if document.get("ikm") is not None:
        converted = Decimal(document["ikm_converted"])
        main = RuleResult(
            weight_rule=WeightRule(document["weight_rule"]),
            ikm=Decimal(document["ikm"]),
            ikm_converted=converted,
            grade=document["grade"],
            performance=document["performance"],
        )
    if document.get("alternative"):
        alt = document["alternative"]
        converted = Decimal(alt["ikm_converted"])
        other = RuleResult(
            weight_rule=WeightRule(alt["weight_rule"]),
            ikm=Decimal(alt["ikm"]),
            ikm_converted=converted,
            grade=alt["grade"],
            performance=version.band_for(converted).performance,
        )
    return IkmResult(
        instrument=document["instrument"],
        weight_rule=WeightRule(document["weight_rule"]),
        respondents=document["respondents"],
        answers=MappingProxyType(dict(document["answers"])),
        nrr=MappingProxyType({code: decimal(value) for code, value in document["nrr"].items()}),
        result=main,
        alternative=other,
        sample_target=document.get("sample_target"),
        sample_adequate=document.get("sample_adequate"),
        warnings=tuple(ResultWarning(code) for code in document.get("warnings", ())),
        explain_baik_is_c=explain_baik_is_c and main is not None,
    )


# --------------------------------------------------------------------------- one survey


@dataclass(frozen=True)
class SliceRow:
    """One breakdown slice: a service type or a profile category."""

    key: str
    label: str
    # None when hidden from a public view (fewer than PUBLIC_BREAKDOWN_MINIMUM).
    respondents: int | None
    result: IkmResult | None = None

    @property
    def suppressed(self) -> bool:
        return self.respondents is None


@dataclass(frozen=True)
class Profile:
    dimension: Dimension
    rows: tuple[SliceRow, ...]


@dataclass(frozen=True)
class SurveyFigures:
    """What a result page shows for one survey.

    ``result`` is the frozen result once the survey is calculated (``frozen``), the live
    one from the counters before; ``live`` is always from the counters and equals the
    frozen one for a calculated survey (its responses cannot change any more).
    """

    survey: Survey
    instrument: SkmInstrument
    result: IkmResult
    live: IkmResult
    frozen: bool
    document: dict[str, Any]
    services: tuple[SliceRow, ...]
    profile: tuple[Profile, ...]
    public: bool

    @property
    def provisional(self) -> bool:
        """Figures of a survey still collecting or closed, not yet calculated ("sementara")."""
        return not self.frozen


def survey_figures(survey: Survey, *, public: bool = False) -> SurveyFigures:
    """The result, breakdown per service type and respondent profile of a survey.

    Three queries whatever the number of responses: the counters, the unit's service
    names, and the version's weight-rule setting while the survey is not calculated.
    """
    version = instrument(survey.instrument)
    slices = survey_slices([survey.pk], version)
    rule = survey_rule(survey)
    live = compute(
        all_counters(slices, version), version, weight_rule=rule, population=survey.population
    )
    frozen = survey.state in FINAL_STATES and survey.result is not None
    if frozen:
        document = dict(survey.result or {})
        result = result_of_document(document, version, explain_baik_is_c=live.explain_baik_is_c)
    else:
        result = live
        document = result_document(
            live, unit=unit_reference(survey.unit_id), survey=survey.pk, period=survey.period_code
        )
    names = dict(Service.objects.filter(unit_id=survey.unit_id).values_list("code", "name"))
    return SurveyFigures(
        survey=survey,
        instrument=version,
        result=result,
        live=live,
        frozen=frozen,
        document=document,
        services=service_rows(slices, version, rule, names=names, public=public),
        profile=profile_rows(slices, public=public),
        public=public,
    )


def _shown(respondents: int, public: bool) -> int | None:
    return None if public and respondents < PUBLIC_BREAKDOWN_MINIMUM else respondents


def service_label(code: str, names: Mapping[str, str]) -> str:
    if code == UNSPECIFIED_SERVICE:
        return str(NOT_STATED)
    return f"{names[code]} ({code})" if code in names else code


def service_rows(
    slices: Slices,
    version: SkmInstrument,
    rule: WeightRule,
    *,
    names: Mapping[str, str],
    public: bool,
) -> tuple[SliceRow, ...]:
    """The IKM per service type (skm.md §5 breakdowns), unspecified last."""
    rows = []
    per_service = slices.get(Dimension.SERVICE.value, {})
    for code in sorted(per_service, key=lambda c: (c == UNSPECIFIED_SERVICE, c)):
        counters = per_service[code]
        if not counters.respondents:
            continue
        shown = _shown(counters.respondents, public)
        rows.append(
            SliceRow(
                key=code,
                label=service_label(code, names),
                respondents=shown,
                result=compute(counters, version, weight_rule=rule) if shown else None,
            )
        )
    return tuple(rows)


def profile_rows(slices: Slices, *, public: bool) -> tuple[Profile, ...]:
    """Respondents per gender, age band, education, occupation and channel (counts)."""
    profiles = []
    for dimension, choices in PROFILE_DIMENSIONS:
        per_key = slices.get(dimension.value, {})
        rows = [
            SliceRow(key=code, label=str(label), respondents=_shown(counts, public))
            for code, label in choices.choices
            if (counts := per_key[code].respondents if code in per_key else 0)
        ]
        if per_key.get("") and per_key[""].respondents:
            rows.append(
                SliceRow(
                    key="",
                    label=str(NOT_STATED),
                    respondents=_shown(per_key[""].respondents, public),
                )
            )
        profiles.append(Profile(dimension=dimension, rows=tuple(rows)))
    return tuple(profiles)


# --------------------------------------------------------------------------- trend


@dataclass(frozen=True)
class TrendPoint:
    """One survey of the unit in the trend: its converted IKM (frozen or live)."""

    survey_id: int
    public_id: str
    period_code: str
    state: str
    respondents: int
    ikm_converted: Decimal | None
    grade: str
    provisional: bool


def unit_trend(survey: Survey, *, public: bool = False) -> tuple[TrendPoint, ...]:
    """The unit's surveys of the same instrument version, oldest first.

    Calculated surveys give their frozen figures; surveys still collecting or closed give
    live ones from their counters (marked provisional). Public views list published
    surveys only. At most three queries whatever the number of surveys.
    """
    surveys = Survey.objects.filter(unit_id=survey.unit_id, instrument=survey.instrument)
    if public:
        surveys = surveys.filter(state=SurveyState.PUBLISHED)
    else:
        surveys = surveys.exclude(state=SurveyState.PLANNED)
    rows = list(
        surveys.order_by("period_start", "period_end").values(
            "pk",
            "public_id",
            "period_code",
            "state",
            "respondents",
            "ikm_converted",
            "grade",
            "result",
        )
    )
    final = set(FINAL_STATES)
    live_ids = [row["pk"] for row in rows if row["state"] not in final or row["result"] is None]
    live: dict[int, IkmResult] = {}
    if live_ids:
        version = instrument(survey.instrument)
        rule = WeightRule(setting_for(survey.instrument).weight_rule)
        per_survey = ResponseCounter.objects.filter(
            survey_id__in=live_ids, dimension=Dimension.ALL
        ).values_list("survey_id", "respondents", "answers")
        for survey_id, respondents, stored in per_survey:
            live[survey_id] = compute(
                as_counters(respondents, stored, version), version, weight_rule=rule
            )
    points = []
    for row in rows:
        if row["pk"] in live_ids:
            found = live.get(row["pk"])
            main = found.result if found else None
            converted, grade = (main.ikm_converted, main.grade) if main else (None, "")
            provisional = True
        else:
            converted, grade, provisional = row["ikm_converted"], row["grade"], False
        points.append(
            TrendPoint(
                survey_id=row["pk"],
                public_id=row["public_id"],
                period_code=row["period_code"],
                state=row["state"],
                respondents=row["respondents"],
                ikm_converted=converted,
                grade=grade,
                provisional=provisional,
            )
        )
    return tuple(points)


# --------------------------------------------------------------------------- summaries


def within_period(surveys: QuerySet[Survey], period_code: str) -> QuerySet[Survey]:
    """Surveys whose period lies inside ``period_code`` (a year holds its quarters).

    Raises DomainError for a malformed period code.
    """
    period = parse_period(period_code)
    return surveys.filter(period_start__gte=period.first_day, period_end__lte=period.last_day)


@dataclass(frozen=True)
class GroupRow:
    """The pooled result of one institution or province for one instrument version."""

    code: str
    name: str
    surveys: int
    units: int
    respondents: int
    result: IkmResult


@dataclass(frozen=True)
class InstrumentSummary:
    """Groups of one instrument version, best converted IKM first (incomplete last).

    Versions are never ranked together (skm.md §3): each has its own table.
    """

    instrument: str
    weight_rule: WeightRule
    rows: tuple[GroupRow, ...] = field(default=())


def province_names(codes: Iterable[str]) -> dict[str, str]:
    """Province code → name, in one query."""
    wanted = sorted({code for code in codes if code})
    if not wanted:
        return {}
    return dict(
        Region.objects.filter(level=RegionLevel.PROVINCE, code__in=wanted).values_list(
            "code", "name"
        )
    )


def summary(surveys: QuerySet[Survey], *, group: str) -> tuple[InstrumentSummary, ...]:
    """Institution (``group="institution"``) or province figures of the surveys.

    The counters of the surveys in each group and version are added — the pooled
    responses — and the IKM computed once from them under the version's current weight
    rule; IKMs are never averaged. Three or four queries whatever the number of surveys.
    """
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}")
    rows = ResponseCounter.objects.filter(
        survey__in=surveys.order_by().values("pk"), dimension=Dimension.ALL
    ).values_list(
        "survey_id",
        "survey__unit_id",
        "survey__institution_id",
        "survey__institution__name",
        "survey__province_code",
        "survey__instrument",
        "respondents",
        "answers",
    )
    pooled: dict[tuple[str, str], Counters] = {}
    names: dict[str, str] = {}
    members: dict[tuple[str, str], tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    versions: dict[str, SkmInstrument] = {}
    for survey_id, unit_id, institution_id, institution_name, province, code, n, stored in rows:
        if not n:
            continue
        version = versions.get(code) or versions.setdefault(code, instrument(code))
        key = str(institution_id) if group == "institution" else province
        if group == "institution":
            names[key] = institution_name
        counters = as_counters(n, stored, version)
        slot = (code, key)
        pooled[slot] = pooled[slot] + counters if slot in pooled else counters
        members[slot][0].add(survey_id)
        members[slot][1].add(unit_id)
    if group == "province":
        names = province_names(key for _code, key in pooled)
    summaries = []
    for code in _instrument_order({code for code, _key in pooled}):
        version = versions[code]
        rule = WeightRule(setting_for(code).weight_rule)
        group_rows = [
            GroupRow(
                code=key,
                name=names.get(key, key) or str(NOT_STATED),
                surveys=len(members[(code, key)][0]),
                units=len(members[(code, key)][1]),
                respondents=counters.respondents,
                result=compute(counters, version, weight_rule=rule),
            )
            for (slot_code, key), counters in pooled.items()
            if slot_code == code
        ]
        group_rows.sort(key=_rank_key)
        summaries.append(
            InstrumentSummary(instrument=code, weight_rule=rule, rows=tuple(group_rows))
        )
    return tuple(summaries)


def _rank_key(row: GroupRow) -> tuple[int, Decimal, str]:
    main = row.result.result
    return (main is None, -(main.ikm_converted if main else Decimal(0)), row.name)


def _instrument_order(codes: Iterable[str]) -> list[str]:
    """Newest version first (skm-2017 before the historical skm-2004)."""
    return sorted(codes, reverse=True)


# --------------------------------------------------------------------------- open data

LICENCE = "Creative Commons Atribusi 4.0 Internasional (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.id"
ATTRIBUTION = "Sumber: Prima — Kementerian PANRB, Deputi Bidang Pelayanan Publik"


def element_columns() -> list[str]:
    """The element codes of every known version, newest version first (open-data CSV)."""
    codes: list[str] = []
    for version_code in _instrument_order(known_codes()):
        codes += [c for c in instrument(version_code).element_codes if c not in codes]
    return codes


def open_data_records(surveys: QuerySet[Survey]) -> list[dict[str, Any]]:
    """Published results as open data: the frozen §10 document of each survey with the
    unit, institution and province (codes and names) and the publication date.

    Two queries whatever the number of surveys.
    """
    rows = list(
        surveys.filter(state=SurveyState.PUBLISHED)
        .exclude(result__isnull=True)
        .select_related("unit", "institution")
        .order_by("-period_start", "unit_id", "pk")
    )
    provinces = province_names(row.province_code for row in rows)
    records = []
    for survey in rows:
        document = dict(survey.result or {})
        records.append(
            {
                **document,
                "unit": unit_reference(survey.unit_id),
                "unit_name": survey.unit.name,
                "institution": survey.institution_id,
                "institution_name": survey.institution.name,
                "province": survey.province_code,
                "province_name": provinces.get(survey.province_code, ""),
                "survey": survey.pk,
                "period": survey.period_code,
                "published_on": survey.published_on.isoformat() if survey.published_on else None,
                "publication_url": survey.publication_url,
                "public_id": survey.public_id,
            }
        )
    return records


def open_data_table(records: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """The open-data records as a flat table: one row per survey, NRR and answer counts per
    element code (blank for elements the survey's version does not have)."""
    elements = element_columns()
    header = [
        "unit",
        "unit_name",
        "institution",
        "institution_name",
        "province",
        "province_name",
        "survey",
        "instrument",
        "period",
        "status",
        "respondents",
        "ikm",
        "ikm_converted",
        "grade",
        "performance",
        "weight_rule",
        "alternative_weight_rule",
        "alternative_ikm",
        "alternative_ikm_converted",
        "alternative_grade",
        "sample_target",
        "sample_adequate",
        "warnings",
        "published_on",
        *(f"nrr_{code}" for code in elements),
        *(f"answers_{code}" for code in elements),
    ]
    table = []
    for record in records:
        alternative = record.get("alternative") or {}
        adequate = record.get("sample_adequate")
        table.append(
            [
                record["unit"],
                record["unit_name"],
                record["institution"],
                record["institution_name"],
                record["province"],
                record["province_name"],
                record["survey"],
                record["instrument"],
                record["period"],
                record["status"],
                record["respondents"],
                record.get("ikm"),
                record.get("ikm_converted"),
                record.get("grade"),
                record.get("performance"),
                record.get("weight_rule"),
                alternative.get("weight_rule"),
                alternative.get("ikm"),
                alternative.get("ikm_converted"),
                alternative.get("grade"),
                record.get("sample_target"),
                "" if adequate is None else ("true" if adequate else "false"),
                " ".join(record.get("warnings") or ()),
                record.get("published_on"),
                *(record["nrr"].get(code) for code in elements),
                *(record["answers"].get(code) for code in elements),
            ]
        )
    return header, table
