"""The checker shared by the validation modules: value display and the known codes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from prima.evaluation.domain.yamlcheck import Checker, container_name, join


def _show(value: object) -> str:
    name = container_name(value)
    if name is not None:
        return name
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return repr(value)


def _options(options: Iterable[str]) -> str:
    return ", ".join(options)


class _Check(Checker):
    """A :class:`Checker` with the readers only edition rules need."""

    def __init__(self) -> None:
        super().__init__(_show)

    def boolean(self, value: object, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.add(path, f"harus true atau false, bukan {_show(value)}")
            return None
        return value

    def choice(self, value: object, path: str, options: Sequence[str]) -> str | None:
        if not isinstance(value, str) or value not in options:
            self.add(path, f"{_show(value)} tidak dikenal; pilih salah satu: {_options(options)}")
            return None
        return value

    def codes(
        self, value: object, path: str, known: Iterable[str] | None, what: str, *, empty: bool
    ) -> list[str] | None:
        """A list of distinct codes, each in ``known`` (when given)."""
        entries = self.items(value, path, non_empty=not empty)
        if entries is None:
            return None
        allowed = None if known is None else tuple(known)
        result: list[str] = []
        for index, entry in enumerate(entries):
            ipath = f"{path}[{index}]"
            if not isinstance(entry, str):
                self.add(ipath, f"harus kode {what}, bukan {_show(entry)}")
            elif allowed is not None and entry not in allowed:
                self.add(ipath, f"{what} {entry!r} tidak ada; yang ada: {_options(allowed)}")
            elif entry in result:
                self.add(ipath, f"{what} {entry!r} disebut dua kali")
            else:
                result.append(entry)
        return result

    def enabled(
        self, value: object, path: str, required: Sequence[str], optional: Sequence[str] = ()
    ) -> dict[str, Any] | None:
        """A stage block ``{enabled: bool, …}``; its other keys are checked only when on.

        Returns the block when it is enabled, else None.
        """
        block = self.mapping(value, path, ("enabled",), closed=False)
        if block is None or "enabled" not in block:
            return None
        on = self.boolean(block["enabled"], join(path, "enabled"))
        if not on:
            for key in block:
                if key != "enabled":
                    self.add(join(path, key), "hanya berlaku bila enabled: true")
            return None
        return self.mapping(block, path, ("enabled", *required), optional)


@dataclass
class _Known:
    """Codes found so far, for cross-references; None when the list itself is broken."""

    groups: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    exclusions: tuple[str, ...] | None = None
    tiers: Mapping[str, dict[str, Any]] | None = None
    number_regex: re.Pattern[str] | None = None
    enabled: dict[str, bool] | None = None
    calendar: frozenset[str] | None = None  # the calendar keys present
