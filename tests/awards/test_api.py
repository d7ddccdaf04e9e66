"""The awards API: the published list, verification, institution awards and writes."""

from __future__ import annotations

import pytest

from prima.awards.domain.certificates import issue_certificate, revoke_certificate
from prima.awards.models import Award, Certificate
from prima.core.domain.tokens import create_api_token
from tests.awards.helpers import (
    decided_innovation_awards,
    decided_institution_awards,
    edition_with_categories,
)
from tests.conftest import client_for
from tests.factories import InstitutionFactory

NAMES = ["Kota Surabaya", "Kota Balikpapan", "Kota Payakumbuh"]
REASON = "Ditambahkan atas keputusan rapat pleno tim panel."


def _auth(person) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(actor=person, name='uji')[1]}"}


@pytest.fixture
def decided(secretariat):
    """Decided awards of an edition in `results`, not yet published."""
    edition, coaching, sustained = edition_with_categories(secretariat)
    decided_institution_awards(coaching, secretariat, NAMES)
    return edition, coaching, sustained


@pytest.fixture
def published(decided):
    edition, coaching, sustained = decided
    edition.is_published = True
    edition.save()
    return edition, coaching, sustained


def test_list_hides_ranks_and_scores_unless_published(published):
    edition, _c, _s = published
    body = client_for(None).get(f"/api/v1/awards/editions/{edition.code}/awards").json()
    assert body["publish_ranks"] is False
    assert [i["institution"]["name"] for i in body["items"]] == sorted(NAMES)
    assert {i["rank"] for i in body["items"]} == {None}
    assert {i["score"] for i in body["items"]} == {None}


def test_list_shows_ranks_when_the_rules_publish_them(published):
    edition, _c, _s = published
    edition.rules = {
        **edition.rules,
        "publication": {"publish_ranks": True, "publish_scores": True},
    }
    edition.save()
    body = client_for(None).get(f"/api/v1/awards/editions/{edition.code}/awards").json()
    assert [i["institution"]["name"] for i in body["items"]] == NAMES
    assert [i["rank"] for i in body["items"]] == [1, 2, 3]
    assert body["items"][0]["score"] == "79.00"


def test_list_query_count_is_constant(secretariat, published, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, _c, sustained = edition_with_categories(secretariat)
    decided_innovation_awards(sustained, secretariat, count=1)
    small.is_published = True
    small.save()
    big = published[0]
    client = client_for(None)
    with CaptureQueriesContext(connection) as one:
        client.get(f"/api/v1/awards/editions/{small.code}/awards")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(f"/api/v1/awards/editions/{big.code}/awards")


def test_verification_answers(secretariat, decided):
    _edition, _c, sustained = decided
    [award, _] = decided_innovation_awards(sustained, secretariat)
    certificate = issue_certificate(award, actor=secretariat)
    client = client_for(None)

    genuine = client.get(f"/api/v1/awards/certificates/{certificate.code}").json()
    assert (genuine["status"], genuine["genuine"]) == ("genuine", True)
    assert genuine["facts"]["number"] == certificate.number

    unknown = client.get("/api/v1/awards/certificates/AAAAAAAAAAAAAAAA")
    assert unknown.status_code == 404 and unknown.json()["status"] == "unknown"

    Certificate.objects.filter(pk=certificate.pk).update(
        facts={**certificate.facts, "institution": "Instansi Lain"}
    )
    tampered = client.get(f"/api/v1/awards/certificates/{certificate.code}").json()
    assert (tampered["status"], tampered["genuine"], tampered["facts"]) == (
        "tampered",
        False,
        None,
    )


def test_remove_needs_a_reason(secretariat, decided):
    _edition, coaching, _s = decided
    award = Award.objects.filter(category=coaching).first()
    response = client_for(None).post(
        f"/api/v1/awards/awards/{award.pk}/remove",
        {"reason": "pendek"},
        content_type="application/json",
        **_auth(secretariat),
    )
    assert response.status_code == 422
    assert "20 karakter" in response.json()["detail"]
    award.refresh_from_db()
    assert award.status == "decided"


def test_issue_returns_the_verification_url(secretariat, published):
    _edition, coaching, _s = published
    award = Award.objects.filter(category=coaching).first()
    response = client_for(None).post(
        f"/api/v1/awards/awards/{award.pk}/certificate",
        content_type="application/json",
        **_auth(secretariat),
    )
    body = response.json()
    assert response.status_code == 201
    assert body["verification_url"].endswith(f"/penghargaan/piagam/{body['code']}/")


def test_institution_awards(secretariat, published):
    _edition, coaching, _s = published
    award = Award.objects.filter(category=coaching).first()
    body = client_for(None).get(f"/api/v1/awards/institutions/{award.institution_id}").json()
    assert body["count"] == 1
    assert body["items"][0]["title"] == coaching.title


def test_a_tampered_revocation_is_not_stated(secretariat, decided):
    _edition, _c, sustained = decided
    [award, _] = decided_innovation_awards(sustained, secretariat)
    certificate = issue_certificate(award, actor=secretariat)
    revoke_certificate(certificate, reason=REASON, actor=secretariat)
    client = client_for(None)
    revoked = client.get(f"/api/v1/awards/certificates/{certificate.code}").json()
    assert (revoked["status"], revoked["revoked_reason"]) == ("revoked", REASON)
    assert revoked["revoked_at"] is not None

    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_reason="Alasan lain yang dikarang."
    )
    Certificate.objects.filter(pk=certificate.pk).update(
        facts={**certificate.facts, "institution": "Instansi Lain"}
    )
    tampered = client.get(f"/api/v1/awards/certificates/{certificate.code}").json()
    assert tampered["status"] == "tampered"
    assert (tampered["revoked_at"], tampered["revoked_reason"], tampered["number"]) == (
        None,
        None,
        None,
    )


def test_list_items_say_which_rows_are_demo_data(published):
    edition, coaching, _s = published
    Award.objects.filter(category=coaching, institution__name="Kota Surabaya").update(
        is_demo_placeholder=True
    )
    body = client_for(None).get(f"/api/v1/awards/editions/{edition.code}/awards").json()
    assert {i["institution"]["name"]: i["is_demo_placeholder"] for i in body["items"]} == {
        "Kota Balikpapan": False,
        "Kota Payakumbuh": False,
        "Kota Surabaya": True,
    }


def test_adding_to_a_public_edition_is_refused(secretariat, published):
    _edition, coaching, _s = published
    response = client_for(None).post(
        f"/api/v1/awards/categories/{coaching.pk}/awards",
        {"institution": InstitutionFactory().pk, "reason": REASON},
        content_type="application/json",
        **_auth(secretariat),
    )
    assert response.status_code == 422
    assert "sudah diumumkan" in response.json()["detail"]
