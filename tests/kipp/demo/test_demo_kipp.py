"""The KIPP demo (issue 3 "Demo"): a closed 2021 edition with published winners, a 2024
edition whose public benefit rating has closed and a 2025 edition in desk evaluation,
loaded by `prima demo` as real, consistent records."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Count, F

from prima.core.demo.loader import DEMO_ACTION, load_demo
from prima.core.demo.plan import build_plan
from prima.core.domain.citizens import normalise_phone
from prima.core.domain.errors import DomainError
from prima.core.models import AuditEntry, Person
from prima.evaluation.domain.instruments import content_hash, load_instrument
from prima.evaluation.domain.results import stage_results
from prima.evaluation.domain.scoring import weighted_total
from prima.evaluation.models import (
    Appointment,
    Assignment,
    AssignmentRun,
    Conflict,
    Edition,
    ScoreSheet,
)
from prima.evaluation.queries import conflict_condition, conflict_reasons
from prima.innovations.models import AwardRecord
from prima.kipp.demo.people import UNIVERSITIES
from prima.kipp.demo.plan import build_kipp_plan
from prima.kipp.domain import extra_forms
from prima.kipp.domain.benefit import (
    BURST_FLOOR,
    BURST_SPAN,
    DEFAULT_MIN_VALID,
    RELEASE_REASON_MIN,
    exclusion_of,
    public_results,
    rateable_proposals,
    rating_value,
    suspect_ratings,
    window_state,
)
from prima.kipp.domain.decisions import final_scores
from prima.kipp.domain.funnel import compute_funnel, rows_for_edition
from prima.kipp.domain.proposals import build_snapshot, snapshot_hash
from prima.kipp.domain.rules import REASON_CODES, auto_max_load, validate_rules
from prima.kipp.domain.wordcount import count_words
from prima.kipp.enums import PARTICIPANT_STATES
from prima.kipp.models import (
    AdminCheck,
    Announcement,
    AwardEvent,
    BenefitRating,
    Decree,
    Proposal,
    ProposalTransition,
)
from prima.kipp.queries import proposals_for_assessor
from tests.demo_fixtures import national_demo

# 600 innovations: two 2021 finalists (one winner), about 400 proposals in desk review.
SIZE = 600
demo_once = national_demo(SIZE)
ROOT = Path(settings.BASE_DIR).parent


@pytest.fixture
def kipp_2021(demo):
    return Edition.objects.select_related("instrument").get(code="kipp-2021")


@pytest.fixture
def kipp_2024(demo):
    return Edition.objects.get(code="kipp-2024")


@pytest.fixture
def kipp_2025(demo):
    return Edition.objects.select_related("instrument").get(code="kipp-2025")


def _instrument(edition):
    return load_instrument(ROOT / "instruments" / edition.instrument.source_name)


# --------------------------------------------------------------------------- 2021


def test_2021_is_closed_and_its_decree_names_exactly_the_2021_tier_history(kipp_2021):
    assert kipp_2021.state == "closed"
    assert set(kipp_2021.stages.values_list("status", flat=True)) <= {"closed", "skipped"}
    assert validate_rules(kipp_2021.rules) == []

    decree = Decree.objects.get(edition=kipp_2021)
    ids = {pk for listed in decree.tier_lists.values() for pk in listed}
    innovation_of = dict(Proposal.objects.filter(pk__in=ids).values_list("pk", "innovation_id"))
    decreed = {
        (innovation_of[pk], tier) for tier, listed in decree.tier_lists.items() for pk in listed
    }
    history = set(AwardRecord.objects.filter(year=2021).values_list("innovation_id", "tier"))
    assert decreed == history and history
    assert set(AwardRecord.objects.filter(year=2021).values_list("decree_ref", flat=True)) == {
        decree.number
    }

    awarded = [p for p in Proposal.objects.filter(edition=kipp_2021) if p.tiers]
    assert len(awarded) == len({innovation for innovation, _ in history})
    for proposal in awarded:
        assert proposal.state == "awarded"
        held = AwardRecord.objects.filter(innovation=proposal.innovation, year=2021)
        assert sorted(proposal.tiers) == sorted(held.values_list("tier", flat=True))
    event = AwardEvent.objects.get(editions=kipp_2021)
    assert event.date == dt.date(2021, 11, 9)


def test_2021_results_were_published_with_their_lists(kipp_2021):
    published = {
        a.kind: a
        for a in Announcement.objects.filter(edition=kipp_2021, published_at__isnull=False)
    }
    assert set(published) == {"launch", "admin_result", "finalists", "winners"}
    assert published["admin_result"].number == "B/88/PP.00.05/2021"
    proposals = Proposal.objects.filter(edition=kipp_2021)
    winners = {row["proposal"] for row in published["winners"].listing}
    assert winners == {p.pk for p in proposals if "top45" in p.tiers}
    finalists = {row["proposal"] for row in published["finalists"].listing}
    assert winners <= finalists == {p.pk for p in proposals if "top99" in p.tiers}
    # Every result is announced: participants see what the secretariat sees.
    assert not proposals.exclude(participant_state=F("state")).exists()


def test_2021_nominees_finalists_and_winners_follow_from_their_scores(kipp_2021):
    proposals = {p.subject_id: p for p in Proposal.objects.filter(edition=kipp_2021)}
    desk = kipp_2021.stages.get(code="desk_evaluation")
    results = stage_results(desk)
    assert results and all(r.official == proposals[r.subject_id].desk_score for r in results)

    ranked = sorted(results, key=lambda r: -(r.official or 0))
    nominated = {
        s for s, p in proposals.items() if p.state in ("not_finalist", "awarded", "decreed")
    }
    assert {r.subject_id for r in ranked[: len(nominated)]} == nominated

    finals = final_scores(kipp_2021)
    finalists = [p for p in proposals.values() if "top99" in p.tiers]
    assert finalists and all(finals[p.subject_id] == p.final_score for p in finalists)
    best = sorted(finalists, key=lambda p: -(p.final_score or 0))
    winners = [p for p in finalists if "top45" in p.tiers]
    assert set(best[: len(winners)]) == set(winners)


# --------------------------------------------------------------------------- 2025


def test_2025_is_in_desk_evaluation_after_a_realistic_admin_check(kipp_2025):
    assert kipp_2025.state == "desk_evaluation"
    stages = dict(kipp_2025.stages.values_list("code", "status"))
    assert stages["desk_evaluation"] == "open"
    assert {stages[c] for c in ("launched", "registration_open", "admin_selection")} == {"closed"}
    assert stages["panel_stage"] == "skipped" and stages["final_stage"] == "pending"
    assert kipp_2025.instrument.code == "kipp-default-v1" and kipp_2025.instrument.used_at
    assert kipp_2025.instrument.content_hash == content_hash(_instrument(kipp_2025))

    funnel = compute_funnel(rows_for_edition(kipp_2025))
    registered, submitted = funnel.step("registered"), funnel.step("submitted")
    passed, failed = funnel.step("admin_passed"), funnel.step("admin_failed")
    assert registered.proposals > submitted.proposals > passed.proposals > failed.proposals > 0
    assert passed.proposals + failed.proposals == submitted.proposals
    assert set(funnel.failed_by_reason) <= set(REASON_CODES)
    assert funnel.pass_rate is not None and Decimal(60) < funnel.pass_rate < Decimal(100)
    assert registered.institutions > passed.institutions > 50
    assert Proposal.objects.filter(edition=kipp_2025, state="desk_review").count() == (
        passed.proposals
    )


def test_each_proposal_in_desk_review_has_three_conflict_free_evaluators(kipp_2025):
    stage = kipp_2025.stages.get(code="desk_evaluation")
    desk = set(
        Proposal.objects.filter(edition=kipp_2025, state="desk_review").values_list(
            "subject_id", flat=True
        )
    )
    per_subject = dict(
        Assignment.objects.filter(stage=stage)
        .values_list("subject_id")
        .annotate(n=Count("id"))
        .values_list("subject_id", "n")
    )
    assert set(per_subject) == desk and set(per_subject.values()) == {3}

    evaluators = Appointment.objects.filter(edition=kipp_2025, role="evaluator")
    maximum = auto_max_load(3, len(desk), evaluators.count())
    loads = Counter(Assignment.objects.filter(stage=stage).values_list("appointment_id", flat=True))
    assert max(loads.values()) <= maximum

    # The demo has conflicts that bite: employment, declarations, the secretariat's entry.
    assert Conflict.objects.filter(appointment__edition=kipp_2025).count() >= 3
    assert evaluators.filter(past_institutions__isnull=False).exists()
    for appointment in evaluators:
        conflicted = Assignment.objects.filter(stage=stage, appointment=appointment).filter(
            conflict_condition(appointment, prefix="subject__")
        )
        assert not conflicted.exists(), appointment
    sample = random.Random(7).sample(
        list(Assignment.objects.filter(stage=stage).select_related("subject", "appointment")), 40
    )
    assert all(conflict_reasons(a.appointment, a.subject) == [] for a in sample)

    run = AssignmentRun.objects.get(stage=stage)
    assert run.status == "optimal" and run.deployed_at is not None
    assert {(s, a) for s, a, _ in run.pairs} == set(
        Assignment.objects.filter(stage=stage).values_list("subject_id", "appointment_id")
    )
    assert run.objective == pytest.approx(sum(value for *_, value in run.pairs))
    assert run.parameters["auto_max_load"] == maximum


def test_final_sheets_carry_the_weighted_total_of_their_scores(kipp_2021, kipp_2025):
    for edition in (kipp_2021, kipp_2025):
        instrument = _instrument(edition)
        sheets = ScoreSheet.objects.filter(stage__edition=edition).select_related(
            "stage", "subject", "instrument"
        )
        checked = 0
        for sheet in sheets.filter(status="final").prefetch_related("versions__scores"):
            (version,) = sheet.versions.all()
            values = {s.criterion: s.value for s in version.scores.all() if s.value is not None}
            if sheet.stage.scoring == "rubric":
                assert instrument.rubric is not None
                weights = instrument.rubric.weights()
            else:
                weights = instrument.weights(sheet.subject.group)
            assert set(values) == set(weights)
            assert all(v == int(v) and 0 <= v <= 100 for v in values.values())
            total = weighted_total(values, weights)
            assert sheet.total == version.total == total
            assert version.instrument_hash == edition.instrument.content_hash
            assert sheet.finalised_at is not None and version.note
            checked += 1
        assert checked
        assert not sheets.filter(status="draft").exclude(total=None).exists()

    stage = kipp_2025.stages.get(code="desk_evaluation")
    statuses = Assignment.objects.filter(stage=stage).values_list("sheet__status", flat=True)
    share = Counter(status or "untouched" for status in statuses)
    reviews = len(statuses)
    assert 0.25 < share["final"] / reviews < 0.55
    assert 0.05 < share["draft"] / reviews < 0.2
    assert share["untouched"] > 0


def test_the_evaluator_login_sees_exactly_its_assigned_proposals(kipp_2025):
    evaluator = Person.objects.get(username="evaluator")
    appointment = Appointment.objects.get(edition=kipp_2025, person=evaluator)
    assert appointment.role == "evaluator" and appointment.is_ready
    assert appointment.university in {u.name for u in UNIVERSITIES}
    assigned = set(
        Assignment.objects.filter(appointment=appointment).values_list(
            "subject__proposal", flat=True
        )
    )
    seen = set(proposals_for_assessor(evaluator, kipp_2025).values_list("pk", flat=True))
    assert seen == assigned and len(seen) >= 3
    # The panelist login is appointed too, but no panel stage is open yet.
    panelist = Person.objects.get(username="panelis")
    assert Appointment.objects.get(edition=kipp_2025, person=panelist).role == "panelist"
    assert not proposals_for_assessor(panelist, kipp_2025).exists()


def test_evaluators_come_from_ten_universities_and_are_ready(kipp_2025):
    evaluators = Appointment.objects.filter(edition=kipp_2025, role="evaluator")
    assert {a.university for a in evaluators} == {u.name for u in UNIVERSITIES}
    assert all(a.is_ready and a.expertise and a.categories for a in evaluators)
    assert all(a.person.memberships.filter(role="evaluator").exists() for a in evaluators)
    assert (
        not evaluators.exclude(person__username="evaluator")
        .filter(person__password__startswith="pbkdf2")
        .exists()
    )


# --------------------------------------------------------------------------- both


def test_submitted_proposals_are_frozen_and_checked(kipp_2021, kipp_2025):
    for edition in (kipp_2021, kipp_2025):
        proposals = Proposal.objects.filter(edition=edition).select_related(
            "edition__instrument", "unit", "institution"
        )
        for proposal in proposals.filter(state__in=PARTICIPANT_STATES):
            assert proposal.snapshot is None and proposal.submitted_at is None
            assert not AdminCheck.objects.filter(proposal=proposal).exists()
        submitted = proposals.exclude(state__in=PARTICIPANT_STATES).order_by("pk")
        for proposal in submitted[:60]:
            assert proposal.snapshot == build_snapshot(proposal)
            assert proposal.snapshot_hash == snapshot_hash(proposal.snapshot)
        for check in AdminCheck.objects.filter(proposal__edition=edition).select_related(
            "proposal"
        ):
            assert check.passed == (check.proposal.state != "admin_failed")
            if check.passed:
                overridden = {item["rule"] for item in check.overrides}
                assert all(r["passed"] or r["rule"] in overridden for r in check.automatic)
            else:
                assert check.reasons and set(check.reasons) <= set(REASON_CODES) and check.note
        assert AdminCheck.objects.filter(proposal__edition=edition).count() == submitted.count()


def test_answers_fit_the_instrument_sections_and_word_limits(kipp_2021, kipp_2025):
    for edition in (kipp_2021, kipp_2025):
        instrument = _instrument(edition)
        for proposal in Proposal.objects.filter(edition=edition):
            limits = {s.code: s.max_words for s in instrument.visible_sections(proposal.group)}
            assert set(proposal.answers) <= set(limits)
            if proposal.state not in PARTICIPANT_STATES:
                assert set(proposal.answers) == set(limits)
            for code, text in proposal.answers.items():
                assert 0 < count_words(text) <= limits[code], (proposal, code)


def test_2025_proposals_answer_the_spbe_form_and_2021_ones_do_not(kipp_2021, kipp_2025):
    spbe = extra_forms.FORMS["spbe"]
    answers = list(
        Proposal.objects.filter(edition=kipp_2025).values_list("extra_answers", flat=True)
    )
    electronic = Counter(a["spbe"]["berbasis_elektronik"] for a in answers)
    assert set(electronic) == {"ya", "tidak"}
    for stored in answers:
        # Valid as saved through the form, and complete (the demo fills it whole).
        assert (
            extra_forms.clean_answers(spbe, stored["spbe"], today=dt.date(2025, 12, 31))
            == (stored["spbe"])
        )
        assert extra_forms.missing_questions(spbe, stored["spbe"]) == []
    assert not Proposal.objects.filter(edition=kipp_2021).exclude(extra_answers={}).exists()
    rows = [
        row
        for check in AdminCheck.objects.filter(proposal__edition=kipp_2025)
        for row in check.automatic
        if row["rule"] == "form_spbe"
    ]
    assert rows and all(row["passed"] for row in rows)


def test_every_proposal_has_a_complete_state_history(kipp_2021, kipp_2024, kipp_2025):
    editions = [kipp_2021, kipp_2024, kipp_2025]
    histories = defaultdict(list)
    for row in (
        ProposalTransition.objects.filter(proposal__edition__in=editions)
        .order_by("proposal_id", "created_at", "id")
        .values_list("proposal_id", "from_state", "to_state", "created_at")
    ):
        histories[row[0]].append(row[1:])
    for proposal in Proposal.objects.filter(edition__in=editions):
        steps = histories[proposal.pk]
        assert steps[0][:2] == ("", "draft")
        assert all(a[1] == b[0] for a, b in itertools.pairwise(steps))
        assert steps[-1][1] == proposal.state and proposal.version == len(steps)
        assert proposal.state_changed_at == steps[-1][2]
        assert proposal.created_at == steps[0][2]


def test_subjects_carry_the_strata_of_their_proposals(kipp_2025):
    codes = {c["code"] for c in kipp_2025.rules["categories"]}
    local = {"province", "regency", "city", "regional_enterprise"}
    for proposal in Proposal.objects.filter(edition=kipp_2025).select_related(
        "subject", "institution__region", "institution__parent__region"
    ):
        subject, institution = proposal.subject, proposal.institution
        assert subject.category == proposal.category in codes
        assert subject.institution_id == institution.pk
        assert subject.institution_kind == institution.kind
        if institution.kind in local:
            assert subject.province == institution.province_code != ""
            owner = institution.parent or institution
            region = institution.region or owner.region
            assert region is not None
            assert subject.region_3t == (region.code in kipp_2025.region_3t_codes)
        else:
            assert subject.province == "" and not subject.region_3t
        assert subject.is_active == (proposal.state == "desk_review")
    assert Proposal.objects.filter(edition=kipp_2025, subject__region_3t=True).exists()


def test_2024_publishes_benefit_results_with_gaps_exclusions_and_a_released_burst(
    kipp_2024, client
):
    """kipp.md §14: the window has closed, so every finalist's valid count and score are
    public; four finalists stay below the minimum; one burst was marked and partly released."""
    secretariat = Person.objects.get(username="sekretariat")
    assert kipp_2024.is_published and window_state(kipp_2024) == "closed"
    finalists = list(rateable_proposals(kipp_2024))
    assert len(finalists) == 45
    rows = public_results(kipp_2024)
    assert len(rows) == 45
    below = [row for row in rows if row.valid < DEFAULT_MIN_VALID]
    assert len(below) == 4 and all(row.score is None for row in below)
    assert all(row.score is not None for row in rows if row.valid >= DEFAULT_MIN_VALID)

    ratings = list(
        BenefitRating.objects.filter(edition=kipp_2024).select_related(
            "citizen", "proposal__institution"
        )
    )
    for rating in ratings:  # what submit_rating would have stored
        assert rating.value == rating_value(rating.benefit, rating.adoption)
        assert rating.exclusion == exclusion_of(
            relationship=rating.relationship,
            affiliated=rating.affiliated,
            email_domain=rating.citizen.verified_email_domain,
            official_domain=rating.proposal.institution.official_email_domain,
        )
    assert {"not_familiar", "affiliated"} <= {rating.exclusion for rating in ratings}
    for phone in {rating.citizen.phone for rating in ratings[:20]}:
        with pytest.raises(DomainError):
            normalise_phone(phone)  # no real subscriber can own a demo number

    suspects = list(suspect_ratings(kipp_2024, actor=secretariat))
    assert {rating.suspicion for rating in suspects} == {"burst"}
    assert len({rating.proposal_id for rating in suspects}) == 1
    times = sorted(rating.rated_at for rating in suspects)
    assert len(times) > BURST_FLOOR and times[-1] - times[0] < BURST_SPAN
    # Rule 4 marked only the burst: no other rating of that finalist came near it.
    others = [r for r in ratings if r.proposal_id == suspects[0].proposal_id and not r.suspicion]
    assert all(not times[0] - BURST_SPAN < r.rated_at <= times[-1] for r in others)
    released = [rating for rating in suspects if rating.released_at is not None]
    assert 0 < len(released) < len(suspects)
    assert all(
        rating.released_by == secretariat and len(rating.release_reason) >= RELEASE_REASON_MIN
        for rating in released
    )

    page = client.get(f"/kipp/publik/{kipp_2024.code}/kebermanfaatan/hasil/")
    assert page.status_code == 200
    assert below[0].proposal.title in page.content.decode()


def test_the_load_is_one_audit_entry_that_counts_the_kipp_records(demo, kipp_2025):
    entry = AuditEntry.objects.get(action=DEMO_ACTION)
    assert entry.after is not None
    assert entry.after["kipp_proposals_2025"] == Proposal.objects.filter(edition=kipp_2025).count()
    assert entry.after["kipp_ratings_2024"] == BenefitRating.objects.count()
    assert entry.after["kipp_desk_review_2025"] == (
        Proposal.objects.filter(edition=kipp_2025, state="desk_review").count()
    )
    assert not AuditEntry.objects.filter(action__startswith="kipp.").exists()
    # The PKRI demo runs PKRI's own (audited) functions; none touches a KIPP record.
    assert not (
        AuditEntry.objects.filter(action__startswith="evaluation.")
        .exclude(object_repr__startswith="pkri-default")
        .exclude(object_repr__startswith="Pemantauan Keberlanjutan dan Replikasi")
        .exists()
    )
    again = load_demo(actor=None, size=SIZE, force=True)
    assert not again.created
    assert Edition.objects.filter(programme="kipp").count() == 3


def test_the_same_seed_gives_the_same_kipp_plan():
    def digest(plan):
        return (
            [(p.edition, p.innovation, p.state, p.answers, p.desk_score) for p in plan.proposals],
            [(a.edition, a.stage, a.innovation, a.username) for a in plan.assignments],
            [(a.username, a.home_province, a.expertise) for a in plan.appointments],
        )

    national = build_plan(size=200)
    first = build_kipp_plan(national)
    assert digest(first) == digest(build_kipp_plan(build_plan(size=200)))
    assert digest(first) != digest(build_kipp_plan(build_plan(size=200, seed=7)))
