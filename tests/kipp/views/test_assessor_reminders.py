"""Reminders to assessors with unfinished sheets: at most one per day (`prima kipp-remind`)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from prima.core.domain.errors import PermissionDenied
from prima.core.models import AuditEntry
from prima.evaluation.domain.sheets import finalise_sheet, save_sheet
from prima.evaluation.enums import EditionState
from prima.kipp.domain.reminders import ACTION, send_assessor_reminders
from tests.factories import PersonFactory, ServiceUnitFactory
from tests.kipp.factories import EditionFactory
from tests.kipp.views.test_assessor_helpers import E1, NOTE, appoint, assign, stage_of, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(db):
    edition = EditionFactory(code="kipp-uji-ingat", stages=EditionState.DESK_EVALUATION)
    stage = stage_of(edition)
    stage.ends_at = timezone.now() + dt.timedelta(days=10)
    stage.save()
    return edition


@pytest.fixture
def busy(edition):
    """An evaluator with three assignments: one final, one draft, one unscored."""
    person = PersonFactory(email="penilai@kampus.ac.id")
    appointment = appoint(edition, person)
    done, draft, _open = [
        assign(submitted(edition, ServiceUnitFactory()), appointment) for _ in range(3)
    ]
    finalise_sheet(save_sheet(done, E1, note=NOTE, actor=person), actor=person)
    save_sheet(draft, {"signifikansi": 70}, actor=person)
    return appointment


def remind(edition, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return send_assessor_reminders(edition, actor=kwargs.pop("actor", None), **kwargs)


def test_one_mail_with_the_count_and_deadline_then_nothing_more_today(
    edition, busy, django_capture_on_commit_callbacks
):
    first = remind(edition, django_capture_on_commit_callbacks)
    second = remind(edition, django_capture_on_commit_callbacks)

    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["penilai@kampus.ac.id"]
    assert "2 lembar belum final" in message.subject
    deadline = timezone.localtime(stage_of(edition).ends_at).strftime("%d-%m-%Y %H:%M")
    assert "2 dari 3 lembar nilai Anda yang belum final" in message.body
    assert f"Tenggat penilaian: {deadline} WIB" in message.body
    assert f"/kipp/penilai/{edition.code}/tugas/" in message.body
    entry = AuditEntry.objects.get(action=ACTION)
    assert entry.object_id == str(busy.pk)
    assert entry.after["unfinished"] == 2


def test_reminded_again_the_next_day(edition, busy, django_capture_on_commit_callbacks):
    remind(edition, django_capture_on_commit_callbacks)
    AuditEntry.objects.filter(action=ACTION).update(
        created_at=timezone.now() - dt.timedelta(days=1)
    )

    assert remind(edition, django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 2


def test_finished_assessors_and_conflicted_assignments_are_not_counted(
    edition, unit_a, django_capture_on_commit_callbacks
):
    finished = PersonFactory()
    done = assign(submitted(edition, ServiceUnitFactory()), appoint(edition, finished))
    finalise_sheet(save_sheet(done, E1, note=NOTE, actor=finished), actor=finished)
    # Only unfinished work is a proposal of Kota Payakumbuh (province 13): conflicted.
    conflicted = PersonFactory()
    assign(submitted(edition, unit_a), appoint(edition, conflicted, home_province="13"))

    assert remind(edition, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_an_assessor_who_has_not_passed_the_gate_is_told_to_finish_it(
    edition, django_capture_on_commit_callbacks
):
    person = PersonFactory()
    assign(
        submitted(edition, ServiceUnitFactory()),
        appoint(edition, person, code_of_conduct_accepted_at=None),
    )

    assert remind(edition, django_capture_on_commit_callbacks) == 1
    assert "kode etik" in mail.outbox[0].subject
    assert "belum menyetujui kode etik" in mail.outbox[0].body


def test_days_left_waits_for_the_deadline_to_come_near(
    edition, busy, django_capture_on_commit_callbacks
):
    assert remind(edition, django_capture_on_commit_callbacks, days_left=3) == 0
    assert remind(edition, django_capture_on_commit_callbacks, days_left=10) == 1


def test_only_the_secretariat_or_the_system_sends(
    edition, busy, personas, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        send_assessor_reminders(edition, actor=personas["operator_a"])
    assert remind(edition, django_capture_on_commit_callbacks, actor=personas["secretariat"]) == 1
    assert AuditEntry.objects.get(action=ACTION).actor == personas["secretariat"]


def test_no_open_scoring_stage_sends_nothing(busy, django_capture_on_commit_callbacks):
    other = EditionFactory(stages=EditionState.ADMIN_SELECTION)
    assert remind(other, django_capture_on_commit_callbacks) == 0


def test_command_prints_a_summary_and_is_idempotent_per_day(
    edition, busy, django_capture_on_commit_callbacks
):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("kipp_remind", "--edition", edition.code, stdout=out)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("kipp_remind", stdout=out)

    text = out.getvalue()
    assert f"{edition.code} — Penilaian Tim Evaluasi" in text
    assert "1 pengingat terkirim" in text
    assert "0 pengingat terkirim" in text
    assert len(mail.outbox) == 1
