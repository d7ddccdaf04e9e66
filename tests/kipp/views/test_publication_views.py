"""Secretariat publication pages: announcements, objections, schedule, decree, awards."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prima.core.domain.tokens import create_api_token
from prima.evaluation.enums import EditionState
from prima.innovations.models import AwardRecord
from prima.kipp.domain.announcements import (
    AnnouncementData,
    create_announcement,
    publish_announcement,
)
from prima.kipp.domain.objections import file_objection
from prima.kipp.domain.schedule import schedule_presentations
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import Announcement, AwardEvent, Decree, Objection
from tests.factories import InnovationFactory, PersonFactory
from tests.kipp.factories import EditionFactory, ProposalFactory, rules_from_file

pytestmark = pytest.mark.django_db

STATEMENT = "Inovasi ini sudah tidak berjalan sejak 2024 dan loket daringnya tidak dapat dibuka."


def proposal_in(edition, state, unit, title="Layanan Jemput Bola", **kwargs):
    return ProposalFactory(
        edition=edition,
        innovation=InnovationFactory(unit=unit, name=title),
        state=state,
        participant_state=kwargs.pop("shown", state),
        **kwargs,
    )


def draft(edition, secretariat, n=1, kind="admin_result", **kwargs):
    return create_announcement(
        edition,
        AnnouncementData(
            kind=kind,
            number=f"B/{n}/PP.00.05/2025",
            date=dt.date(2025, 7, 1),
            title=kwargs.pop("title", f"Pengumuman {n}"),
            signatory_name="Dr. Diah Natalisa",
            signatory_position="Deputi Bidang Pelayanan Publik",
            **kwargs,
        ),
        actor=secretariat,
    )


@pytest.fixture
def edition(db):
    return EditionFactory(stages=EditionState.DESK_EVALUATION, is_published=True)


class TestIndex:
    def test_editions_with_counts_and_constant_queries(
        self, edition, objections, secretariat, as_client, django_assert_num_queries
    ):
        client = as_client(secretariat)
        url = reverse("kipp_publication_home")
        client.get(url)
        with django_assert_num_queries(5) as few:
            page = client.get(url).content.decode()
        assert reverse("kipp_publication_home", args=[edition.code]) in page
        assert "1 terbit, 0 draf" in page
        for _ in range(4):
            EditionFactory()
        with django_assert_num_queries(len(few.captured_queries)):
            client.get(url)


class TestAnnouncementPages:
    def test_list_query_count_does_not_grow_with_rows(
        self, edition, secretariat, as_client, django_assert_num_queries
    ):
        client = as_client(secretariat)
        url = reverse("kipp_announcement_list", args=[edition.code])
        first = publish_announcement(draft(edition, secretariat, 1), actor=secretariat)
        draft(edition, secretariat, 2, corrects=first)
        client.get(url)  # warm the session and access caches
        with django_assert_num_queries(6) as one:
            response = client.get(url)
        assert response.status_code == 200
        for n in range(3, 12):
            draft(edition, secretariat, n, corrects=first)
        with django_assert_num_queries(len(one.captured_queries)):
            response = client.get(url)
        assert response.content.decode().count("Ralat atas B/1/PP.00.05/2025") == 10

    def test_create_then_preview_then_publish(self, edition, secretariat, unit_a, as_client):
        proposal_in(edition, S.FINALIST, unit_a, title="Finalis Uji", shown=S.DESK_REVIEW)
        client = as_client(secretariat)
        response = client.post(
            reverse("kipp_announcement_create", args=[edition.code]),
            {
                "kind": "finalists",
                "number": "B/20/PP.00.05/2025",
                "date": "2025-08-10",
                "title": "Finalis KIPP 2025",
                "body": "Berikut finalis.",
                "signatory_name": "Dr. Diah Natalisa",
                "signatory_position": "Deputi Bidang Pelayanan Publik",
            },
        )
        announcement = Announcement.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("kipp_announcement_publish", args=[announcement.pk])

        preview = client.get(response["Location"]).content.decode()
        assert "Pratinjau daftar lampiran" in preview
        assert "Finalis Uji" in preview
        assert "Uji publik dibuka untuk 1 finalis" in preview

        response = client.post(reverse("kipp_announcement_publish", args=[announcement.pk]))
        assert response.status_code == 302
        announcement.refresh_from_db()
        assert announcement.published_at is not None
        assert announcement.listing[0]["title"] == "Finalis Uji"

    def test_a_wrong_number_is_shown_on_the_field(self, edition, secretariat, as_client):
        response = as_client(secretariat).post(
            reverse("kipp_announcement_create", args=[edition.code]),
            {
                "kind": "other",
                "number": "123/2025",
                "date": "2025-08-10",
                "title": "Lain-lain",
                "signatory_name": "Dr. Diah Natalisa",
                "signatory_position": "Deputi",
            },
        )
        assert response.status_code == 200
        assert "tidak sesuai pola" in response.content.decode()
        assert not Announcement.objects.exists()

    def test_a_published_announcement_has_no_edit_form(self, edition, secretariat, as_client):
        published = publish_announcement(draft(edition, secretariat), actor=secretariat)
        client = as_client(secretariat)
        response = client.get(reverse("kipp_announcement_edit", args=[published.pk]))
        assert response.status_code == 302
        response = client.post(
            reverse("kipp_announcement_edit", args=[published.pk]),
            {"kind": "other", "number": "B/9/PP.00.05/2025", "title": "Diubah"},
        )
        published.refresh_from_db()
        assert published.title == "Pengumuman 1"


@pytest.fixture
def objections(edition, secretariat, unit_a, unit_b):
    """Two finalists under public test; one objection each from two public accounts."""
    a = proposal_in(edition, S.FINALIST, unit_a, title="Layanan Jemput Bola")
    b = proposal_in(edition, S.FINALIST, unit_b, title="Klinik Keliling")
    publish_announcement(draft(edition, secretariat, 30, kind="finalists"), actor=secretariat)
    a.refresh_from_db()
    b.refresh_from_db()
    first = file_objection(
        a, ground="not_running", statement=STATEMENT, actor=PersonFactory(full_name="Budi Warga")
    )
    second = file_objection(b, ground="other", statement=STATEMENT, actor=PersonFactory())
    return first, second


class TestObjectionPages:
    def test_queue_shows_objectors_to_the_secretariat_with_constant_queries(
        self, edition, objections, secretariat, as_client, django_assert_num_queries, unit_a
    ):
        client = as_client(secretariat)
        url = reverse("kipp_objection_queue", args=[edition.code])
        client.get(url)
        with django_assert_num_queries(8) as few:
            response = client.get(url)
        assert "Budi Warga" in response.content.decode()
        proposal = objections[0].proposal
        for _ in range(6):
            file_objection(proposal, ground="other", statement=STATEMENT, actor=PersonFactory())
        with django_assert_num_queries(len(few.captured_queries)):
            client.get(url)

    def test_resolving_upheld_disqualifies(self, objections, secretariat, as_client):
        objection = objections[0]
        response = as_client(secretariat).post(
            reverse("kipp_objection_resolve", args=[objection.pk]),
            {"status": "upheld", "resolution": "Terbukti tidak berjalan di lapangan."},
        )
        assert response.status_code == 302
        objection.refresh_from_db()
        assert objection.status == "upheld"
        assert objection.proposal.state == S.DISQUALIFIED

    def test_a_short_resolution_is_refused_on_the_field(self, objections, secretariat, as_client):
        response = as_client(secretariat).post(
            reverse("kipp_objection_resolve", args=[objections[0].pk]),
            {"status": "rejected", "resolution": "tidak"},
        )
        assert response.status_code == 200
        assert "sekurang-kurangnya 10 karakter" in response.content.decode()

    def test_closing_before_the_end_is_refused_with_a_message(
        self, edition, objections, secretariat, as_client
    ):
        response = as_client(secretariat).post(
            reverse("kipp_objection_window_close", args=[edition.code]), follow=True
        )
        assert "baru berakhir" in response.content.decode()

    def test_evidence_is_served_to_the_secretariat_only(
        self, objections, secretariat, admin_a, as_client
    ):
        proposal = objections[0].proposal
        pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
        objection = file_objection(
            proposal,
            ground="other",
            statement=STATEMENT,
            evidence=SimpleUploadedFile("bukti.pdf", pdf),
            actor=PersonFactory(),
        )
        url = reverse("kipp_objection_evidence", args=[objection.pk])
        response = as_client(secretariat).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert as_client(admin_a).get(url).status_code == 403


class TestSchedulePages:
    @pytest.fixture
    def scheduled(self, secretariat, unit_a, unit_b):
        edition = EditionFactory(
            rules=rules_from_file("kipp-2021.yaml"), stages=EditionState.FINAL_STAGE
        )
        for unit, title in ((unit_a, "Anjungan"), (unit_b, "Bidan Desa")):
            proposal_in(edition, S.CONFIRMED_FINALIST, unit, title=title)
        monday = timezone.localdate() + dt.timedelta(days=7)
        monday += dt.timedelta(days=-monday.weekday())
        monday += dt.timedelta(days=7)
        schedule_presentations(
            edition,
            first_day=monday,
            last_day=monday,
            day_start=dt.time(8, 0),
            day_end=dt.time(12, 0),
            mode="onsite",
            location="Kantor KemenPANRB, Jakarta",
            actor=secretariat,
        )
        return edition

    def test_grid_by_day_shows_admin_lokal_only_its_own_slots(
        self, scheduled, secretariat, admin_a, as_client
    ):
        url = reverse("kipp_schedule", args=[scheduled.code])
        everything = as_client(secretariat).get(url).content.decode()
        assert "Anjungan" in everything
        assert "Bidan Desa" in everything
        own = as_client(admin_a).get(url).content.decode()
        assert "Anjungan" in own
        assert "Bidan Desa" not in own
        assert "Konfirmasi penyaji" in own

    def test_grid_query_count_does_not_grow_with_slots(
        self, scheduled, secretariat, unit_a, as_client, django_assert_num_queries
    ):
        client = as_client(secretariat)
        url = reverse("kipp_schedule", args=[scheduled.code])
        client.get(url)
        with django_assert_num_queries(6) as few:
            client.get(url)
        for n in range(4):
            proposal_in(scheduled, S.CONFIRMED_FINALIST, unit_a, title=f"Tambahan {n}")
        first = scheduled.proposals.get(title="Anjungan").slot.starts_at.date()
        schedule_presentations(
            scheduled,
            first_day=first,
            last_day=first,
            day_start=dt.time(8, 0),
            day_end=dt.time(12, 0),
            mode="onsite",
            location="Kantor KemenPANRB, Jakarta",
            actor=secretariat,
        )
        with django_assert_num_queries(len(few.captured_queries)):
            response = client.get(url)
        assert response.content.decode().count("Belum dikonfirmasi") == 6

    def test_admin_lokal_confirms_the_presenter(self, scheduled, admin_a, as_client):
        slot = scheduled.proposals.get(title="Anjungan").slot
        response = as_client(admin_a).post(
            reverse("kipp_presenter_confirm", args=[slot.pk]),
            {"name": "Dr. Riza Falepi", "position": "Wali Kota Payakumbuh"},
        )
        assert response.status_code == 302
        slot.refresh_from_db()
        assert slot.presenter_name == "Dr. Riza Falepi"

    def test_generate_form_schedules(self, secretariat, unit_a, as_client):
        edition = EditionFactory(
            rules=rules_from_file("kipp-2021.yaml"), stages=EditionState.FINAL_STAGE
        )
        proposal_in(edition, S.CONFIRMED_FINALIST, unit_a, title="Anjungan")
        day = timezone.localdate() + dt.timedelta(days=14)
        response = as_client(secretariat).post(
            reverse("kipp_schedule_generate", args=[edition.code]),
            {
                "first_day": day.isoformat(),
                "last_day": (day + dt.timedelta(days=6)).isoformat(),
                "day_start": "08:00",
                "day_end": "16:00",
                "mode": "online",
                "location": "https://rapat.contoh.go.id",
            },
        )
        assert response.status_code == 302
        assert edition.proposals.get().slot.minutes == 20


class TestResultPages:
    def test_decree_form_records_the_decree(self, secretariat, unit_a, as_client):
        edition = EditionFactory(stages=EditionState.RESULTS)
        winner = proposal_in(edition, S.WINNER, unit_a, tiers=["top45"])
        client = as_client(secretariat)
        url = reverse("kipp_decree_create", args=[edition.code])
        assert "finalis_2025, top45" in client.get(url).content.decode()
        response = client.post(
            url,
            {"number": "Kepmen PANRB 123/2025", "date": "2025-09-01", "title": "Penetapan"},
        )
        assert response.status_code == 302
        assert Decree.objects.get().number == "Kepmen PANRB 123/2025"
        winner.refresh_from_db()
        assert winner.state == S.DECREED
        assert AwardRecord.objects.count() == 2

        response = client.post(
            reverse("kipp_award_event_create"),
            {
                "editions": [edition.pk],
                "name": "Penganugerahan KIPP 2025",
                "date": "2025-11-09",
                "venue": "Jakarta",
            },
        )
        assert response.status_code == 302
        assert AwardEvent.objects.count() == 1
        winner.refresh_from_db()
        assert winner.state == S.AWARDED

    def test_disqualify_and_revoke_forms(self, secretariat, unit_a, unit_b, as_client):
        edition = EditionFactory(stages=EditionState.RESULTS)
        late = proposal_in(edition, S.AWARDED, unit_a, title="Dicabut")
        cheat = proposal_in(edition, S.CONFIRMED_FINALIST, unit_b, title="Plagiat")
        client = as_client(secretariat)
        response = client.post(
            reverse("kipp_disqualify", args=[cheat.pk]),
            {"reason": "plagiarism", "evidence_note": "Isi sama persis dengan proposal lain."},
        )
        assert response.status_code == 302
        response = client.post(
            reverse("kipp_revoke", args=[late.pk]),
            {"amending_decree_no": "Kepmen PANRB 9/2026", "reason": "Data palsu"},
        )
        assert response.status_code == 302
        cheat.refresh_from_db()
        late.refresh_from_db()
        assert (cheat.state, late.state) == (S.DISQUALIFIED, S.REVOKED)

    def test_publication_home_lists_finalists_with_constant_queries(
        self, edition, secretariat, unit_a, as_client, django_assert_num_queries
    ):
        proposal_in(edition, S.CONFIRMED_FINALIST, unit_a, title="Satu")
        client = as_client(secretariat)
        url = reverse("kipp_publication_home", args=[edition.code])
        client.get(url)
        with django_assert_num_queries(10) as few:
            response = client.get(url)
        assert "Satu" in response.content.decode()
        for n in range(5):
            proposal_in(edition, S.PRESENTED, unit_a, title=f"Lain {n}")
        with django_assert_num_queries(len(few.captured_queries)):
            client.get(url)
        assert Objection.objects.count() == 0


# --------------------------------------------------------------------------- API

API = "/api/v1/kipp"


def bearer(person):
    _token, key = create_api_token(actor=person, name="uji")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_queue_names_the_objectors_with_constant_queries(
    edition,
    objections,
    secretariat,
    django_assert_num_queries,
):
    headers = bearer(secretariat)
    client = Client()
    url = f"{API}/objections"
    client.get(url, **headers)  # the token's first use is recorded once
    with django_assert_num_queries(4) as few:
        data = client.get(url, {"edition": edition.code}, **headers).json()
    assert data["count"] == 2
    assert {item["filed_by"]["name"] for item in data["items"]} >= {"Budi Warga"}
    proposal = objections[0].proposal
    for _ in range(5):
        file_objection(proposal, ground="other", statement=STATEMENT, actor=PersonFactory())
    with django_assert_num_queries(len(few.captured_queries)):
        data = client.get(url, {"status": "open"}, **headers).json()
    assert data["count"] == 7


def test_resolving_upheld_disqualifies_and_a_short_answer_is_422(
    objections,
    secretariat,
):
    objection = objections[0]
    headers = bearer(secretariat)
    url = f"{API}/objections/{objection.pk}/resolve"
    short = Client().post(
        url,
        json.dumps({"status": "upheld", "resolution": "ya"}),
        content_type="application/json",
        **headers,
    )
    assert short.status_code == 422
    assert "resolution" in short.json()["detail"]
    response = Client().post(
        url,
        json.dumps({"status": "upheld", "resolution": "Terbukti tidak berjalan di lapangan."}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    assert response.json()["status"] == "upheld"
    assert response.json()["proposal"]["state"] == S.DISQUALIFIED
