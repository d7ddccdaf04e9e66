"""Importing and exporting the registry: every row checked, all rows or none applied."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from prima.core.domain.errors import PermissionDenied
from prima.core.enums import InstitutionKind, RegionLevel, UnitKind
from prima.core.interfaces import registry_io
from prima.core.interfaces.tabular import TableError, read_table
from prima.core.models import AuditEntry, Institution, ServiceUnit
from tests.factories import InstitutionFactory, RegionFactory, ServiceUnitFactory

pytestmark = pytest.mark.django_db

INSTITUTION_HEADER = (
    "name,kind,short_name,region_code,parent_name,is_disadvantaged,is_border,"
    "official_email_domain\n"
)
UNIT_HEADER = "institution_name,name,kind,service_type,region_code,user_population,address\n"


@pytest.fixture
def regions(region_a, region_b):
    RegionFactory(code="53", name="Nusa Tenggara Timur", level=RegionLevel.PROVINCE)
    return {
        "payakumbuh": region_a,
        "surabaya": region_b,
        "belu": RegionFactory(code="53.04", name="Kabupaten Belu", level=RegionLevel.REGENCY),
    }


def csv_file(text: str, name: str = "impor.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


def import_errors(run, upload, actor) -> list[str]:
    with pytest.raises(TableError) as caught:
        run(upload, actor=actor)
    return [str(e) for e in caught.value.errors]


# ---------------------------------------------------------------------- institutions


def test_secretariat_imports_governments_enterprises_and_ministries(secretariat, regions):
    upload = csv_file(
        INSTITUTION_HEADER + "Perumda Air Minum Tirta Lorosae,regional_enterprise,PDAM Belu,,"
        "Pemerintah Kabupaten Belu,ya,ya,\n"
        "Pemerintah Kabupaten Belu,regency,Kab. Belu,53.04,,ya,ya,belukab.go.id\n"
        "Kementerian Kesehatan,ministry,Kemenkes,,,tidak,tidak,kemkes.go.id\n"
    )
    result = registry_io.import_institutions(upload, actor=secretariat)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    belu = Institution.objects.get(name="Pemerintah Kabupaten Belu")
    assert belu.region == regions["belu"]
    assert belu.province_code == "53"
    assert belu.is_border and belu.is_disadvantaged
    pdam = Institution.objects.get(short_name="PDAM Belu")
    assert pdam.parent == belu  # the parent came from a later row of the same file
    assert pdam.region == regions["belu"]
    assert AuditEntry.objects.filter(action="institution.created").count() == 3


def test_one_bad_row_means_nothing_is_written(secretariat, regions):
    upload = csv_file(
        INSTITUTION_HEADER
        + "Kementerian Kesehatan,ministry,,,,,,\n"
        + "Badan Pusat Statistik,agency,BPS,,,,,\n"
        + "Kementerian Sosial,kementrian,,,,,,\n"
    )
    errors = import_errors(registry_io.import_institutions, upload, secretariat)
    assert errors == [
        "Baris 4, kolom kind: nilai 'kementrian' tidak dikenal; pilih salah satu: ministry, "
        "agency, province, regency, city, state_enterprise, regional_enterprise."
    ]
    assert not Institution.objects.exists()
    assert not AuditEntry.objects.exists()


def test_every_problem_of_the_file_is_reported_at_once(secretariat, regions, institution_a):
    upload = csv_file(
        INSTITUTION_HEADER
        + "Pemerintah Kota Belu,city,,53.04,,,,\n"  # a regency code for a city
        + "Pemerintah Kota Surabaya,city,,35.78,,,,\n"
        + "pemerintah kota surabaya,city,,35.78,,,,\n"  # the same name again
        + "PDAM Entah,regional_enterprise,,,Pemerintah Kota Entah,,,\n"
        + "Kementerian Agama,ministry,,99.99,,mungkin,,\n"
        + "Pemkot Payakumbuh Baru,city,,13.76,,,,\n"  # Payakumbuh already has its government
    )
    errors = import_errors(registry_io.import_institutions, upload, secretariat)
    assert errors == [
        "Baris 2, kolom region_code: Wilayah 'Kabupaten Belu' (53.04) bertingkat kabupaten; "
        "instansi jenis Pemerintah Kota memerlukan wilayah tingkat kota.",
        "Baris 4, kolom name: nama 'pemerintah kota surabaya' sudah dipakai di baris 3; "
        "satu instansi satu baris.",
        "Baris 5, kolom parent_name: instansi induk 'Pemerintah Kota Entah' tidak ditemukan di "
        "registri maupun di berkas ini.",
        "Baris 6, kolom is_disadvantaged: nilai 'mungkin' tidak dikenal; isi 'ya' atau 'tidak'.",
        "Baris 6, kolom region_code: kode wilayah '99.99' tidak ada di registri wilayah "
        "(contoh: 13.76 untuk Kota Payakumbuh).",
        "Baris 7, kolom region_code: Wilayah Kota Payakumbuh sudah memiliki instansi "
        "'Pemerintah Kota Payakumbuh'; satu wilayah hanya memiliki satu pemerintah daerah.",
    ]
    assert Institution.objects.count() == 1


def test_an_existing_name_updates_it_and_absent_columns_keep_their_values(
    secretariat, institution_a
):
    Institution.objects.filter(pk=institution_a.pk).update(
        official_email_domain="payakumbuhkota.go.id"
    )
    upload = csv_file(
        "name,kind,short_name,is_disadvantaged\nPEMERINTAH KOTA PAYAKUMBUH,city,Payakumbuh,ya\n"
    )
    result = registry_io.import_institutions(upload, actor=secretariat)
    assert (result.created, result.updated) == (0, 1)
    institution_a.refresh_from_db()
    assert institution_a.name == "PEMERINTAH KOTA PAYAKUMBUH"
    assert institution_a.short_name == "Payakumbuh"
    assert institution_a.is_disadvantaged
    assert institution_a.region.code == "13.76"  # region_code column absent: kept
    assert institution_a.official_email_domain == "payakumbuhkota.go.id"
    entry = AuditEntry.objects.get(action="institution.updated")
    assert entry.reason == "Impor berkas instansi."


def test_only_the_secretariat_imports_institutions(admin_a):
    with pytest.raises(PermissionDenied):
        registry_io.import_institutions(
            csv_file(INSTITUTION_HEADER + "Kementerian A,ministry,,,,,,\n"), actor=admin_a
        )
    assert not Institution.objects.filter(name="Kementerian A").exists()


# --------------------------------------------------------------------- service units


def test_admin_lokal_imports_units_of_their_own_institution(admin_a, institution_a, unit_a):
    upload = csv_file(
        UNIT_HEADER + "Pemerintah Kota Payakumbuh,Puskesmas Ibuh,puskesmas,services,13.76,18.500,"
        "Jl. Soekarno-Hatta\n"
        + "Pemerintah Kota Payakumbuh,Dinas PUPR Kota Payakumbuh,dinas,services,,40000,\n"
    )
    result = registry_io.import_units(upload, actor=admin_a)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    ibuh = ServiceUnit.objects.get(name="Puskesmas Ibuh")
    assert ibuh.user_population == 18_500
    assert ibuh.kind == UnitKind.PUSKESMAS
    unit_a.refresh_from_db()
    assert unit_a.user_population == 40_000
    assert unit_a.service_type == "services"
    assert unit_a.region == institution_a.region  # empty region_code: the institution's


def test_admin_lokal_rows_for_another_institution_refuse_the_whole_file(
    admin_a, institution_a, institution_b
):
    upload = csv_file(
        UNIT_HEADER
        + "Pemerintah Kota Payakumbuh,Puskesmas Ibuh,puskesmas,services,,,\n"
        + "Pemerintah Kota Surabaya,Puskesmas Ketabang,puskesmas,services,,,\n"
        + "Pemerintah Kota Padang,Puskesmas Andalas,puskesmas,services,,,\n"
    )
    errors = import_errors(registry_io.import_units, upload, admin_a)
    assert errors == [
        "Baris 3, kolom institution_name: Anda hanya dapat mengimpor unit untuk instansi yang "
        "Anda kelola; 'Pemerintah Kota Surabaya' bukan salah satunya.",
        "Baris 4, kolom institution_name: instansi 'Pemerintah Kota Padang' tidak ditemukan di "
        "registri; tulis namanya persis seperti di daftar instansi.",
    ]
    assert not ServiceUnit.objects.exists()


def test_unit_rows_are_checked_against_the_file_and_the_domain(secretariat, institution_a, regions):
    upload = csv_file(
        UNIT_HEADER
        + "Pemerintah Kota Payakumbuh,Puskesmas Ibuh,klinik,services,,,\n"
        + "Pemerintah Kota Payakumbuh,Samsat Payakumbuh,samsat,services,35.78,,\n"
        + "Pemerintah Kota Payakumbuh,Kecamatan Latina,kecamatan,administrative,,-5,\n"
        + "Pemerintah Kota Payakumbuh,kecamatan latina,kecamatan,administrative,,,\n"
    )
    errors = import_errors(registry_io.import_units, upload, secretariat)
    assert errors == [
        "Baris 2, kolom kind: nilai 'klinik' tidak dikenal; pilih salah satu: dinas, badan, "
        "biro, puskesmas, rsud, kecamatan, kelurahan, samsat, mpp, kantor, sekolah, lainnya.",
        "Baris 3, kolom region_code: Unit milik Pemerintah Kota Payakumbuh harus berada di "
        "wilayah Kota Payakumbuh (13.76).",
        "Baris 4, kolom user_population: nilai -5 tidak boleh kurang dari 0.",
        "Baris 5, kolom name: unit 'kecamatan latina' milik Pemerintah Kota Payakumbuh sudah ada "
        "di baris 4.",
    ]
    assert not ServiceUnit.objects.exists()


def test_operators_cannot_import_units(operator_a):
    with pytest.raises(PermissionDenied):
        registry_io.import_units(
            csv_file(UNIT_HEADER + "Pemerintah Kota Payakumbuh,X,dinas,services,,,\n"),
            actor=operator_a,
        )


# ---------------------------------------------------------------- round trip, templates


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged_then_applies_an_edit(fmt, secretariat, regions):
    city = InstitutionFactory(
        kind=InstitutionKind.CITY,
        name="Pemerintah Kota Surabaya",
        short_name="-Surabaya",  # starts like a formula: guarded in the file, restored on import
        region=regions["surabaya"],
        official_email_domain="surabaya.go.id",
    )
    InstitutionFactory(
        kind=InstitutionKind.REGIONAL_ENTERPRISE,
        name="PDAM Surya Sembada",
        parent=city,
        region=city.region,
        is_disadvantaged=False,
    )
    InstitutionFactory(kind=InstitutionKind.AGENCY, name="Badan Pusat Statistik", region=None)
    ServiceUnitFactory(institution=city, name="RSUD dr. Mohamad Soewandhie", user_population=None)
    ServiceUnitFactory(institution=city, name="Dinas Kependudukan", address="Jl. Tunjungan 1")

    institutions = registry_io.export_institutions(Institution.objects.order_by("name"), fmt)
    units = registry_io.export_units(ServiceUnit.objects.order_by("name"), fmt)
    entries = AuditEntry.objects.count()

    again = registry_io.import_institutions(
        SimpleUploadedFile(f"instansi.{fmt}", institutions.content), actor=secretariat
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    again = registry_io.import_units(
        SimpleUploadedFile(f"unit.{fmt}", units.content), actor=secretariat
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.count() == entries

    if fmt == "csv":
        edited = units.content.decode("utf-8-sig").replace("Jl. Tunjungan 1", "Jl. Tunjungan 9")
        result = registry_io.import_units(
            SimpleUploadedFile("unit.csv", edited.encode("utf-8")), actor=secretariat
        )
        assert (result.updated, result.unchanged) == (1, 1)
        assert ServiceUnit.objects.get(name="Dinas Kependudukan").address == "Jl. Tunjungan 9"


def test_exports_have_exactly_the_import_columns(institution_a, unit_a):
    response = registry_io.export_institutions(Institution.objects.all(), "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert list(rows[0]) == [c.name for c in registry_io.INSTITUTION_COLUMNS]
    assert list(rows[1]) == [
        "Pemerintah Kota Payakumbuh",
        "city",
        "Kota Payakumbuh",
        "13.76",
        None,
        "tidak",
        "tidak",
        None,
    ]
    response = registry_io.export_units(ServiceUnit.objects.all(), "csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == UNIT_HEADER.strip()
    assert lines[1].startswith("Pemerintah Kota Payakumbuh,Dinas PUPR Kota Payakumbuh,dinas,")


@pytest.mark.parametrize("which", ["instansi", "unit"])
def test_templates_carry_the_header_and_a_guide(which):
    columns = registry_io.TEMPLATES[which]
    response = registry_io.template_response(which, "xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Data", "Petunjuk"]
    assert [c.value for c in workbook["Data"][1]] == [c.name for c in columns]
    guide = {row[0]: row for row in workbook["Petunjuk"].iter_rows(min_row=2, values_only=True)}
    assert guide["kind"][1] == "ya"
    # The blank template is read by the importer as "header only", so its header is right.
    with pytest.raises(TableError, match="hanya berisi judul kolom"):
        read_table(
            SimpleUploadedFile("t.xlsx", response.content),
            required=[c.name for c in columns if c.required],
            optional=[c.name for c in columns if not c.required],
        )
    csv_template = registry_io.template_response(which, "csv")
    assert csv_template.content.decode("utf-8-sig").strip() == ",".join(c.name for c in columns)
