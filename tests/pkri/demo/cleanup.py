"""Removing the PKRI demo rows, children before parents (announcements and certificates
protect their editions and awards). Called first by `tests/kipp/demo/cleanup.py`."""

from __future__ import annotations

from prima.awards.models import Award, AwardCategory, Certificate
from prima.pkri.models import Announcement, Locus, ScopeObject, SelfAssessment
from tests.innovations.demo.cleanup import wipe_jipp_demo


def wipe_pkri_demo() -> None:
    wipe_jipp_demo()
    Certificate.objects.all().delete()
    Award.objects.all().delete()
    AwardCategory.objects.all().delete()
    Announcement.objects.all().delete()
    SelfAssessment.objects.all().delete()
    ScopeObject.objects.all().delete()
    Locus.objects.all().delete()
