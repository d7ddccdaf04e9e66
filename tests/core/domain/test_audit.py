from __future__ import annotations

import pytest
from django.db import transaction

from prima.core.domain import audit
from prima.core.models import AuditEntry


def _write_three(actor):
    for n in range(3):
        with transaction.atomic():
            audit.record(
                actor=actor,
                action="test.write",
                object_type="test.thing",
                object_id=str(n),
                object_repr=f"Hal {n}",
                before={"skor": "80.00"} if n else None,
                after={"skor": f"8{n}.50"},
                reason="uji",
            )


@pytest.mark.django_db
def test_chain_verifies_when_untouched(secretariat):
    _write_three(secretariat)
    report = audit.verify_chain()
    assert report.ok
    assert report.checked == 3


@pytest.mark.django_db
def test_edited_entry_is_named_as_first_broken(secretariat):
    _write_three(secretariat)
    second = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=second.pk).update(after={"skor": "99.99"})
    report = audit.verify_chain()
    assert not report.ok
    assert report.first_broken_id == second.pk
    assert "berubah" in report.problem


@pytest.mark.django_db
def test_deleted_middle_entry_breaks_the_link_of_the_next(secretariat):
    _write_three(secretariat)
    _first, second, third = AuditEntry.objects.order_by("id")
    second.delete()
    report = audit.verify_chain()
    assert report.first_broken_id == third.pk


@pytest.mark.django_db
def test_deleted_last_entry_is_detected_through_the_head(secretariat):
    _write_three(secretariat)
    AuditEntry.objects.order_by("-id").first().delete()
    assert not audit.verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction(secretariat):
    with pytest.raises(RuntimeError):
        audit.record(actor=secretariat, action="x", object_type="t", object_id="1")


@pytest.mark.django_db(transaction=True)
def test_rolled_back_write_leaves_no_entry(secretariat):
    with pytest.raises(ValueError), transaction.atomic():
        audit.record(actor=secretariat, action="x", object_type="t", object_id="1")
        raise ValueError("the domain write failed")
    assert AuditEntry.objects.count() == 0
    assert audit.verify_chain().ok
