"""Moving and cancelling an interview slot (pkri.md §7.3): the secretariat's, with a
reason, under the scheduling rules, before any panelist scores; audited and e-mailed."""

from __future__ import annotations

import pytest
from django.core import mail

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import Role
from prima.core.models import AuditEntry
from prima.evaluation.domain.sheets import save_sheet
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Assignment
from prima.pkri.domain.interviews import (
    cancel_interview_slot,
    open_interviews,
    reschedule_interview_slot,
    schedule_interview,
    slot_change_refusal,
)
from prima.pkri.enums import FormState
from prima.pkri.models import InterviewSlot
from tests.factories import person_with_role
from tests.pkri.decision_factories import edition_at, evaluated_form, interview_day, panelist

pytestmark = pytest.mark.django_db

REASON = "Penyaji sedang bertugas ke luar kota."


@pytest.fixture
def scheduled(secretariat, institution_a, admin_a):
    """A shortlisted object of Kota Payakumbuh scheduled at 12 Jul 09:00 WIB, with its unit
    operator and a three-member panel."""
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = evaluated_form(
        edition, desk="80.00", institution=institution_a, state=FormState.SHORTLISTED
    )
    operator = person_with_role(Role.UNIT_OPERATOR, unit=form.object.unit)
    panel = [panelist(edition) for _ in range(3)]
    slot = schedule_interview(
        form,
        starts_at=interview_day(9),
        panelists=panel,
        link="https://rapat.contoh/lama",
        actor=secretariat,
    )
    return slot, operator, panel


def _emails(panel):
    return {p.person.email for p in panel}


def test_rescheduling_moves_the_slot_keeps_the_panel_and_tells_everyone(
    scheduled, secretariat, admin_a, django_capture_on_commit_callbacks
):
    slot, operator, panel = scheduled

    with django_capture_on_commit_callbacks(execute=True):
        moved = reschedule_interview_slot(
            slot,
            starts_at=interview_day(14, day=13),
            link="https://rapat.contoh/baru",
            reason=REASON,
            actor=secretariat,
        )

    slot.refresh_from_db()
    assert slot.starts_at == interview_day(14, day=13) == moved.starts_at
    assert slot.link == "https://rapat.contoh/baru"
    assert Assignment.objects.filter(subject=slot.form.subject).count() == 3
    entry = AuditEntry.objects.get(action="pkri.interview.reschedule")
    assert entry.reason == REASON
    assert entry.object_id == str(slot.pk)
    participants, panelists = mail.outbox[-2:]
    assert set(participants.to) == {admin_a.email, operator.email}
    assert set(panelists.to) == _emails(panel)
    for message in (participants, panelists):
        assert "diubah" in message.subject
        assert "12-07-2024 09:00 WIB" in message.body
        assert "13-07-2024 14:00 WIB" in message.body
        assert REASON in message.body
        assert "https://rapat.contoh/baru" in message.body


def test_a_move_within_its_own_time_is_no_clash(scheduled, secretariat):
    slot, _operator, _panel = scheduled

    reschedule_interview_slot(
        slot, starts_at=interview_day(9, 10), reason=REASON, actor=secretariat
    )

    slot.refresh_from_db()
    assert slot.starts_at == interview_day(9, 10)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"starts_at": interview_day(9, day=17)}, "di luar rentang"),
        ({"reason": ""}, "Alasan wajib diisi"),
        ({"reason": "pendek"}, "minimal 10 karakter"),
        ({"starts_at": interview_day(9)}, "Tidak ada yang berubah"),
        ({"link": "x" * 301}, "paling panjang 300"),
    ],
)
def test_bad_moves_are_refused_and_nothing_changes(scheduled, secretariat, changes, message):
    slot, _operator, _panel = scheduled
    arguments = {"starts_at": interview_day(11), "reason": REASON, **changes}

    with pytest.raises(DomainError, match=message):
        reschedule_interview_slot(slot, actor=secretariat, **arguments)

    slot.refresh_from_db()
    assert slot.starts_at == interview_day(9)
    assert not AuditEntry.objects.filter(action="pkri.interview.reschedule").exists()


