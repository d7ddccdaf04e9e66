"""The API of invitations, single reviews and pins, and the withdrawal queue: the same
domain rules as the pages, `{"count", "items"}` lists in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prima.core.domain.tokens import create_api_token
from prima.evaluation.enums import EditionState, PinKind
from prima.evaluation.models import Assignment, Pin
from prima.kipp.domain import invitations as invitation_domain
from prima.kipp.domain import proposals
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import Invitation, Proposal
from tests.conftest import client_for
from tests.factories import AwardRecordFactory, InnovationFactory
from tests.kipp.domain.test_decisions import evaluator, stage_of
from tests.kipp.domain.test_proposals_support import edition_2021
from tests.kipp.factories import EditionFactory, ProposalFactory

DESK = EditionState.DESK_EVALUATION
REASON = "Penilai dirawat di rumah sakit"

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(secretariat):
    _token, key = create_api_token(actor=secretariat, name="uji")
    client = client_for(None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def call(method: str, path: str, body=None, **extra):
        full = "/api/v1" + path
        if method == "get":
            return client.get(full, body or {}, **auth)
        if method == "delete":
            return client.delete(full, **auth)
        if "files" in extra:
            return client.post(full, extra["files"], **auth)
        return client.post(full, body or {}, content_type="application/json", **auth)

    return call


def past_winner(unit, name: str):
    innovation = InnovationFactory(unit=unit, name=name)
    AwardRecordFactory(
        innovation=innovation, programme="kipp", tier="top45", level="winner", year=2019
    )
    return innovation


def counted(api, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        body = api("get", path).json()
    assert body["count"] == len(body["items"])
    return body["count"], len(queries.captured_queries)


# --------------------------------------------------------------------------- invitations


def test_invite_list_import_and_revoke(api, unit_a, secretariat):
    edition = edition_2021(code="kipp-2021-api")
    base = f"/kipp/editions/{edition.code}/invitations"
    sitarang = past_winner(unit_a, "SITARANG")

    created = api("post", base, {"innovation": sitarang.pk})
    assert created.status_code == 201
    assert (created.json()["group"], created.json()["proposal"]) == ("khusus", None)
    refused = api("post", base, {"innovation": InnovationFactory(unit=unit_a).pk})
    assert refused.status_code == 422
    assert "tidak memenuhi syarat Kelompok Khusus" in refused.json()["detail"]

    bad = api(
        "post",
        base + "/import",
        files={"file": _upload("innovation_id\n999999\nabc\n")},
    )
    assert bad.status_code == 422
    assert [(e["row"], e["column"]) for e in bad.json()["errors"]] == [
        (2, "innovation_id"),
        (3, "innovation_id"),
    ]
    other = past_winner(unit_a, "Sipaduko")
    imported = api(
        "post",
        base + "/import",
        files={"file": _upload(f"innovation_id\n{other.pk}\n{sitarang.pk}\n")},
    )
    assert imported.status_code == 201
    assert [i["innovation"] for i in imported.json()["created"]] == [other.pk]
    assert imported.json()["already_invited_rows"] == [3]

    ProposalFactory(edition=edition, innovation=sitarang, group="khusus")
    assert [i["innovation"] for i in api("get", base, {"used": "true"}).json()["items"]] == [
        sitarang.pk
    ]
    first = Invitation.objects.get(innovation=sitarang)
    assert api("delete", f"/kipp/invitations/{first.pk}").status_code == 422
    second = Invitation.objects.get(innovation=other)
    assert api("delete", f"/kipp/invitations/{second.pk}").status_code == 204
    assert api("get", base).json()["count"] == 1

    count, queries = counted(api, base)
    for n in range(3):
        invitation_domain.invite_innovation(
            edition, past_winner(unit_a, f"L{n}"), actor=secretariat
        )
    assert counted(api, base) == (count + 3, queries)


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("undangan.csv", text.encode(), content_type="text/csv")


# --------------------------------------------------------------------------- reviews


@pytest.fixture
def desk(db):
    return EditionFactory(code="kipp-desk-api", stages=DESK)


def live(edition, appointment) -> Assignment:
    proposal = ProposalFactory(edition=edition, state=S.DESK_REVIEW)
    return Assignment.objects.create(
        stage=stage_of(edition, DESK), subject=proposal.subject, appointment=appointment
    )


def test_excuse_with_replacement_then_restore(api, desk):
    ani, citra = evaluator(desk, "Ani"), evaluator(desk, "Citra")
    assignment = live(desk, ani)
    base = f"/kipp/editions/{desk.code}/evaluation/{DESK}/assignments"

    short = api("post", f"/kipp/evaluation/assignments/{assignment.pk}/excuse", {"reason": "x"})
    assert short.status_code == 422 and "(kolom: reason)" in short.json()["detail"]
    done = api(
        "post",
        f"/kipp/evaluation/assignments/{assignment.pk}/excuse",
        {"reason": REASON, "replacement": citra.pk},
    )
    assert done.status_code == 200
    body = done.json()
    assert (body["assignment"]["status"], body["assignment"]["excuse_reason"]) == (
        "excused",
        REASON,
    )
    assert (body["replacement"]["assessor"], body["replacement"]["manual"]) == ("Citra", True)
    listed = api("get", base, {"status": "excused"}).json()
    assert [i["id"] for i in listed["items"]] == [assignment.pk]
    assert api("get", base).json()["count"] == 2

    restored = api("post", f"/kipp/evaluation/assignments/{assignment.pk}/restore", {})
    assert restored.json()["status"] == "todo"

    count, queries = counted(api, base)
    for n in range(3):
        live(desk, evaluator(desk, f"P{n}"))
    assert counted(api, base) == (count + 3, queries)


def test_pins_through_the_api(api, desk):
    proposal = ProposalFactory(edition=desk, state=S.DESK_REVIEW)
    local = evaluator(desk, "Orang Dalam", affiliation=proposal.institution)
    outside = evaluator(desk, "Orang Luar")
    base = f"/kipp/editions/{desk.code}/evaluation/{DESK}/pins"
    body = {"subject": proposal.subject_id, "kind": "force", "reason": "Ahli"}

    conflict = api("post", base, {**body, "appointment": local.pk})
    assert conflict.status_code == 422 and "same_institution" in conflict.json()["detail"]
    created = api("post", base, {**body, "appointment": outside.pk})
    assert created.status_code == 201
    assert (created.json()["kind"], created.json()["assessor"]) == (PinKind.FORCE, "Orang Luar")
    assert api("get", base).json()["items"][0]["reason"] == "Ahli"

    count, queries = counted(api, base)
    for n in range(3):
        api("post", base, {**body, "appointment": evaluator(desk, f"P{n}").pk})
    assert counted(api, base) == (count + 3, queries)
    pin = Pin.objects.get(appointment=outside)
    assert api("delete", f"/kipp/evaluation/pins/{pin.pk}").status_code == 204
    assert api("get", base).json()["count"] == 3


# --------------------------------------------------------------------------- withdrawals


def test_withdrawal_queue_and_decisions(api, desk, unit_a, admin_a):
    def requested(title: str) -> Proposal:
        proposal = ProposalFactory(
            edition=desk, innovation=InnovationFactory(unit=unit_a, name=title), state=S.SUBMITTED
        )
        proposals.withdraw_proposal(proposal, reason=f"Alasan {title}.", actor=admin_a)
        return proposal

    go = requested("Ditarik")
    base = f"/kipp/editions/{desk.code}/withdrawals"
    [item] = api("get", base).json()["items"]
    assert (item["proposal"], item["reason"], item["state"]) == (
        go.pk,
        "Alasan Ditarik.",
        "submitted",
    )

    count, queries = counted(api, base)
    keep = [requested(f"Lagi {n}") for n in range(3)]
    assert counted(api, base) == (count + 3, queries)

    path = f"/kipp/withdrawals/{go.pk}/decision"
    assert api("post", path, {"decision": "approve", "note": "ok"}).status_code == 422
    decided = api("post", path, {"decision": "approve", "note": "Disetujui sesuai surat."})
    assert decided.json() == {"proposal": go.pk, "state": "withdrawn"}
    rejected = api(
        "post",
        f"/kipp/withdrawals/{keep[0].pk}/decision",
        {"decision": "reject", "note": "Seleksi sudah berjalan."},
    )
    assert rejected.json()["state"] == "submitted"
    assert api("get", base).json()["count"] == 2
