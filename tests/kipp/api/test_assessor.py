"""The assessor API (/api/v1/kipp/assessor/...): gate, blind reading, sheets, corrections."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prima.evaluation.enums import EditionState, SheetStatus
from prima.evaluation.models import Conflict, ScoreSheet
from tests.conftest import client_for
from tests.factories import PersonFactory, ServiceUnitFactory
from tests.kipp.factories import EditionFactory
from tests.kipp.views.test_assessor_helpers import (
    E1,
    NOTE,
    UMUM_ANSWERS,
    api,
    appoint,
    assign,
    submitted,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/kipp/assessor"


@pytest.fixture
def edition(db):
    return EditionFactory(code="kipp-uji-api", stages=EditionState.DESK_EVALUATION)


@pytest.fixture
def proposal(edition, unit_a):
    return submitted(edition, unit_a, title="Layanan Kesehatan Keliling")


@pytest.fixture
def appointment(edition, evaluator):
    return appoint(edition, evaluator)


@pytest.fixture
def assignment(proposal, appointment):
    return assign(proposal, appointment)


def put(client, url, body, headers):
    return client.put(url, json.dumps(body), content_type="application/json", **headers)


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


class TestGate:
    @pytest.fixture
    def fresh(self, edition, evaluator, proposal):
        appointment = appoint(
            edition, evaluator, code_of_conduct_accepted_at=None, conflicts_declared_at=None
        )
        assign(proposal, appointment)
        return appointment

    def test_nothing_is_shown_before_code_and_declaration(self, fresh, evaluator):
        client, headers = api(evaluator)
        assignment = fresh.assignments.get()

        listing = client.get(f"{BASE}/assignments?edition={fresh.edition.code}", **headers)
        detail = client.get(f"{BASE}/assignments/{assignment.pk}", **headers)
        draft = put(client, f"{BASE}/assignments/{assignment.pk}/sheet", {"values": E1}, headers)

        for response in (listing, detail, draft):
            assert response.status_code == 403
            assert "kode etik" in response.json()["detail"]
        assert not ScoreSheet.objects.exists()

    def test_code_then_declaration_opens_the_list(self, fresh, evaluator, proposal):
        client, headers = api(evaluator)
        url = f"{BASE}/appointments/{fresh.pk}"

        accepted = post(client, f"{url}/code-of-conduct", {}, headers)
        half = client.get(f"{BASE}/assignments?edition={fresh.edition.code}", **headers)
        both = post(client, f"{url}/conflicts", {"none": True, "conflicts": []}, headers)
        again = post(client, f"{url}/conflicts", {"none": True}, headers)
        listing = client.get(f"{BASE}/assignments?edition={fresh.edition.code}", **headers)

        assert accepted.status_code == 200
        assert accepted.json()["code_of_conduct_accepted_at"] is not None
        assert half.status_code == 403
        assert "konflik kepentingan" in half.json()["detail"]
        assert both.status_code == 200
        assert both.json()["is_ready"] is True
        assert again.status_code == 422
        assert listing.status_code == 200
        assert [item["title"] for item in listing.json()["items"]] == [proposal.title]

    def test_declared_institution_is_recorded_and_listed(self, fresh, evaluator, institution_b):
        client, headers = api(evaluator)
        body = {
            "conflicts": [
                {"institution": institution_b.pk, "nature": "family", "reason": "Ipar bekerja."}
            ]
        }

        response = post(client, f"{BASE}/appointments/{fresh.pk}/conflicts", body, headers)
        mine = client.get(f"{BASE}/appointments", **headers).json()

        assert response.status_code == 200
        assert Conflict.objects.get(appointment=fresh).institution == institution_b
        assert mine["count"] == 1
        assert mine["items"][0]["conflicts"][0]["institution_name"] == institution_b.name

    def test_cannot_act_on_someone_elses_appointment(self, fresh):
        stranger = PersonFactory()
        appoint(fresh.edition, stranger)
        client, headers = api(stranger)
        response = post(client, f"{BASE}/appointments/{fresh.pk}/code-of-conduct", {}, headers)
        assert response.status_code == 404


def test_list_is_blind_and_counts_progress(assignment, evaluator, edition, institution_a, unit_a):
    client, headers = api(evaluator)

    response = client.get(f"{BASE}/assignments?edition={edition.code}", **headers)
    body = response.json()

    assert response.status_code == 200
    assert body["count"] == 1
    assert body["progress"] == {"final": 0, "total": 1}
    item = body["items"][0]
    assert item["id"] == assignment.pk
    assert item["status"] == "todo"
    assert item["stage"] == EditionState.DESK_EVALUATION
    assert institution_a.name not in response.content.decode()
    assert unit_a.name not in response.content.decode()


def test_detail_shows_the_snapshot_without_identities(assignment, evaluator, institution_a, unit_a):
    client, headers = api(evaluator)

    response = client.get(f"{BASE}/assignments/{assignment.pk}", **headers)
    body = response.json()
    raw = response.content.decode()

    assert response.status_code == 200
    assert body["stage"]["blind"] is True
    assert body["proposal"]["identity"] is None
    assert institution_a.name not in raw
    assert unit_a.name not in raw
    assert "Payakumbuh" not in raw
    answers = {a["code"]: a["text"] for a in body["proposal"]["answers"]}
    assert answers["signifikansi"] == UMUM_ANSWERS["signifikansi"]
    criteria = {c["code"]: Decimal(c["weight"]) for c in body["criteria"]}
    assert criteria["ringkasan"] == 0
    assert criteria["signifikansi"] == 30
    labels = [a["label"] for a in body["scale"]["anchors"]]
    assert labels == ["Sangat lemah", "Lemah", "Cukup", "Baik", "Sangat baik"]


def test_session_may_read(assignment, evaluator):
    response = client_for(evaluator).get(f"{BASE}/assignments/{assignment.pk}")
    assert response.status_code == 200


def test_draft_final_correction(assignment, evaluator):
    client, headers = api(evaluator)
    url = f"{BASE}/assignments/{assignment.pk}/sheet"

    early = post(client, f"{url}/finalise", {}, headers)
    bad = put(client, url, {"values": {"signifikansi": 101}}, headers)
    draft = put(
        client, url, {"values": E1, "note": NOTE, "comments": {"kebaruan": "Baru."}}, headers
    )
    final = post(client, f"{url}/finalise", {}, headers)
    short = post(client, f"{url}/corrections", {"values": {"kebaruan": 90}, "reason": "x"}, headers)
    corrected = post(
        client,
        f"{url}/corrections",
        {"values": {"signifikansi": 95}, "reason": "Salah ketik nilai signifikansi."},
        headers,
    )

    assert early.status_code == 409
    assert bad.status_code == 422
    assert "tertulis 101" in bad.json()["detail"]
    assert draft.status_code == 200
    assert draft.json()["status"] == SheetStatus.DRAFT
    assert draft.json()["comments"] == {"kebaruan": "Baru."}
    assert final.status_code == 200
    assert Decimal(final.json()["total"]) == Decimal("78.50")
    assert short.status_code == 422
    assert corrected.status_code == 200
    body = corrected.json()
    assert body["version"] == 2
    assert Decimal(body["total"]) == Decimal("81.50")
    assert body["versions"][-1]["reason"] == "Salah ketik nilai signifikansi."
    # A final sheet takes no more drafts.
    assert put(client, url, {"values": E1, "note": NOTE}, headers).status_code == 422


def test_conflicted_assignment_is_invisible(edition, proposal):
    person = PersonFactory()
    conflicted = appoint(edition, person, home_province="13")  # Kota Payakumbuh is in 13
    assignment = assign(proposal, conflicted)
    client, headers = api(person)

    listing = client.get(f"{BASE}/assignments?edition={edition.code}", **headers).json()
    detail = client.get(f"{BASE}/assignments/{assignment.pk}", **headers)
    draft = put(client, f"{BASE}/assignments/{assignment.pk}/sheet", {"values": E1}, headers)

    assert listing["count"] == 0
    assert listing["items"] == []
    assert listing["progress"] == {"final": 0, "total": 0}
    assert detail.status_code == 404
    assert draft.status_code == 404


def test_list_queries_do_not_grow_with_rows(edition, appointment, evaluator):
    client, headers = api(evaluator)
    url = f"{BASE}/assignments?edition={edition.code}"
    assign(submitted(edition, ServiceUnitFactory()), appointment)
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as one:
        client.get(url, **headers)
    for _ in range(4):
        assign(submitted(edition, ServiceUnitFactory()), appointment)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, **headers)

    assert response.json()["count"] == 5
    assert len(many.captured_queries) == len(one.captured_queries)
