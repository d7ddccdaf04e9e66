"""The result layout of skm.md §10 and its text for people."""

from __future__ import annotations

import json

from prima.skm.domain.index import Counters, compute, tally
from prima.skm.enums import WeightRule
from prima.skm.interfaces.result import (
    baik_explanation,
    result_document,
    result_text,
    rule_difference,
    sample_text,
)
from tests.skm.spec import EXAMPLE_1, EXAMPLE_2, SKM_2017, distribution, uniform

# skm.md §10, verbatim.
SECTION_10 = """{
  "unit": "UPP-3578-DISDUKCAPIL", "survey": 4812, "instrument": "skm-2017", "period": "2025-Q2",
  "status": "CALCULATED",
  "respondents": 12,
  "answers": {"U1": 12, "U2": 12, "U3": 12, "U4": 12, "U5": 12, "U6": 12, "U7": 12, "U8": 12, "U9": 12},
  "nrr": {"U1": "3.3333", "U2": "3.2500", "U3": "3.0000", "U4": "3.8333", "U5": "3.4167",
          "U6": "3.5000", "U7": "3.5833", "U8": "2.8333", "U9": "3.1667"},
  "ikm": "3.3208",
  "ikm_converted": "83.02",
  "grade": "B",
  "performance": "Baik",
  "weight_rule": "printed",
  "alternative": {"weight_rule": "exact", "ikm": "3.3241", "ikm_converted": "83.10", "grade": "B"},
  "sample_target": 169,
  "sample_adequate": false,
  "warnings": ["sample_below_target"]
}"""  # noqa: E501


def example_1(**options):
    return compute(Counters(12, distribution(EXAMPLE_1)), SKM_2017, **options)


def test_the_document_is_the_layout_of_section_10():
    document = result_document(
        example_1(population=300), unit="UPP-3578-DISDUKCAPIL", survey=4812, period="2025-Q2"
    )
    assert document == json.loads(SECTION_10)
    assert list(document) == list(json.loads(SECTION_10))


def test_an_incomplete_result_keeps_every_key():
    answers = [{**row, "U8": None} for row in uniform(SKM_2017, 3)]
    document = result_document(compute(tally(answers, SKM_2017), SKM_2017))
    assert list(document) == list(json.loads(SECTION_10))
    assert document["status"] == "INCOMPLETE"
    assert document["nrr"]["U8"] is None and document["answers"]["U8"] == 0
    assert [document[k] for k in ("ikm", "ikm_converted", "grade", "performance")] == [None] * 4
    assert document["alternative"] is None
    assert document["warnings"] == ["population_unknown", "incomplete_element"]


def test_the_rule_difference_is_spelled_as_the_spec_shows_it():
    result = compute(Counters(12, distribution(EXAMPLE_2)), SKM_2017)
    assert rule_difference(SKM_2017, result) == (
        "Mutu berbeda menurut aturan bobot: 0,111 → C (76,54); 1/9 → B (76,62)"
    )
    exact_first = compute(
        Counters(12, distribution(EXAMPLE_2)), SKM_2017, weight_rule=WeightRule.EXACT
    )
    assert rule_difference(SKM_2017, exact_first) == rule_difference(SKM_2017, result)
    assert rule_difference(SKM_2017, example_1()) is None


def test_mostly_baik_in_c_is_explained():
    result = compute(tally(uniform(SKM_2017, 3), SKM_2017), SKM_2017)
    assert baik_explanation(SKM_2017, result) == (
        "Mengapa C: skala memetakan jawaban 1 ke 25,00 dan 4 ke 100,00, sehingga jawaban 3 "
        "(«baik») bernilai tepat 75,00 (74,93 dengan bobot tercetak), di dalam rentang C "
        "(65,00–76,60, «Kurang Baik»). Mutu B dimulai pada 76,61: unit memerlukan sejumlah "
        "jawaban 4 («sangat baik») di samping jawaban 3."
    )
    # Example 2 is C under the printed rule and 3 is its most frequent answer.
    example_2 = compute(Counters(12, distribution(EXAMPLE_2)), SKM_2017)
    assert baik_explanation(SKM_2017, example_2) is not None
    # B: nothing to explain.
    assert baik_explanation(SKM_2017, example_1()) is None
    # C but mostly 2s: the explanation does not apply.
    twos = [dict.fromkeys(SKM_2017.element_codes, 2)] * 3 + uniform(SKM_2017, 4, 2)
    mostly_two = compute(tally(twos, SKM_2017), SKM_2017)
    assert mostly_two.result.grade == "C" and baik_explanation(SKM_2017, mostly_two) is None


def test_text_for_people():
    text = result_text(SKM_2017, example_1(population=300), population=300)
    for line in (
        "Hasil SKM — skm-2017: Survei Kepuasan Masyarakat (PermenPANRB 14/2017)",
        "Status: Dihitung",
        "Responden: 12",
        "  U4  Biaya/tarif",
        "IKM (1–4): 3,3208",
        "Nilai konversi IKM (25–100): 83,02",
        "Mutu pelayanan: B (kinerja unit: Baik)",
        "Aturan bobot: printed — bobot tercetak 0,111 per unsur",
        "Dengan aturan exact (1/9): IKM 3,3241 → 83,10 → B",
        "Target sampel: 169 (N = 300); belum tercukupi (12).",
        "  - sample_below_target: Jumlah responden di bawah target sampel",
    ):
        assert line in text


def test_text_names_the_element_nobody_answered():
    answers = [{**row, "U4": None} for row in uniform(SKM_2017, 3)]
    text = result_text(SKM_2017, compute(tally(answers, SKM_2017), SKM_2017))
    assert "Status: Tidak lengkap" in text
    assert "IKM tidak dihitung: unsur U4 (Biaya/tarif) tidak dijawab satu responden pun." in text
    assert "Target sampel: tidak diketahui (sebutkan populasi dengan --population N)." in text


def test_sample_text():
    assert sample_text(650) == (
        "Target sampel: 242 responden (N = 650; S = 241,67; Krejcie dan Morgan, X² = 3,841, "
        "P = 0,5, d = 0,05)."
    )
