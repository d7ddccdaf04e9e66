"""Who may move or cancel a PKRI interview slot: the secretariat only (pages and API)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.core.domain.tokens import create_api_token
from prima.core.enums import Role
from prima.evaluation.enums import EditionState
from prima.pkri.domain.interviews import schedule_interview
from prima.pkri.enums import FormState
from prima.pkri.models import InterviewSlot
from tests.conftest import client_for
from tests.factories import person_with_role
from tests.pkri.decision_factories import edition_at, evaluated_form, interview_day, panelist

COVERED_PAGES = {"pkri_interview_reschedule", "pkri_interview_cancel"}
COVERED_OPERATIONS = {
    ("post", "/pkri/editions/{}/interviews/{}/reschedule"),
    ("post", "/pkri/editions/{}/interviews/{}/cancel"),
}
REASON = "Penyaji sedang bertugas ke luar kota."
PAGES = {
    "secretariat": 200,
    "national_viewer": 403,
    "panelist": 403,
    "admin_b": 403,
    "admin_a": 403,
    "operator_a": 403,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 403,
}


@pytest.fixture
def world(personas, secretariat, institution_b):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = evaluated_form(
        edition, desk="80.00", institution=institution_b, state=FormState.SHORTLISTED
    )
    panel = [panelist(edition) for _ in range(3)]
    slot = schedule_interview(form, starts_at=interview_day(9), panelists=panel, actor=secretariat)
    cast = dict(personas)
    cast["national_viewer"] = person_with_role(Role.VIEWER)
    cast["panelist"] = panel[0].person
    # The Admin Lokal of the interviewed locus is told, but may not move the slot.
    cast["admin_b"] = person_with_role(Role.INSTITUTION_ADMIN, institution=institution_b)
    return slot, cast


def _pages(slot):
    code = slot.form.edition.code
    return [
        reverse("pkri_interview_reschedule", args=[code, slot.pk]),
        reverse("pkri_interview_cancel", args=[code, slot.pk]),
    ]


@pytest.mark.parametrize("persona, expected", sorted(PAGES.items()))
def test_the_pages_are_the_secretariats(world, persona, expected):
    slot, cast = world
    client = client_for(cast[persona])
    for url in _pages(slot):
        assert client.get(url).status_code == expected


@pytest.mark.parametrize("persona", sorted(p for p, s in PAGES.items() if s != 200))
def test_posts_by_anyone_else_change_nothing(world, persona):
    slot, cast = world
    client = client_for(cast[persona])
    reschedule, cancel = _pages(slot)
    assert (
        client.post(reschedule, {"starts_at": "2024-07-13T10:00", "reason": REASON}).status_code
        == 403
    )
    assert client.post(cancel, {"reason": REASON}).status_code == 403
    slot.refresh_from_db()
    assert slot.starts_at == interview_day(9)


def _api(slot, person, action, body):
    headers = {}
    if person is not None:
        _, key = create_api_token(actor=person, name=f"uji {action}")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client_for(None).post(
        f"/api/v1/pkri/editions/{slot.form.edition.code}/interviews/{slot.pk}/{action}",
        data=body,
        content_type="application/json",
        **headers,
    )


RESCHEDULE = {"starts_at": "2024-07-13T10:00:00+07:00", "reason": REASON}


@pytest.mark.parametrize("persona, expected", sorted(PAGES.items()))
def test_the_api_operations_are_the_secretariats(world, persona, expected):
    slot, cast = world
    person = cast[persona]
    moved = _api(slot, person, "reschedule", RESCHEDULE)
    assert moved.status_code == (401 if person is None else expected)
    cancelled = _api(slot, person, "cancel", {"reason": REASON})
    assert cancelled.status_code == (401 if person is None else expected)
    assert InterviewSlot.objects.filter(pk=slot.pk).exists() == (expected != 200)
