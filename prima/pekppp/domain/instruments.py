"""PEKPPP instruments: read and validate `instruments/pekppp-*.yaml` (pekppp.md §5, §11).

An instrument is six weighted aspects, the indicators scored 0–5 (each with its weight inside
its aspect, principle code, six level descriptors and how the suggested level is found:
``ladder``, ``checklist``, ``choice`` or a named ``rule`` of §6), the zero-weight
supplementary questions, the F-03 items, the bands (grade, predicate) and the rounding.
A historical version (``pekppp-2017``) may hold aspects only: its results are imported as
aspect scores.

- :func:`load_instrument` — a YAML file or text → a frozen :class:`PekpppInstrument`;
  raises :class:`PekpppInstrumentError` naming *every* problem with its YAML path
  (``indicators[3].code: …``).
- :func:`validate` — plain data → every problem, in data order.

This module is pure: no ORM.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from types import MappingProxyType
from typing import Any

from prima.evaluation.domain.instruments import load_validated
from prima.evaluation.domain.yamlcheck import (
    DOTTED_CODE_RE,
    ROOT,
    DecimalChecker,
    Problem,
    ProblemsError,
    as_decimal,
    join,
    plain,
    show_value,
)

PROGRAMME = "pekppp"
ASPECT_COUNT = 6
LEVEL_COUNT = 6  # levels 0..5
SCALE_MIN = 0
SCALE_MAX = 5
WEIGHT_TOTAL = Decimal(100)
BAND_STEP = Decimal("0.01")
QUANTUM = "0.01"
ROUNDING_MODE = "ROUND_HALF_UP"
SCORING_TYPES = ("ladder", "checklist", "choice", "rule")
# The named computations of pekppp.md §6 (prima.pekppp.domain.rules).
RULE_NAMES = (
    "publication_media",
    "review_cycle",
    "rtl_percentage",
    "rtl_speed",
    "award_criteria",
    "complaint_resolution",
    "innovation_resources",
)
ASPECT_CODE_RE = re.compile(r"[IVX]+\Z")
LETTER_RE = re.compile(r"[a-z]\Z")
PRINCIPLE_RE = re.compile(r"[A-Z][a-z]?\Z")

_TOP_KEYS = ("code", "programme", "legal_basis", "scale", "aspects", "bands", "rounding")
_TOP_OPTIONAL = ("title", "cycles", "principles", "indicators", "supplementary", "f03_items")
_ASPECT_KEYS = ("code", "letter", "name", "weight")
_INDICATOR_KEYS = ("number", "code", "aspect", "principle", "weight", "scoring", "title", "levels")
_INDICATOR_OPTIONAL = ("evidence", "items", "gate", "count_to_level", "rule")
_BAND_KEYS = ("grade", "min", "max", "predicate")


class PekpppInstrumentError(ProblemsError):
    """The instrument is invalid; ``problems`` holds every problem found, in data order."""

    title = "instrumen PEKPPP tidak sah"


@dataclass(frozen=True)
class Aspect:
    code: str  # I … VI
    letter: str  # a … f
    name: str
    weight: Decimal  # percent of the IPP


@dataclass(frozen=True)
class Indicator:
    number: int
    code: str  # <number>.<letter>.<principle>
    aspect: str
    principle: str
    weight: Decimal  # percent of its aspect
    scoring: str
    title: str
    levels: tuple[str, ...]
    evidence: str = ""
    # A list of item texts, or the name of an open or shared list (``open_list_of_media``).
    items: tuple[str, ...] | str | None = None
    gate: str | None = None
    count_to_level: tuple[tuple[int, int], ...] = ()
    rule: str | None = None


@dataclass(frozen=True)
class Band:
    """One grade: ``min ≤ IPP (2 dp) ≤ max``."""

    grade: str
    minimum: Decimal
    maximum: Decimal
    predicate: str


@dataclass(frozen=True)
class F03Item:
    number: int
    code: str
    aspect: str
    text: str


@dataclass(frozen=True)
class PekpppInstrument:
    code: str
    title: str
    legal_basis: tuple[str, ...]
    cycles: tuple[int, ...]
    principles: Mapping[str, str | None]
    aspects: tuple[Aspect, ...]
    indicators: tuple[Indicator, ...]
    supplementary: tuple[Mapping[str, Any], ...]
    f03_items: tuple[F03Item, ...]
    # From the highest grade down, as written.
    bands: tuple[Band, ...]

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(indicator.number for indicator in self.indicators)

    def aspect(self, code: str) -> Aspect:
        for aspect in self.aspects:
            if aspect.code == code:
                return aspect
        raise KeyError(code)

    def indicator(self, number: int) -> Indicator:
        for indicator in self.indicators:
            if indicator.number == number:
                return indicator
        raise KeyError(number)

    def global_weight(self, number: int) -> Decimal:
        """Effective weight of an indicator in percent of the IPP: W_a × w_ai / 100 (§9)."""
        indicator = self.indicator(number)
        return self.aspect(indicator.aspect).weight * indicator.weight / WEIGHT_TOTAL

    def band_for(self, ipp_2dp: Decimal) -> Band:
        """The band holding an IPP already rounded to 2 dp."""
        for band in self.bands:
            if band.minimum <= ipp_2dp <= band.maximum:
                return band
        raise ValueError(f"IPP {ipp_2dp} di luar skala {SCALE_MIN}–{SCALE_MAX}")


# --------------------------------------------------------------------------- reading


def load_instrument(source: str | os.PathLike[str]) -> PekpppInstrument:
    """Parse, validate and build an instrument; raises :class:`PekpppInstrumentError`.

    ``source`` is a file (a path, or one line ending in ``.yaml``) or YAML text.
    """
    return load_validated(source, validate, _build, PekpppInstrumentError)


def _items(value: object) -> tuple[str, ...] | str | None:
    if value is None or isinstance(value, str):
        return value
    return tuple(value)  # type: ignore[arg-type]


def _build(data: Mapping[str, Any]) -> PekpppInstrument:
    aspects = tuple(
        Aspect(
            code=item["code"],
            letter=item["letter"],
            name=item["name"],
            weight=as_decimal(item["weight"]),
        )
        for item in data["aspects"]
    )
    indicators = tuple(
        Indicator(
            number=item["number"],
            code=item["code"],
            aspect=item["aspect"],
            principle=item["principle"],
            weight=as_decimal(item["weight"]),
            scoring=item["scoring"],
            title=item["title"],
            levels=tuple(item["levels"]),
            evidence=item.get("evidence") or "",
            items=_items(item.get("items")),
            gate=item.get("gate"),
            count_to_level=tuple(
                (int(pair[0]), int(pair[1])) for pair in item.get("count_to_level") or ()
            ),
            rule=item.get("rule"),
        )
        for item in data.get("indicators") or ()
    )
    bands = tuple(
        Band(
            grade=item["grade"],
            minimum=as_decimal(item["min"]),
            maximum=as_decimal(item["max"]),
            predicate=item["predicate"],
        )
        for item in data["bands"]
    )
    f03 = tuple(
        F03Item(number=item["number"], code=item["code"], aspect=item["aspect"], text=item["text"])
        for item in data.get("f03_items") or ()
    )
    return PekpppInstrument(
        code=data["code"],
        title=data.get("title") or data["code"],
        legal_basis=tuple(data["legal_basis"]),
        cycles=tuple(data.get("cycles") or ()),
        principles=MappingProxyType(dict(data.get("principles") or {})),
        aspects=aspects,
        indicators=indicators,
        supplementary=tuple(
            MappingProxyType(dict(item)) for item in data.get("supplementary") or ()
        ),
        f03_items=f03,
        bands=bands,
    )


# --------------------------------------------------------------------------- validation


class _Checker(DecimalChecker):
    example = "4.51"

    def weight(self, value: object, path: str) -> Decimal | None:
        weight = self.decimal(value, path)
        if weight is not None and weight < 0:
            self.add(path, f"bobot tidak boleh negatif, bukan {plain(weight)}")
            return None
        return weight


def validate(data: object) -> list[Problem]:
    """Every problem of an instrument's plain data, in data order; [] when valid."""
    check = _Checker()
    root = check.mapping(data, ROOT, _TOP_KEYS, _TOP_OPTIONAL)
    if root is None:
        return check.problems
    if "code" in root:
        check.code(root["code"], "code", DOTTED_CODE_RE)
    if "programme" in root and root["programme"] != PROGRAMME:
        check.add("programme", f"harus {PROGRAMME!r}, bukan {show_value(root['programme'])}")
    if "title" in root:
        check.text(root["title"], "title")
    if "legal_basis" in root:
        for index, item in enumerate(check.items(root["legal_basis"], "legal_basis") or ()):
            check.text(item, f"legal_basis[{index}]")
    if "cycles" in root:
        for index, item in enumerate(check.items(root["cycles"], "cycles") or ()):
            check.integer(item, f"cycles[{index}]", 2000)
    if "scale" in root:
        _check_scale(check, root["scale"])
    principles = _check_principles(check, root["principles"]) if "principles" in root else None
    aspects = _check_aspects(check, root["aspects"]) if "aspects" in root else None
    if "indicators" in root:
        _check_indicators(check, root["indicators"], aspects, principles)
    if "supplementary" in root:
        _check_supplementary(check, root["supplementary"])
    if "f03_items" in root:
        _check_f03(check, root["f03_items"], aspects)
    if "bands" in root:
        _check_bands(check, root["bands"])
    if "rounding" in root:
        rounding = check.mapping(root["rounding"], "rounding", ("quantum", "mode"))
        if rounding is not None:
            if "quantum" in rounding and rounding["quantum"] not in (QUANTUM, Decimal(QUANTUM)):
                check.add(
                    "rounding.quantum",
                    f'harus "{QUANTUM}", bukan {show_value(rounding["quantum"])}',
                )
            if "mode" in rounding and rounding["mode"] != ROUNDING_MODE:
                check.add(
                    "rounding.mode", f"harus {ROUNDING_MODE}, bukan {show_value(rounding['mode'])}"
                )
    return check.problems


