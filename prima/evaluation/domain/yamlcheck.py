"""Shared pieces for validating rule data read from YAML (instruments, edition rules).

A validator walks plain data and collects *every* problem, each a dotted path into the
data (``groups.umum.exclusions[0]``) and an Indonesian message; the readers of
:class:`Checker` report a bad value and return None so that the walk can go on.

This module is pure: no ORM, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, ClassVar

ROOT = "(akar)"

# Codes of groups, sections, rubric items, exclusion rules…; instrument and edition codes
# may also hold hyphens and dots (``kipp-default-v1``); category codes may hold capitals.
CODE_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
DOTTED_CODE_RE = re.compile(r"[a-z0-9][a-z0-9_.-]*\Z")
CASED_CODE_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
# What a code of each pattern must look like; any other pattern gets DOTTED_HINT.
CODE_HINTS: Mapping[str, str] = MappingProxyType(
    {
        CODE_RE.pattern: "huruf kecil, angka dan garis bawah, diawali huruf",
        CASED_CODE_RE.pattern: "huruf, angka dan garis bawah, diawali huruf",
    }
)
DOTTED_HINT = "huruf kecil, angka, titik, garis bawah dan tanda hubung"


@dataclass(frozen=True)
class Problem:
    """One problem: a dotted path into the data (``sections[3].code``) and a message."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ProblemsError(ValueError):
    """The data is invalid; ``problems`` holds every problem found, in data order."""

    # The opening of the message, e.g. "instrumen tidak sah".
    title: ClassVar[str] = "data tidak sah"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"- {problem}" for problem in self.problems)
        super().__init__(f"{self.title} ({len(self.problems)} masalah):\n{lines}")


def join(path: str, key: object) -> str:
    """``path.key``; a key at the root is just ``key``."""
    return str(key) if path in ("", ROOT) else f"{path}.{key}"


def container_name(value: object) -> str | None:
    """The Indonesian name of an empty value, a mapping or a list; None for anything else."""
    if value is None:
        return "kosong"
    if isinstance(value, dict):
        return "pemetaan"
    if isinstance(value, list):
        return "daftar"
    return None


class Checker:
    """Collects problems; every reader returns None (after reporting) for a bad value.

    ``show`` names a bad value in "bukan …" messages; ``kind`` names a value that is not a
    mapping or a list (``show`` unless given), so that each format keeps its wording.
    """

    def __init__(
        self, show: Callable[[object], str], kind: Callable[[object], str] | None = None
    ) -> None:
        self.problems: list[Problem] = []
        self.show = show
        self.kind = kind or show

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def mapping(
        self,
        value: object,
        path: str,
        required: Sequence[str] = (),
        optional: Sequence[str] = (),
        *,
        closed: bool = True,
    ) -> dict[str, Any] | None:
        """Check a mapping's keys; returns it, or None (reported) when it is not a mapping.

        A ``closed`` mapping refuses keys outside ``required`` and ``optional``.
        """
        if not isinstance(value, dict):
            self.add(path, f"harus berupa pemetaan (kunci: nilai), bukan {self.kind(value)}")
            return None
        known = (*required, *optional)
        for key in value if closed else ():
            if key not in known:
                self.add(
                    join(path, key),
                    f"kunci {str(key)!r} tidak dikenal; yang dikenal: {', '.join(known)}",
                )
        for key in required:
            if key not in value:
                self.add(join(path, key), "wajib diisi")
        return value

    def items(self, value: object, path: str, *, non_empty: bool = True) -> list[Any] | None:
        if not isinstance(value, list):
            self.add(path, f"harus berupa daftar, bukan {self.kind(value)}")
            return None
        if non_empty and not value:
            self.add(path, "daftar tidak boleh kosong")
        return value

    def text(self, value: object, path: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.add(path, f"harus teks yang tidak kosong, bukan {self.show(value)}")
            return None
        return value

    def code(self, value: object, path: str, pattern: re.Pattern[str] = CODE_RE) -> str | None:
        text = self.text(value, path)
        if text is not None and not pattern.match(text):
            hint = CODE_HINTS.get(pattern.pattern, DOTTED_HINT)
            self.add(path, f"kode {text!r} harus {hint}")
            return None
        return text

    def integer(self, value: object, path: str, minimum: int = 0) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, f"harus bilangan bulat, bukan {self.show(value)}")
            return None
        if value < minimum:
            self.add(path, f"harus ≥ {minimum}, bukan {value}")
            return None
        return value

    def number(self, value: object, path: str) -> Decimal | None:
        """int, Decimal or float (read through its shortest repr) → finite Decimal."""
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.add(path, f"harus angka, bukan {self.show(value)}")
            return None
        result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not result.is_finite():
            self.add(path, f"harus angka terhingga, bukan {value}")
            return None
        return result

    def unique(self, codes: Sequence[tuple[str, str | None]]) -> None:
        """``codes`` are (path of the item, its code or None); repeats are reported."""
        seen: set[str] = set()
        for path, code in codes:
            if code is None:
                continue
            if code in seen:
                self.add(join(path, "code"), f"kode {code!r} dipakai dua kali")
            seen.add(code)


def as_decimal(value: object) -> Decimal:
    """A YAML integer, quoted decimal text or Decimal as a Decimal (never through float)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def plain(value: Decimal) -> str:
    """A Decimal in positional notation (``0.111``, never ``1.11E-1``)."""
    return format(value, "f")


def show_value(value: object) -> str:
    """How instrument messages name a bad value: ``0.5``, ``teks 'x'``, ``daftar``…"""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, str):
        return f"teks {value!r}"
    return container_name(value) or repr(value)


class DecimalChecker(Checker):
    """A :class:`Checker` for instruments whose decimals are written as quoted text.

    ``example`` is the decimal the error message shows as the expected shape.
    """

    example: ClassVar[str] = "0.5"

    def __init__(self) -> None:
        super().__init__(show_value)

    def decimal(self, value: object, path: str) -> Decimal | None:
        """Quoted decimal text, an integer, or a Decimal → a finite Decimal (never a float)."""
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            self.add(path, f"harus angka desimal dalam tanda kutip, bukan {self.show(value)}")
            return None
        try:
            result = as_decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            self.add(
                path, f'harus angka desimal seperti "{self.example}", bukan {self.show(value)}'
            )
            return None
        if not result.is_finite():
            self.add(path, f"harus angka terhingga, bukan {self.show(value)}")
            return None
        return result
