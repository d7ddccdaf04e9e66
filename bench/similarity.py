"""`python -m bench.similarity`: whole-corpus proposal similarity at edition scale (issue 3).

The administrative check stores each submitted proposal's most similar proposals
(`prima.evaluation.domain.affinity.nearest_neighbours`, TF-IDF word + character models).
This benchmark:

1. Generates a deterministic corpus (seeded NumPy) of 3,000 proposals of ~1,500 words:
   Indonesian function words (~30 %), a Zipf-distributed vocabulary of 30,000 words,
   20 themes each with its own favoured words (so same-theme proposals are mildly
   similar, as real ones are), sentences, commas, typographic quotes and dashes and six
   answer sections per proposal.
   One proposal is planted as a near-copy of another: 10 % of its words replaced by
   ordinary words and some sentences swapped (so punctuation falls elsewhere).
2. Times `nearest_neighbours(texts, top_k=10)` with the default weights (word and
   character model, 0.5/0.5) and with the word model only; median of ``--repeat`` runs.
3. Checks that the planted pair are each other's nearest neighbour with similarity
   ≥ 0.8, and that no other pair (among each text's ten nearest) reaches 0.8; reports
   the process's peak memory (``ru_maxrss``).

Prints a small table; exits 1 when the check fails or the default-weights median exceeds
the 10 s target. Pure computation: no database, no Django.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from prima.evaluation.domain.affinity import (
    CHAR_MAX_FEATURES,
    STOP_WORDS,
    Weights,
    nearest_neighbours,
)

SEED = 20261125
TARGET_SECONDS = 10.0
COPY_THRESHOLD = 0.8
SECTIONS = 6
THEMES = 20
_SYLLABLES = (
    "ba be bi bu da de di du ga gi gu ja ka ke ki ku la le li lu ma me mi mu na ne ni nu "
    "pa pe pi pu ra re ri ru sa se si su ta te ti tu wa ya an in ng ban kan lan man ran tan"
)
SYLLABLES = _SYLLABLES.split()
# Real content words, so accents, inflections and the character model see familiar forms.
_DOMAIN_WORDS = (
    "layanan pelayanan masyarakat inovasi publik kesehatan puskesmas imunisasi posyandu "
    "perizinan investasi pajak daring aplikasi digital antrean desa kelurahan kecamatan "
    "kabupaten kota provinsi sekolah siswa guru pendidikan sampah lingkungan air bersih "
    "pertanian petani nelayan pasar usaha mikro kependudukan akta pengaduan transparansi"
)
DOMAIN_WORDS = _DOMAIN_WORDS.split()


def _vocabulary(rng: np.random.Generator, size: int) -> list[str]:
    words: set[str] = set(DOMAIN_WORDS)
    while len(words) < size:
        count = int(rng.integers(2, 5))
        words.add("".join(rng.choice(SYLLABLES, size=count).tolist()))
    return sorted(words)


def _sample(rng: np.random.Generator, cumulative: np.ndarray, count: int) -> np.ndarray:
    return np.searchsorted(cumulative, rng.random(count) * cumulative[-1])


def _render(words: list[str], rng: np.random.Generator) -> str:
    """Sentences of 8–20 words with the odd comma, a capital, “quoted” words and dashes
    (as pasted from a word processor), ``SECTIONS`` paragraphs."""
    out: list[str] = []
    per_section = max(1, len(words) // SECTIONS)
    since = 0
    length = int(rng.integers(8, 21))
    for i, word in enumerate(words):
        since += 1
        if since == 1:
            word = word.capitalize()
        if since >= length:
            word += "."
            since, length = 0, int(rng.integers(8, 21))
        elif since % 7 == 0:
            word += ","
        elif i % 97 == 0:
            word = f"“{word}” –"
        out.append(word)
        if (i + 1) % per_section == 0 and i + 1 < len(words):
            out.append("\n")
    return " ".join(out).replace(" \n ", "\n")


def corpus(n: int = 3000, words: int = 1500, *, seed: int = SEED) -> tuple[list[str], int, int]:
    """``n`` texts of about ``words`` words and the planted pair ``(original, copy)``: the
    copy is the last text."""
    rng = np.random.default_rng(seed)
    vocabulary = np.array(_vocabulary(rng, 30_000))
    stop = np.array(sorted(STOP_WORDS))
    zipf = np.cumsum(1.0 / np.arange(1, len(vocabulary) + 1) ** 1.07)
    order = rng.permutation(len(vocabulary))  # which words are frequent
    themes = [rng.choice(len(vocabulary), size=300, replace=False) for _ in range(THEMES)]
    theme_cumulative = np.cumsum(1.0 / np.arange(1, 301) ** 0.8)
    token_lists: list[list[str]] = []
    for index in range(n - 1):
        theme = themes[index % THEMES]
        kind = rng.random(words)
        ids = order[_sample(rng, zipf, words)]
        themed = kind < 0.25
        ids[themed] = theme[_sample(rng, theme_cumulative, int(themed.sum()))]
        tokens = vocabulary[ids]
        stops = kind > 0.70
        tokens[stops] = rng.choice(stop, size=int(stops.sum()))
        token_lists.append(tokens.tolist())
    original = n // 3
    # The copier's own words: another proposal's, so as frequent as any author's.
    token_lists.append(_near_copy(token_lists[original], token_lists[original + 1], rng))
    texts = [_render(tokens, rng) for tokens in token_lists]
    return texts, original, n - 1


def _near_copy(tokens: list[str], replacements: list[str], rng: np.random.Generator) -> list[str]:
    """A copy edited as a copier would: 10 % of the words replaced by words drawn as the
    author draws them (``replacements``), and every fourth pair of sentences (runs of ~15
    words) swapped."""
    copy = list(tokens)
    for position in np.flatnonzero(rng.random(len(copy)) < 0.10).tolist():
        copy[position] = replacements[position % len(replacements)]
    runs = [copy[i : i + 15] for i in range(0, len(copy), 15)]
    for i in range(0, len(runs) - 1, 4):
        runs[i], runs[i + 1] = runs[i + 1], runs[i]
    return [word for run in runs for word in run]


def _timed(call: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median wall time, median process CPU time (user + system) and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        began, cpu = time.perf_counter(), time.process_time()
        result = call()
        walls.append(time.perf_counter() - began)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.similarity", description=__doc__)
    parser.add_argument("--proposals", type=int, default=3000)
    parser.add_argument("--words", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    began = time.perf_counter()
    texts, original, copy = corpus(args.proposals, args.words)
    generated = time.perf_counter() - began
    by_id = dict(enumerate(texts))
    mean_words = statistics.mean(len(text.split()) for text in texts)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    default, default_cpu, neighbours = _timed(
        lambda: nearest_neighbours(by_id, top_k=10), args.repeat
    )
    word_only, word_cpu, word_neighbours = _timed(
        lambda: nearest_neighbours(by_id, top_k=10, weights=Weights(word=1, char=0)),
        args.repeat,
    )

    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    first = neighbours[original][0] if neighbours[original] else (None, 0.0)
    back = neighbours[copy][0] if neighbours[copy] else (None, 0.0)
    mutual = first[0] == copy and back[0] == original
    strongest_other = max(
        (
            value
            for key, items in neighbours.items()
            for other, value in items
            if {key, other} != {original, copy}
        ),
        default=0.0,
    )
    word_first = word_neighbours[original][0] if word_neighbours[original] else (None, 0.0)

    print(f"Corpus: {len(texts)} proposals, {mean_words:.0f} words on average (seed {SEED}),")
    print(f"generated in {generated:.1f} s. Python {platform.python_version()}, ", end="")
    print(f"{os.cpu_count()} CPU(s), char model bounded to {CHAR_MAX_FEATURES} n-grams.")
    print()
    print(f"| run (median of {args.repeat}) | wall | CPU | target |")
    print("|---|---:|---:|---:|")
    print(
        f"| nearest_neighbours, default weights (word 0.5 + char 0.5) | {default:.2f} s "
        f"| {default_cpu:.2f} s | ≤ {TARGET_SECONDS:.0f} s |"
    )
    print(
        f"| nearest_neighbours, word model only (char weight 0) | {word_only:.2f} s "
        f"| {word_cpu:.2f} s | |"
    )
    print(f"(load average afterwards: {os.getloadavg()[0]:.2f}; other processes slow it down)")
    print()
    print(
        f"Planted near-copy: #{original} → #{first[0]} ({first[1]:.3f}), "
        f"#{copy} → #{back[0]} ({back[1]:.3f}); word model only: {word_first[1]:.3f}."
    )
    print(f"Strongest similarity of any other pair: {strongest_other:.3f}.")
    print(
        f"Peak memory (ru_maxrss): {rss_before / 1024:.0f} MiB with the corpus, "
        f"{rss_after / 1024:.0f} MiB after the runs."
    )
    passed = mutual and min(first[1], back[1]) >= COPY_THRESHOLD > strongest_other
    print(
        "Check:",
        "mutual nearest neighbours, ≥ 0.8, no other pair ≥ 0.8" if passed else "FAILED",
    )
    if default > TARGET_SECONDS:
        print(f"Too slow: {default:.2f} s > {TARGET_SECONDS:.0f} s.")
    return 0 if passed and default <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
