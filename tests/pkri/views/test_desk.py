"""The PKRI desk pages and API as their users rely on them (pkri.md §7.1)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from prima.evaluation.enums import EditionState, RunStatus, SheetStatus
from prima.evaluation.models import Assignment, AssignmentRun, Consolidation, ScoreSheet
from prima.pkri.domain.desk import close_desk_evaluation, record_levels, start_desk_evaluation
from prima.pkri.enums import FormState
from tests.conftest import client_for
from tests.factories import InstitutionFactory, PersonFactory
from tests.jobs import followed_job
from tests.pkri.desk_factories import (
    B4_LEVELS,
    NOTE,
    appoint,
    assign,
    submitted_object_form,
    token_headers,
)
from tests.pkri.factories import PkriEditionFactory

COMMENTS = dict.fromkeys(B4_LEVELS, "Sesuai bukti.")


@pytest.fixture
def edition(db):
    return PkriEditionFactory(stages=EditionState.FORMS_CLOSED)


@pytest.fixture
def form(edition, secretariat, institution_b):
    found = submitted_object_form(edition, institution_b, name="Klinik BUM Desa")
    start_desk_evaluation(edition, actor=secretariat)
    found.refresh_from_db()
    return found


# --------------------------------------------------------------------------- secretariat


def test_the_secretariat_starts_appoints_runs_deploys_and_closes(
    edition, secretariat, institution_a, django_capture_on_commit_callbacks
):
    forms = [submitted_object_form(edition, institution_a) for _ in range(2)]
    client = client_for(secretariat)
    url = reverse("pkri_desk", args=[edition.code])

    response = client.post(url, {"action": "start"})
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.state == EditionState.DESK_EVALUATION

    people = [PersonFactory() for _ in range(3)]
    for person in people:
        response = client.post(
            url,
            {
                "action": "appoint",
                "person": person.pk,
                "role": "evaluator",
                "home_province": "31",
                "min_load": 0,
            },
        )
        assert response.status_code == 302, response.content.decode()
    for appointment in edition.appointments.all():
        appointment.code_of_conduct_accepted_at = appointment.created_at
        appointment.conflicts_declared_at = appointment.created_at
        appointment.save()

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, {"action": "run", "label": "Putaran 1"})
    job = followed_job(started)
    run = AssignmentRun.objects.get(pk=job.result["run"])
    assert run.status == RunStatus.OPTIMAL
    # k = assessors_per_form = 2 for each of the two forms.
    assert len(run.pairs) == 4

    client.post(url, {"action": "deploy", "run": run.pk})
    for form in forms:
        form.refresh_from_db()
        assert Assignment.objects.filter(subject=form.subject).count() == 2

    response = client.post(url, {"action": "close"}, follow=True)
    assert "4 lembar nilai belum final" in response.content.decode()


def test_the_run_never_pairs_a_local_form_with_an_evaluator_of_its_province(
    edition, secretariat, institution_a, django_capture_on_commit_callbacks
):
    submitted_object_form(edition, institution_a)  # Kota Payakumbuh, province 13
    start_desk_evaluation(edition, actor=secretariat)
    same = appoint(edition, PersonFactory(), home_province="13")
    others = [appoint(edition, PersonFactory()) for _ in range(2)]
    client = client_for(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("pkri_desk", args=[edition.code]), {"action": "run", "label": "A"}
        )
    job = followed_job(started)

    run = AssignmentRun.objects.get(pk=job.result["run"])
    assert {a for _s, a, _v in run.pairs} == {o.pk for o in others}
    assert same.pk not in {a for _s, a, _v in run.pairs}


def _finalised(form, person, levels):
    return record_levels(
        assign(form, appoint(form.edition, person)),
        levels,
        COMMENTS,
        note=NOTE,
        actor=person,
        finalise=True,
    )


def test_score_table_shows_mean_spread_and_flag_and_exports_the_same(form, secretariat):
    _finalised(form, PersonFactory(full_name="Penilai Satu"), B4_LEVELS)  # 77.50
    _finalised(
        form, PersonFactory(full_name="Penilai Dua"), {**B4_LEVELS, "k3": 0, "k1": 2}
    )  # 52.50
    client = client_for(secretariat)
    url = reverse("pkri_desk_scores", args=[form.edition.code])

    page = client.get(url, {"kelompok": "keberlanjutan"})
    row = page.context["rows"][0]
    assert row.mean == Decimal("65.00")  # (77.50 + 52.50) / 2
    assert row.spread == Decimal("25.00")
    assert row.disagreement is True
    assert "Penilai Satu: 77.50" in page.content.decode()

    export = client.get(url, {"kelompok": "keberlanjutan", "format": "csv"})
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2
    assert "65.00" in lines[1] and "25.00" in lines[1] and "ya" in lines[1]


def test_after_closing_the_table_shows_the_desk_score(form, secretariat):
    _finalised(form, PersonFactory(), B4_LEVELS)
    _finalised(form, PersonFactory(), B4_LEVELS)
    close_desk_evaluation(form.edition, actor=secretariat)
    page = client_for(secretariat).get(
        reverse("pkri_desk_scores", args=[form.edition.code]), {"kelompok": "keberlanjutan"}
    )
    row = page.context["rows"][0]
    assert row.desk_score == Decimal("77.50")
    assert row.state == str(FormState.DESK_EVALUATED.label)


# --------------------------------------------------------------------------- consolidation

CONSOLIDATION = {
    "score": "80.00",
    "justification": "Rapat tim: bukti K1 dan K4 dinilai ulang bersama.",
    "attendees": "Ketua Tim\nPenilai Satu\nPenilai Dua",
    "minutes_ref": "NOT/PKRI/07",
}


@pytest.fixture
def disagreeing(form):
    _finalised(form, PersonFactory(), B4_LEVELS)  # 77.50
    _finalised(form, PersonFactory(), {**B4_LEVELS, "k3": 0, "k1": 2})  # 52.50
    return form


def _consolidate_url(form):
    return reverse("pkri_desk_consolidate", args=[form.edition.code, form.pk])


def test_the_table_offers_consolidation_and_the_score_becomes_the_desk_score(
    disagreeing, secretariat
):
    client = client_for(secretariat)
    scores = reverse("pkri_desk_scores", args=[disagreeing.edition.code])
    table = client.get(scores, {"kelompok": "keberlanjutan"}).content.decode()
    assert f'action="{_consolidate_url(disagreeing)}"' in table

    response = client.post(_consolidate_url(disagreeing), CONSOLIDATION)

    assert response.status_code == 302
    assert response["Location"] == f"{scores}?kelompok=keberlanjutan"
    row = client.get(scores, {"kelompok": "keberlanjutan"}).context["rows"][0]
    assert row.consolidated == Decimal("80.00")
    assert row.mean == Decimal("65.00")
    close_desk_evaluation(disagreeing.edition, actor=secretariat)
    disagreeing.refresh_from_db()
    assert disagreeing.desk_score == Decimal("80.00")
    # Closed: the page shows no form any more and the table no consolidation column.
    page = client.get(_consolidate_url(disagreeing))
    assert page.context["open"] is False
    assert "<textarea" not in page.content.decode()
    assert "pkri_desk_consolidate" not in client.get(scores).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"justification": "Terlalu singkat."}, "justification", "paling sedikit 20 karakter"),
        ({"score": "100.5"}, "score", "lebih kecil dari atau sama dengan 100"),
        ({"score": "80.125"}, "score", "lebih dari 2 angka desimal"),
        ({"minutes_ref": ""}, "minutes_ref", "tidak boleh kosong"),
    ],
)
def test_an_invalid_consolidation_shows_the_error_in_indonesian_and_writes_nothing(
    disagreeing, secretariat, changes, field, message
):
    response = client_for(secretariat).post(
        _consolidate_url(disagreeing), {**CONSOLIDATION, **changes}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert not Consolidation.objects.exists()


@pytest.mark.parametrize("persona", ["evaluator", "nobody", "admin_a"])
def test_only_the_secretariat_may_consolidate_on_the_page(disagreeing, personas, persona):
    response = client_for(personas[persona]).post(_consolidate_url(disagreeing), CONSOLIDATION)
    assert response.status_code == 403
    assert not Consolidation.objects.exists()


def test_a_form_of_another_edition_is_not_found(disagreeing, secretariat):
    other = PkriEditionFactory(code="pkri-lain-2", stages=EditionState.DESK_EVALUATION)
    url = reverse("pkri_desk_consolidate", args=[other.code, disagreeing.pk])
    assert client_for(secretariat).post(url, CONSOLIDATION).status_code == 404
    assert not Consolidation.objects.exists()


def _api_consolidate(form, person, body):
    return client_for(None).post(
        f"/api/v1/pkri/desk/{form.edition.code}/forms/{form.pk}/consolidation",
        json.dumps(body),
        content_type="application/json",
        **token_headers(person),
    )


def test_api_records_the_consolidation_and_answers_the_row(disagreeing, secretariat):
    response = _api_consolidate(
        disagreeing, secretariat, {**CONSOLIDATION, "attendees": ["Ketua Tim", "Penilai Satu"]}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["form"] == disagreeing.pk
    assert Decimal(body["consolidated"]) == Decimal("80.00")
    assert body["disagreement"] is True
    assert Consolidation.objects.get().attendees == "Ketua Tim\nPenilai Satu"


def test_api_refuses_a_short_justification_naming_the_field(disagreeing, secretariat):
    response = _api_consolidate(
        disagreeing, secretariat, {**CONSOLIDATION, "justification": "Terlalu singkat."}
    )
    assert response.status_code == 422
    assert "justification" in response.json()["detail"]
    assert not Consolidation.objects.exists()


def test_api_refuses_an_evaluator(disagreeing, evaluator):
    assert _api_consolidate(disagreeing, evaluator, CONSOLIDATION).status_code == 403
    assert not Consolidation.objects.exists()


def _desk_forms(edition, n):
    return [
        submitted_object_form(edition, InstitutionFactory(), name=f"Inovasi {i}") for i in range(n)
    ]


@pytest.mark.parametrize("n", [1, 4])
def test_score_table_queries_do_not_grow_with_rows(db, secretariat, django_assert_num_queries, n):
    edition = PkriEditionFactory(stages=EditionState.FORMS_CLOSED)
    forms = _desk_forms(edition, n)
    start_desk_evaluation(edition, actor=secretariat)
    for form in forms:
        form.refresh_from_db()
        _finalised(form, PersonFactory(), B4_LEVELS)
    client = client_for(secretariat)
    url = reverse("pkri_desk_scores", args=[edition.code])
    client.get(url)  # warm the session and caches
    with django_assert_num_queries(11):
        response = client.get(url, {"kelompok": "keberlanjutan"})
    assert len(response.context["rows"]) == n
    headers = token_headers(secretariat)
    with django_assert_num_queries(11):
        api = client_for(None).get(
            f"/api/v1/pkri/desk/{edition.code}/scores?group=keberlanjutan", **headers
        )
    assert api.json()["count"] == n


# --------------------------------------------------------------------------- evaluators


def test_sheet_page_shows_the_frozen_answers_suggestions_and_rules(form):
    person = PersonFactory()
    assignment = assign(form, appoint(form.edition, person))
    page = client_for(person).get(reverse("pkri_evaluator_sheet", args=[assignment.pk]))
    text = page.content.decode()
    assert "Masih berjalan" in text and "Ya" in text
    assert "Penerima manfaat per tahun" in text
    assert "1.200" in text and "orang" in text
    assert "K3 Tren penerima manfaat" in text
    assert f"Saran sistem: level {form.suggested_levels['k3']}" in text
    assert "c &lt; −10% → 0" in text


def test_changing_a_level_without_a_comment_is_refused_on_the_page(form):
    person = PersonFactory()
    assignment = assign(form, appoint(form.edition, person))
    other = 0 if form.suggested_levels["k2"] else 1
    client = client_for(person)
    url = reverse("pkri_evaluator_sheet", args=[assignment.pk])

    refused = client.post(url, {"level_k2": other, "action": "save"})

    assert refused.status_code == 200
    assert "berbeda dari saran sistem" in refused.content.decode()
    assert not ScoreSheet.objects.filter(assignment=assignment).exists()
    saved = client.post(
        url, {"level_k2": other, "comment_k2": "Satu pembaruan tanpa bukti.", "action": "save"}
    )
    assert saved.status_code == 302
    assignment.refresh_from_db()
    assert assignment.sheet.status == SheetStatus.DRAFT


def test_finalising_on_the_page_stores_the_b4_total(form):
    person = PersonFactory()
    assignment = assign(form, appoint(form.edition, person))
    data = {"action": "finalise", "note": NOTE}
    for code, level in B4_LEVELS.items():
        data[f"level_{code}"] = level
        data[f"comment_{code}"] = "Sesuai bukti."
    response = client_for(person).post(reverse("pkri_evaluator_sheet", args=[assignment.pk]), data)
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.sheet.status == SheetStatus.FINAL
    assert assignment.sheet.total == Decimal("77.5")


def test_api_refuses_a_changed_level_without_comment_naming_the_indicator(form):
    person = PersonFactory()
    assignment = assign(form, appoint(form.edition, person))
    other = 0 if form.suggested_levels["k5"] else 1
    response = client_for(None).put(
        f"/api/v1/pkri/assessor/assignments/{assignment.pk}/sheet",
        json.dumps({"levels": {"k5": other}}),
        content_type="application/json",
        **token_headers(person),
    )
    assert response.status_code == 422
    assert "K5 Anggaran" in response.json()["detail"]


def test_api_sheet_lists_indicators_with_suggestion_and_level(form):
    person = PersonFactory()
    assignment = assign(form, appoint(form.edition, person))
    record_levels(assignment, {"k1": 2}, {"k1": "Ada jeda 14 bulan."}, actor=person)
    body = (
        client_for(None)
        .get(f"/api/v1/pkri/assessor/assignments/{assignment.pk}", **token_headers(person))
        .json()
    )
    k1 = next(i for i in body["indicators"] if i["code"] == "k1")
    assert k1 == {
        "code": "k1",
        "label": "K1 Kesinambungan",
        "weight": "20",
        "rule": k1["rule"],
        "suggested": form.suggested_levels["k1"],
        "level": 2,
        "comment": "Ada jeda 14 bulan.",
    }
    assert body["sheet"]["status"] == "draft"
    assert any(a["label"] == "Masih berjalan" for a in body["answers"])


@pytest.mark.parametrize("n", [1, 3])
def test_todo_queries_do_not_grow_with_rows(db, secretariat, django_assert_num_queries, n):
    edition = PkriEditionFactory(stages=EditionState.FORMS_CLOSED)
    forms = _desk_forms(edition, n)
    start_desk_evaluation(edition, actor=secretariat)
    person = PersonFactory()
    appointment = appoint(edition, person)
    for form in forms:
        assign(form, appointment)
    client = client_for(person)
    client.get(reverse("pkri_evaluator_todo"))
    with django_assert_num_queries(13):
        page = client.get(reverse("pkri_evaluator_todo"))
    assert len(page.context["page"].object_list) == n
    headers = token_headers(person)
    with django_assert_num_queries(12):
        api = client_for(None).get("/api/v1/pkri/assessor/assignments", **headers)
    assert api.json()["count"] == n
