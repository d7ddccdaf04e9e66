"""SKM instruments: read and validate `instruments/skm-*.yaml` (skm.md §1–§3).

An SKM instrument is an answer scale (1–4), the elements with their answer wording, a
weight rule (``printed``: multiply by the weight printed in the regulation; ``exact``:
divide by the number of elements), the conversion factor (25) and the grade table. Decimals
are written as quoted text (``"0.111"``) so that no digit is lost.

- :func:`load_instrument` — a YAML file or text → a frozen :class:`SkmInstrument`; raises
  :class:`SkmInstrumentError` naming *every* problem with its YAML path
  (``bands[1].nik_min: …``).
- :func:`validate` — plain data → every problem, in data order.

This module is pure: no ORM.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
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
from prima.skm.enums import WeightRule

PROGRAMME = "skm"
GRADE_ON = "ikm_converted"
# Grading reads the converted value at 2 dp, so adjacent grades meet 0.01 apart.
GRADE_STEP = Decimal("0.01")
ELEMENT_CODE_RE = re.compile(r"[A-Z][A-Z0-9]*\Z")

_TOP_KEYS = (
    "code",
    "programme",
    "legal_basis",
    "scale",
    "elements",
    "weight_rule",
    "printed_weight",
    "conversion_factor",
    "bands",
)
_TOP_OPTIONAL = ("title", "grade_on")
_BAND_KEYS = ("grade", "ni_min", "ni_max", "nik_min", "nik_max", "performance")


class SkmInstrumentError(ProblemsError):
    """The instrument is invalid; ``problems`` holds every problem found, in data order."""

    title = "instrumen SKM tidak sah"


@dataclass(frozen=True)
class Element:
    """One element (unsur): its stable code, name, question and the wording of each answer."""

    code: str
    name: str
    answers: Mapping[int, str]
    question: str | None = None


@dataclass(frozen=True)
class Band:
    """One grade: ``nik_min ≤ converted (2 dp)``; NI bounds are shown for reference only."""

    grade: str
    performance: str
    ni_min: Decimal
    ni_max: Decimal
    nik_min: Decimal
    nik_max: Decimal


@dataclass(frozen=True)
class SkmInstrument:
    code: str
    title: str
    legal_basis: tuple[str, ...]
    scale_min: int
    scale_max: int
    elements: tuple[Element, ...]
    weight_rule: WeightRule
    printed_weight: Decimal
    conversion_factor: Decimal
    # From the highest grade down, as written.
    bands: tuple[Band, ...]

    @property
    def element_codes(self) -> tuple[str, ...]:
        return tuple(element.code for element in self.elements)

    @property
    def answer_values(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    def element(self, code: str) -> Element:
        for element in self.elements:
            if element.code == code:
                return element
        raise KeyError(code)

    def weight(self, rule: WeightRule) -> Fraction:
        """The factor each element average is multiplied by under ``rule``."""
        if rule == WeightRule.PRINTED:
            return Fraction(self.printed_weight)
        return Fraction(1, len(self.elements))

    def band_for(self, converted: Decimal) -> Band:
        """The grade of a converted value (2 dp): the first band whose ``nik_min`` it reaches.

        Values under the lowest threshold (24.98 under the printed weight) get the lowest band.
        """
        for band in self.bands:
            if converted >= band.nik_min:
                return band
        return self.bands[-1]


# --------------------------------------------------------------------------- reading


def load_instrument(source: str | os.PathLike[str]) -> SkmInstrument:
    """Parse, validate and build an instrument; raises :class:`SkmInstrumentError`.

    ``source`` is a file (a path, or one line ending in ``.yaml``) or YAML text.
    """
    return load_validated(source, validate, _build, SkmInstrumentError)


def _build(data: Mapping[str, Any]) -> SkmInstrument:
    scale = data["scale"]
    default_answers = scale.get("labels") or {}
    elements = tuple(
        Element(
            code=item["code"],
            name=item["name"],
            answers=MappingProxyType(dict(item.get("answers") or default_answers)),
            question=item.get("question"),
        )
        for item in data["elements"]
    )
    bands = tuple(
        Band(
            grade=item["grade"],
            performance=item["performance"],
            **{key: as_decimal(item[key]) for key in ("ni_min", "ni_max", "nik_min", "nik_max")},
        )
        for item in data["bands"]
    )
    return SkmInstrument(
        code=data["code"],
        title=data.get("title") or data["code"],
        legal_basis=tuple(data["legal_basis"]),
        scale_min=scale["min"],
        scale_max=scale["max"],
        elements=elements,
        weight_rule=WeightRule(data["weight_rule"]),
        printed_weight=as_decimal(data["printed_weight"]),
        conversion_factor=as_decimal(data["conversion_factor"]),
        bands=bands,
    )


# --------------------------------------------------------------------------- validation


class _Checker(DecimalChecker):
    example = "0.111"


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
        basis = check.items(root["legal_basis"], "legal_basis")
        for index, item in enumerate(basis or ()):
            check.text(item, f"legal_basis[{index}]")
    scale = _check_scale(check, root["scale"]) if "scale" in root else None
    count = _check_elements(check, root["elements"], scale) if "elements" in root else None
    if "weight_rule" in root and root["weight_rule"] not in WeightRule.values:
        check.add(
            "weight_rule",
            f"{show_value(root['weight_rule'])} tidak dikenal; "
            f"pilih {' atau '.join(WeightRule.values)}",
        )
    if "printed_weight" in root:
        _check_printed_weight(check, root["printed_weight"], count)
    factor = None
    if "conversion_factor" in root:
        factor = check.decimal(root["conversion_factor"], "conversion_factor")
        if factor is not None and factor <= 0:
            check.add("conversion_factor", f"harus lebih besar dari 0, bukan {plain(factor)}")
            factor = None
    if "grade_on" in root and root["grade_on"] != GRADE_ON:
        check.add(
            "grade_on", f"hanya {GRADE_ON!r} yang didukung, bukan {show_value(root['grade_on'])}"
        )
    if "bands" in root:
        span = None
        if scale is not None and factor is not None:
            span = (factor * scale[0], factor * scale[1])
        _check_bands(check, root["bands"], span)
    return check.problems


def _check_scale(check: _Checker, value: object) -> tuple[int, int, bool] | None:
    """The scale's (min, max, has labels?) when usable; labels are checked against it."""
    scale = check.mapping(value, "scale", ("min", "max"), ("labels",))
    if scale is None:
        return None
    low = check.integer(scale["min"], "scale.min", 0) if "min" in scale else None
    high = check.integer(scale["max"], "scale.max", 0) if "max" in scale else None
    if low is None or high is None:
        return None
    if low >= high:
        check.add("scale.min", f"min {low} harus lebih kecil dari max {high}")
        return None
    if "labels" in scale:
        _check_answers(check, scale["labels"], "scale.labels", range(low, high + 1))
    return low, high, "labels" in scale


