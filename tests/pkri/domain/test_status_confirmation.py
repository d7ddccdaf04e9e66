# ruff: noqa: F811 (fixtures imported from tests.pkri.forms_factories)
"""Submitting a PKRI object form confirms its innovation's status in the registry
(pkri.md §9: the catalogue shows the date of the latest confirmation); the registry
status itself is never changed by the form's answer."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.core.models import AuditEntry
from prima.innovations.enums import InnovationStatus
from prima.innovations.models import Innovation
from prima.pkri.domain import forms as domain
from tests.pkri.domain.test_forms import _complete
from tests.pkri.forms_factories import (  # noqa: F401 (fixtures)
    IN_WINDOW,
    edition,
    form_a,
)

pytestmark = pytest.mark.django_db


def confirmations():
    return AuditEntry.objects.filter(action="innovation.status_confirmed")


def test_a_submitted_running_form_confirms_the_status_on_the_submission_day(
    form_a, operator_a, admin_a
):
    innovation = form_a.object.innovation
    before = Innovation.objects.get(pk=innovation.pk)
    _complete(form_a, operator_a, admin_a)

    domain.submit_form(form_a, actor=admin_a, now=IN_WINDOW)

    after = Innovation.objects.get(pk=innovation.pk)
    assert after.status_confirmed_on == dt.date(2024, 5, 20)
    assert after.status == InnovationStatus.ACTIVE
    assert (after.updated_at, after.version) == (before.updated_at, before.version)
    entry = confirmations().get()
    assert (entry.actor, entry.object_id) == (admin_a, str(innovation.pk))
    assert entry.after["running"] is True
    assert entry.after["source"] == f"pkri_form:{form_a.pk}"


def test_a_form_saying_it_stopped_records_that_but_leaves_the_status(form_a, operator_a, admin_a):
    _complete(form_a, operator_a, admin_a)
    stopped = dict(form_a.data, still_running=False, stopped_on="2023-01-31", stop_reason="budget")
    domain.save_form(form_a, stopped, actor=admin_a, version=form_a.version)

    domain.submit_form(form_a, actor=admin_a, now=IN_WINDOW)

    innovation = Innovation.objects.get(pk=form_a.object.innovation_id)
    assert innovation.status == InnovationStatus.ACTIVE
    assert innovation.status_confirmed_on == dt.date(2024, 5, 20)
    entry = confirmations().get()
    assert entry.after["running"] is False
    assert "tidak diubah otomatis" in entry.reason


def test_a_refused_submission_confirms_nothing(form_a, operator_a, admin_a):
    _complete(form_a, operator_a, admin_a)

    with pytest.raises(domain.FormBlocked):
        domain.submit_form(form_a, actor=admin_a, now=dt.datetime(2024, 6, 12, 0, 0, tzinfo=dt.UTC))

    assert Innovation.objects.get(pk=form_a.object.innovation_id).status_confirmed_on is None
    assert not confirmations().exists()
