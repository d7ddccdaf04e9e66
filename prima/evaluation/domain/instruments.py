"""Instruments as data: load and validate the YAML under ``instruments/``.

DESIGN.md §1 (rules are data) and §5 (instrument), kipp.md §6 (save-time validation),
§7.1 / §7.2 (sections, word limits, weights per group) and §10.2 (score scale).

An instrument is a scale (with its levels), entry groups, sections with a word limit and
a weight per group (a percentage, or ``hidden`` when the group does not see the section),
rubrics, optional bands over the official score, optional level rules (thresholds of
suggested levels, :mod:`prima.evaluation.domain.level_bands`) and a rounding rule. The
YAML format is described in ``docs/instruments.md``.

Rubrics come in one of two forms: a single ``rubric`` (the older form; it is the
presentation rubric) or named ``rubrics`` (``presentation``, ``feasibility``, …), never
both. :meth:`Instrument.rubric_for` answers by name for either form, so a stage scored
with "the feasibility rubric" reads its weights from the instrument (whose content hash
every result records), never from the edition's mutable rules.

- :func:`parse` — YAML text or file → plain data. Numbers with a fraction are read as
  ``Decimal`` from their text (never through ``float``) and duplicate mapping keys are
  refused, since YAML would otherwise keep the last one silently.
- :func:`validate` — plain data → *all* problems, each a dotted path and an Indonesian
  message (``groups.umum: bobot bagian yang tampil berjumlah 95, harus 100``).
- :func:`load_instrument` — parse, validate, build the frozen :class:`Instrument`; raises
  :class:`InstrumentError` listing every problem.
- :func:`content_hash` — SHA-256 of a canonical JSON form, so that results can record
  the exact instrument they used.

Bands are half-open: a band holds ``min ≤ score < max``; the top band also holds the scale
maximum. Levels of an integer scale are inclusive integer ranges (``0–20``, ``21–40``, as in
kipp.md §10.2); levels of a decimal scale are half-open like bands.

This module is pure: no ORM, no Django.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeVar, cast

import yaml

from prima.evaluation.domain.level_bands import (
    LEVEL_RULES,
    LevelRules,
    build_level_rules,
    check_level_rules,
    level_rules_data,
)
from prima.evaluation.domain.yamlcheck import (
    CODE_RE,
    DOTTED_CODE_RE,
    ROOT,
    Checker,
    Problem,
    ProblemsError,
    container_name,
    join,
)

HIDDEN = "hidden"
WEIGHT_TOTAL = Decimal(100)
ROUNDING_MODES: Mapping[str, str] = MappingProxyType(
    {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}
)
SCALE_TYPES = ("integer", "decimal")
# Codes of groups, sections, rubric items, levels and bands (CODE_RE); instrument codes may
# also hold hyphens and dots (``kipp-default-v1``).
INSTRUMENT_CODE_RE = DOTTED_CODE_RE
YAML_PATH = "(yaml)"

RoundingMode = Literal["half_up", "half_even"]
ScaleType = Literal["integer", "decimal"]

_TOP_KEYS = ("code", "version", "programme", "title", "rounding", "scale", "groups", "sections")
_TOP_OPTIONAL = ("rubric", "rubrics", "bands", LEVEL_RULES)
# The name the single ``rubric`` answers to (kipp.md §7.1: it is the presentation rubric).
PRESENTATION_RUBRIC = "presentation"


# --------------------------------------------------------------------------- errors


# One problem: a dotted path into the data (``sections[3].code``) and a message.
InstrumentProblem = Problem


class InstrumentError(ProblemsError):
    """The instrument is invalid; ``problems`` holds every problem found, in data order."""

    title = "instrumen tidak sah"


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Rounding:
    places: int
    mode: RoundingMode

    def apply(self, value: Decimal) -> Decimal:
        """Round ``value`` to the official score (e.g. ``84.995`` → ``85.00`` half up)."""
        return value.quantize(Decimal(1).scaleb(-self.places), rounding=ROUNDING_MODES[self.mode])


@dataclass(frozen=True)
class Level:
    """A named range of the answer scale (an anchor such as ``61–80 baik``)."""

    code: str
    label: str
    min: Decimal
    max: Decimal


@dataclass(frozen=True)
class Scale:
    type: ScaleType
    min: Decimal
    max: Decimal
    levels: tuple[Level, ...] = ()
    # Values must be min + k·step (e.g. PKRI levels 0–4 stored as 0, 25, …, 100); None = any.
    step: Decimal | None = None


@dataclass(frozen=True)
class Group:
    code: str
    label: str


@dataclass(frozen=True)
class Section:
    code: str
    label: str
    max_words: int
    # Group code → weight in percent, or None when the section is hidden from the group.
    weights: Mapping[str, Decimal | None]
    description: str | None = None

    def weight(self, group: str) -> Decimal | None:
        """The weight for ``group``; None if hidden. Raises KeyError for an unknown group."""
        return self.weights[group]

    def visible_to(self, group: str) -> bool:
        return self.weights[group] is not None


@dataclass(frozen=True)
class RubricItem:
    code: str
    label: str
    weight: Decimal
    description: str | None = None


@dataclass(frozen=True)
class Rubric:
    items: tuple[RubricItem, ...]
    title: str | None = None

    def weights(self) -> dict[str, Decimal]:
        return {item.code: item.weight for item in self.items}


@dataclass(frozen=True)
class Band:
    """``min ≤ score < max``; the top band also holds the scale maximum."""

    code: str
    label: str
    min: Decimal
    max: Decimal


@dataclass(frozen=True)
class Instrument:
    code: str
    version: int
    programme: str
    title: str
    rounding: Rounding
    scale: Scale
    groups: tuple[Group, ...]
    sections: tuple[Section, ...]
    # The single rubric of the older form, as written (None in the named form).
    rubric: Rubric | None = None
    bands: tuple[Band, ...] = ()
    # Named rubrics, as written (empty in the older form).
    rubrics: Mapping[str, Rubric] = field(default_factory=lambda: MappingProxyType({}))
    # Thresholds of suggested levels per section (prima.evaluation.domain.level_bands).
    level_rules: LevelRules | None = None

    def rubric_for(self, name: str) -> Rubric | None:
        """The rubric called ``name``; the single ``rubric`` answers to ``presentation``."""
        if self.rubrics:
            return self.rubrics.get(name)
        return self.rubric if name == PRESENTATION_RUBRIC else None

    def rubric_names(self) -> tuple[str, ...]:
        """The names :meth:`rubric_for` answers to, in instrument order."""
        if self.rubrics:
            return tuple(self.rubrics)
        return (PRESENTATION_RUBRIC,) if self.rubric is not None else ()

    def section(self, code: str) -> Section:
        for section in self.sections:
            if section.code == code:
                return section
        raise KeyError(code)

    def visible_sections(self, group: str) -> tuple[Section, ...]:
        """The sections shown to ``group``, in instrument order (zero-weight ones included)."""
        self._check_group(group)
        return tuple(s for s in self.sections if s.visible_to(group))

    def weights(self, group: str) -> dict[str, Decimal]:
        """Section code → weight for the sections shown to ``group`` (sums to exactly 100).

        This is the ``weights`` argument of :func:`prima.evaluation.domain.scoring.weighted_total`.
        """
        return {s.code: cast(Decimal, s.weight(group)) for s in self.visible_sections(group)}

    def band_for(self, score: Decimal) -> Band | None:
        """The band holding an official score, or None (no bands, or outside the scale)."""
        for band in self.bands:
            if band.min <= score < band.max or (score == band.max == self.scale.max):
                return band
        return None

    def _check_group(self, group: str) -> None:
        if all(g.code != group for g in self.groups):
            raise KeyError(f"kelompok {group!r} tidak ada di instrumen {self.code}")


# --------------------------------------------------------------------------- parsing


class _Loader(yaml.SafeLoader):
    """Safe loader: fractional numbers become Decimal; duplicate mapping keys are errors."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key; the base class reports it
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"kunci {key!r} dipakai dua kali", key_node.start_mark
                )
        return super().construct_mapping(node, deep=deep)


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | float:
    text = str(loader.construct_scalar(node)).replace("_", "")
    if text.lower().lstrip("+-") in (".inf", ".nan") or ":" in text:
        return loader.construct_yaml_float(node)  # not finite or sexagesimal: refused later
    return Decimal(text)


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _read_text(source: str | os.PathLike[str]) -> str:
    """A ``PathLike`` is a file; a ``str`` is a file if it is one line ending in .yaml/.yml."""
    if isinstance(source, os.PathLike) or (
        "\n" not in source and source.strip().endswith((".yaml", ".yml"))
    ):
        return Path(source).read_text(encoding="utf-8")
    return source


