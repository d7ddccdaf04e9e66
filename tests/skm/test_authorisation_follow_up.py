# ruff: noqa: F811 (fixtures imported from tests.skm.personas)
"""Who may read and who may run a survey's follow-up plan (skm.md §8).

Running (start, items, status, adoption) is for the unit's operators, the institution's
Admin Lokal and the secretariat; national and institution analysts/viewers only read;
everyone else does not see the survey at all (404), and anonymous visitors are sent to
sign in (401 on the API).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from prima.skm.domain.follow_up import set_item_status
from prima.skm.enums import RtlStatus
from prima.skm.models import FollowUpPlan
from tests.conftest import client_for
from tests.skm.follow_up_helpers import PDF, calculated_survey, plan_with_items
from tests.skm.personas import api_caller, cast  # noqa: F401 (fixture)

COVERED_PAGES = {
    "skm_follow_up",
    "skm_follow_up_start",
    "skm_follow_up_item_add",
    "skm_follow_up_item_edit",
    "skm_follow_up_item_status",
    "skm_follow_up_item_remove",
    "skm_follow_up_evidence",
    "skm_follow_up_adopt",
}
COVERED_OPERATIONS = {
    ("get", "/skm/surveys/{}/follow-up"),
    ("post", "/skm/surveys/{}/follow-up"),
    ("post", "/skm/surveys/{}/follow-up/items"),
    ("patch", "/skm/surveys/{}/follow-up/items/{}"),
    ("post", "/skm/surveys/{}/follow-up/adopt"),
    ("get", "/skm/units/{}/rtl-metrics"),
}

TODAY = timezone.localdate()
READ = {
    "secretariat": 200,
    "admin_a": 200,
    "operator_a": 200,
    "national_analyst": 200,
    "national_viewer": 200,
    "analyst_a": 200,
    "operator_b": 404,
    "admin_b": 404,
    "evaluator": 404,
    "nobody": 404,
    "public": 302,
}
RUN = {**READ, "national_analyst": 403, "national_viewer": 403, "analyst_a": 403}


@pytest.fixture
def world(unit_a, operator_a):
    survey = calculated_survey(unit_a)
    plan = plan_with_items(survey, [RtlStatus.IN_PROGRESS], adopted_on=None)
    item = plan.items.get()
    set_item_status(
        item,
        actor=operator_a,
        version=1,
        status=RtlStatus.IN_PROGRESS,
        evidence=SimpleUploadedFile("bukti.pdf", PDF, "application/pdf"),
    )
    item.refresh_from_db()
    return survey, plan, item


def _allowed(expected: int, ok: int) -> int:
    """Where the matrix says 200, a page answering with a redirect (after POST) says ok."""
    return ok if expected == 200 else expected


@pytest.mark.parametrize("persona, expected", sorted(READ.items()))
def test_read_pages(world, cast, persona, expected):
    survey, _plan, item = world
    client = client_for(cast[persona])
    assert client.get(reverse("skm_follow_up", args=[survey.pk])).status_code == expected
    assert (
        client.get(reverse("skm_follow_up", args=[survey.pk]), {"unduh": "csv"}).status_code
        == expected
    )
    evidence = client.get(reverse("skm_follow_up_evidence", args=[survey.pk, item.pk]))
    assert evidence.status_code == expected


@pytest.mark.parametrize("persona, expected", sorted(RUN.items()))
def test_form_pages(world, cast, persona, expected):
    survey, _plan, item = world
    client = client_for(cast[persona])
    for name, args in (
        ("skm_follow_up_item_add", [survey.pk]),
        ("skm_follow_up_item_edit", [survey.pk, item.pk]),
        ("skm_follow_up_item_status", [survey.pk, item.pk]),
        ("skm_follow_up_adopt", [survey.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == expected, name


@pytest.mark.parametrize("persona, expected", sorted(RUN.items()))
def test_post_actions(world, cast, persona, expected, unit_a):
    survey, plan, item = world
    client = client_for(cast[persona])
    fresh = calculated_survey(unit_a, period_code="2025-Q3")
    start = client.post(reverse("skm_follow_up_start", args=[fresh.pk]))
    assert start.status_code == _allowed(expected, 302)
    assert FollowUpPlan.objects.filter(survey=fresh).exists() == (expected == 200)

    remove = client.post(
        reverse("skm_follow_up_item_remove", args=[survey.pk, item.pk]),
        {"version": item.version},
    )
    assert remove.status_code == _allowed(expected, 302)
    assert plan.items.exists() == (expected != 200)


API_RUN = {**RUN, "public": 401}
API_READ = {**READ, "public": 401}


@pytest.mark.parametrize("persona, expected", sorted(API_READ.items()))
def test_api_reads(world, cast, persona, expected, unit_a):
    survey, _plan, _item = world
    call = api_caller(cast[persona])
    assert call("get", f"/surveys/{survey.pk}/follow-up").status_code == expected
    metrics = call("get", f"/units/{unit_a.pk}/rtl-metrics", year=2026)
    # Outside their scope the unit exists but is not theirs: 403.
    assert metrics.status_code == (403 if expected == 404 else expected)


@pytest.mark.parametrize("persona, expected", sorted(API_RUN.items()))
def test_api_writes(world, cast, persona, expected, unit_a):
    survey, _plan, item = world
    call = api_caller(cast[persona])
    base = f"/surveys/{survey.pk}/follow-up"
    fresh = calculated_survey(unit_a, period_code="2025-Q3")
    assert call("post", f"/surveys/{fresh.pk}/follow-up", {}).status_code == _allowed(expected, 201)
    added = call(
        "post",
        f"{base}/items",
        {
            "elements": ["U3"],
            "problem": "Antrean panjang",
            "action": "Nomor antrean daring",
            "owner": "Kepala UPT",
            "planned_start": "2025-07-01",
            "planned_end": "2025-08-31",
        },
    )
    assert added.status_code == _allowed(expected, 201)
    patched = call(
        "patch",
        f"{base}/items/{item.pk}",
        {"version": item.version, "status": "DONE", "realised_on": str(TODAY)},
    )
    assert patched.status_code == expected
    adopted = call(
        "post", f"{base}/adopt", {"adopted_on": str(TODAY), "decree_number": "800/9/2025"}
    )
    assert adopted.status_code == expected
    if expected != 200:
        assert not FollowUpPlan.objects.filter(survey=fresh).exists()
        assert FollowUpPlan.objects.get(survey=survey).adopted_on is None
