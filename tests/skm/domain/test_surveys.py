"""The life of a survey (skm.md §4–§6): planning, states, calculation, publication, the
weight-rule setting and the yearly coverage flag."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.enums import Role
from prima.core.models import AuditEntry
from prima.skm.domain.responses import ResponseInput, record_response
from prima.skm.domain.surveys import (
    calculate_survey,
    close_survey,
    create_survey,
    publish_survey,
    recalculate_survey,
    reopen_survey,
    set_weight_rule,
    start_collecting,
    uncovered_units,
    update_survey,
)
from prima.skm.enums import Channel, ResultStatus, SurveyState, WeightRule
from prima.skm.models import FollowUpPlan, InstrumentSetting, Survey
from tests.factories import (
    ServiceFactory,
    ServiceUnitFactory,
    SurveyFactory,
    person_with_role,
)
from tests.skm.spec import EXAMPLE_1, EXAMPLE_2, distribution

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 4, 14)
REASON = "Jawaban kertas dari loket 2 belum dimasukkan."


def inputs(text: str, *, blank: str = "") -> list[ResponseInput]:
    """The respondents of a §13 distribution; ``blank`` names an element nobody answered."""
    per_element = {
        code: [v for v, n in sorted(counts.items(), reverse=True) for _ in range(n)]
        for code, counts in distribution(text).items()
    }
    size = max(len(values) for values in per_element.values())
    return [
        ResponseInput(
            answered_on=DAY,
            answers={
                code: (None if code == blank else values[i] if i < len(values) else None)
                for code, values in per_element.items()
            },
        )
        for i in range(size)
    ]


@pytest.fixture
def unit():
    return ServiceUnitFactory(user_population=1000)


@pytest.fixture
def operator(unit):
    return person_with_role(Role.UNIT_OPERATOR, unit=unit)


@pytest.fixture
def secretariat():
    return person_with_role(Role.SECRETARIAT)


def closed_survey(operator, unit, text=EXAMPLE_1, *, blank="") -> Survey:
    survey = create_survey(actor=operator, unit=unit, period_code="2025-Q2")
    start_collecting(survey, actor=operator)
    for data in inputs(text, blank=blank):
        record_response(survey, data, channel=Channel.PAPER, actor=operator)
    close_survey(survey, actor=operator)
    return survey


# --------------------------------------------------------------------------- planning


def test_a_planned_survey_takes_the_default_population_and_its_target(operator, unit):
    survey = create_survey(actor=operator, unit=unit, period_code="2025-Q2")
    survey.refresh_from_db()
    assert survey.state == SurveyState.PLANNED
    assert survey.instrument == "skm-2017"
    # 1000 users a year ÷ 4 = 250 a quarter → Krejcie–Morgan 152.
    assert (survey.population, survey.sample_target) == (250, 152)
    assert (survey.period_start, survey.period_end) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert survey.institution_id == unit.institution_id
    assert len(survey.public_id) >= 16
    assert AuditEntry.objects.filter(action="skm.survey.created", object_id=str(survey.pk)).exists()


def test_the_default_population_rounds_up_per_period_kind(operator, unit):
    unit.user_population = 1001
    unit.save()
    semester = create_survey(actor=operator, unit=unit, period_code="2025-S1")
    year = create_survey(actor=operator, unit=unit, period_code="2026")
    assert (semester.population, year.population) == (501, 1001)


def test_an_explicit_population_wins_and_an_unknown_one_leaves_no_target(operator, unit):
    survey = create_survey(actor=operator, unit=unit, period_code="2025-Q1", population=650)
    assert (survey.population, survey.sample_target) == (650, 242)
    unknown = ServiceUnitFactory(institution=unit.institution, user_population=None)
    admin = person_with_role(Role.INSTITUTION_ADMIN, institution=unit.institution)
    other = create_survey(actor=admin, unit=unknown, period_code="2025-Q1")
    assert (other.population, other.sample_target) == (None, None)
    with pytest.raises(DomainError) as caught:
        create_survey(actor=admin, unit=unknown, period_code="2025-Q2", population=0)
    assert caught.value.field == "population"


@pytest.mark.parametrize(
    "existing, new",
    [
        ("2025-Q2", "2025-S1"),
        ("2025-Q2", "2025"),
        ("2025-S1", "2025-Q2"),
        ("2025", "2025-Q4"),
        ("2025-Q2", "2025-Q2"),
    ],
)
def test_surveys_of_one_unit_never_overlap(operator, unit, existing, new):
    create_survey(actor=operator, unit=unit, period_code=existing)
    with pytest.raises(DomainError, match="bertumpang tindih") as caught:
        create_survey(actor=operator, unit=unit, period_code=new)
    assert caught.value.field == "period_code"
    assert Survey.objects.filter(unit=unit).count() == 1


def test_adjacent_periods_and_other_units_do_not_clash(operator, unit):
    create_survey(actor=operator, unit=unit, period_code="2025-Q2")
    create_survey(actor=operator, unit=unit, period_code="2025-Q3")
    create_survey(actor=operator, unit=unit, period_code="2025-Q1")
    SurveyFactory(period_code="2025")  # another unit
    assert Survey.objects.filter(unit=unit).count() == 3


def test_historical_and_unknown_instruments_are_refused(operator, unit):
    with pytest.raises(DomainError, match="tidak dipakai lagi") as caught:
        create_survey(actor=operator, unit=unit, period_code="2025-Q2", instrument="skm-2004")
    assert caught.value.field == "instrument"
    with pytest.raises(DomainError) as caught:
        create_survey(actor=operator, unit=unit, period_code="2025-Q2", instrument="skm-1999")
    assert caught.value.field == "instrument"
    with pytest.raises(DomainError) as caught:
        create_survey(actor=operator, unit=unit, period_code="2025-Q5")
    assert not Survey.objects.exists()


def test_services_must_be_the_units_own(operator, unit):
    mine = ServiceFactory(unit=unit, code="KK-BARU")
    foreign = ServiceFactory(code="KTP-EL")
    with pytest.raises(DomainError, match="KTP-EL") as caught:
        create_survey(actor=operator, unit=unit, period_code="2025-Q2", services=[mine, foreign])
    assert caught.value.field == "services"
    survey = create_survey(actor=operator, unit=unit, period_code="2025-Q2", services=[mine])
    assert list(survey.services.values_list("code", flat=True)) == ["KK-BARU"]


def test_only_people_who_run_the_unit_plan_its_surveys(unit):
    outsider = person_with_role(Role.UNIT_OPERATOR, unit=ServiceUnitFactory())
    viewer = person_with_role(Role.VIEWER)
    for person in (outsider, viewer):
        with pytest.raises(PermissionDenied):
            create_survey(actor=person, unit=unit, period_code="2025-Q2")
    admin = person_with_role(Role.INSTITUTION_ADMIN, institution=unit.institution)
    assert create_survey(actor=admin, unit=unit, period_code="2025-Q2").pk


def test_update_uses_optimistic_locking_and_stops_at_calculation(operator, unit):
    service = ServiceFactory(unit=unit)
    survey = create_survey(actor=operator, unit=unit, period_code="2025-Q2")
    read = survey.version
    update_survey(
        survey,
        actor=operator,
        version=read,
        population=300,
        services=[service],
        requires_token=True,
    )
    survey.refresh_from_db()
    assert (survey.population, survey.sample_target, survey.requires_token) == (300, 169, True)
    assert survey.version == read + 1
    with pytest.raises(StaleVersion):
        update_survey(
            survey,
            actor=operator,
            version=read,
            population=400,
            services=[],
            requires_token=False,
        )
    survey.refresh_from_db()
    assert survey.population == 300
    before = AuditEntry.objects.count()
    update_survey(
        survey,
        actor=operator,
        version=survey.version,
        population=300,
        services=[service],
        requires_token=True,
    )
    assert AuditEntry.objects.count() == before  # nothing changed, nothing written


# --------------------------------------------------------------------------- states


def test_the_full_life_of_example_1(operator, unit):
    survey = closed_survey(operator, unit)
    calculate_survey(survey, actor=operator)
    survey.refresh_from_db()
    assert survey.state == SurveyState.CALCULATED
    assert (survey.ikm, survey.ikm_converted, survey.grade) == (
        Decimal("3.3208"),
        Decimal("83.02"),
        "B",
    )
    assert survey.weight_rule == WeightRule.PRINTED
    assert survey.result_status == ResultStatus.CALCULATED
    assert survey.result["respondents"] == 12
    assert survey.result["alternative"]["ikm_converted"] == "83.10"
    assert survey.calculated_at is not None
    publish_survey(
        survey,
        actor=operator,
        published_on=dt.date(2025, 7, 10),
        media=["website", "notice_board", "website"],
        url="https://dukcapil.example.go.id/skm",
    )
    survey.refresh_from_db()
    assert survey.state == SurveyState.PUBLISHED
    assert survey.publication_media == ["notice_board", "website"]
    assert survey.published_on == dt.date(2025, 7, 10)
    actions = list(
        AuditEntry.objects.filter(object_id=str(survey.pk), object_type="skm.survey")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "skm.survey.created",
        "skm.survey.started",
        "skm.survey.closed",
        "skm.survey.calculated",
        "skm.survey.published",
    ]


def test_states_only_move_along_their_arrows(operator, unit):
    survey = create_survey(actor=operator, unit=unit, period_code="2025-Q2")
    with pytest.raises(DomainError, match="Direncanakan"):
        close_survey(survey, actor=operator)
    with pytest.raises(DomainError):
        calculate_survey(survey, actor=operator)
    start_collecting(survey, actor=operator)
    with pytest.raises(DomainError):
        start_collecting(survey, actor=operator)
    close_survey(survey, actor=operator)
    with pytest.raises(DomainError, match="belum memiliki jawaban"):
        calculate_survey(survey, actor=operator)


def test_an_element_nobody_answered_gives_an_incomplete_result(operator, unit):
    survey = closed_survey(operator, unit, blank="U4")
    calculate_survey(survey, actor=operator)
    survey.refresh_from_db()
    assert survey.result_status == ResultStatus.INCOMPLETE
    assert survey.ikm is None and survey.grade == ""
    assert survey.result["answers"]["U4"] == 0
    with pytest.raises(DomainError, match="tidak lengkap"):
        publish_survey(survey, actor=operator, published_on=dt.date(2025, 7, 1), media=["website"])


def test_reopening_needs_a_reason_drops_the_result_and_stops_at_publication(operator, unit):
    survey = closed_survey(operator, unit)
    calculate_survey(survey, actor=operator)
    with pytest.raises(DomainError) as caught:
        reopen_survey(survey, actor=operator, reason="lupa")
    assert caught.value.field == "reason"
    reopen_survey(survey, actor=operator, reason=REASON)
    survey.refresh_from_db()
    assert survey.state == SurveyState.COLLECTING
    assert survey.result is None and survey.ikm is None and survey.weight_rule == ""
    entry = AuditEntry.objects.get(action="skm.survey.reopened")
    assert entry.reason == REASON
    close_survey(survey, actor=operator)
    calculate_survey(survey, actor=operator)
    publish_survey(survey, actor=operator, published_on=dt.date(2025, 7, 1), media=["website"])
    with pytest.raises(DomainError):
        reopen_survey(survey, actor=operator, reason=REASON)


def test_an_adopted_follow_up_plan_keeps_the_result(operator, unit):
    survey = closed_survey(operator, unit)
    calculate_survey(survey, actor=operator)
    FollowUpPlan.objects.create(survey=survey, adopted_on=dt.date(2025, 8, 1))
    with pytest.raises(DomainError, match="tindak lanjut"):
        reopen_survey(survey, actor=operator, reason=REASON)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"media": []}, "media"),
        ({"media": ["billboard"]}, "media"),
        ({"published_on": dt.date(2099, 1, 1)}, "published_on"),
        ({"published_on": dt.date(2025, 3, 31)}, "published_on"),
        ({"url": "bukan alamat"}, "url"),
    ],
)
def test_publication_needs_media_a_sensible_date_and_a_real_url(operator, unit, changes, field):
    survey = closed_survey(operator, unit)
    calculate_survey(survey, actor=operator)
    values = {"published_on": dt.date(2025, 7, 1), "media": ["website"], "url": "", **changes}
    with pytest.raises(DomainError) as caught:
        publish_survey(survey, actor=operator, **values)
    assert caught.value.field == field
    survey.refresh_from_db()
    assert survey.state == SurveyState.CALCULATED


def test_people_outside_the_unit_cannot_move_its_survey(operator, unit):
    survey = create_survey(actor=operator, unit=unit, period_code="2025-Q2")
    outsider = person_with_role(Role.UNIT_OPERATOR, unit=ServiceUnitFactory())
    analyst = person_with_role(Role.ANALYST, institution=unit.institution)
    for person in (outsider, analyst):
        with pytest.raises(PermissionDenied):
            start_collecting(survey, actor=person)
    survey.refresh_from_db()
    assert survey.state == SurveyState.PLANNED


# --------------------------------------------------------------------------- weight rule


def test_a_rule_change_leaves_results_alone_until_an_audited_recalculation(
    operator, unit, secretariat
):
    survey = closed_survey(operator, unit, EXAMPLE_2)
    calculate_survey(survey, actor=operator)
    survey.refresh_from_db()
    assert (survey.ikm_converted, survey.grade) == (Decimal("76.54"), "C")
    set_weight_rule("skm-2017", actor=secretariat, rule="exact", accepts_new_surveys=True)
    assert InstrumentSetting.objects.get(code="skm-2017").weight_rule == "exact"
    survey.refresh_from_db()
    assert (survey.ikm_converted, survey.grade, survey.weight_rule) == (
        Decimal("76.54"),
        "C",
        "printed",
    )
    with pytest.raises(DomainError) as caught:
        recalculate_survey(survey, actor=operator, reason="")
    assert caught.value.field == "reason"
    recalculate_survey(survey, actor=operator, reason="Aturan bobot diubah sekretariat.")
    survey.refresh_from_db()
    assert (survey.ikm_converted, survey.grade, survey.weight_rule) == (
        Decimal("76.62"),
        "B",
        "exact",
    )
    entry = AuditEntry.objects.get(action="skm.survey.recalculated")
    assert entry.before["grade"] == "C" and entry.after["grade"] == "B"
    assert entry.reason == "Aturan bobot diubah sekretariat."
    with pytest.raises(DomainError, match="sudah memakai"):
        recalculate_survey(survey, actor=operator, reason="Sekali lagi untuk memastikan.")


def test_only_the_secretariat_sets_the_weight_rule(operator, secretariat):
    with pytest.raises(PermissionDenied):
        set_weight_rule("skm-2017", actor=operator, rule="exact", accepts_new_surveys=True)
    with pytest.raises(DomainError):
        set_weight_rule("skm-2017", actor=secretariat, rule="median", accepts_new_surveys=True)
    with pytest.raises(DomainError, match="Paling sedikit satu"):
        set_weight_rule("skm-2017", actor=secretariat, rule="printed", accepts_new_surveys=False)
    setting = set_weight_rule(
        "skm-2004", actor=secretariat, rule="exact", accepts_new_surveys=False
    )
    assert setting.weight_rule == "exact"
    assert AuditEntry.objects.filter(action="skm.instrument.updated").count() == 1


# --------------------------------------------------------------------------- coverage


def test_units_without_a_calculated_survey_are_flagged_once_the_year_ended():
    covered = SurveyFactory(period_code="2025-Q2", state=SurveyState.CALCULATED).unit
    published = SurveyFactory(period_code="2025", state=SurveyState.PUBLISHED).unit
    collecting = SurveyFactory(period_code="2025-Q4", state=SurveyState.COLLECTING).unit
    only_2024 = SurveyFactory(period_code="2024", state=SurveyState.PUBLISHED).unit
    nothing = ServiceUnitFactory()
    ServiceUnitFactory(is_active=False)
    today = dt.date(2026, 11, 25)
    flagged = set(uncovered_units(2025, today=today))
    assert flagged == {collecting, only_2024, nothing}
    assert covered not in flagged and published not in flagged
    with pytest.raises(DomainError, match="belum berakhir"):
        uncovered_units(2026, today=today)
