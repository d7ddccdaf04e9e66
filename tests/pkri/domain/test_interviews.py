"""Interview slots, the panel's sheets and the interview/final scores (pkri.md §7.3, §7.4; B4)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.evaluation.enums import EditionState, StageStatus
from prima.evaluation.models import Assignment
from prima.pkri.domain.interviews import close_interviews, open_interviews, schedule_interview
from prima.pkri.enums import FormState
from prima.pkri.models import InterviewSlot
from tests.pkri.decision_factories import (
    edition_at,
    evaluated_form,
    interview_day,
    panelist,
    score_interview,
)

pytestmark = pytest.mark.django_db

# Interview items are 0–100 per panelist, not levels: the instrument's step of 25 binds
# the desk indicators only.
ALL_88 = {
    "substansi_bukti": 90,
    "strategi_keberlanjutan": 85,
    "replikasi_penyebaran": 88,
    "penyampaian": 90,
}  # 36 + 25.5 + 17.6 + 9 = 88.1
LOWER = {
    "substansi_bukti": 88,
    "strategi_keberlanjutan": 87,
    "replikasi_penyebaran": 89,
    "penyampaian": 87,
}  # 35.2 + 26.1 + 17.8 + 8.7 = 87.8


def _shortlisted(edition, institution, desk="77.50"):
    return evaluated_form(edition, desk=desk, institution=institution, state=FormState.SHORTLISTED)


def test_b4_final_score_through_the_database(secretariat, institution_a):
    """Desk 77.50 and an interview mean of 88.00 give the final 81.70 (0.6/0.4)."""
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = _shortlisted(edition, institution_a)
    panel = [panelist(edition) for _ in range(3)]
    schedule_interview(
        form,
        starts_at=interview_day(),
        panelists=panel,
        link="https://rapat.contoh/1",
        actor=secretariat,
    )
    open_interviews(edition, actor=secretariat)
    for n, assignment in enumerate(Assignment.objects.filter(subject=form.subject).order_by("pk")):
        score_interview(assignment, LOWER if n == 0 else ALL_88)  # (87.8 + 2 × 88.1) / 3 = 88

    close_interviews(edition, actor=secretariat)

    form.refresh_from_db()
    assert form.interview_score == Decimal("88.00")
    assert form.final_score == Decimal("81.70")
    assert form.state == FormState.INTERVIEWED
    assert edition.stages.get(code=EditionState.INTERVIEWS).status == StageStatus.CLOSED


def test_a_conflicted_panelist_is_refused_and_nothing_is_scheduled(secretariat, institution_a):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = _shortlisted(edition, institution_a)
    conflicted = panelist(edition, affiliation=institution_a)
    panel = [panelist(edition), panelist(edition), conflicted]

    with pytest.raises(DomainError) as refused:
        schedule_interview(form, starts_at=interview_day(), panelists=panel, actor=secretariat)

    assert "berkonflik" in refused.value.message
    assert not InterviewSlot.objects.filter(form=form).exists()
    assert not Assignment.objects.filter(subject=form.subject).exists()


def test_a_panelist_of_the_same_province_is_refused_for_a_local_government(
    secretariat, institution_a
):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = _shortlisted(edition, institution_a)
    panel = [panelist(edition), panelist(edition), panelist(edition, home_province="13")]

    with pytest.raises(DomainError, match="same_province_local"):
        schedule_interview(form, starts_at=interview_day(), panelists=panel, actor=secretariat)


def test_slot_lasts_20_minutes_with_three_panelists(secretariat, institution_a):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = _shortlisted(edition, institution_a)
    panel = [panelist(edition) for _ in range(3)]

    slot = schedule_interview(
        form,
        starts_at=interview_day(10),
        panelists=panel,
        presenter_name="Rina",
        presenter_position="Kepala Dinas",
        actor=secretariat,
    )

    assert slot.minutes == 20
    stage = edition.stages.get(code=EditionState.INTERVIEWS)
    assert set(
        Assignment.objects.filter(stage=stage, subject=form.subject).values_list(
            "appointment_id", flat=True
        )
    ) == {p.pk for p in panel}


@pytest.mark.parametrize("count", [2, 4])
def test_the_panel_size_comes_from_the_rules(secretariat, institution_a, count):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = _shortlisted(edition, institution_a)

    with pytest.raises(DomainError, match="3 panelis"):
        schedule_interview(
            form,
            starts_at=interview_day(),
            panelists=[panelist(edition) for _ in range(count)],
            actor=secretariat,
        )


def test_a_slot_outside_the_interview_dates_is_refused(secretariat, institution_a):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = _shortlisted(edition, institution_a)

    with pytest.raises(DomainError, match="di luar rentang"):
        schedule_interview(
            form,
            starts_at=interview_day(day=17),
            panelists=[panelist(edition) for _ in range(3)],
            actor=secretariat,
        )


def test_a_panelist_cannot_sit_in_two_overlapping_slots(secretariat, institution_a, institution_b):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    first = _shortlisted(edition, institution_a)
    second = _shortlisted(edition, institution_b)
    shared = panelist(edition)
    schedule_interview(
        first,
        starts_at=interview_day(9),
        panelists=[shared, panelist(edition), panelist(edition)],
        actor=secretariat,
    )

    with pytest.raises(DomainError, match="bertabrakan"):
        schedule_interview(
            second,
            starts_at=interview_day(9, 10),
            panelists=[shared, panelist(edition), panelist(edition)],
            actor=secretariat,
        )
    later = schedule_interview(
        second,
        starts_at=interview_day(9, 20),
        panelists=[shared, panelist(edition), panelist(edition)],
        actor=secretariat,
    )
    assert later.form == second


def test_only_shortlisted_forms_are_scheduled(secretariat, institution_a):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = evaluated_form(
        edition, desk="50.00", institution=institution_a, state=FormState.NOT_SHORTLISTED
    )

    with pytest.raises(DomainError, match="hanya peserta daftar wawancara"):
        schedule_interview(
            form,
            starts_at=interview_day(),
            panelists=[panelist(edition) for _ in range(3)],
            actor=secretariat,
        )


def test_only_the_secretariat_schedules(admin_a, institution_a):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = _shortlisted(edition, institution_a)

    with pytest.raises(PermissionDenied):
        schedule_interview(
            form,
            starts_at=interview_day(),
            panelists=[panelist(edition) for _ in range(3)],
            actor=admin_a,
        )


def test_interviews_open_only_when_everyone_is_scheduled(secretariat, institution_a):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    _shortlisted(edition, institution_a)

    with pytest.raises(DomainError, match="belum dijadwalkan"):
        open_interviews(edition, actor=secretariat)
    assert edition.state == EditionState.SHORTLIST_PUBLISHED


def test_closing_is_refused_while_a_sheet_is_missing(secretariat, institution_a):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = _shortlisted(edition, institution_a)
    schedule_interview(
        form,
        starts_at=interview_day(),
        panelists=[panelist(edition) for _ in range(3)],
        actor=secretariat,
    )
    open_interviews(edition, actor=secretariat)

    with pytest.raises(DomainError):
        close_interviews(edition, actor=secretariat)

    form.refresh_from_db()
    assert form.state == FormState.SHORTLISTED
    assert form.interview_score is None
    assert edition.stages.get(code=EditionState.INTERVIEWS).status == StageStatus.OPEN
