"""Form boundary: what users tick and type becomes the domain's input."""

from __future__ import annotations

import pytest

from prima.core.models import Institution, ServiceUnit
from prima.innovations.interfaces.forms import InnovationFilterForm, InnovationForm

pytestmark = pytest.mark.django_db


def test_sdgs_are_offered_as_17_checkboxes_with_indonesian_names():
    form = InnovationForm()
    choices = form.fields["sdg_goals"].choices
    assert len(choices) == 17
    assert choices[0] == (1, "1. Tanpa Kemiskinan")
    assert choices[16] == (17, "17. Kemitraan untuk Mencapai Tujuan")
    html = str(form["sdg_goals"])
    assert html.count('type="checkbox"') == 17


def test_categories_are_the_ten_seeded_checkboxes():
    html = str(InnovationForm()["categories"])
    assert html.count('type="checkbox"') == 10
    assert "Pelayanan Publik Responsif Gender" in html


def test_to_data_gives_codes_and_numbers():
    form = InnovationForm(
        {
            "name": " SITARANG ",
            "summary": "Peta tata ruang.",
            "started_on": "2019-05-02",
            "categories": ["kesehatan", "pendidikan"],
            "sdg_goals": ["4", "3"],
            "version": "1",
        }
    )
    assert form.is_valid(), form.errors
    data = form.to_data()
    assert data["name"] == "SITARANG"
    assert sorted(data["categories"]) == ["kesehatan", "pendidikan"]
    assert sorted(data["sdg_goals"]) == [3, 4]
    assert data["is_digital"] is False


def test_unknown_category_is_a_field_error():
    form = InnovationForm(
        {"name": "X", "summary": "Y", "started_on": "2019-05-02", "categories": ["sihir"]}
    )
    assert not form.is_valid()
    assert "categories" in form.errors


def test_filter_form_drops_invalid_values(institution_a):
    form = InnovationFilterForm(
        {"q": "rokok", "year": "abc", "digital": "ya", "institution": "999999", "sort": "nama"},
        institutions=Institution.objects.all(),
        units=ServiceUnit.objects.none(),
    )
    filters = form.filters()
    assert (filters.q, filters.year, filters.digital, filters.institution, filters.sort) == (
        "rokok",
        None,
        True,
        None,
        "nama",
    )
