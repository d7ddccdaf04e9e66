"""Derived locus indicators (pkri.md §6.3; acceptance example B5)."""

from __future__ import annotations

from decimal import Decimal

from prima.pkri.domain.indicators import ObjectFacts, locus_indicators
from prima.pkri.domain.levels import share_level

RUNNING = ObjectFacts(running=True, legal_basis=True, sop=True)
STOPPED = ObjectFacts(running=False, legal_basis=True, sop=False)
MISSING = ObjectFacts(running=None, legal_basis=False, sop=False)


def test_b5_three_running_one_missing_is_75_percent_level_4() -> None:
    found = locus_indicators([RUNNING, RUNNING, RUNNING, MISSING], 0, 0, {})

    assert found.objects_total == 4
    assert found.sustained_share == Decimal("0.75")
    assert share_level(found.sustained_share) == 4


def test_b5_two_running_one_stopped_one_missing_is_50_percent_level_3() -> None:
    found = locus_indicators([RUNNING, RUNNING, STOPPED, MISSING], 0, 0, {})

    assert found.sustained_share == Decimal("0.5")
    assert share_level(found.sustained_share) == 3


def test_institutionalised_needs_both_legal_basis_and_sop() -> None:
    legal_only = ObjectFacts(running=True, legal_basis=True, sop=False)
    found = locus_indicators([RUNNING, legal_only, STOPPED], 2, 1, {2021: 3})

    assert found.institutionalised_share == Decimal(1) / Decimal(3)
    assert share_level(found.institutionalised_share) == 2
    assert (found.replications_out, found.replications_out_claimed) == (2, 1)
    assert found.kipp_registrations == {2021: 3}


def test_a_missing_form_never_counts_as_institutionalised() -> None:
    claimed = ObjectFacts(running=None, legal_basis=True, sop=True)
    assert locus_indicators([claimed], 0, 0, {}).institutionalised_share == 0


def test_a_locus_without_objects_has_zero_shares() -> None:
    found = locus_indicators([], 0, 0, {})
    assert (found.objects_total, found.sustained_share, found.institutionalised_share) == (
        0,
        Decimal(0),
        Decimal(0),
    )
