"""Instruments as data: the shipped YAML, every validation rule, hashing (kipp.md §6, §7, §13)."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from prima.evaluation.domain.instruments import (
    HIDDEN,
    InstrumentError,
    InstrumentProblem,
    build,
    content_hash,
    load_instrument,
    parse,
    to_data,
    validate,
)
from prima.evaluation.domain.scoring import weighted_total

INSTRUMENTS = Path(__file__).resolve().parents[3] / "instruments"
KIPP_2025 = INSTRUMENTS / "kipp-2025.yaml"  # kipp-default-v1 version 2 (named rubrics)
KIPP_2025_V1 = INSTRUMENTS / "kipp-2025-v1.yaml"  # version 1 (single rubric), kept for old data
KIPP_2021 = INSTRUMENTS / "kipp-2021.yaml"
# The content hash version 1 has always had: results scored with it record this value.
KIPP_2025_V1_HASH = "b628063244090577bc145e27a6b1488fb143fbe2a4f4d5113a958bd9ec172989"


@pytest.fixture
def data():
    """A fresh, editable copy of the 2025 data (version 2, named rubrics)."""
    return parse(KIPP_2025)


@pytest.fixture
def v1():
    """A fresh, editable copy of version 1 (the single ``rubric`` form)."""
    return parse(KIPP_2025_V1)


def problems(data):
    return [str(problem) for problem in validate(data)]


def section(data, code):
    return next(s for s in data["sections"] if s["code"] == code)


# --------------------------------------------------------------------------- shipped files


def test_2025_instrument_has_the_weights_of_7_1():
    instrument = load_instrument(KIPP_2025)
    assert (instrument.code, instrument.version, instrument.programme) == (
        "kipp-default-v1",
        2,
        "kipp",
    )
    assert [g.code for g in instrument.groups] == ["umum", "replikasi"]
    assert instrument.section("signifikansi").weight("umum") == Decimal(30)
    assert instrument.section("faktor_pembeda").weight("replikasi") == Decimal(10)
    assert instrument.section("kebaruan").weight("replikasi") is None
    assert not instrument.section("kebaruan").visible_to("replikasi")
    assert instrument.section("inspirasi").weight("umum") is None
    assert instrument.section("ringkasan").weight("umum") == 0
    assert instrument.section("keberlanjutan").max_words == 500
    assert instrument.section("latar_belakang").label == "Latar Belakang dan Tujuan"
    for group in ("umum", "replikasi"):
        assert sum(instrument.weights(group).values()) == Decimal(100)
    assert "kebaruan" not in instrument.weights("replikasi")
    assert "ringkasan" in instrument.weights("replikasi")  # shown, scored, weight 0


def test_2025_scale_rubric_bands_and_rounding():
    instrument = load_instrument(KIPP_2025)
    assert (instrument.scale.type, instrument.scale.min, instrument.scale.max) == (
        "integer",
        0,
        100,
    )
    assert [(lv.min, lv.max) for lv in instrument.scale.levels] == [
        (0, 20),
        (21, 40),
        (41, 60),
        (61, 80),
        (81, 100),
    ]
    presentation = instrument.rubric_for("presentation")
    assert presentation is not None
    assert presentation.weights() == {
        "penyampaian": 30,
        "substansi": 50,
        "video": 10,
        "kehadiran_pimpinan": 10,
    }
    # Passing grade 85 on 0–100 (§10.5): 84.99 fails, 85 and 100 pass.
    assert instrument.band_for(Decimal("84.99")).code == "tidak_lulus"
    assert instrument.band_for(Decimal(85)).code == "lulus"
    assert instrument.band_for(Decimal(100)).code == "lulus"
    assert instrument.band_for(Decimal(101)) is None
    assert instrument.rounding.apply(Decimal("84.995")) == Decimal("85.00")


def test_2025_feasibility_rubric_of_6_1():
    # §6.1 panel_assessment (kind: feasibility), Prima default weights; §13 2025 mode.
    instrument = load_instrument(KIPP_2025)
    feasibility = instrument.rubric_for("feasibility")
    assert feasibility is not None
    assert feasibility.title == "Rubrik penilaian kelayakan"
    assert [(i.code, i.label, i.weight) for i in feasibility.items] == [
        ("dampak", "Dampak", 40),
        ("daya_tular", "Daya tular", 30),
        ("kesiapan_perluasan_nasional", "Kesiapan perluasan nasional", 20),
        ("keberlanjutan", "Keberlanjutan", 10),
    ]
    assert instrument.rubric_names() == ("presentation", "feasibility")
    assert instrument.rubric is None  # named form: no single rubric
    assert instrument.rubric_for("field_visit") is None


def test_version_1_stays_loadable_with_its_old_hash():
    # Data scored with version 1 records this hash; the file must never change it.
    old = load_instrument(KIPP_2025_V1)
    assert (old.code, old.version) == ("kipp-default-v1", 1)
    assert content_hash(old) == KIPP_2025_V1_HASH
    assert old.rubrics == {}
    assert old.rubric is not None
    # The single rubric answers to "presentation"; version 1 has no feasibility rubric.
    assert old.rubric_for("presentation") == old.rubric
    assert old.rubric_for("feasibility") is None
    assert old.rubric_names() == ("presentation",)


def test_version_2_changes_only_the_rubrics():
    old, new = load_instrument(KIPP_2025_V1), load_instrument(KIPP_2025)
    assert new.code == old.code and new.version == old.version + 1
    assert (new.scale, new.groups, new.sections, new.bands, new.rounding) == (
        old.scale,
        old.groups,
        old.sections,
        old.bands,
        old.rounding,
    )
    assert new.rubric_for("presentation") == old.rubric
    assert content_hash(new) != content_hash(old)


def test_2021_instrument_has_the_weights_of_7_2():
    instrument = load_instrument(KIPP_2021)
    assert instrument.code == "kipp-2021-v1"
    assert [g.code for g in instrument.groups] == ["umum", "replikasi", "khusus"]
    assert instrument.section("ide_inovatif").weight("umum") == 20
    assert instrument.section("ide_inovatif").weight("replikasi") is None
    assert instrument.section("proses_replikasi").weight("replikasi") == 10
    assert instrument.section("inspirasi").weight("replikasi") == 0
    assert instrument.section("adaptabilitas").max_words == 400
    assert instrument.weights("khusus") == {
        "ringkasan": 0,
        "pembaruan": 30,
        "adaptabilitas_sejak_penghargaan": 20,
        "penguatan_keberlanjutan": 30,
        "evaluasi": 20,
    }
    assert instrument.bands == ()
    assert instrument.rubric is not None
    assert instrument.rubric.weights()["substansi"] == 50
    assert instrument.rubric_for("presentation") == instrument.rubric
    assert instrument.rubric_for("feasibility") is None


def test_weights_feed_the_scoring_module():
    instrument = load_instrument(KIPP_2025)
    weights = instrument.weights("umum")
    scores = dict.fromkeys(weights, 80)
    assert weighted_total(scores, weights) == Decimal(80)


def test_r5_variant_is_expressible_and_valid(data):
    # §7.1 kipp-default-v1-r5: Ringkasan 5, every other weight × 0.95, exactly 100 in Decimal.
    data["code"] = "kipp-default-v1-r5"
    for entry in data["sections"]:
        for group, weight in entry["weights"].items():
            if weight == HIDDEN:
                continue
            entry["weights"][group] = (
                Decimal(5) if entry["code"] == "ringkasan" else weight * Decimal("0.95")
            )
    assert validate(data) == []
    instrument = build(data)
    assert instrument.weights("umum") == {
        "ringkasan": Decimal(5),
        "latar_belakang": Decimal("9.5"),
        "kebaruan": Decimal("14.25"),
        "implementasi": Decimal("4.75"),
        "signifikansi": Decimal("28.5"),
        "adaptabilitas": Decimal(19),
        "sumber_daya": Decimal("4.75"),
        "keberlanjutan": Decimal("14.25"),
    }
    for group in ("umum", "replikasi"):
        assert sum(instrument.weights(group).values()) == Decimal(100)


def test_fractional_weights_in_yaml_are_exact_decimals():
    text = KIPP_2025.read_text(encoding="utf-8")
    data = parse(
        text.replace("weights: {umum: 10, replikasi: 10}", "weights: {umum: 9.5, replikasi: 10}")
    )
    assert section(data, "latar_belakang")["weights"]["umum"] == Decimal("9.5")
    assert problems(data) == ["groups.umum: bobot bagian yang tampil berjumlah 99.5, harus 100"]


def test_floats_from_other_sources_are_read_through_their_repr(data):
    # 0.1 + 0.2 != 0.3 in binary floats; through repr the sum is exact.
    section(data, "latar_belakang")["weights"]["umum"] = 0.1
    section(data, "kebaruan")["weights"]["umum"] = 0.2
    section(data, "implementasi")["weights"]["umum"] = 29.7
    assert problems(data) == []


# --------------------------------------------------------------------------- rules, one by one


def test_group_weights_must_sum_to_100(data):
    section(data, "signifikansi")["weights"]["umum"] = 25
    assert problems(data) == ["groups.umum: bobot bagian yang tampil berjumlah 95, harus 100"]


def test_hidden_weights_do_not_count(data):
    # Showing kebaruan (15) to replikasi breaks its total.
    section(data, "kebaruan")["weights"]["replikasi"] = 15
    assert problems(data) == ["groups.replikasi: bobot bagian yang tampil berjumlah 115, harus 100"]


def test_section_codes_are_unique(data):
    data["sections"][3]["code"] = "signifikansi"
    assert problems(data) == ["sections[4].code: kode 'signifikansi' dipakai dua kali"]


def test_group_codes_are_unique(data):
    data["groups"].append({"code": "umum", "label": "Lagi"})
    assert "groups[2].code: kode 'umum' dipakai dua kali" in problems(data)


def test_rubric_codes_are_unique(v1):
    v1["rubric"]["items"][2]["code"] = "substansi"
    assert problems(v1) == ["rubric.items[2].code: kode 'substansi' dipakai dua kali"]


def test_named_rubric_codes_are_unique(data):
    data["rubrics"]["feasibility"]["items"][3]["code"] = "dampak"
    assert problems(data) == ["rubrics.feasibility.items[3].code: kode 'dampak' dipakai dua kali"]


def test_band_codes_are_unique(data):
    data["bands"][1]["code"] = "tidak_lulus"
    assert problems(data) == ["bands[1].code: kode 'tidak_lulus' dipakai dua kali"]


def test_level_codes_are_unique(data):
    data["scale"]["levels"][4]["code"] = "baik"
    assert problems(data) == ["scale.levels[4].code: kode 'baik' dipakai dua kali"]


def test_codes_have_a_fixed_alphabet(data):
    data["sections"][0]["code"] = "Ringkasan Singkat"
    assert problems(data) == [
        "sections[0].code: kode 'Ringkasan Singkat' harus huruf kecil, angka dan garis bawah, "
        "diawali huruf"
    ]


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("tinggi", "bobot harus angka ≥ 0 atau 'hidden', bukan 'tinggi'"),
        (-5, "bobot -5 tidak boleh negatif"),
        (True, "harus angka, bukan True"),
        (None, "harus angka, bukan None"),
        (float("nan"), "harus angka terhingga, bukan nan"),
    ],
)
def test_weights_are_numbers_at_least_zero_or_hidden(data, weight, message):
    section(data, "signifikansi")["weights"]["umum"] = weight
    # The broken weight is reported once; the group total is not reported on top of it.
    assert problems(data) == [f"sections[4].weights.umum: {message}"]


def test_every_section_names_every_group(data):
    del section(data, "kebaruan")["weights"]["replikasi"]
    assert problems(data) == ["sections[2].weights: kelompok 'replikasi' tidak disebut"]


def test_sections_name_only_known_groups(data):
    section(data, "ringkasan")["weights"]["khusus"] = 0
    assert problems(data) == ["sections[0].weights.khusus: kelompok 'khusus' tidak ada di groups"]


def test_rubric_weights_sum_to_100(v1):
    v1["rubric"]["items"][0]["weight"] = 20
    assert problems(v1) == ["rubric.items: bobot berjumlah 90, harus 100"]


def test_each_named_rubric_sums_to_100(data):
    data["rubrics"]["feasibility"]["items"][0]["weight"] = 45
    data["rubrics"]["presentation"]["items"][1]["weight"] = Decimal("49.5")
    assert problems(data) == [
        "rubrics.presentation.items: bobot berjumlah 99.5, harus 100",
        "rubrics.feasibility.items: bobot berjumlah 105, harus 100",
    ]


def test_named_rubric_items_are_checked_like_the_single_rubric(data):
    item = data["rubrics"]["feasibility"]["items"][1]
    item["weight"] = -30
    item["label"] = ""
    item["skor"] = 1
    data["rubrics"]["feasibility"]["judul"] = "x"
    assert problems(data) == [
        "rubrics.feasibility.judul: kunci 'judul' tidak dikenal; yang dikenal: items, title",
        "rubrics.feasibility.items[1].skor: kunci 'skor' tidak dikenal; yang dikenal: code, "
        "label, weight, description",
        "rubrics.feasibility.items[1].label: harus teks yang tidak kosong, bukan ''",
        "rubrics.feasibility.items[1].weight: bobot -30 tidak boleh negatif",
    ]


def test_rubric_names_are_codes(data):
    data["rubrics"]["Kelayakan 2025"] = data["rubrics"].pop("feasibility")
    assert problems(data) == [
        "rubrics.Kelayakan 2025: nama rubrik 'Kelayakan 2025' harus huruf kecil, angka dan "
        "garis bawah, diawali huruf"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({}, "rubrics: pemetaan tidak boleh kosong"),
        ([], "rubrics: harus berupa pemetaan (kunci: nilai), bukan daftar"),
        (
            {"feasibility": None},
            "rubrics.feasibility: harus berupa pemetaan (kunci: nilai), bukan kosong",
        ),
        ({"feasibility": {"title": "Kelayakan"}}, "rubrics.feasibility.items: wajib diisi"),
    ],
)
def test_rubrics_must_be_a_non_empty_mapping_of_rubrics(data, value, message):
    data["rubrics"] = value
    assert problems(data) == [message]


def test_single_and_named_rubrics_are_not_mixed(data, v1):
    data["rubric"] = v1["rubric"]
    assert problems(data) == ["rubrics: pakai «rubric» atau «rubrics», tidak keduanya"]


def test_bands_must_not_overlap(data):
    data["bands"] = [
        {"code": "kurang", "label": "Kurang", "min": 0, "max": 70},
        {"code": "cukup", "label": "Cukup", "min": 70, "max": 85},
        {"code": "baik", "label": "Baik", "min": 80, "max": 100},
    ]
    assert problems(data) == ["bands: rentang 70–85 dan 80–100 tumpang tindih"]


def test_bands_must_not_leave_a_gap(data):
    data["bands"] = [
        {"code": "kurang", "label": "Kurang", "min": 0, "max": 60},
        {"code": "baik", "label": "Baik", "min": 61, "max": 100},
    ]
    assert problems(data) == ["bands: celah antara 60 dan 61"]


def test_bands_must_be_ordered(data):
    data["bands"].reverse()
    assert problems(data) == ["bands: harus urut naik: 85–100 tercantum sebelum 0–85"]


def test_bands_must_cover_the_scale(data):
    data["bands"][0]["min"] = 10
    data["bands"][1]["max"] = 95
    assert problems(data) == [
        "bands: rentang pertama mulai di 10, harus 0",
        "bands: rentang terakhir berakhir di 95, harus 100",
    ]


def test_bands_stay_inside_the_scale(data):
    data["bands"][1]["max"] = 110
    assert problems(data) == [
        "bands[1]: rentang 85–110 di luar skala 0–100",
        "bands: rentang terakhir berakhir di 110, harus 100",
    ]


def test_band_min_below_max(data):
    data["bands"][1]["min"] = 100
    assert problems(data)[0] == "bands[1].min: min 100 harus lebih kecil dari max 100"


def test_levels_are_contiguous_integer_ranges(data):
    data["scale"]["levels"][1]["min"] = 22  # 21 belongs to no level
    data["scale"]["levels"][3]["min"] = 60  # 60 belongs to two levels
    assert problems(data) == [
        "scale.levels: celah antara 20 dan 22",
        "scale.levels: rentang 41–60 dan 60–80 tumpang tindih",
    ]


def test_scale_min_below_max(data):
    data["scale"]["min"] = 100
    data["scale"]["max"] = 0
    assert problems(data)[0] == "scale.min: min 100 harus lebih kecil dari max 0"


def test_integer_scale_has_integer_bounds(data):
    data["scale"]["max"] = Decimal("99.5")
    assert problems(data)[0] == "scale.max: skala bulat perlu batas bulat, bukan 99.5"


def test_rounding_mode_must_be_known(data):
    data["rounding"]["mode"] = "bankers"
    assert problems(data) == [
        "rounding.mode: 'bankers' tidak dikenal; pilih half_up atau half_even"
    ]


def test_required_keys_and_types(data):
    del data["title"]
    data["version"] = "1"
    data["sections"][0]["max_words"] = -1
    data["groups"][0]["label"] = ""
    data["weigths"] = {}
    assert problems(data) == [
        "weigths: kunci 'weigths' tidak dikenal; yang dikenal: code, version, programme, "
        "title, rounding, scale, groups, sections, rubric, rubrics, bands, level_rules",
        "title: wajib diisi",
        "version: harus bilangan bulat, bukan '1'",
        "groups[0].label: harus teks yang tidak kosong, bukan ''",
        "sections[0].max_words: harus ≥ 0, bukan -1",
    ]


def test_root_must_be_a_mapping():
    assert validate([1, 2]) == [
        InstrumentProblem("(akar)", "harus berupa pemetaan (kunci: nilai), bukan daftar")
    ]


def test_empty_lists_are_refused(data):
    data["sections"] = []
    assert "sections: daftar tidak boleh kosong" in problems(data)


# --------------------------------------------------------------------------- all at once


def test_all_problems_are_reported_at_once(data):
    data["rounding"]["mode"] = "bankers"
    data["sections"][4]["code"] = "kebaruan"
    section(data, "latar_belakang")["weights"]["umum"] = 5
    data["rubrics"]["feasibility"]["items"][0]["weight"] = 30
    data["bands"][0]["max"] = 80
    expected = [
        "rounding.mode: 'bankers' tidak dikenal; pilih half_up atau half_even",
        "sections[4].code: kode 'kebaruan' dipakai dua kali",
        "groups.umum: bobot bagian yang tampil berjumlah 95, harus 100",
        "rubrics.feasibility.items: bobot berjumlah 90, harus 100",
        "bands: celah antara 80 dan 85",
    ]
    assert problems(data) == expected
    with pytest.raises(InstrumentError) as caught:
        load_instrument(yaml.safe_dump(_plain(data), allow_unicode=True, sort_keys=False))
    assert [str(p) for p in caught.value.problems] == expected
    message = str(caught.value)
    assert message.startswith("instrumen tidak sah (5 masalah):")
    for line in expected:
        assert f"- {line}" in message


def test_yaml_syntax_errors_and_duplicate_keys_are_problems():
    with pytest.raises(InstrumentError) as caught:
        load_instrument("code: a\ncode: b\n")
    assert (
        str(caught.value.problems[0]) == "(yaml): baris 2, kolom 1: kunci 'code' dipakai dua kali"
    )
    with pytest.raises(InstrumentError) as caught:
        load_instrument("code: [a\n")
    assert caught.value.problems[0].path == "(yaml)"
    assert "baris" in caught.value.problems[0].message


# --------------------------------------------------------------------------- hashing


def _plain(value):
    """Decimal → int/str so that yaml.safe_dump can write the data back."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _reverse_keys(value):
    if isinstance(value, dict):
        return {k: _reverse_keys(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reverse_keys(v) for v in value]
    return value


def test_content_hash_is_stable_across_key_order_and_number_spelling():
    original = load_instrument(KIPP_2025)
    reordered_text = yaml.safe_dump(
        _reverse_keys(_plain(parse(KIPP_2025))), allow_unicode=True, sort_keys=False
    )
    assert reordered_text.index("bands") < reordered_text.index("code:")
    reordered = load_instrument(reordered_text)
    assert reordered == original
    assert content_hash(reordered) == content_hash(original)
    respelled = load_instrument(
        KIPP_2025.read_text(encoding="utf-8").replace("umum: 30,", "umum: 30.00,")
    )
    assert content_hash(respelled) == content_hash(original)
    assert len(content_hash(original)) == 64


def test_content_hash_changes_with_a_weight(data):
    original = content_hash(build(data))
    section(data, "signifikansi")["weights"]["umum"] = 25
    section(data, "sumber_daya")["weights"]["umum"] = 10
    assert validate(data) == []
    assert content_hash(build(data)) != original


def test_content_hash_changes_with_a_feasibility_weight(data):
    original = content_hash(build(data))
    items = data["rubrics"]["feasibility"]["items"]
    items[0]["weight"], items[1]["weight"] = 30, 40
    assert validate(data) == []
    assert content_hash(build(data)) != original


@pytest.mark.parametrize("source", [KIPP_2025, KIPP_2025_V1, KIPP_2021])
def test_plain_data_round_trips_to_the_same_instrument_and_hash(source):
    # The catalogue stores to_data() and rebuilds from it: both rubric forms survive.
    instrument = load_instrument(source)
    data = to_data(instrument)
    assert ("rubrics" in data) == bool(instrument.rubrics)
    assert ("rubric" in data) == (instrument.rubric is not None)
    assert validate(data) == []
    rebuilt = build(data)
    assert rebuilt == instrument
    assert content_hash(rebuilt) == content_hash(instrument)


def test_editions_hash_differently():
    assert content_hash(load_instrument(KIPP_2025)) != content_hash(load_instrument(KIPP_2021))


def test_instrument_is_immutable():
    instrument = load_instrument(KIPP_2025)
    with pytest.raises(AttributeError):
        instrument.code = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        instrument.section("ringkasan").weights["umum"] = Decimal(5)  # type: ignore[index]


def test_parse_does_not_share_state(data):
    copy_ = copy.deepcopy(data)
    section(data, "ringkasan")["weights"]["umum"] = 1
    assert parse(KIPP_2025) == copy_
