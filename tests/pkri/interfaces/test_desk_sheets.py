"""The evaluator's sheet reads the form's answers: innovations and institutions by name."""

from __future__ import annotations

import pytest

from prima.evaluation.enums import EditionState
from prima.pkri.interfaces.desk_sheets import answer_lines
from tests.factories import InnovationFactory, InstitutionFactory
from tests.pkri.desk_factories import SUSTAINABILITY, submitted_object_form
from tests.pkri.factories import PkriEditionFactory

pytestmark = pytest.mark.django_db


def test_replications_name_the_replicating_institution_and_its_innovation(institution_b):
    edition = PkriEditionFactory(stages=EditionState.FORMS_CLOSED)
    agam = InstitutionFactory(name="Pemerintah Kabupaten Agam", short_name="Kab. Agam")
    replica = InnovationFactory(name="SITARANG Agam", institution=agam, unit__institution=agam)
    row = {
        "institution": agam.pk,
        "unit": "Dinas PUPR",
        "innovation": replica.pk,
        "start_date": "2022-03-01",
        "scope": "partial",
        "differences": "Tanpa modul retribusi.",
        "evidence": None,
    }
    gone = {**row, "institution": 999_999, "innovation": None}
    form = submitted_object_form(
        edition, institution_b, data={**SUSTAINABILITY, "replications": [row, gone]}
    )

    lines = {line.code: line.text for line in answer_lines(form)}

    first, second = lines["replications"].split("\n")
    assert "instansi: Pemerintah Kabupaten Agam;" in first
    assert "inovasi replika: SITARANG Agam — Kab. Agam;" in first
    # An id no longer in the registry is still shown, as its number.
    assert "instansi: 999999;" in second
