"""Inclusive-services instruments: read and validate `instruments/inclusive-*.yaml`.

inclusive.md §2 (vulnerable groups), §4 (the facilities checklist shared with PEKPPP
indicator 18, and its count → level rule) and §5 (Prima's default instrument: weighted
dimensions scored 0–5, bands on the total rounded to 2 dp ROUND_HALF_UP).

- :func:`load_instrument` — a YAML file or text → a frozen :class:`InclusiveInstrument`;
  raises :class:`InclusiveInstrumentError` naming *every* problem with its YAML path
  (``dimensions[2].items[0].code: …``).
- :func:`validate` — plain data → every problem, in data order.

This module is pure: no ORM.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Any

from prima.evaluation.domain.instruments import load_validated
from prima.evaluation.domain.yamlcheck import (
    CODE_RE,
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

PROGRAMME = "inclusive"
ALL_GROUPS = "all"
SCORING_CHECKLIST = "facilities_checklist"
SCORING_COUNT = "count"
SCORINGS = (SCORING_CHECKLIST, SCORING_COUNT)
MAX_LEVEL = 5
SCORE_MAX = Decimal(MAX_LEVEL)
WEIGHT_TOTAL = Decimal(100)
ROUNDING_MODES = ("half_up",)
ITEM_CODE_RE = re.compile(r"[A-Z][A-Z0-9]*\Z")

_TOP_KEYS = (
    "code",
    "programme",
    "origin",
    "legal_basis",
    "groups",
    "checklist",
    "dimensions",
    "bands",
    "rounding",
    "settings",
)
_TOP_OPTIONAL = ("title",)
_SETTING_KEYS = ("vf04_na_counts_as_met", "award_count", "role_model_band")


class InclusiveInstrumentError(ProblemsError):
    """The instrument is invalid; ``problems`` holds every problem found, in data order."""

    title = "instrumen pelayanan ramah kelompok rentan tidak sah"


@dataclass(frozen=True)
class Group:
    code: str
    name: str


@dataclass(frozen=True)
class Item:
    """A checklist item (``VF01``) or an item of a counted dimension (``PRO1``)."""

    code: str
    name: str
    # Codes of the vulnerable groups mainly served; empty for dimension items.
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class LevelRule:
    """``min ≤ count ≤ max`` verified checklist items → ``level``."""

    min: int
    max: int
    level: int


@dataclass(frozen=True)
class Dimension:
    code: str
    name: str
    # Percent; the weights of an instrument add up to 100.
    weight: Decimal
    scoring: str
    items: tuple[Item, ...] = ()

    @property
    def item_codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)


@dataclass(frozen=True)
class Band:
    """``min ≤ total (2 dp) ≤ max`` → ``label``."""

    label: str
    min: Decimal
    max: Decimal


@dataclass(frozen=True)
class InclusiveInstrument:
    code: str
    title: str
    origin: str
    legal_basis: tuple[str, ...]
    groups: tuple[Group, ...]
    checklist: tuple[Item, ...]
    checklist_levels: tuple[LevelRule, ...]
    ground_floor_item: str
    dimensions: tuple[Dimension, ...]
    # From the highest band down, as written.
    bands: tuple[Band, ...]
    places: int
    vf04_na_counts_as_met: bool
    award_count: int
    role_model_band: str

    @property
    def group_codes(self) -> tuple[str, ...]:
        return tuple(group.code for group in self.groups)

    @property
    def checklist_codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.checklist)

    @property
    def dimension_codes(self) -> tuple[str, ...]:
        return tuple(dimension.code for dimension in self.dimensions)

    def dimension(self, code: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.code == code:
                return dimension
        raise KeyError(code)

    def checklist_level(self, count: int) -> int:
        """The level of ``count`` verified checklist items (§4); ValueError outside the rules."""
        for rule in self.checklist_levels:
            if rule.min <= count <= rule.max:
                return rule.level
        raise ValueError(
            f"jumlah butir {count} di luar 0–{len(self.checklist)} (instrumen {self.code})"
        )

    def band_for(self, total: Decimal) -> Band:
        """The band of a total already rounded to ``places``: the first band it reaches."""
        for band in self.bands:
            if total >= band.min:
                return band
        return self.bands[-1]

    def items_of(self, dimension_code: str) -> tuple[Item, ...]:
        dimension = self.dimension(dimension_code)
        return self.checklist if dimension.scoring == SCORING_CHECKLIST else dimension.items

    def weight(self, dimension_code: str) -> Fraction:
        """The factor a dimension's level is multiplied by: weight / 100."""
        return Fraction(self.dimension(dimension_code).weight) / 100


# --------------------------------------------------------------------------- reading