def _check_scale(check: _Checker, value: object) -> None:
    scale = check.mapping(value, "scale", ("min", "max", "integer"))
    if scale is None:
        return
    expected = {"min": SCALE_MIN, "max": SCALE_MAX, "integer": True}
    for key, wanted in expected.items():
        if key in scale and (scale[key] != wanted or type(scale[key]) is not type(wanted)):
            check.add(join("scale", key), f"harus {wanted!r}, bukan {show_value(scale[key])}")


def _check_principles(check: _Checker, value: object) -> set[str] | None:
    principles = check.mapping(value, "principles", closed=False)
    if principles is None:
        return None
    codes: set[str] = set()
    for key, label in principles.items():
        path = join("principles", key)
        if not isinstance(key, str) or not PRINCIPLE_RE.match(key):
            check.add(path, f"kode prinsip {key!r} harus huruf besar diikuti ≤ 1 huruf kecil")
            continue
        if label is not None:
            check.text(label, path)
        codes.add(key)
    return codes


def _check_aspects(check: _Checker, value: object) -> dict[str, tuple[str, Decimal | None]] | None:
    """Aspect code → (letter, weight) when the list is usable."""
    items = check.items(value, "aspects")
    if items is None:
        return None
    if len(items) != ASPECT_COUNT:
        check.add("aspects", f"harus tepat {ASPECT_COUNT} aspek, bukan {len(items)}")
    result: dict[str, tuple[str, Decimal | None]] = {}
    letters: set[str] = set()
    total = Decimal(0)
    complete = True
    for index, item in enumerate(items):
        path = f"aspects[{index}]"
        aspect = check.mapping(item, path, _ASPECT_KEYS)
        if aspect is None:
            complete = False
            continue
        code = check.code(aspect.get("code"), join(path, "code"), ASPECT_CODE_RE)
        letter = check.code(aspect.get("letter"), join(path, "letter"), LETTER_RE)
        check.text(aspect.get("name"), join(path, "name"))
        weight = check.weight(aspect.get("weight"), join(path, "weight"))
        if weight is None:
            complete = False
        else:
            total += weight
        if code is not None and code in result:
            check.add(join(path, "code"), f"kode {code!r} dipakai dua kali")
        elif code is not None and letter is not None:
            if letter in letters:
                check.add(join(path, "letter"), f"huruf {letter!r} dipakai dua kali")
            letters.add(letter)
            result[code] = (letter, weight)
    if complete and total != WEIGHT_TOTAL:
        check.add("aspects", f"bobot aspek berjumlah {plain(total)}, harus 100")
    return result


