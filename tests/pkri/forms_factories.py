"""Fixtures for the PKRI form tests: an edition with open forms, an object form of
institution A's unit, a coaching form of A, and a form of institution B."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prima.core.enums import Role
from prima.evaluation.enums import EditionState
from prima.pkri.models import Locus, SelfAssessment
from tests.factories import InnovationFactory, person_with_role
from tests.pkri.domain.test_form_rules import sustainability
from tests.pkri.factories import (
    LocusFactory,
    PkriEditionFactory,
    ScopeObjectFactory,
    SelfAssessmentFactory,
    coaching_form,
)

WIB = dt.timezone(dt.timedelta(hours=7))
IN_WINDOW = dt.datetime(2024, 5, 20, 10, 0, tzinfo=WIB)


def pdf(name: str = "bukti.pdf", body: bytes = b"isi") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + body + b"\n%%EOF\n", "application/pdf")


@pytest.fixture
def edition(db):
    return PkriEditionFactory(code="pkri-2024-uji", stages=EditionState.FORMS_OPEN)


def object_form(edition, unit, **fields: Any) -> SelfAssessment:
    locus = Locus.objects.filter(edition=edition, institution=unit.institution).first()
    locus = locus or LocusFactory(edition=edition, institution=unit.institution)
    obj = ScopeObjectFactory(
        edition=edition,
        locus=locus,
        innovation=InnovationFactory(unit=unit, started_on=dt.date(2018, 3, 1)),
        award_year=2019,
    )
    return SelfAssessmentFactory(object=obj, **fields)


@pytest.fixture
def form_a(edition, unit_a):
    return object_form(edition, unit_a)


@pytest.fixture
def form_b(edition, unit_b):
    return object_form(edition, unit_b)


@pytest.fixture
def coaching_a(edition, form_a):
    return coaching_form(form_a.locus)


@pytest.fixture
def operator_a2(unit_a):
    return person_with_role(Role.UNIT_OPERATOR, unit=unit_a, username="operator_a2")


def valid_data(form: SelfAssessment, files: dict[str, int]) -> dict[str, Any]:
    """A complete sustainability answer for ``form`` whose file answers name ``files``."""
    data = sustainability()
    data["running_since"] = form.object.innovation.started_on.isoformat()
    data["improvements"][0]["evidence"] = files["evidence"]
    data["legal_basis"][0]["file"] = files["legal"]
    data["sop"]["file"] = files["sop"]
    data["evidence"] = [files["evidence"]]
    data["declaration_file"] = files["declaration"]
    data["replications"][0]["institution"] = form.locus.institution_id
    return data