def parse(source: str | os.PathLike[str]) -> Any:
    """YAML text or file → plain data (dicts, lists, str, int, Decimal, bool, None).

    Raises :class:`InstrumentError` (path ``(yaml)``) for a syntax error or a duplicate key.
    """
    text = _read_text(source)
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        where = f"baris {mark.line + 1}, kolom {mark.column + 1}: " if mark else ""
        raise InstrumentError([InstrumentProblem(YAML_PATH, f"{where}{problem}")]) from error


Built = TypeVar("Built")


def load_validated(
    source: str | os.PathLike[str],
    validate: Callable[[Any], Sequence[Problem]],
    build: Callable[[Any], Built],
    error: type[ProblemsError],
) -> Built:
    """Parse ``source`` (a YAML file or text), validate it and build it: the one way every
    programme's instrument reader loads; raises ``error`` naming every problem."""
    try:
        data = parse(source)
    except InstrumentError as failure:
        raise error(failure.problems) from failure
    problems = validate(data)
    if problems:
        raise error(problems)
    return build(data)


def load_instrument(source: str | os.PathLike[str]) -> Instrument:
    """Parse, validate and build an instrument; raises :class:`InstrumentError`."""
    data = parse(source)
    problems = validate(data)
    if problems:
        raise InstrumentError(problems)
    return build(data)