def _check_indicators(
    check: _Checker,
    value: object,
    aspects: Mapping[str, tuple[str, Decimal | None]] | None,
    principles: set[str] | None,
) -> None:
    items = check.items(value, "indicators")
    if not items:
        return
    numbers: list[tuple[str, int]] = []
    totals: dict[str, Decimal] = {}
    broken: set[str] = set()
    for index, item in enumerate(items):
        path = f"indicators[{index}]"
        indicator = check.mapping(item, path, _INDICATOR_KEYS, _INDICATOR_OPTIONAL)
        if indicator is None:
            continue
        number = None
        if "number" in indicator:
            number = check.integer(indicator["number"], join(path, "number"), 1)
            if number is not None:
                numbers.append((path, number))
        aspect = indicator.get("aspect")
        if "aspect" in indicator and aspects is not None and aspect not in aspects:
            check.add(join(path, "aspect"), f"aspek {show_value(aspect)} tidak ada di aspects")
            aspect = None
        principle = indicator.get("principle")
        if "principle" in indicator:
            if check.code(principle, join(path, "principle"), PRINCIPLE_RE) is None:
                principle = None
            elif principles is not None and principle not in principles:
                check.add(join(path, "principle"), f"prinsip {principle!r} tidak ada di principles")
        if "code" in indicator:
            code = check.text(indicator["code"], join(path, "code"))
            if code is not None and number is not None and aspect and principle and aspects:
                expected = f"{number}.{aspects[aspect][0]}.{principle}"
                if code != expected:
                    check.add(join(path, "code"), f"kode {code!r} harus {expected!r}")
        if "weight" in indicator:
            weight = check.weight(indicator["weight"], join(path, "weight"))
            if isinstance(aspect, str):
                if weight is None:
                    broken.add(aspect)
                else:
                    totals[aspect] = totals.get(aspect, Decimal(0)) + weight
        if "title" in indicator:
            check.text(indicator["title"], join(path, "title"))
        if "evidence" in indicator:
            check.text(indicator["evidence"], join(path, "evidence"))
        if "levels" in indicator:
            levels = check.items(indicator["levels"], join(path, "levels"))
            if levels is not None:
                if len(levels) != LEVEL_COUNT:
                    check.add(
                        join(path, "levels"),
                        f"harus {LEVEL_COUNT} teks tingkat (0–5), bukan {len(levels)}",
                    )
                for level, text in enumerate(levels):
                    check.text(text, f"{join(path, 'levels')}[{level}]")
        _check_scoring(check, indicator, path)
    seen: set[int] = set()
    for path, number in numbers:
        if number in seen:
            check.add(join(path, "number"), f"nomor {number} dipakai dua kali")
        seen.add(number)
    if seen and sorted(seen) != list(range(1, len(seen) + 1)):
        check.add("indicators", f"nomor indikator harus 1–{len(seen)} tanpa celah")
    for code in aspects or {}:
        if code in broken:
            continue
        total = totals.get(code, Decimal(0))
        if total != WEIGHT_TOTAL:
            check.add(
                "indicators", f"bobot indikator aspek {code} berjumlah {plain(total)}, harus 100"
            )


