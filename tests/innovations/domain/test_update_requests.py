"""The secretariat's "please update" requests: who hears of them, once a week at most."""

from __future__ import annotations

import pytest
from django.core import mail

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import Role
from prima.core.models import AuditEntry, Membership
from prima.innovations.domain.update_requests import request_profile_updates
from prima.innovations.models import UpdateRequest
from tests.factories import InnovationFactory, person_with_role
from tests.innovations.exchange_helpers import asked

pytestmark = pytest.mark.django_db


@pytest.fixture
def owners(admin_a, operator_a, operator_b):
    return {"admin_a": admin_a, "operator_a": operator_a, "operator_b": operator_b}


def send(innovations, actor, message="Mohon perbarui data JIPPNas.", capture=None):
    if capture is None:
        return request_profile_updates(innovations, message=message, actor=actor)
    with capture(execute=True):
        return request_profile_updates(innovations, message=message, actor=actor)


def test_one_email_per_recipient_listing_their_innovations(
    secretariat, owners, innovation_a, innovation_b, unit_a, django_capture_on_commit_callbacks
):
    sipaduko = InnovationFactory(unit=unit_a, name="Sipaduko")
    result = send(
        [innovation_a, sipaduko, innovation_b],
        secretariat,
        capture=django_capture_on_commit_callbacks,
    )

    assert len(result.requests) == 3 and result.emails == 3
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == [
        "admin_a@contoh.go.id",
        "operator_a@contoh.go.id",
        "operator_b@contoh.go.id",
    ]
    payakumbuh = by_address["operator_a@contoh.go.id"]
    assert payakumbuh.subject == "[Prima] Mohon perbarui data 2 inovasi di Prima"
    assert "SITARANG" in payakumbuh.body and "Sipaduko" in payakumbuh.body
    assert "Klampid New Generation" not in payakumbuh.body
    assert "Mohon perbarui data JIPPNas." in payakumbuh.body
    assert f"/inovasi/{innovation_a.pk}/ubah/" in payakumbuh.body
    assert "/inovasi/jipp/permintaan/" in payakumbuh.body
    surabaya = by_address["operator_b@contoh.go.id"]
    assert "Klampid New Generation" in surabaya.body and "SITARANG" not in surabaya.body
    # The request remembers where it went.
    request = UpdateRequest.objects.get(innovation=innovation_a)
    assert request.recipients == ["admin_a@contoh.go.id", "operator_a@contoh.go.id"]
    assert request.requested_by == secretariat
    assert request.message == "Mohon perbarui data JIPPNas."


def test_the_mail_leaves_only_after_commit(secretariat, owners, innovation_a):
    send([innovation_a], secretariat)  # the test transaction never commits
    assert mail.outbox == []
    assert UpdateRequest.objects.count() == 1


def test_people_without_an_email_or_an_active_role_are_skipped(
    secretariat, innovation_a, unit_a, institution_a, django_capture_on_commit_callbacks
):
    person_with_role(Role.UNIT_OPERATOR, unit=unit_a, username="tanpa_surel", email="")
    former = person_with_role(Role.INSTITUTION_ADMIN, institution=institution_a, username="lama")
    Membership.objects.filter(person=former).update(is_active=False)

    result = send([innovation_a], secretariat, capture=django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert result.emails == 0
    assert result.without_recipients == [innovation_a]
    # Still recorded: the owners see it when they sign in.
    assert UpdateRequest.objects.get(innovation=innovation_a).recipients == []


def test_at_most_one_request_per_innovation_per_7_days(
    secretariat, owners, innovation_a, innovation_b, django_capture_on_commit_callbacks
):
    earlier = asked(innovation_a, secretariat, days_ago=6.9)
    asked(innovation_b, secretariat, days_ago=7.1)

    result = send(
        [innovation_a, innovation_b], secretariat, capture=django_capture_on_commit_callbacks
    )

    assert [(i, when) for i, when in result.skipped] == [(innovation_a, earlier.requested_at)]
    assert [r.innovation for r in result.requests] == [innovation_b]
    assert UpdateRequest.objects.filter(innovation=innovation_a).count() == 1
    assert UpdateRequest.objects.filter(innovation=innovation_b).count() == 2
    assert {m.to[0] for m in mail.outbox} == {"operator_b@contoh.go.id"}


def test_a_second_call_the_same_day_sends_nothing(
    secretariat, owners, innovation_a, django_capture_on_commit_callbacks
):
    send([innovation_a], secretariat, capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    again = send([innovation_a], secretariat, capture=django_capture_on_commit_callbacks)
    assert again.requests == [] and len(again.skipped) == 1
    assert mail.outbox == []


def test_one_audit_entry_per_call(secretariat, owners, innovation_a, innovation_b):
    before = AuditEntry.objects.count()
    asked(innovation_b, secretariat, days_ago=1)
    send([innovation_a, innovation_b], secretariat)
    entries = AuditEntry.objects.filter(action="jipp.update_requested")
    assert AuditEntry.objects.count() == before + 1
    entry = entries.get()
    assert entry.actor == secretariat
    assert entry.after["innovations"] == [innovation_a.pk]
    assert entry.after["skipped"] == [innovation_b.pk]
    assert entry.after["recipients"] == ["admin_a@contoh.go.id", "operator_a@contoh.go.id"]


@pytest.mark.parametrize("persona", ["admin_a", "operator_a", "evaluator", "nobody"])
def test_only_the_secretariat_asks(personas, innovation_a, persona):
    with pytest.raises(PermissionDenied):
        send([innovation_a], personas[persona])
    assert not UpdateRequest.objects.exists()
    assert not AuditEntry.objects.filter(action="jipp.update_requested").exists()


def test_bad_requests_change_nothing(secretariat, innovation_a):
    with pytest.raises(DomainError, match="Pilih minimal satu inovasi"):
        send([], secretariat)
    with pytest.raises(DomainError, match="Pesan paling banyak 2000 huruf"):
        send([innovation_a], secretariat, message="x" * 2001)
    assert not UpdateRequest.objects.exists()
    assert mail.outbox == []
