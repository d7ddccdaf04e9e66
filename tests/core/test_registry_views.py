"""Registry pages as people use them: public institution lists, unit pages, forms, imports."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from prima.core.enums import InstitutionKind, RegionLevel, UnitKind
from prima.core.models import AuditEntry, Institution, ServiceUnit
from tests.factories import InstitutionFactory, RegionFactory, ServiceUnitFactory
from tests.jobs import followed_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def ntt(db):
    RegionFactory(code="53", name="Nusa Tenggara Timur", level=RegionLevel.PROVINCE)
    belu = RegionFactory(code="53.04", name="Kabupaten Belu", level=RegionLevel.REGENCY)
    return InstitutionFactory(
        kind=InstitutionKind.REGENCY,
        name="Pemerintah Kabupaten Belu",
        short_name="Kab. Belu",
        region=belu,
        is_disadvantaged=True,
        is_border=True,
    )


def text(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------------- institutions


def test_anyone_browses_institutions_with_filters(as_client, institution_a, institution_b, ntt):
    Institution.objects.create(kind=InstitutionKind.MINISTRY, name="Kementerian Kesehatan")
    client = as_client(None)
    page = text(client.get(reverse("institution_list")))
    for name in (
        "Pemerintah Kota Payakumbuh",
        "Kementerian Kesehatan",
        "Pemerintah Kabupaten Belu",
    ):
        assert name in page
    assert "Nusa Tenggara Timur" in page  # province names, not codes

    page = text(client.get(reverse("institution_list"), {"kind": "ministry"}))
    assert "Kementerian Kesehatan" in page and "Payakumbuh" not in page

    page = text(client.get(reverse("institution_list"), {"province": "35"}))
    assert "Surabaya" in page and "Payakumbuh" not in page and "Belu" not in page

    page = text(client.get(reverse("institution_list"), {"disadvantaged": "on", "border": "on"}))
    assert "Pemerintah Kabupaten Belu" in page and "Surabaya" not in page

    page = text(client.get(reverse("institution_list"), {"q": "kota payakumbuh"}))
    assert "Pemerintah Kota Payakumbuh" in page and "Surabaya" not in page


def test_institutions_sort_and_paginate_by_fifty(as_client):
    for n in range(52):
        Institution.objects.create(kind=InstitutionKind.AGENCY, name=f"Lembaga {n:02d}")
    client = as_client(None)
    first = text(client.get(reverse("institution_list"), {"sort": "-name"}))
    assert "Lembaga 51" in first and "Lembaga 01" not in first
    assert "Halaman 1 dari 2" in first
    assert 'aria-sort="descending"' in first
    second = text(client.get(reverse("institution_list"), {"sort": "-name", "page": 2}))
    assert "Lembaga 01" in second and "Lembaga 00" in second and "Lembaga 51" not in second


def test_institution_list_costs_the_same_queries_for_one_row_or_many(
    as_client, institution_a, django_assert_num_queries
):
    client = as_client(None)
    with django_assert_num_queries(3):  # provinces, count, page
        assert "Payakumbuh" in text(client.get(reverse("institution_list")))
    for n in range(6):
        unit_owner = InstitutionFactory(name=f"Pemerintah Kota Uji {n}")
        ServiceUnitFactory(institution=unit_owner)
    with django_assert_num_queries(3):
        assert "Pemerintah Kota Uji 5" in text(client.get(reverse("institution_list")))


def test_export_contains_the_filtered_list_only(as_client, institution_a, institution_b):
    response = as_client(None).get(
        reverse("institution_export"), {"format": "xlsx", "province": "13"}
    )
    assert response["Content-Disposition"].startswith('attachment; filename="instansi-')
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert [r[0] for r in rows[1:]] == ["Pemerintah Kota Payakumbuh"]
    assert as_client(None).get(reverse("institution_export"), {"format": "pdf"}).status_code == 404


def test_public_detail_shows_facts_and_unit_count_but_not_units(
    as_client, institution_a, unit_a, admin_a, operator_b, secretariat
):
    ServiceUnitFactory(institution=institution_a, name="Puskesmas Tutup", is_active=False)
    url = reverse("institution_detail", args=[institution_a.pk])
    page = text(as_client(None).get(url))
    assert "Pemerintah Kota" in page and "13.76" in page
    assert "Unit pelayanan aktif" in page
    assert "Dinas PUPR Kota Payakumbuh" not in page
    assert "Dinas PUPR Kota Payakumbuh" not in text(as_client(operator_b).get(url))
    for member in (admin_a, secretariat):
        page = text(as_client(member).get(url))
        assert "Dinas PUPR Kota Payakumbuh" in page and "Puskesmas Tutup" in page


def test_inactive_institutions_are_hidden_from_the_public(as_client, institution_a, secretariat):
    Institution.objects.filter(pk=institution_a.pk).update(is_active=False)
    url = reverse("institution_detail", args=[institution_a.pk])
    assert as_client(None).get(url).status_code == 404
    assert "Nonaktif" in text(as_client(secretariat).get(url))
    assert "Payakumbuh" not in text(as_client(None).get(reverse("institution_list")))


def test_secretariat_registers_and_edits_an_institution(as_client, secretariat, region_a, ntt):
    client = as_client(secretariat)
    response = client.post(
        reverse("institution_create"),
        {"name": "Kementerian Sosial", "kind": "ministry", "short_name": "Kemensos"},
    )
    ministry = Institution.objects.get(name="Kementerian Sosial")
    assert response.url == reverse("institution_detail", args=[ministry.pk])

    response = client.post(
        reverse("institution_create"),
        {"name": "Pemerintah Kota Belu", "kind": "city", "region": ntt.region_id},
    )
    assert response.status_code == 200
    assert "bertingkat kabupaten" in text(response)
    assert not Institution.objects.filter(name="Pemerintah Kota Belu").exists()

    edit = reverse("institution_update", args=[ministry.pk])
    version = client.get(edit).context["form"].initial["version"]
    client.post(
        edit,
        {
            "name": "Kementerian Sosial",
            "kind": "ministry",
            "short_name": "Kemsos",
            "version": version,
        },
    )
    ministry.refresh_from_db()
    assert ministry.short_name == "Kemsos"
    stale = client.post(
        edit,
        {"name": "Kementerian Sosial", "kind": "ministry", "short_name": "X", "version": version},
    )
    assert "telah diubah orang lain" in text(stale)
    ministry.refresh_from_db()
    assert ministry.short_name == "Kemsos"


def test_secretariat_deactivates_an_institution_with_a_reason(
    as_client, secretariat, institution_a, unit_a
):
    client = as_client(secretariat)
    url = reverse("institution_deactivate", args=[institution_a.pk])
    client.post(url, {"reason": ""})
    institution_a.refresh_from_db()
    assert institution_a.is_active
    response = client.post(url, {"reason": "Data ganda"}, follow=True)
    assert "1 unit aktif ikut dinonaktifkan" in text(response)
    unit_a.refresh_from_db()
    assert not unit_a.is_active
    client.post(reverse("institution_reactivate", args=[institution_a.pk]))
    institution_a.refresh_from_db()
    assert institution_a.is_active


# --------------------------------------------------------------------- service units


def test_unit_list_is_scoped_to_what_the_person_may_see(
    as_client, operator_a, evaluator, secretariat, unit_a, unit_b
):
    page = text(as_client(operator_a).get(reverse("unit_list")))
    assert "Dinas PUPR Kota Payakumbuh" in page
    assert "Dinas Kependudukan Kota Surabaya" not in page
    page = text(as_client(secretariat).get(reverse("unit_list")))
    assert "Dinas PUPR Kota Payakumbuh" in page and "Dinas Kependudukan Kota Surabaya" in page
    page = text(as_client(evaluator).get(reverse("unit_list")))
    assert "Tidak ada unit pelayanan" in page


def test_unit_list_filters_and_export(as_client, secretariat, institution_a, unit_a, unit_b):
    ServiceUnitFactory(institution=institution_a, name="Puskesmas Ibuh", kind=UnitKind.PUSKESMAS)
    ServiceUnitFactory(
        institution=institution_a, name="Puskesmas Lama", kind=UnitKind.PUSKESMAS, is_active=False
    )
    client = as_client(secretariat)
    page = text(client.get(reverse("unit_list"), {"kind": "puskesmas"}))
    assert "Puskesmas Ibuh" in page and "Dinas PUPR" not in page and "Puskesmas Lama" not in page
    page = text(client.get(reverse("unit_list"), {"kind": "puskesmas", "status": "all"}))
    assert "Puskesmas Lama" in page
    page = text(client.get(reverse("unit_list"), {"province": "35"}))
    assert "Dinas Kependudukan Kota Surabaya" in page and "Dinas PUPR" not in page
    page = text(client.get(reverse("unit_list"), {"institution": institution_a.pk, "q": "ibuh"}))
    assert "Puskesmas Ibuh" in page and "Dinas PUPR" not in page
    response = client.get(
        reverse("unit_export"), {"format": "csv", "institution": institution_a.pk}
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("institution_name,name,kind")
    assert sorted(line.split(",")[1] for line in lines[1:]) == [
        "Dinas PUPR Kota Payakumbuh",
        "Puskesmas Ibuh",
    ]


def test_unit_export_is_scoped_too(as_client, operator_a, unit_a, unit_b):
    response = as_client(operator_a).get(reverse("unit_export"), {"format": "csv"})
    content = response.content.decode("utf-8-sig")
    assert "Dinas PUPR Kota Payakumbuh" in content
    assert "Surabaya" not in content


def test_unit_list_costs_the_same_queries_for_one_row_or_many(
    as_client, secretariat, unit_a, django_assert_num_queries
):
    client = as_client(secretariat)
    # session, person, memberships, provinces, institution options, count, page
    with django_assert_num_queries(7):
        assert "Dinas PUPR" in text(client.get(reverse("unit_list")))
    for n in range(6):
        ServiceUnitFactory(name=f"Kantor Uji {n}")
    with django_assert_num_queries(7):
        assert "Kantor Uji 5" in text(client.get(reverse("unit_list")))


def test_admin_lokal_registers_a_unit_for_their_institution_only(
    as_client, admin_a, institution_a, institution_b
):
    client = as_client(admin_a)
    form = client.get(reverse("unit_create")).context["form"]
    assert list(form.fields["institution"].queryset) == [institution_a]
    response = client.post(
        reverse("unit_create"),
        {
            "institution": institution_a.pk,
            "name": "Mal Pelayanan Publik Payakumbuh",
            "kind": "mpp",
            "service_type": "administrative",
            "user_population": "25000",
        },
    )
    unit = ServiceUnit.objects.get(name="Mal Pelayanan Publik Payakumbuh")
    assert response.url == reverse("unit_detail", args=[unit.pk])
    assert unit.region == institution_a.region
    assert AuditEntry.objects.filter(action="unit.created", actor=admin_a).count() == 1

    response = client.post(
        reverse("unit_create"),
        {
            "institution": institution_b.pk,
            "name": "Titipan",
            "kind": "dinas",
            "service_type": "goods",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["institution"]
    assert not ServiceUnit.objects.filter(name="Titipan").exists()


def test_unit_form_shows_domain_refusals_on_the_field(as_client, admin_a, unit_a):
    response = as_client(admin_a).post(
        reverse("unit_create"),
        {
            "institution": unit_a.institution_id,
            "name": unit_a.name,
            "kind": "dinas",
            "service_type": "services",
        },
    )
    assert "sudah memiliki unit bernama" in " ".join(response.context["form"].errors["name"])


def test_admin_lokal_edits_and_closes_a_unit(as_client, admin_a, unit_a):
    client = as_client(admin_a)
    edit = reverse("unit_update", args=[unit_a.pk])
    initial = client.get(edit).context["form"].initial
    client.post(
        edit,
        {
            "institution": unit_a.institution_id,
            "name": unit_a.name,
            "kind": "dinas",
            "service_type": "goods",
            "region": unit_a.region_id,
            "user_population": "9000",
            "address": "Jl. Veteran 2",
            "version": initial["version"],
        },
    )
    unit_a.refresh_from_db()
    assert (unit_a.service_type, unit_a.user_population, unit_a.address) == (
        "goods",
        9000,
        "Jl. Veteran 2",
    )
    client.post(reverse("unit_deactivate", args=[unit_a.pk]), {"reason": "Dilebur ke MPP"})
    unit_a.refresh_from_db()
    assert not unit_a.is_active
    assert AuditEntry.objects.get(action="unit.deactivated").reason == "Dilebur ke MPP"


# -------------------------------------------------------------------------- imports


def test_import_page_lists_row_errors_and_changes_nothing(
    as_client, secretariat, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "instansi.csv",
        b"name;kind\nKementerian Kesehatan;ministry\nBadan X;lembaga\n",
    )
    client = as_client(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("institution_import"), {"file": upload})
    job = followed_job(response)
    page = text(client.get(response.url))
    assert job.state == "failed"
    assert "Berkas tidak diterapkan: 1 masalah ditemukan." in page
    assert "<td>3</td><td>kind</td><td>nilai &#x27;lembaga&#x27; tidak dikenal" in page
    assert f'href="{reverse("institution_import")}"' in page  # back to upload a fixed file
    assert not Institution.objects.exists()


def test_import_page_applies_a_valid_file_and_reports_counts(
    as_client, secretariat, institution_a, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "instansi.csv",
        b"name,kind,short_name\nKementerian Kesehatan,ministry,Kemenkes\n"
        b"Pemerintah Kota Payakumbuh,city,Payakumbuh\n",
    )
    client = as_client(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("institution_import"), {"file": upload})
    job = followed_job(response)
    assert job.state == "succeeded"
    assert (job.done, job.total) == (2, 2)
    assert (job.result["created"], job.result["updated"], job.result["unchanged"]) == (1, 1, 0)
    assert job.result["url"] == reverse("institution_list")
    page = text(client.get(response.url))
    assert "Impor instansi selesai: 1 baru, 1 diperbarui, 0 tidak berubah." in page
    assert Institution.objects.filter(name="Kementerian Kesehatan").exists()


def test_admin_lokal_imports_units_from_the_page(
    as_client, admin_a, institution_a, institution_b, django_capture_on_commit_callbacks
):
    content = (
        b"institution_name,name,kind,service_type\n"
        b"Pemerintah Kota Surabaya,Puskesmas Ketabang,puskesmas,services\n"
    )
    client = as_client(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("unit_import"), {"file": SimpleUploadedFile("u.csv", content)}
        )
    assert followed_job(response).state == "failed"
    assert "bukan salah satunya" in text(client.get(response.url))
    assert not ServiceUnit.objects.exists()

    own = (
        b"institution_name,name,kind,service_type\n"
        b"Pemerintah Kota Payakumbuh,Puskesmas Ibuh,puskesmas,services\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("unit_import"), {"file": SimpleUploadedFile("u.csv", own)})
    job = followed_job(response)
    assert (job.state, job.result["created"], job.result["url"]) == (
        "succeeded",
        1,
        reverse("unit_list"),
    )
    assert ServiceUnit.objects.get().name == "Puskesmas Ibuh"


def test_import_template_downloads(as_client):
    response = as_client(None).get(reverse("unit_import_template", args=["xlsx"]))
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Data", "Petunjuk"]
    assert as_client(None).get(reverse("unit_import_template", args=["pdf"])).status_code == 404


# --------------------------------------------------------------------------- regions


def test_region_list_filters_by_level_and_province(as_client, region_a, region_b):
    client = as_client(None)
    page = text(client.get(reverse("region_list"), {"level": "province"}))
    assert "Sumatera Barat" in page and "Jawa Timur" in page and "Kota Payakumbuh" not in page
    page = text(client.get(reverse("region_list"), {"province": "35", "level": "city"}))
    assert "Kota Surabaya" in page and "Payakumbuh" not in page
    page = text(client.get(reverse("region_list"), {"q": "13.7"}))
    assert "Kota Payakumbuh" in page and "Surabaya" not in page


def test_region_list_costs_the_same_queries_for_one_row_or_many(
    as_client, django_assert_num_queries
):
    RegionFactory(code="13", name="Sumatera Barat", level=RegionLevel.PROVINCE)
    client = as_client(None)
    with django_assert_num_queries(3):  # provinces, count, page
        assert "Sumatera Barat" in text(client.get(reverse("region_list")))
    for n in range(6):
        RegionFactory(code=f"13.{n + 1:02d}", name=f"Kabupaten Uji {n}", level=RegionLevel.REGENCY)
    with django_assert_num_queries(3):
        assert "Kabupaten Uji 5" in text(client.get(reverse("region_list")))
