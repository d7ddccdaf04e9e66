"""Level bands of an instrument: at which value a measured quantity reaches each level.

Some programmes suggest a level per section from the subject's data (PKRI, pkri.md §7.1:
"2–3 activities → level 2"). The thresholds are instrument data, in an optional
``level_rules`` block; the programme's own code measures the value (a count, a share, a
change ratio) and reads its level here. Format (``docs/instruments.md``)::

    level_rules:
      bands:                          # section code → thresholds, ascending
        k2: [{level: 1, min: 1}, {level: 2, min: 2}, {level: 3, min: 3}, {level: 4, min: 5}]
        p7: [{level: 1, above: 0}, {level: 2, min: 0.25}, ...]
      parameters:                     # optional: named numbers of the level rules
        long_interruption_months: 12

A value reaches a threshold written ``min: x`` when it is ≥ x and one written ``above: x``
when it is > x; its level is that of the last threshold it reaches, 0 when it reaches none.
Thresholds are strictly ascending in level and in value, so each one is reached only by
values that reach the one before.

This module is pure: no ORM, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from prima.evaluation.domain.yamlcheck import CODE_RE, Checker

LEVEL_RULES = "level_rules"


@dataclass(frozen=True)
class Threshold:
    """Level ``level`` starts at ``bound``: values ≥ bound, or > bound when ``strict``."""

    level: int
    bound: Decimal
    strict: bool = False

    def reached_by(self, value: int | Decimal | Fraction) -> bool:
        # Exact comparison whatever the value's type (a change ratio is a Fraction).
        exact, bound = Fraction(value), Fraction(self.bound)
        return exact > bound if self.strict else exact >= bound


def level_for(value: int | Decimal | Fraction, thresholds: Sequence[Threshold]) -> int:
    """The level of ``value``: that of the last threshold it reaches, 0 when none."""
    level = 0
    for threshold in thresholds:
        if not threshold.reached_by(value):
            break
        level = threshold.level
    return level


@dataclass(frozen=True)
class LevelRules:
    """The ``level_rules`` block: thresholds per section and named parameters."""

    bands: Mapping[str, tuple[Threshold, ...]]
    parameters: Mapping[str, Decimal]


# --------------------------------------------------------------------------- validation


def check_level_rules(
    check: Checker, value: object, sections: set[str] | None, top_level: int | None
) -> None:
    """Report every problem of a ``level_rules`` block, each at its path.

    ``sections`` are the instrument's section codes (None when unusable, then not
    checked); ``top_level`` is the highest level of the scale (None: not bounded).
    """
    rules = check.mapping(value, LEVEL_RULES, ("bands",), ("parameters",))
    if rules is None:
        return
    if "bands" in rules:
        bands = check.mapping(rules["bands"], f"{LEVEL_RULES}.bands", (), closed=False)
        if bands is not None and not bands:
            check.add(f"{LEVEL_RULES}.bands", "pemetaan tidak boleh kosong")
        for code, thresholds in (bands or {}).items():
            path = f"{LEVEL_RULES}.bands.{code}"
            if not isinstance(code, str) or not CODE_RE.match(code):
                check.add(path, f"kode {code!r} harus huruf kecil, angka dan garis bawah")
                continue
            if sections is not None and code not in sections:
                check.add(path, f"bagian {code!r} tidak ada di sections")
            _check_thresholds(check, thresholds, path, top_level)
    if "parameters" in rules:
        path = f"{LEVEL_RULES}.parameters"
        parameters = check.mapping(rules["parameters"], path, (), closed=False)
        for name, number in (parameters or {}).items():
            if not isinstance(name, str) or not CODE_RE.match(name):
                check.add(
                    f"{path}.{name}", f"nama {name!r} harus huruf kecil, angka dan garis bawah"
                )
                continue
            check.number(number, f"{path}.{name}")


def _check_thresholds(check: Checker, value: object, path: str, top_level: int | None) -> None:
    items = check.items(value, path)
    previous: tuple[int, Decimal, bool] | None = None
    for index, item in enumerate(items or ()):
        where = f"{path}[{index}]"
        entry = check.mapping(item, where, ("level",), ("min", "above"))
        if entry is None:
            previous = None
            continue
        level = check.integer(entry["level"], f"{where}.level", 1) if "level" in entry else None
        if level is not None and top_level is not None and level > top_level:
            check.add(
                f"{where}.level", f"level {level} di atas level tertinggi skala ({top_level})"
            )
            level = None
        keys = [key for key in ("min", "above") if key in entry]
        if len(keys) != 1:
            check.add(where, "tulis tepat satu dari «min» (≥) atau «above» (>)")
            previous = None
            continue
        bound = check.number(entry[keys[0]], f"{where}.{keys[0]}")
        if level is None or bound is None:
            previous = None
            continue
        strict = keys[0] == "above"
        if previous is not None:
            if level <= previous[0]:
                check.add(
                    f"{where}.level", f"level harus naik: {level} tercantum setelah {previous[0]}"
                )
            elif (bound, strict) <= (previous[1], previous[2]):
                sign = ">" if previous[2] else "≥"
                check.add(
                    where,
                    f"ambang harus lebih tinggi dari ambang sebelumnya ({sign} "
                    f"{check.show(previous[1])})",
                )
        previous = (level, bound, strict)


# --------------------------------------------------------------------------- building


def _decimal(value: Any) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


def build_level_rules(data: Mapping[str, Any]) -> LevelRules:
    """The :class:`LevelRules` of a block :func:`check_level_rules` accepted."""
    bands = {
        str(code): tuple(
            Threshold(
                level=int(item["level"]),
                bound=_decimal(item["above"] if "above" in item else item["min"]),
                strict="above" in item,
            )
            for item in thresholds
        )
        for code, thresholds in data["bands"].items()
    }
    parameters = {
        str(name): _decimal(number) for name, number in (data.get("parameters") or {}).items()
    }
    return LevelRules(bands=MappingProxyType(bands), parameters=MappingProxyType(parameters))


def level_rules_data(rules: LevelRules) -> dict[str, Any]:
    """The plain-data (YAML) form of a :class:`LevelRules`; numbers stay ``Decimal``."""
    data: dict[str, Any] = {
        "bands": {
            code: [
                {"level": t.level, ("above" if t.strict else "min"): t.bound} for t in thresholds
            ]
            for code, thresholds in rules.bands.items()
        }
    }
    if rules.parameters:
        data["parameters"] = dict(rules.parameters)
    return data