def _check_answers(check: _Checker, value: object, path: str, values: range) -> None:
    """Wording for each answer value of the scale, and for nothing else."""
    answers = check.mapping(value, path, closed=False)
    if answers is None:
        return
    for key, label in answers.items():
        if isinstance(key, bool) or key not in values:
            check.add(
                join(path, key),
                f"nilai jawaban {key!r} di luar skala {values.start}–{values.stop - 1}",
            )
        else:
            check.text(label, join(path, key))
    for missing in (v for v in values if v not in answers):
        check.add(join(path, missing), "wajib diisi (teks jawaban untuk nilai ini)")


def _check_elements(
    check: _Checker, value: object, scale: tuple[int, int, bool] | None
) -> int | None:
    """The number of elements when the list is usable.

    Each element words its answers itself (``answers``) or takes ``scale.labels``.
    """
    elements = check.items(value, "elements")
    if not elements:
        return None
    codes: list[tuple[str, str | None]] = []
    for index, item in enumerate(elements):
        path = f"elements[{index}]"
        element = check.mapping(item, path, ("code", "name"), ("question", "answers"))
        if element is None:
            continue
        code = None
        if "code" in element:
            code = check.text(element["code"], join(path, "code"))
            if code is not None and not ELEMENT_CODE_RE.match(code):
                check.add(
                    join(path, "code"),
                    f"kode {code!r} harus huruf besar dan angka, diawali huruf (mis. U1)",
                )
                code = None
        codes.append((path, code))
        if "name" in element:
            check.text(element["name"], join(path, "name"))
        if "question" in element:
            check.text(element["question"], join(path, "question"))
        if scale is None:
            continue
        low, high, has_labels = scale
        if "answers" in element:
            _check_answers(check, element["answers"], join(path, "answers"), range(low, high + 1))
        elif not has_labels:
            check.add(join(path, "answers"), "wajib diisi bila scale.labels tidak ada")
    check.unique(codes)
    return len(elements)


