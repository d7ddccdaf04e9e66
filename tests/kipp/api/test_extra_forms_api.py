"""`extra_answers` in the participant API (/api/v1/kipp/proposals): read with the form's
questions and what is still missing, written with the answers, refused as 422 naming the
question."""

from __future__ import annotations

import pytest

from prima.kipp.models import Proposal
from tests.kipp.api.test_participant import Api, answers_body, token_for
from tests.kipp.domain.test_proposals_support import (
    SPBE_APP,
    edition_2021,
    edition_2025,
    innovation_for,
    ready_draft,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for():
    return lambda person: Api(token_for(person))


@pytest.fixture
def draft(unit_a, operator_a):
    return ready_draft(edition_2025(), innovation_for(unit_a, name="SITARANG"), operator_a)


def test_detail_has_the_answers_and_the_form(draft, api_for, operator_a):
    body = api_for(operator_a).get(f"/proposals/{draft.pk}").json()

    assert body["extra_answers"] == {"spbe": SPBE_APP}
    (form,) = body["extra_forms"]
    assert (form["code"], form["label"], form["missing"]) == ("spbe", "SPBE", [])
    questions = {q["code"]: q for q in form["questions"]}
    assert questions["berbasis_elektronik"]["kind"] == "yes_no"
    assert [o["code"] for o in questions["berbasis_elektronik"]["options"]] == ["ya", "tidak"]
    assert questions["tahun_uji_keamanan"]["when"] == {
        "question": "uji_keamanan",
        "values": ["ya"],
    }
    assert questions["integrasi"]["required"] is False
    assert questions["nama_aplikasi"]["max_chars"] == 100


def test_saving_replaces_the_answers_and_reports_what_is_missing(draft, api_for, operator_a):
    api = api_for(operator_a)
    saved = api.send(
        "put",
        f"/proposals/{draft.pk}/answers",
        answers_body(draft, extra_answers={"spbe": {"berbasis_elektronik": "ya"}}),
    )

    assert saved.status_code == 200, saved.content
    assert saved.json()["extra_answers"] == {"spbe": {"berbasis_elektronik": "ya"}}
    assert saved.json()["extra_forms"][0]["missing"] == [
        "nama_aplikasi",
        "alamat_akses",
        "platform",
        "pengelola",
        "hosting",
        "data_pribadi",
        "uji_keamanan",
    ]

    refused = api.send("post", f"/proposals/{draft.pk}/transition", {"action": "send"})
    assert refused.status_code == 422
    assert (
        "Formulir SPBE: pertanyaan «Pengelola aplikasi» belum dijawab."
        in (refused.json()["detail"])
    )


def test_leaving_the_field_out_keeps_the_answers(draft, api_for, operator_a):
    response = api_for(operator_a).send(
        "put", f"/proposals/{draft.pk}/answers", answers_body(draft)
    )
    assert response.status_code == 200
    assert Proposal.objects.get(pk=draft.pk).extra_answers == {"spbe": SPBE_APP}


def test_a_wrong_answer_is_422_naming_the_question(draft, api_for, operator_a):
    response = api_for(operator_a).send(
        "put",
        f"/proposals/{draft.pk}/answers",
        answers_body(draft, extra_answers={"spbe": {**SPBE_APP, "platform": ["web", "linux"]}}),
    )

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("SPBE, «Platform»: pilihan «linux» tidak dikenal")
    assert detail.endswith("(kolom: extra:spbe:platform)")
    assert Proposal.objects.get(pk=draft.pk).extra_answers == {"spbe": SPBE_APP}


def test_a_form_the_edition_does_not_ask_for_is_422(unit_a, api_for, operator_a):
    proposal = ready_draft(edition_2021(), innovation_for(unit_a), operator_a)
    response = api_for(operator_a).send(
        "put",
        f"/proposals/{proposal.pk}/answers",
        answers_body(proposal, extra_answers={"spbe": {"berbasis_elektronik": "tidak"}}),
    )

    assert response.status_code == 422
    assert "Formulir «spbe» tidak diminta" in response.json()["detail"]
    detail = api_for(operator_a).get(f"/proposals/{proposal.pk}").json()
    assert detail["extra_answers"] == {} and detail["extra_forms"] == []
