# ruff: noqa: F811 (fixtures imported from tests.skm.personas)
"""The citizens' survey pages are open to everyone, signed in or not (skm.md §7).

Nobody needs a role: a survey is reached by its random public id, a code or a link,
never by its number. Every persona gets the same answer, and an unknown id, code or
link is 404 for everyone, staff included.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from prima.skm.domain.tokens import issue_codes, issue_link_token
from prima.skm.models import Response
from tests.conftest import client_for
from tests.factories import SurveyFactory
from tests.skm.personas import cast, current_quarter  # noqa: F401 (fixture)

COVERED_PAGES = {
    "skm_public_survey",
    "skm_public_thanks",
    "skm_public_code",
    "skm_public_token",
}
COVERED_OPERATIONS: set[tuple[str, str]] = set()

PERSONAS = [
    "secretariat",
    "admin_a",
    "admin_b",
    "operator_a",
    "operator_b",
    "national_analyst",
    "national_viewer",
    "evaluator",
    "nobody",
    "public",
]


@pytest.fixture
def survey(unit_a):
    return SurveyFactory(unit=unit_a, period_code=current_quarter())


def answers() -> dict[str, str]:
    return {f"U{n}": "3" for n in range(1, 10)}


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_may_answer_the_open_form(cast, survey, persona):
    client = client_for(cast[persona])
    url = reverse("skm_public_survey", args=[survey.public_id])
    assert client.get(url).status_code == 200
    assert client.post(url, answers()).status_code == 302
    assert client.get(reverse("skm_public_thanks", args=[survey.public_id])).status_code == 200
    # Staff answering as citizens are not recorded as entering the response.
    assert Response.objects.get().entered_by is None


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_may_use_a_code_or_a_link(cast, survey, unit_a, operator_a, persona):
    client = client_for(cast[persona])
    (code,) = issue_codes(actor=operator_a, unit=unit_a, count=1, issued_on=timezone.localdate())
    assert client.get(reverse("skm_public_code")).status_code == 200
    assert client.post(reverse("skm_public_code"), {"code": code}).status_code == 200
    secret = issue_link_token(unit=unit_a, service_code="", completed_on=timezone.localdate())
    assert client.get(reverse("skm_public_token", args=[secret])).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_unknown_ids_and_links_are_404_for_everyone(cast, survey, persona):
    client = client_for(cast[persona])
    assert client.get(reverse("skm_public_survey", args=["bukan-id"])).status_code == 404
    assert client.get(f"/survei/{survey.pk}/").status_code == 404
    assert client.get(reverse("skm_public_thanks", args=["bukan-id"])).status_code == 404
    assert client.get(reverse("skm_public_token", args=["a" * 43])).status_code == 404
