"""Who may use the assessor pages and API, and what an assessor never sees (kipp.md §10.1).

Personas: only the appointed evaluator works here; the secretariat, participants and
people without a role are refused (403), anonymous visitors go to the login page (pages)
or get 401 (API). A conflicted evaluator (same province, declared conflict) and an
evaluator without the assignment never see the proposal in the list, the count, the sheet
page, the API list or the API detail.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from prima.evaluation.domain.appointments import declare_conflicts
from prima.evaluation.domain.sheets import finalise_sheet, save_sheet
from prima.evaluation.enums import ConflictNature, EditionState
from tests.conftest import client_for
from tests.factories import PersonFactory
from tests.kipp.factories import EditionFactory
from tests.kipp.views.test_assessor_helpers import (
    E1,
    NOTE,
    appoint,
    assign,
    submitted,
    token_headers,
)

COVERED_PAGES = {
    "kipp_assessor_home",
    "kipp_assessor_code",
    "kipp_assessor_conflicts",
    "kipp_assessor_todo",
    "kipp_assessor_sheet",
    "kipp_assessor_sheet_finalise",
    "kipp_assessor_sheet_correct",
}
COVERED_OPERATIONS = {
    ("get", "/kipp/assessor/appointments"),
    ("post", "/kipp/assessor/appointments/{}/code-of-conduct"),
    ("post", "/kipp/assessor/appointments/{}/conflicts"),
    ("get", "/kipp/assessor/assignments"),
    ("get", "/kipp/assessor/assignments/{}"),
    ("put", "/kipp/assessor/assignments/{}/sheet"),
    ("post", "/kipp/assessor/assignments/{}/sheet/finalise"),
    ("post", "/kipp/assessor/assignments/{}/sheet/corrections"),
}

REFUSED = ("secretariat", "admin_a", "operator_a", "operator_b", "nobody")


@pytest.fixture
def world(personas, unit_a, unit_b):
    """The evaluator holds a draft (institution A) and a final sheet (institution B)."""
    edition = EditionFactory(code="kipp-uji-matriks", stages=EditionState.DESK_EVALUATION)
    evaluator = personas["evaluator"]
    appointment = appoint(edition, evaluator)
    draft = assign(submitted(edition, unit_a, title="Proposal Draf"), appointment)
    final = assign(submitted(edition, unit_b, title="Proposal Final"), appointment)
    save_sheet(draft, {"signifikansi": 80}, actor=evaluator)
    finalise_sheet(save_sheet(final, E1, note=NOTE, actor=evaluator), actor=evaluator)
    return {"edition": edition, "appointment": appointment, "draft": draft, "final": final}


def _page(name, world):
    code = world["edition"].code
    if name == "kipp_assessor_home":
        return reverse(name)
    if name in ("kipp_assessor_code", "kipp_assessor_conflicts", "kipp_assessor_todo"):
        return reverse(name, args=[code])
    target = world["final"] if name == "kipp_assessor_sheet_correct" else world["draft"]
    return reverse(name, args=[code, target.pk])


@pytest.mark.parametrize("name", sorted(COVERED_PAGES))
class TestPages:
    def test_the_appointed_evaluator_may_open_it(self, personas, world, name):
        response = client_for(personas["evaluator"]).get(_page(name, world))
        assert response.status_code == 200

    @pytest.mark.parametrize("persona", REFUSED)
    def test_other_roles_are_refused(self, personas, world, name, persona):
        response = client_for(personas[persona]).get(_page(name, world))
        assert response.status_code == 403

    def test_anonymous_goes_to_login(self, world, name):
        response = client_for(None).get(_page(name, world))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def _operation(method, path, world):
    """(method, concrete URL, JSON body) for one operation of the matrix."""
    appointment, draft, final = world["appointment"], world["draft"], world["final"]
    edition = world["edition"]
    concrete = {
        "/kipp/assessor/appointments": ("/kipp/assessor/appointments", None),
        "/kipp/assessor/appointments/{}/code-of-conduct": (
            f"/kipp/assessor/appointments/{appointment.pk}/code-of-conduct",
            {},
        ),
        "/kipp/assessor/appointments/{}/conflicts": (
            f"/kipp/assessor/appointments/{appointment.pk}/conflicts",
            {
                "conflicts": [
                    {
                        "institution": final.subject.institution_id,
                        "nature": ConflictNature.OTHER,
                        "reason": "Baru ingat pernah mengajar pelatihan di sana.",
                    }
                ]
            },
        ),
        "/kipp/assessor/assignments": (f"/kipp/assessor/assignments?edition={edition.code}", None),
        "/kipp/assessor/assignments/{}": (f"/kipp/assessor/assignments/{draft.pk}", None),
        "/kipp/assessor/assignments/{}/sheet": (
            f"/kipp/assessor/assignments/{draft.pk}/sheet",
            {"values": E1, "note": NOTE},
        ),
        "/kipp/assessor/assignments/{}/sheet/finalise": (
            f"/kipp/assessor/assignments/{final.pk}/sheet/finalise",
            {},
        ),
        "/kipp/assessor/assignments/{}/sheet/corrections": (
            f"/kipp/assessor/assignments/{final.pk}/sheet/corrections",
            {"values": {"signifikansi": 90}, "reason": "Salah ketik nilai signifikansi."},
        ),
    }
    url, body = concrete[path]
    return f"/api/v1{url}", body


def _call(client, method, url, body, headers):
    if body is None:
        return getattr(client, method)(url, **headers)
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", **headers
    )


@pytest.mark.parametrize(("method", "path"), sorted(COVERED_OPERATIONS))
class TestOperations:
    def test_the_appointed_evaluator_may_call_it(self, personas, world, method, path):
        evaluator = personas["evaluator"]
        if path.endswith("/finalise"):
            # Finalising needs a complete draft: make the draft one complete first.
            save_sheet(world["draft"], E1, note=NOTE, actor=evaluator)
            world = {**world, "final": world["draft"]}
        url, body = _operation(method, path, world)
        response = _call(client_for(None), method, url, body, token_headers(evaluator))
        assert response.status_code == 200, response.content

    @pytest.mark.parametrize("persona", REFUSED)
    def test_other_roles_are_refused(self, personas, world, method, path, persona):
        url, body = _operation(method, path, world)
        headers = token_headers(personas[persona])
        response = _call(client_for(None), method, url, body, headers)
        assert response.status_code == 403
        assert "Tim Evaluasi" in response.json()["detail"]

    def test_anonymous_is_unauthorised(self, world, method, path):
        url, body = _operation(method, path, world)
        assert _call(client_for(None), method, url, body, {}).status_code == 401


# --------------------------------------------------------------------------- what is never seen


def _everywhere(person, edition, assignment, title):
    """What the person gets for one assignment on every surface that could show it."""
    client = client_for(person)
    headers = token_headers(person)
    listing = client.get(reverse("kipp_assessor_todo", args=[edition.code]))
    api_list = client_for(None).get(
        f"/api/v1/kipp/assessor/assignments?edition={edition.code}", **headers
    )
    return {
        "in_list": title in listing.content.decode(),
        "count": listing.context["progress"].total,
        "page": client.get(
            reverse("kipp_assessor_sheet", args=[edition.code, assignment.pk])
        ).status_code,
        "in_api_list": title in api_list.content.decode(),
        "api_count": api_list.json()["count"],
        "api_detail": client_for(None)
        .get(f"/api/v1/kipp/assessor/assignments/{assignment.pk}", **headers)
        .status_code,
    }


INVISIBLE = {
    "in_list": False,
    "count": 0,
    "page": 404,
    "in_api_list": False,
    "api_count": 0,
    "api_detail": 404,
}


@pytest.fixture
def desk(db):
    return EditionFactory(code="kipp-uji-lingkup", stages=EditionState.DESK_EVALUATION)


def test_an_assigned_evaluator_sees_it_everywhere(desk, unit_a):
    proposal = submitted(desk, unit_a, title="Proposal Terlihat")
    person = PersonFactory()
    assignment = assign(proposal, appoint(desk, person))

    assert _everywhere(person, desk, assignment, proposal.title) == {
        "in_list": True,
        "count": 1,
        "page": 200,
        "in_api_list": True,
        "api_count": 1,
        "api_detail": 200,
    }


def test_same_province_conflict_is_invisible_everywhere(desk, unit_a):
    proposal = submitted(desk, unit_a, title="Proposal Sesama Provinsi")
    person = PersonFactory()
    # Kota Payakumbuh (13.76) is local, in province 13.
    assignment = assign(proposal, appoint(desk, person, home_province="13"))

    assert _everywhere(person, desk, assignment, proposal.title) == INVISIBLE


def test_declared_conflict_is_invisible_everywhere_even_with_a_final_sheet(desk, unit_a):
    proposal = submitted(desk, unit_a, title="Proposal Berkonflik")
    person = PersonFactory()
    appointment = appoint(desk, person)
    assignment = assign(proposal, appointment)
    # Scored first, conflict found later: the final sheet stays for the secretariat,
    # but the assessor never sees the proposal again.
    finalise_sheet(save_sheet(assignment, E1, note=NOTE, actor=person), actor=person)
    declare_conflicts(
        appointment,
        [{"institution": unit_a.institution_id, "nature": "family", "reason": "Saudara kandung."}],
        actor=person,
    )

    assert _everywhere(person, desk, assignment, proposal.title) == INVISIBLE


def test_an_unassigned_proposal_is_invisible(desk, unit_a):
    proposal = submitted(desk, unit_a, title="Proposal Orang Lain")
    owner, outsider = PersonFactory(), PersonFactory()
    assignment = assign(proposal, appoint(desk, owner))
    appoint(desk, outsider)

    assert _everywhere(outsider, desk, assignment, proposal.title) == INVISIBLE


def test_blind_stage_hides_identities_on_every_surface(desk, unit_a):
    proposal = submitted(desk, unit_a, title="Proposal Buta")
    person = PersonFactory()
    assignment = assign(proposal, appoint(desk, person))
    client, headers = client_for(person), token_headers(person)

    surfaces = [
        client.get(reverse("kipp_assessor_todo", args=[desk.code])),
        client.get(reverse("kipp_assessor_sheet", args=[desk.code, assignment.pk])),
        client_for(None).get(f"/api/v1/kipp/assessor/assignments?edition={desk.code}", **headers),
        client_for(None).get(f"/api/v1/kipp/assessor/assignments/{assignment.pk}", **headers),
    ]

    for response in surfaces:
        text = response.content.decode()
        assert response.status_code == 200
        assert unit_a.institution.name not in text
        assert unit_a.name not in text


def test_code_of_conduct_gate_on_pages_and_api(desk, unit_a):
    proposal = submitted(desk, unit_a)
    person = PersonFactory()
    appointment = appoint(desk, person, code_of_conduct_accepted_at=None)
    assignment = assign(proposal, appointment)

    page = client_for(person).get(reverse("kipp_assessor_sheet", args=[desk.code, assignment.pk]))
    api = client_for(None).get(
        f"/api/v1/kipp/assessor/assignments/{assignment.pk}", **token_headers(person)
    )

    assert page.status_code == 302
    assert page["Location"] == reverse("kipp_assessor_code", args=[desk.code])
    assert api.status_code == 403
    assert "Setujui kode etik" in api.json()["detail"]
