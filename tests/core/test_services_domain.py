"""A unit's service catalogue: codes unique per institution, fixed once registered, audited,
and imports that apply every row or none."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from prima.core.domain import services
from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.enums import Role
from prima.core.interfaces import service_io
from prima.core.interfaces.tabular import TableError
from prima.core.models import AuditEntry, Service
from tests.factories import ServiceFactory, ServiceUnitFactory, person_with_role

pytestmark = pytest.mark.django_db


def data(code: str, name: str = "Penerbitan Kartu Keluarga") -> services.ServiceData:
    return services.ServiceData(code=code, name=name)


def csv_file(text: str, name: str = "layanan.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


def test_an_operator_adds_a_service_and_the_code_is_written_upper_case(operator_a, unit_a):
    service = services.create_service(unit_a, data(" kk-baru "), actor=operator_a)

    assert (service.code, service.institution_id) == ("KK-BARU", unit_a.institution_id)
    entry = AuditEntry.objects.get(action="service.created")
    assert entry.actor_id == operator_a.pk
    assert entry.after["code"] == "KK-BARU"


@pytest.mark.parametrize(
    "code, message",
    [
        ("", "wajib diisi"),
        ("KK BARU", "tidak sah"),
        ("KK_BARU", "tidak sah"),
        ("-KK", "tidak sah"),
        ("KK--BARU", "tidak sah"),
        ("A" * 41, "paling banyak 40"),
    ],
)
def test_bad_codes_are_refused_and_nothing_is_written(operator_a, unit_a, code, message):
    with pytest.raises(DomainError, match=message) as refused:
        services.create_service(unit_a, data(code), actor=operator_a)
    assert refused.value.field == "code"
    assert not Service.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_code_is_unique_within_the_institution_but_not_across(
    operator_a, admin_a, unit_a, unit_b, secretariat
):
    services.create_service(unit_a, data("KK-BARU"), actor=operator_a)
    sibling = ServiceUnitFactory(institution=unit_a.institution, name="Kecamatan Payakumbuh Barat")

    with pytest.raises(DomainError, match=r"sudah dipakai .* Dinas PUPR"):
        services.create_service(sibling, data("KK-BARU"), actor=admin_a)
    # Another institution may use the same code.
    services.create_service(unit_b, data("KK-BARU"), actor=secretariat)
    assert Service.objects.filter(code="KK-BARU").count() == 2


def test_a_name_is_required(operator_a, unit_a):
    with pytest.raises(DomainError, match="Nama layanan wajib diisi"):
        services.create_service(unit_a, data("KK-BARU", "   "), actor=operator_a)


@pytest.mark.parametrize("who", ["operator_b", "evaluator", "nobody", "analyst", "admin_b"])
def test_only_the_unit_s_people_and_the_secretariat_manage_services(
    personas, unit_a, institution_b, who
):
    people = dict(personas)
    people["analyst"] = person_with_role(Role.ANALYST)
    people["admin_b"] = person_with_role(Role.INSTITUTION_ADMIN, institution=institution_b)
    with pytest.raises(PermissionDenied):
        services.create_service(unit_a, data("KK-BARU"), actor=people[who])
    assert not Service.objects.exists()


def test_an_inactive_unit_gets_no_new_service(secretariat, unit_a):
    unit_a.is_active = False
    unit_a.save()
    with pytest.raises(DomainError, match="nonaktif"):
        services.create_service(unit_a, data("KK-BARU"), actor=secretariat)


def test_renaming_keeps_the_code_and_a_code_change_is_refused(operator_a, unit_a):
    service = ServiceFactory(unit=unit_a, code="KK-BARU", name="KK baru")

    renamed = data("KK-BARU", "Kartu Keluarga baru")
    assert services.update_service(service, renamed, actor=operator_a)
    assert not services.update_service(
        service, data("KK-BARU", "Kartu Keluarga baru"), actor=operator_a
    )
    with pytest.raises(DomainError, match="tidak dapat diubah"):
        services.update_service(service, data("KK-PINDAH", "x"), actor=operator_a)
    service.refresh_from_db()
    assert (service.code, service.name) == ("KK-BARU", "Kartu Keluarga baru")
    entry = AuditEntry.objects.get(action="service.updated")
    assert (entry.before["name"], entry.after["name"]) == ("KK baru", "Kartu Keluarga baru")


def test_a_stale_edit_is_refused(operator_a, unit_a):
    service = ServiceFactory(unit=unit_a, code="KK-BARU", name="KK baru")
    seen = service.updated_at
    services.update_service(service, data("KK-BARU", "Versi lain"), actor=operator_a)
    with pytest.raises(StaleVersion):
        services.update_service(
            service, data("KK-BARU", "Versi saya"), actor=operator_a, expected_updated_at=seen
        )
    service.refresh_from_db()
    assert service.name == "Versi lain"


def test_deactivate_and_reactivate_are_audited(admin_a, unit_a):
    service = ServiceFactory(unit=unit_a, code="KK-BARU")

    services.deactivate_service(service, actor=admin_a, reason="Digabung ke layanan lain")
    assert not service.is_active
    with pytest.raises(DomainError, match="sudah nonaktif"):
        services.deactivate_service(service, actor=admin_a)
    services.reactivate_service(service, actor=admin_a)
    assert service.is_active
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "reason"))
    assert actions == [
        ("service.deactivated", "Digabung ke layanan lain"),
        ("service.reactivated", ""),
    ]


# ----------------------------------------------------------------------------- import


def test_an_import_creates_updates_and_switches(operator_a, unit_a):
    ServiceFactory(unit=unit_a, code="KK-BARU", name="KK lama")
    ServiceFactory(unit=unit_a, code="AKTA-LAHIR", name="Akta kelahiran")
    upload = csv_file(
        "code,name,is_active\n"
        "KK-BARU,Kartu Keluarga baru,\n"
        "ktp-el,KTP elektronik,ya\n"
        "AKTA-LAHIR,Akta kelahiran,tidak\n"
    )

    result = service_io.import_services(unit_a, upload, actor=operator_a)

    assert (result.created, result.updated, result.unchanged) == (1, 2, 0)
    catalogue = {s.code: (s.name, s.is_active) for s in Service.objects.filter(unit=unit_a)}
    assert catalogue == {
        "KK-BARU": ("Kartu Keluarga baru", True),
        "KTP-EL": ("KTP elektronik", True),
        "AKTA-LAHIR": ("Akta kelahiran", False),
    }


def test_an_import_with_one_bad_row_changes_nothing_and_names_every_problem(
    operator_a, unit_a, admin_a
):
    sibling = ServiceUnitFactory(institution=unit_a.institution, name="Disdukcapil")
    ServiceFactory(unit=sibling, code="KTP-EL", name="KTP elektronik")
    entries = AuditEntry.objects.count()
    upload = csv_file(
        "code,name,is_active\n"
        "KK-BARU,Kartu Keluarga baru,ya\n"
        "KK BARU,Salah kode,ya\n"
        "KTP-EL,Milik unit lain,ya\n"
        "kk-baru,Dua kali,ya\n"
        "SKTM,,mungkin\n"
    )

    with pytest.raises(TableError) as refused:
        service_io.import_services(unit_a, upload, actor=operator_a)

    messages = [str(error) for error in refused.value.errors]
    assert messages[0].startswith("Baris 3, kolom code: Kode 'KK BARU' tidak sah")
    assert any("Baris 4, kolom code" in m and "Disdukcapil" in m for m in messages)
    assert any("Baris 5, kolom code: kode KK-BARU sudah ada di baris 2" in m for m in messages)
    assert any("Baris 6, kolom name: wajib diisi" in m for m in messages)
    assert any("Baris 6, kolom is_active" in m for m in messages)
    assert not Service.objects.filter(unit=unit_a).exists()
    assert AuditEntry.objects.count() == entries


def test_an_import_reads_xlsx(secretariat, unit_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Code", "Name"])
    sheet.append(["SIM-A", "Surat Izin Mengemudi A"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("layanan.xlsx", buffer.getvalue())

    result = service_io.import_services(unit_a, upload, actor=secretariat)

    assert result.created == 1
    assert Service.objects.get(unit=unit_a).code == "SIM-A"


def test_an_import_refuses_wrong_headers_and_outsiders(operator_a, operator_b, unit_a):
    with pytest.raises(TableError, match="kolom wajib tidak ada: name"):
        service_io.import_services(unit_a, csv_file("code\nKK\n"), actor=operator_a)
    with pytest.raises(PermissionDenied):
        service_io.import_services(unit_a, csv_file("code,name\nKK,KK\n"), actor=operator_b)
