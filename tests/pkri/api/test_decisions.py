"""The PKRI decision API: shortlist, interviews, rankings and the steps."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prima.core.domain.tokens import create_api_token
from prima.core.enums import InstitutionKind
from prima.evaluation.enums import EditionState
from prima.pkri.domain.rankings import compute_rankings
from prima.pkri.enums import FormState
from prima.pkri.models import InterviewSlot
from tests.conftest import client_for
from tests.factories import InstitutionFactory
from tests.pkri.decision_factories import (
    categories,
    edition_at,
    evaluated_coaching,
    evaluated_form,
    panelist,
)

pytestmark = pytest.mark.django_db


def _post(person, url, body=None):
    _, key = create_api_token(actor=person, name=f"uji {person.api_tokens.count()}")
    return client_for(None).post(
        url, data=body or {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )


def _city(name):
    return InstitutionFactory(kind=InstitutionKind.CITY, short_name=name, name=f"Pemerintah {name}")


def test_publish_then_read_the_shortlist(secretariat):
    edition = edition_at(EditionState.DESK_EVALUATION, **{"groups.keberlanjutan.shortlist.size": 1})
    first = evaluated_form(edition, desk="85.00")
    second = evaluated_form(edition, desk="70.00")

    created = _post(
        secretariat,
        f"/api/v1/pkri/editions/{edition.code}/shortlist",
        {"number": "B/300/PP.00.05/2024", "date": "2024-07-08"},
    )
    listed = client_for(secretariat).get(f"/api/v1/pkri/editions/{edition.code}/shortlist")

    assert created.status_code == 201
    assert created.json()["kind"] == "shortlist"
    body = listed.json()
    assert body["state"] == EditionState.SHORTLIST_PUBLISHED
    group = body["groups"][0]
    assert group["group"] == "keberlanjutan"
    assert group["size"] == 1
    assert [(i["form"], i["shortlisted"]) for i in group["items"]] == [
        (first.pk, True),
        (second.pk, False),
    ]


def test_a_step_out_of_turn_is_refused_with_the_reason(secretariat):
    edition = edition_at(EditionState.DESK_EVALUATION)
    response = _post(secretariat, f"/api/v1/pkri/editions/{edition.code}/interviews/open")
    assert response.status_code == 422
    assert "hanya dapat dilakukan pada tahap" in response.json()["detail"]


def test_schedule_refuses_a_conflicted_panelist(secretariat, institution_b):
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = evaluated_form(
        edition, desk="80.00", institution=institution_b, state=FormState.SHORTLISTED
    )
    panel = [panelist(edition), panelist(edition), panelist(edition, affiliation=institution_b)]
    body = {
        "form": form.pk,
        "starts_at": "2024-07-12T09:00:00+07:00",
        "panelists": [p.pk for p in panel],
    }

    refused = _post(secretariat, f"/api/v1/pkri/editions/{edition.code}/interviews", body)
    body["panelists"][2] = panelist(edition).pk
    created = _post(secretariat, f"/api/v1/pkri/editions/{edition.code}/interviews", body)

    assert refused.status_code == 422
    assert "berkonflik" in refused.json()["detail"]
    assert created.status_code == 201
    assert created.json()["minutes"] == 20
    assert len(created.json()["panelists"]) == 3
    assert InterviewSlot.objects.filter(form=form).count() == 1


def test_rankings_list_the_coaching_group_per_kind(secretariat):
    edition = edition_at(EditionState.PLENARY)
    categories(edition, secretariat)
    evaluated_coaching(edition, _city("Kota Payakumbuh"), desk="85.00", levels={"p8": 4})
    compute_rankings(edition, actor=secretariat)

    body = client_for(secretariat).get(f"/api/v1/pkri/editions/{edition.code}/rankings").json()

    coaching = next(g for g in body["groups"] if g["group"] == "pembinaan")
    city = next(p for p in coaching["parts"] if p["kind"] == InstitutionKind.CITY)
    assert city["slots"] == 5
    [row] = city["items"]
    assert (row["rank"], row["final_score"], row["award"]) == (1, "85.00", "proposed")


def test_rankings_queries_do_not_grow_with_rows(secretariat):
    edition = edition_at(EditionState.PLENARY)
    categories(edition, secretariat)
    client = client_for(secretariat)
    url = f"/api/v1/pkri/editions/{edition.code}/rankings"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    evaluated_coaching(edition, _city("Kota A"), desk="90.00")
    compute_rankings(edition, actor=secretariat)
    one = count()
    for n in range(4):
        evaluated_coaching(edition, _city(f"Kota B{n}"), desk=f"8{n}.00")
    compute_rankings(edition, actor=secretariat)
    assert count() == one


def test_interviews_queries_do_not_grow_with_rows(secretariat):
    from prima.pkri.domain.interviews import schedule_interview
    from tests.pkri.decision_factories import interview_day

    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    panel = [panelist(edition) for _ in range(3)]
    client = client_for(secretariat)
    url = f"/api/v1/pkri/editions/{edition.code}/interviews"

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    for hour in (8, 9, 10, 11):
        form = evaluated_form(edition, desk="80.00", state=FormState.SHORTLISTED)
        schedule_interview(form, starts_at=interview_day(hour), panelists=panel, actor=secretariat)
        if hour == 8:
            one, rows = count()
            assert rows == 1
    many, rows = count()
    assert (many, rows) == (one, 4)
