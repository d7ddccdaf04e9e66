"""The inclusive-services instrument in instruments/ (inclusive.md §2, §4, §5) and the
problems the reader names by YAML path."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from prima.inclusive.domain.instruments import (
    InclusiveInstrumentError,
    load_instrument,
    validate,
)

ROOT = Path(__file__).resolve().parents[3]
PATH = ROOT / "instruments" / "inclusive-2024.yaml"
TEXT = PATH.read_text(encoding="utf-8")
INSTRUMENT = load_instrument(PATH)


def data():
    return yaml.safe_load(TEXT)


def problems(value):
    return [str(problem) for problem in validate(value)]


def test_instrument_is_the_spec():
    assert INSTRUMENT.code == "inclusive-2024"
    assert INSTRUMENT.origin == "prima-default"
    assert INSTRUMENT.legal_basis == ("UU 25/2009 art. 29", "Pedoman MenPANRB 7/2022")
    assert INSTRUMENT.group_codes == (
        "disability",
        "elderly",
        "pregnant",
        "children",
        "disaster_natural",
        "disaster_social",
        "nursing_mother",
    )
    assert INSTRUMENT.checklist_codes == tuple(f"VF{n:02d}" for n in range(1, 15))
    by_code = {item.code: item for item in INSTRUMENT.checklist}
    assert by_code["VF13"].groups == ("nursing_mother",)
    assert by_code["VF07"].groups == INSTRUMENT.group_codes  # "all"
    assert by_code["VF09"].groups == ("disability",)
    assert INSTRUMENT.ground_floor_item == "VF04"
    assert [(d.code, d.weight, d.scoring) for d in INSTRUMENT.dimensions] == [
        ("FAC", 30, "facilities_checklist"),
        ("PRO", 25, "count"),
        ("INF", 15, "count"),
        ("STF", 15, "count"),
        ("POL", 15, "count"),
    ]
    assert INSTRUMENT.dimension("FAC").items == ()
    for code in ("PRO", "INF", "STF", "POL"):
        assert INSTRUMENT.dimension(code).item_codes == tuple(f"{code}{n}" for n in range(1, 6))
    assert INSTRUMENT.weight("PRO") == Fraction(1, 4)
    assert [(b.label, str(b.min), str(b.max)) for b in INSTRUMENT.bands] == [
        ("Sangat Ramah", "4.51", "5.00"),
        ("Ramah", "3.51", "4.50"),
        ("Cukup Ramah", "2.51", "3.50"),
        ("Kurang Ramah", "1.51", "2.50"),
        ("Tidak Ramah", "0.00", "1.50"),
    ]
    assert INSTRUMENT.places == 2
    assert INSTRUMENT.vf04_na_counts_as_met is True
    assert INSTRUMENT.award_count == 10
    assert INSTRUMENT.role_model_band == "Sangat Ramah"


def test_checklist_levels_follow_section_4():
    levels = [INSTRUMENT.checklist_level(count) for count in range(15)]
    assert levels == [0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5]
    with pytest.raises(ValueError, match="15"):
        INSTRUMENT.checklist_level(15)


def test_band_edges():
    assert INSTRUMENT.band_for(Decimal("3.50")).label == "Cukup Ramah"
    assert INSTRUMENT.band_for(Decimal("3.51")).label == "Ramah"
    assert INSTRUMENT.band_for(Decimal("0.00")).label == "Tidak Ramah"
    assert INSTRUMENT.band_for(Decimal("5.00")).label == "Sangat Ramah"


def test_the_file_is_valid_data():
    assert problems(data()) == []


def test_every_problem_is_named_by_its_yaml_path():
    value = data()
    value["programme"] = "skm"
    value["groups"].append({"code": "disability", "name": "Penyandang disabilitas lagi"})
    value["checklist"]["items"][2]["groups"] = ["disability", "lansia"]
    value["checklist"]["items"][5]["code"] = "vf6"
    value["checklist"]["levels"][2]["min"] = 5
    value["checklist"]["ground_floor_item"] = "VF99"
    value["dimensions"][1]["weight"] = 20
    value["dimensions"][2]["scoring"] = "average"
    value["dimensions"][3]["items"].append({"code": "STF6", "name": "Keenam"})
    value["dimensions"][4]["items"][1]["code"] = "POL1"
    value["bands"][1]["max"] = "4.40"
    value["settings"]["role_model_band"] = "Paling Ramah"
    value["settings"]["extra"] = 1
    found = problems(value)
    assert found == [
        "programme: harus 'inclusive', bukan teks 'skm'",
        "groups[7].code: kode 'disability' dipakai dua kali",
        "checklist.items[2].groups[1]: kelompok teks 'lansia' tidak ada di groups; "
        "yang ada: children, disability, disaster_natural, disaster_social, elderly, "
        "nursing_mother, pregnant",
        "checklist.items[5].code: kode 'vf6' harus huruf besar dan angka, diawali huruf "
        "(mis. VF01)",
        "checklist.levels[2].min: harus 4 (tepat setelah max sebelumnya), bukan 5",
        "checklist.ground_floor_item: butir 'VF99' tidak ada di checklist.items",
        "dimensions[2].scoring: teks 'average' tidak dikenal; pilih facilities_checklist "
        "atau count",
        "dimensions[3].items: paling banyak 5 butir (level 0–5), bukan 6",
        "dimensions[4].items[1].code: kode 'POL1' dipakai dua kali",
        "dimensions: bobot berjumlah 95, harus 100",
        "bands[1].max: 4.40 harus tepat 0.01 di bawah min bands[0] (4.51); "
        "urutkan dari pita tertinggi",
        "settings.extra: kunci 'extra' tidak dikenal; yang dikenal: vf04_na_counts_as_met, "
        "award_count, role_model_band",
        "settings.role_model_band: pita 'Paling Ramah' tidak ada di bands; yang ada: "
        "Cukup Ramah, Kurang Ramah, Ramah, Sangat Ramah, Tidak Ramah",
    ]


def test_missing_keys_and_wrong_types_are_named():
    value = data()
    del value["bands"]
    value["dimensions"][0]["weight"] = "tiga puluh"
    value["checklist"]["levels"][-1]["max"] = 13
    value["settings"]["vf04_na_counts_as_met"] = "ya"
    value["rounding"]["mode"] = "half_even"
    assert problems(value) == [
        "bands: wajib diisi",
        "checklist.levels[5].max: harus 14 (jumlah butir), bukan 13",
        "dimensions[0].weight: harus angka desimal seperti \"4.51\", bukan teks 'tiga puluh'",
        "rounding.mode: hanya 'half_up' yang didukung, bukan teks 'half_even'",
        "settings.vf04_na_counts_as_met: harus true atau false, bukan teks 'ya'",
    ]


def test_band_coverage_and_root():
    value = data()
    value["bands"][0]["max"] = "4.90"
    value["bands"][-1]["min"] = "0.50"
    assert problems(value) == [
        "bands[0].max: 4.90 harus 5.00 (nilai tertinggi)",
        "bands[4].min: 0.50 harus 0.00 (nilai terendah)",
    ]
    assert problems([]) == ["(akar): harus berupa pemetaan (kunci: nilai), bukan daftar"]


def test_load_raises_with_every_problem():
    text = TEXT.replace("weight: 25", "weight: 35").replace("programme: inclusive", "programme: x")
    with pytest.raises(InclusiveInstrumentError) as caught:
        load_instrument(text)
    assert [str(p) for p in caught.value.problems] == [
        "programme: harus 'inclusive', bukan teks 'x'",
        "dimensions: bobot berjumlah 110, harus 100",
    ]
    assert "instrumen pelayanan ramah kelompok rentan tidak sah (2 masalah)" in str(caught.value)


def test_yaml_syntax_error_is_reported():
    with pytest.raises(InclusiveInstrumentError) as caught:
        load_instrument("code: [unclosed\n")
    assert caught.value.problems[0].path == "(yaml)"


def test_item_codes_are_unique_across_dimensions():
    value = data()
    value["dimensions"][2]["items"][4]["code"] = "PRO5"
    assert problems(value) == ["dimensions[2].items[4].code: kode 'PRO5' dipakai dua kali"]
