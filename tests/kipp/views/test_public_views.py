"""Public KIPP pages and API: published editions and announcements, the finalist list with
its objection banner, and the objection form (login required)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prima.core.citizen_session import citizen_login_url
from prima.evaluation.enums import EditionState
from prima.kipp.domain.announcements import (
    AnnouncementData,
    create_announcement,
    publish_announcement,
)
from prima.kipp.domain.objections import close_objection_window, file_objection
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import Objection
from tests.factories import InnovationFactory, PersonFactory
from tests.kipp.factories import EditionFactory, ProposalFactory

pytestmark = pytest.mark.django_db

STATEMENT = "Inovasi ini sudah tidak berjalan sejak 2024 dan loket daringnya tidak dapat dibuka."
API = "/api/v1/kipp"


def proposal_in(edition, state, unit, title, shown=None):
    return ProposalFactory(
        edition=edition,
        innovation=InnovationFactory(unit=unit, name=title),
        state=state,
        participant_state=shown or state,
    )


def announce(edition, secretariat, n, kind="admin_result", publish=True, title=None):
    announcement = create_announcement(
        edition,
        AnnouncementData(
            kind=kind,
            number=f"B/{n}/PP.00.05/2025",
            date=dt.date(2025, 8, 10),
            title=title or f"Pengumuman nomor {n}",
            signatory_name="Dr. Diah Natalisa",
            signatory_position="Deputi Bidang Pelayanan Publik",
        ),
        actor=secretariat,
    )
    return publish_announcement(announcement, actor=secretariat) if publish else announcement


@pytest.fixture
def edition(db):
    return EditionFactory(
        stages=EditionState.DESK_EVALUATION,
        is_published=True,
        theme="Mewujudkan Pelayanan Publik Berdampak",
    )


@pytest.fixture
def finalists(edition, secretariat, unit_a, unit_b):
    a = proposal_in(edition, S.FINALIST, unit_a, "Layanan Jemput Bola", shown=S.DESK_REVIEW)
    b = proposal_in(edition, S.FINALIST, unit_b, "Klinik Keliling", shown=S.DESK_REVIEW)
    announcement = announce(edition, secretariat, 40, kind="finalists", title="Finalis 2025")
    a.refresh_from_db()
    b.refresh_from_db()
    return announcement, a, b


class TestEditionPages:
    def test_only_published_editions_are_listed_with_constant_queries(
        self, edition, django_assert_num_queries
    ):
        hidden = EditionFactory(title="Rahasia")
        client = Client()
        url = reverse("kipp_public_editions")
        with django_assert_num_queries(2) as few:
            response = client.get(url)
        page = response.content.decode()
        assert edition.title in page
        assert hidden.title not in page
        for _ in range(4):
            EditionFactory(is_published=True)
        with django_assert_num_queries(len(few.captured_queries)):
            client.get(url)

    def test_edition_page_shows_theme_calendar_and_published_announcements(
        self, edition, secretariat
    ):
        announce(edition, secretariat, 1, title="Hasil Seleksi Administrasi")
        announce(edition, secretariat, 2, publish=False, title="Draf Rahasia")
        page = Client().get(reverse("kipp_public_edition", args=[edition.code])).content.decode()
        assert "Mewujudkan Pelayanan Publik Berdampak" in page
        assert "Hasil Seleksi Administrasi" in page
        assert "Draf Rahasia" not in page
        assert "Seleksi administrasi" in page  # a calendar row

    def test_an_unpublished_edition_is_not_found(self, secretariat):
        hidden = EditionFactory()
        assert Client().get(reverse("kipp_public_edition", args=[hidden.code])).status_code == 404


class TestAnnouncementPage:
    def test_draft_is_not_found_and_published_shows_its_list(self, edition, secretariat, unit_a):
        proposal_in(edition, S.ADMIN_PASSED, unit_a, "Layanan Jemput Bola", shown=S.SUBMITTED)
        draft = announce(edition, secretariat, 1, publish=False)
        url = reverse("kipp_public_announcement", args=[draft.pk])
        assert Client().get(url).status_code == 404
        publish_announcement(draft, actor=secretariat)
        page = Client().get(url).content.decode()
        assert "Layanan Jemput Bola" in page
        assert "B/1/PP.00.05/2025" in page

    def test_a_corrected_announcement_links_to_its_correction(self, edition, secretariat):
        original = announce(edition, secretariat, 1)
        correction = create_announcement(
            edition,
            AnnouncementData(
                kind="admin_result",
                number="B/2/PP.00.05/2025",
                date=dt.date(2025, 8, 11),
                title="Ralat",
                signatory_name="Dr. Diah Natalisa",
                signatory_position="Deputi",
                corrects=original,
            ),
            actor=secretariat,
        )
        publish_announcement(correction, actor=secretariat)
        page = Client().get(reverse("kipp_public_announcement", args=[original.pk]))
        assert "telah diralat oleh" in page.content.decode()


class TestFinalistPage:
    def test_banner_and_objection_links_while_the_window_is_open(self, edition, finalists):
        _announcement, a, _b = finalists
        page = Client().get(reverse("kipp_public_finalists", args=[edition.code])).content.decode()
        closes = timezone.localtime(edition.stages.get(code="objection_window").ends_at)
        assert "Uji publik dibuka sampai" in page
        assert closes.strftime("%Y") in page
        assert reverse("kipp_objection_file", args=[edition.code, a.pk]) in page
        assert "Layanan Jemput Bola" in page
        assert "Klinik Keliling" in page

    def test_no_banner_once_the_window_has_closed(self, edition, finalists, secretariat):
        edition.stages.filter(code="objection_window").update(
            ends_at=timezone.now() - dt.timedelta(minutes=1)
        )
        close_objection_window(edition, actor=secretariat)
        page = Client().get(reverse("kipp_public_finalists", args=[edition.code])).content.decode()
        assert "Uji publik dibuka sampai" not in page
        assert "sanggahan/" not in page
        assert "Layanan Jemput Bola" in page

    def test_search_filters_the_list(self, edition, finalists):
        url = reverse("kipp_public_finalists", args=[edition.code])
        page = Client().get(url, {"q": "klinik"}).content.decode()
        assert "Klinik Keliling" in page
        assert "Layanan Jemput Bola" not in page


class TestObjectionForm:
    def test_login_is_required_to_file(self, edition, finalists):
        _announcement, a, _b = finalists
        url = reverse("kipp_objection_file", args=[edition.code, a.pk])
        response = Client().get(url)
        assert response.status_code == 302
        # A visitor signs in as a citizen (code by SMS) and comes back to the form.
        assert response["Location"] == citizen_login_url(url)

    def test_a_public_account_files_and_the_proposer_cannot(
        self, edition, finalists, nobody, admin_a, as_client
    ):
        _announcement, a, _b = finalists
        url = reverse("kipp_objection_file", args=[edition.code, a.pk])
        assert as_client(admin_a).get(url).status_code == 403
        response = as_client(nobody).post(url, {"ground": "not_running", "statement": STATEMENT})
        assert response.status_code == 302
        objection = Objection.objects.get()
        assert (objection.proposal, objection.filed_by) == (a, nobody)

    def test_a_short_statement_is_refused_on_the_form(self, edition, finalists, nobody, as_client):
        _announcement, a, _b = finalists
        url = reverse("kipp_objection_file", args=[edition.code, a.pk])
        response = as_client(nobody).post(url, {"ground": "other", "statement": "terlalu pendek"})
        assert response.status_code == 200
        assert not Objection.objects.exists()

    def test_the_objector_never_appears_on_public_or_institution_pages(
        self, edition, finalists, admin_a, as_client
    ):
        _announcement, a, _b = finalists
        objector = PersonFactory(full_name="Siti Penyanggah", email="siti@warga.id")
        file_objection(a, ground="other", statement=STATEMENT, actor=objector)
        pages = [
            Client().get(reverse("kipp_public_finalists", args=[edition.code])),
            Client().get(reverse("kipp_public_edition", args=[edition.code])),
            as_client(admin_a).get(reverse("kipp_public_finalists", args=[edition.code])),
            as_client(admin_a).get(f"{API}/objections"),
        ]
        for response in pages:
            body = response.content.decode()
            assert "Siti Penyanggah" not in body
            assert "siti@warga.id" not in body


class TestPublicApi:
    def test_list_has_constant_queries_and_hides_drafts(
        self, edition, secretariat, django_assert_num_queries
    ):
        announce(edition, secretariat, 1)
        announce(edition, secretariat, 2, publish=False)
        client = Client()
        with django_assert_num_queries(2) as few:
            data = client.get(f"{API}/public/announcements").json()
        assert data["count"] == 1
        assert [item["number"] for item in data["items"]] == ["B/1/PP.00.05/2025"]
        for n in range(3, 8):
            announce(edition, secretariat, n)
        with django_assert_num_queries(len(few.captured_queries)):
            data = client.get(f"{API}/public/announcements", {"edition": edition.code}).json()
        assert data["count"] == 6

    def test_detail_carries_the_list(self, edition, finalists):
        announcement, a, _b = finalists
        data = Client().get(f"{API}/public/announcements/{announcement.pk}").json()
        assert data["kind"] == "finalists"
        assert {row["proposal"] for row in data["listing"]} >= {a.pk}
        assert data["published_at"].endswith("+07:00")