def _check_scoring(check: _Checker, indicator: Mapping[str, Any], path: str) -> None:
    scoring = indicator.get("scoring")
    if "scoring" in indicator and scoring not in SCORING_TYPES:
        check.add(
            join(path, "scoring"),
            f"{show_value(scoring)} tidak dikenal; pilih {', '.join(SCORING_TYPES)}",
        )
        return
    if "items" in indicator:
        items = indicator["items"]
        if isinstance(items, list):
            check.items(items, join(path, "items"))
            for index, text in enumerate(items):
                check.text(text, f"{join(path, 'items')}[{index}]")
        else:
            check.text(items, join(path, "items"))
    if "gate" in indicator:
        check.text(indicator["gate"], join(path, "gate"))
    if scoring == "rule":
        rule = indicator.get("rule")
        if rule not in RULE_NAMES:
            check.add(
                join(path, "rule"),
                f"{show_value(rule)} tidak dikenal; pilih {', '.join(RULE_NAMES)}",
            )
    elif "rule" in indicator:
        check.add(join(path, "rule"), "hanya untuk scoring: rule")
    if scoring == "checklist":
        if "items" not in indicator:
            check.add(join(path, "items"), "wajib diisi untuk scoring: checklist")
        if "count_to_level" not in indicator:
            check.add(join(path, "count_to_level"), "wajib diisi untuk scoring: checklist")
        else:
            _check_count_to_level(check, indicator["count_to_level"], join(path, "count_to_level"))
    elif "count_to_level" in indicator:
        check.add(join(path, "count_to_level"), "hanya untuk scoring: checklist")


