"""Suggested indicator levels (pkri.md §7.1; acceptance examples B3, B5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prima.evaluation.domain.instruments import build, load_instrument, parse
from prima.pkri.domain.config import (
    DEFAULT_INSTRUMENT,
    LevelBands,
    LevelRulesError,
    default_level_bands,
    level_bands_of,
)
from prima.pkri.domain.indicators import LocusIndicators
from prima.pkri.domain.levels import (
    beneficiary_trend_level,
    coaching_levels,
    replication_levels,
    share_level,
    sustainability_levels,
)

TODAY = dt.date(2024, 5, 20)


# --------------------------------------------------------------------------- B3 / K3


@pytest.mark.parametrize(
    ("base", "last", "level"),
    [
        (1200, 2100, 3),  # B3: +75%
        (1000, 880, 0),  # B3: −12%
        (0, 40, 4),  # B3: 0 → 40
        (0, 0, 0),
        (1000, 900, 1),  # −10% exactly
        (1000, 899, 0),
        (1000, 1000, 1),  # 0%
        (1000, 1001, 2),
        (1000, 1250, 2),  # +25% exactly
        (1000, 1251, 3),
        (1000, 2000, 3),  # +100% exactly
        (1000, 2001, 4),
    ],
)
def test_beneficiary_trend_bands(base: int, last: int, level: int) -> None:
    assert beneficiary_trend_level(base, last) == level


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_trend_level_agrees_with_the_percentage_rule(base: int, last: int) -> None:
    c = (Decimal(last) - base) / base
    expected = (
        0
        if c < Decimal("-0.1")
        else 1
        if c <= 0
        else 2
        if c <= Decimal("0.25")
        else 3
        if c <= 1
        else 4
    )
    assert beneficiary_trend_level(base, last) == expected


# --------------------------------------------------------------------------- P7 / P8 (B5)


@pytest.mark.parametrize(
    ("share", "level"),
    [
        ("0", 0),
        ("0.01", 1),
        ("0.2499", 1),
        ("0.25", 2),
        ("0.5", 3),
        ("0.7499", 3),
        ("0.75", 4),
        ("1", 4),
    ],
)
def test_share_bands(share: str, level: int) -> None:
    assert share_level(Decimal(share)) == level


# --------------------------------------------------------------------------- sustainability


def sustainability(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "still_running": True,
        "interruptions": [],
        "coverage_expanded": False,
        "improvements": [],
        "beneficiaries": [
            {"year": 2019, "count": 1200, "measure": "people"},
            {"year": 2023, "count": 2100, "measure": "people"},
        ],
        "budget": [],
        "legal_basis": [],
        "sop": {"exists": False},
        "team_decree": {"exists": False},
        "latest_evaluation": None,
    }
    data.update(changes)
    return data


def levels(data: dict[str, Any]) -> dict[str, int]:
    return sustainability_levels(data, award_year=2019, edition_year=2024, today=TODAY)


def test_k_levels_cover_k1_to_k6() -> None:
    assert set(levels(sustainability())) == {"k1", "k2", "k3", "k4", "k5", "k6"}
    assert levels(sustainability())["k3"] == 3  # B3 inside a form


def test_k1_continuity() -> None:
    assert levels(sustainability(still_running=False))["k1"] == 0
    long = [{"from": "2020-03-01", "to": "2021-03-01"}]  # 12 months
    short = [{"from": "2020-03-01", "to": "2021-02-28"}]
    assert levels(sustainability(interruptions=long))["k1"] == 1
    assert (
        levels(sustainability(interruptions=[*short, {"from": "2022-01-01", "to": "2022-02-01"}]))[
            "k1"
        ]
        == 2
    )
    assert levels(sustainability())["k1"] == 3
    assert levels(sustainability(coverage_expanded=True))["k1"] == 4
    before_award = [{"from": "2017-01-01", "to": "2018-06-30"}]
    assert levels(sustainability(interruptions=before_award))["k1"] == 3


@pytest.mark.parametrize(("n", "level"), [(0, 0), (1, 1), (2, 2), (3, 3), (4, 3), (5, 4), (7, 4)])
def test_k2_improvements_since_award(n: int, level: int) -> None:
    rows = [{"year": 2020, "type": "feature"}] * n + [{"year": 2018, "type": "feature"}]
    assert levels(sustainability(improvements=rows))["k2"] == level


def test_k3_without_a_base_or_last_year_count_is_0() -> None:
    rows = [{"year": 2020, "count": 10}, {"year": 2023, "count": 500}]
    assert levels(sustainability(beneficiaries=rows))["k3"] == 0


def test_k4_institutionalisation() -> None:
    perkada = [{"type": "perkada", "number": "1"}]
    sk = [{"type": "sk_kepala", "number": "1"}]
    yes = {"exists": True}
    assert levels(sustainability())["k4"] == 0
    assert levels(sustainability(sop=yes))["k4"] == 1
    assert levels(sustainability(sop=yes, legal_basis=sk))["k4"] == 2
    assert levels(sustainability(sop=yes, legal_basis=sk, team_decree=yes))["k4"] == 3
    assert levels(sustainability(sop=yes, legal_basis=perkada, team_decree=yes))["k4"] == 4
    assert levels(sustainability(legal_basis=perkada, team_decree=yes))["k4"] == 2


def test_k5_budget_of_the_last_three_full_years() -> None:
    def rows(*amounts: int) -> list[dict[str, Any]]:
        return [
            {"year": y, "source": "APBD", "amount": a}
            for y, a in zip((2021, 2022, 2023), amounts, strict=False)
        ]

    assert levels(sustainability(budget=rows(0, 0, 0)))["k5"] == 0
    assert levels(sustainability(budget=rows(5, 0, 0)))["k5"] == 2
    assert levels(sustainability(budget=rows(5, 5, 0)))["k5"] == 3
    assert levels(sustainability(budget=rows(5, 5, 5)))["k5"] == 4
    older = [{"year": 2020, "source": "APBD", "amount": 9}]
    assert levels(sustainability(budget=older))["k5"] == 0


def test_k6_latest_evaluation() -> None:
    def evaluation(day: str, kind: str, follow_up: str = "no") -> dict[str, Any]:
        return {"date": day, "kind": kind, "follow_up": follow_up}

    assert levels(sustainability())["k6"] == 0
    assert levels(sustainability(latest_evaluation=evaluation("2020-01-01", "internal")))["k6"] == 1
    assert levels(sustainability(latest_evaluation=evaluation("2022-01-01", "internal")))["k6"] == 2
    assert levels(sustainability(latest_evaluation=evaluation("2021-05-20", "external")))["k6"] == 3
    assert (
        levels(sustainability(latest_evaluation=evaluation("2023-06-01", "external", "yes")))["k6"]
        == 4
    )
    assert (
        levels(sustainability(latest_evaluation=evaluation("2023-06-01", "external", "partly")))[
            "k6"
        ]
        == 3
    )


def test_b4_levels_come_out_of_a_matching_form() -> None:
    data = sustainability(
        coverage_expanded=True,  # k1 4
        improvements=[{"year": 2021}, {"year": 2022}, {"year": 2023}],  # k2 3
        legal_basis=[{"type": "perda"}],
        sop={"exists": True},
        team_decree={"exists": True},  # k4 4
        budget=[{"year": 2022, "source": "APBD", "amount": 1}],  # k5 2
        latest_evaluation={"date": "2022-01-01", "kind": "internal", "follow_up": "yes"},  # k6 2
    )
    assert levels(data) == {"k1": 4, "k2": 3, "k3": 3, "k4": 4, "k5": 2, "k6": 2}


# --------------------------------------------------------------------------- replication


def replication(**changes: Any) -> dict[str, Any]:
    data = sustainability(
        original_innovation=101,
        replication_started="2021-07-01",
        relationship=["study_visit"],
        onward_replications=[],
        beneficiaries=[{"year": 2021, "count": 100}, {"year": 2023, "count": 130}],
    )
    data.update(changes)
    return data


def r_levels(data: dict[str, Any], link_status: str | None = None) -> dict[str, int]:
    return replication_levels(data, edition_year=2024, today=TODAY, link_status=link_status)


def test_replication_levels_leave_r2_to_judgement() -> None:
    assert set(r_levels(replication())) == {"r1", "r3", "r4", "r5"}


def test_r1_documented_link() -> None:
    assert r_levels(replication(original_innovation=None, relationship=["none"]))["r1"] == 0
    assert r_levels(replication())["r1"] == 2
    assert r_levels(replication(relationship=["agreement"]))["r1"] == 4
    assert r_levels(replication(), link_status="confirmed")["r1"] == 4
    assert r_levels(replication(), link_status="claimed")["r1"] == 2


def test_r3_uses_the_replica_start_year_as_base() -> None:
    assert r_levels(replication())["r3"] == 3  # 100 → 130: +30%


def test_r4_is_the_mean_of_k4_and_k5_rounded_half_up() -> None:
    data = replication(
        sop={"exists": True},
        budget=[{"year": 2023, "source": "APBD", "amount": 1}],
    )  # k4 1, k5 2 → 1.5 → 2
    assert r_levels(data)["r4"] == 2
    assert r_levels(replication())["r4"] == 0


@pytest.mark.parametrize(("n", "level"), [(0, 0), (1, 2), (2, 3), (3, 4), (6, 4)])
def test_r5_onward_spread(n: int, level: int) -> None:
    assert r_levels(replication(onward_replications=[{"institution": 1}] * n))["r5"] == level


# --------------------------------------------------------------------------- coaching


def derived(**changes: Any) -> LocusIndicators:
    values: dict[str, Any] = {
        "objects_total": 4,
        "sustained_share": Decimal("0.75"),
        "institutionalised_share": Decimal("0.5"),
        "replications_out": 0,
        "replications_out_claimed": 0,
        "kipp_registrations": {},
    }
    values.update(changes)
    return LocusIndicators(**values)


def p_levels(data: dict[str, Any], indicators: LocusIndicators | None = None) -> dict[str, int]:
    return coaching_levels(data, indicators or derived(), lookback=(2021, 2023))


def test_coaching_levels_cover_p1_to_p9_and_use_derived_shares() -> None:
    found = p_levels({})
    assert set(found) == {f"p{i}" for i in range(1, 10)}
    assert (found["p7"], found["p8"]) == (3, 4)  # B5: 75% → 4
    assert p_levels({}, derived(sustained_share=Decimal("0.5")))["p8"] == 3


@pytest.mark.parametrize(
    ("types", "in_plan", "level"),
    [
        ([], True, 0),
        (["surat_edaran"], False, 1),
        (["surat_edaran", "sk_kepala"], False, 2),
        (["permen"], False, 3),
        (["peraturan_lembaga", "surat_edaran"], True, 4),
        (["sk_kepala"], True, 2),
    ],
)
def test_p1_coaching_policy(types: list[str], in_plan: bool, level: int) -> None:
    data = {"coaching_policy": [{"type": t} for t in types], "in_strategic_plan": in_plan}
    assert p_levels(data)["p1"] == level


def test_p2_counts_programme_years_in_the_lookback() -> None:
    rows = [
        {"year": 2021, "name": "Klinik"},
        {"year": 2022, "name": "Klinik"},
        {"year": 2022, "name": "Lab"},
        {"year": 2020, "name": "Lab"},  # before the lookback
    ]
    assert p_levels({"creation_programmes": rows})["p2"] == 3


def test_p3_internal_competition() -> None:
    def rows(*held: bool, decree_only: bool = False) -> dict[str, Any]:
        return {
            "internal_competition": [
                {"year": 2021 + i, "held": h, "decree_only": decree_only and not h}
                for i, h in enumerate(held)
            ]
        }

    assert p_levels(rows(False, False, False))["p3"] == 0
    assert p_levels(rows(False, False, False, decree_only=True))["p3"] == 1
    assert p_levels(rows(True, False, False))["p3"] == 2
    assert p_levels(rows(True, True, False))["p3"] == 3
    assert p_levels(rows(True, True, True))["p3"] == 4


def test_p4_mean_registrations_per_year() -> None:
    rows = [
        {"year": 2021, "kipp_registered": 99, "internal_registered": 1},
        {"year": 2022, "kipp_registered": 0, "internal_registered": 2},
    ]
    data = {"innovations_registered": rows}
    # KIPP from the derived counts (2021: 3, 2022: 0, 2023: 1) + internal 1 + 2 → 7/3 ≈ 2.33
    assert p_levels(data, derived(kipp_registrations={2021: 3, 2022: 0, 2023: 1}))["p4"] == 2
    assert p_levels({}, derived(kipp_registrations={2021: 6}))["p4"] == 1  # mean 2
    assert p_levels({})["p4"] == 0
    assert p_levels({}, derived(kipp_registrations={2021: 31, 2022: 1, 2023: 1}))["p4"] == 4


@pytest.mark.parametrize(("n", "level"), [(0, 0), (1, 1), (3, 2), (4, 3), (5, 3), (6, 4)])
def test_p5_development_activities(n: int, level: int) -> None:
    rows = [{"year": 2022, "kind": "mentoring"}] * n + [{"year": 2019, "kind": "mentoring"}]
    assert p_levels({"development_activities": rows})["p5"] == level


def test_p6_coaching_budget_years() -> None:
    rows = [{"year": 2021, "amount": 0}, {"year": 2022, "amount": 5}, {"year": 2023, "amount": 9}]
    assert p_levels({"coaching_budget": rows})["p6"] == 3


def test_p9_replications_out_plus_facilitation_rows_with_evidence() -> None:
    rows = [
        {"year": 2022, "direction": "out", "evidence": 4},
        {"year": 2023, "direction": "out", "evidence": None},  # no evidence
        {"year": 2019, "direction": "out", "evidence": 5},  # outside the lookback
    ]
    assert p_levels({"replication_facilitation": rows})["p9"] == 1
    assert p_levels({"replication_facilitation": rows}, derived(replications_out=3))["p9"] == 3
    assert p_levels({}, derived(replications_out=7, replications_out_claimed=9))["p9"] == 4


def test_b6_payakumbuh_levels_come_out_of_a_matching_form() -> None:
    data = {
        "coaching_policy": [{"type": "perkada"}],
        "in_strategic_plan": False,  # p1 3
        "creation_programmes": [{"year": y, "name": n} for y in (2021, 2022, 2023) for n in "AB"],
        "internal_competition": [{"year": y, "held": True} for y in (2021, 2022, 2023)],
        "innovations_registered": [{"year": 2022, "internal_registered": 12}],  # mean 4+… → 3
        "development_activities": [{"year": 2022}] * 4,  # p5 3
        "coaching_budget": [{"year": y, "amount": 1} for y in (2021, 2022, 2023)],  # p6 4
        "replication_facilitation": [{"year": 2023, "evidence": 1}],
    }
    indicators = derived(
        institutionalised_share=Decimal("0.5"),  # p7 3
        sustained_share=Decimal("1"),  # p8 4
        replications_out=1,  # p9 2 with the facilitation row
        kipp_registrations={2021: 10, 2022: 2, 2023: 0},  # (10 + 14 + 0)/3 = 8 → p4 3
    )
    assert p_levels(data, indicators) == {
        "p1": 3, "p2": 4, "p3": 4, "p4": 3, "p5": 3, "p6": 4, "p7": 3, "p8": 4, "p9": 2,
    }  # fmt: skip


# --------------------------------------------------------------------------- bands are data


def bands_with(change: Callable[[dict[str, Any]], None]) -> LevelBands:
    """The shipped instrument's level bands after ``change`` to its YAML data."""
    data = parse(DEFAULT_INSTRUMENT)
    change(data["level_rules"])
    return level_bands_of(build(data))


