"""Hub pages (Simpul JIPP): the public list and detail, the export, and the secretariat's
create, edit, delete and member pages."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from prima.core.models import AuditEntry
from prima.innovations.enums import LinkStatus
from prima.innovations.models import JippHub
from tests.conftest import client_for
from tests.factories import InnovationFactory, ReplicationLinkFactory, ServiceUnitFactory
from tests.innovations.hub_factories import hub, ministry, province, regency


def _published(institution, name):
    return InnovationFactory(
        unit=ServiceUnitFactory(institution=institution), name=name, is_published=True
    )


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def _upload(text, name="anggota.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# --------------------------------------------------------------------------- public list


def test_the_public_list_shows_each_hub_with_its_figures(
    sumbar, jatim, institution_a, institution_b
):
    hub(sumbar, members=[institution_a], universities=["Universitas Andalas"])
    hub(jatim, decree_ref="KepmenPANRB 359/2021", year=2021, members=[institution_b])
    source = _published(institution_b, "Klampid")
    replica = _published(institution_a, "SITARANG")
    ReplicationLinkFactory(replica=replica, source=source, status=LinkStatus.VERIFIED)

    response = client_for(None).get(reverse("jipp_hub_list"))

    assert response.status_code == 200
    rows = {hub.province.name: hub for hub in response.context["hubs"]}
    assert (rows["Sumatera Barat"].n_members, rows["Sumatera Barat"].n_links) == (1, 1)
    assert (rows["Jawa Timur"].n_published, rows["Jawa Timur"].n_links) == (1, 0)
    text = response.content.decode()
    assert "KepmenPANRB 359/2021" in text
    assert "Universitas Andalas" in text
    assert reverse("jipp_hub_create") not in text  # no management links for the public


def test_the_secretariat_sees_the_management_links(secretariat, sumbar):
    made = hub(sumbar)
    text = client_for(secretariat).get(reverse("jipp_hub_list")).content.decode()
    for name in ("jipp_hub_edit", "jipp_hub_members", "jipp_hub_delete"):
        assert reverse(name, args=[made.pk]) in text
    assert reverse("jipp_hub_create") in text


@pytest.mark.parametrize("url_name", ["jipp_hub_list", "jipp_hub_export"])
def test_the_list_and_export_take_a_fixed_number_of_queries(
    django_assert_num_queries, sumbar, institution_a, url_name
):
    client = client_for(None)
    hub(sumbar, members=[institution_a])
    with django_assert_num_queries(1):
        client.get(reverse(url_name))
    for code, name in (("35", "Jawa Timur"), ("51", "Bali"), ("61", "Kalimantan Barat")):
        member = regency(f"{code}.01", f"Kabupaten {name}")
        hub(province(code, name), members=[member])
        _published(member, f"Inovasi {name}")
    with django_assert_num_queries(1):
        client.get(reverse(url_name))


def test_the_export_has_the_list_rows_as_csv_and_xlsx(sumbar, institution_a):
    hub(sumbar, members=[institution_a], universities=["Universitas Andalas", "UNP"])
    _published(institution_a, "SITARANG")

    response = client_for(None).get(reverse("jipp_hub_export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["provinsi", "kode_provinsi", "keputusan", "tahun"]
    assert rows[1] == [
        "Sumatera Barat",
        "13",
        "KepmenPANRB 94/2020",
        "2020",
        "1",
        "Universitas Andalas; UNP",
        "1",
        "0",
    ]

    xlsx = client_for(None).get(reverse("jipp_hub_export") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert [cell.value for cell in sheet[2]][:4] == [
        "Sumatera Barat",
        "13",
        "KepmenPANRB 94/2020",
        2020,
    ]


# --------------------------------------------------------------------------- public detail


def test_the_detail_lists_members_and_their_published_innovations(sumbar, institution_a):
    closed = regency("13.07", "Kabupaten Lama")
    closed.is_active = False
    closed.save()
    made = hub(sumbar, members=[institution_a, closed])
    shown = _published(institution_a, "SITARANG")
    InnovationFactory(unit=ServiceUnitFactory(institution=institution_a), name="Draf Rahasia")

    response = client_for(None).get(reverse("jipp_hub_detail", args=[made.pk]))

    assert response.status_code == 200
    text = response.content.decode()
    assert reverse("institution_detail", args=[institution_a.pk]) in text
    # An inactive institution has no public page: named, not linked.
    assert "Pemerintah Kabupaten Lama" in text
    assert reverse("institution_detail", args=[closed.pk]) not in text
    assert reverse("public_innovation_detail", args=[shown.pk]) in text
    assert "Draf Rahasia" not in text


def test_an_unknown_hub_is_404(db):
    assert client_for(None).get(reverse("jipp_hub_detail", args=[999])).status_code == 404


def test_the_detail_takes_a_fixed_number_of_queries(
    django_assert_num_queries, sumbar, institution_a
):
    made = hub(sumbar, members=[institution_a])
    _published(institution_a, "SITARANG")
    client = client_for(None)
    url = reverse("jipp_hub_detail", args=[made.pk])
    with django_assert_num_queries(3) as small:  # hub with figures, members, innovations
        client.get(url)
    for code in ("13.06", "13.07", "13.08"):
        member = regency(code, f"Kabupaten {code}")
        made.members.add(member)
        _published(member, f"Inovasi {code}")
        _published(member, f"Inovasi kedua {code}")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


# --------------------------------------------------------------------------- create / edit


def test_the_secretariat_creates_a_hub(secretariat, sumbar):
    client = client_for(secretariat)
    assert client.get(reverse("jipp_hub_create")).status_code == 200

    response = client.post(
        reverse("jipp_hub_create"),
        {
            "province": sumbar.pk,
            "decree_ref": "KepmenPANRB 94/2020",
            "year": 2020,
            "universities": "Universitas Andalas\n\n Universitas Negeri Padang \n",
        },
    )

    made = JippHub.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jipp_hub_members", args=[made.pk])
    assert made.universities == ["Universitas Andalas", "Universitas Negeri Padang"]
    assert AuditEntry.objects.filter(action="jipp.hub.created").count() == 1


def test_a_refused_create_shows_the_reason_and_writes_nothing(secretariat, sumbar):
    response = client_for(secretariat).post(
        reverse("jipp_hub_create"),
        {"province": sumbar.pk, "decree_ref": "SK", "year": 2020, "universities": "UNAND\nunand"},
    )
    assert response.status_code == 200
    assert "tertulis dua kali" in response.content.decode()
    assert not JippHub.objects.exists()


def test_a_province_with_a_hub_is_not_offered_again(secretariat, sumbar, jatim):
    hub(sumbar)
    form = client_for(secretariat).get(reverse("jipp_hub_create")).context["form"]
    assert list(form.fields["province"].queryset) == [jatim]


def test_the_secretariat_edits_a_hub(secretariat, sumbar):
    made = hub(sumbar)
    client = client_for(secretariat)
    page = client.get(reverse("jipp_hub_edit", args=[made.pk]))
    assert page.context["form"].initial["decree_ref"] == "KepmenPANRB 94/2020"

    response = client.post(
        reverse("jipp_hub_edit", args=[made.pk]),
        {"province": sumbar.pk, "decree_ref": "KepmenPANRB 94/2020", "year": 2021},
    )

    assert response.status_code == 302
    made.refresh_from_db()
    assert made.year == 2021
    assert AuditEntry.objects.filter(action="jipp.hub.updated").count() == 1


def test_a_refused_edit_changes_nothing(secretariat, sumbar):
    made = hub(sumbar)
    response = client_for(secretariat).post(
        reverse("jipp_hub_edit", args=[made.pk]),
        {"province": sumbar.pk, "decree_ref": "KepmenPANRB 94/2020", "year": 2099},
    )
    assert response.status_code == 200
    assert "Tahun penetapan harus antara 2000" in response.content.decode()
    made.refresh_from_db()
    assert made.year == 2020


def test_delete_asks_first_then_deletes(secretariat, sumbar, institution_a):
    made = hub(sumbar, members=[institution_a])
    client = client_for(secretariat)
    url = reverse("jipp_hub_delete", args=[made.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "1 instansi anggota" in page.content.decode()
    assert JippHub.objects.exists()

    response = client.post(url)
    assert response.status_code == 302
    assert not JippHub.objects.exists()
    assert AuditEntry.objects.filter(action="jipp.hub.deleted").count() == 1


# --------------------------------------------------------------------------- members


def test_members_are_added_from_the_province_and_removed(secretariat, sumbar, institution_a):
    made = hub(sumbar)
    client = client_for(secretariat)
    page = client.get(reverse("jipp_hub_members", args=[made.pk]))
    assert institution_a in page.context["add_form"].fields["institution"].queryset

    added = client.post(
        reverse("jipp_hub_member_add", args=[made.pk]), {"institution": institution_a.pk}
    )
    assert added.status_code == 302
    assert list(made.members.all()) == [institution_a]

    removed = client.post(reverse("jipp_hub_member_remove", args=[made.pk, institution_a.pk]))
    assert removed.status_code == 302
    assert not made.members.exists()
    assert AuditEntry.objects.filter(action="jipp.hub.members_changed").count() == 2


def test_an_institution_of_another_province_cannot_be_added(secretariat, sumbar, institution_b):
    made = hub(sumbar)
    response = client_for(secretariat).post(
        reverse("jipp_hub_member_add", args=[made.pk]), {"institution": institution_b.pk}
    )
    assert response.status_code == 200
    assert response.context["add_form"].errors["institution"]
    assert not made.members.exists()


def test_removing_a_non_member_says_so(secretariat, sumbar, institution_a):
    made = hub(sumbar)
    response = client_for(secretariat).post(
        reverse("jipp_hub_member_remove", args=[made.pk, institution_a.pk]), follow=True
    )
    assert any("bukan anggota simpul" in m for m in _messages(response))


def test_a_members_file_adds_institutions(secretariat, sumbar, institution_a):
    agam = regency("13.06", "Kabupaten Agam")
    made = hub(sumbar, members=[institution_a])
    text = f"instansi;catatan\n{agam.pk};kabupaten\n"

    response = client_for(secretariat).post(
        reverse("jipp_hub_members_import", args=[made.pk]), {"file": _upload(text)}, follow=True
    )

    assert set(made.members.all()) == {institution_a, agam}
    assert any("1 instansi ditambahkan, 0 dikeluarkan, 1 tetap" in m for m in _messages(response))


def test_a_members_file_can_replace_the_list(secretariat, sumbar, institution_a):
    agam = regency("13.06", "Kabupaten Agam")
    made = hub(sumbar, members=[institution_a])
    client_for(secretariat).post(
        reverse("jipp_hub_members_import", args=[made.pk]),
        {"file": _upload("instansi\npemerintah  kabupaten agam\n"), "replace": "on"},
    )
    assert list(made.members.all()) == [agam]


def test_a_members_file_with_bad_rows_changes_nothing(
    secretariat, sumbar, institution_a, institution_b
):
    agam = regency("13.06", "Kabupaten Agam")
    made = hub(sumbar)
    text = (
        f"instansi\n{agam.pk}\nPemerintah Kota Surabaya\nDinas Tidak Ada\n"
        f"{agam.name}\n\nKementerian Kesehatan\n"
    )
    ministry()

    response = client_for(secretariat).post(
        reverse("jipp_hub_members_import", args=[made.pk]), {"file": _upload(text)}, follow=True
    )

    assert not made.members.exists()
    shown = _messages(response)
    assert shown[0].startswith("Berkas tidak diterapkan")
    assert any(
        m.startswith("Baris 3, kolom instansi: Pemerintah Kota Surabaya tidak berada")
        for m in shown
    )
    assert any(m.startswith("Baris 4, kolom instansi: instansi 'Dinas Tidak Ada'") for m in shown)
    assert any(m.startswith("Baris 5, kolom instansi:") and "baris 2" in m for m in shown)
    assert any(
        m.startswith("Baris 7, kolom instansi: Kementerian Kesehatan adalah instansi pusat")
        for m in shown
    )
    assert not AuditEntry.objects.filter(action="jipp.hub.members_changed").exists()


def test_the_members_page_takes_a_fixed_number_of_queries(
    django_assert_num_queries, secretariat, sumbar, institution_a
):
    made = hub(sumbar, members=[institution_a])
    regency("13.05", "Kabupaten Candidate")
    client = client_for(secretariat)
    url = reverse("jipp_hub_members", args=[made.pk])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for code in ("13.06", "13.07", "13.08"):
        made.members.add(regency(code, f"Kabupaten {code}"))
        regency(code.replace("13.0", "13.1"), f"Kabupaten calon {code}")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