# --------------------------------------------------------------------------- validation


def _fmt(value: Decimal) -> str:
    """Canonical text of a number: ``95``, ``14.25`` (no exponent, no trailing zeros)."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _show(value: object) -> str:
    if isinstance(value, Decimal):
        return _fmt(value)
    return repr(value)


class _Checker(Checker):
    """A :class:`Checker` whose text, code and integer readers take a key of a mapping."""

    def __init__(self) -> None:
        super().__init__(_show, _kind)

    def text_at(self, obj: Mapping[str, Any], key: str, path: str) -> str | None:
        if key not in obj:
            return None  # reported as missing by mapping()
        return self.text(obj[key], join(path, key))

    def code_at(
        self,
        obj: Mapping[str, Any],
        path: str,
        pattern: re.Pattern[str] = CODE_RE,
        key: str = "code",
    ) -> str | None:
        if key not in obj:
            return None
        return self.code(obj[key], join(path, key), pattern)

    def integer_at(self, obj: Mapping[str, Any], key: str, path: str, minimum: int) -> int | None:
        if key not in obj:
            return None
        return self.integer(obj[key], join(path, key), minimum)


def _kind(value: object) -> str:
    if isinstance(value, str):
        return f"teks {value!r}"
    return container_name(value) or _show(value)


def validate(data: object) -> list[InstrumentProblem]:
    """Every problem of an instrument's plain data, in data order; [] when valid."""
    check = _Checker()
    root = check.mapping(data, ROOT, _TOP_KEYS, _TOP_OPTIONAL)
    if root is None:
        return check.problems

    check.code_at(root, "", INSTRUMENT_CODE_RE)
    check.integer_at(root, "version", "", 1)
    check.code_at(root, "", key="programme")
    check.text_at(root, "title", "")
    if "rounding" in root:
        _check_rounding(check, root["rounding"])
    scale = _check_scale(check, root["scale"]) if "scale" in root else None
    groups = _check_groups(check, root["groups"]) if "groups" in root else None
    if "sections" in root:
        _check_sections(check, root["sections"], groups)
    if "rubric" in root:
        _check_rubric(check, root["rubric"], "rubric")
    if "rubrics" in root:
        _check_rubrics(check, root["rubrics"], both="rubric" in root)
    if "bands" in root:
        _check_bands(check, root["bands"], scale)
    if LEVEL_RULES in root:
        check_level_rules(check, root[LEVEL_RULES], _section_codes(root), _top_level(root))
    return check.problems


