"""The results API: one survey's §10 document, the result list and pooled summaries."""

from __future__ import annotations

import pytest

from prima.core.enums import Role
from tests.factories import ServiceUnitFactory, SurveyFactory, person_with_role
from tests.skm.personas import api_client
from tests.skm.results_world import calculate, example_inputs, fill, publish, uniform_inputs
from tests.skm.spec import EXAMPLE_1, EXAMPLE_3

pytestmark = pytest.mark.django_db


def get(person, path, **params):
    return api_client(person).get(f"/api/v1/skm{path}", params)


def test_a_calculated_result_is_the_frozen_document(unit_a, operator_a):
    survey = calculate(fill(SurveyFactory(unit=unit_a), example_inputs(EXAMPLE_3)))

    body = get(operator_a, f"/surveys/{survey.pk}/result").json()

    assert {k: v for k, v in body.items() if k not in ("state", "provisional")} == survey.result
    assert body["answers"]["U4"] == 10 and body["answers"]["U8"] == 9
    assert body["ikm_converted"] == "86.01" and body["grade"] == "B"
    assert body["alternative"] == {
        "weight_rule": "exact",
        "ikm": "3.4438",
        "ikm_converted": "86.10",
        "grade": "B",
    }
    assert body["state"] == "CALCULATED" and body["provisional"] is False


def test_live_figures_for_staff_only(unit_a, operator_a, operator_b):
    survey = fill(SurveyFactory(unit=unit_a), example_inputs(EXAMPLE_1))

    body = get(operator_a, f"/surveys/{survey.pk}/result").json()
    assert body["provisional"] is True and body["ikm_converted"] == "83.02"
    assert body["warnings"] == ["sample_below_target"]
    assert get(operator_b, f"/surveys/{survey.pk}/result").status_code == 404
    assert get(None, f"/surveys/{survey.pk}/result").status_code == 404


def test_a_published_result_is_open_to_everyone(unit_a):
    survey = publish(fill(SurveyFactory(unit=unit_a), example_inputs(EXAMPLE_1)))
    body = get(None, f"/surveys/{survey.pk}/result").json()
    assert body["state"] == "PUBLISHED" and body["grade"] == "B"


def test_the_list_shows_published_results_and_the_staffs_calculated_ones(unit_a, unit_b, admin_a):
    published = publish(fill(SurveyFactory(unit=unit_a), example_inputs(EXAMPLE_1)))
    mine = calculate(
        fill(SurveyFactory(unit=unit_a, period_code="2025-Q3"), _q3(uniform_inputs(3, 3)))
    )
    theirs = calculate(fill(SurveyFactory(unit=unit_b), uniform_inputs(4, 3)))
    SurveyFactory(unit=unit_b, period_code="2025-Q3")

    public = get(None, "/results").json()
    assert public["count"] == 1
    item = public["items"][0]
    assert item["survey"] == published.pk and item["public_id"] == published.public_id
    assert item["unit"] == {"id": unit_a.pk, "code": f"UPP-{unit_a.pk}", "name": unit_a.name}
    assert item["province"] == {"code": "13", "name": "Sumatera Barat"}
    assert (item["ikm_converted"], item["grade"], item["performance"]) == ("83.02", "B", "Baik")

    staff = get(admin_a, "/results").json()
    assert [i["survey"] for i in staff["items"]] == [mine.pk, published.pk]
    assert staff["items"][0]["public_id"] is None
    assert theirs.pk not in [i["survey"] for i in staff["items"]]
    assert get(admin_a, "/results", period="2025-Q2").json()["count"] == 1
    assert get(None, "/results", province="35").json()["count"] == 0
    assert get(None, "/results", period="2025-Q9").status_code == 422


def _q3(inputs):
    import dataclasses
    import datetime as dt

    return [dataclasses.replace(d, answered_on=dt.date(2025, 8, 1)) for d in inputs]


def test_the_summary_pools_and_keeps_versions_apart(institution_a, admin_a):
    unit_1 = ServiceUnitFactory(institution=institution_a)
    unit_2 = ServiceUnitFactory(institution=institution_a)
    publish(fill(SurveyFactory(unit=unit_1), uniform_inputs(4, 2)))
    calculate(fill(SurveyFactory(unit=unit_2), uniform_inputs(1, 2)))

    public = get(None, "/results/summary", period="2025").json()
    assert [t["instrument"] for t in public["instruments"]] == ["skm-2017"]
    assert public["instruments"][0]["groups"][0]["respondents"] == 2

    staff = get(admin_a, "/results/summary", period="2025", group="institution").json()
    group = staff["instruments"][0]["groups"][0]
    assert (group["surveys"], group["units"], group["respondents"]) == (2, 2, 4)
    # Pooled: (4 + 1) / 2 = 2.5 on every element → 2.5 × 9 × 0.111 × 25 = 62.44, grade D.
    assert (group["ikm_converted"], group["grade"]) == ("62.44", "D")
    by_province = get(admin_a, "/results/summary", period="2025", group="province").json()
    assert by_province["instruments"][0]["groups"][0]["name"] == "Sumatera Barat"
    assert get(None, "/results/summary", period="2025", group="kota").status_code == 422
    national = person_with_role(Role.VIEWER)
    assert (
        get(national, "/results/summary", period="2025").json()["instruments"][0]["groups"][0][
            "respondents"
        ]
        == 4
    )


def _published_surveys(institution, count):
    for _ in range(count):
        unit = ServiceUnitFactory(institution=institution)
        publish(fill(SurveyFactory(unit=unit), uniform_inputs(4, 2)))


@pytest.mark.parametrize("count", [1, 4])
def test_the_lists_cost_the_same_whatever_their_length(
    count, institution_a, operator_a, django_assert_num_queries
):
    _published_surveys(institution_a, count)
    client = api_client(operator_a)
    client.get("/api/v1/skm/results")  # the token's first use is recorded once

    # token and person, access, count, page, province names
    with django_assert_num_queries(5):
        listing = client.get("/api/v1/skm/results")
    assert listing.json()["count"] == count
    # token and person, access, the pooled counters, the weight-rule setting
    with django_assert_num_queries(4):
        summary = client.get("/api/v1/skm/results/summary", {"period": "2025"})
    (table,) = summary.json()["instruments"]
    assert table["groups"][0]["surveys"] == count
