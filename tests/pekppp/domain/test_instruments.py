"""Reading and validating the PEKPPP instruments (pekppp.md §5, §11)."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from prima.evaluation.domain.instruments import parse
from prima.pekppp.domain.instruments import (
    RULE_NAMES,
    PekpppInstrumentError,
    load_instrument,
    validate,
)
from prima.pekppp.domain.rules import RULES
from tests.pekppp.spec import INSTRUMENT_2017, INSTRUMENT_2023

GLOBAL_WEIGHTS = {
    1: "4.08", 2: "3.36", 3: "1.68", 4: "3.36", 5: "2.40", 6: "4.08", 7: "1.68", 8: "1.68",
    9: "1.68", 10: "2.50", 11: "5.00", 12: "5.00", 13: "5.00", 14: "7.50", 15: "2.70",
    16: "4.14", 17: "3.60", 18: "3.60", 19: "1.98", 20: "1.98", 21: "3.30", 22: "2.20",
    23: "2.20", 24: "3.30", 25: "2.00", 26: "2.50", 27: "2.50", 28: "3.00", 29: "6.00",
    30: "6.00",
}  # fmt: skip


@pytest.fixture(scope="module")
def data():
    return parse(INSTRUMENT_2023)


def test_the_2023_instrument_loads_as_specified():
    instrument = load_instrument(INSTRUMENT_2023)
    assert instrument.code == "pekppp-2023"
    assert instrument.cycles == (2023, 2024, 2025)
    assert [(a.code, a.letter, a.weight) for a in instrument.aspects] == [
        ("I", "a", 24), ("II", "b", 25), ("III", "c", 18),
        ("IV", "d", 11), ("V", "e", 10), ("VI", "f", 12),
    ]  # fmt: skip
    assert instrument.numbers == tuple(range(1, 31))
    assert all(isinstance(a.weight, Decimal) for a in instrument.aspects)
    # The global weights table of §9.
    assert {n: instrument.global_weight(n) for n in instrument.numbers} == {
        n: Decimal(w) for n, w in GLOBAL_WEIGHTS.items()
    }
    assert sum(instrument.global_weight(n) for n in instrument.numbers) == 100
    ind18 = instrument.indicator(18)
    assert ind18.code == "18.c.K" and ind18.scoring == "checklist"
    assert ind18.count_to_level == ((1, 1), (4, 2), (7, 3), (10, 4), (13, 5))
    assert instrument.indicator(3).rule == "publication_media"
    assert instrument.indicator(7).items == "open_list_of_media"
    assert instrument.indicator(10).gate == "Adopted service-hours policy"
    assert instrument.supplementary[0]["weight"] == 0
    assert [item.number for item in instrument.f03_items][11:13] == [12, 14]
    assert instrument.principles["K"] is None
    assert [(b.grade, b.minimum, b.maximum) for b in instrument.bands][:2] == [
        ("A", Decimal("4.51"), Decimal("5.00")),
        ("A-", Decimal("4.01"), Decimal("4.50")),
    ]
    assert instrument.band_for(Decimal("4.00")).predicate == "Baik"


def test_the_2017_instrument_holds_aspects_and_the_same_bands():
    old = load_instrument(INSTRUMENT_2017)
    new = load_instrument(INSTRUMENT_2023)
    assert [(a.code, a.weight) for a in old.aspects] == [
        ("I", 30), ("II", 18), ("III", 15), ("IV", 15), ("V", 15), ("VI", 7),
    ]  # fmt: skip
    assert old.indicators == ()
    assert old.bands == new.bands


def test_every_named_rule_has_a_computation():
    assert set(RULE_NAMES) == set(RULES)


def _problems(data):
    return [str(problem) for problem in validate(data)]


def test_weights_must_sum_to_100(data):
    broken = copy.deepcopy(data)
    broken["aspects"][0]["weight"] = 25
    broken["indicators"][1]["weight"] = 15
    assert _problems(broken) == [
        "aspects: bobot aspek berjumlah 101, harus 100",
        "indicators: bobot indikator aspek I berjumlah 101, harus 100",
    ]


def test_codes_numbers_levels_and_rules_are_checked_by_path(data):
    broken = copy.deepcopy(data)
    broken["indicators"][3]["code"] = "4.a.Ak"
    broken["indicators"][4]["number"] = 4
    broken["indicators"][5]["levels"] = broken["indicators"][5]["levels"][:5]
    broken["indicators"][2]["rule"] = "magic"
    broken["indicators"][17]["count_to_level"] = [[1, 1], [4, 2], [4, 3], [10, 4], [13, 5]]
    problems = _problems(broken)
    assert (
        "indicators[2].rule: teks 'magic' tidak dikenal; pilih " + ", ".join(RULE_NAMES) in problems
    )
    assert "indicators[3].code: kode '4.a.Ak' harus '4.a.K'" in problems
    assert "indicators[5].levels: harus 6 teks tingkat (0–5), bukan 5" in problems
    assert "indicators[17].count_to_level[2]: jumlah dan tingkat harus naik tegas" in problems
    assert "indicators[4].number: nomor 4 dipakai dua kali" in problems


def test_bands_must_be_contiguous_from_0_to_5(data):
    broken = copy.deepcopy(data)
    broken["bands"][2]["max"] = "3.99"
    broken["bands"][8]["min"] = "0.01"
    assert _problems(broken) == [
        "bands[2].max: 3.99 harus tepat 0.01 di bawah min bands[1] (4.01); urutkan dari mutu "
        "tertinggi",
        "bands[8].min: 0.01 harus 0.00",
    ]


def test_a_float_or_unknown_key_is_refused(data):
    broken = copy.deepcopy(data)
    broken["bands"][0]["min"] = 4.51
    broken["aspects"][0]["no"] = 1
    broken["supplementary"][0]["weight"] = 1
    assert _problems(broken) == [
        "aspects[0].no: kunci 'no' tidak dikenal; yang dikenal: code, letter, name, weight",
        "supplementary[0].weight: pertanyaan tambahan tidak berbobot: harus 0, bukan 1",
        "bands[0].min: harus angka desimal dalam tanda kutip, bukan 4.51",
    ]


def test_load_raises_with_every_problem(tmp_path):
    text = INSTRUMENT_2023.read_text().replace("weight: 24}", "weight: 20}")
    with pytest.raises(PekpppInstrumentError) as caught:
        load_instrument(text)
    assert "instrumen PEKPPP tidak sah (1 masalah)" in str(caught.value)
    assert "aspects: bobot aspek berjumlah 96, harus 100" in str(caught.value)
