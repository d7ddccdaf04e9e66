"""API of the public benefit rating (kipp.md §14): published results (409 while the window
is open), a citizen's ratings with a citizen token, and the secretariat's summary, suspect
list and release with a staff token."""

from __future__ import annotations

import itertools
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from prima.core.domain.tokens import create_api_token
from prima.core.enums import Role
from prima.kipp.domain.benefit import benefit_summaries, public_results
from prima.kipp.models import BenefitRating, RatingSuspicion
from tests.factories import CitizenFactory, person_with_role
from tests.kipp.benefit_data import (
    announced,
    citizen_headers,
    many_ratings,
    more_finalists,
    queries_of,
    rate,
    rating_edition,
    set_window,
)
from tests.kipp.factories import BenefitRatingFactory, ProposalFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/kipp/editions"
REASON = "Lonjakan berasal dari sosialisasi resmi di balai kota, sudah diverifikasi."


@pytest.fixture
def edition(db):
    return rating_edition("open")


@pytest.fixture
def finalists(edition, unit_a, unit_b):
    return announced(edition, (unit_a, "Klinik Keliling"), (unit_b, "Layanan Jemput Bola"))


_names = itertools.count()


def staff(person) -> dict[str, str]:
    _token, key = create_api_token(actor=person, name=f"uji-{next(_names)}")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(url, body, headers):
    return Client().post(url, json.dumps(body), content_type="application/json", **headers)


class TestResults:
    def test_409_with_no_counts_while_the_window_is_open(self, edition, finalists):
        many_ratings(finalists[0], 3)
        response = Client().get(f"{API}/{edition.code}/benefit-ratings/results")
        assert response.status_code == 409
        body = response.json()
        assert set(body) == {"detail"}
        assert "setelah masa penilaian ditutup" in body["detail"]

    def test_after_closing_they_match_the_domain_and_page(
        self, edition, finalists, django_assert_num_queries
    ):
        a, b = finalists
        many_ratings(a, 30)
        many_ratings(b, 2)
        set_window(edition, "closed")
        url = f"{API}/{edition.code}/benefit-ratings/results"
        few = queries_of(lambda: Client().get(url))
        data = Client().get(url).json()
        assert data["count"] == 2 and data["min_valid_ratings"] == 30
        assert [(i["proposal"], i["valid_ratings"], i["score"]) for i in data["items"]] == [
            (r.proposal.pk, r.valid, None if r.score is None else str(r.score))
            for r in public_results(edition)
        ]
        assert data["items"][0]["score"] == "87.50"
        assert data["items"][0]["institution"] == "Pemerintah Kota Payakumbuh"
        page = Client().get(url, {"limit": 1, "offset": 1}).json()
        assert page["count"] == 2 and [i["proposal"] for i in page["items"]] == [b.pk]

        set_window(edition, "open")
        more_finalists(edition, 3, ratings=1)
        set_window(edition, "closed")
        with django_assert_num_queries(few):
            assert Client().get(url).json()["count"] == 5

    def test_unknown_or_hidden_edition_is_404(self, db):
        hidden = rating_edition("closed", is_published=False)
        for code in ("tidak-ada", hidden.code):
            response = Client().get(f"{API}/{code}/benefit-ratings/results")
            assert response.status_code == 404 and "detail" in response.json()


class TestCitizenRating:
    def test_a_citizen_token_rates_and_rating_again_replaces(self, edition, finalists):
        a, _b = finalists
        citizen = CitizenFactory()
        headers = citizen_headers(citizen)
        url = f"{API}/{edition.code}/benefit-ratings"
        body = {"proposal": a.pk, "relationship": "used_myself", "benefit": 4, "adoption": 5}
        response = post(url, {**body, "comment": "Membantu"}, headers)
        assert response.status_code == 201
        first = response.json()
        assert first["proposal"] == a.pk and first["title"] == "Klinik Keliling"
        assert (first["benefit"], first["adoption"], first["comment"]) == (4, 5, "Membantu")
        assert "address_hash" not in first and "phone" not in json.dumps(first)

        again = post(url, {**body, "benefit": 2, "affiliated": True}, headers).json()
        assert again["id"] == first["id"] and again["created_at"] == first["created_at"]
        rating = BenefitRating.objects.get(citizen=citizen)
        assert (rating.benefit, rating.affiliated, rating.value) == (2, True, Decimal("62.50"))

        mine = Client().get(f"{url}/mine", **headers).json()
        assert mine["count"] == 1 and mine["items"][0]["benefit"] == 2

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"benefit": 7}, "benefit"),
            ({"adoption": 0}, "adoption"),
            ({"relationship": "tetangga"}, "relationship"),
            ({"comment": "x" * 501}, "comment"),
        ],
    )
    def test_bad_answers_are_400_naming_the_field(self, edition, finalists, change, field):
        body = {
            "proposal": finalists[0].pk,
            "relationship": "used_myself",
            "benefit": 4,
            "adoption": 5,
            **change,
        }
        response = post(
            f"{API}/{edition.code}/benefit-ratings", body, citizen_headers(CitizenFactory())
        )
        assert response.status_code == 400
        assert f"(kolom: {field})" in response.json()["detail"]
        assert not BenefitRating.objects.exists()

    def test_a_proposal_that_is_no_finalist_or_a_closed_window_is_400(self, edition, finalists):
        headers = citizen_headers(CitizenFactory())
        url = f"{API}/{edition.code}/benefit-ratings"
        body = {"relationship": "used_myself", "benefit": 4, "adoption": 5}
        other = ProposalFactory(edition=edition)
        response = post(url, {**body, "proposal": other.pk}, headers)
        assert response.status_code == 400 and "(kolom: proposal)" in response.json()["detail"]
        set_window(edition, "closed")
        response = post(url, {**body, "proposal": finalists[0].pk}, headers)
        assert response.status_code == 400 and "sudah ditutup" in response.json()["detail"]
        assert not BenefitRating.objects.exists()

    def test_a_staff_token_is_no_citizen(self, edition, finalists, secretariat):
        body = {
            "proposal": finalists[0].pk,
            "relationship": "used_myself",
            "benefit": 4,
            "adoption": 5,
        }
        response = post(f"{API}/{edition.code}/benefit-ratings", body, staff(secretariat))
        assert response.status_code == 401
        assert not BenefitRating.objects.exists()

    def test_mine_lists_only_own_ratings(self, edition, finalists):
        citizen = CitizenFactory()
        rate(finalists[0], citizen=citizen)
        rate(finalists[1])
        data = (
            Client()
            .get(f"{API}/{edition.code}/benefit-ratings/mine", **citizen_headers(citizen))
            .json()
        )
        assert [i["proposal"] for i in data["items"]] == [finalists[0].pk]