def _section_codes(root: Mapping[str, Any]) -> set[str] | None:
    """The section codes, for checks that refer to them (None when not a list)."""
    sections = root.get("sections")
    if not isinstance(sections, list):
        return None
    return {str(s["code"]) for s in sections if isinstance(s, dict) and "code" in s}


def _top_level(root: Mapping[str, Any]) -> int | None:
    """The highest level of the scale's named levels (0-based), None without levels."""
    scale = root.get("scale")
    levels = scale.get("levels") if isinstance(scale, dict) else None
    return len(levels) - 1 if isinstance(levels, list) and levels else None


def _check_rounding(check: _Checker, value: object) -> None:
    rounding = check.mapping(value, "rounding", ("places", "mode"))
    if rounding is None:
        return
    check.integer_at(rounding, "places", "rounding", 0)
    if "mode" in rounding and rounding["mode"] not in ROUNDING_MODES:
        check.add(
            "rounding.mode",
            f"{_show(rounding['mode'])} tidak dikenal; pilih {' atau '.join(ROUNDING_MODES)}",
        )


def _check_scale(check: _Checker, value: object) -> tuple[Decimal, Decimal, bool] | None:
    """Returns (min, max, integer?) when the bounds are usable."""
    scale = check.mapping(value, "scale", ("type", "min", "max"), ("levels", "step"))
    if scale is None:
        return None
    kind = scale.get("type")
    if "type" in scale and kind not in SCALE_TYPES:
        check.add("scale.type", f"{_show(kind)} tidak dikenal; pilih {' atau '.join(SCALE_TYPES)}")
    integer = kind == "integer"
    bounds = []
    for key in ("min", "max"):
        number = check.number(scale[key], f"scale.{key}") if key in scale else None
        if number is not None and integer and number != number.to_integral_value():
            check.add(f"scale.{key}", f"skala bulat perlu batas bulat, bukan {_fmt(number)}")
            number = None
        bounds.append(number)
    low, high = bounds
    if low is None or high is None:
        usable = None
    elif low >= high:
        check.add("scale.min", f"min {_fmt(low)} harus lebih kecil dari max {_fmt(high)}")
        usable = None
    else:
        usable = (low, high, integer)
    if "step" in scale:
        step = check.number(scale["step"], "scale.step")
        if step is not None and step <= 0:
            check.add("scale.step", f"langkah {_fmt(step)} harus lebih besar dari 0")
        elif step is not None and usable is not None and (usable[1] - usable[0]) % step != 0:
            span = f"{_fmt(usable[0])}–{_fmt(usable[1])}"
            check.add("scale.step", f"rentang {span} bukan kelipatan {_fmt(step)}")
    if "levels" in scale:
        _check_ranges(check, scale["levels"], "scale.levels", usable, inclusive=integer)
    return usable


def _check_groups(check: _Checker, value: object) -> list[str] | None:
    """Returns the group codes when every group has a valid code."""
    groups = check.items(value, "groups")
    if groups is None:
        return None
    codes: list[tuple[str, str | None]] = []
    for index, item in enumerate(groups):
        path = f"groups[{index}]"
        group = check.mapping(item, path, ("code", "label"))
        codes.append((path, check.code_at(group, path) if group else None))
        if group:
            check.text_at(group, "label", path)
    check.unique(codes)
    if any(code is None for _, code in codes):
        return None
    return list(dict.fromkeys(code for _, code in codes if code is not None))


