"""The official PDF of a KIPP announcement (kipp.md §15): what it prints, who may fetch it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from prima.core.documents import qr_matrix
from prima.core.domain.tokens import create_api_token
from prima.evaluation.enums import EditionState
from prima.kipp.domain.announcements import (
    AnnouncementData,
    attached_list,
    content_fingerprint,
    create_announcement,
    publish_announcement,
)
from prima.kipp.domain.awards import record_decree
from prima.kipp.enums import ProposalState as S
from prima.kipp.interfaces.announcement_pdf import pdf_filename, render_announcement_pdf
from tests.factories import InnovationFactory
from tests.kipp.factories import EditionFactory, ProposalFactory
from tests.pdf import pdf_pages, qr_symbols

pytestmark = pytest.mark.django_db

SITE = "https://prima.menpan.go.id"
API = "/api/v1/kipp/announcements/{}/pdf"
AT = dt.datetime(2025, 8, 10, 7, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def proposal_in(edition, state, unit, title, **extra):
    return ProposalFactory(
        edition=edition,
        innovation=InnovationFactory(unit=unit, name=title),
        state=state,
        participant_state=state,
        **extra,
    )


def announce(edition, secretariat, n, *, kind="admin_result", publish=True, **extra):
    values = {
        "kind": kind,
        "number": f"B/{n}/PP.00.05/2025",
        "date": dt.date(2025, 8, 10),
        "title": f"Hasil Seleksi Administrasi {n}",
        "signatory_name": "Dr. Diah Natalisa",
        "signatory_position": "Deputi Bidang Pelayanan Publik",
    }
    values.update(extra)
    announcement = create_announcement(edition, AnnouncementData(**values), actor=secretariat)
    return publish_announcement(announcement, actor=secretariat) if publish else announcement


@pytest.fixture
def edition(db):
    return EditionFactory(stages=EditionState.DESK_EVALUATION, is_published=True)


@pytest.fixture
def passed(edition, unit_a, unit_b):
    """Two proposals that passed the administrative check, of two institutions."""
    return [
        proposal_in(edition, S.ADMIN_PASSED, unit_a, "Sitarang <Terpadu> & Cepat"),
        proposal_in(edition, S.ADMIN_PASSED, unit_b, "Klinik Berhenti Merokok"),
    ]


def flat(pages):
    """The text of the pages with line breaks (wrapped cells) read as spaces."""
    return re.sub(r"\s+", " ", " ".join(pages))


def listed_titles(text):
    return re.findall(r"(Inovasi Uji \d{3})", text)


class TestPublishedAnnouncement:
    def test_prints_the_letter_and_the_list_as_the_public_page(self, edition, passed, secretariat):
        announcement = announce(
            edition, secretariat, 40, body="Berikut hasil seleksi.\n\nSelamat <kepada> peserta."
        )
        response = Client().get(reverse("kipp_public_announcement_pdf", args=[announcement.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'inline; filename="pengumuman-b-40-pp-00-05-2025.pdf"'
        )
        text = "\n".join(pdf_pages(response.content))
        assert "KEMENTERIAN PENDAYAGUNAAN APARATUR NEGARA" in text
        assert "Nomor B/40/PP.00.05/2025" in text
        assert "Hasil Seleksi Administrasi 40" in text
        assert "10 Agustus 2025" in text
        assert edition.title in text
        assert "Selamat <kepada> peserta." in text  # user text printed, not parsed
        assert "Dr. Diah Natalisa" in text
        # The rows of the public page, in its order, with its columns.
        html = Client().get(reverse("kipp_public_announcement", args=[announcement.pk]))
        page_rows = html.context["page"].object_list
        assert [row["title"] for row in page_rows] == [
            "Klinik Berhenti Merokok",
            "Sitarang <Terpadu> & Cepat",
        ]
        flat_text = flat([text])
        for number, row in enumerate(page_rows, start=1):
            line = f"{number} {row['title']} {row['institution']} {row['province']}"
            assert line in flat_text
        assert "Pemerintah Kota Payakumbuh" in flat_text
        assert "Pemerintah Kota Surabaya" in flat_text
        assert "Lampiran: daftar 2 inovasi" in flat_text
        assert "DRAF" not in text

    def test_the_qr_code_opens_the_public_page(self, edition, passed, secretariat):
        announcement = announce(edition, secretariat, 41)
        content = render_announcement_pdf(announcement, generated_at=AT)
        url = f"{SITE}/kipp/publik/pengumuman/{announcement.pk}/"
        assert list(qr_symbols(content).values()) == [qr_matrix(url)]
        assert f"Dokumen ini dapat diperiksa di {url}" in pdf_pages(content)[0]

    def test_the_footer_hash_is_the_one_the_public_page_shows(self, edition, passed, secretariat):
        announcement = announce(edition, secretariat, 42)
        digest = content_fingerprint(announcement, list(announcement.listing))
        assert re.fullmatch(r"[0-9a-f]{64}", digest)
        text = pdf_pages(render_announcement_pdf(announcement, generated_at=AT))[0]
        assert f"SHA-256: {digest}" in text
        page = Client().get(reverse("kipp_public_announcement", args=[announcement.pk]))
        assert digest in page.content.decode()
        # Later facts (a new proposal state) do not change a published announcement's hash.
        passed[0].state = S.DESK_REVIEW
        passed[0].save(update_fields=["state"])
        announcement.refresh_from_db()
        assert content_fingerprint(announcement, list(announcement.listing)) == digest

    def test_same_announcement_and_time_give_the_same_bytes(self, edition, passed, secretariat):
        announcement = announce(edition, secretariat, 43)
        first = render_announcement_pdf(announcement, generated_at=AT)
        assert render_announcement_pdf(announcement, generated_at=AT) == first
        later = render_announcement_pdf(announcement, generated_at=AT + dt.timedelta(hours=1))
        assert later != first
        assert "Dibuat 10 Agustus 2025 pukul 14.00 WIB" in pdf_pages(first)[0]

    def test_a_long_list_runs_over_numbered_pages_with_its_header(
        self, edition, secretariat, unit_a, unit_b
    ):
        for i in range(1, 131):
            proposal_in(
                edition, S.ADMIN_PASSED, unit_a if i % 2 else unit_b, f"Inovasi Uji {i:03d}"
            )
        announcement = announce(edition, secretariat, 44)
        pages = pdf_pages(render_announcement_pdf(announcement, generated_at=AT))
        total = len(pages)
        assert total >= 3
        titles: list[str] = []
        for number, text in enumerate(pages, start=1):
            assert f"Halaman {number} dari {total}" in text
            if number > 1:
                assert "Pengumuman Nomor B/44/PP.00.05/2025 (lanjutan)" in text
            if listed_titles(text):
                assert re.search(r"No\.\s*Inovasi\s*Instansi\s*Provinsi\s*Kelompok", text)
            titles += listed_titles(text)
        assert titles == [row["title"] for row in attached_list(announcement).rows]
        assert len(titles) == 130

    def test_a_winners_list_cites_the_decree_it_rests_on(self, secretariat, unit_a):
        edition: Any = EditionFactory(stages=EditionState.RESULTS, is_published=True)
        proposal_in(edition, S.WINNER, unit_a, "Sipaduko", tiers=["top45"])
        record_decree(
            edition,
            number="123 Tahun 2025",
            date=dt.date(2025, 9, 1),
            title="Top 45 Inovasi Pelayanan Publik Tahun 2025",
            actor=secretariat,
        )
        before = announce(edition, secretariat, 50, kind="winners", date=dt.date(2025, 8, 30))
        after = announce(edition, secretariat, 51, kind="winners", date=dt.date(2025, 9, 10))
        text = flat(pdf_pages(render_announcement_pdf(after, generated_at=AT)))
        assert (
            "Berdasarkan Keputusan Menteri PANRB Nomor 123 Tahun 2025 tanggal 1 September 2025 "
            "tentang Top 45 Inovasi Pelayanan Publik Tahun 2025." in text
        )
        assert "Tier" in text and "Sipaduko" in text
        earlier = "\n".join(pdf_pages(render_announcement_pdf(before, generated_at=AT)))
        assert "Keputusan Menteri" not in earlier


class TestVisibility:
    def test_a_draft_is_not_public_and_the_secretariat_gets_a_marked_preview(
        self, edition, passed, secretariat, as_client
    ):
        draft = announce(edition, secretariat, 60, publish=False)
        assert (
            Client().get(reverse("kipp_public_announcement_pdf", args=[draft.pk])).status_code
            == 404
        )
        response = Client().get(API.format(draft.pk))
        assert response.status_code == 404
        assert response.json()["detail"]
        preview = as_client(secretariat).get(reverse("kipp_announcement_pdf", args=[draft.pk]))
        assert preview.status_code == 200
        assert preview["Cache-Control"] == "private, no-store"
        pages = pdf_pages(preview.content)
        assert all("DRAF" in text for text in pages)
        text = "\n".join(pages)
        assert "Belum terbit (draf)" in text
        # The preview lists what publishing would attach now.
        assert "Klinik Berhenti Merokok" in text and "Sitarang <Terpadu> & Cepat" in text
        _token, key = create_api_token(actor=secretariat, name="uji")
        by_token = Client().get(API.format(draft.pk), HTTP_AUTHORIZATION=f"Bearer {key}")
        assert by_token.status_code == 200
        assert "DRAF" in pdf_pages(by_token.content)[0]

    def test_an_announcement_of_a_hidden_edition_is_not_public(
        self, edition, passed, secretariat, as_client
    ):
        announcement = announce(edition, secretariat, 61)
        edition.is_published = False
        edition.save(update_fields=["is_published"])
        url = reverse("kipp_public_announcement_pdf", args=[announcement.pk])
        assert Client().get(url).status_code == 404
        assert as_client(secretariat).get(url).status_code == 404
        assert Client().get(API.format(announcement.pk)).status_code == 404
        own = as_client(secretariat).get(reverse("kipp_announcement_pdf", args=[announcement.pk]))
        assert own.status_code == 200
        assert "DRAF" not in pdf_pages(own.content)[0]

    def test_the_api_serves_a_published_announcement_to_anyone(self, edition, passed, secretariat):
        announcement = announce(edition, secretariat, 62)
        response = Client().get(API.format(announcement.pk))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert pdf_filename(announcement) in response["Content-Disposition"]
        assert "Nomor B/62/PP.00.05/2025" in pdf_pages(response.content)[0]


class TestButtons:
    def test_public_and_secretariat_pages_link_the_pdf(
        self, edition, passed, secretariat, as_client
    ):
        published = announce(edition, secretariat, 70)
        draft = announce(edition, secretariat, 71, publish=False)
        page = Client().get(reverse("kipp_public_announcement", args=[published.pk]))
        assert reverse("kipp_public_announcement_pdf", args=[published.pk]) in page.content.decode()
        assert "Unduh PDF" in page.content.decode()
        desk = as_client(secretariat)
        for announcement in (published, draft):
            html = desk.get(reverse("kipp_announcement_publish", args=[announcement.pk]))
            assert reverse("kipp_announcement_pdf", args=[announcement.pk]) in html.content.decode()
