"""A rejected replication link (pkri.md §9) never satisfies `replication_link: required`,
neither in the participant's pre-checks nor in the administrative check; other statuses do."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.innovations.enums import LinkStatus
from prima.kipp.domain.admin_check import start_admin_check
from prima.kipp.domain.proposals import eligibility_results
from tests.factories import InnovationFactory, ReplicationLinkFactory
from tests.kipp.domain.test_admin_check import (
    ALL_FILES,
    _with_tiers,
    admin_edition,
    failed_codes,
    submitted,
)

pytestmark = pytest.mark.django_db


def _replication_proposal(edition, status: str):
    replica = InnovationFactory(started_on=dt.date(2023, 1, 1))
    ReplicationLinkFactory(
        replica=replica, source=_with_tiers(("top99", "finalist", 2018)), status=status
    )
    return submitted(
        edition, group="replikasi", innovation=replica, files=(*ALL_FILES, "pernyataan_replikasi")
    )


def _link_check(proposal):
    return next(r for r in eligibility_results(proposal) if r.rule == "replication_link")


@pytest.mark.parametrize(
    "status, code",
    [
        (LinkStatus.CLAIMED, None),
        (LinkStatus.CONFIRMED, None),
        (LinkStatus.VERIFIED, None),
        (LinkStatus.REJECTED, "replication_link_missing"),
    ],
)
def test_admin_check_ignores_a_rejected_link(secretariat, status, code):
    edition = admin_edition()
    proposal = _replication_proposal(edition, status)

    start_admin_check(edition, actor=secretariat)

    assert failed_codes(proposal) == ([code] if code else [])


@pytest.mark.parametrize(
    "status, passed", [(LinkStatus.CLAIMED, True), (LinkStatus.REJECTED, False)]
)
def test_participant_pre_check_ignores_a_rejected_link(status, passed):
    proposal = _replication_proposal(admin_edition(), status)

    check = _link_check(proposal)

    assert check.passed is passed
    if not passed:
        assert check.code == "replication_link_missing"
        assert "wajib menautkan inovasi asal" in check.message
