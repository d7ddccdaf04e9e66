"""Who reaches the invitation pages, the single-review and pin pages and the withdrawal
queue (kipp.md §3, §8 #15, §9.4, §10.1), and their API.

The secretariat acts; national readers (analyst, viewer) read — for reviews and pins only
if they assess nothing in the edition (`decisions.may_read_evaluation`); assessors, unit
operators and Admin Lokal (of the proposing institution or another) get 403 and see
nothing; the public is sent to log in (pages) or refused (API, 401).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prima.core.domain.tokens import create_api_token
from prima.core.enums import Role
from prima.evaluation.domain.reviews import excuse_assignment
from prima.evaluation.domain.runs import add_pin
from prima.evaluation.enums import AssessorRole, EditionState, PinKind
from prima.evaluation.models import Assignment
from prima.kipp.domain import invitations as invitation_domain
from prima.kipp.domain import proposals
from prima.kipp.enums import ProposalState as S
from tests.conftest import client_for
from tests.factories import AwardRecordFactory, InnovationFactory, person_with_role
from tests.kipp.domain.test_decisions import evaluator, stage_of
from tests.kipp.domain.test_proposals_support import edition_2021
from tests.kipp.factories import AppointmentFactory, EditionFactory, ProposalFactory

DESK = EditionState.DESK_EVALUATION
REASON = "Penilai dirawat di rumah sakit"

# name → (URL arguments, access group)
READ_PAGES: dict[str, tuple[tuple[str, ...], str]] = {
    "kipp_invitations": (("{invitation_edition}",), "national"),
    "kipp_invitation_export": (("{invitation_edition}",), "national"),
    "kipp_withdrawals": (("{code}",), "national"),
    "kipp_review_assignments": (("{code}", "{stage}"), "evaluation"),
    "kipp_review_pins": (("{code}", "{stage}"), "evaluation"),
}
SECRETARIAT_PAGES: dict[str, tuple[str, ...]] = {
    "kipp_invitation_add": ("{invitation_edition}",),
    "kipp_invitation_import": ("{invitation_edition}",),
    "kipp_review_excuse": ("{assignment}",),
    "kipp_review_pin_add": ("{code}", "{stage}"),
}
# Buttons (POST only); a refused or invalid action still redirects the secretariat.
ACTIONS: dict[str, tuple[str, ...]] = {
    "kipp_invitation_revoke": ("{invitation}",),
    "kipp_review_restore": ("{excused}",),
    "kipp_review_pin_remove": ("{pin}",),
    "kipp_withdrawal_decide": ("{withdrawal}",),
}
COVERED_PAGES: set[str] = set(READ_PAGES) | set(SECRETARIAT_PAGES) | set(ACTIONS)

API_READS: dict[str, str] = {
    "/kipp/editions/{invitation_edition}/invitations": "national",
    "/kipp/editions/{code}/withdrawals": "national",
    "/kipp/editions/{code}/evaluation/{stage}/assignments": "evaluation",
    "/kipp/editions/{code}/evaluation/{stage}/pins": "evaluation",
}
API_WRITES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("post", "/kipp/editions/{invitation_edition}/invitations", {"innovation": "{innovation}"}),
    ("post", "/kipp/editions/{invitation_edition}/invitations/import", None),
    ("delete", "/kipp/invitations/{invitation}", None),
    ("post", "/kipp/evaluation/assignments/{assignment}/excuse", {"reason": REASON}),
    ("post", "/kipp/evaluation/assignments/{excused}/restore", {}),
    (
        "post",
        "/kipp/editions/{code}/evaluation/{stage}/pins",
        {"subject": "{subject}", "appointment": "{spare}", "kind": "force", "reason": "Ahli"},
    ),
    ("delete", "/kipp/evaluation/pins/{pin}", None),
    (
        "post",
        "/kipp/withdrawals/{withdrawal}/decision",
        {"decision": "reject", "note": "Seleksi sudah berjalan."},
    ),
]
COVERED_OPERATIONS: set[tuple[str, str]] = {("get", path) for path in API_READS} | {
    (method, path) for method, path, _body in API_WRITES
}

# persona → (national reads, evaluation reads, secretariat pages and actions)
EXPECTED = {
    "secretariat": (200, 200, 200),
    "analyst": (200, 200, 403),
    "viewer": (200, 200, 403),
    "appointed_analyst": (200, 403, 403),
    "admin_a": (403, 403, 403),
    "admin_b": (403, 403, 403),
    "operator_a": (403, 403, 403),
    "operator_b": (403, 403, 403),
    "evaluator": (403, 403, 403),
    "panelist": (403, 403, 403),
    "nobody": (403, 403, 403),
}
COLUMN = {"national": 0, "evaluation": 1}


@pytest.fixture
def world(db, personas, institution_b, unit_a):
    """An invitation edition (2021 rules, registration open) with one invitation, and an
    edition in desk evaluation with live reviews (one excused, the evaluator persona's
    among them), a pin and a pending withdrawal request of institution A."""
    secretariat = personas["secretariat"]
    invitations = edition_2021(code="kipp-undangan")
    innovation = InnovationFactory(unit=unit_a, name="Pemenang Lama")
    AwardRecordFactory(
        innovation=innovation, programme="kipp", tier="top45", level="winner", year=2019
    )
    another = InnovationFactory(unit=unit_a, name="Pemenang Lain")
    AwardRecordFactory(
        innovation=another, programme="kipp", tier="top45", level="winner", year=2018
    )
    invitation = invitation_domain.invite_innovation(invitations, innovation, actor=secretariat)

    desk = EditionFactory(code="kipp-tinjau", stages=DESK)
    stage = stage_of(desk, DESK)
    proposal = ProposalFactory(edition=desk, state=S.DESK_REVIEW, title="Rahasia Penilaian")
    own = AppointmentFactory(edition=desk, person=personas["evaluator"])
    assignment = Assignment.objects.create(stage=stage, subject=proposal.subject, appointment=own)
    excused = Assignment.objects.create(
        stage=stage, subject=proposal.subject, appointment=evaluator(desk, "Ani")
    )
    excuse_assignment(excused, reason=REASON, actor=secretariat)
    pin = add_pin(
        stage, proposal.subject, evaluator(desk, "Budi"), PinKind.FORBID, "x", actor=secretariat
    )
    spare = evaluator(desk, "Citra")
    withdrawal = ProposalFactory(
        edition=desk, innovation=InnovationFactory(unit=unit_a), state=S.SUBMITTED
    )
    proposals.withdraw_proposal(
        withdrawal, reason="Data inovasi keliru.", actor=personas["admin_a"]
    )

    analyst = person_with_role(Role.ANALYST, username="analis")
    appointed_analyst = person_with_role(Role.ANALYST, username="analis_penilai")
    AppointmentFactory(edition=desk, person=appointed_analyst)
    panelist = person_with_role(Role.PANELIST, username="panelis")
    AppointmentFactory(edition=desk, person=panelist, role=AssessorRole.PANELIST)
    people = {
        **personas,
        "analyst": analyst,
        "viewer": person_with_role(Role.VIEWER, username="pemantau"),
        "appointed_analyst": appointed_analyst,
        "admin_b": person_with_role(
            Role.INSTITUTION_ADMIN, institution=institution_b, username="admin_b"
        ),
        "panelist": panelist,
    }
    ids = {
        "invitation_edition": invitations.code,
        "invitation": invitation.pk,
        "innovation": another.pk,
        "code": desk.code,
        "stage": DESK,
        "assignment": assignment.pk,
        "excused": excused.pk,
        "subject": proposal.subject_id,
        "spare": spare.pk,
        "pin": pin.pk,
        "withdrawal": withdrawal.pk,
    }
    return people, ids


def resolve(name: str, args: tuple[str, ...], ids: dict[str, Any]) -> str:
    return reverse(name, args=[str(a).format(**ids) for a in args])


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_read_pages(world, persona):
    people, ids = world
    client = client_for(people[persona])
    for name, (args, group) in READ_PAGES.items():
        response = client.get(resolve(name, args, ids))
        expected = EXPECTED[persona][COLUMN[group]]
        assert response.status_code == expected, (persona, name)
        if expected == 403:
            assert "Rahasia Penilaian" not in response.content.decode()
            assert "Pemenang Lama" not in response.content.decode()


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_secretariat_pages(world, persona):
    people, ids = world
    client = client_for(people[persona])
    for name, args in SECRETARIAT_PAGES.items():
        response = client.get(resolve(name, args, ids))
        assert response.status_code == EXPECTED[persona][2], (persona, name)


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_actions(world, persona):
    people, ids = world
    client = client_for(people[persona])
    refused = EXPECTED[persona][2] == 403
    for name, args in ACTIONS.items():
        status = client.post(resolve(name, args, ids)).status_code
        assert status == (403 if refused else 302), (persona, name)


def test_anonymous_visitors_are_sent_to_log_in(world):
    _people, ids = world
    client = client_for(None)
    login = reverse("login")
    pages = {name: args for name, (args, _group) in READ_PAGES.items()} | SECRETARIAT_PAGES
    for name, args in pages.items():
        response = client.get(resolve(name, args, ids))
        assert response.status_code == 302 and response.url.startswith(login), name
    for name, args in ACTIONS.items():
        assert client.post(resolve(name, args, ids)).status_code == 302, name


def _body(body: dict[str, Any] | None, ids: dict[str, Any]) -> dict[str, Any]:
    filled: dict[str, Any] = {}
    for key, value in (body or {}).items():
        filled[key] = (
            int(value.format(**ids)) if value in ("{innovation}", "{subject}", "{spare}") else value
        )
    return filled


def _call(client, method: str, path: str, body, auth, ids):
    if method == "delete":
        return client.delete(path, **auth)
    if path.endswith("/import"):
        content = f"innovation_id\n{ids['innovation']}\n".encode()
        upload = SimpleUploadedFile("u.csv", content, content_type="text/csv")
        return client.post(path, {"file": upload}, **auth)
    return client.post(path, body, content_type="application/json", **auth)


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_api(world, persona):
    people, ids = world
    _token, key = create_api_token(actor=people[persona], name="uji")
    client = client_for(None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    for template, group in API_READS.items():
        response = client.get("/api/v1" + template.format(**ids), **auth)
        assert response.status_code == EXPECTED[persona][COLUMN[group]], (persona, template)
        if response.status_code == 403:
            assert set(response.json()) == {"detail"}
    write = EXPECTED[persona][2]
    for method, template, body in API_WRITES:
        path = "/api/v1" + template.format(**ids)
        status = _call(client, method, path, _body(body, ids), auth, ids).status_code
        if write == 403:
            assert status == 403, (persona, method, template)
        else:
            assert status in (200, 201, 204, 422), (persona, method, template)


def test_the_secretariat_writes_succeed(world):
    people, ids = world
    _token, key = create_api_token(actor=people["secretariat"], name="uji")
    client = client_for(None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    statuses = [
        _call(
            client, method, "/api/v1" + template.format(**ids), _body(body, ids), auth, ids
        ).status_code
        for method, template, body in API_WRITES
    ]
    # The import names the innovation just invited: accepted, its row reported as done.
    assert statuses == [201, 201, 204, 200, 200, 201, 204, 200]


def test_api_without_token_is_refused(world):
    _people, ids = world
    client = client_for(None)
    for template in API_READS:
        assert client.get("/api/v1" + template.format(**ids)).status_code == 401
    for method, template, body in API_WRITES:
        status = _call(
            client, method, "/api/v1" + template.format(**ids), _body(body, ids), {}, ids
        )
        assert status.status_code == 401, template
