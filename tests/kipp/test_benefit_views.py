"""Pages of the public benefit rating (kipp.md §14): the citizens' rating page, form, own
ratings and published results; the secretariat's monitor, suspect list, release and
export. No count or score is public while the window is open (rule 7); staff never see a
phone number or an address hash (rule 8)."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from prima.core.enums import Role
from prima.core.models import AuditEntry
from prima.kipp.domain.benefit import benefit_summaries, public_benefit_scores, public_results
from prima.kipp.models import BenefitRating, RatingExclusion, RatingSuspicion
from tests.conftest import client_for
from tests.factories import CitizenFactory, person_with_role
from tests.kipp.benefit_data import (
    announced,
    citizen_client,
    many_ratings,
    more_finalists,
    queries_of,
    rate,
    rating_edition,
    set_window,
)
from tests.kipp.factories import BenefitRatingFactory, ProposalFactory

pytestmark = pytest.mark.django_db

REASON = "Lonjakan berasal dari sosialisasi resmi di balai kota, sudah diverifikasi."


@pytest.fixture
def edition(db):
    return rating_edition("open")


@pytest.fixture
def finalists(edition, unit_a, unit_b):
    return announced(edition, (unit_a, "Klinik Keliling"), (unit_b, "Layanan Jemput Bola"))


@pytest.fixture
def citizen(db):
    return CitizenFactory()


def home(edition, **params):
    return reverse("kipp_benefit_home", args=[edition.code]), params


def rate_url(proposal):
    return reverse("kipp_benefit_rate", args=[proposal.edition.code, proposal.pk])


ANSWERS = {"relationship": "used_myself", "benefit": "4", "adoption": "5", "comment": ""}


# --------------------------------------------------------------------------- public list


class TestRatingPage:
    def test_anyone_browses_the_finalists_without_counts_while_open(self, edition, finalists):
        a, _b = finalists
        many_ratings(a, 3)
        url, _ = home(edition)
        page = Client().get(url).content.decode()
        assert "Klinik Keliling" in page and "Layanan Jemput Bola" in page
        assert page.count("Beri penilaian") >= 2
        assert "Penilaian sedang dibuka sampai" in page
        # Rule 7: nothing about how many rated or how they scored.
        assert "penilaian sah" not in page
        assert "Lihat hasil penilaian" not in page

    def test_a_signed_in_citizen_sees_what_they_rated_and_may_rate_again(
        self, edition, finalists, citizen
    ):
        _a, b = finalists
        rate(b, citizen=citizen)
        url, _ = home(edition)
        page = citizen_client(citizen).get(url).content.decode()
        item_a, item_b = page.split("<h3")[1:3]
        assert "Klinik Keliling" in item_a and "Beri penilaian" in item_a
        assert "Sudah Anda nilai" not in item_a
        assert "Layanan Jemput Bola" in item_b and "Sudah Anda nilai" in item_b
        assert "Ubah penilaian" in item_b
        assert reverse("kipp_benefit_mine", args=[edition.code]) in page

    def test_search_by_institution_and_filter_by_category(self, edition, finalists, unit_a):
        announced(edition, (unit_a, "Sekolah Lapang"), category="AC6")
        url, _ = home(edition)
        page = Client().get(url, {"q": "surabaya"}).content.decode()
        assert "Layanan Jemput Bola" in page and "Klinik Keliling" not in page
        page = Client().get(url, {"kategori": "AC6"}).content.decode()
        assert "Sekolah Lapang" in page and "Klinik Keliling" not in page

    def test_not_yet_open_shows_dates_and_no_rating_button(self, finalists, edition):
        set_window(edition, "not_yet")
        page = Client().get(home(edition)[0]).content.decode()
        assert "Penilaian dibuka" in page
        assert "Klinik Keliling" in page
        assert "Beri penilaian" not in page

    def test_an_edition_without_rating_or_unpublished_is_not_found(self, edition, finalists):
        rules = dict(edition.rules)
        rules["public_benefit_rating"] = {"enabled": False}
        rules["final_score"] = {
            **rules["final_score"],
            "components": {"desk": 0.7, "panel_assessment": 0.3},
        }
        edition.rules = rules
        edition.save(update_fields=["rules"])
        assert Client().get(home(edition)[0]).status_code == 404
        hidden = rating_edition("open", is_published=False)
        assert Client().get(home(hidden)[0]).status_code == 404

    def test_constant_queries_whatever_the_number_of_finalists(
        self, edition, citizen, django_assert_num_queries
    ):
        (first,) = more_finalists(edition, 1)
        rate(first, citizen=citizen)
        client = citizen_client(citizen)
        url, _ = home(edition)
        few = queries_of(lambda: client.get(url))
        for proposal in more_finalists(edition, 4, ratings=1)[:2]:
            rate(proposal, citizen=citizen)
        with django_assert_num_queries(few):
            page = client.get(url).content.decode()
        assert page.count("Sudah Anda nilai") == 3
        assert page.count("<h3") == 5


# --------------------------------------------------------------------------- rating form


class TestRatingForm:
    def test_a_visitor_is_sent_to_the_citizen_sign_in(self, finalists):
        response = Client().get(rate_url(finalists[0]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("citizen-login"))
        assert "next=" in response["Location"]

    def test_the_form_asks_q0_to_q2_and_says_the_comment_stays_private(self, finalists, citizen):
        page = citizen_client(citizen).get(rate_url(finalists[0])).content.decode()
        assert "Klinik Keliling" in page
        assert "Saya sendiri pernah memakai layanan ini" in page
        assert "Sangat bermanfaat" in page and "Sangat layak ditiru" in page
        assert page.count('type="radio"') == 4 + 5 + 5
        assert "tidak pernah dipublikasikan" in page
        assert 'name="affiliated"' in page

    def test_rating_stores_the_answers_and_rating_again_replaces_them(self, finalists, citizen):
        a, _b = finalists
        client = citizen_client(citizen)
        response = client.post(
            rate_url(a),
            {**ANSWERS, "comment": "Sangat membantu ibu saya."},
            REMOTE_ADDR="198.51.100.4",
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("kipp_benefit_home", args=[a.edition.code])
        assert any("tersimpan" in str(m) for m in get_messages(response.wsgi_request))
        rating = BenefitRating.objects.get(proposal=a, citizen=citizen)
        assert (rating.relationship, rating.benefit, rating.adoption) == ("used_myself", 4, 5)
        assert rating.value == Decimal("87.50")
        assert rating.comment == "Sangat membantu ibu saya."
        assert rating.address_hash and "198.51.100.4" not in rating.address_hash
        first_created = rating.created_at

        page = client.get(rate_url(a)).content.decode()
        assert "Mengirim lagi akan menggantikan" in page
        checked = re.findall(r'<input type="radio" name="(\w+)" value="(\w+)"[^>]*checked', page)
        assert sorted(checked) == [
            ("adoption", "5"),
            ("benefit", "4"),
            ("relationship", "used_myself"),
        ]

        client.post(rate_url(a), {**ANSWERS, "benefit": "2", "adoption": "3", "affiliated": "on"})
        rating = BenefitRating.objects.get(proposal=a, citizen=citizen)
        assert BenefitRating.objects.filter(proposal=a, citizen=citizen).count() == 1
        assert (rating.benefit, rating.adoption, rating.affiliated) == (2, 3, True)
        assert rating.exclusion == RatingExclusion.AFFILIATED
        assert rating.created_at == first_created

    def test_missing_answers_are_named_in_indonesian_and_nothing_is_stored(
        self, finalists, citizen
    ):
        response = citizen_client(citizen).post(
            rate_url(finalists[0]), {"relationship": "know_of_it", "comment": "x" * 501}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "Pilih nilai kebermanfaatan 1–5." in page
        assert "Pilih nilai kelayakan ditiru 1–5." in page
        assert "Komentar paling banyak 500 karakter." in page
        assert 'aria-describedby="id_benefit-err"' in page
        assert not BenefitRating.objects.exists()

    def test_the_domains_refusal_is_shown_and_nothing_is_stored(self, edition, finalists, citizen):
        # 20 innovations rated today already: the daily cap (rule 2) refuses a 21st.
        for _ in range(20):
            BenefitRatingFactory(proposal=ProposalFactory(edition=edition), citizen=citizen)
        response = citizen_client(citizen).post(rate_url(finalists[0]), ANSWERS)
        assert response.status_code == 200
        assert "batasnya 20 per hari" in response.content.decode()
        assert not BenefitRating.objects.filter(proposal=finalists[0]).exists()

    def test_outside_the_window_there_is_no_form_and_a_post_is_refused(
        self, edition, finalists, citizen
    ):
        set_window(edition, "closed")
        client = citizen_client(citizen)
        page = client.get(rate_url(finalists[0])).content.decode()
        assert "telah ditutup" in page
        assert 'type="radio"' not in page
        response = client.post(rate_url(finalists[0]), ANSWERS)
        assert "sudah ditutup" in response.content.decode()
        assert not BenefitRating.objects.exists()

    def test_a_proposal_that_is_no_announced_finalist_is_not_found(self, edition, citizen):
        other = ProposalFactory(edition=edition)
        assert citizen_client(citizen).get(rate_url(other)).status_code == 404


# --------------------------------------------------------------------------- own ratings


class TestMyRatings:
    def test_lists_only_the_citizens_own_ratings_with_constant_queries(
        self, edition, finalists, citizen, django_assert_num_queries
    ):
        a, b = finalists
        rate(a, citizen=citizen, comment="Komentar pribadi saya")
        rate(b, comment="Komentar orang lain")
        client = citizen_client(citizen)
        url = reverse("kipp_benefit_mine", args=[edition.code])
        page = client.get(url).content.decode()
        assert "Klinik Keliling" in page and "Komentar pribadi saya" in page
        assert "Layanan Jemput Bola" not in page and "Komentar orang lain" not in page
        few = queries_of(lambda: client.get(url))
        rate(b, citizen=citizen)
        for proposal in more_finalists(edition, 3):
            rate(proposal, citizen=citizen)
        with django_assert_num_queries(few):
            page = client.get(url).content.decode()
        assert "Layanan Jemput Bola" in page and "Inovasi 2" in page


# --------------------------------------------------------------------------- results


def _closed_with_ratings(edition, finalists):
    """30 valid ratings of «Klinik Keliling» (score 87.50), 2 of «Layanan Jemput Bola»."""
    a, b = finalists
    many_ratings(a, 30)
    many_ratings(b, 2, benefit=3, adoption=3)
    rate(b, relationship="not_familiar")  # kept, not counted
    set_window(edition, "closed")
    return a, b


class TestResults:
    def test_nothing_is_published_while_open(self, edition, finalists):
        many_ratings(finalists[0], 3)
        page = Client().get(reverse("kipp_benefit_results", args=[edition.code])).content.decode()
        assert "diumumkan setelah masa penilaian ditutup" in page
        assert "Klinik Keliling" not in page
        url = reverse("kipp_benefit_results_export", args=[edition.code])
        for fmt in ("csv", "json", "xlsx"):
            assert Client().get(url, {"format": fmt}).status_code == 404

    def test_after_closing_the_table_shows_valid_counts_and_scores(self, edition, finalists):
        a, _b = _closed_with_ratings(edition, finalists)
        assert public_benefit_scores(edition) == {a.pk: Decimal("87.50")}
        page = Client().get(reverse("kipp_benefit_results", args=[edition.code])).content.decode()
        row_a, row_b = page.split("<tbody>")[1].split("</tr>")[:2]
        assert "Klinik Keliling" in row_a and ">30<" in row_a and "87,50" in row_a
        assert "Layanan Jemput Bola" in row_b and ">2<" in row_b
        assert "kurang dari 30 penilaian sah" in row_b

    def test_downloads_match_the_domains_results(self, edition, finalists):
        a, _b = _closed_with_ratings(edition, finalists)
        rows = public_results(edition)
        url = reverse("kipp_benefit_results_export", args=[edition.code])

        data = json.loads(Client().get(url, {"format": "json"}).content)
        assert data["count"] == 2
        assert [(i["proposal"], i["valid_ratings"], i["score"]) for i in data["items"]] == [
            (r.proposal.pk, r.valid, f"{r.score:.2f}" if r.score is not None else None)
            for r in rows
        ]
        assert data["items"][0]["score"] == "87.50"

        response = Client().get(url, {"format": "csv"})
        assert response["Content-Disposition"].endswith('.csv"')
        table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert table[0][4:] == ["Penilaian sah", "Nilai kebermanfaatan"]
        assert table[1][:2] == [str(a.pk), "Klinik Keliling"]
        assert table[1][4:] == ["30", "87.50"]
        assert table[2][4:] == ["2", ""]

        response = Client().get(url, {"format": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.iter_rows(values_only=True))
        assert values[1][0] == a.pk and values[1][4] == 30
        assert Decimal(str(values[1][5])) == Decimal("87.50")
        assert values[2][4] == 2 and values[2][5] in (None, "")

    def test_results_page_has_constant_queries(self, edition, django_assert_num_queries):
        more_finalists(edition, 1, ratings=2)
        set_window(edition, "closed")
        url = reverse("kipp_benefit_results", args=[edition.code])
        few = queries_of(lambda: Client().get(url))
        set_window(edition, "open")
        more_finalists(edition, 3, ratings=2)
        set_window(edition, "closed")
        with django_assert_num_queries(few):
            page = Client().get(url).content.decode()
        assert page.count("<tr>") == 1 + 4


# --------------------------------------------------------------------------- secretariat


@pytest.fixture
def rated(edition, finalists):
    """«Klinik Keliling»: 3 valid, 1 not familiar, 1 affiliated, 2 network suspects (one
    released). «Layanan Jemput Bola»: 1 burst suspect."""
    a, b = finalists
    many_ratings(a, 3)
    rate(a, relationship="not_familiar")
    rate(a, affiliated=True, comment="Saya pegawai dinas ini")
    s1 = BenefitRatingFactory(proposal=a, suspicion=RatingSuspicion.NETWORK, comment="Dari warnet")
    BenefitRatingFactory(
        proposal=a,
        suspicion=RatingSuspicion.NETWORK,
        released_at=timezone.now(),
        release_reason=REASON,
    )
    s3 = BenefitRatingFactory(proposal=b, suspicion=RatingSuspicion.BURST)
    return a, b, s1, s3


def monitor(edition, name="kipp_benefit_monitor"):
    return reverse(name, args=[edition.code])


class TestMonitor:
    def test_counts_per_finalist_match_the_domain(self, edition, rated, secretariat):
        a, _b, _s1, _s3 = rated
        page = client_for(secretariat).get(monitor(edition)).content.decode()
        summary = benefit_summaries(edition)[a.pk]
        assert (summary.total, summary.valid, summary.suspect, summary.released) == (7, 4, 2, 1)
        row_a = page.split("<tbody>")[1].split("</tr>")[0]
        cells = [c.split(">", 1)[1].split("<")[0] for c in row_a.split("<td")[2:]]
        # total, valid, not familiar, affiliated, official e-mail, suspect, released
        assert cells[:7] == ["7", "4", "1", "1", "0", "", "1"]
        assert ">2</a>" in row_a  # suspects link to the filtered list
        assert "tidak ada" in row_a and "belum" in row_a
        assert "Kebermanfaatan" in page  # the evaluation nav entry

    def test_constant_queries_whatever_the_number_of_finalists(
        self, edition, rated, secretariat, django_assert_num_queries
    ):
        client = client_for(secretariat)
        few = queries_of(lambda: client.get(monitor(edition)))
        more_finalists(edition, 3, ratings=2)
        with django_assert_num_queries(few):
            page = client.get(monitor(edition)).content.decode()
        assert "Inovasi 2" in page


class TestSuspects:
    def test_lists_suspects_with_answers_but_no_phone_or_hash(self, edition, rated, secretariat):
        _a, _b, s1, _s3 = rated
        page = (
            client_for(secretariat).get(monitor(edition, "kipp_benefit_suspects")).content.decode()
        )
        assert "Dari warnet" in page
        assert f"Warga #{s1.citizen_id}" in page
        assert "Banyak akun dari satu jaringan" in page and "Lonjakan penilaian" in page
        assert "Saya sendiri pernah memakai layanan ini" in page
        assert s1.citizen.phone not in page
        assert s1.address_hash not in page and s1.network_hash not in page
        assert page.count('name="ratings"') == 2  # the released one has no checkbox

    def test_filters_by_finalist_and_reason(self, edition, rated, secretariat):
        _a, b, s1, s3 = rated
        client = client_for(secretariat)
        url = monitor(edition, "kipp_benefit_suspects")
        page = client.get(url, {"finalis": b.pk}).content.decode()
        assert f"Warga #{s3.citizen_id}" in page and f"Warga #{s1.citizen_id}" not in page
        page = client.get(url, {"alasan": "network"}).content.decode()
        assert f"Warga #{s1.citizen_id}" in page and f"Warga #{s3.citizen_id}" not in page

    def test_constant_queries_whatever_the_number_of_suspects(
        self, edition, rated, secretariat, django_assert_num_queries
    ):
        client = client_for(secretariat)
        url = monitor(edition, "kipp_benefit_suspects")
        few = queries_of(lambda: client.get(url))
        for _ in range(4):
            BenefitRatingFactory(proposal=rated[1], suspicion=RatingSuspicion.BURST)
        with django_assert_num_queries(few):
            page = client.get(url).content.decode()
        assert page.count('name="ratings"') == 6

    def test_a_short_reason_is_refused_and_changes_nothing(self, edition, rated, secretariat):
        a, _b, s1, s3 = rated
        entries = AuditEntry.objects.count()
        response = client_for(secretariat).post(
            monitor(edition, "kipp_benefit_suspects"),
            {"ratings": [s1.pk, s3.pk], "reason": "terlalu pendek"},
        )
        assert response.status_code == 200
        assert "Alasan pelepasan minimal 20 karakter" in response.content.decode()
        s1.refresh_from_db()
        s3.refresh_from_db()
        assert s1.released_at is None and s3.released_at is None
        assert AuditEntry.objects.count() == entries
        assert benefit_summaries(edition)[a.pk].valid == 4

    def test_release_with_a_reason_lets_the_ratings_count(self, edition, rated, secretariat):
        a, _b, s1, _s3 = rated
        url = monitor(edition, "kipp_benefit_suspects") + "?alasan=network"
        response = client_for(secretariat).post(url, {"ratings": [s1.pk], "reason": REASON})
        assert response.status_code == 302 and response["Location"] == url
        s1.refresh_from_db()
        assert s1.released_at is not None and s1.release_reason == REASON
        assert benefit_summaries(edition)[a.pk].valid == 5

    def test_a_reader_sees_the_list_but_cannot_release(self, edition, rated):
        viewer = person_with_role(Role.VIEWER)
        client = client_for(viewer)
        url = monitor(edition, "kipp_benefit_suspects")
        page = client.get(url).content.decode()
        assert "Dari warnet" in page and 'name="ratings"' not in page
        response = client.post(url, {"ratings": [rated[2].pk], "reason": REASON})
        assert response.status_code == 403
        rated[2].refresh_from_db()
        assert rated[2].released_at is None


class TestExport:
    def test_every_rating_without_phone_or_hashes(self, edition, rated, secretariat):
        response = client_for(secretariat).get(monitor(edition, "kipp_benefit_export"))
        assert response["Content-Disposition"].endswith('.xlsx"')
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        header, body = rows[0], rows[1:]
        assert len(body) == BenefitRating.objects.filter(edition=edition).count() == 8
        assert not any("ponsel" in str(h).lower() or "hash" in str(h).lower() for h in header)
        text = json.dumps([list(map(str, r)) for r in body])
        for rating in BenefitRating.objects.select_related("citizen"):
            assert f"Warga #{rating.citizen_id}" in text
            assert rating.citizen.phone not in text
            assert rating.network_hash not in text
        assert "Saya pegawai dinas ini" in text
        assert "Menyatakan afiliasi dengan instansi pengusul" in text