def load_instrument(source: str | os.PathLike[str]) -> InclusiveInstrument:
    """Parse, validate and build an instrument; raises :class:`InclusiveInstrumentError`.

    ``source`` is a file (a path, or one line ending in ``.yaml``) or YAML text.
    """
    return load_validated(source, validate, _build, InclusiveInstrumentError)


def _item(data: Mapping[str, Any], groups: tuple[str, ...] = ()) -> Item:
    return Item(code=data["code"], name=data["name"], groups=groups)


def _build(data: Mapping[str, Any]) -> InclusiveInstrument:
    group_codes = tuple(group["code"] for group in data["groups"])
    checklist = data["checklist"]
    items = tuple(
        _item(
            item,
            group_codes if item["groups"] == ALL_GROUPS else tuple(item["groups"]),
        )
        for item in checklist["items"]
    )
    settings = data["settings"]
    return InclusiveInstrument(
        code=data["code"],
        title=data.get("title") or data["code"],
        origin=data["origin"],
        legal_basis=tuple(data["legal_basis"]),
        groups=tuple(Group(code=g["code"], name=g["name"]) for g in data["groups"]),
        checklist=items,
        checklist_levels=tuple(
            LevelRule(min=rule["min"], max=rule["max"], level=rule["level"])
            for rule in checklist["levels"]
        ),
        ground_floor_item=checklist["ground_floor_item"],
        dimensions=tuple(
            Dimension(
                code=d["code"],
                name=d["name"],
                weight=as_decimal(d["weight"]),
                scoring=d["scoring"],
                items=tuple(_item(item) for item in d.get("items") or ()),
            )
            for d in data["dimensions"]
        ),
        bands=tuple(
            Band(label=b["label"], min=as_decimal(b["min"]), max=as_decimal(b["max"]))
            for b in data["bands"]
        ),
        places=data["rounding"]["places"],
        vf04_na_counts_as_met=settings["vf04_na_counts_as_met"],
        award_count=settings["award_count"],
        role_model_band=settings["role_model_band"],
    )


# --------------------------------------------------------------------------- validation