def _check_sections(check: _Checker, value: object, groups: list[str] | None) -> None:
    sections = check.items(value, "sections")
    if sections is None:
        return
    codes: list[tuple[str, str | None]] = []
    # Group → visible weights; a group is dropped from the sums once one of its weights is
    # unusable, so that a broken weight is not reported a second time as a wrong total.
    totals: dict[str, Decimal] = dict.fromkeys(groups or (), Decimal(0))
    for index, item in enumerate(sections):
        path = f"sections[{index}]"
        section = check.mapping(
            item, path, ("code", "label", "max_words", "weights"), ("description",)
        )
        if section is None:
            codes.append((path, None))
            totals.clear()
            continue
        codes.append((path, check.code_at(section, path)))
        check.text_at(section, "label", path)
        # 0 = the section has no text of its own (PKRI indicators score form answers).
        check.integer_at(section, "max_words", path, 0)
        if "description" in section:
            check.text_at(section, "description", path)
        if "weights" not in section:
            totals.clear()
            continue
        weights = check.mapping(section["weights"], f"{path}.weights", (), closed=False)
        if weights is None:
            totals.clear()
            continue
        for group in list(weights):
            wpath = f"{path}.weights.{group}"
            if groups is not None and group not in groups:
                check.add(wpath, f"kelompok {str(group)!r} tidak ada di groups")
                continue
            raw = weights[group]
            if raw == HIDDEN:
                continue
            if isinstance(raw, str):
                check.add(wpath, f"bobot harus angka ≥ 0 atau {HIDDEN!r}, bukan {raw!r}")
                weight = None
            else:
                weight = check.number(raw, wpath)
            if weight is not None and weight < 0:
                check.add(wpath, f"bobot {_fmt(weight)} tidak boleh negatif")
                weight = None
            if weight is None:
                totals.pop(group, None)
            elif group in totals:
                totals[group] += weight
        for group in groups or ():
            if group not in weights:
                check.add(f"{path}.weights", f"kelompok {group!r} tidak disebut")
                totals.pop(group, None)
    check.unique(codes)
    for group, total in totals.items():
        if total != WEIGHT_TOTAL:
            check.add(
                f"groups.{group}",
                f"bobot bagian yang tampil berjumlah {_fmt(total)}, harus {_fmt(WEIGHT_TOTAL)}",
            )


def _check_rubrics(check: _Checker, value: object, *, both: bool) -> None:
    """Named rubrics: a non-empty mapping of name → rubric, each checked like ``rubric``."""
    if both:
        check.add("rubrics", "pakai «rubric» atau «rubrics», tidak keduanya")
    rubrics = check.mapping(value, "rubrics", (), closed=False)
    if rubrics is None:
        return
    if not rubrics:
        check.add("rubrics", "pemetaan tidak boleh kosong")
    for name, rubric in rubrics.items():
        path = f"rubrics.{name}"
        if not isinstance(name, str) or not CODE_RE.match(name):
            check.add(
                path,
                f"nama rubrik {name!r} harus huruf kecil, angka dan garis bawah, diawali huruf",
            )
            continue
        _check_rubric(check, rubric, path)


def _check_rubric(check: _Checker, value: object, where: str) -> None:
    rubric = check.mapping(value, where, ("items",), ("title",))
    if rubric is None:
        return
    if "title" in rubric:
        check.text_at(rubric, "title", where)
    items = check.items(rubric["items"], f"{where}.items") if "items" in rubric else None
    if items is None:
        return
    codes: list[tuple[str, str | None]] = []
    total: Decimal | None = Decimal(0)
    for index, entry in enumerate(items):
        path = f"{where}.items[{index}]"
        item = check.mapping(entry, path, ("code", "label", "weight"), ("description",))
        if item is None:
            total = None
            continue
        codes.append((path, check.code_at(item, path)))
        check.text_at(item, "label", path)
        if "description" in item:
            check.text_at(item, "description", path)
        weight = check.number(item["weight"], f"{path}.weight") if "weight" in item else None
        if weight is not None and weight < 0:
            check.add(f"{path}.weight", f"bobot {_fmt(weight)} tidak boleh negatif")
            weight = None
        total = None if weight is None or total is None else total + weight
    check.unique(codes)
    if total is not None and total != WEIGHT_TOTAL:
        check.add(f"{where}.items", f"bobot berjumlah {_fmt(total)}, harus {_fmt(WEIGHT_TOTAL)}")


