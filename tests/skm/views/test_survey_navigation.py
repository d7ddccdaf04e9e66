"""The survey detail page as a hub: every area is one click away, only the actions the
person may take are offered, and list filters speak in province names (review fixes)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.core.enums import RegionLevel, Role
from prima.core.models import Region
from prima.skm.enums import SurveyState
from tests.conftest import client_for
from tests.factories import SurveyFactory, person_with_role
from tests.skm.results_world import calculate, example_inputs, fill, publish
from tests.skm.spec import EXAMPLE_2

pytestmark = pytest.mark.django_db


def detail(person, survey) -> str:
    response = client_for(person).get(reverse("skm_survey", args=[survey.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_operator_reaches_every_area_from_a_collecting_survey(unit_a, operator_a):
    survey = SurveyFactory(unit=unit_a, state=SurveyState.COLLECTING)
    html = detail(operator_a, survey)
    for name in (
        "skm_responses",
        "skm_response_entry",
        "skm_kiosk",
        "skm_import",
        "skm_result",
        "skm_report_pdf",
        "skm_report_xlsx",
        "skm_suggestions",
        "skm_survey_qr",
        "skm_survey_poster",
    ):
        assert f'href="{reverse(name, args=[survey.pk])}"' in html, name
    assert reverse("skm_unit_codes", args=[unit_a.pk]) in html
    # No plan before the result is calculated: the page says when it comes.
    assert reverse("skm_follow_up", args=[survey.pk]) not in html
    assert "setelah hasil survei dihitung" in html


def test_a_reader_sees_results_but_no_collection_tools(unit_a, institution_a):
    viewer = person_with_role(Role.VIEWER)
    survey = SurveyFactory(unit=unit_a, state=SurveyState.COLLECTING)
    html = detail(viewer, survey)
    assert reverse("skm_responses", args=[survey.pk]) in html
    assert reverse("skm_suggestions", args=[survey.pk]) in html
    assert reverse("skm_report_pdf", args=[survey.pk]) in html
    for name in ("skm_response_entry", "skm_kiosk", "skm_import", "skm_survey_qr"):
        assert reverse(name, args=[survey.pk]) not in html, name
    assert reverse("skm_unit_codes", args=[unit_a.pk]) not in html
    assert 'data-testid="state"' in html and "Tindakan" not in html


def test_a_published_survey_links_its_plan_and_public_page_and_warns_of_the_rules(
    unit_a, operator_a
):
    survey = SurveyFactory(unit=unit_a)
    calculate(fill(survey, example_inputs(EXAMPLE_2)))
    publish(survey)
    survey.refresh_from_db()
    html = detail(operator_a, survey)
    assert reverse("skm_follow_up", args=[survey.pk]) in html
    assert reverse("skm_public_result", args=[survey.public_id]) in html
    # skm.md §13 ex.2: the printed weight gives C, the exact weight B.
    assert 'data-testid="rule-difference"' in html
    assert "0,111 → C (76,54); 1/9 → B (76,62)" in html
    # Collection tools are gone once the survey is no longer collecting.
    assert reverse("skm_response_entry", args=[survey.pk]) not in html


def test_lists_filter_by_province_name(unit_a, unit_b, secretariat):
    code = unit_a.institution.province_code
    province, _created = Region.objects.get_or_create(
        level=RegionLevel.PROVINCE,
        province_code=code,
        defaults={"code": code, "name": "Provinsi Uji"},
    )
    mine = SurveyFactory(unit=unit_a)
    client = client_for(secretariat)
    html = client.get(reverse("skm_surveys")).content.decode()
    assert f"{code} {province.name}" in html and 'name="province"' in html
    html = client.get(reverse("skm_surveys"), {"province": code}).content.decode()
    assert reverse("skm_survey", args=[mine.pk]) in html
    html = client.get(reverse("skm_uncovered_units")).content.decode()
    assert f"{code} {province.name}" in html and 'name="provinsi"' in html
