"""The schedule page's "Ubah" and "Batalkan" buttons and their pages (pkri.md §7.3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.core.models import AuditEntry
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Assignment
from prima.pkri.models import InterviewSlot
from tests.conftest import client_for
from tests.pkri.decision_factories import (
    edition_at,
    interview_day,
    scheduled_slot,
)

pytestmark = pytest.mark.django_db

REASON = "Penyaji sedang bertugas ke luar kota."


@pytest.fixture
def slot(secretariat, institution_b):
    return scheduled_slot(secretariat, institution_b)


def _urls(slot):
    code = slot.form.edition.code
    return (
        reverse("pkri_interview_reschedule", args=[code, slot.pk]),
        reverse("pkri_interview_cancel", args=[code, slot.pk]),
    )


def test_the_schedule_offers_both_buttons_to_the_secretariat(slot, secretariat):
    page = client_for(secretariat).get(
        reverse("pkri_decisions_interviews", args=[slot.form.edition.code])
    )

    for url in _urls(slot):
        assert url in page.content.decode()


def test_the_secretariat_moves_a_slot(slot, secretariat):
    reschedule, _cancel = _urls(slot)
    client = client_for(secretariat)
    form = client.get(reschedule)
    assert form.status_code == 200
    assert 'value="2024-07-12T09:00"' in form.content.decode()

    response = client.post(
        reschedule,
        {"starts_at": "2024-07-15T13:30", "link": "https://rapat.contoh/2", "reason": REASON},
    )

    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.starts_at == interview_day(13, 30, day=15)
    assert slot.link == "https://rapat.contoh/2"
    schedule = client.get(response["Location"]).content.decode()
    assert "Jadwal wawancara diubah" in schedule


def test_a_bad_move_shows_the_reason_and_changes_nothing(slot, secretariat):
    reschedule, _cancel = _urls(slot)

    response = client_for(secretariat).post(
        reschedule, {"starts_at": "2024-07-20T09:00", "reason": REASON}
    )

    assert response.status_code == 422
    assert "di luar rentang" in response.content.decode()
    slot.refresh_from_db()
    assert slot.starts_at == interview_day(9)
    assert not AuditEntry.objects.filter(action="pkri.interview.reschedule").exists()


def test_the_secretariat_cancels_a_slot_with_a_reason(slot, secretariat):
    _reschedule, cancel = _urls(slot)
    client = client_for(secretariat)

    refused = client.post(cancel, {"reason": ""})
    assert refused.status_code == 422
    assert InterviewSlot.objects.filter(pk=slot.pk).exists()

    response = client.post(cancel, {"reason": REASON})
    assert response.status_code == 302
    assert not InterviewSlot.objects.filter(pk=slot.pk).exists()
    assert not Assignment.objects.filter(subject=slot.form.subject).exists()


def test_a_slot_of_another_edition_is_not_found(slot, secretariat):
    other = edition_at(EditionState.SHORTLIST_PUBLISHED)
    url = reverse("pkri_interview_cancel", args=[other.code, slot.pk])

    assert client_for(secretariat).get(url).status_code == 404
