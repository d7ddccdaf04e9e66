"""The exchange demo: Payakumbuh's example is stale and two requests are already sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from prima.core.enums import Role
from prima.innovations.demo.exchange import load
from prima.innovations.models import UpdateRequest
from prima.innovations.queries_exchange import open_update_requests, stale_innovations
from tests.factories import InnovationFactory, ServiceUnitFactory, person_with_role

pytestmark = pytest.mark.django_db


def test_the_demo_requests_are_open_for_the_owners(institution_a, unit_a):
    secretariat = person_with_role(Role.SECRETARIAT, username="sekretariat")
    admin = person_with_role(Role.INSTITUTION_ADMIN, institution=institution_a)
    clinic = InnovationFactory(
        unit=ServiceUnitFactory(institution=institution_a, name="Puskesmas Padang Karambia"),
        name="Klinik Berhenti Merokok",
    )
    others = [InnovationFactory() for _ in range(3)]

    counts = load(plan=None, innovations=[clinic, *others])  # type: ignore[arg-type]

    assert counts == {"jipp_update_requests": 2, "jipp_stale_backdated": 2}
    today = timezone.localdate()
    assert set(stale_innovations(secretariat, today)) == {clinic, others[-1]}
    assert list(open_update_requests(admin)) == [clinic]
    requests = {r.innovation_id: r for r in UpdateRequest.objects.all()}
    assert requests[clinic.pk].recipients == [admin.email]
    ages = sorted((timezone.now() - r.requested_at).days for r in requests.values())
    assert ages == [3, 12]
    assert all(r.requested_by == secretariat for r in requests.values())
    assert requests[clinic.pk].requested_at > clinic.__class__.objects.get(
        pk=clinic.pk
    ).updated_at + dt.timedelta(days=300)
