"""Whole-corpus nearest neighbours: one TF-IDF fit, top-k per text, bounded char model."""

from __future__ import annotations

import random

import pytest

from prima.evaluation.domain import affinity
from prima.evaluation.domain.affinity import (
    Weights,
    _char_counts,
    _count,
    _fit,
    nearest_neighbours,
    similar_texts,
)
from tests.evaluation.domain.test_affinity import EDITED_COPY, HEALTH, PROPOSAL, UNRELATED

PERMITS = (
    "Perizinan bangunan gedung daring: pemohon mengunggah gambar, petugas memeriksa dan "
    "menerbitkan persetujuan bangunan dalam tujuh hari kerja tanpa tatap muka."
)
SCHOOL = (
    "Bank sampah sekolah menukar sampah plastik siswa dengan tabungan pendidikan; "
    "guru mencatat setoran setiap pekan dan hasilnya dipakai membeli buku."
)


def _random_corpus(count: int, words: int, seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    syllables = ["ka", "la", "ma", "si", "tu", "pe", "ri", "no", "da", "gu", "be", "sa", "ra"]
    vocabulary = [
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(2000)
    ]
    texts = {}
    for i in range(count):
        tokens = rng.choices(vocabulary, k=words)
        texts[f"p{i:04d}"] = ". ".join(" ".join(tokens[j : j + 12]) for j in range(0, words, 12))
    return texts


def test_a_planted_near_copy_is_each_others_nearest_neighbour() -> None:
    texts = {"original": PROPOSAL, "copy": EDITED_COPY, "permits": PERMITS, "school": SCHOOL}
    texts.update(_random_corpus(40, 60, seed=3))

    found = nearest_neighbours(texts, top_k=3)

    assert found["original"][0][0] == "copy"
    assert found["copy"][0][0] == "original"
    assert found["original"][0][1] == found["copy"][0][1] >= 0.8
    assert all(value < 0.8 for key, items in found.items() for _, value in items[1:])
    assert all(
        value < 0.8
        for key, items in found.items()
        if key not in {"original", "copy"}
        for _, value in items
    )


def test_every_id_is_a_key_and_lists_are_best_first_with_ties_by_id() -> None:
    texts = {"c": HEALTH, "a": HEALTH, "b": HEALTH, "d": UNRELATED, "e": "", "f": "yang dan"}

    found = nearest_neighbours(texts, top_k=2)

    assert list(found) == ["a", "b", "c", "d", "e", "f"]
    # Three identical texts: each has the other two at 1.0, in id order.
    assert found["a"] == [("b", 1.0), ("c", 1.0)]
    assert found["c"] == [("a", 1.0), ("b", 1.0)]
    # No content words: no neighbours, and never anyone's neighbour.
    assert found["e"] == found["f"] == []
    assert all(other not in {"e", "f"} for items in found.values() for other, _ in items)
    assert nearest_neighbours({"x": HEALTH}) == {"x": []}
    assert nearest_neighbours({}) == {}


def test_matches_the_brute_force_cosines_on_a_small_corpus(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(affinity, "CHAR_MAX_FEATURES", 10**9)  # unbounded, as _fit
    texts = {"original": PROPOSAL, "copy": EDITED_COPY, "permits": PERMITS, "school": SCHOOL}
    texts.update({"health": HEALTH, "unrelated": UNRELATED})
    texts.update(_random_corpus(30, 40, seed=11))
    # Every pair the plain way: full dense cosines of both models, weighted 0.3/0.7.
    ids = sorted(texts)
    words, chars = _fit([texts[key] for key in ids])
    dense = 0.3 * (words @ words.T).toarray() + 0.7 * (chars @ chars.T).toarray()
    brute = {(a, b): float(dense[i, j]) for i, a in enumerate(ids) for j, b in enumerate(ids)}

    for top_k, floor in ((3, 0.0), (None, 0.05), (50, 0.2)):
        found = nearest_neighbours(
            texts, top_k=top_k, min_similarity=floor, weights=Weights(word=0.3, char=0.7)
        )
        for key in ids:
            expected = sorted(
                (
                    (other, round(value, 6))
                    for (left, other), value in brute.items()
                    if left == key and other != key and round(value, 6) > 0
                    if round(value, 6) >= floor
                ),
                key=lambda item: (-item[1], item[0]),
            )[:top_k]
            got = found[key]
            assert len(got) == len(expected)
            for (other, value), (_, want) in zip(got, expected, strict=True):
                assert value == pytest.approx(want, abs=2e-6)
                assert value == pytest.approx(brute[(key, other)], abs=2e-6)
            assert got == sorted(got, key=lambda item: (-item[1], item[0]))


def test_independent_of_input_order_and_key_type() -> None:
    texts = {"original": PROPOSAL, "copy": EDITED_COPY, "permits": PERMITS, "school": SCHOOL}
    reordered = dict(reversed(texts.items()))
    assert nearest_neighbours(reordered, top_k=2) == nearest_neighbours(texts, top_k=2)

    by_number = nearest_neighbours({10: PROPOSAL, 2: EDITED_COPY, 7: SCHOOL}, top_k=1)
    assert by_number[10][0][0] == 2 and by_number[2][0][0] == 10


def test_weights_select_the_model_and_char_weight_zero_uses_words_only() -> None:
    texts = {"s": "layanan imunisasi", "a": "pelayanan diimunisasi", "b": "perizinan gedung"}

    word_only = nearest_neighbours(texts, weights=Weights(word=1, char=0))
    char_only = nearest_neighbours(texts, weights=Weights(word=0, char=1))

    assert word_only["s"] == []
    assert char_only["s"][0][0] == "a" and char_only["s"][0][1] > 0.3


def test_the_char_model_keeps_the_most_frequent_ngrams_when_bounded() -> None:
    counts = _count([PROPOSAL, EDITED_COPY, UNRELATED, "puskesmas puskesmas puskesmas"])

    full = _char_counts(counts)
    bounded = _char_counts(counts, limit=40)

    assert full.shape[1] > 40
    assert bounded.shape[1] == 40
    totals = sorted(full.sum(axis=0).A1.tolist(), reverse=True)
    assert sorted(bounded.sum(axis=0).A1.tolist(), reverse=True) == totals[:40]


def test_a_bounded_char_model_still_finds_the_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(affinity, "CHAR_MAX_FEATURES", 64)
    texts = {"original": PROPOSAL, "copy": EDITED_COPY, "permits": PERMITS, "school": SCHOOL}

    found = nearest_neighbours(texts, top_k=1)

    assert found["original"][0][0] == "copy" and found["original"][0][1] >= 0.8


def test_similar_texts_is_the_thresholded_pairs_of_the_neighbours() -> None:
    texts = {"original": PROPOSAL, "copy": EDITED_COPY, "permits": PERMITS, "school": SCHOOL}
    neighbours = nearest_neighbours(texts, top_k=None, min_similarity=0.01)

    pairs = similar_texts(texts, threshold=0.01)

    assert {(a, b) for a, b, _ in pairs} == {
        (a, b) for a, items in neighbours.items() for b, _ in items if a < b
    }


def test_invalid_arguments() -> None:
    for bad in (0, -1, True, 2.5):
        with pytest.raises(ValueError, match="top_k"):
            nearest_neighbours({"a": HEALTH, "b": HEALTH}, top_k=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="min_similarity"):
        nearest_neighbours({"a": HEALTH, "b": HEALTH}, min_similarity=1.5)


def test_two_thousand_texts_find_their_planted_copy() -> None:
    # Speed is measured by `python -m bench.similarity`, not here.
    texts = _random_corpus(2000, 300, seed=5)
    texts["zz-copy"] = texts["p0100"].replace("ka", "ki", 3)

    found = nearest_neighbours(texts, top_k=10, min_similarity=0.1)

    assert found["zz-copy"][0][0] == "p0100" and found["p0100"][0][0] == "zz-copy"
    assert all(len(items) <= 10 for items in found.values())


def test_normalisation_is_sklearns_strip_accents_unicode() -> None:
    from sklearn.feature_extraction.text import strip_accents_unicode

    from prima.evaluation.domain.affinity import _normalise

    for text in (
        PROPOSAL,
        "Pelayanan CAFÉ naïve Ångström “kutip” – pisah—garis ﬁ ① ẞ ǅ",
        "Layanan Puskésmas, imunisasí; déjà vu",
        "",
    ):
        assert _normalise(text) == strip_accents_unicode(text.lower())


@pytest.mark.parametrize(
    "share, cells",
    [(2.0, 10**9), (0.0, 10**9), (0.0, 40 * 50)],  # all sparse, all dense, dense capped
)
def test_the_dense_sparse_split_does_not_change_the_result(
    monkeypatch: pytest.MonkeyPatch, share: float, cells: int
) -> None:
    texts = {"original": PROPOSAL, "copy": EDITED_COPY, "permits": PERMITS, "school": SCHOOL}
    texts.update(_random_corpus(36, 50, seed=21))
    reference = nearest_neighbours(texts, top_k=5)

    monkeypatch.setattr(affinity, "DENSE_SHARE", share)
    monkeypatch.setattr(affinity, "DENSE_MAX_CELLS", cells)
    found = nearest_neighbours(texts, top_k=5)

    for key, items in reference.items():
        assert [other for other, _ in found[key]] == [other for other, _ in items]
        for (_, value), (_, want) in zip(found[key], items, strict=True):
            assert value == pytest.approx(want, abs=2e-6)
