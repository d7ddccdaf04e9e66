"""Who may open the PKRI edition and scope pages and call the scope API (every persona)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from prima.core.domain.tokens import create_api_token
from prima.pkri.domain import scope
from prima.pkri.models import Locus, ScopeObject
from tests.conftest import client_for
from tests.factories import AwardRecordFactory, InnovationFactory, ServiceUnitFactory
from tests.pkri.factories import PkriEditionFactory

COVERED_PAGES = {
    "pkri_edition_list",
    "pkri_edition_dashboard",
    "pkri_open_forms",
    "pkri_scope",
    "pkri_scope_derive",
    "pkri_scope_add_locus",
    "pkri_scope_add_object",
    "pkri_scope_exclude",
    "pkri_scope_pembinaan",
    "pkri_scope_freeze",
    "pkri_scope_amend",
    "pkri_scope_import",
    "pkri_scope_export",
    "pkri_objects",
    "pkri_object_unit",
}
COVERED_OPERATIONS = {
    ("get", "/pkri/editions/{}/scope"),
    ("get", "/pkri/editions/{}/scope/loci"),
    ("get", "/pkri/editions/{}/scope/objects"),
    ("post", "/pkri/editions/{}/scope/derive"),
    ("post", "/pkri/editions/{}/scope/loci"),
    ("post", "/pkri/editions/{}/scope/loci/{}/exclude"),
    ("post", "/pkri/editions/{}/scope/loci/{}/pembinaan"),
    ("post", "/pkri/editions/{}/scope/objects"),
    ("post", "/pkri/editions/{}/scope/objects/{}/exclude"),
    ("post", "/pkri/editions/{}/scope/objects/{}/unit"),
    ("post", "/pkri/editions/{}/scope/freeze"),
    ("post", "/pkri/editions/{}/scope/amendments"),
    ("post", "/pkri/editions/{}/scope/open-forms"),
}

APRIL_17 = dt.date(2024, 4, 17)


@pytest.fixture
def frozen(db, institution_a, unit_a, secretariat):
    """A frozen edition in which Payakumbuh (unit_a) owns one Top object."""
    edition = PkriEditionFactory(code="pkri-2024-uji", stages="scope_draft")
    innovation = InnovationFactory(unit=unit_a, name="SITARANG")
    AwardRecordFactory(innovation=innovation, year=2019)
    scope.derive_scope(edition, actor=secretariat)
    scope.freeze_scope(edition, number="B/241", date=APRIL_17, actor=secretariat)
    return edition


@pytest.fixture
def draft(db, institution_a, unit_a):
    edition = PkriEditionFactory(code="pkri-2025-uji", stages="scope_draft")
    innovation = InnovationFactory(unit=unit_a, name="Sipaduko")
    AwardRecordFactory(innovation=innovation, year=2020)
    return edition


READ_PAGES = {
    # page: persona → status on a frozen edition
    "pkri_edition_dashboard": {
        "secretariat": 200,
        "admin_a": 200,
        "operator_a": 200,
        "operator_b": 403,
        "evaluator": 403,
        "nobody": 403,
        "public": 302,
    },
    "pkri_scope": {
        "secretariat": 200,
        "admin_a": 403,
        "operator_a": 403,
        "operator_b": 403,
        "evaluator": 403,
        "nobody": 403,
        "public": 302,
    },
    "pkri_scope_export": {
        "secretariat": 200,
        "admin_a": 403,
        "operator_a": 403,
        "operator_b": 403,
        "evaluator": 403,
        "nobody": 403,
        "public": 302,
    },
    "pkri_objects": {
        "secretariat": 200,
        "admin_a": 200,
        "operator_a": 200,
        "operator_b": 403,
        "evaluator": 403,
        "nobody": 403,
        "public": 302,
    },
}
PERSONAS = ("secretariat", "admin_a", "operator_a", "operator_b", "evaluator", "nobody", "public")


@pytest.mark.parametrize("name", sorted(READ_PAGES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_edition_pages(personas, frozen, name, persona):
    response = client_for(personas[persona]).get(reverse(name, args=[frozen.code]))
    assert response.status_code == READ_PAGES[name][persona]


LIST_PAGE = {
    "secretariat": 200,
    "admin_a": 200,
    "operator_a": 200,
    "operator_b": 200,
    "evaluator": 200,  # assessors see the editions they are appointed to (none here)
    "nobody": 403,
    "public": 302,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_edition_list(personas, frozen, persona):
    response = client_for(personas[persona]).get(reverse("pkri_edition_list"))
    assert response.status_code == LIST_PAGE[persona]
    if response.status_code == 200:
        # Surabaya's operator has no object in this edition: it is not listed.
        listed = frozen.title in response.content.decode()
        assert listed == (persona not in ("operator_b", "evaluator"))


def test_draft_scope_is_hidden_from_admin_lokal(personas, draft):
    for persona in ("admin_a", "operator_a"):
        response = client_for(personas[persona]).get(
            reverse("pkri_edition_dashboard", args=[draft.code])
        )
        assert response.status_code == 403


WRITE_PAGES = [
    ("pkri_scope_derive", {}),
    ("pkri_scope_add_locus", {"institution": "x", "reason": "alasan yang cukup"}),
    ("pkri_scope_add_object", {"innovation": 1, "group": "keberlanjutan", "reason": "alasan ok"}),
    ("pkri_scope_exclude", {"target": "locus", "pk": 1, "reason": "alasan yang cukup"}),
    ("pkri_scope_freeze", {"number": "B/1", "date": "2024-04-17"}),
    ("pkri_scope_amend", {"number": "B/2", "date": "2024-04-18"}),
    ("pkri_scope_import", {}),
    ("pkri_open_forms", {}),
]
WRITE_EXPECTED = {
    "secretariat": 302,
    "admin_a": 403,
    "operator_a": 403,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}


@pytest.mark.parametrize(("name", "data"), WRITE_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_scope_writes_are_the_secretariats(personas, draft, name, data, persona):
    before = (Locus.objects.count(), ScopeObject.objects.count())
    response = client_for(personas[persona]).post(reverse(name, args=[draft.code]), data)
    expected = WRITE_EXPECTED[persona]
    if persona == "secretariat" and name == "pkri_scope_exclude":
        expected = 404  # no locus 1 in this edition
    assert response.status_code == expected
    if persona == "public":
        assert response["Location"].startswith(reverse("login"))
    if persona != "secretariat":
        assert (Locus.objects.count(), ScopeObject.objects.count()) == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_pembinaan_toggle(personas, draft, secretariat, institution_a, persona):
    scope.derive_scope(draft, actor=secretariat)
    locus = Locus.objects.get(edition=draft, institution=institution_a)
    response = client_for(personas[persona]).post(
        reverse("pkri_scope_pembinaan", args=[draft.code, locus.pk]), {"in_pembinaan": "on"}
    )
    assert response.status_code == WRITE_EXPECTED[persona]
    locus.refresh_from_db()
    assert locus.in_pembinaan == (persona == "secretariat")


UNIT_PAGE = {
    "secretariat": 200,
    "admin_a": 200,
    "operator_a": 403,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_reassign_page(personas, frozen, institution_a, persona):
    obj = ScopeObject.objects.get(edition=frozen)
    successor = ServiceUnitFactory(institution=institution_a, name="Dinas PUPR (baru)")
    url = reverse("pkri_object_unit", args=[frozen.code, obj.pk])
    client = client_for(personas[persona])
    assert client.get(url).status_code == UNIT_PAGE[persona]
    response = client.post(url, {"unit": successor.pk})
    obj.refresh_from_db()
    if persona in ("secretariat", "admin_a"):
        assert response.status_code == 302
        assert obj.unit == successor
    else:
        assert obj.unit != successor


# --------------------------------------------------------------------------- API


def _api(person):
    client = client_for(None)
    if person is None:
        return client, {}
    return client, {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(actor=person, name='uji')[1]}"}


API_READ = {
    "secretariat": (200, 200, 200),
    "admin_a": (403, 200, 200),
    "operator_a": (403, 200, 200),
    "operator_b": (403, 403, 403),
    "evaluator": (403, 403, 403),
    "nobody": (403, 403, 403),
    "public": (401, 401, 401),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_reads(personas, frozen, persona):
    client, headers = _api(personas[persona])
    base = f"/api/v1/pkri/editions/{frozen.code}/scope"
    statuses = tuple(
        client.get(url, **headers).status_code for url in (base, f"{base}/loci", f"{base}/objects")
    )
    assert statuses == API_READ[persona]
    if persona in ("admin_a", "operator_a"):
        body = client.get(f"{base}/objects", **headers).json()
        assert [item["innovation"]["name"] for item in body["items"]] == ["SITARANG"]


API_WRITES = [
    ("/scope/derive", {}),
    ("/scope/loci", {"institution": 1, "reason": "alasan yang cukup"}),
    ("/scope/loci/1/exclude", {"reason": "alasan yang cukup"}),
    ("/scope/loci/1/pembinaan", {"in_pembinaan": True}),
    ("/scope/objects", {"innovation": 1, "group": "keberlanjutan", "reason": "alasan yang"}),
    ("/scope/objects/1/exclude", {"reason": "alasan yang cukup"}),
    ("/scope/freeze", {"number": "B/1", "date": "2024-04-17"}),
    ("/scope/amendments", {"number": "B/2", "date": "2024-04-18", "amends": 1}),
    ("/scope/open-forms", {}),
]
API_WRITE_STATUS = {
    "admin_a": 403,
    "operator_a": 403,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 401,
}


@pytest.mark.parametrize(("path", "payload"), API_WRITES)
@pytest.mark.parametrize("persona", sorted(API_WRITE_STATUS))
def test_api_writes_refused_to_non_secretariat(personas, frozen, path, payload, persona):
    client, headers = _api(personas[persona])
    before = (Locus.objects.count(), ScopeObject.objects.count(), frozen.state)
    response = client.post(
        f"/api/v1/pkri/editions/{frozen.code}{path}",
        payload,
        content_type="application/json",
        **headers,
    )
    assert response.status_code == API_WRITE_STATUS[persona]
    frozen.refresh_from_db()
    assert (Locus.objects.count(), ScopeObject.objects.count(), frozen.state) == before


API_UNIT = {
    "secretariat": 200,
    "admin_a": 200,
    "operator_a": 403,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 401,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_reassign_unit(personas, frozen, institution_a, persona):
    obj = ScopeObject.objects.get(edition=frozen)
    successor = ServiceUnitFactory(institution=institution_a)
    client, headers = _api(personas[persona])
    response = client.post(
        f"/api/v1/pkri/editions/{frozen.code}/scope/objects/{obj.pk}/unit",
        {"unit": successor.pk},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == API_UNIT[persona]
    obj.refresh_from_db()
    assert (obj.unit == successor) == (API_UNIT[persona] == 200)
