"""The statistics read the frozen answers in the shape submission stores them.

`submit_form` freezes `forms.build_snapshot(form)`: the answers sit under ``"data"``
next to the edition, locus, object and files. "Still running" (the share on the public
programme page, T5 on the institution page) must come from those frozen answers.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest

from prima.evaluation.enums import EditionState
from prima.pkri.domain.forms import build_snapshot, snapshot_hash
from prima.pkri.domain.statistics import institution_sentences, running_q
from prima.pkri.enums import FormState
from prima.pkri.models import SelfAssessment
from tests.factories import InnovationFactory
from tests.pkri.factories import PkriEditionFactory, ScopeObjectFactory, SelfAssessmentFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "still_running": True,
    "running_since": "2017-08-01",
    "beneficiaries": [
        {"year": 2022, "count": 1200, "measure": "people", "source": "Rekap"},
        {"year": 2023, "count": 1550, "measure": "people", "source": "Rekap"},
    ],
}


def submitted_form(unit) -> SelfAssessment:
    edition = PkriEditionFactory(stages=EditionState.RESULTS)
    obj = ScopeObjectFactory(
        edition=edition,
        innovation=InnovationFactory(unit=unit, name="SIPANDU", started_on=dt.date(2017, 8, 1)),
    )
    form = cast(SelfAssessment, SelfAssessmentFactory(object=obj, data=ANSWERS))
    form.snapshot = build_snapshot(form)
    form.snapshot_hash = snapshot_hash(form.snapshot)
    form.state = FormState.SUBMITTED
    form.save()
    return form


def test_a_submitted_running_form_counts_as_running(unit_a):
    form = submitted_form(unit_a)
    assert form.snapshot is not None and form.snapshot["data"]["still_running"] is True

    assert list(SelfAssessment.objects.filter(running_q()).values_list("pk", flat=True)) == [
        form.pk
    ]


def test_the_institution_page_states_t5_for_a_submitted_running_form(unit_a):
    form = submitted_form(unit_a)

    texts = institution_sentences(form.edition, unit_a.institution)

    assert [item["text"] for item in texts.get("T5", [])] == [
        "SIPANDU (Dinas PUPR Kota Payakumbuh, Kota Payakumbuh) masih berjalan sejak 2017 "
        "dan melayani 1.550 orang pada 2023"
    ]
