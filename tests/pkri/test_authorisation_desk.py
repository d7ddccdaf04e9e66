"""Who may use the PKRI desk-evaluation pages and API, and what an evaluator never sees
(pkri.md §7.1; kipp.md §10.1).

Secretariat pages (desk, score table, consolidation): the secretariat only; evaluators, Admin Lokal,
operators and people without a role get 403, anonymous visitors the login page (pages)
or 401 (API). Evaluator pages: the appointed evaluator only. A conflicted evaluator (same
province, declared conflict) never sees the form in the list, the count, the sheet page,
the API list, the API count or the API detail.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from prima.evaluation.domain.appointments import declare_conflicts
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Consolidation
from prima.pkri.domain.desk import record_levels, start_desk_evaluation
from tests.conftest import client_for
from tests.factories import PersonFactory
from tests.pkri.desk_factories import (
    B4_LEVELS,
    NOTE,
    appoint,
    assign,
    submitted_object_form,
    token_headers,
)
from tests.pkri.factories import PkriEditionFactory

COVERED_PAGES = {
    "pkri_desk",
    "pkri_desk_scores",
    "pkri_desk_consolidate",
    "pkri_evaluator_todo",
    "pkri_evaluator_ready",
    "pkri_evaluator_sheet",
}
COVERED_OPERATIONS = {
    ("get", "/pkri/assessor/assignments"),
    ("get", "/pkri/assessor/assignments/{}"),
    ("put", "/pkri/assessor/assignments/{}/sheet"),
    ("get", "/pkri/desk/{}/scores"),
    ("post", "/pkri/desk/{}/forms/{}/consolidation"),
}

SECRETARIAT_PAGES = {"pkri_desk", "pkri_desk_scores", "pkri_desk_consolidate"}
CONSOLIDATION = {
    "score": "80.00",
    "justification": "Rapat tim: bukti K1 dan K4 dinilai ulang bersama.",
    "attendees": "Ketua Tim",
    "minutes_ref": "NOT/PKRI/07",
}
EVALUATOR_PAGES = COVERED_PAGES - SECRETARIAT_PAGES
PERSONAS = ("secretariat", "admin_a", "operator_a", "operator_b", "evaluator", "nobody")
COMMENTS = dict.fromkeys(B4_LEVELS, "Dinilai dari bukti yang dilampirkan.")


@pytest.fixture
def world(personas, institution_a, institution_b):
    """The evaluator is assigned a form of Kota Surabaya (province 35; the evaluator
    lives in 31) and holds a draft for it."""
    edition = PkriEditionFactory(code="pkri-uji-matriks", stages=EditionState.FORMS_CLOSED)
    form = submitted_object_form(edition, institution_b, name="Inovasi Terlihat")
    start_desk_evaluation(edition, actor=personas["secretariat"])
    evaluator = personas["evaluator"]
    appointment = appoint(edition, evaluator)
    assignment = assign(form, appointment)
    record_levels(assignment, {"k1": 4}, COMMENTS, actor=evaluator)
    return {"edition": edition, "form": form, "assignment": assignment}


def _page(name, world):
    if name == "pkri_evaluator_todo":
        return reverse(name)
    if name == "pkri_evaluator_sheet":
        return reverse(name, args=[world["assignment"].pk])
    if name == "pkri_desk_consolidate":
        return reverse(name, args=[world["edition"].code, world["form"].pk])
    return reverse(name, args=[world["edition"].code])


def _allowed(name):
    return "secretariat" if name in SECRETARIAT_PAGES else "evaluator"


@pytest.mark.parametrize("name", sorted(COVERED_PAGES))
class TestPages:
    def test_the_allowed_persona_may_open_it(self, personas, world, name):
        response = client_for(personas[_allowed(name)]).get(_page(name, world))
        assert response.status_code == 200

    @pytest.mark.parametrize("persona", PERSONAS)
    def test_other_personas_are_refused(self, personas, world, name, persona):
        if persona == _allowed(name):
            pytest.skip("the allowed persona")
        response = client_for(personas[persona]).get(_page(name, world))
        assert response.status_code == 403

    def test_anonymous_goes_to_login(self, world, name):
        response = client_for(None).get(_page(name, world))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_the_secretariat_page_lists_evaluators_and_the_score_table_the_form(personas, world):
    client = client_for(personas["secretariat"])
    desk = client.get(reverse("pkri_desk", args=[world["edition"].code])).content.decode()
    assert personas["evaluator"].full_name in desk
    scores = client.get(
        reverse("pkri_desk_scores", args=[world["edition"].code]) + "?kelompok=keberlanjutan"
    ).content.decode()
    assert "Inovasi Terlihat" in scores


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "secretariat"])
def test_only_the_secretariat_may_post_a_consolidation(personas, world, persona):
    url = _page("pkri_desk_consolidate", world)
    assert client_for(personas[persona]).post(url, CONSOLIDATION).status_code == 403
    assert client_for(personas["secretariat"]).post(url, CONSOLIDATION).status_code == 302
    assert Consolidation.objects.get().score == Decimal("80.00")


def _operation(method, path, world):
    assignment = world["assignment"]
    concrete = {
        "/pkri/assessor/assignments": ("/pkri/assessor/assignments", None),
        "/pkri/assessor/assignments/{}": (f"/pkri/assessor/assignments/{assignment.pk}", None),
        "/pkri/assessor/assignments/{}/sheet": (
            f"/pkri/assessor/assignments/{assignment.pk}/sheet",
            {"levels": B4_LEVELS, "comments": COMMENTS, "note": NOTE},
        ),
        "/pkri/desk/{}/scores": (f"/pkri/desk/{world['edition'].code}/scores", None),
        "/pkri/desk/{}/forms/{}/consolidation": (
            f"/pkri/desk/{world['edition'].code}/forms/{world['form'].pk}/consolidation",
            CONSOLIDATION,
        ),
    }
    url, body = concrete[path]
    return f"/api/v1{url}", body


def _call(method, url, body, headers):
    client = client_for(None)
    if body is None:
        return getattr(client, method)(url, **headers)
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", **headers
    )


def _allowed_operation(path):
    return "secretariat" if path.startswith("/pkri/desk/") else "evaluator"


@pytest.mark.parametrize(("method", "path"), sorted(COVERED_OPERATIONS))
class TestOperations:
    def test_the_allowed_persona_may_call_it(self, personas, world, method, path):
        person = personas[_allowed_operation(path)]
        url, body = _operation(method, path, world)
        response = _call(method, url, body, token_headers(person))
        assert response.status_code == 200, response.content

    @pytest.mark.parametrize("persona", PERSONAS)
    def test_other_personas_are_refused(self, personas, world, method, path, persona):
        if persona == _allowed_operation(path):
            pytest.skip("the allowed persona")
        url, body = _operation(method, path, world)
        response = _call(method, url, body, token_headers(personas[persona]))
        assert response.status_code == 403

    def test_anonymous_is_unauthorised(self, world, method, path):
        url, body = _operation(method, path, world)
        assert _call(method, url, body, {}).status_code == 401


# --------------------------------------------------------------------------- never seen


def _everywhere(person, assignment, title):
    client = client_for(person)
    headers = token_headers(person)
    listing = client.get(reverse("pkri_evaluator_todo"))
    api_list = client_for(None).get("/api/v1/pkri/assessor/assignments", **headers)
    return {
        "in_list": title in listing.content.decode(),
        "count": listing.context["progress"]["total"],
        "page": client.get(reverse("pkri_evaluator_sheet", args=[assignment.pk])).status_code,
        "in_api_list": title in api_list.content.decode(),
        "api_count": api_list.json()["count"],
        "api_detail": client_for(None)
        .get(f"/api/v1/pkri/assessor/assignments/{assignment.pk}", **headers)
        .status_code,
        "api_write": client_for(None)
        .put(
            f"/api/v1/pkri/assessor/assignments/{assignment.pk}/sheet",
            json.dumps({"levels": {"k1": 4}}),
            content_type="application/json",
            **headers,
        )
        .status_code,
    }


INVISIBLE = {
    "in_list": False,
    "count": 0,
    "page": 404,
    "in_api_list": False,
    "api_count": 0,
    "api_detail": 404,
    "api_write": 404,
}


@pytest.fixture
def desk(db, secretariat, institution_a):
    edition = PkriEditionFactory(code="pkri-uji-lingkup", stages=EditionState.FORMS_CLOSED)
    form = submitted_object_form(edition, institution_a, name="Inovasi Payakumbuh")
    start_desk_evaluation(edition, actor=secretariat)
    form.refresh_from_db()
    return form


def test_an_assigned_evaluator_sees_it_everywhere(desk):
    person = PersonFactory()
    assignment = assign(desk, appoint(desk.edition, person))
    assert _everywhere(person, assignment, "Inovasi Payakumbuh") == {
        **{k: not v if isinstance(v, bool) else v for k, v in INVISIBLE.items()},
        "count": 1,
        "page": 200,
        "api_count": 1,
        "api_detail": 200,
        "api_write": 200,
    }


def test_same_province_conflict_is_invisible_everywhere(desk):
    person = PersonFactory()
    # Kota Payakumbuh is local, in province 13.
    assignment = assign(desk, appoint(desk.edition, person, home_province="13"))
    assert _everywhere(person, assignment, "Inovasi Payakumbuh") == INVISIBLE


def test_same_institution_conflict_is_invisible_everywhere(desk, institution_a):
    person = PersonFactory()
    assignment = assign(desk, appoint(desk.edition, person, affiliation=institution_a))
    assert _everywhere(person, assignment, "Inovasi Payakumbuh") == INVISIBLE


def test_declared_conflict_is_invisible_everywhere_even_with_a_final_sheet(desk, institution_a):
    person = PersonFactory()
    appointment = appoint(desk.edition, person)
    assignment = assign(desk, appointment)
    record_levels(assignment, B4_LEVELS, COMMENTS, note=NOTE, actor=person, finalise=True)
    declare_conflicts(
        appointment,
        [{"institution": institution_a.pk, "nature": "family", "reason": "Saudara kandung."}],
        actor=person,
    )
    assert _everywhere(person, assignment, "Inovasi Payakumbuh") == INVISIBLE


def test_an_evaluator_not_yet_ready_sees_nothing(desk):
    person = PersonFactory()
    assignment = assign(desk, appoint(desk.edition, person, conflicts_declared_at=None))
    found = _everywhere(person, assignment, "Inovasi Payakumbuh")
    assert found == INVISIBLE
