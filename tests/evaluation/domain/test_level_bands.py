"""Level bands of an instrument (`level_rules`): reading a level, validation by path."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from prima.evaluation.domain.instruments import build, content_hash, parse, to_data, validate
from prima.evaluation.domain.level_bands import Threshold, level_for

INSTRUMENTS = Path(__file__).resolve().parents[3] / "instruments"
PKRI = parse(INSTRUMENTS / "pkri-2024.yaml")
KIPP = parse(INSTRUMENTS / "kipp-2025.yaml")


@pytest.fixture
def data():
    return copy.deepcopy(PKRI)


def problems(data):
    return [str(problem) for problem in validate(data)]


# P7: 0%→0, <25%→1, <50%→2, <75%→3, ≥75%→4.
SHARE = (
    Threshold(1, Decimal(0), strict=True),
    Threshold(2, Decimal("0.25")),
    Threshold(3, Decimal("0.5")),
    Threshold(4, Decimal("0.75")),
)


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (Decimal(0), 0),
        (Decimal("0.01"), 1),
        (Decimal("0.25"), 2),
        (Fraction(1, 3), 2),
        (Decimal("0.7499"), 3),
        (Decimal("0.75"), 4),
        (1, 4),
    ],
)
def test_a_value_gets_the_level_of_the_last_threshold_it_reaches(value, level):
    assert level_for(value, SHARE) == level


def test_a_level_may_be_skipped():
    funded_years = (Threshold(2, Decimal(1)), Threshold(3, Decimal(2)), Threshold(4, Decimal(3)))
    assert [level_for(n, funded_years) for n in range(5)] == [0, 2, 3, 4, 4]


def test_the_shipped_pkri_instrument_has_valid_level_rules():
    assert problems(PKRI) == []
    rules = build(PKRI).level_rules
    assert rules is not None
    assert rules.bands["k3"][0] == Threshold(1, Decimal("-0.10"))
    assert rules.parameters["long_interruption_months"] == 12


def test_level_rules_survive_the_stored_form_and_count_in_the_hash(data):
    instrument = build(data)
    assert build(to_data(instrument)) == instrument
    data["level_rules"]["bands"]["k2"][3]["min"] = 6
    assert content_hash(build(data)) != content_hash(instrument)


def test_an_instrument_without_level_rules_keeps_its_data_and_hash():
    instrument = build(KIPP)
    assert instrument.level_rules is None
    assert "level_rules" not in to_data(instrument)


def test_every_problem_is_named_by_its_path(data):
    bands = data["level_rules"]["bands"]
    bands["k2"][1]["level"] = 1  # not rising
    bands["p5"][2] = {"level": 3, "min": 1}  # below the threshold before
    bands["p9"][3] = {"level": 5, "min": 7}  # above the scale's top level
    bands["r5"][0] = {"level": 2, "min": 1, "above": 0}  # both
    bands["zz"] = [{"level": 1, "min": 1}]  # no such section
    data["level_rules"]["parameters"]["recent_evaluation_years"] = "tiga"
    assert problems(data) == [
        "level_rules.bands.k2[1].level: level harus naik: 1 tercantum setelah 1",
        "level_rules.bands.p5[2]: ambang harus lebih tinggi dari ambang sebelumnya (≥ 2)",
        "level_rules.bands.p9[3].level: level 5 di atas level tertinggi skala (4)",
        "level_rules.bands.r5[0]: tulis tepat satu dari «min» (≥) atau «above» (>)",
        "level_rules.bands.zz: bagian 'zz' tidak ada di sections",
        "level_rules.parameters.recent_evaluation_years: harus angka, bukan 'tiga'",
    ]


def test_an_equal_bound_may_go_from_at_least_to_above(data):
    data["level_rules"]["bands"]["p7"] = [{"level": 1, "min": 0}, {"level": 2, "above": 0}]
    assert problems(data) == []
    data["level_rules"]["bands"]["p7"] = [{"level": 1, "above": 0}, {"level": 2, "min": 0}]
    assert problems(data) == [
        "level_rules.bands.p7[1]: ambang harus lebih tinggi dari ambang sebelumnya (> 0)"
    ]


def test_the_block_is_checked_for_its_shape(data):
    data["level_rules"] = {"bandz": {}}
    assert problems(data) == [
        "level_rules.bandz: kunci 'bandz' tidak dikenal; yang dikenal: bands, parameters",
        "level_rules.bands: wajib diisi",
    ]
    data["level_rules"] = {"bands": {"k2": []}}
    assert problems(data) == ["level_rules.bands.k2: daftar tidak boleh kosong"]
