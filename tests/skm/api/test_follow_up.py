"""The follow-up plan API (skm.md §8) and the RTL metrics PEKPPP reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from prima.skm.enums import RtlStatus, SurveyState
from prima.skm.models import FollowUpItem
from tests.skm.follow_up_helpers import calculated_survey, plan_with_items
from tests.skm.personas import api_caller as api

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


ITEM = {
    "elements": ["U8"],
    "problem": "Pengaduan lambat dijawab",
    "action": "Petugas pengaduan harian",
    "owner": "Kepala Seksi",
    "planned_start": "2025-07-01",
    "planned_end": "2025-09-30",
}


@pytest.fixture
def survey(unit_a):
    return calculated_survey(unit_a)


def test_a_whole_plan_through_the_api(survey, operator_a):
    call = api(operator_a)
    path = f"/surveys/{survey.pk}/follow-up"
    assert call("get", path).status_code == 404

    started = call("post", path, {"draft_priorities": True})
    assert started.status_code == 201
    body = started.json()
    assert [p["code"] for p in body["priorities"]] == ["U8", "U3", "U9"]
    assert body["priorities"][0]["nrr"] == "2.8333"
    assert [i["elements"] for i in body["items"]] == [["U8"], ["U3"], ["U9"]]
    assert body["metrics"]["rtl_realised_pct"] is None

    added = call("post", f"{path}/items", ITEM)
    assert added.status_code == 201
    item_id = added.json()["id"]
    bad = call("post", f"{path}/items", {**ITEM, "elements": ["U10"]})
    assert bad.status_code == 422
    assert "U10" in bad.json()["detail"] and "kolom: elements" in bad.json()["detail"]

    # The drafts lack action and owner: adoption is refused until they are completed.
    refused = call("post", f"{path}/adopt", {"adopted_on": str(TODAY), "decree_number": "800/1"})
    assert refused.status_code == 422
    for draft in body["items"]:
        patched = call(
            "patch",
            f"{path}/items/{draft['id']}",
            {"version": draft["version"], "action": "Perbaikan", "owner": "Kepala Seksi"},
        )
        assert patched.status_code == 200
        assert patched.json()["version"] == 2

    done = call(
        "patch",
        f"{path}/items/{item_id}",
        {"version": 1, "status": "DONE", "realised_on": str(TODAY), "evidence_note": "Foto"},
    )
    assert done.status_code == 200
    assert done.json()["status"] == "DONE"
    stale = call("patch", f"{path}/items/{item_id}", {"version": 1, "owner": "Orang lain"})
    assert stale.status_code == 409
    no_date = call(
        "patch", f"{path}/items/{body['items'][0]['id']}", {"version": 2, "status": "DONE"}
    )
    assert no_date.status_code == 422
    assert "realised_on" in no_date.json()["detail"]
    cancelled = call(
        "patch",
        f"{path}/items/{body['items'][0]['id']}",
        {"version": 2, "status": "CANCELLED", "cancel_reason": "Sudah ditangani provinsi"},
    )
    assert cancelled.status_code == 200

    adopted = call("post", f"{path}/adopt", {"adopted_on": str(TODAY), "decree_number": "800/1"})
    assert adopted.status_code == 200
    metrics = adopted.json()["metrics"]
    assert metrics["rtl_realised_pct"] == "25.00"  # 1 of 4 done, the cancelled one counts
    assert metrics["rtl_completed_date"] is None
    assert call("get", path).json()["decree_number"] == "800/1"


def test_start_before_calculation_is_refused(unit_a, operator_a):
    survey = calculated_survey(unit_a, state=SurveyState.CLOSED)
    response = api(operator_a)("post", f"/surveys/{survey.pk}/follow-up", {})
    assert response.status_code == 422
    assert "dihitung" in response.json()["detail"]


def test_rtl_metrics_for_a_pekppp_year(unit_a, operator_a):
    survey = calculated_survey(
        unit_a,
        period_code="2024-Q4",
        state=SurveyState.PUBLISHED,
        published_on=dt.date(2025, 1, 20),
    )
    statuses = [RtlStatus.DONE] * 7 + [RtlStatus.IN_PROGRESS, RtlStatus.CANCELLED]
    plan_with_items(survey, statuses, realised=dt.date(2025, 3, 1))
    call = api(operator_a)
    response = call("get", f"/units/{unit_a.pk}/rtl-metrics", year=2025)
    assert response.status_code == 200
    assert response.json() == {
        "survey": survey.pk,
        "rtl_realised_pct": "77.78",
        "rtl_completed_date": None,
        "rtl_report_date": "2025-01-20",
    }
    none = call("get", f"/units/{unit_a.pk}/rtl-metrics", year=2026).json()
    assert none == {
        "survey": None,
        "rtl_realised_pct": None,
        "rtl_completed_date": None,
        "rtl_report_date": None,
    }
    assert call("get", f"/units/{unit_a.pk}/rtl-metrics").status_code == 422
    assert call("get", "/units/999999/rtl-metrics", year=2025).status_code == 404


def test_the_plan_read_has_a_fixed_query_count(
    survey, unit_b, operator_a, secretariat, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    other = calculated_survey(unit_b)
    plan_with_items(survey, [RtlStatus.PLANNED], adopted_on=None)
    plan_with_items(other, [RtlStatus.DONE] * 12, realised=dt.date(2025, 7, 9))
    call = api(secretariat)
    call("get", f"/surveys/{survey.pk}/follow-up")
    with CaptureQueriesContext(connection) as small:
        assert call("get", f"/surveys/{survey.pk}/follow-up").status_code == 200
    with django_assert_num_queries(len(small.captured_queries)):
        assert call("get", f"/surveys/{other.pk}/follow-up").status_code == 200
    assert FollowUpItem.objects.count() == 13
