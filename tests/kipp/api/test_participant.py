"""The participant API (/api/v1/kipp/proposals): scoped like the pages, optimistic locking as
409, guards as 422 naming every reason, attachments by multipart upload."""

from __future__ import annotations

import json
import secrets

import pytest
from django.test import Client

from prima.core.api_auth import digest_of
from prima.core.models import ApiToken
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import Proposal
from tests.kipp.domain.test_proposals_support import (
    SPBE_APP,
    edition_2025,
    full_answers,
    innovation_for,
    pdf,
    ready_draft,
    words,
)
from tests.kipp.factories import ProposalFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/kipp"


class Api:
    def __init__(self, key: str | None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}

    def get(self, path: str, params=None):
        return self.client.get(BASE + path, params or {}, **self.headers)

    def send(self, method: str, path: str, body):
        call = getattr(self.client, method)
        return call(BASE + path, json.dumps(body), content_type="application/json", **self.headers)

    def upload(self, path: str, data: dict):
        return self.client.post(BASE + path, data, **self.headers)


def token_for(person) -> str:
    """A fresh API key for the person (only its digest is stored)."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(person=person, name="uji", prefix=key[:8], digest=digest_of(key))
    return key


@pytest.fixture
def api_for():
    def make(person):
        return Api(token_for(person) if person is not None else None)

    return make


@pytest.fixture
def edition():
    return edition_2025()


@pytest.fixture
def draft(edition, unit_a, operator_a):
    return ready_draft(edition, innovation_for(unit_a, name="SITARANG"), operator_a)


def answers_body(proposal: Proposal, **changes) -> dict:
    body = {
        "version": proposal.version,
        "answers": dict(proposal.answers),
        "sdg_goals": proposal.sdg_goals,
        "category": proposal.category,
        "video_url": proposal.video_url,
        "video_minutes": str(proposal.video_minutes),
        "declaration": False,
    }
    body.update(changes)
    return body


def test_list_is_scoped_to_the_tokens_person(
    edition, draft, unit_b, api_for, operator_a, operator_b, evaluator
):
    ProposalFactory(edition=edition, innovation=innovation_for(unit_b))

    mine = api_for(operator_a).get("/proposals").json()
    assert mine["count"] == 1 and mine["items"][0]["title"] == "SITARANG"
    assert mine["items"][0]["state"] == "draft" and mine["items"][0]["state_label"] == "Draf"
    assert api_for(operator_b).get("/proposals").json()["count"] == 1
    assert api_for(evaluator).get("/proposals").json() == {"count": 0, "items": []}
    assert api_for(operator_b).get(f"/proposals/{draft.pk}").status_code == 404
    assert api_for(None).get("/proposals").status_code == 401


def test_list_filters(edition, draft, unit_a, api_for, admin_a):
    ProposalFactory(edition=edition, innovation=innovation_for(unit_a), group="replikasi")
    api = api_for(admin_a)
    assert api.get("/proposals", {"group": "replikasi"}).json()["count"] == 1
    assert api.get("/proposals", {"edition": edition.code, "state": "draft"}).json()["count"] == 2
    assert api.get("/proposals", {"edition": "tidak-ada"}).json()["count"] == 0


def test_participants_see_the_announced_state_only(edition, unit_a, api_for, admin_a, secretariat):
    hidden = ProposalFactory(
        edition=edition,
        innovation=innovation_for(unit_a),
        state=S.ADMIN_PASSED,
        participant_state=S.SUBMITTED,
    )
    assert api_for(admin_a).get(f"/proposals/{hidden.pk}").json()["state"] == "submitted"
    assert api_for(admin_a).get("/proposals", {"state": "admin_passed"}).json()["count"] == 0
    assert api_for(secretariat).get(f"/proposals/{hidden.pk}").json()["state"] == "admin_passed"


@pytest.mark.parametrize("rows", [1, 5])
def test_list_query_count_does_not_grow(
    rows, edition, unit_a, api_for, admin_a, django_assert_num_queries
):
    for _ in range(rows):
        ProposalFactory(edition=edition, innovation=innovation_for(unit_a))
    api = api_for(admin_a)
    # token, token use, memberships, rows, count
    with django_assert_num_queries(5):
        response = api.get("/proposals")
    assert response.json()["count"] == rows


def test_create_read_save_send(edition, unit_a, api_for, operator_a, admin_a):
    innovation = innovation_for(unit_a, name="Klinik Berhenti Merokok")
    api = api_for(operator_a)
    created = api.send(
        "post",
        "/proposals",
        {"edition": edition.code, "innovation": innovation.pk, "group": "umum", "category": "AC4"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "draft" and body["actions"] == ["attach", "edit", "send"]
    assert body["word_limits"]["adaptabilitas"] == 300
    pk = body["id"]

    proposal = Proposal.objects.get(pk=pk)
    saved = api.send(
        "put",
        f"/proposals/{pk}/answers",
        answers_body(
            proposal,
            answers={**full_answers(proposal), "adaptabilitas": words(301)},
            sdg_goals=[3],
            video_url="https://video.contoh.go.id/kbm",
            video_minutes="2.5",
            extra_answers={"spbe": SPBE_APP},
        ),
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["word_counts"]["adaptabilitas"] == 301
    assert any("301 kata" in w for w in saved.json()["warnings"])

    for kind in ("bukti_mulai_implementasi", "sk_inovator", "pernyataan_kebenaran"):
        uploaded = api.upload(
            f"/proposals/{pk}/attachments", {"kind": kind, "file": pdf(f"{kind}.pdf")}
        )
        assert uploaded.status_code == 201, uploaded.content

    refused = api.send("post", f"/proposals/{pk}/transition", {"action": "send"})
    assert refused.status_code == 422
    assert "301 kata" in refused.json()["detail"]

    version = saved.json()["version"]
    api.send(
        "put",
        f"/proposals/{pk}/answers",
        answers_body(
            Proposal.objects.get(pk=pk),
            answers={**full_answers(proposal), "adaptabilitas": words(300)},
            version=version,
        ),
    )
    sent = api.send("post", f"/proposals/{pk}/transition", {"action": "send"})
    assert sent.status_code == 200 and sent.json()["state"] == "at_institution"

    submitted = api_for(admin_a).send(
        "post", f"/proposals/{pk}/transition", {"action": "submit", "declaration": True}
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "submitted"
    assert len(submitted.json()["snapshot_hash"]) == 64
    assert [h["to_state"] for h in submitted.json()["history"]] == ["at_institution", "submitted"]


def test_stale_version_is_409(draft, api_for, operator_a):
    api = api_for(operator_a)
    body = answers_body(draft)
    assert (
        api.send("put", f"/proposals/{draft.pk}/answers", {**body, "sdg_goals": [1]}).status_code
        == 200
    )
    stale = api.send("put", f"/proposals/{draft.pk}/answers", {**body, "sdg_goals": [2]})
    assert stale.status_code == 409
    assert Proposal.objects.get(pk=draft.pk).sdg_goals == [1]


def test_return_needs_a_note(draft, api_for, operator_a, admin_a):
    api_for(operator_a).send("post", f"/proposals/{draft.pk}/transition", {"action": "send"})
    short = api_for(admin_a).send(
        "post", f"/proposals/{draft.pk}/transition", {"action": "return", "note": "kurang"}
    )
    assert short.status_code == 422 and "note" in short.json()["detail"]
    done = api_for(admin_a).send(
        "post",
        f"/proposals/{draft.pk}/transition",
        {"action": "return", "note": "Lengkapi bukti dukung signifikansi."},
    )
    assert done.json()["state"] == "returned"


def test_unknown_action_is_rejected(draft, api_for, operator_a):
    response = api_for(operator_a).send(
        "post", f"/proposals/{draft.pk}/transition", {"action": "publish"}
    )
    assert response.status_code == 422


def test_attachments_list_and_delete(draft, api_for, operator_a, operator_b):
    api = api_for(operator_a)
    listed = api.get(f"/proposals/{draft.pk}/attachments").json()
    assert listed["count"] == 3
    first = listed["items"][0]
    assert first["download_url"].endswith(f"/kipp/proposal/{draft.pk}/lampiran/{first['id']}/")
    assert (
        api_for(operator_b)
        .send("delete", f"/proposals/{draft.pk}/attachments/{first['id']}", {})
        .status_code
        == 404
    )
    assert (
        api.send("delete", f"/proposals/{draft.pk}/attachments/{first['id']}", {}).status_code
        == 204
    )
    assert api.get(f"/proposals/{draft.pk}/attachments").json()["count"] == 2


def test_create_for_someone_elses_innovation_is_403(edition, unit_a, api_for, operator_b):
    innovation = innovation_for(unit_a)
    response = api_for(operator_b).send(
        "post",
        "/proposals",
        {"edition": edition.code, "innovation": innovation.pk, "group": "umum", "category": "AC4"},
    )
    assert response.status_code == 403
