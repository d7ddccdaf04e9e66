"""Who reaches the secretariat's evaluation desk (kipp.md §3, §10.1): the secretariat acts,
national readers (analyst, viewer) read, and nobody else — evaluators and panelists least
of all: they never see conflicts, other reviewers or the score tables (403)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from prima.core.domain.tokens import create_api_token
from prima.core.enums import Role
from prima.evaluation.domain.runs import run_assignment
from prima.evaluation.enums import AssessorRole, EditionState
from prima.evaluation.models import ScoreSheet
from prima.kipp.domain.decisions import propose_nomination
from prima.kipp.enums import ProposalState
from tests.conftest import client_for
from tests.factories import person_with_role
from tests.kipp.domain.test_decisions import a6_edition, stage_of
from tests.kipp.factories import AppointmentFactory, EditionFactory, ProposalFactory

S = ProposalState
DESK = EditionState.DESK_EVALUATION

# Pages national readers may read; `{...}` names an object of the fixture.
READ_PAGES: dict[str, tuple[str, ...]] = {
    "kipp_evaluation_hub": ("{code}",),
    "kipp_evaluation_progress_export": ("{code}", "{stage}"),
    "kipp_evaluation_appointments": ("{code}",),
    "kipp_evaluation_conflicts": ("{code}",),
    "kipp_evaluation_runs": ("{code}", "{stage}"),
    "kipp_evaluation_run": ("{run}",),
    "kipp_evaluation_scores": ("{code}", "{stage}"),
    "kipp_evaluation_scores_export": ("{code}", "{stage}"),
    "kipp_evaluation_sheets_export": ("{code}", "{stage}"),
    "kipp_evaluation_score_detail": ("{code}", "{stage}", "{subject}"),
    "kipp_evaluation_nomination": ("{code}",),
    "kipp_evaluation_finalists": ("{code}",),
    "kipp_evaluation_winners": ("{code}",),
    "kipp_evaluation_final_scores_export": ("{code}",),
    "kipp_evaluation_selection": ("{selection}",),
    "kipp_evaluation_selection_export": ("{selection}",),
}
# Forms only the secretariat opens.
SECRETARIAT_PAGES: dict[str, tuple[str, ...]] = {
    "kipp_evaluation_appoint": ("{code}",),
    "kipp_evaluation_deactivate": ("{appointment}",),
    "kipp_evaluation_conflict_add": ("{code}",),
    "kipp_evaluation_run_deploy": ("{run}",),
    "kipp_evaluation_consolidate": ("{code}", "{stage}", "{subject}"),
    "kipp_evaluation_sheet_correct": ("{sheet}",),
}
# Buttons (POST only) of the secretariat.
ACTIONS: dict[str, tuple[str, ...]] = {
    "kipp_evaluation_remind": ("{code}",),
    "kipp_evaluation_start_review": ("{code}", "{stage}"),
    "kipp_evaluation_pin_deployed": ("{code}", "{stage}"),
    "kipp_evaluation_nominate": ("{selection}",),
    "kipp_evaluation_decide_finalists": ("{code}",),
    "kipp_evaluation_decide_winners": ("{code}",),
    "kipp_evaluation_mark_presented": ("{finalist}",),
}
COVERED_PAGES: set[str] = set(READ_PAGES) | set(SECRETARIAT_PAGES) | set(ACTIONS)

API_READS = {
    "/kipp/editions/{code}/evaluation/{stage}/runs",
    "/kipp/editions/{code}/evaluation/{stage}/results",
    "/kipp/editions/{code}/evaluation/selections",
}
API_WRITES: dict[str, dict[str, Any]] = {
    "/kipp/editions/{code}/evaluation/{stage}/runs": {"label": "Uji", "demand": 1},
    "/kipp/evaluation/runs/{run}/deploy": {},
    "/kipp/editions/{code}/evaluation/selections": {"decision": "nomination"},
    "/kipp/evaluation/selections/{selection}/adopt": {"minutes_ref": "BA/TE/1"},
}
COVERED_OPERATIONS: set[tuple[str, str]] = {("get", path) for path in API_READS} | {
    ("post", path) for path in API_WRITES
}

# persona → (read pages, secretariat pages and actions)
EXPECTED = {
    "secretariat": (200, 200),
    "analyst": (200, 403),
    "viewer": (200, 403),
    "appointed_analyst": (403, 403),
    "admin_a": (403, 403),
    "operator_a": (403, 403),
    "operator_b": (403, 403),
    "evaluator": (403, 403),
    "panelist": (403, 403),
    "nobody": (403, 403),
}


@pytest.fixture
def world(db, personas):
    """An edition in desk evaluation with scores, a run, a proposed selection and a
    confirmed finalist; the evaluator persona is appointed and assigned in it."""
    edition = EditionFactory(code="kipp-matriks", stages=DESK)
    proposals, team = a6_edition(edition)
    AppointmentFactory(edition=edition, person=personas["evaluator"])
    analyst = person_with_role(Role.ANALYST, username="analis")
    appointed_analyst = person_with_role(Role.ANALYST, username="analis_penilai")
    AppointmentFactory(edition=edition, person=appointed_analyst)
    panelist = person_with_role(Role.PANELIST, username="panelis")
    AppointmentFactory(edition=edition, person=panelist, role=AssessorRole.PANELIST)
    secretariat = personas["secretariat"]
    ProposalFactory(edition=edition, state=S.ADMIN_PASSED)
    run = run_assignment(
        stage_of(edition, DESK), actor=secretariat, label="matriks", parameters={"demand": 1}
    )
    [selection] = propose_nomination(edition, actor=secretariat)
    finalist = ProposalFactory(edition=edition, state=S.CONFIRMED_FINALIST)
    people = {
        **personas,
        "analyst": analyst,
        "viewer": person_with_role(Role.VIEWER, username="pemantau"),
        "appointed_analyst": appointed_analyst,
        "panelist": panelist,
    }
    ids = {
        "code": edition.code,
        "stage": DESK,
        "run": run.pk,
        "subject": proposals["A5"].subject_id,
        "selection": selection.pk,
        "appointment": team[0].pk,
        "sheet": ScoreSheet.objects.filter(subject=proposals["A"].subject).first().pk,
        "finalist": finalist.pk,
    }
    return people, ids


def resolve(name: str, args: tuple[str, ...], ids: dict[str, Any]) -> str:
    return reverse(name, args=[str(a).format(**ids) for a in args])


def path_of(template: str, ids: dict[str, Any]) -> str:
    return "/api/v1" + template.format(**ids)


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_read_pages(world, persona):
    people, ids = world
    client = client_for(people[persona])
    expected = EXPECTED[persona][0]
    for name, args in READ_PAGES.items():
        target = resolve(name, args, ids)
        if name.endswith("_export"):
            target += "?format=csv"
        assert client.get(target).status_code == expected, (persona, name)


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_secretariat_pages(world, persona):
    people, ids = world
    client = client_for(people[persona])
    expected = EXPECTED[persona][1]
    for name, args in SECRETARIAT_PAGES.items():
        assert client.get(resolve(name, args, ids)).status_code == expected, (persona, name)


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_actions(world, persona):
    people, ids = world
    client = client_for(people[persona])
    refused = EXPECTED[persona][1] == 403
    for name, args in ACTIONS.items():
        status = client.post(resolve(name, args, ids)).status_code
        assert status == (403 if refused else 302), (persona, name)


def test_anonymous_visitors_are_sent_to_log_in(world):
    _people, ids = world
    client = client_for(None)
    login = reverse("login")
    every = {**READ_PAGES, **SECRETARIAT_PAGES}
    for name, args in every.items():
        response = client.get(resolve(name, args, ids))
        assert response.status_code == 302 and response.url.startswith(login), name
    for name, args in ACTIONS.items():
        assert client.post(resolve(name, args, ids)).status_code == 302, name


def test_an_evaluator_sees_no_conflict_list_even_of_their_own_edition(world):
    people, ids = world
    response = client_for(people["evaluator"]).get(
        reverse("kipp_evaluation_conflicts", args=[ids["code"]])
    )
    assert response.status_code == 403


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_api(world, persona):
    people, ids = world
    person = people[persona]
    _token, key = create_api_token(actor=person, name="uji")
    client = client_for(None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    read, write = EXPECTED[persona]
    for template in API_READS:
        status = client.get(path_of(template, ids), **auth).status_code
        assert status == read, (persona, template)
    for template, body in API_WRITES.items():
        status = client.post(
            path_of(template, ids), body, content_type="application/json", **auth
        ).status_code
        if write == 403:
            assert status == 403, (persona, template)
        else:
            assert status in (200, 201, 202, 422), (persona, template)


def test_api_without_token_is_refused(world):
    _people, ids = world
    client = client_for(None)
    for template in API_READS:
        assert client.get(path_of(template, ids)).status_code == 401
    for template in API_WRITES:
        assert (
            client.post(path_of(template, ids), {}, content_type="application/json").status_code
            == 401
        )
