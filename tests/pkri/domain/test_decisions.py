"""Shortlist, results, decree and hand-over of a PKRI edition (pkri.md §7.2–§7.5),
and the whole path from the desk scores to the awarded edition."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from prima.awards.domain.proposals import decide_awards, remove_award
from prima.awards.enums import AwardStatus
from prima.awards.models import Award, AwardCategory
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import InstitutionKind
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Assignment
from prima.pkri.domain.decisions import (
    mark_awarded,
    publish_results,
    publish_shortlist,
    record_decree,
)
from prima.pkri.domain.interviews import close_interviews, open_interviews, schedule_interview
from prima.pkri.domain.rankings import compute_rankings
from prima.pkri.enums import AnnouncementKind, FormState, Group
from tests.factories import InstitutionFactory
from tests.pkri.decision_factories import (
    categories,
    edition_at,
    evaluated_coaching,
    evaluated_form,
    interview_day,
    panelist,
    score_interview,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 7, 8)
SMALL = {"groups.keberlanjutan.shortlist.size": 2}


def test_shortlist_keeps_the_ties_at_the_cut_off_and_skips_stopped_and_low_scores(secretariat):
    edition = edition_at(EditionState.DESK_EVALUATION, **SMALL)
    top = evaluated_form(edition, desk="90.00")
    tied = [evaluated_form(edition, desk="80.00"), evaluated_form(edition, desk="80.00")]
    below = evaluated_form(edition, desk="70.00")
    stopped = evaluated_form(edition, desk="95.00", running=False)
    low = evaluated_form(edition, desk="59.99")
    coaching = evaluated_coaching(edition, InstitutionFactory(), desk="85.00")

    announcement = publish_shortlist(
        edition, number="B/300/PP.00.05/2024", date=DAY, actor=secretariat
    )

    for form in (top, *tied, below, stopped, low, coaching):
        form.refresh_from_db()
    assert [f.state for f in (top, *tied)] == [FormState.SHORTLISTED] * 3
    assert [f.state for f in (below, stopped, low)] == [FormState.NOT_SHORTLISTED] * 3
    assert [f.tie_at_cutoff for f in (top, *tied, below)] == [False, True, True, False]
    assert coaching.state == FormState.DESK_EVALUATED
    assert not below.subject.is_active
    assert top.subject.is_active
    assert announcement.kind == AnnouncementKind.SHORTLIST
    group = announcement.listing["groups"][Group.KEBERLANJUTAN]
    assert group["selected"] == [top.pk, *sorted(f.pk for f in tied)]
    assert sorted(group["tie_at_cutoff"]) == sorted(f.pk for f in tied)
    assert group["candidates"] == 6
    edition.refresh_from_db()
    assert edition.state == EditionState.SHORTLIST_PUBLISHED


def test_shortlist_waits_for_the_desk_evaluation(secretariat):
    edition = edition_at(EditionState.DESK_EVALUATION)
    evaluated_form(edition, desk="90.00", state=FormState.DESK_REVIEW)

    with pytest.raises(DomainError, match="Penilaian dokumen belum selesai"):
        publish_shortlist(edition, number="B/1/2024", date=DAY, actor=secretariat)
    edition.refresh_from_db()
    assert edition.state == EditionState.DESK_EVALUATION


def test_shortlist_is_published_once(secretariat):
    edition = edition_at(EditionState.DESK_EVALUATION)
    publish_shortlist(edition, number="B/1/2024", date=DAY, actor=secretariat)

    with pytest.raises(DomainError, match="sudah diterbitkan"):
        publish_shortlist(edition, number="B/2/2024", date=DAY, actor=secretariat)


def test_only_the_secretariat_publishes_the_shortlist(admin_a):
    edition = edition_at(EditionState.DESK_EVALUATION)
    with pytest.raises(PermissionDenied):
        publish_shortlist(edition, number="B/1/2024", date=DAY, actor=admin_a)


@pytest.fixture
def plenary(secretariat, institution_a, institution_b):
    """An edition in plenary with a ranked coaching locus and two interviewed objects."""
    edition = edition_at(EditionState.PLENARY)
    categories(edition, secretariat)
    coaching = evaluated_coaching(edition, institution_a, desk="85.00", levels={"p8": 4})
    first = evaluated_form(
        edition, desk="80.00", institution=institution_a, state=FormState.INTERVIEWED
    )
    second = evaluated_form(
        edition, desk="75.00", institution=institution_b, state=FormState.INTERVIEWED
    )
    for form, final in ((first, "84.00"), (second, "79.00")):
        form.final_score = Decimal(final)
        form.save(update_fields=["final_score"])
    compute_rankings(edition, actor=secretariat)
    return edition, coaching, first, second


def test_results_wait_until_every_proposal_is_decided(secretariat, plenary):
    edition, *_ = plenary
    with pytest.raises(DomainError, match="masih berupa usulan"):
        publish_results(edition, number="B/400/2024", date=DAY, actor=secretariat)
    edition.refresh_from_db()
    assert not edition.is_published


def test_results_mark_forms_from_the_decided_awards(secretariat, plenary):
    edition, coaching, first, second = plenary
    category = AwardCategory.objects.get(edition=edition, code=Group.KEBERLANJUTAN)
    removed = Award.objects.get(category=category, innovation=second.object.innovation)
    remove_award(
        removed, reason="Pleno: inovasi tidak lagi berjalan sejak 2024.", actor=secretariat
    )
    for row in AwardCategory.objects.filter(edition=edition, awards__status="proposed").distinct():
        decide_awards(row, actor=secretariat)

    announcement = publish_results(edition, number="B/400/2024", date=DAY, actor=secretariat)

    for form in (coaching, first, second):
        form.refresh_from_db()
    assert coaching.state == FormState.AWARDED
    assert first.state == FormState.AWARDED
    assert second.state == FormState.NOT_AWARDED
    edition.refresh_from_db()
    assert edition.is_published
    assert edition.state == EditionState.RESULTS
    assert announcement.kind == AnnouncementKind.RESULTS
    assert announcement.listing["total"] == 2


def test_decree_then_hand_over(secretariat, plenary):
    edition, *_ = plenary
    for row in AwardCategory.objects.filter(edition=edition, awards__status="proposed").distinct():
        decide_awards(row, actor=secretariat)
    publish_results(edition, number="B/400/2024", date=DAY, actor=secretariat)

    record_decree(edition, number="KEP/12/2024", date=dt.date(2024, 9, 30), actor=secretariat)
    assert set(Award.objects.filter(edition=edition).values_list("decree_number", flat=True)) == {
        "KEP/12/2024"
    }
    with pytest.raises(DomainError, match="baru berlangsung"):
        mark_awarded(edition, actor=secretariat, today=dt.date(2024, 10, 7))
    mark_awarded(edition, actor=secretariat, today=dt.date(2024, 10, 8))

    edition.refresh_from_db()
    assert edition.state == EditionState.AWARDED


def test_the_whole_path_from_desk_scores_to_the_awarded_edition(secretariat):
    """Shortlist → slots → panel sheets → interview and final scores → ranking →
    decided awards → results → decree → awarded, through the domain functions."""
    edition = edition_at(EditionState.DESK_EVALUATION, **SMALL)
    categories(edition, secretariat)
    city = InstitutionFactory(kind=InstitutionKind.CITY, short_name="Kota Payakumbuh")
    coaching = evaluated_coaching(edition, city, desk="85.00", levels={"p8": 4})
    forms = [evaluated_form(edition, desk=desk) for desk in ("77.50", "70.00", "65.00")]
    publish_shortlist(edition, number="B/300/2024", date=DAY, actor=secretariat)
    panel = [panelist(edition) for _ in range(3)]
    for hour, form in zip((9, 10), forms[:2], strict=True):
        schedule_interview(form, starts_at=interview_day(hour), panelists=panel, actor=secretariat)
    open_interviews(edition, actor=secretariat)
    for assignment in Assignment.objects.filter(subject__pkri_form__in=forms[:2]):
        score_interview(
            assignment,
            {
                "substansi_bukti": 100,
                "strategi_keberlanjutan": 75,
                "replikasi_penyebaran": 75,
                "penyampaian": 100,
            },
        )  # 40 + 22.5 + 15 + 10 = 87.5

    close_interviews(edition, actor=secretariat)
    compute_rankings(edition, actor=secretariat)
    for category in AwardCategory.objects.filter(
        edition=edition, awards__status="proposed"
    ).distinct():
        decide_awards(category, actor=secretariat)
    publish_results(edition, number="B/400/2024", date=DAY, actor=secretariat)
    record_decree(edition, number="KEP/12/2024", date=dt.date(2024, 9, 30), actor=secretariat)
    mark_awarded(edition, actor=secretariat, today=dt.date(2024, 10, 8))

    for form in (coaching, *forms):
        form.refresh_from_db()
    assert forms[0].interview_score == Decimal("87.50")
    assert forms[0].final_score == Decimal("81.50")  # 0.6·77.50 + 0.4·87.50
    assert [f.rank for f in forms] == [1, 2, None]
    assert [f.state for f in forms] == [
        FormState.AWARDED,
        FormState.AWARDED,
        FormState.NOT_SHORTLISTED,
    ]
    assert coaching.state == FormState.AWARDED
    assert edition.state == EditionState.AWARDED
    assert Award.objects.filter(edition=edition, status=AwardStatus.DECIDED).count() == 3


@pytest.mark.parametrize(
    "snapshot, running",
    [
        ({"data": {"still_running": True}}, True),
        ({"data": {"still_running": False}}, False),
        ({"data": {}}, False),
        (None, False),
    ],
)
def test_running_is_read_from_the_frozen_snapshot(snapshot, running):
    from prima.pkri.domain.decisions import is_running
    from prima.pkri.models import SelfAssessment

    assert is_running(SelfAssessment(snapshot=snapshot, data={"still_running": True})) is running
