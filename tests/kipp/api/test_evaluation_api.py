"""The evaluation desk API (kipp.md §10, §11): runs, results and selections, with the
same domain rules as the pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prima.core.domain.tokens import create_api_token
from prima.core.models import Job
from prima.evaluation.domain.runs import run_assignment
from prima.evaluation.enums import EditionState, SelectionKind
from prima.evaluation.models import Assignment, SelectionRun
from prima.kipp.enums import ProposalState
from prima.kipp.models import Proposal
from tests.conftest import client_for
from tests.jobs import followed_job
from tests.kipp.domain.test_decisions import a6_edition, desk_proposal, evaluator, stage_of
from tests.kipp.factories import EditionFactory, ProposalFactory

S = ProposalState
DESK = EditionState.DESK_EVALUATION


@pytest.fixture
def edition(db):
    return EditionFactory(code="kipp-api", stages=DESK)


@pytest.fixture
def api(secretariat):
    _token, key = create_api_token(actor=secretariat, name="uji")
    client = client_for(None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def call(method: str, path: str, body=None):
        if method == "get":
            return client.get("/api/v1" + path, body or {}, **auth)
        return client.post("/api/v1" + path, body or {}, content_type="application/json", **auth)

    return call


def test_create_list_and_deploy_a_run(edition, api, mailoutbox, django_capture_on_commit_callbacks):
    for _ in range(2):
        ProposalFactory(edition=edition, state=S.ADMIN_PASSED)
    for i in range(2):
        evaluator(edition, f"Evaluator {i}")

    with django_capture_on_commit_callbacks(execute=True):
        created = api(
            "post",
            f"/kipp/editions/{edition.code}/evaluation/{DESK}/runs",
            {"label": "API", "demand": 2},
        )
    assert created.status_code == 202
    assert created.json()["url"] == f"/api/v1/jobs/{created.json()['job']}"
    job = api("get", created.json()["url"].removeprefix("/api/v1")).json()
    assert (job["state"], job["result"]["status"]) == ("succeeded", "optimal")

    listed = api("get", f"/kipp/editions/{edition.code}/evaluation/{DESK}/runs").json()
    assert listed["count"] == 1 and listed["items"][0]["label"] == "API"
    run = listed["items"][0]
    assert run["id"] == job["result"]["run"]
    assert (run["status"], run["subject_count"], run["assessor_count"]) == ("optimal", 2, 2)

    with django_capture_on_commit_callbacks(execute=True):
        deployed = api("post", f"/kipp/evaluation/runs/{run['id']}/deploy")
    assert deployed.status_code == 200
    assert deployed.json()["created"] == 4
    assert deployed.json()["entered_review"] == 2
    assert Assignment.objects.filter(stage__edition=edition).count() == 4
    assert len(mailoutbox) == 2


def test_infeasible_run_is_stored_with_its_diagnosis(
    edition, api, django_capture_on_commit_callbacks
):
    ProposalFactory(edition=edition, state=S.ADMIN_PASSED)
    evaluator(edition, "Sendiri")
    with django_capture_on_commit_callbacks(execute=True):
        created = api(
            "post",
            f"/kipp/editions/{edition.code}/evaluation/{DESK}/runs",
            {"label": "x", "demand": 3},
        )
    assert created.status_code == 202
    job = followed_job(created)
    assert job.result["status"] == "infeasible"
    run = api("get", f"/kipp/editions/{edition.code}/evaluation/{DESK}/runs").json()["items"][0]
    assert run["id"] == job.result["run"] and run["diagnosis"]
    refused = api("post", f"/kipp/evaluation/runs/{run['id']}/deploy")
    assert refused.status_code == 422


def test_a_run_that_cannot_start_is_refused_at_once(edition, api):
    created = api("post", f"/kipp/editions/{edition.code}/evaluation/{DESK}/runs", {"label": "  "})
    assert created.status_code == 422
    assert created.json()["detail"] == "Label proses penugasan wajib diisi. (kolom: label)"
    assert not Job.objects.exists()


def test_results_list_a6(edition, api):
    a6_edition(edition)
    body = api("get", f"/kipp/editions/{edition.code}/evaluation/{DESK}/results").json()
    official = {item["title"]: item["official"] for item in body["items"]}
    assert body["count"] == 4
    assert official == {"A": "85.00", "B": "84.98", "C": "85.00", "A5": "77.00"}
    flagged = api(
        "get", f"/kipp/editions/{edition.code}/evaluation/{DESK}/results", {"disagreement": "true"}
    ).json()
    assert [item["title"] for item in flagged["items"]] == ["A5"]
    assert len(flagged["items"][0]["totals"]) == 3


def test_results_query_count_does_not_grow(edition, api):
    team = [evaluator(edition, f"E{i}") for i in range(3)]

    path = f"/kipp/editions/{edition.code}/evaluation/{DESK}/results"
    desk_proposal(edition, "P0", ["80.00", "81.00", "82.00"], team)
    api("get", path)
    with CaptureQueriesContext(connection) as one:
        assert api("get", path).json()["count"] == 1
    for i in range(1, 5):
        desk_proposal(edition, f"P{i}", ["70.00", "75.00", "90.00"], team)
    with CaptureQueriesContext(connection) as many:
        assert api("get", path).json()["count"] == 5
    assert len(many) == len(one)


def test_runs_list_query_count_does_not_grow(edition, api, secretariat):
    ProposalFactory(edition=edition, state=S.ADMIN_PASSED)
    evaluator(edition, "E1")
    desk = stage_of(edition, DESK)
    path = f"/kipp/editions/{edition.code}/evaluation/{DESK}/runs"
    run_assignment(desk, actor=secretariat, label="r0", parameters={"demand": 1})
    api("get", path)
    with CaptureQueriesContext(connection) as one:
        assert api("get", path).json()["count"] == 1
    for i in range(3):
        run_assignment(desk, actor=secretariat, label=f"r{i}", parameters={"demand": 1})
    with CaptureQueriesContext(connection) as many:
        assert api("get", path).json()["count"] == 4
    assert len(many) == len(one)


def test_propose_and_adopt_a_nomination(edition, api):
    a6_edition(edition)
    proposed = api(
        "post", f"/kipp/editions/{edition.code}/evaluation/selections", {"decision": "nomination"}
    )
    assert proposed.status_code == 201
    [run] = proposed.json()["items"]
    assert run["kind"] == SelectionKind.PROPOSED
    assert len(run["selected"]) == 2

    short = api(
        "post",
        f"/kipp/evaluation/selections/{run['id']}/adopt",
        {
            "minutes_ref": "BA/TE/2025/01",
            "overrides": [{"removed": run["selected"][0]["subject"], "justification": "pendek"}],
        },
    )
    assert short.status_code == 422
    assert "20 karakter" in short.json()["detail"]

    adopted = api(
        "post", f"/kipp/evaluation/selections/{run['id']}/adopt", {"minutes_ref": "BA/TE/2025/01"}
    )
    assert adopted.status_code == 201
    assert adopted.json()["proposed"] == run["id"]
    assert SelectionRun.objects.filter(kind=SelectionKind.ADOPTED).count() == 1
    listed = api("get", f"/kipp/editions/{edition.code}/evaluation/selections").json()
    assert listed["count"] == 2
    # Adoption alone decides nothing: the proposals wait for the nomination.
    assert set(Proposal.objects.filter(edition=edition).values_list("state", flat=True)) == {
        S.DESK_REVIEW
    }


def test_unknown_stage_is_404(edition, api):
    assert (
        api("get", f"/kipp/editions/{edition.code}/evaluation/registration_open/runs").status_code
        == 404
    )
