"""The owners' invitation to replicate (pkri.md §9): `open_to_replication` needs an official
contact; changes are audited with the other fields and on their own."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.core.domain.errors import DomainError
from prima.core.models import AuditEntry
from prima.innovations.domain.innovations import register_innovation, update_innovation
from prima.innovations.models import Innovation

pytestmark = pytest.mark.django_db


def test_opening_without_a_contact_is_refused_and_nothing_changes(innovation_a, admin_a):
    with pytest.raises(DomainError, match="Kontak resmi replikasi wajib diisi") as refusal:
        update_innovation(
            innovation_a,
            actor=admin_a,
            data={"open_to_replication": True, "replication_contact": "   "},
            expected_version=1,
        )

    assert refusal.value.field == "replication_contact"
    fresh = Innovation.objects.get(pk=innovation_a.pk)
    assert (fresh.open_to_replication, fresh.version) == (False, 1)
    assert not AuditEntry.objects.filter(object_id=str(innovation_a.pk)).exists()


def test_opening_with_a_contact_is_saved_and_audited_twice(innovation_a, admin_a):
    update_innovation(
        innovation_a,
        actor=admin_a,
        data={"open_to_replication": True, "replication_contact": " Bidang Tata Ruang "},
        expected_version=1,
    )

    fresh = Innovation.objects.get(pk=innovation_a.pk)
    assert fresh.open_to_replication is True
    assert fresh.replication_contact == "Bidang Tata Ruang"
    assert fresh.version == 2
    updated = AuditEntry.objects.get(action="innovation.updated")
    assert updated.before["open_to_replication"] is False
    assert updated.after["replication_contact"] == "Bidang Tata Ruang"
    profile = AuditEntry.objects.get(action="innovation.replication_profile_changed")
    assert profile.after == {
        "open_to_replication": True,
        "replication_contact": "Bidang Tata Ruang",
    }


def test_other_edits_leave_the_profile_alone_and_write_no_profile_entry(innovation_a, admin_a):
    Innovation.objects.filter(pk=innovation_a.pk).update(
        open_to_replication=True, replication_contact="Bidang Tata Ruang"
    )

    update_innovation(innovation_a, actor=admin_a, data={"acronym": "STR"}, expected_version=1)

    fresh = Innovation.objects.get(pk=innovation_a.pk)
    assert (fresh.acronym, fresh.open_to_replication) == ("STR", True)
    assert not AuditEntry.objects.filter(action="innovation.replication_profile_changed").exists()


def test_a_contact_longer_than_200_characters_is_refused(innovation_a, admin_a):
    with pytest.raises(DomainError, match="paling banyak 200"):
        update_innovation(
            innovation_a,
            actor=admin_a,
            data={"replication_contact": "x" * 201},
            expected_version=1,
        )
    assert Innovation.objects.get(pk=innovation_a.pk).replication_contact == ""


def test_registration_may_open_to_replication_with_a_contact(unit_a, operator_a):
    data = {
        "name": "Layanan Baru",
        "summary": "Ringkasan.",
        "started_on": dt.date(2022, 1, 1),
        "open_to_replication": True,
    }
    with pytest.raises(DomainError, match="Kontak resmi"):
        register_innovation(actor=operator_a, unit=unit_a, data=data)
    assert not Innovation.objects.filter(name="Layanan Baru").exists()

    created = register_innovation(
        actor=operator_a, unit=unit_a, data={**data, "replication_contact": "Dinas PUPR"}
    )

    assert (created.open_to_replication, created.replication_contact) == (True, "Dinas PUPR")
