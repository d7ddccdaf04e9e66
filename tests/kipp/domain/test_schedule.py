"""Presentation slots, presenter confirmation and field visits (kipp.md §13; §8 #12)."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest
from django.utils import timezone

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import Role
from prima.evaluation.enums import EditionState
from prima.kipp.domain.schedule import (
    confirm_presenter,
    flagged_for_plenary,
    record_field_visit,
    schedule_presentations,
    slot_minutes,
    slot_starts,
    working_days,
)
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import PresentationSlot, ProposalTransition
from tests.factories import InnovationFactory, person_with_role
from tests.kipp.factories import EditionFactory, ProposalFactory, rules_from_file

pytestmark = pytest.mark.django_db

WIB = timezone.get_default_timezone()
EIGHT, NINE = dt.time(8, 0), dt.time(9, 0)


def next_weekday(weekday: int) -> dt.date:
    """The first such weekday at least a week from today (so never in the past)."""
    day = timezone.localdate() + dt.timedelta(days=7)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def confirmed(edition, unit, title, category="kesehatan"):
    return ProposalFactory(
        edition=edition,
        innovation=InnovationFactory(unit=unit, name=title),
        state=S.CONFIRMED_FINALIST,
        participant_state=S.CONFIRMED_FINALIST,
        category=category,
    )


@pytest.fixture
def edition(db):
    """2021 rules: presentation of 7 + 13 minutes, field verification off."""
    return EditionFactory(rules=rules_from_file("kipp-2021.yaml"), stages=EditionState.FINAL_STAGE)


def schedule(edition, actor, *, first_day, last_day, start=EIGHT, end=NINE):
    return schedule_presentations(
        edition,
        first_day=first_day,
        last_day=last_day,
        day_start=start,
        day_end=end,
        mode="online",
        location="https://rapat.contoh.go.id/kipp",
        actor=actor,
    )


class TestPureParts:
    def test_working_days_skip_weekends_and_holidays(self):
        friday = dt.date(2025, 8, 15)
        days = working_days(friday, dt.date(2025, 8, 19), [dt.date(2025, 8, 18)])
        assert days == [dt.date(2025, 8, 15), dt.date(2025, 8, 19)]

    def test_slots_fit_in_the_day_and_step_around_taken_ones(self):
        day = dt.date(2025, 8, 15)
        taken = [
            (
                dt.datetime.combine(day, dt.time(8, 20), tzinfo=WIB),
                dt.datetime.combine(day, dt.time(8, 30), tzinfo=WIB),
            )
        ]
        starts = list(slot_starts([day], EIGHT, NINE, 20, taken=taken))
        assert [s.time() for s in starts] == [dt.time(8, 0), dt.time(8, 30)]
        starts = list(slot_starts([day], EIGHT, dt.time(9, 10), 20, taken=taken))
        assert [s.time() for s in starts] == [dt.time(8, 0), dt.time(8, 30), dt.time(8, 50)]

    def test_slot_length_is_talk_plus_interview(self, edition):
        assert slot_minutes(edition.rules) == 20
        assert (
            slot_minutes(
                {"presentation": {"enabled": True, "minutes": {"talk": 10, "interview": 15}}}
            )
            == 25
        )


class TestSchedule:
    def test_twenty_minute_slots_on_working_days_without_overlap(
        self, edition, unit_a, unit_b, secretariat
    ):
        friday = next_weekday(4)
        monday = friday + dt.timedelta(days=3)
        finalists = [
            confirmed(edition, unit_a, "Anjungan Dukcapil", "kesehatan"),
            confirmed(edition, unit_b, "Bidan Desa", "kesehatan"),
            confirmed(edition, unit_a, "Cakap Digital", "pendidikan"),
            confirmed(edition, unit_b, "Dapur Gizi", "pendidikan"),
            confirmed(edition, unit_a, "Embung Warga", "pendidikan"),
        ]

        slots = schedule(edition, secretariat, first_day=friday, last_day=monday)

        by_title = {s.proposal.title: timezone.localtime(s.starts_at) for s in slots}
        assert by_title == {
            "Anjungan Dukcapil": dt.datetime.combine(friday, dt.time(8, 0), tzinfo=WIB),
            "Bidan Desa": dt.datetime.combine(friday, dt.time(8, 20), tzinfo=WIB),
            "Cakap Digital": dt.datetime.combine(friday, dt.time(8, 40), tzinfo=WIB),
            "Dapur Gizi": dt.datetime.combine(monday, dt.time(8, 0), tzinfo=WIB),
            "Embung Warga": dt.datetime.combine(monday, dt.time(8, 20), tzinfo=WIB),
        }
        assert {s.minutes for s in slots} == {20}
        ordered = sorted(slots, key=lambda s: s.starts_at)
        for first, second in pairwise(ordered):
            assert first.starts_at + dt.timedelta(minutes=first.minutes) <= second.starts_at
        assert PresentationSlot.objects.count() == len(finalists)

    def test_holidays_of_the_rule_set_are_skipped(self, edition, unit_a, secretariat):
        friday = next_weekday(4)
        monday = friday + dt.timedelta(days=3)
        edition.rules["holidays"] = [monday.isoformat()]
        edition.save()
        for title in ("A", "B", "C", "D"):
            confirmed(edition, unit_a, title)
        slots = schedule(
            edition, secretariat, first_day=friday, last_day=monday + dt.timedelta(days=1)
        )
        days = {timezone.localtime(s.starts_at).date() for s in slots}
        assert days == {friday, monday + dt.timedelta(days=1)}

    def test_too_few_slots_is_refused_with_the_numbers(self, edition, unit_a, secretariat):
        saturday = next_weekday(5)
        for title in ("A", "B", "C", "D"):
            confirmed(edition, unit_a, title)
        with pytest.raises(DomainError, match=r"4 finalis .* 1 hari kerja .* 3 slot"):
            schedule(
                edition, secretariat, first_day=saturday, last_day=saturday + dt.timedelta(days=2)
            )
        assert not PresentationSlot.objects.exists()

    def test_a_second_run_schedules_only_new_finalists_after_the_taken_slots(
        self, edition, unit_a, secretariat
    ):
        monday = next_weekday(0)
        confirmed(edition, unit_a, "Pertama")
        schedule(edition, secretariat, first_day=monday, last_day=monday)
        confirmed(edition, unit_a, "Kedua")
        [slot] = schedule(edition, secretariat, first_day=monday, last_day=monday)
        assert slot.proposal.title == "Kedua"
        assert timezone.localtime(slot.starts_at).time() == dt.time(8, 20)

    def test_refused_when_the_edition_has_no_presentation_and_for_others(
        self, unit_a, secretariat, admin_a
    ):
        monday = next_weekday(0)
        edition_2025 = EditionFactory()
        with pytest.raises(DomainError, match="tidak diaktifkan"):
            schedule(edition_2025, secretariat, first_day=monday, last_day=monday)
        with pytest.raises(PermissionDenied):
            schedule(edition_2025, admin_a, first_day=monday, last_day=monday)


class TestPresenter:
    @pytest.fixture
    def slot(self, edition, unit_a, secretariat):
        confirmed(edition, unit_a, "Anjungan Dukcapil")
        monday = next_weekday(0)
        [slot] = schedule(edition, secretariat, first_day=monday, last_day=monday)
        return slot

    def test_admin_lokal_confirms_the_presenter(self, slot, admin_a):
        confirm_presenter(slot, "Dr. Riza Falepi", "Wali Kota", actor=admin_a)
        slot.refresh_from_db()
        assert (slot.presenter_name, slot.presenter_position) == ("Dr. Riza Falepi", "Wali Kota")
        assert slot.confirmed_at is not None

    def test_others_may_not(self, slot, operator_a, secretariat, institution_b):
        admin_b = person_with_role(Role.INSTITUTION_ADMIN, institution=institution_b)
        for person in (operator_a, secretariat, admin_b):
            with pytest.raises(PermissionDenied):
                confirm_presenter(slot, "Nama", "Jabatan", actor=person)

    def test_not_after_the_slot_started(self, slot, admin_a):
        PresentationSlot.objects.filter(pk=slot.pk).update(
            starts_at=timezone.now() - dt.timedelta(minutes=5)
        )
        with pytest.raises(DomainError, match="sudah dimulai"):
            confirm_presenter(slot, "Nama", "Jabatan", actor=admin_a)

    def test_name_and_position_are_required(self, slot, admin_a):
        with pytest.raises(DomainError) as error:
            confirm_presenter(slot, "Nama", "  ", actor=admin_a)
        assert error.value.field == "position"


class TestFieldVisit:
    @pytest.fixture
    def presented(self, edition, unit_a):
        edition.rules["field_verification"] = {"enabled": True}
        edition.save()
        return ProposalFactory(
            edition=edition,
            innovation=InnovationFactory(unit=unit_a),
            state=S.PRESENTED,
            participant_state=S.PRESENTED,
        )

    def test_a_visit_goes_through_field_verification_and_back(self, presented, secretariat):
        visit = record_field_visit(
            presented,
            visited_on=timezone.localdate(),
            visitors="Tim Sekretariat KIPP",
            findings="Layanan tidak ditemukan berjalan di lokasi.",
            outcome="not_confirmed",
            actor=secretariat,
        )
        presented.refresh_from_db()
        assert presented.state == S.PRESENTED
        assert list(
            ProposalTransition.objects.filter(proposal=presented).values_list(
                "from_state", "to_state"
            )
        ) == [(S.PRESENTED, S.FIELD_VERIFICATION), (S.FIELD_VERIFICATION, S.PRESENTED)]
        assert list(flagged_for_plenary(presented.edition)) == [visit]

    def test_a_confirmed_visit_is_not_flagged_and_cannot_be_recorded_twice(
        self, presented, secretariat
    ):
        kwargs = {
            "visited_on": timezone.localdate(),
            "visitors": "Tim Sekretariat KIPP",
            "findings": "Layanan berjalan sesuai proposal.",
            "outcome": "confirmed",
            "actor": secretariat,
        }
        record_field_visit(presented, **kwargs)
        assert not flagged_for_plenary(presented.edition).exists()
        with pytest.raises(DomainError, match="sudah dicatat"):
            record_field_visit(presented, **kwargs)

    def test_only_when_the_edition_enables_it(self, edition, unit_a, secretariat):
        proposal = ProposalFactory(
            edition=edition, innovation=InnovationFactory(unit=unit_a), state=S.PRESENTED
        )
        with pytest.raises(DomainError, match="tidak diaktifkan"):
            record_field_visit(
                proposal,
                visited_on=timezone.localdate(),
                visitors="Tim",
                findings="Temuan yang cukup panjang.",
                outcome="confirmed",
                actor=secretariat,
            )
