"""The KIPP panel on the dashboard shows each person what waits for them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.evaluation.enums import EditionState
from prima.kipp.enums import ProposalState
from tests.conftest import client_for
from tests.factories import InnovationFactory
from tests.kipp.factories import (
    AppointmentFactory,
    AssignmentFactory,
    EditionFactory,
    ProposalFactory,
)


@pytest.fixture
def edition(db):
    return EditionFactory(title="KIPP 2025", stages=EditionState.DESK_EVALUATION)


def _dashboard(person) -> str:
    return client_for(person).get(reverse("dashboard")).content.decode()


def test_operator_sees_their_units_proposals_by_state(edition, operator_a, unit_a, unit_b):
    ProposalFactory(edition=edition, innovation=InnovationFactory(unit=unit_a))
    ProposalFactory(edition=edition, innovation=InnovationFactory(unit=unit_b))

    page = _dashboard(operator_a)

    assert "KIPP 2025" in page
    assert "Draf di UPP: 1" in page


def test_evaluator_sees_progress_of_their_sheets(edition, evaluator):
    appointment = AppointmentFactory(edition=edition, person=evaluator)
    AssignmentFactory(
        subject=ProposalFactory(edition=edition, state=ProposalState.DESK_REVIEW).subject,
        appointment=appointment,
    )

    page = _dashboard(evaluator)

    assert "0 dari 1 lembar nilai final" in page


def test_secretariat_sees_running_editions_with_counts(edition, secretariat):
    ProposalFactory(edition=edition)
    ProposalFactory(edition=edition)

    page = _dashboard(secretariat)

    assert "2 proposal terdaftar" in page
    assert reverse("kipp_funnel", args=[edition.code]) in page


def test_people_without_kipp_work_see_no_panel(edition, nobody):
    assert "Kompetisi Inovasi Pelayanan Publik" not in _dashboard(nobody)


def test_secretariat_panel_queries_do_not_grow_with_editions(
    secretariat, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    EditionFactory(stages=EditionState.DESK_EVALUATION)
    client = client_for(secretariat)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("dashboard"))
    for _ in range(3):
        ProposalFactory(edition=EditionFactory(stages=EditionState.DESK_EVALUATION))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("dashboard"))
