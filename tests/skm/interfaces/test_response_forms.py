"""The response form turns POST data into the domain's input and shows its problems."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string

from prima.skm.domain.responses import ResponseRejected, record_response
from prima.skm.domain.versions import instrument
from prima.skm.enums import SUGGESTION_MAX_LENGTH, UNSPECIFIED_SERVICE, Channel
from prima.skm.interfaces.response_forms import PaperEntryForm, ResponseForm, service_choices
from tests.factories import ServiceFactory, SurveyFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 4, 14)
SKM_2017 = instrument("skm-2017")


def form_for(survey, data=None, cls=ResponseForm):
    return cls(data, survey=survey, instrument=SKM_2017, service_choices=service_choices(survey))


def test_every_element_is_a_radio_group_with_the_instrument_wording():
    survey = SurveyFactory()
    form = form_for(survey)
    rows = list(form.element_rows())
    assert [row.code for row in rows] == list(SKM_2017.element_codes)
    u4 = rows[3]
    assert u4.field.label == "Bagaimana kewajaran biaya atau tarif pelayanannya?"
    assert [choice[1] for choice in u4.field.field.choices] == [
        "Sangat mahal",
        "Cukup mahal",
        "Murah",
        "Gratis",
    ]
    html = render_to_string("skm/responses/_answer_fields.html", {"form": form})
    assert html.count("<fieldset") == len(SKM_2017.element_codes) + 1
    assert "<legend" in html and 'type="radio"' in html
    assert "Gratis" in html


def test_service_choices_are_the_unit_catalogue_or_the_survey_restriction():
    survey = SurveyFactory()
    ServiceFactory(unit=survey.unit, code="KTP-EL", name="KTP elektronik")
    ServiceFactory(unit=survey.unit, code="AKTA", name="Akta kelahiran")
    ServiceFactory(unit=survey.unit, code="LAMA", name="Layanan lama", is_active=False)
    assert service_choices(survey) == [
        ("AKTA", "Akta kelahiran"),
        ("KTP-EL", "KTP elektronik"),
    ]
    survey.services.add(survey.unit.services.get(code="KTP-EL"))
    assert service_choices(survey) == [("KTP-EL", "KTP elektronik")]
    form = form_for(survey)
    assert form.initial["service_code"] == "KTP-EL"


def test_to_input_maps_blanks_and_answers():
    survey = SurveyFactory()
    ServiceFactory(unit=survey.unit, code="KTP-EL")
    form = form_for(
        survey,
        {"service_code": "KTP-EL", "gender": "P", "U1": "4", "U3": "2", "suggestion": " Cepat "},
    )
    assert form.is_valid(), form.errors
    data = form.to_input(DAY)
    assert data.answered_on == DAY
    assert data.service_code == "KTP-EL"
    assert data.gender == "P" and data.age_band == ""
    assert data.answers["U1"] == 4 and data.answers["U3"] == 2 and data.answers["U2"] is None
    assert set(data.answers) == set(SKM_2017.element_codes)
    response = record_response(survey, data, channel=Channel.ONLINE)
    assert response.a01 == 4 and response.suggestion == "Cepat"


def test_blank_service_is_unspecified():
    form = form_for(SurveyFactory(), {"U1": "3"})
    assert form.is_valid()
    assert form.to_input(DAY).service_code == UNSPECIFIED_SERVICE


def test_form_refuses_values_outside_the_scale_and_long_suggestions():
    form = form_for(SurveyFactory(), {"U1": "5", "suggestion": "x" * (SUGGESTION_MAX_LENGTH + 1)})
    assert not form.is_valid()
    assert "U1" in form.errors and "suggestion" in form.errors


def test_apply_errors_puts_every_domain_problem_on_its_field():
    survey = SurveyFactory()
    form = form_for(survey, {})
    assert form.is_valid()
    with pytest.raises(ResponseRejected) as caught:
        record_response(survey, form.to_input(dt.date(2025, 7, 1)), channel=Channel.ONLINE)
    form.apply_errors(caught.value)
    assert "Jawab paling sedikit satu unsur" in " ".join(form.non_field_errors())
    assert "di luar periode" in " ".join(form.non_field_errors())


def test_paper_entry_form_carries_date_and_reference():
    survey = SurveyFactory()
    form = form_for(
        survey, {"answered_on": "2025-05-02", "respondent_ref": "L-017", "U2": "3"}, PaperEntryForm
    )
    assert form.is_valid(), form.errors
    data = form.to_input()
    assert data.answered_on == dt.date(2025, 5, 2)
    assert data.respondent_ref == "L-017"
    record_response(survey, data, channel=Channel.PAPER)
    again = form_for(
        survey, {"answered_on": "2025-05-02", "respondent_ref": "L-017", "U2": "3"}, PaperEntryForm
    )
    assert again.is_valid()
    with pytest.raises(ResponseRejected) as caught:
        record_response(survey, again.to_input(), channel=Channel.PAPER)
    again.apply_errors(caught.value)
    assert "sudah dipakai" in again.errors["respondent_ref"][0]


def test_a_unit_without_a_catalogue_asks_no_service():
    survey = SurveyFactory()
    form = form_for(survey)
    assert form["service_code"].is_hidden
    html = render_to_string("skm/responses/_answer_fields.html", {"form": form})
    assert "Jenis layanan" not in html
    bound = form_for(survey, {"U9": "4"})
    assert bound.is_valid()
    assert bound.to_input(DAY).service_code == UNSPECIFIED_SERVICE
