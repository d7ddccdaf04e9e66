"""Who may open the award pages and call the awards API (every persona, every route)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from prima.awards.domain.certificates import issue_certificate, revoke_certificate
from prima.awards.domain.proposals import record_decree
from prima.awards.enums import AwardStatus
from prima.awards.models import Award, Certificate
from prima.core.domain.tokens import create_api_token
from tests.awards.helpers import decided_innovation_awards, edition_with_categories
from tests.conftest import client_for
from tests.factories import InnovationFactory

COVERED_PAGES = {
    "awards_edition",
    "awards_decide",
    "awards_add",
    "awards_remove",
    "awards_issue",
    "awards_decree",
    "awards_certificates_job",
    "awards_certificates_zip",
    "awards_certificate_pdf",
    "awards_certificate_revoke",
    "awards_list",
    "awards_list_export",
    "awards_verify",
    "awards_institution",
}
COVERED_OPERATIONS = {
    ("get", "/awards/editions/{}/awards"),
    ("get", "/awards/certificates/{}"),
    ("get", "/awards/institutions/{}"),
    ("post", "/awards/categories/{}/decide"),
    ("post", "/awards/categories/{}/awards"),
    ("post", "/awards/awards/{}/remove"),
    ("post", "/awards/editions/{}/decree"),
    ("post", "/awards/awards/{}/certificate"),
    ("post", "/awards/awards/{}/certificate/revoke"),
    ("post", "/awards/editions/{}/certificates"),
}
PERSONAS = ["secretariat", "admin_a", "operator_a", "operator_b", "evaluator", "nobody", "public"]
REASON = "Keputusan rapat pleno tim panel independen tanggal 1 Oktober."


def only_secretariat(allowed: int) -> dict[str, int]:
    return {p: (allowed if p == "secretariat" else 302 if p == "public" else 403) for p in PERSONAS}


@pytest.fixture
def world(secretariat, unit_a):
    """A published edition: two decided innovation awards (one of institution A, with its
    certificate), a pending proposal in the coaching category."""
    edition, coaching, sustained = edition_with_categories(secretariat)
    decided_innovation_awards(sustained, secretariat)
    own = Award.objects.filter(category=sustained).first()
    innovation_a = InnovationFactory(unit=unit_a)
    Award.objects.filter(pk=own.pk).update(innovation=innovation_a, institution=unit_a.institution)
    own.refresh_from_db()
    record_decree(edition, number="1/2024", date=dt.date(2024, 10, 1), actor=secretariat)
    certificate = issue_certificate(own, actor=secretariat)
    edition.is_published = True
    edition.save()
    return {
        "edition": edition,
        "coaching": coaching,
        "sustained": sustained,
        "award": own,
        "other": Award.objects.filter(category=sustained).exclude(pk=own.pk).get(),
        "certificate": certificate,
        "institution": unit_a.institution,
    }


def _args(name: str, w: dict) -> list:
    code = w["edition"].code
    return {
        "awards_edition": [code],
        "awards_decide": [code, w["sustained"].pk],
        "awards_add": [code, w["coaching"].pk],
        "awards_remove": [code, w["other"].pk],
        "awards_issue": [code, w["other"].pk],
        "awards_decree": [code],
        "awards_certificates_job": [code],
        "awards_certificates_zip": [code],
        "awards_certificate_pdf": [code, w["certificate"].pk],
        "awards_certificate_revoke": [code, w["certificate"].pk],
        "awards_list": [code],
        "awards_list_export": [code, "csv"],
        "awards_verify": [w["certificate"].code],
        "awards_institution": [w["institution"].pk],
    }[name]


SECRETARIAT_GETS = {"awards_edition": 200, "awards_certificates_zip": 200}
SECRETARIAT_POSTS = [
    "awards_decide",
    "awards_add",
    "awards_remove",
    "awards_issue",
    "awards_decree",
    "awards_certificates_job",
    "awards_certificate_revoke",
]
PUBLIC_PAGES = ["awards_list", "awards_list_export", "awards_verify", "awards_institution"]
# The recipient institution's people download their piagam; the secretariat any piagam.
PDF = {
    "secretariat": 200,
    "admin_a": 200,
    "operator_a": 200,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}


@pytest.mark.parametrize("name", sorted(SECRETARIAT_GETS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_secretariat_pages(personas, world, name, persona):
    expected = only_secretariat(200)[persona]
    response = client_for(personas[persona]).get(reverse(name, args=_args(name, world)))
    assert response.status_code == expected


@pytest.mark.parametrize("name", SECRETARIAT_POSTS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_secretariat_writes(personas, world, name, persona):
    expected = only_secretariat(302)[persona]
    body = {
        "reason": REASON,
        "institution": world["institution"].pk,
        "number": "1/2024",
        "date": "2024-10-01",
    }
    url = reverse(name, args=_args(name, world))
    before = list(Award.objects.values_list("pk", "status", "decree_number"))
    certificates = list(Certificate.objects.values_list("pk", "revoked_at"))

    response = client_for(personas[persona]).post(url, body)

    assert response.status_code == expected
    if persona != "secretariat":
        assert list(Award.objects.values_list("pk", "status", "decree_number")) == before
        assert list(Certificate.objects.values_list("pk", "revoked_at")) == certificates


@pytest.mark.parametrize("name", ["awards_decide", "awards_certificates_job"])
def test_writes_refuse_get(personas, world, name):
    response = client_for(personas["secretariat"]).get(reverse(name, args=_args(name, world)))
    assert response.status_code == 405


@pytest.mark.parametrize("persona, expected", sorted(PDF.items()))
def test_certificate_pdf(personas, world, persona, expected):
    name = "awards_certificate_pdf"
    response = client_for(personas[persona]).get(reverse(name, args=_args(name, world)))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"


def test_recipient_cannot_download_before_publication(personas, world):
    world["edition"].is_published = False
    world["edition"].save()
    name = "awards_certificate_pdf"
    response = client_for(personas["admin_a"]).get(reverse(name, args=_args(name, world)))
    assert response.status_code == 403


@pytest.mark.parametrize("name", PUBLIC_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_are_open_once_published(personas, world, name, persona):
    response = client_for(personas[persona]).get(reverse(name, args=_args(name, world)))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["awards_list", "awards_list_export"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_unpublished_list_is_the_secretariats(personas, world, name, persona):
    world["edition"].is_published = False
    world["edition"].save()
    response = client_for(personas[persona]).get(reverse(name, args=_args(name, world)))
    assert response.status_code == (200 if persona == "secretariat" else 404)


# --------------------------------------------------------------------------- API


def _bearer(person) -> dict[str, str]:
    if person is None:
        return {}
    _, key = create_api_token(actor=person, name="uji")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_public_reads(personas, world, persona):
    client = client_for(None)
    headers = _bearer(personas[persona])
    code = world["edition"].code
    listing = client.get(f"/api/v1/awards/editions/{code}/awards", **headers)
    verified = client.get(f"/api/v1/awards/certificates/{world['certificate'].code}", **headers)
    institution = client.get(f"/api/v1/awards/institutions/{world['institution'].pk}", **headers)
    assert (listing.status_code, verified.status_code, institution.status_code) == (200, 200, 200)
    assert listing.json()["count"] == 2
    assert verified.json()["status"] == "genuine"


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_unpublished_list(personas, world, persona):
    world["edition"].is_published = False
    world["edition"].save()
    response = client_for(None).get(
        f"/api/v1/awards/editions/{world['edition'].code}/awards", **_bearer(personas[persona])
    )
    assert response.status_code == (200 if persona == "secretariat" else 404)


def _writes(w: dict) -> list[tuple[str, dict, int]]:
    code = w["edition"].code
    return [
        (f"/api/v1/awards/categories/{w['sustained'].pk}/decide", {}, 422),  # nothing pending
        # The results are public: the list no longer changes (tests/awards/domain).
        (
            f"/api/v1/awards/categories/{w['coaching'].pk}/awards",
            {"institution": w["institution"].pk, "reason": REASON},
            422,
        ),
        (f"/api/v1/awards/awards/{w['other'].pk}/remove", {"reason": REASON}, 422),
        (f"/api/v1/awards/editions/{code}/decree", {"number": "1/2024", "date": "2024-10-01"}, 200),
        (f"/api/v1/awards/awards/{w['other'].pk}/certificate", {}, 201),
        (f"/api/v1/awards/awards/{w['award'].pk}/certificate/revoke", {"reason": REASON}, 200),
        (f"/api/v1/awards/editions/{code}/certificates", {}, 202),
    ]


@pytest.mark.parametrize("index", range(7))
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_writes_are_the_secretariats(personas, world, persona, index):
    url, body, allowed = _writes(world)[index]
    expected = allowed if persona == "secretariat" else 401 if persona == "public" else 403
    response = client_for(None).post(
        url, body, content_type="application/json", **_bearer(personas[persona])
    )
    assert response.status_code == expected, response.content


def test_recipient_cannot_download_a_revoked_piagam(personas, world, secretariat):
    revoke_certificate(world["certificate"], reason=REASON, actor=secretariat)
    name = "awards_certificate_pdf"
    url = reverse(name, args=_args(name, world))
    assert client_for(personas["admin_a"]).get(url).status_code == 403
    assert client_for(personas["secretariat"]).get(url).status_code == 200


def test_recipient_cannot_download_the_piagam_of_an_award_not_decided(personas, world):
    Award.objects.filter(pk=world["award"].pk).update(status=AwardStatus.REMOVED)
    name = "awards_certificate_pdf"
    url = reverse(name, args=_args(name, world))
    assert client_for(personas["admin_a"]).get(url).status_code == 403
    assert client_for(personas["secretariat"]).get(url).status_code == 200
