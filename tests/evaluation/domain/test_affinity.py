from __future__ import annotations

import itertools
import random
import re

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer, strip_accents_unicode

from prima.evaluation.domain.affinity import (
    STOP_WORDS,
    Weights,
    _fit,
    expertise_affinity,
    similar_texts,
)

HEALTH = "Puskesmas keliling layanan imunisasi balita"
HEALTH_EXPERT = "kesehatan masyarakat, imunisasi, puskesmas"
PERMIT_EXPERT = "perizinan, investasi, tata ruang"

PROPOSAL = (
    "Sistem antrean daring Puskesmas Sehat Sentosa. Inovasi ini memangkas waktu tunggu "
    "pasien rawat jalan dari dua jam menjadi dua puluh menit melalui pendaftaran lewat "
    "WhatsApp, papan antrean digital di ruang tunggu, dan pengingat jadwal kontrol untuk "
    "pasien penyakit kronis. Kader posyandu membantu warga lanjut usia mendaftar."
)
EDITED_COPY = (
    "Sistem antrean online Puskesmas Sehat Sentosa. Inovasi tersebut memangkas waktu tunggu "
    "pasien rawat jalan dari dua jam menjadi lima belas menit melalui pendaftaran lewat "
    "WhatsApp, papan antrean digital di ruang tunggu, serta pengingat jadwal kontrol bagi "
    "pasien penyakit kronis. Kader posyandu membantu warga lansia mendaftar."
)
UNRELATED = (
    "Mal Pelayanan Publik terpadu menyatukan perizinan berusaha, investasi, dan tata ruang "
    "dalam satu gedung; pelaku usaha mengurus izin bangunan dan sertifikat tanah sekaligus."
)


def test_health_proposal_prefers_health_expert() -> None:
    result = expertise_affinity({"s": HEALTH}, {"health": HEALTH_EXPERT, "permit": PERMIT_EXPERT})
    assert result[("s", "health")] > result[("s", "permit")]
    assert result[("s", "health")] > 0.2
    assert result[("s", "permit")] < 0.1


def test_stop_words_alone_give_zero() -> None:
    stop_text = "yang dan di ke dari untuk dengan pada dalam ini itu atau oleh"
    required = "yang dan di ke dari untuk dengan pada dalam ini itu atau oleh sebagai adalah"
    assert set(required.split()) | {"kami", "kita", "secara", "karena"} <= STOP_WORDS
    assert len(STOP_WORDS) >= 50
    result = expertise_affinity(
        {"stop": stop_text, "health": HEALTH},
        {"a": HEALTH_EXPERT, "b": "Yang, DAN, di — untuk"},
    )
    assert result[("stop", "a")] == pytest.approx(0.0, abs=1e-9)
    assert result[("stop", "b")] == 0.0
    assert result[("health", "b")] == 0.0


def test_all_stop_words_or_empty_everywhere_gives_zero() -> None:
    result = expertise_affinity({"s": "", "t": "yang dan"}, {"a": "di ke", "b": ""})
    assert len(result) == 4
    assert set(result.values()) == {0.0}
    assert similar_texts({"a": "", "b": "", "c": "yang"}) == []


def test_scores_in_unit_interval_and_same_text_scores_one() -> None:
    subjects = {"s1": HEALTH, "s2": PROPOSAL, "s3": UNRELATED, "s4": ""}
    assessors = {"a1": HEALTH, "a2": HEALTH_EXPERT, "a3": PERMIT_EXPERT, "a4": UNRELATED}
    result = expertise_affinity(subjects, assessors)
    assert len(result) == 16
    assert all(0.0 <= value <= 1.0 for value in result.values())
    assert all(round(value, 6) == value for value in result.values())
    assert result[("s1", "a1")] == pytest.approx(1.0, abs=1e-6)
    assert result[("s3", "a4")] == pytest.approx(1.0, abs=1e-6)
    assert all(result[("s4", a)] == 0.0 for a in assessors)


def test_case_and_accents_do_not_matter() -> None:
    result = expertise_affinity({"s": "PUSKESMAS Imunisasi"}, {"a": "puskésmas imunisasí"})
    assert result[("s", "a")] == pytest.approx(1.0, abs=1e-6)


def test_symmetric_when_roles_are_swapped() -> None:
    texts = {"x": HEALTH, "y": HEALTH_EXPERT, "z": PERMIT_EXPERT}
    forward = expertise_affinity({"x": texts["x"]}, {"y": texts["y"], "z": texts["z"]})
    backward = expertise_affinity({"y": texts["y"], "z": texts["z"]}, {"x": texts["x"]})
    for other in ("y", "z"):
        assert forward[("x", other)] == pytest.approx(backward[(other, "x")], abs=1e-6)


def test_independent_of_input_order() -> None:
    subjects = {"s1": HEALTH, "s2": PROPOSAL, "s3": UNRELATED}
    assessors = {"a1": HEALTH_EXPERT, "a2": PERMIT_EXPERT, "a3": "pendidikan, sekolah"}
    reordered = expertise_affinity(
        dict(reversed(subjects.items())), dict(reversed(assessors.items())), top_k=2
    )
    assert reordered == expertise_affinity(subjects, assessors, top_k=2)


