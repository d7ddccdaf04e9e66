"""The normative word count of proposal answers (kipp.md §7.3, acceptance example A4).

Strip markup; split on Unicode whitespace; a token is one word if it holds at least one
letter or digit. So ``KTP-el``, ``1.250`` and ``jam,`` count once each, and tokens made
only of punctuation or symbols (``—``, ``%``) do not count.

Answers come from the rich-text editor as HTML or as plain text. Tags that start a new
block (paragraphs, list items, line breaks, table cells …) separate words; inline tags
(``<b>``, ``<span>`` …) do not, so ``<b>KTP</b>-el`` stays one word. Character references
are decoded (``&nbsp;`` is whitespace). Script and style content is not text.

This module is pure: no ORM, no Django.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser

from prima.evaluation.domain.instruments import Instrument

CODE = "word_limit_exceeded"

# Inline elements: their tags do not separate words. Every other tag does.
_INLINE = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
    }
)
_NOT_TEXT = frozenset({"script", "style", "template"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0  # depth inside script/style

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _NOT_TEXT:
            self._hidden += 1
        elif tag not in _INLINE:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _NOT_TEXT:
            self._hidden = max(0, self._hidden - 1)
        elif tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def strip_markup(text: str) -> str:
    """The text of an HTML fragment; plain text comes back unchanged (entities decoded)."""
    if "<" not in text and "&" not in text:
        return text
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def _is_word(token: str) -> bool:
    # Unicode letters (L*) and numbers (N*): "KTP-el", "1.250", "jam," and "²" are words.
    return any(unicodedata.category(char)[0] in "LN" for char in token)


def count_words(text: str | None) -> int:
    """The number of words in an answer, by the §7.3 rule; 0 for None or empty text."""
    if not text:
        return 0
    return sum(1 for token in strip_markup(text).split() if _is_word(token))


@dataclass(frozen=True)
class WordLimitExceeded:
    """An answer over its section's word limit; blocks every forward transition (§8)."""

    section: str
    count: int
    limit: int
    label: str | None = None  # the section's display name, when known

    code = CODE

    @property
    def machine(self) -> str:
        """``word_limit_exceeded(adaptabilitas, 301/300)``."""
        return f"{CODE}({self.section}, {self.count}/{self.limit})"

    @property
    def message(self) -> str:
        """An Indonesian sentence for the participant."""
        name = self.label or self.section
        excess = self.count - self.limit
        return (
            f"Jawaban bagian {name} berisi {self.count} kata, melebihi batas {self.limit} kata; "
            f"kurangi {excess} kata sebelum dikirim."
        )

    def __str__(self) -> str:
        return f"{self.machine}: {self.message}"


def section_limits(instrument: Instrument, group: str) -> dict[str, int]:
    """Section code → maximum words, for the sections ``group`` sees, in instrument order."""
    return {section.code: section.max_words for section in instrument.visible_sections(group)}


def section_labels(instrument: Instrument) -> dict[str, str]:
    """Section code → its Indonesian label, for readable messages."""
    return {section.code: section.label for section in instrument.sections}


def word_limit_problems(
    answers: Mapping[str, str | None],
    limits: Mapping[str, int],
    labels: Mapping[str, str] | None = None,
) -> list[WordLimitExceeded]:
    """Every section whose answer is over its limit, in the order of ``limits``.

    ``limits`` maps section codes to maximum words (see :func:`section_limits`); answers
    to sections without a limit are ignored, and a missing answer counts 0 words. Over-limit
    text may still be saved as a draft; the caller blocks only forward transitions.
    """
    problems = []
    for section, limit in limits.items():
        count = count_words(answers.get(section))
        if count > limit:
            label = labels.get(section) if labels else None
            problems.append(WordLimitExceeded(section, count, limit, label))
    return problems
