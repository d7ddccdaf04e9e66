"""Desk evaluation of PKRI forms (pkri.md §6.3, §7.1; acceptance examples B4, B5)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import InstitutionKind
from prima.core.models import AuditEntry
from prima.evaluation.domain.catalogue import instrument_of, json_ready
from prima.evaluation.domain.instruments import build, content_hash, parse, to_data
from prima.evaluation.enums import EditionState, SheetStatus, StageStatus
from prima.evaluation.models import Consolidation, Instrument, ScoreSheet
from prima.innovations.enums import LinkStatus
from prima.innovations.models import ReplicationLink
from prima.pkri.domain.config import DEFAULT_INSTRUMENT
from prima.pkri.domain.desk import (
    SUBJECT_KIND,
    close_desk_evaluation,
    consolidate_desk_score,
    record_levels,
    start_desk_evaluation,
)
from prima.pkri.enums import FormState, Group
from tests.factories import InnovationFactory, InstitutionFactory, PersonFactory
from tests.kipp.factories import EditionFactory as KippEditionFactory
from tests.kipp.factories import ProposalFactory
from tests.pkri.desk_factories import (
    B4_LEVELS,
    NOTE,
    SUSTAINABILITY,
    appoint,
    assign,
    scope_object,
    submitted_coaching_form,
    submitted_object_form,
)
from tests.pkri.factories import PkriEditionFactory


@pytest.fixture
def edition(db):
    return PkriEditionFactory(stages=EditionState.FORMS_CLOSED)


def _started(edition, secretariat):
    start_desk_evaluation(edition, actor=secretariat)
    edition.refresh_from_db()
    return edition


# --------------------------------------------------------------------------- start


def test_start_turns_every_submitted_form_into_a_subject_in_its_group(
    edition, secretariat, institution_a
):
    form = submitted_object_form(edition, institution_a, name="SADELPOS")
    coaching = submitted_coaching_form(edition, institution_a)
    missing = scope_object(edition, institution_a)
    from prima.pkri.models import SelfAssessment

    unsent = SelfAssessment.objects.create(
        edition=edition,
        locus=missing.locus,
        object=missing,
        kind="sustainability",
        state=FormState.FORM_MISSING,
    )

    report = start_desk_evaluation(edition, actor=secretariat)

    edition.refresh_from_db()
    assert edition.state == EditionState.DESK_EVALUATION
    assert report.forms == 2
    assert report.by_group == {Group.KEBERLANJUTAN: 1, Group.PEMBINAAN: 1}
    form.refresh_from_db()
    coaching.refresh_from_db()
    unsent.refresh_from_db()
    assert form.state == FormState.DESK_REVIEW
    assert unsent.state == FormState.FORM_MISSING and unsent.subject is None
    subject = form.subject
    assert subject.kind == SUBJECT_KIND
    assert subject.group == Group.KEBERLANJUTAN
    assert subject.title == "SADELPOS — Pemerintah Kota Payakumbuh"
    assert subject.institution_id == institution_a.pk
    assert subject.institution_kind == InstitutionKind.CITY
    # Kota Payakumbuh is local: its province drives the same-province conflict rule.
    assert subject.province == "13"
    assert "Lima kecamatan baru" in subject.text
    assert coaching.subject.group == Group.PEMBINAAN
    assert AuditEntry.objects.filter(action="pkri.desk.start").count() == 1


def test_a_central_institution_has_no_province(edition, secretariat):
    ministry = InstitutionFactory(kind=InstitutionKind.MINISTRY, region=None, province_code="")
    form = submitted_object_form(edition, ministry)
    _started(edition, secretariat)
    form.refresh_from_db()
    assert form.subject.province == ""


def test_sustainability_suggestions_are_frozen_on_the_form(edition, secretariat, institution_a):
    form = submitted_object_form(edition, institution_a)
    _started(edition, secretariat)
    form.refresh_from_db()
    assert set(form.suggested_levels) == {"k1", "k2", "k3", "k4", "k5", "k6"}
    # B3: 1.200 (2019) → 2.100 (2023) is +75 % → K3 level 3.
    assert form.suggested_levels["k3"] == 3
    # Running without interruption and coverage expanded → K1 level 4.
    assert form.suggested_levels["k1"] == 4


def test_start_only_from_forms_closed(db, secretariat):
    edition = PkriEditionFactory(stages=EditionState.FORMS_OPEN)
    with pytest.raises(DomainError, match="pengisian formulir ditutup"):
        start_desk_evaluation(edition, actor=secretariat)


def test_only_the_secretariat_starts(edition, evaluator):
    with pytest.raises(PermissionDenied):
        start_desk_evaluation(edition, actor=evaluator)
    edition.refresh_from_db()
    assert edition.state == EditionState.FORMS_CLOSED


# --------------------------------------------------------------------------- derived (B5)


def test_b5_three_running_one_missing_gives_three_quarters_and_p8_level_4(
    edition, secretariat, institution_a
):
    for _ in range(3):
        submitted_object_form(edition, institution_a)
    scope_object(edition, institution_a)  # its form was never sent
    coaching = submitted_coaching_form(edition, institution_a)

    _started(edition, secretariat)

    coaching.refresh_from_db()
    assert coaching.derived["objects_total"] == 4
    assert Decimal(coaching.derived["sustained_share"]) == Decimal("0.75")
    assert Decimal(coaching.derived["institutionalised_share"]) == Decimal("0.75")
    assert coaching.suggested_levels["p8"] == 4


def test_b5_two_running_one_stopped_one_missing_gives_half_and_level_3(
    edition, secretariat, institution_a
):
    submitted_object_form(edition, institution_a)
    submitted_object_form(edition, institution_a)
    stopped = {
        **SUSTAINABILITY,
        "still_running": False,
        "stopped_on": "2022-01-31",
        "stop_reason": "budget",
        "stop_reason_text": "Anggaran dihentikan.",
    }
    submitted_object_form(edition, institution_a, data=stopped)
    scope_object(edition, institution_a)
    coaching = submitted_coaching_form(edition, institution_a)

    _started(edition, secretariat)

    coaching.refresh_from_db()
    assert Decimal(coaching.derived["sustained_share"]) == Decimal("0.5")
    assert coaching.suggested_levels["p8"] == 3


def test_replications_out_count_confirmed_and_verified_apart_from_claimed(
    edition, secretariat, institution_a
):
    source = InnovationFactory(unit__institution=institution_a)
    for status, day in (
        (LinkStatus.CONFIRMED, dt.date(2021, 5, 1)),
        (LinkStatus.VERIFIED, dt.date(2023, 2, 1)),
        (LinkStatus.CLAIMED, dt.date(2022, 7, 1)),
        (LinkStatus.REJECTED, dt.date(2022, 8, 1)),
        # Outside the lookback years 2021–2023: never counted.
        (LinkStatus.CONFIRMED, dt.date(2020, 12, 31)),
    ):
        ReplicationLink.objects.create(
            replica=InnovationFactory(),
            source=source,
            replicated_on=day,
            adaptation="Disesuaikan.",
            status=status,
        )
    coaching = submitted_coaching_form(edition, institution_a)

    _started(edition, secretariat)

    coaching.refresh_from_db()
    assert coaching.derived["replications_out"] == 2
    assert coaching.derived["replications_out_claimed"] == 1


def test_kipp_registrations_are_submitted_proposals_per_year(
    edition, secretariat, institution_a, unit_a
):
    kipp_2022 = KippEditionFactory(code="kipp-2022-uji", year=2022)
    ProposalFactory.create_batch(
        2,
        edition=kipp_2022,
        unit=unit_a,
        institution=institution_a,
        submitted_at=dt.datetime(2022, 3, 1, tzinfo=dt.UTC),
    )
    ProposalFactory(edition=kipp_2022, unit=unit_a, institution=institution_a, submitted_at=None)
    coaching = submitted_coaching_form(edition, institution_a)

    _started(edition, secretariat)

    coaching.refresh_from_db()
    assert coaching.derived["kipp_registrations"] == {"2021": 0, "2022": 2, "2023": 0}


# --------------------------------------------------------------------------- levels


@pytest.fixture
def reviewing(edition, secretariat, institution_b):
    form = submitted_object_form(edition, institution_b)
    _started(edition, secretariat)
    form.refresh_from_db()
    return form


def test_a_level_other_than_the_suggestion_needs_a_comment(reviewing):
    person = PersonFactory()
    assignment = assign(reviewing, appoint(reviewing.edition, person))
    hint = reviewing.suggested_levels["k3"]
    other = 0 if hint else 1

    with pytest.raises(DomainError, match="K3 Tren penerima manfaat") as caught:
        record_levels(assignment, {"k3": other}, {}, actor=person)

    assert caught.value.field == "k3"
    assert not ScoreSheet.objects.filter(assignment=assignment).exists()
    sheet = record_levels(
        assignment, {"k3": other}, {"k3": "Data 2023 belum diverifikasi."}, actor=person
    )
    assert sheet.status == SheetStatus.DRAFT


def test_confirming_the_suggestion_needs_no_comment_and_stores_level_times_25(reviewing):
    person = PersonFactory()
    assignment = assign(reviewing, appoint(reviewing.edition, person))
    sheet = record_levels(assignment, dict(reviewing.suggested_levels), {}, actor=person)
    stored = {s.criterion: s.value for s in sheet.versions.get(number=1).scores.all()}
    assert stored == {code: Decimal(25 * lv) for code, lv in reviewing.suggested_levels.items()}


@pytest.mark.parametrize("bad", [5, -1, "2.5", True])
def test_levels_are_whole_numbers_0_to_4(reviewing, bad):
    person = PersonFactory()
    assignment = assign(reviewing, appoint(reviewing.edition, person))
    with pytest.raises(DomainError, match="K1 Kesinambungan"):
        record_levels(assignment, {"k1": bad}, {"k1": "alasan"}, actor=person)


def test_another_person_may_not_record_levels(reviewing):
    assignment = assign(reviewing, appoint(reviewing.edition, PersonFactory()))
    with pytest.raises(PermissionDenied):
        record_levels(assignment, {"k1": 4}, {}, actor=PersonFactory())


def test_unknown_indicator_is_refused(reviewing):
    person = PersonFactory()
    assignment = assign(reviewing, appoint(reviewing.edition, person))
    with pytest.raises(DomainError, match="p1"):
        record_levels(assignment, {"p1": 2}, {}, actor=person)


def _score(form, person, levels):
    comments = dict.fromkeys(levels, "Dinilai dari bukti.")
    return record_levels(
        assign(form, appoint(form.edition, person)),
        levels,
        comments,
        note=NOTE,
        actor=person,
        finalise=True,
    )


# --------------------------------------------------------------------------- close (B4)


def test_b4_two_evaluators_with_levels_4_3_3_4_2_2_give_77_50(reviewing, secretariat):
    first = _score(reviewing, PersonFactory(), B4_LEVELS)
    second = _score(reviewing, PersonFactory(), B4_LEVELS)
    assert first.total == second.total == Decimal("77.5")

    closed = close_desk_evaluation(reviewing.edition, actor=secretariat)

    reviewing.refresh_from_db()
    assert closed.forms == 1
    assert reviewing.desk_score == Decimal("77.50")
    assert reviewing.state == FormState.DESK_EVALUATED
    # Sustainability has an interview: no final score yet.
    assert reviewing.final_score is None
    stage = reviewing.edition.stages.get(code=EditionState.DESK_EVALUATION)
    assert stage.status == StageStatus.CLOSED


def test_the_desk_score_is_the_mean_of_the_evaluators(reviewing, secretariat):
    _score(reviewing, PersonFactory(), B4_LEVELS)  # 77.50
    _score(reviewing, PersonFactory(), {**B4_LEVELS, "k1": 3})  # 72.50
    close_desk_evaluation(reviewing.edition, actor=secretariat)
    reviewing.refresh_from_db()
    assert reviewing.desk_score == Decimal("75.00")


def test_closing_is_refused_while_a_sheet_is_not_final(reviewing, secretariat):
    _score(reviewing, PersonFactory(), B4_LEVELS)
    person = PersonFactory()
    record_levels(
        assign(reviewing, appoint(reviewing.edition, person)),
        {"k1": reviewing.suggested_levels["k1"]},
        {},
        actor=person,
    )
    assign(reviewing, appoint(reviewing.edition, PersonFactory()))  # not started at all

    with pytest.raises(DomainError, match="2 lembar nilai belum final"):
        close_desk_evaluation(reviewing.edition, actor=secretariat)
    reviewing.refresh_from_db()
    assert reviewing.desk_score is None


def test_coaching_forms_get_the_desk_score_as_final_score(edition, secretariat, institution_a):
    coaching = submitted_coaching_form(edition, institution_a)
    _started(edition, secretariat)
    coaching.refresh_from_db()
    levels = {f"p{n}": 3 for n in range(1, 10)}
    _score(coaching, PersonFactory(), levels)
    _score(coaching, PersonFactory(), levels)

    close_desk_evaluation(edition, actor=secretariat)

    coaching.refresh_from_db()
    assert coaching.desk_score == Decimal("75.00")
    assert coaching.final_score == Decimal("75.00")


def test_after_closing_sheets_cannot_change(reviewing, secretariat):
    person = PersonFactory()
    sheet = _score(reviewing, person, B4_LEVELS)
    close_desk_evaluation(reviewing.edition, actor=secretariat)
    with pytest.raises(DomainError):
        record_levels(sheet, B4_LEVELS, dict.fromkeys(B4_LEVELS, "x"), actor=person)


# --------------------------------------------------------------------------- consolidation

JUSTIFICATION = "Rapat tim: bukti K1 dan K4 dinilai ulang bersama."
LOW_LEVELS = dict.fromkeys(B4_LEVELS, 1)


def _disagreeing(form):
    first = _score(form, PersonFactory(), B4_LEVELS)
    second = _score(form, PersonFactory(), LOW_LEVELS)
    assert first.total - second.total > 15  # the disagreement range of kipp.md §10.2
    return first, second


def test_a_consolidated_score_replaces_the_mean_when_closing(reviewing, secretariat):
    first, second = _disagreeing(reviewing)

    consolidation = consolidate_desk_score(
        reviewing,
        score=Decimal("80.00"),
        justification=JUSTIFICATION,
        attendees=["Ketua Tim", "Penilai 1", "Penilai 2"],
        minutes_ref="NOT/PKRI/07",
        actor=secretariat,
    )
    close_desk_evaluation(reviewing.edition, actor=secretariat)

    reviewing.refresh_from_db()
    assert consolidation.score == Decimal("80.00")
    assert reviewing.desk_score == Decimal("80.00")
    assert reviewing.desk_score != (first.total + second.total) / 2
    entry = AuditEntry.objects.get(action="evaluation.consolidation.record")
    assert entry.reason == JUSTIFICATION
    # One audit entry: the engine's, not a second one from PKRI.
    assert not AuditEntry.objects.filter(action__contains="consolid").exclude(pk=entry.pk).exists()


def test_a_later_consolidation_replaces_the_earlier(reviewing, secretariat):
    _disagreeing(reviewing)
    for score in (Decimal("80.00"), Decimal("66.25")):
        consolidate_desk_score(
            reviewing,
            score=score,
            justification=JUSTIFICATION,
            attendees="Ketua Tim",
            minutes_ref="NOT/PKRI/07",
            actor=secretariat,
        )
    close_desk_evaluation(reviewing.edition, actor=secretariat)
    reviewing.refresh_from_db()
    assert reviewing.desk_score == Decimal("66.25")
    assert Consolidation.objects.count() == 1


def test_only_the_secretariat_consolidates(reviewing, evaluator):
    _disagreeing(reviewing)
    with pytest.raises(PermissionDenied):
        consolidate_desk_score(
            reviewing,
            score=Decimal("80.00"),
            justification=JUSTIFICATION,
            attendees="Ketua Tim",
            minutes_ref="NOT/PKRI/07",
            actor=evaluator,
        )
    assert not Consolidation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"justification": "Terlalu singkat."}, "justification"),
        ({"score": Decimal("100.01")}, "score"),
        ({"score": Decimal("80.125")}, "score"),
        ({"attendees": "  "}, "attendees"),
        ({"minutes_ref": ""}, "minutes_ref"),
    ],
)
def test_an_invalid_consolidation_is_refused_and_nothing_written(
    reviewing, secretariat, changes, field
):
    _disagreeing(reviewing)
    data = {
        "score": Decimal("80.00"),
        "justification": JUSTIFICATION,
        "attendees": "Ketua Tim",
        "minutes_ref": "NOT/PKRI/07",
        **changes,
    }
    with pytest.raises(DomainError) as caught:
        consolidate_desk_score(reviewing, actor=secretariat, **data)
    assert caught.value.field == field
    assert not Consolidation.objects.exists()
    assert not AuditEntry.objects.filter(action="evaluation.consolidation.record").exists()


def test_no_consolidation_after_the_desk_evaluation_is_closed(reviewing, secretariat):
    _disagreeing(reviewing)
    close_desk_evaluation(reviewing.edition, actor=secretariat)
    reviewing.refresh_from_db()
    with pytest.raises(DomainError, match="sedang dinilai"):
        consolidate_desk_score(
            reviewing,
            score=Decimal("80.00"),
            justification=JUSTIFICATION,
            attendees="Ketua Tim",
            minutes_ref="NOT/PKRI/07",
            actor=secretariat,
        )
    assert not Consolidation.objects.exists()


# --------------------------------------------------------------------------- level bands


def _store_instrument(data, *, code):
    """A stored instrument row of plain instrument data under another code."""
    data["code"] = code
    built = build(data)
    return Instrument.objects.create(
        code=built.code,
        version=built.version,
        programme="pkri",
        title=built.title,
        content=json_ready(to_data(built)),
        content_hash=content_hash(built),
    )


def test_suggestions_use_the_level_bands_of_the_editions_instrument(
    edition, secretariat, institution_a
):
    data = parse(DEFAULT_INSTRUMENT)
    data["level_rules"]["bands"]["k2"] = [{"level": 4, "min": 2}]
    edition.instrument = _store_instrument(data, code="pkri-uji-v1")
    edition.save(update_fields=["instrument"])
    form = submitted_object_form(edition, institution_a)  # two improvements since 2019
    _started(edition, secretariat)
    form.refresh_from_db()
    assert form.suggested_levels["k2"] == 4  # the shipped bands give 2


def test_an_instrument_stored_before_level_rules_reads_them_from_its_file(
    edition, secretariat, institution_a
):
    row = edition.instrument
    stored = instrument_of(row)
    old = replace(stored, level_rules=None)  # as rows were stored before the bands moved
    row.content, row.content_hash = json_ready(to_data(old)), content_hash(old)
    row.save(update_fields=["content", "content_hash"])
    form = submitted_object_form(edition, institution_a)
    _started(edition, secretariat)
    form.refresh_from_db()
    assert form.suggested_levels == {"k1": 4, "k2": 2, "k3": 3, "k4": 4, "k5": 4, "k6": 0}


def test_an_instrument_without_usable_level_rules_is_refused_and_nothing_starts(
    edition, secretariat, institution_a
):
    data = parse(DEFAULT_INSTRUMENT)
    del data["level_rules"]["bands"]["p4"]
    edition.instrument = _store_instrument(data, code="pkri-uji-v2")
    edition.save(update_fields=["instrument"])
    form = submitted_object_form(edition, institution_a)
    with pytest.raises(DomainError, match=r"pkri-uji-v2 versi 1 .*level_rules\.bands\.p4: wajib"):
        start_desk_evaluation(edition, actor=secretariat)
    edition.refresh_from_db()
    form.refresh_from_db()
    assert edition.state == EditionState.FORMS_CLOSED
    assert form.state == FormState.SUBMITTED and form.subject is None
    assert not AuditEntry.objects.filter(action="pkri.desk.start").exists()
