"""Registering, editing (optimistic locking), status and publication of innovations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.models import AuditEntry
from prima.innovations.domain.innovations import (
    InnovationData,
    change_innovation_status,
    publish_innovation,
    register_innovation,
    unpublish_innovation,
    update_innovation,
)
from prima.innovations.models import Innovation

pytestmark = pytest.mark.django_db


def sitarang(**overrides) -> InnovationData:
    data = InnovationData(
        name="SITARANG",
        acronym="SITARANG",
        summary="Informasi tata ruang untuk warga Payakumbuh.",
        problem="Warga harus datang ke kantor untuk tahu peruntukan lahan.",
        started_on=dt.date(2019, 5, 2),
        is_digital=True,
        categories=["tata_kelola_pemerintahan", "pemberdayaan_masyarakat"],
        sdg_goals=[16, 11, 11],
    )
    data.update(overrides)  # type: ignore[typeddict-item]
    return data


def state() -> tuple[int, int]:
    return Innovation.objects.count(), AuditEntry.objects.count()


class TestRegister:
    def test_operator_registers_for_own_unit_and_it_is_audited(self, operator_a, unit_a):
        innovation = register_innovation(actor=operator_a, unit=unit_a, data=sitarang())

        innovation.refresh_from_db()
        assert innovation.institution_id == unit_a.institution_id
        assert innovation.version == 1
        assert innovation.sdg_goals == [11, 16]
        assert innovation.created_by == operator_a
        assert set(innovation.categories.values_list("code", flat=True)) == {
            "tata_kelola_pemerintahan",
            "pemberdayaan_masyarakat",
        }
        entry = AuditEntry.objects.get(action="innovation.registered")
        assert entry.actor == operator_a
        assert entry.object_id == str(innovation.pk)
        assert entry.before is None
        assert entry.after["name"] == "SITARANG"
        assert entry.after["institution"] == unit_a.institution_id

    def test_admin_lokal_registers_for_a_unit_of_their_institution(self, admin_a, unit_a):
        innovation = register_innovation(actor=admin_a, unit=unit_a, data=sitarang())
        assert innovation.unit == unit_a

    @pytest.mark.parametrize("who", ["operator_b", "evaluator", "nobody"])
    def test_others_may_not_register_for_unit_a(self, who, personas, unit_a):
        before = state()
        with pytest.raises(PermissionDenied):
            register_innovation(actor=personas[who], unit=unit_a, data=sitarang())
        assert state() == before

    @pytest.mark.parametrize(
        ("overrides", "field", "fragment"),
        [
            ({"name": "   "}, "name", "Nama inovasi wajib diisi"),
            ({"summary": ""}, "summary", "Ringkasan wajib diisi"),
            ({"name": "x" * 201}, "name", "paling banyak 200"),
            ({"sdg_goals": [16, 18]}, "sdg_goals", "1 sampai 17; tertulis 18"),
            ({"sdg_goals": [0]}, "sdg_goals", "tertulis 0"),
            ({"categories": ["kesehatan", "astrologi"]}, "categories", "astrologi"),
        ],
    )
    def test_invalid_content_is_refused_and_nothing_is_written(
        self, operator_a, unit_a, overrides, field, fragment
    ):
        before = state()
        with pytest.raises(DomainError) as refused:
            register_innovation(actor=operator_a, unit=unit_a, data=sitarang(**overrides))
        assert refused.value.field == field
        assert fragment in refused.value.message
        assert state() == before

    def test_start_date_may_be_today_but_not_tomorrow(self, operator_a, unit_a):
        today = timezone.localdate()
        register_innovation(actor=operator_a, unit=unit_a, data=sitarang(started_on=today))
        before = state()
        with pytest.raises(DomainError) as refused:
            register_innovation(
                actor=operator_a,
                unit=unit_a,
                data=sitarang(started_on=today + dt.timedelta(days=1)),
            )
        assert refused.value.field == "started_on"
        assert "masa depan" in refused.value.message
        assert state() == before

    def test_missing_start_date_is_refused(self, operator_a, unit_a):
        data = sitarang()
        del data["started_on"]
        with pytest.raises(DomainError) as refused:
            register_innovation(actor=operator_a, unit=unit_a, data=data)
        assert refused.value.field == "started_on"

    def test_inactive_unit_is_refused(self, operator_a, unit_a):
        unit_a.is_active = False
        unit_a.save()
        with pytest.raises(DomainError, match="tidak aktif"):
            register_innovation(actor=operator_a, unit=unit_a, data=sitarang())
        assert Innovation.objects.count() == 0


class TestUpdate:
    def test_change_bumps_version_and_audits_before_and_after(self, operator_a, innovation_a):
        updated = update_innovation(
            innovation_a,
            actor=operator_a,
            data={"results": "Izin tata ruang terbit dalam 2 hari.", "sdg_goals": [9, 16]},
            expected_version=1,
        )
        assert updated.version == 2
        innovation_a.refresh_from_db()
        assert innovation_a.results == "Izin tata ruang terbit dalam 2 hari."
        assert innovation_a.sdg_goals == [9, 16]
        assert innovation_a.name == "SITARANG"  # fields not sent stay as they were
        entry = AuditEntry.objects.get(action="innovation.updated")
        assert entry.before["version"] == 1
        assert entry.after["version"] == 2
        assert entry.before["sdg_goals"] == [16]
        assert entry.after["results"] == "Izin tata ruang terbit dalam 2 hari."

    def test_stale_version_is_refused_and_the_first_save_survives(
        self, operator_a, admin_a, innovation_a
    ):
        # Both open the edit form at version 1; the Admin Lokal saves first.
        mine = Innovation.objects.get(pk=innovation_a.pk)
        theirs = Innovation.objects.get(pk=innovation_a.pk)
        update_innovation(theirs, actor=admin_a, data={"name": "SITARANG 2.0"}, expected_version=1)
        audits = AuditEntry.objects.count()

        with pytest.raises(StaleVersion) as refused:
            update_innovation(
                mine, actor=operator_a, data={"name": "SITARANG Baru"}, expected_version=1
            )

        assert "admin_a" in refused.value.message
        assert "Muat ulang" in refused.value.message
        innovation_a.refresh_from_db()
        assert innovation_a.name == "SITARANG 2.0"
        assert innovation_a.version == 2
        assert AuditEntry.objects.count() == audits

    def test_submitting_unchanged_content_writes_nothing(self, operator_a, innovation_a):
        update_innovation(
            innovation_a, actor=operator_a, data={"name": "SITARANG"}, expected_version=1
        )
        innovation_a.refresh_from_db()
        assert innovation_a.version == 1
        assert not AuditEntry.objects.exists()

    def test_other_institution_may_not_update(self, operator_b, innovation_a):
        with pytest.raises(PermissionDenied):
            update_innovation(
                innovation_a, actor=operator_b, data={"name": "Diambil"}, expected_version=1
            )
        innovation_a.refresh_from_db()
        assert innovation_a.name == "SITARANG"

    def test_invalid_update_changes_nothing(self, operator_a, innovation_a):
        with pytest.raises(DomainError):
            update_innovation(
                innovation_a,
                actor=operator_a,
                data={"summary": "", "categories": ["kesehatan"]},
                expected_version=1,
            )
        innovation_a.refresh_from_db()
        assert innovation_a.version == 1
        assert list(innovation_a.categories.values_list("code", flat=True)) == [
            "tata_kelola_pemerintahan"
        ]


class TestStatus:
    def test_stopping_needs_a_reason(self, operator_a, innovation_a):
        with pytest.raises(DomainError) as refused:
            change_innovation_status(innovation_a, actor=operator_a, status="stopped", reason=" ")
        assert refused.value.field == "reason"
        innovation_a.refresh_from_db()
        assert innovation_a.status == "active"
        assert not AuditEntry.objects.exists()

    def test_pausing_with_reason_is_recorded(self, operator_a, innovation_a):
        changed = change_innovation_status(
            innovation_a,
            actor=operator_a,
            status="paused",
            reason="Server aplikasi sedang dipindahkan ke pusat data daerah.",
            changed_on=dt.date(2024, 2, 1),
            expected_version=1,
        )
        assert changed.status == "paused"
        assert changed.status_changed_on == dt.date(2024, 2, 1)
        assert changed.version == 2
        entry = AuditEntry.objects.get(action="innovation.status_changed")
        assert entry.reason.startswith("Server aplikasi")
        assert entry.before["status"] == "active"
        assert entry.after["status"] == "paused"

    def test_resuming_needs_no_reason_and_defaults_to_today(self, operator_a, innovation_a):
        innovation_a.status = "paused"
        innovation_a.save()
        changed = change_innovation_status(innovation_a, actor=operator_a, status="active")
        assert changed.status_changed_on == timezone.localdate()

    @pytest.mark.parametrize(
        ("changed_on", "fragment"),
        [
            (dt.date(2019, 5, 1), "sebelum inovasi mulai"),
            (dt.date(2999, 1, 1), "masa depan"),
        ],
    )
    def test_date_outside_the_innovation_life_is_refused(
        self, operator_a, innovation_a, changed_on, fragment
    ):
        with pytest.raises(DomainError, match=fragment):
            change_innovation_status(
                innovation_a,
                actor=operator_a,
                status="stopped",
                reason="Anggaran dihentikan.",
                changed_on=changed_on,
            )
        innovation_a.refresh_from_db()
        assert innovation_a.status == "active"

    def test_same_status_and_unknown_status_are_refused(self, operator_a, innovation_a):
        with pytest.raises(DomainError, match="sudah «Berjalan»"):
            change_innovation_status(innovation_a, actor=operator_a, status="active")
        with pytest.raises(DomainError, match="tidak dikenal"):
            change_innovation_status(innovation_a, actor=operator_a, status="archived")

    def test_stale_version_is_refused(self, operator_a, innovation_a):
        with pytest.raises(StaleVersion):
            change_innovation_status(
                innovation_a,
                actor=operator_a,
                status="stopped",
                reason="Digabung dengan aplikasi provinsi.",
                expected_version=7,
            )

    def test_other_institution_may_not_change_status(self, operator_b, innovation_a):
        with pytest.raises(PermissionDenied):
            change_innovation_status(innovation_a, actor=operator_b, status="stopped", reason="x")


class TestPublication:
    def test_publish_then_unpublish(self, admin_a, innovation_a):
        publish_innovation(innovation_a, actor=admin_a)
        innovation_a.refresh_from_db()
        assert innovation_a.is_published
        assert innovation_a.version == 2
        unpublish_innovation(innovation_a, actor=admin_a)
        innovation_a.refresh_from_db()
        assert not innovation_a.is_published
        assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
            "innovation.published",
            "innovation.unpublished",
        ]

    def test_publishing_twice_is_refused(self, admin_a, innovation_a):
        publish_innovation(innovation_a, actor=admin_a)
        with pytest.raises(DomainError, match="sudah dipublikasikan"):
            publish_innovation(innovation_a, actor=admin_a)
        assert AuditEntry.objects.count() == 1

    def test_other_institution_may_not_publish(self, operator_b, innovation_a):
        with pytest.raises(PermissionDenied):
            publish_innovation(innovation_a, actor=operator_b)
        innovation_a.refresh_from_db()
        assert not innovation_a.is_published