class _Checker(DecimalChecker):
    example = "4.51"

    def boolean(self, value: object, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.add(path, f"harus true atau false, bukan {self.show(value)}")
            return None
        return value

    def item_code(self, value: object, path: str) -> str | None:
        code = self.text(value, path)
        if code is not None and not ITEM_CODE_RE.match(code):
            self.add(path, f"kode {code!r} harus huruf besar dan angka, diawali huruf (mis. VF01)")
            return None
        return code


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
    for key in ("title", "origin"):
        if key in root:
            check.text(root[key], key)
    if "legal_basis" in root:
        for index, item in enumerate(check.items(root["legal_basis"], "legal_basis") or ()):
            check.text(item, f"legal_basis[{index}]")
    groups = _check_groups(check, root["groups"]) if "groups" in root else None
    checklist = _check_checklist(check, root["checklist"], groups) if "checklist" in root else None
    if "dimensions" in root:
        _check_dimensions(check, root["dimensions"], checklist)
    if "rounding" in root:
        _check_rounding(check, root["rounding"])
    labels = _check_bands(check, root["bands"]) if "bands" in root else None
    if "settings" in root:
        _check_settings(check, root["settings"], labels)
    return check.problems


def _check_groups(check: _Checker, value: object) -> set[str] | None:
    """The group codes when the list is usable."""
    items = check.items(value, "groups")
    if not items:
        return None
    codes: list[tuple[str, str | None]] = []
    for index, item in enumerate(items):
        path = f"groups[{index}]"
        group = check.mapping(item, path, ("code", "name"))
        if group is None:
            codes.append((path, None))
            continue
        code = check.code(group["code"], join(path, "code"), CODE_RE) if "code" in group else None
        codes.append((path, code))
        if "name" in group:
            check.text(group["name"], join(path, "name"))
    check.unique(codes)
    if any(code is None for _, code in codes):
        return None
    return {code for _, code in codes if code is not None}


def _check_item_list(
    check: _Checker, value: object, path: str, groups: set[str] | None, *, tagged: bool
) -> list[str | None] | None:
    """Items with a code and a name (and, when ``tagged``, the groups they serve)."""
    items = check.items(value, path)
    if not items:
        return None
    codes: list[tuple[str, str | None]] = []
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        entry = check.mapping(item, item_path, ("code", "name", *(("groups",) if tagged else ())))
        if entry is None:
            codes.append((item_path, None))
            continue
        code = check.item_code(entry["code"], join(item_path, "code")) if "code" in entry else None
        codes.append((item_path, code))
        if "name" in entry:
            check.text(entry["name"], join(item_path, "name"))
        if tagged and "groups" in entry:
            _check_item_groups(check, entry["groups"], join(item_path, "groups"), groups)
    check.unique(codes)
    return [code for _, code in codes]


def _check_item_groups(check: _Checker, value: object, path: str, groups: set[str] | None) -> None:
    if value == ALL_GROUPS:
        return
    if not isinstance(value, list):
        check.add(
            path, f"harus daftar kode kelompok atau {ALL_GROUPS!r}, bukan {show_value(value)}"
        )
        return
    if not value:
        check.add(path, "daftar tidak boleh kosong")
    for index, code in enumerate(value):
        if groups is not None and code not in groups:
            check.add(
                f"{path}[{index}]",
                f"kelompok {show_value(code)} tidak ada di groups; "
                f"yang ada: {', '.join(sorted(groups))}",
            )


def _check_checklist(check: _Checker, value: object, groups: set[str] | None) -> int | None:
    """The number of checklist items when the checklist is usable."""
    checklist = check.mapping(value, "checklist", ("items", "levels", "ground_floor_item"))
    if checklist is None:
        return None
    codes = None
    if "items" in checklist:
        codes = _check_item_list(check, checklist["items"], "checklist.items", groups, tagged=True)
    count = len(codes) if codes is not None else None
    if "levels" in checklist:
        _check_levels(check, checklist["levels"], count)
    if "ground_floor_item" in checklist:
        item = check.text(checklist["ground_floor_item"], "checklist.ground_floor_item")
        if item is not None and codes is not None and item not in codes:
            check.add("checklist.ground_floor_item", f"butir {item!r} tidak ada di checklist.items")
    return count


def _check_levels(check: _Checker, value: object, count: int | None) -> None:
    """Inclusive count ranges from 0 up to every item, in order, levels 0–5 never falling."""
    items = check.items(value, "checklist.levels")
    if not items:
        return
    rules: list[tuple[str, int, int, int]] = []
    for index, item in enumerate(items):
        path = f"checklist.levels[{index}]"
        rule = check.mapping(item, path, ("min", "max", "level"))
        if rule is None:
            continue
        bounds = [
            check.integer(rule[key], join(path, key)) if key in rule else None
            for key in ("min", "max")
        ]
        level = check.integer(rule["level"], join(path, "level")) if "level" in rule else None
        if level is not None and level > MAX_LEVEL:
            check.add(join(path, "level"), f"harus 0–{MAX_LEVEL}, bukan {level}")
            level = None
        low, high = bounds
        if low is not None and high is not None and low > high:
            check.add(join(path, "min"), f"{low} lebih besar dari max {high}")
            continue
        if low is not None and high is not None and level is not None:
            rules.append((path, low, high, level))
    if len(rules) != len(items):
        return
    if rules[0][1] != 0:
        check.add(join(rules[0][0], "min"), f"harus 0 (tanpa butir), bukan {rules[0][1]}")
    for (_, _, upper, level), (path, low, _, next_level) in pairwise(rules):
        if low != upper + 1:
            check.add(
                join(path, "min"), f"harus {upper + 1} (tepat setelah max sebelumnya), bukan {low}"
            )
        if next_level < level:
            check.add(
                join(path, "level"), f"{next_level} lebih rendah dari level sebelumnya {level}"
            )
    if count is not None and rules[-1][2] != count:
        check.add(join(rules[-1][0], "max"), f"harus {count} (jumlah butir), bukan {rules[-1][2]}")


def _check_dimensions(check: _Checker, value: object, checklist: int | None) -> None:
    items = check.items(value, "dimensions")
    if not items:
        return
    codes: list[tuple[str, str | None]] = []
    item_codes: list[tuple[str, str | None]] = []
    weights: list[Decimal | None] = []
    for index, item in enumerate(items):
        path = f"dimensions[{index}]"
        dimension = check.mapping(item, path, ("code", "name", "weight", "scoring"), ("items",))
        if dimension is None:
            weights.append(None)
            continue
        if "code" in dimension:
            codes.append((path, check.item_code(dimension["code"], join(path, "code"))))
        if "name" in dimension:
            check.text(dimension["name"], join(path, "name"))
        weight = None
        if "weight" in dimension:
            weight = check.decimal(dimension["weight"], join(path, "weight"))
            if weight is not None and weight <= 0:
                check.add(join(path, "weight"), f"harus lebih besar dari 0, bukan {plain(weight)}")
                weight = None
        weights.append(weight)
        scoring = dimension.get("scoring")
        if "scoring" in dimension and scoring not in SCORINGS:
            check.add(
                join(path, "scoring"),
                f"{show_value(scoring)} tidak dikenal; pilih {' atau '.join(SCORINGS)}",
            )
        if scoring == SCORING_CHECKLIST:
            if "items" in dimension:
                check.add(
                    join(path, "items"), f"tidak dipakai: {SCORING_CHECKLIST} membaca checklist"
                )
            if checklist is None:
                check.add(join(path, "scoring"), "checklist tidak sah atau kosong")
        elif scoring == SCORING_COUNT:
            if "items" not in dimension:
                check.add(join(path, "items"), "wajib diisi untuk scoring count")
            else:
                found = _check_item_list(
                    check, dimension["items"], join(path, "items"), None, tagged=False
                )
                if found is not None and len(found) > MAX_LEVEL:
                    check.add(
                        join(path, "items"),
                        f"paling banyak {MAX_LEVEL} butir (level 0–{MAX_LEVEL}), "
                        f"bukan {len(found)}",
                    )
                # Repeats inside one dimension are already reported; here only across.
                first: dict[str, int] = {}
                for position, code in enumerate(found or ()):
                    if code is not None:
                        first.setdefault(code, position)
                item_codes.extend(
                    (f"{join(path, 'items')}[{position}]", code) for code, position in first.items()
                )
    check.unique(codes)
    check.unique(item_codes)
    scorings = [d.get("scoring") for d in items if isinstance(d, dict)]
    if scorings.count(SCORING_CHECKLIST) > 1:
        check.add("dimensions", f"hanya satu dimensi boleh memakai {SCORING_CHECKLIST}")
    usable = [weight for weight in weights if weight is not None]
    if len(usable) == len(weights):
        total = sum(usable, Decimal(0))
        if total != WEIGHT_TOTAL:
            check.add("dimensions", f"bobot berjumlah {plain(total)}, harus 100")


def _check_rounding(check: _Checker, value: object) -> None:
    rounding = check.mapping(value, "rounding", ("places", "mode"))
    if rounding is None:
        return
    if "places" in rounding:
        check.integer(rounding["places"], "rounding.places")
    if "mode" in rounding and rounding["mode"] not in ROUNDING_MODES:
        check.add(
            "rounding.mode", f"hanya 'half_up' yang didukung, bukan {show_value(rounding['mode'])}"
        )


def _check_bands(check: _Checker, value: object) -> set[str] | None:
    """Bands from the highest down, meeting 0.01 apart, covering 0.00–5.00; their labels."""
    items = check.items(value, "bands")
    if not items:
        return None
    usable: list[tuple[str, Decimal, Decimal]] = []
    labels: list[tuple[str, str | None]] = []
    for index, item in enumerate(items):
        path = f"bands[{index}]"
        band = check.mapping(item, path, ("min", "max", "label"))
        if band is None:
            continue
        label = check.text(band["label"], join(path, "label")) if "label" in band else None
        labels.append((path, label))
        low = check.decimal(band["min"], join(path, "min")) if "min" in band else None
        high = check.decimal(band["max"], join(path, "max")) if "max" in band else None
        if low is not None and high is not None:
            if low > high:
                check.add(join(path, "min"), f"{plain(low)} lebih besar dari max {plain(high)}")
            else:
                usable.append((path, low, high))
    seen: set[str] = set()
    for path, label in labels:
        if label is not None and label in seen:
            check.add(join(path, "label"), f"label {label!r} dipakai dua kali")
        if label is not None:
            seen.add(label)
    if len(usable) == len(items):
        step = Decimal("0.01")
        for (upper_path, upper_min, _), (lower_path, _, lower_max) in pairwise(usable):
            if lower_max + step != upper_min:
                check.add(
                    join(lower_path, "max"),
                    f"{plain(lower_max)} harus tepat 0.01 di bawah min {upper_path} "
                    f"({plain(upper_min)}); urutkan dari pita tertinggi",
                )
        if usable[0][2] != SCORE_MAX:
            check.add(
                join(usable[0][0], "max"), f"{plain(usable[0][2])} harus 5.00 (nilai tertinggi)"
            )
        if usable[-1][1] != 0:
            check.add(
                join(usable[-1][0], "min"), f"{plain(usable[-1][1])} harus 0.00 (nilai terendah)"
            )
    return seen if len(labels) == len(items) and None not in dict(labels).values() else None


def _check_settings(check: _Checker, value: object, labels: set[str] | None) -> None:
    settings = check.mapping(value, "settings", _SETTING_KEYS)
    if settings is None:
        return
    if "vf04_na_counts_as_met" in settings:
        check.boolean(settings["vf04_na_counts_as_met"], "settings.vf04_na_counts_as_met")
    if "award_count" in settings:
        check.integer(settings["award_count"], "settings.award_count", 1)
    if "role_model_band" in settings:
        band = check.text(settings["role_model_band"], "settings.role_model_band")
        if band is not None and labels is not None and band not in labels:
            check.add(
                "settings.role_model_band",
                f"pita {band!r} tidak ada di bands; yang ada: {', '.join(sorted(labels))}",
            )
