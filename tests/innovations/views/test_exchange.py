"""The JIPPNas exchange pages: export, import result, stale list, requests, owners' page."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prima.core.models import AuditEntry
from prima.innovations.models import ReplicationLink, UpdateRequest
from tests.conftest import client_for
from tests.factories import InnovationFactory, ReplicationLinkFactory, ServiceUnitFactory
from tests.innovations.exchange_helpers import asked, make_stale

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale_pair(innovation_a, innovation_b):
    return make_stale(innovation_a), make_stale(innovation_b)


def test_the_data_page_lists_stale_innovations_with_their_last_request(
    secretariat, stale_pair, unit_a
):
    _a, b = stale_pair
    InnovationFactory(unit=unit_a, name="Baru Diperbarui")
    asked(b, secretariat, days_ago=3)
    page = client_for(secretariat).get(reverse("jipp_data")).content.decode()
    assert "SITARANG" in page and "Klampid New Generation" in page
    assert "Baru Diperbarui" not in page
    assert "data belum diperbarui" in page
    assert reverse("jipp_open_data") in page
    assert reverse("jipp_export") + "?format=csv&amp;part=edges" in page


def test_the_data_page_filters(secretariat, stale_pair):
    _a, _b = stale_pair
    response = client_for(secretariat).get(reverse("jipp_data"), {"provinsi": "13"})
    rows = [i.name for i in response.context["page"].object_list]
    assert rows == ["SITARANG"]


@pytest.mark.parametrize("size", [1, 4])
def test_the_data_page_reads_in_a_fixed_number_of_queries(
    secretariat, django_assert_num_queries, size
):
    for _ in range(size):
        innovation = make_stale(InnovationFactory(unit=ServiceUnitFactory()))
        asked(innovation, secretariat, days_ago=10)
    client = client_for(secretariat)
    client.get(reverse("jipp_data"))  # warm the session
    # session, user, memberships; page count + rows; institutions; provinces; four counts
    with django_assert_num_queries(11):
        response = client.get(reverse("jipp_data"))
    assert len(response.context["page"].object_list) == size


def test_sending_requests_for_the_ticked_rows(
    secretariat, admin_a, operator_a, operator_b, stale_pair, django_capture_on_commit_callbacks
):
    a, _b = stale_pair
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretariat).post(
            reverse("jipp_request_updates"),
            {"innovation": [a.pk], "message": "Mohon perbarui", "provinsi": "13"},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("jipp_data") + "?provinsi=13"
    assert list(UpdateRequest.objects.values_list("innovation_id", flat=True)) == [a.pk]
    assert {m.to[0] for m in mail.outbox} == {"admin_a@contoh.go.id", "operator_a@contoh.go.id"}


def test_select_all_sends_to_every_filtered_row_and_reports_skipped_ones(
    secretariat, stale_pair, unit_b
):
    _a, b = stale_pair
    c = make_stale(InnovationFactory(unit=unit_b, name="Sapa Warga"))
    asked(c, secretariat, days_ago=2)
    client = client_for(secretariat)
    response = client.post(
        reverse("jipp_request_updates"),
        {"semua": "1", "provinsi": "35", "message": ""},
        follow=True,
    )
    requested = set(UpdateRequest.objects.values_list("innovation_id", flat=True))
    assert requested == {b.pk, c.pk}  # c only from before; a is outside the filter
    assert UpdateRequest.objects.filter(innovation=c).count() == 1
    text = response.content.decode()
    assert "Permintaan pembaruan dikirim untuk 1 inovasi" in text
    assert "1 inovasi dilewati karena sudah diminta dalam 7 hari terakhir: Sapa Warga" in text


def test_sending_with_nothing_ticked_changes_nothing(secretariat, stale_pair):
    response = client_for(secretariat).post(
        reverse("jipp_request_updates"), {"message": "Halo"}, follow=True
    )
    assert "Pilih minimal satu inovasi." in response.content.decode()
    assert not UpdateRequest.objects.exists()


def test_a_fresh_innovation_cannot_be_asked_from_the_page(secretariat, innovation_a):
    client_for(secretariat).post(reverse("jipp_request_updates"), {"innovation": [innovation_a.pk]})
    assert not UpdateRequest.objects.exists()


def test_the_import_page_shows_counts(secretariat, innovation_a, innovation_b):
    content = (
        f"source_id,replica_id,replicated_on\n{innovation_a.pk},{innovation_b.pk},2022-01-01\n"
    )
    response = client_for(secretariat).post(
        reverse("jipp_import"), {"file": SimpleUploadedFile("edges.csv", content.encode())}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Berkas diterapkan." in text and "Tautan baru: 1" in text
    assert ReplicationLink.objects.get().origin == "jipp_import"


def test_the_import_page_lists_every_problem_and_writes_nothing(
    secretariat, innovation_a, innovation_b
):
    a, b = innovation_a, innovation_b
    content = (
        "source_id;replica_id;replicated_on\n"
        f"{a.pk};{b.pk};2022-01-01\n{b.pk};{a.pk};2022-01-01\n{a.pk};{a.pk};2022-01-01\n"
    )
    response = client_for(secretariat).post(
        reverse("jipp_import"), {"file": SimpleUploadedFile("edges.csv", content.encode())}
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "Berkas tidak diterapkan: 2 masalah. Tidak ada data yang diubah." in text
    assert "Baris 3, kolom replica_id: silsilah akan berputar" in text
    assert "Putaran ini melewati baris 2 berkas ini." in text
    assert "Baris 4, kolom replica_id: inovasi tidak dapat mereplikasi dirinya sendiri" in text
    assert not ReplicationLink.objects.exists()
    assert not AuditEntry.objects.filter(action="jipp.imported").exists()


def test_the_import_page_without_a_file(secretariat):
    response = client_for(secretariat).post(reverse("jipp_import"), {})
    assert response.status_code == 422
    assert not AuditEntry.objects.filter(action="jipp.imported").exists()


def test_the_secretariat_export_is_full_unless_asked_public(secretariat, innovation_a, unit_a):
    hidden = InnovationFactory(unit=unit_a, name="Belum Terbit")
    innovation_a.is_published = True
    innovation_a.save()
    ReplicationLinkFactory(source=innovation_a, replica=hidden)
    client = client_for(secretariat)
    full = json.loads(b"".join(client.get(reverse("jipp_export")).streaming_content))
    public = json.loads(
        b"".join(client.get(reverse("jipp_export"), {"public": "1"}).streaming_content)
    )
    assert (full["public"], len(full["nodes"]), len(full["edges"])) == (False, 2, 1)
    assert (public["public"], len(public["nodes"]), len(public["edges"])) == (True, 1, 0)
    csv = client.get(reverse("jipp_export"), {"format": "csv", "part": "nodes"})
    assert b"".join(csv.streaming_content).decode("utf-8").count("\n") == 3


def test_the_open_data_csv_files(innovation_a, innovation_b):
    innovation_a.is_published = True
    innovation_a.save()
    ReplicationLinkFactory(source=innovation_a, replica=innovation_b)
    nodes = client_for(None).get(reverse("jipp_open_data_nodes"))
    assert nodes["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(nodes.streaming_content).decode("utf-8")
    assert "SITARANG" in text and "Klampid" not in text
    edges = client_for(None).get(reverse("jipp_open_data_edges"))
    assert b"".join(edges.streaming_content).decode("utf-8").count("\n") == 1  # header only


def test_owners_see_their_open_requests_with_the_message(secretariat, admin_a, stale_pair):
    a, b = stale_pair
    asked(a, secretariat, days_ago=1, message="Perbarui kontak replikasi")
    asked(b, secretariat, days_ago=1)
    response = client_for(admin_a).get(reverse("jipp_update_requests"))
    text = response.content.decode()
    assert "SITARANG" in text and "Perbarui kontak replikasi" in text
    assert "Klampid" not in text
    assert reverse("innovation_edit", args=[a.pk]) in text


@pytest.mark.parametrize("size", [1, 4])
def test_the_owners_page_reads_in_a_fixed_number_of_queries(
    secretariat, admin_a, unit_a, django_assert_num_queries, size
):
    for _ in range(size):
        asked(make_stale(InnovationFactory(unit=unit_a)), secretariat, days_ago=1)
    client = client_for(admin_a)
    client.get(reverse("jipp_update_requests"))
    # session, user, memberships; count + rows
    with django_assert_num_queries(5):
        response = client.get(reverse("jipp_update_requests"))
    assert len(response.context["page"].object_list) == size
