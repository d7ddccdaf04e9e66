"""Review statuses of the demo's replication links (pkri.md §9): most counted, some claims
waiting, two rejected with a reason; links PKRI and KIPP read are left as they were.

Cheap on purpose: a handful of innovations and links made with factories, then the links
loader runs on them; the whole demo is not loaded (the national demo tests do that).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from prima.core.demo.plan import DemoPlan
from prima.core.enums import Role
from prima.innovations.demo import links as demo_links
from prima.innovations.enums import LinkStatus
from prima.innovations.models import ReplicationLink
from prima.pkri.enums import Group
from tests.factories import (
    AwardRecordFactory,
    InnovationFactory,
    ReplicationLinkFactory,
    person_with_role,
)
from tests.pkri.factories import ScopeObjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    secretariat = person_with_role(
        Role.SECRETARIAT, username="sekretariat", email="sekretariat@prima-demo.example"
    )
    innovations = [InnovationFactory() for _ in range(24)]
    links = [
        ReplicationLinkFactory(replica=innovations[i + 12], source=innovations[i])
        for i in range(12)
    ]
    # The first replica is a PKRI replication object, the second's original holds an award.
    ScopeObjectFactory(innovation=innovations[12], group=Group.REPLIKASI)
    AwardRecordFactory(innovation=innovations[1])
    # A PKRI link (its replica outside the plan) already confirmed, without a reviewer.
    pkri = ReplicationLinkFactory(source=innovations[3], status=LinkStatus.CONFIRMED)
    plan = DemoPlan(seed=20250101, size=len(innovations), regions=[])
    return {
        "plan": plan,
        "innovations": innovations,
        "links": links,
        "pkri": pkri,
        "secretariat": secretariat,
    }


def test_statuses_are_realistic_and_leave_pkri_alone(world):
    counts = demo_links.load(world["plan"], world["innovations"])

    links = {link.pk: link for link in ReplicationLink.objects.all()}
    statuses = Counter(link.status for link in links.values())
    assert counts["jipp_links_rejected"] == statuses[LinkStatus.REJECTED] == 2
    assert counts["jipp_links_verified"] + counts["jipp_links_confirmed"] >= 6
    # The PKRI replication object's link stays a claim; the award holder's is never rejected.
    first, second = (links[k.pk] for k in world["links"][:2])
    assert first.status == LinkStatus.CLAIMED and first.reviewed_at is None
    assert second.status != LinkStatus.REJECTED
    for link in links.values():
        if link.status == LinkStatus.REJECTED:
            assert len(link.review_note) >= 20
            assert link.reviewed_by == world["secretariat"]
        if link.status == LinkStatus.VERIFIED:
            assert link.reviewed_by == world["secretariat"]
        if link.status != LinkStatus.CLAIMED:
            assert dt.date(2025, 1, 1) <= link.reviewed_at.date() <= dt.date(2025, 9, 30)
    pkri = links[world["pkri"].pk]
    assert pkri.status == LinkStatus.CONFIRMED and pkri.reviewed_at is not None


def test_the_same_seed_gives_the_same_statuses(world):
    demo_links.load(world["plan"], world["innovations"])
    first = dict(ReplicationLink.objects.values_list("pk", "status"))
    ReplicationLink.objects.filter(pk__in=[k.pk for k in world["links"]]).update(
        status=LinkStatus.CLAIMED, reviewed_at=None, reviewed_by=None, review_note=""
    )
    demo_links.load(world["plan"], world["innovations"])
    assert dict(ReplicationLink.objects.values_list("pk", "status")) == first