def _check_bands(
    check: _Checker, value: object, scale: tuple[Decimal, Decimal, bool] | None
) -> None:
    _check_ranges(check, value, "bands", scale, inclusive=False)


def _check_ranges(
    check: _Checker,
    value: object,
    path: str,
    scale: tuple[Decimal, Decimal, bool] | None,
    *,
    inclusive: bool,
) -> None:
    """Levels or bands: unique codes, ascending, contiguous, covering the scale exactly.

    ``inclusive`` ranges are integer ranges holding both ends (``0–20``, ``21–40``); the
    others are half-open (``0–85``, ``85–100``).
    """
    entries = check.items(value, path)
    if entries is None:
        return
    codes: list[tuple[str, str | None]] = []
    ranges: list[tuple[Decimal, Decimal]] = []
    complete = True
    for index, entry in enumerate(entries):
        ipath = f"{path}[{index}]"
        item = check.mapping(entry, ipath, ("code", "label", "min", "max"))
        if item is None:
            codes.append((ipath, None))
            complete = False
            continue
        codes.append((ipath, check.code_at(item, ipath)))
        check.text_at(item, "label", ipath)
        low = check.number(item["min"], f"{ipath}.min") if "min" in item else None
        high = check.number(item["max"], f"{ipath}.max") if "max" in item else None
        if low is None or high is None:
            complete = False
            continue
        if inclusive and (low != low.to_integral_value() or high != high.to_integral_value()):
            check.add(ipath, f"rentang {_fmt(low)}–{_fmt(high)} harus berbatas bilangan bulat")
            complete = False
            continue
        if high < low or (high == low and not inclusive):
            check.add(f"{ipath}.min", f"min {_fmt(low)} harus lebih kecil dari max {_fmt(high)}")
            complete = False
            continue
        if scale is not None and (low < scale[0] or high > scale[1]):
            check.add(
                ipath,
                f"rentang {_fmt(low)}–{_fmt(high)} di luar skala {_fmt(scale[0])}–{_fmt(scale[1])}",
            )
        ranges.append((low, high))
    check.unique(codes)
    if not complete or not ranges:
        return

    def show(r: tuple[Decimal, Decimal]) -> str:
        return f"{_fmt(r[0])}–{_fmt(r[1])}"

    for before, after in pairwise(ranges):
        if after < before:
            check.add(path, f"harus urut naik: {show(before)} tercantum sebelum {show(after)}")
            break
    ordered = sorted(ranges)
    step = Decimal(1) if inclusive else Decimal(0)
    if scale is not None and ordered[0][0] != scale[0]:
        check.add(path, f"rentang pertama mulai di {_fmt(ordered[0][0])}, harus {_fmt(scale[0])}")
    reach = ordered[0]  # the range reaching furthest so far
    for current in ordered[1:]:
        if current[0] < reach[1] + step:
            check.add(path, f"rentang {show(reach)} dan {show(current)} tumpang tindih")
        elif current[0] > reach[1] + step:
            check.add(path, f"celah antara {_fmt(reach[1])} dan {_fmt(current[0])}")
        if current[1] > reach[1]:
            reach = current
    if scale is not None and reach[1] != scale[1]:
        check.add(path, f"rentang terakhir berakhir di {_fmt(reach[1])}, harus {_fmt(scale[1])}")


# --------------------------------------------------------------------------- building


def _dec(value: object) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(cast(Any, value))


def _build_rubric(data: Mapping[str, Any]) -> Rubric:
    return Rubric(
        items=tuple(
            RubricItem(i["code"], i["label"], _dec(i["weight"]), i.get("description"))
            for i in data["items"]
        ),
        title=data.get("title"),
    )