def test_top_k_keeps_exactly_k_best_per_subject() -> None:
    subjects = {"s1": HEALTH, "s2": UNRELATED, "s3": PROPOSAL, "s4": ""}
    assessors = {
        "a1": HEALTH_EXPERT,
        "a2": PERMIT_EXPERT,
        "a3": "pendidikan, sekolah dasar",
        "a4": "pelayanan kesehatan, antrean daring",
        "a5": "pertanian, irigasi",
    }
    full = expertise_affinity(subjects, assessors)
    kept = expertise_affinity(subjects, assessors, top_k=2)
    for subject in subjects:
        pairs = {a: v for (s, a), v in kept.items() if s == subject}
        assert len(pairs) == 2
        others = [full[(subject, a)] for a in assessors if a not in pairs]
        assert min(pairs.values()) >= max(others)
        assert all(full[(subject, a)] == v for a, v in pairs.items())
    # Ties (all zero for the empty text) go to the smallest ids.
    assert {a for (s, a) in kept if s == "s4"} == {"a1", "a2"}
    # k at least the number of assessors keeps everything.
    assert expertise_affinity(subjects, assessors, top_k=9) == full


def test_min_score_drops_weak_pairs() -> None:
    result = expertise_affinity(
        {"s": HEALTH}, {"health": HEALTH_EXPERT, "permit": PERMIT_EXPERT}, min_score=0.1
    )
    assert set(result) == {("s", "health")}


def test_weights_select_the_model() -> None:
    subjects = {"s": "layanan imunisasi"}
    assessors = {"a": "pelayanan diimunisasi"}
    word_only = expertise_affinity(subjects, assessors, weights=Weights(word=1, char=0))
    char_only = expertise_affinity(subjects, assessors, weights=Weights(word=0, char=1))
    mixed = expertise_affinity(subjects, assessors)
    assert word_only[("s", "a")] == 0.0
    assert char_only[("s", "a")] > 0.3
    assert mixed[("s", "a")] == pytest.approx(char_only[("s", "a")] / 2, abs=2e-6)


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError, match="top_k"):
        expertise_affinity({"s": HEALTH}, {"a": HEALTH}, top_k=0)
    with pytest.raises(ValueError, match="min_score"):
        expertise_affinity({"s": HEALTH}, {"a": HEALTH}, min_score=1.5)
    with pytest.raises(ValueError, match="threshold"):
        similar_texts({"s": HEALTH}, threshold=-0.1)
    with pytest.raises(ValueError, match="weights"):
        Weights(word=0, char=0)
    with pytest.raises(ValueError, match=r"weights\.word"):
        Weights(word=-1)
    assert expertise_affinity({}, {"a": HEALTH}) == {}
    assert expertise_affinity({"s": HEALTH}, {}) == {}


def test_similar_texts_finds_edited_copy_only() -> None:
    texts = {"original": PROPOSAL, "copy": EDITED_COPY, "other": UNRELATED, "short": HEALTH}
    found = similar_texts(texts)
    assert len(found) == 1
    first, second, score = found[0]
    assert (first, second) == ("copy", "original")
    assert score > 0.8
    every = similar_texts(texts, threshold=0.0001)
    assert [s for _, _, s in every] == sorted((s for _, _, s in every), reverse=True)
    assert all(a < b for a, b, _ in every)
    pairs = {(a, b) for a, b, _ in every}
    assert ("copy", "original") in pairs
    lookup = {(a, b): s for a, b, s in every}
    assert lookup.get(("original", "other"), 0.0) < 0.8


def test_large_instance_keeps_top_k_per_subject() -> None:
    # Speed is measured by `python -m bench.assignment`, not here.
    rng = random.Random(20240601)
    syllables = ["ka", "la", "ma", "si", "tu", "pe", "ri", "no", "da", "gu", "be", "sa", "ra"]
    vocabulary = [
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(3000)
    ]
    subjects = {f"s{i:04d}": " ".join(rng.choices(vocabulary, k=120)) for i in range(3000)}
    assessors = {
        f"a{i:03d}": ", ".join(
            " ".join(rng.choices(vocabulary, k=rng.randint(1, 3))) for _ in range(6)
        )
        for i in range(300)
    }
    result = expertise_affinity(subjects, assessors, top_k=20)
    assert len(result) == 3000 * 20
    counts: dict[str, int] = {}
    for subject, _ in result:
        counts[subject] = counts.get(subject, 0) + 1
    assert set(counts.values()) == {20}
    assert all(0.0 <= value <= 1.0 for value in result.values())


# Reference analyzers, written the plain way: the module's vectorised counting must give
# the same TF-IDF models as sklearn's vectorizers fed with these.
_PHRASE_BREAK = re.compile(r"[,;:.!?()\[\]{}|/\\\n\r\t]+")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _content_tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(strip_accents_unicode(text.lower())) if t not in STOP_WORDS]


def _word_features(text: str) -> list[str]:
    features: list[str] = []
    for phrase in _PHRASE_BREAK.split(text):
        tokens = _content_tokens(phrase)
        features.extend(tokens)
        features.extend(f"{a} {b}" for a, b in itertools.pairwise(tokens))
    return features


REFERENCE_DOCS = [
    PROPOSAL,
    EDITED_COPY,
    UNRELATED,
    HEALTH,
    HEALTH_EXPERT,
    "",
    "yang dan",
    "Layanan; yang cepat, ramah. Pelayanan\tdaring (cepat) / ramah\\publik",
]


def test_word_model_matches_sklearn_with_a_plain_analyzer() -> None:
    words, _ = _fit(REFERENCE_DOCS)
    direct = TfidfVectorizer(analyzer=_word_features, sublinear_tf=True).fit_transform(
        REFERENCE_DOCS
    )
    assert words.shape[1] == direct.shape[1]
    assert np.allclose((words @ words.T).toarray(), (direct @ direct.T).toarray(), atol=1e-12)


def test_char_model_matches_sklearn_char_wb_on_documents() -> None:
    _, chars = _fit(REFERENCE_DOCS)
    direct = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        preprocessor=lambda text: " ".join(_content_tokens(text)),
        sublinear_tf=True,
    ).fit_transform(REFERENCE_DOCS)
    assert np.allclose((chars @ chars.T).toarray(), (direct @ direct.T).toarray(), atol=1e-12)
