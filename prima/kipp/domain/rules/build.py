"""Plain data → frozen :class:`EditionRules`; :func:`load_rules` parses, validates and builds."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, cast

from prima.evaluation.domain.instruments import InstrumentError, parse
from prima.kipp.domain.rules.constants import CALENDAR_PARALLEL, CALENDAR_SEQUENCE, TIER_AT_YEAR_RE
from prima.kipp.domain.rules.times import to_day, to_moment, window_close, window_open
from prima.kipp.domain.rules.types import (
    AgeException,
    AnnouncementRules,
    AttachmentRules,
    Calendar,
    Category,
    Composition,
    CompositionConstraint,
    DeskEvaluation,
    EditionRules,
    EligibilityRules,
    ExclusionRule,
    Extension,
    FieldVerification,
    Finalists,
    FinalScore,
    GroupRule,
    LoadRule,
    Normalisation,
    ObjectionWindow,
    PanelAssessment,
    PanelReview,
    Presentation,
    PublicBenefitRating,
    ReplicationSources,
    Requirement,
    RulesError,
    Selection,
    Tier,
    VideoRule,
    Window,
)
from prima.kipp.domain.rules.validate import validate_rules


def load_rules(source: str | os.PathLike[str]) -> EditionRules:
    """YAML text or file → :class:`EditionRules`; raises :class:`RulesError` with every problem."""
    try:
        data = parse(source)
    except InstrumentError as error:
        raise RulesError(error.problems) from error
    problems = validate_rules(data)
    if problems:
        raise RulesError(problems)
    return build_rules(data)


def _dec(value: object) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(cast(Any, value))


def _moment(value: object, *, closing: bool) -> datetime:
    moment = to_moment(value, closing=closing)
    assert moment is not None  # validated
    return moment


def _day_of(value: object) -> date:
    day = to_day(value)
    assert day is not None  # validated
    return day


def _build_window(value: object) -> Window:
    if isinstance(value, list):
        return Window(window_open(_day_of(value[0])), window_close(_day_of(value[1])))
    day = _day_of(value)
    return Window(window_open(day), window_close(day))


def _build_calendar(data: Mapping[str, Any]) -> Calendar:
    registration = data["registration"]
    return Calendar(
        registration=Window(
            _moment(registration["open"], closing=False),
            _moment(registration["close"], closing=True),
        ),
        extensions=tuple(
            Extension(
                new_close=_moment(e["new_close"], closing=True),
                letter_no=e["letter_no"],
                date=_day_of(e["date"]),
            )
            for e in data.get("extensions", ())
        ),
        events=MappingProxyType(
            {
                name: _build_window(data[name])
                for name in (*CALENDAR_SEQUENCE, *CALENDAR_PARALLEL)
                if name in data and name != "registration"
            }
        ),
    )


def _build_group(code: str, data: Mapping[str, Any]) -> GroupRule:
    sources = data.get("replication_sources")
    requires = data.get("requires")
    return GroupRule(
        code=code,
        label=data["label"],
        min_age_months=data["min_age_months"],
        age_exceptions=tuple(
            AgeException(e["category"], e["min_age_months"]) for e in data.get("age_exceptions", ())
        ),
        quota_per_institution=data["quota_per_institution"],
        invitation_only=data.get("invitation_only", False),
        exclusions=tuple(data.get("exclusions", ())),
        replication_link=data["replication_link"],
        replication_sources=None
        if sources is None
        else ReplicationSources(
            levels=tuple(sources.get("levels", ())),
            tiers=tuple(sources.get("tiers", ())),
            years=(sources["years"][0], sources["years"][1]) if "years" in sources else None,
        ),
        requires=None
        if requires is None
        else Requirement(requires["held_tier_level"], requires.get("min_months_since_decree", 0)),
    )


def _build_exclusion(name: str, data: Mapping[str, Any]) -> ExclusionRule:
    kind = data["type"]
    tier_years: list[tuple[str, int]] = []
    if kind == "held_tiers":
        for entry in data["tiers"]:
            match = TIER_AT_YEAR_RE.match(entry)
            assert match is not None  # validated
            tier_years.append((match[1], int(match[2])))
    return ExclusionRule(
        name=name,
        type=kind,
        code=data.get("code", name),
        level=data.get("level"),
        tiers=tuple(data["tiers"]) if kind == "tier_count_at_least" else (),
        tier_years=tuple(tier_years),
        count=data.get("count"),
    )


def _rubric(data: Mapping[str, Any]) -> Mapping[str, Decimal]:
    return MappingProxyType({code: _dec(weight) for code, weight in data.items()})


def build_rules(data: Mapping[str, Any]) -> EditionRules:
    """The :class:`EditionRules` of data that :func:`validate_rules` accepted (unchecked here)."""
    edition = data["edition"]
    desk = data["desk_evaluation"]
    selection = desk["selection"]
    normalisation = desk["normalisation"]
    attachments = data["attachments"]
    panel_review = data["panel_review"]
    objection = data["objection_window"]
    assessment = data["panel_assessment"]
    presentation = data["presentation"]
    rating = data["public_benefit_rating"]
    finalists = data["finalists"]
    composition = data.get("composition")
    return EditionRules(
        programme=edition["programme"],
        code=edition["code"],
        year=edition["year"],
        ordinal=edition["ordinal"],
        theme=edition.get("theme"),
        legal_refs=tuple(edition["legal_refs"]),
        calendar=_build_calendar(data["calendar"]),
        eligibility=EligibilityRules(
            age_reference=data["eligibility"]["age_reference"],
            require_sdg=data["eligibility"]["require_sdg"],
            duplicate_title=data["eligibility"]["duplicate_title"],
        ),
        groups=MappingProxyType(
            {code: _build_group(code, spec) for code, spec in data["groups"].items()}
        ),
        exclusion_rules=MappingProxyType(
            {
                name: _build_exclusion(name, spec)
                for name, spec in data.get("exclusion_rules", {}).items()
            }
        ),
        categories=tuple(Category(c["code"], c["label"]) for c in data["categories"]),
        attachments=AttachmentRules(
            file_types=tuple(attachments["file_types"]),
            max_file_mb=_dec(attachments["max_file_mb"]),
            video=VideoRule(
                attachments["video"]["required"], attachments["video"].get("max_minutes")
            ),
            required=MappingProxyType(
                {key: tuple(kinds) for key, kinds in attachments["required"].items()}
            ),
        ),
        extra_forms=tuple(data.get("extra_forms", ())),
        proposal_sections=data["proposal_sections"],
        desk_evaluation=DeskEvaluation(
            score_scale=(_dec(desk["score_scale"][0]), _dec(desk["score_scale"][1])),
            evaluators_per_proposal=desk["evaluators_per_proposal"],
            load=LoadRule(
                min=desk["load"]["min"],
                max=None if desk["load"]["max"] == "auto" else desk["load"]["max"],
            ),
            aggregation=desk["aggregation"],
            disagreement_range=_dec(desk["disagreement_range"]),
            normalisation=Normalisation(
                normalisation["method"],
                normalisation["min_sample"],
                normalisation["use_for_decisions"],
            ),
            selection=Selection(
                mode=selection["mode"],
                passing_grade=_dec(selection["passing_grade"])
                if "passing_grade" in selection
                else None,
                n=MappingProxyType(dict(selection.get("n", {}))),
            ),
            tie_breakers=tuple(desk["tie_breakers"]),
        ),
        conflicts=tuple(data["conflicts"]),
        panel_review=PanelReview(
            enabled=panel_review["enabled"],
            reviewers_per_proposal=panel_review.get("reviewers_per_proposal"),
            pools=panel_review.get("pools"),
        ),
        finalists=Finalists(
            mode=finalists["mode"],
            tiers=(finalists["tier"],) if "tier" in finalists else tuple(finalists["tiers"]),
        ),
        objection_window=ObjectionWindow(
            enabled=objection.get("enabled", True),
            after=objection["after"],
            days=objection["days"],
        ),
        panel_assessment=PanelAssessment(
            enabled=assessment["enabled"],
            kind=assessment.get("kind"),
            reviewers_per_proposal=assessment.get("reviewers_per_proposal"),
            pools=assessment.get("pools"),
            rubric=_rubric(assessment.get("rubric", {})),
        ),
        presentation=Presentation(
            enabled=presentation["enabled"],
            talk_minutes=presentation.get("minutes", {}).get("talk"),
            interview_minutes=presentation.get("minutes", {}).get("interview"),
            rubric=_rubric(presentation.get("rubric", {})),
        ),
        field_verification=FieldVerification(data["field_verification"]["enabled"]),
        public_benefit_rating=PublicBenefitRating(
            enabled=rating["enabled"],
            min_valid_ratings=rating.get("min_valid_ratings"),
            daily_cap=rating.get("daily_cap"),
        ),
        final_score=FinalScore(
            components=MappingProxyType(
                {name: _dec(w) for name, w in data["final_score"]["components"].items()}
            ),
            missing_component=data["final_score"]["missing_component"],
        ),
        tiers=tuple(
            Tier(t["code"], t["level"], tuple(t["groups"]), t["size"], t.get("label"))
            for t in data["tiers"]
        ),
        composition=None
        if composition is None
        else Composition(
            applies_to=tuple(composition["applies_to"]),
            region_3t_list=composition.get("region_3t_list"),
            constraints=tuple(
                CompositionConstraint(
                    stratum=c["stratum"],
                    values=tuple(c["values"])
                    if "values" in c
                    else (c["value"],)
                    if "value" in c
                    else None,
                    min=c.get("min"),
                    max=c.get("max"),
                )
                for c in composition.get("constraints", ())
            ),
        ),
        announcement=AnnouncementRules(data["announcement"]["number_regex"]),
    )
