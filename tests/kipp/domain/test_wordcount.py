"""The normative word count and word limits (kipp.md §7.3, acceptance example A4)."""

from __future__ import annotations

import pytest

from prima.evaluation.domain.instruments import load_instrument
from prima.kipp.domain.wordcount import (
    WordLimitExceeded,
    count_words,
    section_labels,
    section_limits,
    strip_markup,
    word_limit_problems,
)
from tests.kipp.domain.edition_data import ROOT


def test_a4_word_counts():
    assert count_words("Layanan KTP-el 24 jam, tanpa biaya!") == 6
    # "—" and "%" hold no letter or digit, so they do not count.
    assert count_words("Hasil: 1.250 warga — naik 40 %") == 5


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        (None, 0),
        ("   \n\t ", 0),
        ("— % … !!", 0),
        ("satu\u00a0dua\u2003tiga\u3000empat", 4),  # no-break, em and ideographic spaces
        ("(1) a) ²", 3),
        ("e-KTP/KIA", 1),
        ("Puskesmas—Posyandu", 1),  # no whitespace around the dash: one token
        ("Jl. Sudirman No. 5", 4),
    ],
)
def test_tokens_are_words_when_they_hold_a_letter_or_digit(text, words):
    assert count_words(text) == words


def test_markup_is_stripped_block_tags_separate_and_inline_tags_do_not():
    html = "<p>Layanan <b>KTP</b>-el</p><p>24&nbsp;jam</p><ul><li>tanpa</li><li>biaya</li></ul>"
    assert strip_markup("<b>KTP</b>-el") == "KTP-el"
    assert count_words(html) == 6
    assert count_words("satu<br>dua<br/>tiga") == 3
    assert count_words("<p>teks</p><script>var a = 1;</script><style>p {}</style>") == 1
    assert count_words("nilai a &lt; b &amp; c") == 4  # "<" and "&" are not words


def test_plain_text_with_a_less_than_sign_keeps_its_words():
    assert count_words("waktu tunggu < 15 menit") == 4


def test_a4_a_301_word_adaptabilitas_answer_over_a_300_limit():
    answer = " ".join(["kata"] * 301)
    (problem,) = word_limit_problems({"adaptabilitas": answer}, {"adaptabilitas": 300})
    assert problem == WordLimitExceeded("adaptabilitas", 301, 300)
    assert problem.code == "word_limit_exceeded"
    assert problem.machine == "word_limit_exceeded(adaptabilitas, 301/300)"
    assert str(problem) == (
        "word_limit_exceeded(adaptabilitas, 301/300): Jawaban bagian adaptabilitas berisi "
        "301 kata, melebihi batas 300 kata; kurangi 1 kata sebelum dikirim."
    )
    assert word_limit_problems({"adaptabilitas": answer}, {"adaptabilitas": 301}) == []


def test_limits_come_from_the_instrument_per_group_in_its_order():
    instrument = load_instrument(ROOT / "instruments" / "kipp-2025.yaml")
    limits = section_limits(instrument, "replikasi")
    assert "kebaruan" not in limits  # hidden from replikasi
    assert limits["adaptabilitas"] == 300 and limits["faktor_pembeda"] == 100
    answers = {
        "faktor_pembeda": "beda " * 101,
        "ringkasan": "ringkas " * 201,
        "kebaruan": "baru " * 5000,  # not a replikasi section: ignored
        "inspirasi": "<p>" + "ilham " * 100 + "</p>",  # exactly at the limit
    }
    found = word_limit_problems(answers, limits, section_labels(instrument))
    assert [(p.section, p.count, p.limit) for p in found] == [
        ("ringkasan", 201, 200),
        ("faktor_pembeda", 101, 100),
    ]
    assert found[1].message.startswith("Jawaban bagian Faktor Pembeda berisi 101 kata")
