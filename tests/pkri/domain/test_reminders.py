# ruff: noqa: F811 (fixtures imported from tests.pkri.forms_factories)
"""Reminder e-mails for unsubmitted PKRI forms: once a day per person, audited."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command

from prima.core.domain.errors import PermissionDenied
from prima.core.models import AuditEntry
from prima.pkri.domain import forms as domain
from prima.pkri.domain.reminders import send_form_reminders
from prima.pkri.enums import FormState
from tests.pkri.forms_factories import edition, form_a, form_b  # noqa: F401 (fixtures)


def test_admins_and_operators_of_unsubmitted_forms_are_reminded_once_a_day(
    edition,
    form_a,
    form_b,
    operator_a,
    operator_b,
    admin_a,
    secretariat,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_form_reminders(edition, actor=secretariat)

    assert sent == 3
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([admin_a.email, operator_a.email, operator_b.email])
    assert "1 formulir belum dikirim" in mail.outbox[0].subject
    assert AuditEntry.objects.filter(action="pkri.forms.reminded").count() == 3

    assert send_form_reminders(edition, actor=secretariat) == 0


def test_operators_are_not_reminded_of_forms_with_their_admin(
    edition, form_a, operator_a, admin_a, django_capture_on_commit_callbacks
):
    domain.send_to_institution(form_a, actor=operator_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_form_reminders(edition, actor=None) == 1
    assert mail.outbox[0].to == [admin_a.email]


def test_submitted_forms_are_not_reminded(edition, form_a):
    form_a.state = FormState.SUBMITTED
    form_a.save()
    assert send_form_reminders(edition, actor=None) == 0


def test_only_the_secretariat_sends_reminders(edition, form_a, admin_a):
    with pytest.raises(PermissionDenied):
        send_form_reminders(edition, actor=admin_a)


def test_the_command_reminds_and_reports(edition, form_a, operator_a, admin_a, capsys):
    call_command("pkri_remind", edition.code)
    assert "2 pengingat terkirim" in capsys.readouterr().out