def _check_count_to_level(check: _Checker, value: object, path: str) -> None:
    pairs = check.items(value, path)
    usable: list[tuple[int, int]] = []
    for index, pair in enumerate(pairs or ()):
        where = f"{path}[{index}]"
        if not isinstance(pair, list) or len(pair) != 2:
            check.add(where, f"harus pasangan [jumlah minimum, tingkat], bukan {show_value(pair)}")
            continue
        count = check.integer(pair[0], f"{where}[0]", 0)
        level = check.integer(pair[1], f"{where}[1]", 0)
        if level is not None and level > SCALE_MAX:
            check.add(f"{where}[1]", f"tingkat harus {SCALE_MIN}–{SCALE_MAX}, bukan {level}")
            continue
        if count is not None and level is not None:
            usable.append((count, level))
    if pairs is not None and len(usable) == len(pairs):
        for index, (before, after) in enumerate(pairwise(usable), start=1):
            if after[0] <= before[0] or after[1] <= before[1]:
                check.add(f"{path}[{index}]", "jumlah dan tingkat harus naik tegas")


def _check_supplementary(check: _Checker, value: object) -> None:
    for index, item in enumerate(check.items(value, "supplementary", non_empty=False) or ()):
        path = f"supplementary[{index}]"
        question = check.mapping(
            item, path, ("number", "code", "weight", "title"), ("answer", "evidence")
        )
        if question is None:
            continue
        check.integer(question.get("number"), join(path, "number"), 1)
        check.text(question.get("code"), join(path, "code"))
        check.text(question.get("title"), join(path, "title"))
        weight = check.weight(question.get("weight"), join(path, "weight"))
        if weight is not None and weight != 0:
            check.add(
                join(path, "weight"),
                f"pertanyaan tambahan tidak berbobot: harus 0, bukan {plain(weight)}",
            )


def _check_f03(
    check: _Checker, value: object, aspects: Mapping[str, tuple[str, Decimal | None]] | None
) -> None:
    numbers: set[int] = set()
    codes: list[tuple[str, str | None]] = []
    for index, item in enumerate(check.items(value, "f03_items") or ()):
        path = f"f03_items[{index}]"
        entry = check.mapping(item, path, ("number", "code", "aspect", "text"))
        if entry is None:
            continue
        number = check.integer(entry.get("number"), join(path, "number"), 1)
        if number is not None:
            if number in numbers:
                check.add(join(path, "number"), f"nomor {number} dipakai dua kali")
            numbers.add(number)
        codes.append((path, check.text(entry.get("code"), join(path, "code"))))
        if aspects is not None and entry.get("aspect") not in aspects:
            check.add(
                join(path, "aspect"),
                f"aspek {show_value(entry.get('aspect'))} tidak ada di aspects",
            )
        check.text(entry.get("text"), join(path, "text"))
    check.unique(codes)


def _check_bands(check: _Checker, value: object) -> None:
    """Grades from the highest down, meeting 0.01 apart, covering 0.00–5.00."""
    items = check.items(value, "bands")
    if not items:
        return
    usable: list[tuple[str, Decimal, Decimal]] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        path = f"bands[{index}]"
        band = check.mapping(item, path, _BAND_KEYS)
        if band is None:
            continue
        grade = check.text(band.get("grade"), join(path, "grade"))
        if grade is not None and grade in seen:
            check.add(join(path, "grade"), f"mutu {grade!r} dipakai dua kali")
        if grade is not None:
            seen.add(grade)
        check.text(band.get("predicate"), join(path, "predicate"))
        low = check.decimal(band.get("min"), join(path, "min"))
        high = check.decimal(band.get("max"), join(path, "max"))
        if low is not None and high is not None:
            if low > high:
                check.add(join(path, "min"), f"{plain(low)} lebih besar dari max {plain(high)}")
            else:
                usable.append((path, low, high))
    if len(usable) != len(items):
        return
    for (upper_path, upper_min, _), (lower_path, _, lower_max) in pairwise(usable):
        if lower_max + BAND_STEP != upper_min:
            check.add(
                join(lower_path, "max"),
                f"{plain(lower_max)} harus tepat {plain(BAND_STEP)} di bawah min {upper_path} "
                f"({plain(upper_min)}); urutkan dari mutu tertinggi",
            )
    if usable[0][2] != SCALE_MAX:
        check.add(join(usable[0][0], "max"), f"{plain(usable[0][2])} harus 5.00")
    if usable[-1][1] != SCALE_MIN:
        check.add(join(usable[-1][0], "min"), f"{plain(usable[-1][1])} harus 0.00")
