"""The PKRI panel on the dashboard shows each person what waits for them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.evaluation.enums import EditionState
from prima.pkri.dashboard import pkri_panel
from prima.pkri.enums import FormState
from tests.conftest import client_for
from tests.factories import InnovationFactory
from tests.pkri.factories import PkriEditionFactory, ScopeObjectFactory, SelfAssessmentFactory


@pytest.fixture
def edition(db):
    return PkriEditionFactory(title="PKRI 2026", stages=EditionState.FORMS_OPEN)


def _dashboard(person) -> str:
    return client_for(person).get(reverse("dashboard")).content.decode()


def test_operator_sees_only_their_units_forms_by_state(edition, operator_a, unit_a, unit_b):
    mine = ScopeObjectFactory(edition=edition, innovation=InnovationFactory(unit=unit_a))
    other = ScopeObjectFactory(edition=edition, innovation=InnovationFactory(unit=unit_b))
    SelfAssessmentFactory(object=mine, state=FormState.DRAFT)
    SelfAssessmentFactory(object=other, state=FormState.RETURNED)

    page = _dashboard(operator_a)

    assert "PKRI 2026" in page
    assert "Draf: 1" in page
    assert "Dikembalikan untuk diperbaiki" not in page
    assert reverse("pkri_form_list") in page


def test_secretariat_sees_running_editions_with_submitted_counts(edition, secretariat):
    obj = ScopeObjectFactory(edition=edition)
    SelfAssessmentFactory(object=obj, state=FormState.SUBMITTED, submitted_at="2026-01-05T03:00Z")

    page = _dashboard(secretariat)

    assert "1 formulir dikirim" in page
    assert reverse("pkri_forms_table", args=[edition.code]) in page


def test_nobody_without_a_part_sees_no_pkri_panel(edition, nobody):
    assert "h-pkri" not in _dashboard(nobody)


def test_the_panel_lists_only_the_editions_the_person_takes_part_in(edition, operator_a, unit_a):
    mine = ScopeObjectFactory(edition=edition, innovation=InnovationFactory(unit=unit_a))
    SelfAssessmentFactory(object=mine, state=FormState.DRAFT)
    PkriEditionFactory(title="PKRI 2027", stages=EditionState.FORMS_OPEN)

    page = _dashboard(operator_a)

    assert "PKRI 2026" in page
    assert "PKRI 2027" not in page


def test_an_evaluator_without_an_appointment_sees_no_pkri_panel(edition, evaluator):
    assert "h-pkri" not in _dashboard(evaluator)


@pytest.mark.parametrize("extra", [0, 3])
def test_participant_counts_cost_the_same_queries_for_any_number_of_editions(
    extra, operator_a, unit_a, django_assert_num_queries
):
    for year in range(2026, 2027 + extra):
        edition = PkriEditionFactory(title=f"PKRI {year}", stages=EditionState.FORMS_OPEN)
        obj = ScopeObjectFactory(edition=edition, innovation=InnovationFactory(unit=unit_a))
        SelfAssessmentFactory(object=obj, state=FormState.DRAFT)
    operator_a = type(operator_a).objects.get(pk=operator_a.pk)

    with django_assert_num_queries(3):  # memberships, editions, form counts
        _template, panel = pkri_panel(operator_a)

    assert len(panel["participant"]) == 1 + extra
    assert all(states == [(FormState.DRAFT.label, 1)] for _e, states in panel["participant"])
