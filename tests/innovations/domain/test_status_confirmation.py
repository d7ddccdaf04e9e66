"""The owner confirms an innovation's status (pkri.md §9): the date moves forward, the
status itself never changes, and each confirmation is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.innovations.domain.status_confirmation import confirm_innovation_status
from prima.innovations.enums import InnovationStatus
from prima.innovations.models import Innovation

pytestmark = pytest.mark.django_db


def entries():
    return AuditEntry.objects.filter(action="innovation.status_confirmed").order_by("id")


def test_confirming_sets_the_date_and_keeps_updated_at_and_version(innovation_a, admin_a):
    before = Innovation.objects.get(pk=innovation_a.pk)

    confirm_innovation_status(
        innovation_a, running=True, on=dt.date(2024, 5, 20), actor=admin_a, source="pkri_form:7"
    )

    after = Innovation.objects.get(pk=innovation_a.pk)
    assert after.status_confirmed_on == dt.date(2024, 5, 20)
    assert (after.updated_at, after.version) == (before.updated_at, before.version)
    entry = entries().get()
    assert entry.actor == admin_a
    assert entry.before == {"status_confirmed_on": None}
    assert entry.after == {
        "status_confirmed_on": "2024-05-20",
        "confirmed_on": "2024-05-20",
        "running": True,
        "status": "active",
        "source": "pkri_form:7",
    }
    assert entry.reason == ""


def test_an_answer_that_it_stopped_is_recorded_but_the_status_stays(innovation_a, operator_a):
    confirm_innovation_status(
        innovation_a, running=False, on=dt.date(2024, 5, 20), actor=operator_a, source="manual"
    )

    innovation_a.refresh_from_db()
    assert innovation_a.status == InnovationStatus.ACTIVE
    assert innovation_a.status_confirmed_on == dt.date(2024, 5, 20)
    entry = entries().get()
    assert entry.after["running"] is False
    assert "tidak lagi berjalan" in entry.reason and "tidak diubah otomatis" in entry.reason


def test_an_older_confirmation_never_moves_the_date_back(innovation_a, admin_a):
    confirm_innovation_status(
        innovation_a, running=True, on=dt.date(2024, 6, 1), actor=admin_a, source="a"
    )
    confirm_innovation_status(
        innovation_a, running=True, on=dt.date(2023, 6, 1), actor=admin_a, source="b"
    )

    innovation_a.refresh_from_db()
    assert innovation_a.status_confirmed_on == dt.date(2024, 6, 1)
    assert [e.after["confirmed_on"] for e in entries()] == ["2024-06-01", "2023-06-01"]


@pytest.mark.parametrize(
    "on, message",
    [
        (dt.date(2019, 5, 1), r"sebelum inovasi mulai diterapkan \(02-05-2019\)"),
        (dt.date(2999, 1, 1), "tidak boleh di masa depan"),
    ],
)
def test_impossible_dates_are_refused_and_nothing_changes(innovation_a, admin_a, on, message):
    with pytest.raises(DomainError, match=message) as refusal:
        confirm_innovation_status(innovation_a, running=True, on=on, actor=admin_a, source="x")

    assert refusal.value.field == "on"
    innovation_a.refresh_from_db()
    assert innovation_a.status_confirmed_on is None
    assert not entries().exists()


def test_only_those_who_may_edit_the_innovation_confirm(innovation_a, operator_b, evaluator):
    for outsider in (operator_b, evaluator):
        with pytest.raises(PermissionDenied):
            confirm_innovation_status(
                innovation_a, running=True, on=dt.date(2024, 1, 1), actor=outsider, source="x"
            )
    innovation_a.refresh_from_db()
    assert innovation_a.status_confirmed_on is None
    assert not entries().exists()
