"""Who may reach the PKRI decision pages, the panel pages and the decision API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.core.domain.tokens import create_api_token
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Assignment
from prima.pkri.domain.interviews import open_interviews, schedule_interview
from prima.pkri.enums import FormState
from tests.conftest import client_for
from tests.pkri.decision_factories import edition_at, evaluated_form, interview_day, panelist

COVERED_PAGES = {
    "pkri_decisions",
    "pkri_decisions_shortlist",
    "pkri_decisions_interviews",
    "pkri_decisions_rankings",
    "pkri_decisions_step",
    "pkri_panel",
    "pkri_panel_sheet",
}
READ_OPERATIONS = {
    ("get", "/pkri/editions/{}/shortlist"),
    ("get", "/pkri/editions/{}/interviews"),
    ("get", "/pkri/editions/{}/rankings"),
}
WRITE_OPERATIONS = {
    ("post", "/pkri/editions/{}/shortlist"),
    ("post", "/pkri/editions/{}/interviews"),
    ("post", "/pkri/editions/{}/interviews/open"),
    ("post", "/pkri/editions/{}/interviews/close"),
    ("post", "/pkri/editions/{}/rankings"),
    ("post", "/pkri/editions/{}/decisions/results"),
    ("post", "/pkri/editions/{}/decisions/decree"),
    ("post", "/pkri/editions/{}/decisions/awarded"),
}
COVERED_OPERATIONS = READ_OPERATIONS | WRITE_OPERATIONS

# The decision pages are the secretariat's (national readers read); the anonymous
# visitor is refused too, as the pages reveal unpublished scores.
SECRETARIAT_ONLY = {
    "secretariat": 200,
    "admin_a": 403,
    "operator_a": 403,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 403,
}
EDITION_PAGES = [
    "pkri_decisions",
    "pkri_decisions_shortlist",
    "pkri_decisions_interviews",
    "pkri_decisions_rankings",
]


@pytest.fixture
def interviewing(secretariat, institution_b):
    """An edition interviewing one shortlisted object with a three-member panel."""
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = evaluated_form(
        edition, desk="80.00", institution=institution_b, state=FormState.SHORTLISTED
    )
    panel = [panelist(edition) for _ in range(3)]
    schedule_interview(form, starts_at=interview_day(), panelists=panel, actor=secretariat)
    open_interviews(edition, actor=secretariat)
    return edition, form, panel


@pytest.mark.parametrize("name", EDITION_PAGES)
@pytest.mark.parametrize("persona, expected", sorted(SECRETARIAT_ONLY.items()))
def test_decision_pages_are_for_the_secretariat(personas, interviewing, name, persona, expected):
    edition, _form, _panel = interviewing
    response = client_for(personas[persona]).get(reverse(name, args=[edition.code]))
    assert response.status_code == expected


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("persona, expected", sorted(SECRETARIAT_ONLY.items()))
def test_ranking_download_is_for_the_secretariat(personas, interviewing, fmt, persona, expected):
    edition, _form, _panel = interviewing
    url = reverse("pkri_decisions_rankings", args=[edition.code])
    response = client_for(personas[persona]).get(url, {"unduh": fmt, "kelompok": "pembinaan"})
    assert response.status_code == expected
    if expected == 200:
        assert "attachment" in response["Content-Disposition"]


def test_a_panelist_of_the_edition_cannot_read_the_decision_pages(interviewing):
    edition, _form, panel = interviewing
    response = client_for(panel[0].person).get(
        reverse("pkri_decisions_rankings", args=[edition.code])
    )
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["admin_a", "operator_a", "evaluator", "nobody", "public"])
def test_steps_are_refused_to_everyone_but_the_secretariat(personas, interviewing, persona):
    edition, _form, _panel = interviewing
    response = client_for(personas[persona]).post(
        reverse("pkri_decisions_step", args=[edition.code, "tutup-wawancara"])
    )
    assert response.status_code == 403
    edition.refresh_from_db()
    assert edition.state == EditionState.INTERVIEWS


def test_the_secretariat_runs_a_step(personas, interviewing):
    edition, _form, _panel = interviewing
    client = client_for(personas["secretariat"])
    response = client.post(reverse("pkri_decisions_step", args=[edition.code, "buka-wawancara"]))
    assert response.status_code == 302
    # Out of turn: the domain refuses and the hub shows why.
    page = client.get(response["Location"])
    assert "hanya dapat dilakukan pada tahap" in page.content.decode()


PANEL = {
    "secretariat": 403,
    "admin_a": 403,
    "operator_a": 403,
    "operator_b": 403,
    "evaluator": 403,
    "nobody": 403,
    "public": 302,
}


@pytest.mark.parametrize("persona, expected", sorted(PANEL.items()))
def test_panel_pages_are_for_panelists(personas, interviewing, persona, expected):
    _edition, form, _panel = interviewing
    assignment = Assignment.objects.filter(subject=form.subject).first()
    for url in (reverse("pkri_panel"), reverse("pkri_panel_sheet", args=[assignment.pk])):
        assert client_for(personas[persona]).get(url).status_code == expected


def test_a_panelist_reaches_only_their_own_sheets(interviewing):
    edition, form, panel = interviewing
    mine = Assignment.objects.get(subject=form.subject, appointment=panel[0])
    outsider = panelist(edition)
    client = client_for(outsider.person)

    assert client.get(reverse("pkri_panel")).status_code == 200
    assert client.get(reverse("pkri_panel_sheet", args=[mine.pk])).status_code == 404
    assert (
        client_for(panel[0].person).get(reverse("pkri_panel_sheet", args=[mine.pk])).status_code
        == 200
    )


def _url(path: str, code: str) -> str:
    return "/api/v1" + path.replace("{}", code)


@pytest.mark.parametrize("method, path", sorted(READ_OPERATIONS))
@pytest.mark.parametrize("persona, expected", sorted(SECRETARIAT_ONLY.items()))
def test_api_reads_are_for_the_secretariat(personas, interviewing, method, path, persona, expected):
    edition, _form, _panel = interviewing
    client = client_for(None)
    headers = {}
    if personas[persona] is not None:
        _, key = create_api_token(actor=personas[persona], name="uji")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    response = client.get(_url(path, edition.code), **headers)
    assert response.status_code == (401 if persona == "public" else expected)


@pytest.mark.parametrize("method, path", sorted(WRITE_OPERATIONS))
@pytest.mark.parametrize("persona", ["admin_a", "operator_a", "evaluator", "nobody"])
def test_api_writes_are_refused_to_others(personas, interviewing, method, path, persona):
    edition, form, panel = interviewing
    _, key = create_api_token(actor=personas[persona], name="uji")
    # One body that every operation accepts (each reads its own fields).
    body = {
        "number": "B/1/2024",
        "date": "2024-07-08",
        "form": form.pk,
        "starts_at": "2024-07-12T10:00:00+07:00",
        "panelists": [p.pk for p in panel],
        "force": False,
    }
    response = client_for(None).post(
        _url(path, edition.code),
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 403
    edition.refresh_from_db()
    assert edition.state == EditionState.INTERVIEWS


@pytest.mark.parametrize("method, path", sorted(WRITE_OPERATIONS))
def test_api_writes_without_a_token_are_refused(interviewing, method, path):
    edition, _form, _panel = interviewing
    response = client_for(None).post(_url(path, edition.code), content_type="application/json")
    assert response.status_code == 401
