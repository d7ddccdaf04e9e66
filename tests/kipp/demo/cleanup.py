"""Removing the KIPP demo rows, children before parents (most foreign keys protect).

Modules that load the whole demo once (`tests/core/test_demo.py`, this package) call it
before removing the national demo's rows.
"""

from __future__ import annotations

from prima.core.models import Citizen, Membership, Person
from prima.evaluation.models import (
    Appointment,
    Assignment,
    AssignmentRun,
    Conflict,
    Edition,
    Instrument,
    ScoreSheet,
    Subject,
)
from prima.kipp.models import Announcement, AwardEvent, BenefitRating, Decree, Proposal
from tests.pkri.demo.cleanup import wipe_pkri_demo


def wipe_kipp_demo() -> None:
    wipe_pkri_demo()
    BenefitRating.objects.all().delete()
    Citizen.objects.filter(phone__startswith="+62840").delete()
    ScoreSheet.objects.all().delete()
    Assignment.objects.all().delete()
    AssignmentRun.objects.all().delete()
    Conflict.objects.all().delete()
    Appointment.objects.all().delete()
    Announcement.objects.all().delete()
    Decree.objects.all().delete()
    AwardEvent.objects.all().delete()
    Proposal.objects.all().delete()
    Subject.objects.all().delete()
    Edition.objects.all().delete()
    Instrument.objects.all().delete()
    # The demo's evaluators and panelists (the demo logins go with the national demo).
    assessors = Person.objects.filter(username__regex=r"^(penilai|panelis)\.\d+$")
    Membership.objects.filter(person__in=assessors).delete()
    assessors.delete()
