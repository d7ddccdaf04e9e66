"""Funnel statistics (kipp.md §16) and acceptance example A10."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prima.kipp.domain.funnel import Row, compute_funnel, rate, rows_for_edition
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import AdminCheck
from tests.kipp.factories import EditionFactory, ProposalFactory


def _rows(count: int, state: str, *, group: str = "umum", passed: bool | None = None, **kw):
    return [
        Row(
            state=state,
            institution=kw.get("institution", i % 300),
            group=group,
            category=kw.get("category", "kesehatan"),
            institution_kind="regency",
            province="13",
            region_3t=False,
            admin_passed=passed,
            admin_reasons=tuple(kw.get("reasons", ())),
            tiers=tuple(kw.get("tiers", ())),
        )
        for i in range(count)
    ]


def test_a10_registered_split_and_pass_rates_of_2022():
    rows = (
        _rows(612, S.DRAFT)
        + _rows(412, S.AT_INSTITUTION)
        + _rows(1_776, S.ADMIN_PASSED, passed=True)
        + _rows(2_299 - 1_776, S.ADMIN_FAILED, passed=False, reasons=["incomplete"])
        + _rows(141, S.ADMIN_PASSED, group="khusus", passed=True)
        + _rows(155 - 141, S.ADMIN_FAILED, group="khusus", passed=False, reasons=["other"])
    )
    funnel = compute_funnel(rows, breakdowns=["group"])

    assert funnel.step("registered").proposals == 3_478
    assert funnel.registered_split == {"at_unit": 612, "at_institution": 412, "submitted": 2_454}
    assert funnel.step("admin_passed").proposals == 1_917
    assert funnel.pass_rate == Decimal("78.12")
    umum = funnel.breakdown["group"]["umum"]
    khusus = funnel.breakdown["group"]["khusus"]
    assert rate(umum["admin_passed"], umum["submitted"]) == Decimal("77.25")
    assert rate(khusus["admin_passed"], khusus["submitted"]) == Decimal("90.97")
    assert funnel.failed_by_reason == {"incomplete": 523, "other": 14}


def test_each_step_counts_distinct_institutions():
    rows = _rows(5, S.NOMINATED, passed=True, institution=7) + _rows(
        3, S.AWARDED, passed=True, institution=9, tiers=["top99", "top45"]
    )
    funnel = compute_funnel(rows)

    assert funnel.step("nominated").proposals == 8
    assert funnel.step("nominated").institutions == 2
    assert funnel.step("finalists").proposals == 3
    assert funnel.step("winners").institutions == 1
    assert funnel.tiers == {"top45": 3, "top99": 3}


def test_rate_of_nothing_is_none():
    assert rate(0, 0) is None


@pytest.mark.django_db
def test_rows_come_from_the_edition_records_in_one_query(django_assert_num_queries):
    edition = EditionFactory()
    failed = ProposalFactory(edition=edition, state=S.ADMIN_FAILED)
    AdminCheck.objects.create(proposal=failed, passed=False, reasons=["age_below_minimum"])
    ProposalFactory(edition=edition, state=S.DRAFT)

    with django_assert_num_queries(1):
        rows = rows_for_edition(edition)

    funnel = compute_funnel(rows)
    assert funnel.step("registered").proposals == 2
    assert funnel.step("submitted").proposals == 1
    assert funnel.failed_by_reason == {"age_below_minimum": 1}


def test_a_finalist_only_proposal_is_not_a_winner_even_once_decreed():
    rows = _rows(2, S.AWARDED, passed=True, institution=1, tiers=["top99", "top45"]) + _rows(
        3, S.AWARDED, passed=True, institution=2, tiers=["top99"]
    )
    funnel = compute_funnel(rows, winner_tiers={"top45"})

    assert funnel.step("finalists").proposals == 5
    assert funnel.step("winners").proposals == 2
