"""Engine-level factories for the database-backed evaluation domain tests: subjects without
a KIPP proposal behind them, and ready assessors with a chosen name and province."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition, Stage, Subject
from tests.factories import PersonFactory
from tests.kipp.factories import AppointmentFactory


class SubjectFactory(DjangoModelFactory):
    class Meta:
        model = Subject

    kind = "proposal"
    title = factory.Sequence(lambda n: f"Inovasi Uji {n}")
    text = "Layanan perizinan daring yang memangkas waktu tunggu warga."
    group = "umum"
    category = "AC4"
    institution = None
    province = ""


def assessor(edition: Edition, name: str, **kwargs):
    """A ready evaluator called `name` (also the username), home province 31 by default."""
    person = PersonFactory(username=name.lower(), full_name=name)
    return AppointmentFactory(edition=edition, person=person, **kwargs)


def desk(edition: Edition) -> Stage:
    return edition.stages.get(code=EditionState.DESK_EVALUATION)
