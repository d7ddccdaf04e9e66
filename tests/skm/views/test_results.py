"""The result pages people read: staff result, suggestions, summary, public results and
open data (skm.md §5, §10)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from prima.core.enums import Role
from prima.skm.domain.aggregates import LICENCE
from prima.skm.domain.responses import void_response
from prima.skm.domain.results import survey_document, survey_result
from prima.skm.models import Response
from tests.conftest import client_for
from tests.factories import ServiceFactory, ServiceUnitFactory, SurveyFactory, person_with_role
from tests.skm.results_world import calculate, example_inputs, fill, publish, uniform_inputs
from tests.skm.spec import EXAMPLE_1, EXAMPLE_2

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(unit_a):
    return SurveyFactory(unit=unit_a)


def page(person, name, *args, **params):
    response = client_for(person).get(reverse(name, args=args), params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_live_result_page_shows_every_figure(survey, operator_a):
    ServiceFactory(unit=survey.unit, code="KK-BARU", name="Kartu keluarga baru")
    inputs = example_inputs(EXAMPLE_1)
    fill(survey, [dataclasses.replace(d, service_code="KK-BARU") for d in inputs])

    html = page(operator_a, "skm_result", survey.pk)

    assert 'data-testid="provisional"' in html
    assert "Persyaratan" in html and "Sarana dan prasarana" in html
    assert "3,3333" in html  # NRR U1, Indonesian decimals
    assert ">3,3208<" in html and ">83,02<" in html
    assert "<strong>B</strong>" in html and "Baik" in html
    assert "bobot tercetak (0,111)" in html
    assert "3,3241 → 83,10 → mutu B" in html
    assert "Responden 12 dari target sampel 169" in html and "belum tercukupi" in html
    assert "Kartu keluarga baru (KK-BARU)" in html
    assert 'id="skm-chart-data"' in html and "skm/results.js" in html
    assert "vendor/plotly/plotly.min.js" in html
    assert 'data-testid="rule-difference"' not in html


def test_the_page_costs_the_same_queries_at_10_and_1000_responses(
    survey, operator_a, django_assert_num_queries
):
    fill(survey, uniform_inputs(4, 10))
    client = client_for(operator_a)
    url = reverse("skm_result", args=[survey.pk])
    client.get(url)  # warm caches (session, access) so both sizes measure the same work
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    fill(survey, uniform_inputs(3, 990))
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(url).content.decode()
    assert "Responden 1.000 dari target sampel 169" in html


def test_a_calculated_survey_shows_the_frozen_result_and_the_rule_warning(survey, admin_a):
    calculate(fill(survey, example_inputs(EXAMPLE_2)))
    assert survey_document(survey, survey_result(survey)) == survey.result

    html = page(admin_a, "skm_result", survey.pk)

    assert 'data-testid="frozen"' in html and 'data-testid="provisional"' not in html
    assert ">76,54<" in html and "<strong>C</strong>" in html
    assert "Mutu berbeda menurut aturan bobot: 0,111 → C (76,54); 1/9 → B (76,62)" in html


def test_everyone_answering_baik_is_explained(survey, operator_a):
    fill(survey, uniform_inputs(3, 6))
    html = page(operator_a, "skm_result", survey.pk)
    assert 'data-testid="baik-explanation"' in html
    assert "74,93" in html and "Mutu B dimulai pada 76,61" in html


def test_an_unanswered_element_is_named(survey, operator_a):
    fill(survey, uniform_inputs(4, 3, [f"U{n}" for n in range(1, 10) if n != 8]))
    html = page(operator_a, "skm_result", survey.pk)
    assert 'data-testid="incomplete"' in html
    assert "U8 — Penanganan pengaduan, saran dan masukan" in html


def test_the_trend_lists_earlier_periods(survey, operator_a):
    earlier = SurveyFactory(unit=survey.unit, period_code="2025-Q1")
    fill(
        earlier,
        [
            dataclasses.replace(d, answered_on=d.answered_on.replace(month=2))
            for d in uniform_inputs(4, 3)
        ],
    )
    calculate(earlier)
    fill(survey, uniform_inputs(3, 3))
    html = page(operator_a, "skm_result", survey.pk)
    trend = html.split('data-testid="trend-table"')[1]
    assert trend.index("2025-Q1") < trend.index("2025-Q2")
    assert "99,90" in trend and "74,93" in trend and "sementara" in trend


def test_suggestions_are_paginated_and_exported_without_voided_ones(survey, operator_a):
    inputs = uniform_inputs(4, 60)
    fill(
        survey,
        [dataclasses.replace(d, suggestion=f"Saran nomor {i:02d}") for i, d in enumerate(inputs)],
    )
    fill(survey, uniform_inputs(3, 5))
    void_response(
        Response.objects.get(survey=survey, suggestion="Saran nomor 00"),
        actor=operator_a,
        reason="Salah input petugas loket",
    )

    html = page(operator_a, "skm_suggestions", survey.pk)
    assert "59 data; ditampilkan 1–50" in html
    assert "Halaman 1 dari 2" in html

    download = client_for(operator_a).get(
        reverse("skm_suggestions", args=[survey.pk]), {"unduh": "csv"}
    )
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == ["tanggal", "kode_layanan", "saluran", "nomor_responden", "saran"]
    assert len(rows) == 60
    assert "Saran nomor 00" not in download.content.decode("utf-8-sig")
    workbook = client_for(operator_a).get(
        reverse("skm_suggestions", args=[survey.pk]), {"unduh": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.max_row == 60


def test_the_suggestions_page_query_count_does_not_grow(
    survey, operator_a, django_assert_num_queries
):
    fill(survey, [dataclasses.replace(d, suggestion="Cepat") for d in uniform_inputs(4, 3)])
    client = client_for(operator_a)
    url = reverse("skm_suggestions", args=[survey.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    fill(survey, [dataclasses.replace(d, suggestion="Lambat") for d in uniform_inputs(2, 40)])
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_summary_pools_the_institutions_surveys(unit_a, admin_a):
    other_unit = ServiceUnitFactory(institution=unit_a.institution)
    calculate(fill(SurveyFactory(unit=unit_a), uniform_inputs(4, 2)))
    calculate(fill(SurveyFactory(unit=other_unit), uniform_inputs(1, 10)))

    html = page(admin_a, "skm_summary", periode="2025", kelompok="institution")

    table = html.split('data-testid="summary-skm-2017"')[1]
    assert "Pemerintah Kota Payakumbuh" in table
    assert ">12<" in table  # respondents pooled
    download = client_for(admin_a).get(reverse("skm_summary"), {"periode": "2025", "unduh": "csv"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[1][:7] == [
        "skm-2017",
        "1",
        str(unit_a.institution_id),
        "Pemerintah Kota Payakumbuh",
        "2",
        "2",
        "12",
    ]


def test_the_summary_refuses_a_bad_period(admin_a):
    html = page(admin_a, "skm_summary", periode="2025-Q5")
    assert 'role="alert"' in html


def test_public_results_list_published_surveys_only(unit_a, unit_b):
    published = publish(fill(SurveyFactory(unit=unit_a), example_inputs(EXAMPLE_1)))
    hidden = calculate(fill(SurveyFactory(unit=unit_b), uniform_inputs(3, 5)))

    html = page(None, "skm_public_results")

    assert reverse("skm_public_result", args=[published.public_id]) in html
    assert "Dinas PUPR Kota Payakumbuh" in html and "83,02" in html
    assert hidden.public_id not in html and "Dinas Kependudukan" not in html
    assert "Sumatera Barat" in page(None, "skm_public_results", provinsi="13")
    assert "Dinas PUPR" not in page(None, "skm_public_results", provinsi="35")
    assert "Dinas PUPR" in page(None, "skm_public_results", periode="2025")
    assert "Dinas PUPR" not in page(None, "skm_public_results", periode="2024")


def test_the_public_list_costs_the_same_queries_at_any_size(
    institution_a, django_assert_num_queries
):
    def published_survey():
        unit = ServiceUnitFactory(institution=institution_a)
        publish(fill(SurveyFactory(unit=unit), uniform_inputs(4, 1)))

    published_survey()
    client = client_for(None)
    client.get(reverse("skm_public_results"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("skm_public_results"))
    for _ in range(4):
        published_survey()
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(reverse("skm_public_results")).status_code == 200


def test_a_public_result_hides_small_slices(unit_a):
    ServiceFactory(unit=unit_a, code="KTP-EL", name="KTP elektronik")
    inputs = example_inputs(EXAMPLE_1)
    fill(
        SurveyFactory(unit=unit_a),
        [dataclasses.replace(d, service_code="KTP-EL", gender="L") for d in inputs[:3]]
        + [dataclasses.replace(d, gender="P") for d in inputs[3:]],
    )
    survey = publish(unit_a.skm_surveys.get())

    html = page(None, "skm_public_result", survey.public_id)

    assert "83,02" in html and "Pemerintah Kota Payakumbuh" in html
    services = html.split('data-testid="service-table"')[1].split("</table>")[0]
    assert "KTP elektronik (KTP-EL)" in services and "kurang dari 5 responden" in services
    profile = html.split('data-testid="profile"')[1]
    assert "Laki-laki" in profile and "kurang dari 5" in profile
    data = json.loads(
        html.split('id="skm-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    assert "Laki-laki" not in data["profile"][0]["labels"]
    # Staff see the same slice.
    staff = page(person_with_role(Role.SECRETARIAT), "skm_result", survey.pk)
    assert "kurang dari 5 responden" not in staff


def test_an_unpublished_result_has_no_public_page(survey):
    calculate(fill(survey, uniform_inputs(4, 3)))
    response = client_for(None).get(reverse("skm_public_result", args=[survey.public_id]))
    assert response.status_code == 404


def test_open_data_in_csv_and_json(unit_a):
    survey = publish(fill(SurveyFactory(unit=unit_a), example_inputs(EXAMPLE_1)))
    calculate(fill(SurveyFactory(), uniform_inputs(3, 3)))

    csv_response = client_for(None).get(reverse("skm_open_data", args=["csv"]))
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["ikm_converted"] == "83.02" and rows[0]["grade"] == "B"
    assert rows[0]["unit_name"] == "Dinas PUPR Kota Payakumbuh"
    assert rows[0]["province_name"] == "Sumatera Barat"
    assert rows[0]["published_on"] == "2025-07-10"

    document = client_for(None).get(reverse("skm_open_data", args=["json"])).json()
    assert document["licence"] == LICENCE and document["attribution"]
    assert document["count"] == 1
    record = document["results"][0]
    assert record["survey"] == survey.pk and record["nrr"]["U4"] == "3.8333"
    assert record["alternative"]["ikm_converted"] == "83.10"
    assert client_for(None).get(reverse("skm_open_data", args=["xml"])).status_code == 404