def test_a_move_onto_a_panelists_other_slot_is_refused(scheduled, secretariat, institution_b):
    slot, _operator, panel = scheduled
    other = evaluated_form(
        slot.form.edition, desk="75.00", institution=institution_b, state=FormState.SHORTLISTED
    )
    schedule_interview(
        other,
        starts_at=interview_day(11),
        panelists=[panel[0], panelist(slot.form.edition), panelist(slot.form.edition)],
        actor=secretariat,
    )

    with pytest.raises(DomainError, match="bertabrakan"):
        reschedule_interview_slot(
            slot, starts_at=interview_day(11, 10), reason=REASON, actor=secretariat
        )

    slot.refresh_from_db()
    assert slot.starts_at == interview_day(9)


def test_only_the_secretariat_moves_or_cancels(scheduled, admin_a):
    slot, operator, panel = scheduled
    for person in (admin_a, operator, panel[0].person):
        with pytest.raises(PermissionDenied):
            reschedule_interview_slot(
                slot, starts_at=interview_day(11), reason=REASON, actor=person
            )
        with pytest.raises(PermissionDenied):
            cancel_interview_slot(slot, reason=REASON, actor=person)
    assert InterviewSlot.objects.filter(pk=slot.pk).exists()


def test_cancelling_frees_the_form_and_the_panel_and_tells_everyone(
    scheduled, secretariat, admin_a, django_capture_on_commit_callbacks
):
    slot, operator, panel = scheduled
    form = slot.form

    with django_capture_on_commit_callbacks(execute=True):
        cancel_interview_slot(slot, reason=REASON, actor=secretariat)

    assert not InterviewSlot.objects.filter(pk=slot.pk).exists()
    assert not Assignment.objects.filter(subject=form.subject).exists()
    form.refresh_from_db()
    assert form.state == FormState.SHORTLISTED
    entry = AuditEntry.objects.get(action="pkri.interview.cancel")
    assert entry.reason == REASON
    assert entry.before["panelists"] == [p.pk for p in panel]
    participants, panelists = mail.outbox[-2:]
    assert set(participants.to) == {admin_a.email, operator.email}
    assert set(panelists.to) == _emails(panel)
    assert "dibatalkan" in participants.subject
    assert "12-07-2024 09:00 WIB" in panelists.body
    # The interviews cannot open while the form is unscheduled; it may be scheduled again.
    with pytest.raises(DomainError, match="belum dijadwalkan"):
        open_interviews(form.edition, actor=secretariat)
    again = schedule_interview(
        form, starts_at=interview_day(10), panelists=panel, actor=secretariat
    )
    assert again.form == form


def test_cancelling_needs_a_reason(scheduled, secretariat):
    slot, _operator, _panel = scheduled

    with pytest.raises(DomainError, match="Alasan wajib diisi"):
        cancel_interview_slot(slot, reason="  ", actor=secretariat)

    assert InterviewSlot.objects.filter(pk=slot.pk).exists()
    assert Assignment.objects.filter(subject=slot.form.subject).count() == 3


def test_once_a_panelist_has_started_a_sheet_the_slot_is_fixed(scheduled, secretariat):
    slot, _operator, panel = scheduled
    edition = slot.form.edition
    open_interviews(edition, actor=secretariat)
    edition.refresh_from_db()
    slot.form.edition = edition
    assignment = Assignment.objects.get(subject=slot.form.subject, appointment=panel[0])
    save_sheet(assignment, {"substansi_bukti": 80}, actor=panel[0].person)

    assert "sudah mulai mengisi" in slot_change_refusal(slot)
    with pytest.raises(DomainError, match="sudah mulai mengisi"):
        reschedule_interview_slot(
            slot, starts_at=interview_day(11), reason=REASON, actor=secretariat
        )
    with pytest.raises(DomainError, match="sudah mulai mengisi"):
        cancel_interview_slot(slot, reason=REASON, actor=secretariat)

    slot.refresh_from_db()
    assert slot.starts_at == interview_day(9)


def test_after_the_interviews_nothing_moves(scheduled, secretariat):
    slot, _operator, _panel = scheduled
    edition = slot.form.edition
    edition.state = EditionState.PLENARY
    edition.save(update_fields=["state"])
    slot.form.edition = edition

    assert slot_change_refusal(slot)
    with pytest.raises(DomainError, match="hanya dapat dilakukan pada tahap"):
        reschedule_interview_slot(
            slot, starts_at=interview_day(11), reason=REASON, actor=secretariat
        )
    with pytest.raises(DomainError, match="hanya dapat dilakukan pada tahap"):
        cancel_interview_slot(slot, reason=REASON, actor=secretariat)