def _check_printed_weight(check: _Checker, value: object, count: int | None) -> None:
    """The printed weight must be 1/k rounded half up to the decimals it is written with."""
    weight = check.decimal(value, "printed_weight")
    if weight is None:
        return
    if weight <= 0:
        check.add("printed_weight", f"harus lebih besar dari 0, bukan {plain(weight)}")
        return
    if count is None:
        return
    places = max(-int(weight.as_tuple().exponent), 0)
    expected = (Decimal(1) / Decimal(count)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    if weight != expected:
        check.add(
            "printed_weight",
            f"{plain(weight)} bukan 1/{count} yang dibulatkan ke {places} desimal "
            f"({plain(expected)})",
        )


def _check_bands(check: _Checker, value: object, span: tuple[Decimal, Decimal] | None) -> None:
    """Grades from the highest down, meeting 0.01 apart, covering the converted range."""
    items = check.items(value, "bands")
    if not items:
        return
    usable: list[tuple[str, Decimal, Decimal]] = []
    grades: list[tuple[str, str | None]] = []
    for index, item in enumerate(items):
        path = f"bands[{index}]"
        band = check.mapping(item, path, _BAND_KEYS)
        if band is None:
            continue
        grade = check.text(band["grade"], join(path, "grade")) if "grade" in band else None
        grades.append((path, grade))
        if "performance" in band:
            check.text(band["performance"], join(path, "performance"))
        bounds = {
            key: check.decimal(band[key], join(path, key)) if key in band else None
            for key in ("ni_min", "ni_max", "nik_min", "nik_max")
        }
        for kind in ("ni", "nik"):
            low, high = bounds[f"{kind}_min"], bounds[f"{kind}_max"]
            if low is not None and high is not None and low > high:
                check.add(
                    join(path, f"{kind}_min"),
                    f"{plain(low)} lebih besar dari {kind}_max {plain(high)}",
                )
                bounds[f"{kind}_min"] = None
        low, high = bounds["nik_min"], bounds["nik_max"]
        if low is not None and high is not None:
            usable.append((path, low, high))
    # Uniqueness of grades reads the ``grade`` key, not ``code``.
    seen: set[str] = set()
    for path, grade in grades:
        if grade is not None and grade in seen:
            check.add(join(path, "grade"), f"mutu {grade!r} dipakai dua kali")
        if grade is not None:
            seen.add(grade)
    if len(usable) != len(items):
        return
    for (upper_path, upper_min, _), (lower_path, _, lower_max) in pairwise(usable):
        if lower_max + GRADE_STEP != upper_min:
            check.add(
                join(lower_path, "nik_max"),
                f"{plain(lower_max)} harus tepat {plain(GRADE_STEP)} di bawah nik_min "
                f"{upper_path} ({plain(upper_min)}); urutkan dari mutu tertinggi",
            )
    if span is not None:
        bottom, top = span
        if usable[0][2] != top:
            check.add(
                join(usable[0][0], "nik_max"),
                f"{plain(usable[0][2])} harus sama dengan nilai konversi tertinggi {plain(top)}",
            )
        if usable[-1][1] != bottom:
            check.add(
                join(usable[-1][0], "nik_min"),
                f"{plain(usable[-1][1])} harus sama dengan nilai konversi terendah {plain(bottom)}",
            )
