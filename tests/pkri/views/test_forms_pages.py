# ruff: noqa: F811 (fixtures imported from tests.pkri.forms_factories)
"""The PKRI form pages: editing with repeated rows, field-level problems, the national
table and its export, and constant query counts on every list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prima.core.domain.tokens import create_api_token
from prima.pkri.domain import forms as domain
from prima.pkri.enums import FormState
from tests.conftest import client_for
from tests.factories import ServiceUnitFactory
from tests.pkri.forms_factories import edition, form_a, form_b, object_form  # noqa: F401


def _post(form, **values):
    return {"version": str(form.version), **values}


def test_saving_reads_rows_and_drops_empty_ones(operator_a, form_a):
    client = client_for(operator_a)
    response = client.post(
        reverse("pkri_form_detail", args=[form_a.pk]),
        _post(
            form_a,
            still_running="ya",
            running_since="2018-03-01",
            **{
                "budget.0.year": "2022",
                "budget.0.source": "APBD",
                "budget.0.line": "Program pelayanan",
                "budget.0.amount": "-5.000.000",
                "budget.3.year": "",
                "budget.3.amount": "",
                "budget.7.year": "2023",
                "budget.7.source": "none",
                "budget.7.amount": "0",
                "sop.exists": "tidak",
            },
        ),
    )
    assert response.status_code == 302
    form_a.refresh_from_db()
    assert form_a.data["still_running"] is True
    assert form_a.data["budget"] == [
        {"year": 2022, "source": "APBD", "line": "Program pelayanan", "amount": -5_000_000},
        {"year": 2023, "source": "none", "line": None, "amount": 0},
    ]
    assert form_a.data["sop"] == {"exists": False, "number": None, "date": None, "file": None}

    page = client.get(reverse("pkri_form_detail", args=[form_a.pk])).content.decode()
    # B2: the negative amount is named at its row and column, in Indonesian.
    assert 'name="budget.0.amount"' in page
    problems = domain.submission_problems(form_a)
    negative = next(p for p in problems if p.code == "amount_negative")
    assert negative.field == "budget.0.amount"
    assert negative.message in page


def test_unreadable_values_are_named_and_nothing_is_saved(operator_a, form_a):
    response = client_for(operator_a).post(
        reverse("pkri_form_detail", args=[form_a.pk]),
        _post(form_a, running_since="11/06/2024", **{"budget.0.amount": "lima juta"}),
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Tanggal tidak sah" in body
    assert "Harus berupa bilangan bulat" in body
    form_a.refresh_from_db()
    assert form_a.data == {} and form_a.version == 1


def test_a_stale_page_answers_409_and_keeps_the_newer_answers(operator_a, form_a):
    domain.save_form(form_a, {"still_running": True}, actor=operator_a, version=1)
    response = client_for(operator_a).post(
        reverse("pkri_form_detail", args=[form_a.pk]), {"version": "1", "still_running": "tidak"}
    )
    assert response.status_code == 409
    assert "Buka versi terbaru" in response.content.decode()
    form_a.refresh_from_db()
    assert form_a.data == {"still_running": True}


def test_sent_form_is_read_only_for_the_unit_with_its_state(operator_a, form_a):
    domain.send_to_institution(form_a, actor=operator_a)
    client = client_for(operator_a)
    page = client.get(reverse("pkri_form_detail", args=[form_a.pk])).content.decode()
    assert "Di Admin Lokal" in page
    assert "Simpan draf" not in page
    refused = client.post(reverse("pkri_form_detail", args=[form_a.pk]), _post(form_a))
    assert refused.status_code == 403


def test_submitting_after_the_window_is_refused_on_the_page_with_the_reason(
    operator_a, admin_a, form_a
):
    domain.send_to_institution(form_a, actor=operator_a)
    client = client_for(admin_a)
    url = reverse("pkri_form_submit", args=[form_a.pk])
    review = client.get(url).content.decode()
    assert "ditutup" in review  # the window of the 2024 rules is over
    response = client.post(url)
    assert response.status_code == 422
    form_a.refresh_from_db()
    assert form_a.state == FormState.AT_INSTITUTION


def test_national_table_filters_counts_and_exports(secretariat, edition, form_a, form_b):
    form_b.state = FormState.SUBMITTED
    form_b.save()
    client = client_for(secretariat)
    page = client.get(
        reverse("pkri_forms_table", args=[edition.code]) + "?status=announced"
    ).content.decode()
    assert form_a.object.innovation.name in page
    assert form_b.object.innovation.name not in page
    assert "Dikirim: 1" in page and "Diumumkan: 1" in page

    export = client.get(
        reverse("pkri_forms_export", args=[edition.code]) + "?status=announced&format=csv"
    )
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("ID formulir,Formulir")
    assert len(lines) == 2 and form_a.object.innovation.name in lines[1]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("persona", ["operator_a", "admin_a", "secretariat"])
def test_list_pages_use_the_same_number_of_queries_for_one_and_many(
    personas, edition, unit_a, persona
):
    person = personas[persona]
    client = client_for(person)
    urls = [reverse("pkri_form_list"), "/api/v1/pkri/forms"]
    if persona != "operator_a":
        urls.append(reverse("pkri_institution_forms", args=[edition.code]))
    if persona == "secretariat":
        urls += [
            reverse("pkri_forms_table", args=[edition.code]),
            reverse("pkri_forms_export", args=[edition.code]),
        ]
    object_form(edition, unit_a)
    one = {url: _count(client, url) for url in urls}
    object_form(edition, unit_a)
    object_form(edition, ServiceUnitFactory(institution=unit_a.institution))
    many = {url: _count(client, url) for url in urls}
    assert one == many


def test_api_list_query_count_with_a_token(personas, edition, unit_a):
    _, key = create_api_token(actor=personas["operator_a"], name="uji")
    client = client_for(None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    object_form(edition, unit_a)
    client.get("/api/v1/pkri/forms", **auth)  # the token's last use is written once a minute
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/pkri/forms", **auth).json()["count"] == 1
    object_form(edition, unit_a)
    object_form(edition, unit_a)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/pkri/forms", **auth).json()["count"] == 3
    assert len(one) == len(many)


def test_coaching_form_page_shows_the_system_filled_kipp_rows(admin_a, edition, form_a):
    from tests.pkri.factories import coaching_form

    form = coaching_form(form_a.locus)
    client = client_for(admin_a)
    page = client.get(reverse("pkri_form_detail", args=[form.pk])).content.decode()
    assert 'name="innovations_registered.0.year"' in page and 'value="2021"' in page
    assert "Terdaftar di KIPP (dari Prima)" in page
    response = client.post(
        reverse("pkri_form_detail", args=[form.pk]),
        {
            "version": "1",
            "innovations_registered.0.year": "2021",
            "innovations_registered.0.internal_registered": "12",
            "in_strategic_plan": "ya",
        },
    )
    assert response.status_code == 302
    form.refresh_from_db()
    assert form.data["innovations_registered"][0] == {
        "year": 2021,
        "kipp_registered": 0,
        "internal_registered": 12,
    }


def test_replication_form_page_renders_its_own_fields(operator_a, edition, unit_a):
    from prima.pkri.enums import FormKind, Group

    form = object_form(edition, unit_a)
    form.object.group = Group.REPLIKASI
    form.object.save()
    form.kind = FormKind.REPLICATION
    form.save()
    page = client_for(operator_a).get(reverse("pkri_form_detail", args=[form.pk])).content.decode()
    assert 'name="original_innovation"' in page
    assert 'data-add-row="onward_replications"' in page
    assert 'name="replications.' not in page
