"""Acceptance examples for the registry's write actions: institutions and service units."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.core.domain import registry
from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.domain.registry import InstitutionData, InvalidRecord, ServiceUnitData
from prima.core.enums import InstitutionKind, RegionLevel, ServiceType, UnitKind
from prima.core.models import AuditEntry, Institution, ServiceUnit
from tests.factories import InstitutionFactory, RegionFactory, ServiceUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def west_sumatra(region_a):
    """Sumatera Barat with Kota Payakumbuh (from conftest), Kabupaten Agam and Kota Padang."""
    return {
        "province": RegionFactory(
            code="13", name="Sumatera Barat", level=RegionLevel.PROVINCE, province_code="13"
        ),
        "payakumbuh": region_a,
        "agam": RegionFactory(code="13.06", name="Kabupaten Agam", level=RegionLevel.REGENCY),
        "padang": RegionFactory(code="13.71", name="Kota Padang", level=RegionLevel.CITY),
    }


def _fields(exc: InvalidRecord) -> set[str | None]:
    return {p.field for p in exc.problems}


def _refused(secretariat, data: InstitutionData, field: str, text: str) -> None:
    """The institution is refused on `field` with a message containing `text`; nothing written."""
    institutions, entries = Institution.objects.count(), AuditEntry.objects.count()
    with pytest.raises(InvalidRecord) as caught:
        registry.create_institution(data, actor=secretariat)
    assert field in _fields(caught.value)
    assert text in caught.value.message
    assert Institution.objects.count() == institutions
    assert AuditEntry.objects.count() == entries


# ---------------------------------------------------------------------- institutions


def test_secretariat_registers_a_city_with_its_province_code_and_an_audit_entry(
    secretariat, west_sumatra
):
    padang = registry.create_institution(
        InstitutionData(
            kind=InstitutionKind.CITY,
            name="  Pemerintah Kota   Padang ",
            short_name="Kota Padang",
            region=west_sumatra["padang"],
            official_email_domain="@PadangKota.go.id",
        ),
        actor=secretariat,
    )
    padang.refresh_from_db()
    assert padang.name == "Pemerintah Kota Padang"
    assert padang.province_code == "13"
    assert padang.official_email_domain == "padangkota.go.id"
    entry = AuditEntry.objects.get(action="institution.created")
    assert entry.actor == secretariat
    assert entry.object_id == str(padang.pk)
    assert entry.after["region"] == west_sumatra["padang"].pk
    assert entry.after["province_code"] == "13"


def test_only_the_secretariat_registers_institutions(admin_a, west_sumatra):
    with pytest.raises(PermissionDenied):
        registry.create_institution(
            InstitutionData(
                kind=InstitutionKind.CITY, name="Kota Padang", region=west_sumatra["padang"]
            ),
            actor=admin_a,
        )
    assert not Institution.objects.filter(name="Kota Padang").exists()


def test_unknown_kind_is_refused_with_the_list_of_codes(secretariat):
    _refused(
        secretariat,
        InstitutionData(kind="kementrian", name="Kementerian Contoh"),
        "kind",
        "pilih salah satu: ministry, agency, province",
    )


def test_a_city_needs_a_city_level_region(secretariat, west_sumatra):
    _refused(
        secretariat,
        InstitutionData(kind=InstitutionKind.CITY, name="Pemerintah Kota Agam"),
        "region",
        "wajib memiliki wilayah tingkat kota",
    )
    _refused(
        secretariat,
        InstitutionData(
            kind=InstitutionKind.CITY, name="Pemerintah Kota Agam", region=west_sumatra["agam"]
        ),
        "region",
        "bertingkat kabupaten",
    )


def test_a_province_government_needs_a_province_region(secretariat, west_sumatra):
    _refused(
        secretariat,
        InstitutionData(
            kind=InstitutionKind.PROVINCE,
            name="Pemerintah Provinsi Sumatera Barat",
            region=west_sumatra["padang"],
        ),
        "region",
        "memerlukan wilayah tingkat provinsi",
    )


def test_a_region_has_one_local_government(secretariat, institution_a):
    _refused(
        secretariat,
        InstitutionData(
            kind=InstitutionKind.CITY, name="Pemkot Payakumbuh", region=institution_a.region
        ),
        "region",
        "sudah memiliki instansi 'Pemerintah Kota Payakumbuh'",
    )


def test_names_are_unique_whatever_the_case(secretariat, institution_a):
    _refused(
        secretariat,
        InstitutionData(kind=InstitutionKind.MINISTRY, name="pemerintah kota payakumbuh"),
        "name",
        "sudah dipakai instansi lain",
    )


def test_central_institutions_have_no_region_parent_or_regional_flags(
    secretariat, west_sumatra, institution_a
):
    _refused(
        secretariat,
        InstitutionData(
            kind=InstitutionKind.MINISTRY, name="Kementerian Kesehatan", region=west_sumatra["agam"]
        ),
        "region",
        "tidak memiliki wilayah",
    )
    _refused(
        secretariat,
        InstitutionData(kind=InstitutionKind.AGENCY, name="Badan Pusat Statistik", is_border=True),
        "is_disadvantaged",
        "3T dan perbatasan",
    )
    _refused(
        secretariat,
        InstitutionData(
            kind=InstitutionKind.STATE_ENTERPRISE, name="PT Contoh (Persero)", parent=institution_a
        ),
        "parent",
        "Hanya BUMD",
    )


def test_a_regional_enterprise_needs_a_local_government_parent(secretariat):
    ministry = InstitutionFactory(
        kind=InstitutionKind.MINISTRY, name="Kementerian BUMN", region=None
    )
    _refused(
        secretariat,
        InstitutionData(kind=InstitutionKind.REGIONAL_ENTERPRISE, name="PDAM Tirta"),
        "parent",
        "wajib memiliki instansi induk",
    )
    _refused(
        secretariat,
        InstitutionData(
            kind=InstitutionKind.REGIONAL_ENTERPRISE, name="PDAM Tirta", parent=ministry
        ),
        "parent",
        "induk BUMD harus pemerintah provinsi, kabupaten, atau kota",
    )


def test_a_regional_enterprise_carries_its_parents_region(secretariat, institution_a, west_sumatra):
    pdam = registry.create_institution(
        InstitutionData(
            kind=InstitutionKind.REGIONAL_ENTERPRISE,
            name="Perumda Air Minum Kota Payakumbuh",
            parent=institution_a,
        ),
        actor=secretariat,
    )
    assert pdam.region == institution_a.region
    assert pdam.province_code == "13"
    _refused(
        secretariat,
        InstitutionData(
            kind=InstitutionKind.REGIONAL_ENTERPRISE,
            name="Bank Nagari Cabang Agam",
            parent=institution_a,
            region=west_sumatra["agam"],
        ),
        "region",
        "mengikuti instansi induknya",
    )


def test_a_malformed_email_domain_is_refused(secretariat):
    _refused(
        secretariat,
        InstitutionData(
            kind=InstitutionKind.AGENCY, name="Lembaga Contoh", official_email_domain="contoh"
        ),
        "official_email_domain",
        "tidak sah",
    )


def test_update_records_before_and_after(secretariat, institution_a):
    changed = registry.update_institution(
        institution_a,
        InstitutionData(
            kind=InstitutionKind.CITY,
            name="Pemerintah Kota Payakumbuh",
            short_name="Payakumbuh",
            region=institution_a.region,
            is_disadvantaged=True,
        ),
        actor=secretariat,
        reason="Data Kemendagri 2025",
    )
    assert changed
    institution_a.refresh_from_db()
    assert institution_a.short_name == "Payakumbuh"
    assert institution_a.is_disadvantaged
    entry = AuditEntry.objects.get(action="institution.updated")
    assert entry.before["short_name"] == "Kota Payakumbuh"
    assert entry.after["short_name"] == "Payakumbuh"
    assert entry.reason == "Data Kemendagri 2025"


def test_update_without_change_writes_nothing(secretariat, institution_a):
    data = InstitutionData.of(institution_a)
    assert registry.update_institution(institution_a, data, actor=secretariat) is False
    assert not AuditEntry.objects.filter(action="institution.updated").exists()


def test_update_based_on_an_old_version_is_refused(secretariat, institution_a):
    seen = institution_a.updated_at - dt.timedelta(seconds=5)
    data = InstitutionData.of(institution_a)
    with pytest.raises(StaleVersion):
        registry.update_institution(
            institution_a,
            InstitutionData(**{**data.__dict__, "short_name": "Lain"}),
            actor=secretariat,
            expected_updated_at=seen,
        )
    institution_a.refresh_from_db()
    assert institution_a.short_name == "Kota Payakumbuh"


def test_a_government_with_enterprises_keeps_its_kind_and_moves_them_along(
    secretariat, institution_a, west_sumatra
):
    pdam = InstitutionFactory(
        kind=InstitutionKind.REGIONAL_ENTERPRISE,
        name="Perumda Payakumbuh",
        parent=institution_a,
        region=institution_a.region,
    )
    with pytest.raises(InvalidRecord) as caught:
        registry.update_institution(
            institution_a,
            InstitutionData(kind=InstitutionKind.MINISTRY, name=institution_a.name),
            actor=secretariat,
        )
    assert "kind" in _fields(caught.value)

    registry.update_institution(
        institution_a,
        InstitutionData(
            kind=InstitutionKind.CITY, name=institution_a.name, region=west_sumatra["padang"]
        ),
        actor=secretariat,
    )
    pdam.refresh_from_db()
    assert pdam.region == west_sumatra["padang"]
    assert AuditEntry.objects.filter(action="institution.updated", object_id=str(pdam.pk)).exists()


def test_deactivating_an_institution_closes_its_units(secretariat, institution_a, unit_a):
    other = ServiceUnitFactory(institution=institution_a, name="Puskesmas Ibuh")
    assert (
        registry.deactivate_institution(
            institution_a, actor=secretariat, reason="Penggabungan daerah"
        )
        == 2
    )
    institution_a.refresh_from_db()
    unit_a.refresh_from_db()
    other.refresh_from_db()
    assert not institution_a.is_active
    assert not unit_a.is_active and not other.is_active
    entry = AuditEntry.objects.get(action="institution.deactivated")
    assert sorted(entry.after["units_deactivated"]) == sorted([unit_a.pk, other.pk])
    assert entry.reason == "Penggabungan daerah"

    with pytest.raises(DomainError, match="sudah nonaktif"):
        registry.deactivate_institution(institution_a, actor=secretariat, reason="lagi")
    registry.reactivate_institution(institution_a, actor=secretariat)
    institution_a.refresh_from_db()
    unit_a.refresh_from_db()
    assert institution_a.is_active
    assert not unit_a.is_active  # units are reopened one by one


def test_deactivation_needs_a_reason_and_no_active_enterprises(secretariat, institution_a):
    with pytest.raises(DomainError, match="Alasan"):
        registry.deactivate_institution(institution_a, actor=secretariat, reason="  ")
    InstitutionFactory(
        kind=InstitutionKind.REGIONAL_ENTERPRISE,
        name="Perumda Payakumbuh",
        parent=institution_a,
        region=institution_a.region,
    )
    with pytest.raises(DomainError, match="Perumda Payakumbuh"):
        registry.deactivate_institution(institution_a, actor=secretariat, reason="Pemekaran")
    institution_a.refresh_from_db()
    assert institution_a.is_active
    assert not AuditEntry.objects.filter(action="institution.deactivated").exists()


# --------------------------------------------------------------------- service units


def _unit(institution, **changes) -> ServiceUnitData:
    base = {
        "institution": institution,
        "name": "Puskesmas Ibuh",
        "kind": UnitKind.PUSKESMAS,
        "service_type": ServiceType.SERVICES,
        "user_population": 18_500,
        "address": "Jl. Soekarno-Hatta, Payakumbuh",
    }
    return ServiceUnitData(**{**base, **changes})


def test_admin_lokal_registers_a_unit_of_their_institution(admin_a, institution_a):
    unit = registry.create_service_unit(_unit(institution_a), actor=admin_a)
    assert unit.region == institution_a.region  # defaults to the institution's region
    entry = AuditEntry.objects.get(action="unit.created")
    assert entry.actor == admin_a
    assert entry.after["name"] == "Puskesmas Ibuh"
    assert entry.after["institution"] == institution_a.pk


def test_admin_lokal_cannot_touch_another_institutions_units(admin_a, institution_b, unit_b):
    with pytest.raises(PermissionDenied, match="Pemerintah Kota Surabaya"):
        registry.create_service_unit(_unit(institution_b), actor=admin_a)
    with pytest.raises(PermissionDenied):
        registry.update_service_unit(unit_b, _unit(institution_b, name="Dinas Baru"), actor=admin_a)
    with pytest.raises(PermissionDenied):
        registry.deactivate_service_unit(unit_b, actor=admin_a, reason="ditutup")
    assert ServiceUnit.objects.filter(institution=institution_b).count() == 1
    unit_b.refresh_from_db()
    assert unit_b.name == "Dinas Kependudukan Kota Surabaya" and unit_b.is_active
    assert not AuditEntry.objects.exists()


def test_operators_and_evaluators_do_not_manage_units(operator_a, evaluator, institution_a):
    for actor in (operator_a, evaluator):
        with pytest.raises(PermissionDenied):
            registry.create_service_unit(_unit(institution_a), actor=actor)


def test_admin_lokal_cannot_move_a_unit_to_another_institution(admin_a, unit_a, institution_b):
    with pytest.raises(PermissionDenied):
        registry.update_service_unit(unit_a, _unit(institution_b, name=unit_a.name), actor=admin_a)
    unit_a.refresh_from_db()
    assert unit_a.institution_id != institution_b.pk


def test_secretariat_manages_any_institutions_units(secretariat, institution_b):
    unit = registry.create_service_unit(
        _unit(institution_b, name="RSUD dr. Soetomo"), actor=secretariat
    )
    assert unit.institution == institution_b


def test_unit_names_are_unique_within_an_institution(admin_a, unit_a):
    with pytest.raises(InvalidRecord, match="sudah memiliki unit bernama"):
        registry.create_service_unit(
            _unit(unit_a.institution, name=unit_a.name.upper()), actor=admin_a
        )
    assert ServiceUnit.objects.count() == 1


def test_a_city_unit_stays_in_the_city(admin_a, institution_a, west_sumatra):
    with pytest.raises(InvalidRecord) as caught:
        registry.create_service_unit(
            _unit(institution_a, region=west_sumatra["padang"]), actor=admin_a
        )
    assert "region" in _fields(caught.value)
    assert "Kota Payakumbuh (13.76)" in caught.value.message


def test_a_province_unit_may_sit_anywhere_in_the_province(secretariat, west_sumatra, region_b):
    province = InstitutionFactory(
        kind=InstitutionKind.PROVINCE,
        name="Pemerintah Provinsi Sumatera Barat",
        region=west_sumatra["province"],
    )
    unit = registry.create_service_unit(
        _unit(province, name="Samsat Agam", kind=UnitKind.SAMSAT, region=west_sumatra["agam"]),
        actor=secretariat,
    )
    assert unit.region == west_sumatra["agam"]
    with pytest.raises(InvalidRecord, match="di luar provinsi"):
        registry.create_service_unit(
            _unit(province, name="Samsat Surabaya", region=region_b), actor=secretariat
        )


def test_unknown_unit_codes_and_negative_population_are_refused(admin_a, institution_a):
    with pytest.raises(InvalidRecord) as caught:
        registry.create_service_unit(
            _unit(institution_a, kind="klinik", service_type="barang", user_population=-1),
            actor=admin_a,
        )
    assert _fields(caught.value) == {"kind", "service_type", "user_population"}
    assert "pilih salah satu: dinas, badan" in caught.value.message
    assert not ServiceUnit.objects.exists()


def test_no_new_units_for_an_inactive_institution(secretariat, institution_a):
    Institution.objects.filter(pk=institution_a.pk).update(is_active=False)
    institution_a.refresh_from_db()
    with pytest.raises(InvalidRecord, match="tidak aktif"):
        registry.create_service_unit(_unit(institution_a), actor=secretariat)


def test_unit_update_is_audited_and_stale_edits_refused(admin_a, unit_a):
    seen = unit_a.updated_at
    assert registry.update_service_unit(
        unit_a,
        _unit(unit_a.institution, name=unit_a.name, kind=UnitKind.DINAS, user_population=30_000),
        actor=admin_a,
        expected_updated_at=seen,
    )
    entry = AuditEntry.objects.get(action="unit.updated")
    assert entry.before["user_population"] == 12_000
    assert entry.after["user_population"] == 30_000
    with pytest.raises(StaleVersion):
        registry.update_service_unit(
            unit_a,
            _unit(unit_a.institution, name=unit_a.name, user_population=1),
            actor=admin_a,
            expected_updated_at=seen,
        )
    unit_a.refresh_from_db()
    assert unit_a.user_population == 30_000


def test_unit_deactivation_needs_a_reason_and_is_audited(admin_a, unit_a):
    with pytest.raises(DomainError, match="Alasan"):
        registry.deactivate_service_unit(unit_a, actor=admin_a, reason="")
    registry.deactivate_service_unit(unit_a, actor=admin_a, reason="Digabung ke MPP")
    assert not unit_a.is_active
    entry = AuditEntry.objects.get(action="unit.deactivated")
    assert entry.reason == "Digabung ke MPP"
    registry.reactivate_service_unit(unit_a, actor=admin_a)
    assert unit_a.is_active
    assert AuditEntry.objects.filter(action="unit.reactivated").count() == 1