def build(data: Mapping[str, Any]) -> Instrument:
    """The :class:`Instrument` of data that :func:`validate` accepted (unchecked here)."""
    scale = data["scale"]
    rubric = data.get("rubric")
    return Instrument(
        code=data["code"],
        version=data["version"],
        programme=data["programme"],
        title=data["title"],
        rounding=Rounding(data["rounding"]["places"], data["rounding"]["mode"]),
        scale=Scale(
            type=scale["type"],
            min=_dec(scale["min"]),
            max=_dec(scale["max"]),
            levels=tuple(
                Level(lv["code"], lv["label"], _dec(lv["min"]), _dec(lv["max"]))
                for lv in scale.get("levels", ())
            ),
            step=_dec(scale["step"]) if "step" in scale else None,
        ),
        groups=tuple(Group(g["code"], g["label"]) for g in data["groups"]),
        sections=tuple(
            Section(
                code=s["code"],
                label=s["label"],
                max_words=s["max_words"],
                weights=MappingProxyType(
                    {
                        g["code"]: None
                        if s["weights"][g["code"]] == HIDDEN
                        else _dec(s["weights"][g["code"]])
                        for g in data["groups"]
                    }
                ),
                description=s.get("description"),
            )
            for s in data["sections"]
        ),
        rubric=None if rubric is None else _build_rubric(rubric),
        bands=tuple(
            Band(b["code"], b["label"], _dec(b["min"]), _dec(b["max"]))
            for b in data.get("bands", ())
        ),
        rubrics=MappingProxyType(
            {name: _build_rubric(named) for name, named in (data.get("rubrics") or {}).items()}
        ),
        level_rules=build_level_rules(data[LEVEL_RULES]) if LEVEL_RULES in data else None,
    )


# --------------------------------------------------------------------------- hashing


def to_data(instrument: Instrument) -> dict[str, Any]:
    """The plain-data (YAML) form of an instrument; numbers stay ``Decimal``."""
    data: dict[str, Any] = {
        "code": instrument.code,
        "version": instrument.version,
        "programme": instrument.programme,
        "title": instrument.title,
        "rounding": {"places": instrument.rounding.places, "mode": instrument.rounding.mode},
        "scale": {
            "type": instrument.scale.type,
            "min": instrument.scale.min,
            "max": instrument.scale.max,
            "levels": [
                {"code": lv.code, "label": lv.label, "min": lv.min, "max": lv.max}
                for lv in instrument.scale.levels
            ],
        },
        "groups": [{"code": g.code, "label": g.label} for g in instrument.groups],
        "sections": [
            {
                "code": s.code,
                "label": s.label,
                "max_words": s.max_words,
                "weights": {g: HIDDEN if w is None else w for g, w in s.weights.items()},
                **({"description": s.description} if s.description is not None else {}),
            }
            for s in instrument.sections
        ],
        "bands": [
            {"code": b.code, "label": b.label, "min": b.min, "max": b.max} for b in instrument.bands
        ],
    }
    if not instrument.scale.levels:
        del data["scale"]["levels"]
    # Written only when set, so instruments without a step keep their content hash.
    if instrument.scale.step is not None:
        data["scale"]["step"] = instrument.scale.step
    if not instrument.bands:
        del data["bands"]
    if instrument.rubric is not None:
        data["rubric"] = _rubric_data(instrument.rubric)
    # Only the named form writes "rubrics", so older instruments keep their content hash.
    if instrument.rubrics:
        data["rubrics"] = {name: _rubric_data(r) for name, r in instrument.rubrics.items()}
    # Likewise "level_rules": instruments without them keep their content hash.
    if instrument.level_rules is not None:
        data[LEVEL_RULES] = level_rules_data(instrument.level_rules)
    return data


def _rubric_data(rubric: Rubric) -> dict[str, Any]:
    return {
        "items": [
            {
                "code": i.code,
                "label": i.label,
                "weight": i.weight,
                **({"description": i.description} if i.description is not None else {}),
            }
            for i in rubric.items
        ],
        **({"title": rubric.title} if rubric.title is not None else {}),
    }


def _canonical(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _fmt(value)  # 30, 30.0 and 30.00 hash alike
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def content_hash(instrument: Instrument) -> str:
    """Hex SHA-256 of the canonical JSON form (sorted keys, numbers as canonical text).

    Equal for equal content whatever the key order or number spelling of the YAML; any
    change of a code, label, limit, weight, band or rule changes it. List order (sections,
    groups, items) is content: it is the display order.
    """
    text = json.dumps(
        _canonical(to_data(instrument)),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
