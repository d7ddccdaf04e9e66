"""The service catalogue pages: what people see, the errors they get, and fixed query counts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prima.core.models import Service
from tests.conftest import client_for
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_the_unit_page_links_to_its_services(operator_a, unit_a):
    page = client_for(operator_a).get(reverse("unit_detail", args=[unit_a.pk])).content.decode()
    assert reverse("unit_services", args=[unit_a.pk]) in page


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_costs_the_same_whatever_its_length(
    operator_a, unit_a, count, django_assert_num_queries
):
    ServiceFactory.create_batch(count, unit=unit_a)
    client = client_for(operator_a)
    client.get(reverse("unit_services", args=[unit_a.pk]))  # warm the session
    with django_assert_num_queries(6):
        response = client.get(reverse("unit_services", args=[unit_a.pk]))
    assert response.content.decode().count("<code>LAYANAN-") == count


def test_the_list_filters_by_status_and_words(operator_a, unit_a):
    ServiceFactory(unit=unit_a, code="KK-BARU", name="Kartu Keluarga baru")
    ServiceFactory(unit=unit_a, code="KTP-EL", name="KTP elektronik", is_active=False)
    client = client_for(operator_a)
    url = reverse("unit_services", args=[unit_a.pk])

    assert "KTP-EL" not in client.get(url, {"status": "active"}).content.decode()
    inactive = client.get(url, {"status": "inactive"}).content.decode()
    assert "KTP-EL" in inactive and "KK-BARU" not in inactive
    assert "KK-BARU" not in client.get(url, {"q": "elektronik"}).content.decode()


def test_adding_a_service_shows_the_domain_s_refusal_on_the_field(operator_a, unit_a):
    ServiceFactory(unit=unit_a, code="KK-BARU")
    client = client_for(operator_a)
    url = reverse("unit_service_create", args=[unit_a.pk])

    refused = client.post(url, {"code": "kk-baru", "name": "Lagi"})
    assert refused.status_code == 200
    assert "sudah dipakai" in refused.content.decode()
    added = client.post(url, {"code": "ktp-el", "name": "KTP elektronik"})
    assert added.status_code == 302
    assert Service.objects.filter(unit=unit_a, code="KTP-EL").exists()


def test_the_edit_form_keeps_the_code(operator_a, unit_a):
    service = ServiceFactory(unit=unit_a, code="KK-BARU", name="KK")
    client = client_for(operator_a)
    url = reverse("unit_service_update", args=[unit_a.pk, service.pk])
    page = client.get(url).content.decode()
    assert 'value="KK-BARU"' in page and "disabled" in page

    client.post(
        url,
        {"code": "LAIN", "name": "Kartu Keluarga", "version": service.updated_at.isoformat()},
    )
    service.refresh_from_db()
    assert (service.code, service.name) == ("KK-BARU", "Kartu Keluarga")


def test_a_stale_edit_is_shown_not_saved(operator_a, unit_a):
    service = ServiceFactory(unit=unit_a, code="KK-BARU", name="KK")
    url = reverse("unit_service_update", args=[unit_a.pk, service.pk])
    response = client_for(operator_a).post(
        url, {"name": "Baru", "version": "2020-01-01T00:00:00+00:00"}
    )
    assert "telah diubah orang lain" in response.content.decode()
    service.refresh_from_db()
    assert service.name == "KK"


def test_a_service_of_another_unit_is_not_found_under_this_one(secretariat, unit_a, unit_b):
    other = ServiceFactory(unit=unit_b)
    url = reverse("unit_service_update", args=[unit_a.pk, other.pk])
    assert client_for(secretariat).get(url).status_code == 404


def test_the_import_page_lists_every_problem_and_applies_nothing(operator_a, unit_a):
    upload = SimpleUploadedFile("l.csv", b"code,name\nKK BARU,KK\nKTP-EL,\n")
    response = client_for(operator_a).post(
        reverse("unit_service_import", args=[unit_a.pk]), {"file": upload}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Baris 2, kolom code" in page and "Baris 3, kolom name: wajib diisi." in page
    assert not Service.objects.exists()


def test_the_export_reimports_unchanged(operator_a, unit_a):
    ServiceFactory(unit=unit_a, code="KK-BARU", name="Kartu Keluarga baru")
    ServiceFactory(unit=unit_a, code="KTP-EL", name="KTP elektronik", is_active=False)
    client = client_for(operator_a)
    exported = client.get(reverse("unit_service_export", args=[unit_a.pk]), {"format": "csv"})
    text = exported.content.decode("utf-8-sig")
    assert text.splitlines() == [
        "code,name,is_active",
        "KK-BARU,Kartu Keluarga baru,ya",
        "KTP-EL,KTP elektronik,tidak",
    ]
    upload = SimpleUploadedFile("l.csv", exported.content)
    response = client.post(reverse("unit_service_import", args=[unit_a.pk]), {"file": upload})
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "0 layanan baru, 0 diperbarui, 2 tidak berubah" in follow


def test_the_xlsx_template_explains_the_columns(operator_a, unit_a):
    response = client_for(operator_a).get(
        reverse("unit_service_import_template", args=[unit_a.pk, "xlsx"])
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    missing = client_for(operator_a).get(
        reverse("unit_service_import_template", args=[unit_a.pk, "pdf"])
    )
    assert missing.status_code == 404