def test_the_default_bands_are_the_shipped_instruments() -> None:
    assert default_level_bands() == level_bands_of(load_instrument(DEFAULT_INSTRUMENT))


def test_suggestions_follow_the_bands_of_the_instrument() -> None:
    def stricter(rules: dict[str, Any]) -> None:
        rules["bands"]["k2"] = [{"level": 1, "min": 2}, {"level": 4, "min": 3}]
        rules["bands"]["p8"] = [{"level": 4, "above": Decimal("0.8")}]
        rules["parameters"]["long_interruption_months"] = 6

    bands = bands_with(stricter)
    improvements = [{"year": 2020, "type": "feature"}] * 3
    data = sustainability(
        improvements=improvements, interruptions=[{"from": "2021-01-01", "to": "2021-08-01"}]
    )
    assert (levels(data)["k2"], levels(data)["k1"]) == (3, 2)
    found = sustainability_levels(
        data, award_year=2019, edition_year=2024, today=TODAY, bands=bands
    )
    assert (found["k2"], found["k1"]) == (4, 1)  # 3 rows now reach level 4; 7 months is long
    assert coaching_levels({}, derived(), lookback=(2021, 2023), bands=bands)["p8"] == 0


def test_missing_bands_and_parameters_are_named_by_path() -> None:
    def remove(rules: dict[str, Any]) -> None:
        del rules["bands"]["k3"]
        rules["parameters"]["recent_evaluation_years"] = Decimal("2.5")
        del rules["parameters"]["long_interruption_months"]

    with pytest.raises(LevelRulesError) as raised:
        bands_with(remove)
    assert [str(p) for p in raised.value.problems] == [
        "level_rules.bands.k3: wajib diisi",
        "level_rules.parameters.long_interruption_months: wajib diisi",
        "level_rules.parameters.recent_evaluation_years: harus bilangan bulat ≥ 1, bukan 2.5",
    ]
