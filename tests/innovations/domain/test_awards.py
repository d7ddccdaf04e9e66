"""Award history is the secretariat's record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.innovations.domain.awards import record_award
from prima.innovations.models import AwardRecord

pytestmark = pytest.mark.django_db


def test_secretariat_records_a_tier_with_its_decree(secretariat, innovation_a):
    award = record_award(
        innovation_a,
        actor=secretariat,
        programme="kipp",
        year=2019,
        tier="top99",
        level="finalist",
        decree_ref="KepmenPANRB 45/2019",
        group="Replikasi",
        decree_date=dt.date(2019, 11, 4),
    )
    assert award.get_programme_display() == "KIPP"
    assert award.group == "replikasi"
    entry = AuditEntry.objects.get(action="award.recorded")
    assert entry.after == {
        "innovation": innovation_a.pk,
        "programme": "kipp",
        "year": 2019,
        "tier": "top99",
        "level": "finalist",
        "group": "replikasi",
        "decree_ref": "KepmenPANRB 45/2019",
        "decree_date": "2019-11-04",
        "revoked": False,
    }


@pytest.mark.parametrize("who", ["admin_a", "operator_a", "evaluator"])
def test_nobody_else_records_awards(who, personas, innovation_a):
    with pytest.raises(PermissionDenied, match="Sekretariat"):
        record_award(
            innovation_a,
            actor=personas[who],
            programme="kipp",
            year=2019,
            tier="top99",
            level="finalist",
        )
    assert not AwardRecord.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"programme": "olimpiade"}, "programme"),
        ({"level": "juara"}, "level"),
        ({"year": 1999}, "year"),
        ({"year": timezone.localdate().year + 1}, "year"),
        ({"tier": " "}, "tier"),
        ({"decree_date": dt.date(2020, 1, 6)}, "decree_date"),
        ({"group": "k" * 31}, "group"),
    ],
)
def test_invalid_award_is_refused(secretariat, innovation_a, changes, field):
    values = {"programme": "kipp", "year": 2019, "tier": "top99", "level": "finalist", **changes}
    with pytest.raises(DomainError) as refused:
        record_award(innovation_a, actor=secretariat, **values)
    assert refused.value.field == field
    assert not AwardRecord.objects.exists()
    assert not AuditEntry.objects.exists()


def test_same_tier_twice_is_refused(secretariat, innovation_a):
    values = {"programme": "kipp", "year": 2019, "tier": "top99", "level": "finalist"}
    record_award(innovation_a, actor=secretariat, **values)
    with pytest.raises(DomainError, match="sudah tercatat"):
        record_award(innovation_a, actor=secretariat, **values)
    assert AwardRecord.objects.count() == 1
