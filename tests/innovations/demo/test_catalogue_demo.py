"""The catalogue part of the JIPP demo (pkri.md §9): owners inviting replication, status
confirmations from the PKRI forms, and profiles not updated for 24 months."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from prima.innovations.domain.staleness import is_stale
from prima.innovations.models import Innovation
from prima.pkri.models import SelfAssessment
from tests.demo_fixtures import national_demo

SIZE = 200
demo_once = national_demo(SIZE)


def test_some_published_innovations_invite_replication_with_a_contact(demo):
    open_ = Innovation.objects.filter(open_to_replication=True)
    assert demo.counts["jipp_open_to_replication"] == open_.count() > 10
    assert not open_.filter(replication_contact="").exists()
    assert not open_.filter(is_published=False).exists()
    sitarang = Innovation.objects.get(name="SITARANG")
    assert sitarang.open_to_replication
    assert "prima-demo.example" in sitarang.replication_contact


def test_submitted_pkri_forms_confirm_their_innovations_status(demo):
    submitted = SelfAssessment.objects.filter(
        submitted_at__isnull=False, object__isnull=False
    ).select_related("object")
    assert submitted.exists()
    for form in submitted[:50]:
        innovation = Innovation.objects.get(pk=form.object.innovation_id)
        assert innovation.status_confirmed_on is not None
        assert innovation.status_confirmed_on >= timezone.localdate(form.submitted_at)
    confirmed = Innovation.objects.exclude(status_confirmed_on=None).count()
    assert demo.counts["pkri_status_confirmed"] == confirmed


def test_a_share_of_old_profiles_shows_the_stale_badge(demo):
    today = timezone.localdate()
    backdated = Innovation.objects.filter(updated_at=F("created_at"), imported=False)
    assert demo.counts["jipp_profiles_not_updated"] > 0
    stale = [
        i for i in Innovation.objects.all() if is_stale(timezone.localdate(i.updated_at), today)
    ]
    share = len(stale) / Innovation.objects.count()
    assert 0.1 < share < 0.9
    assert backdated.count() >= demo.counts["jipp_profiles_not_updated"]
