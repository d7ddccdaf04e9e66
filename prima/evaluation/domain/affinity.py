"""Text affinity: TF-IDF cosine similarity between proposals and assessor expertise.

``expertise_affinity`` turns proposal texts (title + summary + sections) and assessor
expertise keywords (free text, comma-separated phrases) into the ``affinity`` mapping the
assignment solver takes (``prima.evaluation.domain.assignment``). ``nearest_neighbours``
gives every text of one corpus its most similar other texts, for spotting copied
proposals; ``similar_texts`` lists the pairs of that corpus above a threshold.

Two TF-IDF models are fitted on all the texts together (subjects and assessors share one
vocabulary and one idf):

- a word model: unigrams and bigrams, Indonesian function words removed, bigrams never
  crossing a phrase boundary (comma, full stop, semicolon, line break …), so that the
  keyword list "imunisasi, puskesmas" does not invent the bigram "imunisasi puskesmas";
- a character model: ``analyzer="char_wb"`` 3–5-grams of the same stop-word-free text,
  which matches inflected and compound forms ("imunisasi" ~ "diimunisasi", "layanan" ~
  "pelayanan") that the word model misses.

Both are lower-cased, accent-stripped, sublinear-tf and L2-normalised, so the sparse dot
product is the cosine. The affinity is the weighted mean of the two cosines (0.5/0.5 by
default), clipped to [0, 1] and rounded to 6 decimals so files written from it are stable.
A text with no content words (empty, or stop words only) has affinity 0 with everything.

The texts are tokenised once (one regular expression per text, one dictionary of word
ids); unigram and bigram counts are then built with NumPy, and the character counts are
each distinct word's n-gram counts times the word counts, so no text is analysed twice.

Whole-corpus similarity (``nearest_neighbours``) is the Gram matrix ``X @ X.T`` computed
in row blocks: features found in many texts are multiplied as a dense matrix (BLAS),
the rest sparsely, and features of a single text, which add nothing between two texts,
are dropped. Each block keeps its rows' ``top_k`` best (a partition, then a sort of the
few candidates), so no n × n matrix is ever held. There the character model is bounded to
the ``CHAR_MAX_FEATURES`` most frequent n-grams, and skipped when its weight is 0.

Ids are processed in sorted order, and ties are broken by id, so results do not depend on
the order of the input mappings.

This module is pure: no ORM, no Django.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.metrics.pairwise import linear_kernel

Pair = tuple[str, str]
FloatMatrix = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
K = TypeVar("K", str, int)

# Decimal places of returned similarities.
DECIMALS = 6
# Largest dense block (rows × columns) computed at once.
CHUNK_CELLS = 1_000_000
CHAR_NGRAMS = (3, 5)
# nearest_neighbours keeps the corpus's most frequent character n-grams only: the dense
# n × CHAR_MAX_FEATURES matrix bounds both the memory and the product.
CHAR_MAX_FEATURES = 4096
# In a Gram product, features found in at least this share of the texts are multiplied
# densely (their sparse cost grows with the square of their document frequency), the most
# frequent ones first, up to DENSE_MAX_CELLS matrix cells (128 MB); the rest sparsely.
DENSE_SHARE = 0.1
DENSE_MAX_CELLS = 16_000_000

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

_BREAKS = ",;:.!?()[]{}|/\\\n\r\t"
# A content-or-stop word of two or more word characters, or one phrase-break character.
_SCAN = re.compile(r"\w\w+|[,;:.!?()\[\]{}|/\\\n\r\t]")
_BREAK, _STOP = 0, 1
# Combining marks are never ASCII: only runs of non-ASCII characters need a look.
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


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
    words, chars = _fit(texts, chars=weights.char > 0)
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


def nearest_neighbours(
    texts: Mapping[K, str],
    *,
    top_k: int | None = 10,
    min_similarity: float = 0.0,
    weights: Weights = DEFAULT_WEIGHTS,
) -> dict[K, list[tuple[K, float]]]:
    """Every text's most similar other texts of the corpus, best first.

    TF-IDF is fitted once over all ``texts``; each id maps to at most ``top_k`` (all with
    None) ``(other id, similarity)`` pairs with similarity > 0 and ≥ ``min_similarity``,
    ties ordered by id. Every id is a key; a text without content words has no
    neighbours. The character model keeps the ``CHAR_MAX_FEATURES`` most frequent n-grams
    and is not built at all when ``weights.char`` is 0.
    """
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
        raise ValueError("top_k: harus bilangan bulat ≥ 1 atau None")
    _check_unit("min_similarity", min_similarity)
    ids = sorted(texts)
    result: dict[K, list[tuple[K, float]]] = {key: [] for key in ids}
    if len(ids) < 2:
        return result
    counts = _count([texts[key] for key in ids])
    if not counts.vocabulary:
        return result
    word_weight, char_weight = weights.normalised
    grams: list[tuple[float, _Gram]] = []
    if word_weight:
        grams.append((word_weight, _Gram(_tfidf(counts.words))))
    if char_weight:
        grams.append((char_weight, _Gram(_tfidf(_char_counts(counts, CHAR_MAX_FEATURES)))))
    n = len(ids)
    step = max(1, CHUNK_CELLS // n)
    for start in range(0, n, step):
        stop = min(n, start + step)
        block = np.zeros((stop - start, n), dtype=np.float64)
        for weight, gram in grams:
            block += weight * gram.rows(start, stop)
        np.clip(block, 0.0, 1.0, out=block)
        np.round(block, DECIMALS, out=block)
        own = np.arange(stop - start)
        block[own, own + start] = -1.0  # a text is not its own neighbour
        for row, columns, values in _best(block, top_k, min_similarity):
            result[ids[start + row]] = [
                (ids[column], value) for column, value in zip(columns, values, strict=True)
            ]
    return result


def similar_texts(
    texts: Mapping[str, str],
    *,
    threshold: float = 0.8,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[tuple[str, str, float]]:
    """Pairs of distinct texts with similarity ≥ ``threshold``, most similar first.

    Each pair is reported once as ``(id_a, id_b, similarity)`` with ``id_a < id_b``; ties
    are ordered by the ids. Texts without content words are never reported. Built on
    :func:`nearest_neighbours` (so with its bounded character model).
    """
    _check_unit("threshold", threshold)
    neighbours = nearest_neighbours(texts, top_k=None, min_similarity=threshold, weights=weights)
    found = [(a, b, value) for a, items in neighbours.items() for b, value in items if a < b]
    found.sort(key=lambda item: (-item[2], item[0], item[1]))
    return found


# --------------------------------------------------------------------------- text model


def _normalise(text: str) -> str:
    """Lower-cased, accents stripped: ``strip_accents_unicode`` without its per-character
    Python loop over the whole text when one typographic quote makes it non-ASCII."""
    text = text.lower()
    if text.isascii():
        return text
    return _NON_ASCII.sub(_strip_combining, unicodedata.normalize("NFKD", text))


def _strip_combining(match: re.Match[str]) -> str:
    return "".join(char for char in match.group() if not unicodedata.combining(char))


@dataclass(frozen=True)
class _Counts:
    """Term counts of a corpus, one row per text (CSR)."""

    words: Any  # unigram and bigram counts: the word model's features
    unigrams: Any  # content-word counts; column j is vocabulary[j]
    vocabulary: list[str]


def _count_matrix(rows: IntArray, columns: IntArray, shape: tuple[int, int]) -> Any:
    """CSR counts of the (row, column) occurrences (duplicates add up)."""
    ones = np.ones(len(rows), dtype=np.float64)
    return sparse.csr_matrix((ones, (rows, columns)), shape=shape)


def _count(texts: Sequence[str]) -> _Counts:
    """Unigram, within-phrase bigram and content-word counts of ``texts``.

    Each text is scanned once into word ids (stop words and phrase breaks have reserved
    ids); bigrams are consecutive content words once stop words are dropped, never across
    a phrase break or two texts.
    """
    index: dict[str, int] = dict.fromkeys(_BREAKS, _BREAK) | dict.fromkeys(STOP_WORDS, _STOP)
    offset = len(index)
    sequences = [np.zeros(0, dtype=np.int64)]
    for text in texts:
        tokens = _SCAN.findall(_normalise(text)) if isinstance(text, str) else []
        # New words get the next ids in sorted order, so ids never depend on hashing.
        index.update(zip(sorted(set(tokens).difference(index)), itertools.count(len(index))))
        sequences.append(np.fromiter(map(index.__getitem__, tokens), np.int64, len(tokens)))
    n, size = len(texts), len(index) - offset
    lengths = np.fromiter(map(len, sequences[1:]), dtype=np.int64, count=n)
    ids = np.concatenate(sequences)
    docs = np.repeat(np.arange(n, dtype=np.int64), lengths)
    content = ids >= offset
    unigrams = _count_matrix(docs[content], ids[content] - offset, (n, size))
    kept = ids != _STOP
    words, word_docs = ids[kept], docs[kept]
    pair = (words[:-1] >= offset) & (words[1:] >= offset) & (word_docs[:-1] == word_docs[1:])
    keys = (words[:-1][pair] - offset) * size + (words[1:][pair] - offset)
    bigram_keys, columns = np.unique(keys, return_inverse=True)
    bigrams = _count_matrix(word_docs[:-1][pair], columns.ravel(), (n, len(bigram_keys)))
    return _Counts(
        words=sparse.hstack([unigrams, bigrams], format="csr"),
        unigrams=unigrams,
        vocabulary=list(index)[offset:],
    )


def _char_counts(counts: _Counts, limit: int | None = None) -> Any:
    """Character n-gram counts (``char_wb``) per text, from the content-word counts.

    ``char_wb`` n-grams never cross a word boundary, so a text's n-gram counts are the
    sum over its words of each word's counts: the analyzer runs once per distinct word.
    With ``limit`` only the most frequent n-grams of the corpus are kept.
    """
    model = CountVectorizer(
        analyzer="char_wb", ngram_range=CHAR_NGRAMS, lowercase=False, dtype=np.float64
    )
    per_word = sparse.csr_matrix(model.fit_transform(counts.vocabulary))
    if limit is not None and per_word.shape[1] > limit:
        word_totals = np.asarray(counts.unigrams.sum(axis=0)).ravel()
        totals = per_word.T @ word_totals
        keep = np.sort(np.argsort(-totals, kind="stable")[:limit])
        per_word = sparse.csr_matrix(per_word.tocsc()[:, keep])
    return sparse.csr_matrix(counts.unigrams @ per_word)


def _tfidf(counts: Any) -> Any:
    """Sublinear-tf, smooth-idf, L2-normalised rows (CSR)."""
    return sparse.csr_matrix(TfidfTransformer(sublinear_tf=True).fit_transform(counts))


def _fit(texts: Sequence[str], *, chars: bool = True) -> tuple[Any, Any]:
    """Row-aligned L2-normalised TF-IDF matrices (word, char) of ``texts``, CSR; the char
    matrix is all zeros without ``chars``."""
    counts = _count(texts)
    empty = sparse.csr_matrix((len(texts), 1), dtype=np.float64)
    if not counts.vocabulary:
        return empty, empty
    return _tfidf(counts.words), _tfidf(_char_counts(counts)) if chars else empty


# --------------------------------------------------------------------------- products


class _Gram:
    """Row blocks of ``X @ X.T`` off the diagonal, for an L2-normalised CSR ``X``.

    A sparse product costs the sum over features of their document frequency squared,
    so the frequent features go to a dense matrix multiplied by BLAS and only the rare
    ones stay sparse. Features of a single row are dropped: they add nothing between
    two rows (only to a row with itself, which callers exclude).
    """

    def __init__(self, matrix: Any) -> None:
        matrix = sparse.csr_matrix(matrix)
        n_rows, n_features = matrix.shape
        frequency = np.bincount(matrix.indices, minlength=n_features)
        dense = np.flatnonzero(frequency >= max(2.0, DENSE_SHARE * n_rows))
        limit = max(1, DENSE_MAX_CELLS // max(1, n_rows))
        if len(dense) > limit:
            order = np.argsort(-frequency[dense], kind="stable")[:limit]
            dense = np.sort(dense[order])
        rare = frequency >= 2
        rare[dense] = False
        columns = sparse.csc_matrix(matrix)
        # Fortran order: BLAS multiplies its row blocks several times faster.
        self.dense: FloatMatrix = columns[:, dense].toarray(order="F")
        self.sparse = sparse.csr_matrix(columns[:, np.flatnonzero(rare)])
        self.sparse_t = sparse.csr_matrix(self.sparse.T)

    def rows(self, start: int, stop: int) -> FloatMatrix:
        """Dense block of rows ``start:stop`` against every row."""
        block: FloatMatrix = self.dense[start:stop] @ self.dense.T
        if self.sparse.nnz:
            block += (self.sparse[start:stop] @ self.sparse_t).toarray()
        return block


def _best(
    block: FloatMatrix, top_k: int | None, floor: float
) -> Iterator[tuple[int, list[int], list[float]]]:
    """(row, columns, values) of each row's best entries > 0 and ≥ ``floor``: at most
    ``top_k``, best first, ties by column."""
    valid = (block > 0) & (block >= floor)
    if top_k is not None and top_k < block.shape[1]:
        # The k-th best valid value of each row (-1 when fewer are valid): every column
        # at or above it is a candidate, so ties at the cut are settled by column below.
        scores = np.where(valid, block, -1.0)
        kth = -np.partition(-scores, top_k - 1, axis=1)[:, top_k - 1]
        valid &= block >= kth[:, None]
    rows, columns = np.nonzero(valid)
    values = block[rows, columns]
    order = np.lexsort((columns, -values, rows))
    rows, columns, values = rows[order], columns[order], values[order]
    bounds = np.searchsorted(rows, np.arange(block.shape[0] + 1))
    for row in range(block.shape[0]):
        low, high = int(bounds[row]), int(bounds[row + 1])
        if top_k is not None:
            high = min(high, low + top_k)
        if high > low:
            yield row, columns[low:high].tolist(), values[low:high].tolist()


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
