"""Status, publication, evidence upload and download, replication and award pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prima.core.models import AuditEntry
from prima.innovations.domain.evidence import add_evidence
from prima.innovations.models import AwardRecord, Evidence, ReplicationLink
from tests.factories import InnovationFactory, ReplicationLinkFactory
from tests.innovations.conftest import PDF_BYTES, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


class TestStatus:
    def test_stopping_with_reason(self, as_client, operator_a, innovation_a):
        url = reverse("innovation_status", args=[innovation_a.pk])
        response = as_client(operator_a).post(
            url,
            {
                "status": "stopped",
                "reason": "Digantikan aplikasi provinsi.",
                "changed_on": "2024-01-31",
                "version": 1,
            },
        )
        assert response.status_code == 302
        innovation_a.refresh_from_db()
        assert innovation_a.status == "stopped"
        assert innovation_a.status_reason == "Digantikan aplikasi provinsi."
        detail = text(
            as_client(operator_a).get(reverse("innovation_detail", args=[innovation_a.pk]))
        )
        assert "Berhenti" in detail and "Digantikan aplikasi provinsi." in detail

    def test_missing_reason_is_shown_on_the_field(self, as_client, operator_a, innovation_a):
        url = reverse("innovation_status", args=[innovation_a.pk])
        response = as_client(operator_a).post(url, {"status": "paused", "version": 1})
        assert response.status_code == 200
        assert "Alasan wajib diisi" in response.context["form"].errors["reason"][0]
        innovation_a.refresh_from_db()
        assert innovation_a.status == "active"

    def test_stale_form_is_refused(self, as_client, operator_a, innovation_a):
        url = reverse("innovation_status", args=[innovation_a.pk])
        innovation_a.version = 3
        innovation_a.save()
        response = as_client(operator_a).post(
            url, {"status": "stopped", "reason": "Selesai.", "version": 1}
        )
        assert response.status_code == 409
        assert "sudah diubah" in text(response)


class TestPublish:
    def test_publish_and_withdraw(self, as_client, admin_a, innovation_a):
        client = as_client(admin_a)
        url = reverse("innovation_publish", args=[innovation_a.pk])
        client.post(url, {"action": "publish"})
        innovation_a.refresh_from_db()
        assert innovation_a.is_published
        assert (
            as_client(None)
            .get(reverse("public_innovation_detail", args=[innovation_a.pk]))
            .status_code
            == 200
        )
        client.post(url, {"action": "unpublish"})
        innovation_a.refresh_from_db()
        assert not innovation_a.is_published

    def test_get_is_not_allowed(self, as_client, admin_a, innovation_a):
        response = as_client(admin_a).get(reverse("innovation_publish", args=[innovation_a.pk]))
        assert response.status_code == 405


class TestEvidence:
    def test_upload_pdf_and_download_it_with_safe_headers(
        self, as_client, operator_a, innovation_a
    ):
        client = as_client(operator_a)
        response = client.post(
            reverse("innovation_evidence_add", args=[innovation_a.pk]),
            {"file": pdf_upload("SK Walikota.pdf"), "description": "SK penetapan"},
        )
        assert response.status_code == 302
        evidence = Evidence.objects.get()
        assert not evidence.is_public

        download = client.get(reverse("evidence_download", args=[evidence.pk]))

        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"] == 'inline; filename="SK Walikota.pdf"'
        assert download["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in download["Cache-Control"]
        assert b"".join(download.streaming_content) == PDF_BYTES
        detail = text(client.get(reverse("innovation_detail", args=[innovation_a.pk])))
        assert "SK Walikota.pdf" in detail and "SK penetapan" in detail
        assert "/media" not in detail

    def test_image_type_comes_from_the_stored_type(self, as_client, operator_a, innovation_a):
        evidence = add_evidence(innovation_a, actor=operator_a, upload=png_upload("foto.jpg"))
        download = as_client(operator_a).get(reverse("evidence_download", args=[evidence.pk]))
        assert download["Content-Type"] == "image/png"

    def test_html_renamed_to_pdf_is_refused_with_a_message(
        self, as_client, operator_a, innovation_a
    ):
        fake = SimpleUploadedFile("laporan.pdf", b"<html><body>bukan pdf</body></html>")
        response = as_client(operator_a).post(
            reverse("innovation_evidence_add", args=[innovation_a.pk]), {"file": fake}
        )
        assert response.status_code == 200
        assert "Jenis berkas tidak diterima" in response.context["form"].errors["file"][0]
        assert not Evidence.objects.exists()

    def test_operator_b_cannot_download_operator_a_evidence(
        self, as_client, operator_a, operator_b, innovation_a
    ):
        evidence = add_evidence(innovation_a, actor=operator_a, upload=pdf_upload())
        url = reverse("evidence_download", args=[evidence.pk])
        assert as_client(operator_b).get(url).status_code == 404
        assert as_client(None).get(url).status_code == 404

    def test_public_evidence_of_a_published_innovation_is_open(
        self, as_client, operator_a, innovation_a
    ):
        evidence = add_evidence(innovation_a, actor=operator_a, upload=pdf_upload(), is_public=True)
        url = reverse("evidence_download", args=[evidence.pk])
        assert as_client(None).get(url).status_code == 404  # not published yet
        innovation_a.is_published = True
        innovation_a.save()
        response = as_client(None).get(url)
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]

    def test_remove(self, as_client, operator_a, operator_b, innovation_a):
        evidence = add_evidence(innovation_a, actor=operator_a, upload=pdf_upload())
        url = reverse("evidence_remove", args=[evidence.pk])
        assert as_client(operator_b).post(url).status_code == 404
        response = as_client(operator_a).post(url)
        assert response.status_code == 302
        assert not Evidence.objects.exists()
        assert AuditEntry.objects.filter(action="evidence.removed").exists()


class TestReplication:
    def test_search_then_link_a_published_source(
        self, as_client, operator_a, innovation_a, innovation_b
    ):
        innovation_b.is_published = True
        innovation_b.save()
        client = as_client(operator_a)
        url = reverse("innovation_replication_add", args=[innovation_a.pk])

        search = client.get(url, {"q": "klampid"})
        assert [c.pk for c in search.context["results"]] == [innovation_b.pk]
        assert "Pemerintah Kota Surabaya" in text(search)

        response = client.post(
            url,
            {
                "source": innovation_b.pk,
                "replicated_on": "2020-03-01",
                "adaptation": "Pengajuan dokumen daring",
                "differences": "Ditambah peta",
            },
        )
        assert response.status_code == 302
        link = ReplicationLink.objects.get()
        assert (link.replica, link.source) == (innovation_a, innovation_b)

    def test_unpublished_source_of_others_cannot_be_found_or_chosen(
        self, as_client, operator_a, innovation_a, innovation_b
    ):
        client = as_client(operator_a)
        url = reverse("innovation_replication_add", args=[innovation_a.pk])
        assert client.get(url, {"q": "klampid"}).context["results"] == []
        response = client.post(
            url,
            {"source": innovation_b.pk, "replicated_on": "2020-03-01", "adaptation": "Semua"},
        )
        assert "Inovasi sumber tidak ditemukan" in text(response)
        assert not ReplicationLink.objects.exists()

    def test_cycle_is_refused_with_an_explanation(
        self, as_client, operator_a, innovation_a, unit_a
    ):
        source = InnovationFactory(unit=unit_a, name="Sumber", started_on=dt.date(2015, 1, 1))
        ReplicationLinkFactory(replica=source, source=innovation_a)
        response = as_client(operator_a).post(
            reverse("innovation_replication_add", args=[innovation_a.pk]),
            {"source": source.pk, "replicated_on": "2020-03-01", "adaptation": "Semua"},
        )
        assert "Silsilah akan berputar" in text(response)
        assert ReplicationLink.objects.count() == 1

    def test_remove_link(self, as_client, operator_a, operator_b, innovation_a, innovation_b):
        link = ReplicationLinkFactory(replica=innovation_a, source=innovation_b)
        url = reverse("replication_remove", args=[link.pk])
        assert as_client(operator_b).post(url).status_code == 404
        assert as_client(operator_a).post(url).status_code == 302
        assert not ReplicationLink.objects.exists()


class TestAward:
    def test_secretariat_records_an_award(self, as_client, secretariat, innovation_a):
        response = as_client(secretariat).post(
            reverse("innovation_award_add", args=[innovation_a.pk]),
            {
                "programme": "kipp",
                "year": 2019,
                "tier": "top99",
                "level": "finalist",
                "decree_ref": "KepmenPANRB 45/2019",
            },
        )
        assert response.status_code == 302
        assert AwardRecord.objects.get().decree_ref == "KepmenPANRB 45/2019"

    def test_duplicate_is_shown_on_the_tier_field(self, as_client, secretariat, innovation_a):
        data = {"programme": "kipp", "year": 2019, "tier": "top99", "level": "finalist"}
        url = reverse("innovation_award_add", args=[innovation_a.pk])
        as_client(secretariat).post(url, data)
        response = as_client(secretariat).post(url, data)
        assert "sudah tercatat" in response.context["form"].errors["tier"][0]
        assert AwardRecord.objects.count() == 1
