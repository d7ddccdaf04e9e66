"""SKM instruments in instruments/ (skm.md §2, §3) and the problems the reader names."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from prima.skm.domain.instruments import SkmInstrumentError, load_instrument
from prima.skm.enums import WeightRule
from tests.skm.spec import ROOT, SKM_2004, SKM_2017

TEXT_2017 = (ROOT / "instruments" / "skm-2017.yaml").read_text(encoding="utf-8")


def bands(instrument):
    return [
        (b.grade, str(b.ni_min), str(b.ni_max), str(b.nik_min), str(b.nik_max), b.performance)
        for b in instrument.bands
    ]


def test_skm_2017_is_the_spec():
    assert SKM_2017.code == "skm-2017"
    assert SKM_2017.legal_basis == ("PermenPANRB 14/2017",)
    assert (SKM_2017.scale_min, SKM_2017.scale_max) == (1, 4)
    assert [(e.code, e.name) for e in SKM_2017.elements] == [
        ("U1", "Persyaratan"),
        ("U2", "Sistem, mekanisme, dan prosedur"),
        ("U3", "Waktu penyelesaian"),
        ("U4", "Biaya/tarif"),
        ("U5", "Produk spesifikasi jenis pelayanan"),
        ("U6", "Kompetensi pelaksana"),
        ("U7", "Perilaku pelaksana"),
        ("U8", "Penanganan pengaduan, saran dan masukan"),
        ("U9", "Sarana dan prasarana"),
    ]
    assert dict(SKM_2017.element("U4").answers) == {
        1: "Sangat mahal",
        2: "Cukup mahal",
        3: "Murah",
        4: "Gratis",
    }
    assert SKM_2017.element("U8").answers[2] == "Ada tetapi tidak berfungsi"
    assert all(e.question for e in SKM_2017.elements)
    assert SKM_2017.weight_rule == WeightRule.PRINTED
    assert SKM_2017.printed_weight == Decimal("0.111")
    assert SKM_2017.weight(WeightRule.PRINTED) == Fraction(111, 1000)
    assert SKM_2017.weight(WeightRule.EXACT) == Fraction(1, 9)
    assert SKM_2017.conversion_factor == 25
    assert bands(SKM_2017) == [
        ("A", "3.5324", "4.00", "88.31", "100.00", "Sangat Baik"),
        ("B", "3.0644", "3.532", "76.61", "88.30", "Baik"),
        ("C", "2.60", "3.064", "65.00", "76.60", "Kurang Baik"),
        ("D", "1.00", "2.5996", "25.00", "64.99", "Tidak Baik"),
    ]


def test_skm_2004_is_the_spec():
    assert SKM_2004.code == "skm-2004"
    assert SKM_2004.legal_basis == ("KEP/25/M.PAN/2/2004",)
    assert SKM_2004.element_codes == tuple(f"E{n:02d}" for n in range(1, 15))
    assert SKM_2004.element("E01").name == "Prosedur pelayanan"
    assert SKM_2004.element("E14").name == "Keamanan pelayanan"
    # Every element takes the scale's wording.
    assert {tuple(e.answers.values()) for e in SKM_2004.elements} == {
        ("Tidak baik", "Kurang baik", "Baik", "Sangat baik")
    }
    assert SKM_2004.printed_weight == Decimal("0.071")
    assert SKM_2004.weight(WeightRule.EXACT) == Fraction(1, 14)
    assert bands(SKM_2004) == [
        ("A", "3.26", "4.00", "81.26", "100.00", "Sangat Baik"),
        ("B", "2.51", "3.25", "62.51", "81.25", "Baik"),
        ("C", "1.76", "2.50", "43.76", "62.50", "Kurang Baik"),
        ("D", "1.00", "1.75", "25.00", "43.75", "Tidak Baik"),
    ]


def problems(text: str) -> list[str]:
    with pytest.raises(SkmInstrumentError) as caught:
        load_instrument(text)
    assert str(caught.value).startswith("instrumen SKM tidak sah")
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("programme: skm", "programme: kipp", "programme: harus 'skm', bukan teks 'kipp'"),
        ("weight_rule: printed ", "weight_rule: rata ", "weight_rule: teks 'rata' tidak dikenal"),
        (
            'printed_weight: "0.111"',
            'printed_weight: "0.112"',
            "printed_weight: 0.112 bukan 1/9 yang dibulatkan ke 3 desimal (0.111)",
        ),
        (
            'printed_weight: "0.111"',
            'printed_weight: "sebelas"',
            'printed_weight: harus angka desimal seperti "0.111"',
        ),
        ("conversion_factor: 25", "conversion_factor: 0", "conversion_factor: harus lebih besar"),
        ("  - code: U9", "  - code: U1", "elements[8].code: kode 'U1' dipakai dua kali"),
        ("  - code: U9", "  - code: u9", "elements[8].code: kode 'u9' harus huruf besar"),
        ('3: "Murah", ', "", "elements[3].answers.3: wajib diisi"),
        ('4: "Gratis"', '5: "Gratis"', "elements[3].answers.5: nilai jawaban 5 di luar skala 1–4"),
        (
            'nik_min: "76.61"',
            'nik_min: "76.62"',
            "bands[2].nik_max: 76.60 harus tepat 0.01 di bawah nik_min bands[1] (76.62)",
        ),
        (
            'nik_max: "100.00"',
            'nik_max: "99.00"',
            "bands[0].nik_max: 99.00 harus sama dengan nilai konversi tertinggi 100",
        ),
        ('nik_min: "25.00"', 'nik_min: "30.00"', "bands[3].nik_min: 30.00 harus sama dengan"),
        ("grade: D,", "grade: C,", "bands[3].grade: mutu 'C' dipakai dua kali"),
        ("grade_on: ikm_converted", "grade_on: ikm", "grade_on: hanya 'ikm_converted'"),
        ("scale: {min: 1, max: 4}", "scale: {min: 4, max: 1}", "scale.min: min 4 harus lebih"),
        ("code: skm-2017\n", "code: skm-2017\nversi: 1\n", "versi: kunci 'versi' tidak dikenal"),
        ("code: skm-2017\n", "code: skm-2017\ncode: skm-2018\n", "kunci 'code' dipakai dua kali"),
    ],
)
def test_each_problem_is_named_with_its_path(old, new, expected):
    assert old in TEXT_2017
    found = problems(TEXT_2017.replace(old, new, 1))
    assert any(expected in problem for problem in found), found


def test_every_problem_is_reported_at_once():
    text = TEXT_2017.replace("programme: skm", "programme: kipp").replace(
        'printed_weight: "0.111"', 'printed_weight: "0.2"'
    )
    text = text.replace("  - code: U9", "  - code: U8")
    found = problems(text)
    assert [p.split(":")[0] for p in found] == ["programme", "elements[8].code", "printed_weight"]


def test_missing_keys_and_answers_without_scale_labels():
    text = TEXT_2017.replace("bands:", "grades:", 1)
    assert "bands: wajib diisi" in problems(text)
    no_labels = (ROOT / "instruments" / "skm-2004.yaml").read_text(encoding="utf-8")
    no_labels = no_labels.replace(
        '  labels: {1: "Tidak baik", 2: "Kurang baik", 3: "Baik", 4: "Sangat baik"}\n', ""
    )
    assert "elements[0].answers: wajib diisi bila scale.labels tidak ada" in problems(no_labels)


def test_not_a_mapping_and_bad_yaml():
    assert problems("- a\n- b\n") == ["(akar): harus berupa pemetaan (kunci: nilai), bukan daftar"]
    assert problems("code: [\n")[0].startswith("(yaml): baris")