@pytest.fixture
def rated(edition, finalists):
    a, b = finalists
    many_ratings(a, 3)
    rate(a, relationship="not_familiar")
    s1 = BenefitRatingFactory(proposal=a, suspicion=RatingSuspicion.NETWORK, comment="Warnet")
    s2 = BenefitRatingFactory(proposal=b, suspicion=RatingSuspicion.BURST)
    return a, b, s1, s2


class TestSecretariat:
    def test_summary_matches_the_domain_with_constant_queries(
        self, edition, rated, secretariat, django_assert_num_queries
    ):
        a, _b, _s1, _s2 = rated
        headers = staff(secretariat)
        url = f"{API}/{edition.code}/benefit-ratings/summary"
        Client().get(url, **headers)  # the token's first use is recorded once
        few = queries_of(lambda: Client().get(url, **headers))
        data = Client().get(url, **headers).json()
        item = next(i for i in data["items"] if i["proposal"] == a.pk)
        summary = benefit_summaries(edition)[a.pk]
        assert (item["total"], item["valid"], item["suspect"]) == (5, 3, 1)
        assert (summary.total, summary.valid, summary.suspect) == (5, 3, 1)
        assert item["excluded"] == {"not_familiar": 1, "affiliated": 0, "official_email": 0}
        assert item["score"] is None and item["minimum_reached"] is False
        more_finalists(edition, 3, ratings=2)
        with django_assert_num_queries(few):
            assert Client().get(url, **headers).json()["count"] == 5

    def test_suspects_filter_and_never_carry_phone_or_hashes(
        self, edition, rated, secretariat, django_assert_num_queries
    ):
        _a, b, s1, s2 = rated
        headers = staff(secretariat)
        url = f"{API}/{edition.code}/benefit-ratings/suspects"
        Client().get(url, **headers)  # the token's first use is recorded once
        few = queries_of(lambda: Client().get(url, **headers))
        data = Client().get(url, **headers).json()
        assert data["count"] == 2
        text = json.dumps(data)
        assert s1.citizen.phone not in text and s1.network_hash not in text
        assert "address_hash" not in text and "network_hash" not in text
        only_b = Client().get(url, {"proposal": b.pk}, **headers).json()
        assert [i["id"] for i in only_b["items"]] == [s2.pk]
        network = Client().get(url, {"suspicion": "network"}, **headers).json()
        assert [(i["id"], i["citizen"], i["comment"]) for i in network["items"]] == [
            (s1.pk, s1.citizen_id, "Warnet")
        ]
        for _ in range(3):
            BenefitRatingFactory(proposal=b, suspicion=RatingSuspicion.BURST)
        with django_assert_num_queries(few):
            assert Client().get(url, **headers).json()["count"] == 5

    def test_release_needs_a_reason_and_the_secretariat(self, edition, rated, secretariat):
        a, _b, s1, _s2 = rated
        url = f"{API}/{edition.code}/benefit-ratings/release"
        response = post(url, {"ids": [s1.pk], "reason": "pendek"}, staff(secretariat))
        assert response.status_code == 422
        assert "(kolom: reason)" in response.json()["detail"]
        viewer = person_with_role(Role.VIEWER)
        response = post(url, {"ids": [s1.pk], "reason": REASON}, staff(viewer))
        assert response.status_code == 403
        s1.refresh_from_db()
        assert s1.released_at is None
        assert benefit_summaries(edition)[a.pk].valid == 3

        response = post(url, {"ids": [s1.pk], "reason": REASON}, staff(secretariat))
        assert response.status_code == 200 and response.json() == {"released": 1}
        s1.refresh_from_db()
        assert s1.released_at is not None and s1.released_at <= timezone.now()
        assert benefit_summaries(edition)[a.pk].valid == 4

    def test_release_of_a_rating_that_is_not_suspect_names_ids(self, edition, rated, secretariat):
        plain = BenefitRating.objects.filter(suspicion="").first()
        response = post(
            f"{API}/{edition.code}/benefit-ratings/release",
            {"ids": [plain.pk], "reason": REASON},
            staff(secretariat),
        )
        assert response.status_code == 422
        assert "(kolom: ids)" in response.json()["detail"]
