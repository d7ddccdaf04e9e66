"""Text affinity: TF-IDF cosine similarity between proposals and assessor expertise.

``expertise_affinity`` turns proposal texts (title + summary + sections) and assessor
expertise keywords (free text, comma-separated phrases) into the ``affinity`` mapping the
assignment solver takes (``prima.evaluation.domain.assignment``). ``similar_texts`` finds
near-duplicate pairs within one corpus, for spotting copied proposals.

Two TF-IDF models are fitted on all the texts together (subjects and assessors share one
vocabulary and one idf):

- a word model: unigrams and bigrams, Indonesian function words removed, bigrams never
  crossing a phrase boundary (comma, full stop, semicolon, line break …), so that the
  keyword list "imunisasi, puskesmas" does not invent the bigram "imunisasi puskesmas";
- a character model: ``analyzer="char_wb"`` 3–5-grams of the same stop-word-free text,
  which matches inflected and compound forms ("imunisasi" ~ "diimunisasi", "layanan" ~
  "pelayanan") that the word model misses.

Both are lower-cased, accent-stripped, sublinear-tf and L2-normalised, so the sparse dot
product (``linear_kernel``) is the cosine. The affinity is the weighted mean of the two
cosines (0.5/0.5 by default), clipped to [0, 1] and rounded to 6 decimals so files written
from it are stable. A text with no content words (empty, or stop words only) has affinity 0
with everything.

Everything stays sparse; similarities are computed in row chunks of at most
``CHUNK_CELLS`` dense cells, so 3,000 × 1,500 with ``top_k`` never materialises a full
dense matrix. Ids are processed in sorted order, and ties are broken by id, so results do
not depend on the order of the input mappings.

This module is pure: no ORM, no Django.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import (
    CountVectorizer,
    TfidfTransformer,
    TfidfVectorizer,
    strip_accents_unicode,
)
from sklearn.metrics.pairwise import linear_kernel

Pair = tuple[str, str]
FloatMatrix = npt.NDArray[np.float64]

# Decimal places of returned similarities.
DECIMALS = 6
# Largest dense block (rows × columns) computed at once.
CHUNK_CELLS = 1_000_000
CHAR_NGRAMS = (3, 5)

# Common Indonesian function words: conjunctions, prepositions, pronouns, auxiliaries,
# particles. Content words ("layanan", "masyarakat", "inovasi") are deliberately absent.
# fmt: off
STOP_WORDS: frozenset[str] = frozenset((
    "ada", "adalah", "agar", "akan", "antara", "apabila", "atas", "atau", "bagi", "bahwa",
    "begitu", "belum", "bila", "bisa", "dalam", "dan", "dapat", "dari", "demikian", "dengan",
    "di", "dia", "hanya", "harus", "hingga", "ia", "ialah", "ini", "itu", "jika", "juga",
    "kalau", "kami", "karena", "ke", "kepada", "ketika", "kita", "lagi", "lah", "lebih", "maka",
    "masih", "melalui", "mereka", "namun", "oleh", "pada", "para", "per", "pun", "saat", "saja",
    "sampai", "sangat", "saya", "se", "sebagai", "sebelum", "secara", "sedang", "sehingga",
    "sejak", "serta", "setelah", "setiap", "sudah", "supaya", "tanpa", "telah", "tentang",
    "terhadap", "tersebut", "tetapi", "tidak", "untuk", "yaitu", "yakni", "yang",
))
# fmt: on

_PHRASE_BREAK = re.compile(r"[,;:.!?()\[\]{}|/\\\n\r\t]+")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True)
class Weights:
    """Weights of the word and character cosines; the affinity is their weighted mean."""

    word: float = 0.5
    char: float = 0.5

    def __post_init__(self) -> None:
        for name, value in (("word", self.word), ("char", self.char)):
            if not isinstance(value, int | float) or not np.isfinite(value) or value < 0:
                raise ValueError(f"weights.{name}: harus bilangan ≥ 0")
        if self.word + self.char <= 0:
            raise ValueError("weights: jumlah bobot harus > 0")

    @property
    def normalised(self) -> tuple[float, float]:
        total = float(self.word + self.char)
        return float(self.word) / total, float(self.char) / total


DEFAULT_WEIGHTS = Weights()


# --------------------------------------------------------------------------- public API


def expertise_affinity(
    subjects: Mapping[str, str],
    assessors: Mapping[str, str],
    *,
    top_k: int | None = None,
    min_score: float = 0.0,
    weights: Weights = DEFAULT_WEIGHTS,
) -> dict[Pair, float]:
    """Affinity of every (subject id, assessor id) pair, in [0, 1].

    ``subjects`` maps a subject id to its proposal text, ``assessors`` an assessor id to
    its expertise keywords. With ``top_k`` only each subject's k best assessors are kept
    (ties broken by assessor id); pairs scoring below ``min_score`` are dropped. A pair
    that is absent means affinity 0 to the solver.
    """
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
        raise ValueError("top_k: harus bilangan bulat ≥ 1 atau None")
    _check_unit("min_score", min_score)
    subject_ids = sorted(subjects)
    assessor_ids = sorted(assessors)
    if not subject_ids or not assessor_ids:
        return {}
    texts = [subjects[i] for i in subject_ids] + [assessors[i] for i in assessor_ids]
    words, chars = _fit(texts)
    n = len(subject_ids)
    left = (words[:n], chars[:n])
    right = (words[n:], chars[n:])

    result: dict[Pair, float] = {}
    for start, block in _blocks(left, right, weights):
        rows = range(start, start + block.shape[0])
        if top_k is not None and top_k < len(assessor_ids):
            # Stable sort on -score: equal scores stay in (sorted) assessor-id order.
            order = np.argsort(-block, axis=1, kind="stable")[:, :top_k]
            best = np.take_along_axis(block, order, axis=1)
            for row, cols, values in zip(rows, order.tolist(), best.tolist(), strict=True):
                subject = subject_ids[row]
                for col, value in zip(cols, values, strict=True):
                    if value >= min_score:
                        result[(subject, assessor_ids[col])] = value
        else:
            for row, values in zip(rows, block.tolist(), strict=True):
                subject = subject_ids[row]
                for assessor, value in zip(assessor_ids, values, strict=True):
                    if value >= min_score:
                        result[(subject, assessor)] = value
    return result


def similar_texts(
    texts: Mapping[str, str],
    *,
    threshold: float = 0.8,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[tuple[str, str, float]]:
    """Pairs of distinct texts with similarity ≥ ``threshold``, most similar first.

    Each pair is reported once as ``(id_a, id_b, similarity)`` with ``id_a < id_b``; ties
    are ordered by the ids. Texts without content words are never reported.
    """
    _check_unit("threshold", threshold)
    ids = sorted(texts)
    if len(ids) < 2:
        return []
    words, chars = _fit([texts[i] for i in ids])
    found: list[tuple[str, str, float]] = []
    for start, block in _blocks((words, chars), (words, chars), weights):
        rows, cols = np.nonzero(block >= threshold)
        rows = rows + start
        upper = cols > rows
        for row, col in zip(rows[upper].tolist(), cols[upper].tolist(), strict=True):
            value = float(block[row - start, col])
            if value > 0:
                found.append((ids[row], ids[col], value))
    found.sort(key=lambda item: (-item[2], item[0], item[1]))
    return found


# --------------------------------------------------------------------------- text model


def _normalise(text: str) -> str:
    return strip_accents_unicode(text.lower())


def _content_tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text) if t not in STOP_WORDS]


def _word_features(text: str) -> list[str]:
    """Unigrams and within-phrase bigrams of the content words of ``text``."""
    features: list[str] = []
    for phrase in _PHRASE_BREAK.split(_normalise(text)):
        tokens = _content_tokens(phrase)
        features.extend(tokens)
        features.extend(f"{a} {b}" for a, b in itertools.pairwise(tokens))
    return features


def _char_tokens(text: str) -> list[str]:
    """The normalised content words of ``text``: what the character model sees."""
    return _content_tokens(_normalise(text))


def _fit(texts: Sequence[str]) -> tuple[Any, Any]:
    """Row-aligned L2-normalised TF-IDF matrices (word, char) of ``texts``, CSR."""
    docs = [text if isinstance(text, str) else "" for text in texts]
    if not any(_char_tokens(doc) for doc in docs):
        # No content word anywhere: sklearn would refuse the empty vocabulary.
        empty = sparse.csr_matrix((len(docs), 1), dtype=np.float64)
        return empty, empty
    word_model = TfidfVectorizer(analyzer=_word_features, sublinear_tf=True, dtype=np.float64)
    words = sparse.csr_matrix(word_model.fit_transform(docs))
    # ``char_wb`` n-grams never cross a word boundary, so a document's n-gram counts are
    # the sum over its words of each word's counts: count the words per document, run
    # the char_wb analyzer once per distinct word, and multiply. Same counts as
    # ``analyzer="char_wb"`` on the documents, without re-analysing repeated words.
    doc_words = CountVectorizer(analyzer=_char_tokens, dtype=np.float64)
    per_doc = doc_words.fit_transform(docs)
    char_model = CountVectorizer(
        analyzer="char_wb", ngram_range=CHAR_NGRAMS, lowercase=False, dtype=np.float64
    )
    per_word = char_model.fit_transform(doc_words.get_feature_names_out().tolist())
    counts = sparse.csr_matrix(per_doc @ per_word)
    chars = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    return words, sparse.csr_matrix(chars, dtype=np.float64)


def _blocks(
    left: tuple[Any, Any], right: tuple[Any, Any], weights: Weights
) -> Iterator[tuple[int, FloatMatrix]]:
    """(first row, dense block of rounded affinities) over row chunks of ``left``."""
    word_weight, char_weight = weights.normalised
    n_rows = left[0].shape[0]
    n_cols = right[0].shape[0]
    step = max(1, CHUNK_CELLS // max(1, n_cols))
    for start in range(0, n_rows, step):
        stop = min(n_rows, start + step)
        block = np.zeros((stop - start, n_cols), dtype=np.float64)
        if word_weight:
            block += word_weight * _cosine(left[0][start:stop], right[0])
        if char_weight:
            block += char_weight * _cosine(left[1][start:stop], right[1])
        np.clip(block, 0.0, 1.0, out=block)
        np.round(block, DECIMALS, out=block)
        yield start, block


def _cosine(rows: Any, columns: Any) -> FloatMatrix:
    """Dense cosine block: ``rows @ columns.T`` of sparse L2-normalised TF-IDF rows."""
    product: FloatMatrix = linear_kernel(rows, columns, dense_output=True)
    return product


def _check_unit(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"{name}: harus bilangan dalam [0, 1]")
