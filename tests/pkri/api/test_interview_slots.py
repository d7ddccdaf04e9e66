"""`POST /api/v1/pkri/editions/{code}/interviews/{slot_id}/reschedule|cancel`."""

from __future__ import annotations

import pytest

from prima.core.models import AuditEntry
from prima.evaluation.models import Assignment
from prima.pkri.models import InterviewSlot
from tests.conftest import client_for
from tests.pkri.decision_factories import (
    interview_day,
    scheduled_slot,
)
from tests.pkri.desk_factories import token_headers

pytestmark = pytest.mark.django_db

REASON = "Penyaji sedang bertugas ke luar kota."


@pytest.fixture
def slot(secretariat, institution_b):
    return scheduled_slot(secretariat, institution_b, presenter_name="Rina")


@pytest.fixture
def post(secretariat):
    headers = token_headers(secretariat)

    def call(slot, action, body, slot_id=None):
        return client_for(None).post(
            f"/api/v1/pkri/editions/{slot.form.edition.code}/interviews/"
            f"{slot_id or slot.pk}/{action}",
            data=body,
            content_type="application/json",
            **headers,
        )

    return call


def test_reschedule_answers_the_schedule_row(slot, post):
    response = post(
        slot, "reschedule", {"starts_at": "2024-07-16T08:30:00+07:00", "reason": REASON}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["slot"] == slot.pk
    assert body["starts_at"].startswith("2024-07-16T01:30:00")
    assert body["presenter_name"] == "Rina"  # left out: unchanged
    assert len(body["panelists"]) == 3
    assert AuditEntry.objects.filter(action="pkri.interview.reschedule").count() == 1


def test_a_bad_reschedule_is_422_and_changes_nothing(slot, post):
    response = post(
        slot, "reschedule", {"starts_at": "2024-07-18T08:30:00+07:00", "reason": REASON}
    )

    assert response.status_code == 422
    assert "di luar rentang" in response.json()["detail"]
    slot.refresh_from_db()
    assert slot.starts_at == interview_day(9)


def test_cancel_removes_the_slot_and_its_panel(slot, post):
    response = post(slot, "cancel", {"reason": REASON})

    assert response.status_code == 200
    assert response.json() == {"slot": slot.pk, "form": slot.form_id, "state": "shortlisted"}
    assert not InterviewSlot.objects.filter(pk=slot.pk).exists()
    assert not Assignment.objects.filter(subject=slot.form.subject).exists()
    assert post(slot, "cancel", {"reason": REASON}).status_code == 404


def test_a_short_reason_is_refused(slot, post):
    response = post(slot, "cancel", {"reason": "batal"})

    assert response.status_code == 422
    assert InterviewSlot.objects.filter(pk=slot.pk).exists()


def test_an_unknown_slot_is_404(slot, post):
    assert post(slot, "cancel", {"reason": REASON}, slot_id=999999).status_code == 404
