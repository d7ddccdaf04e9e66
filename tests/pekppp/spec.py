"""The acceptance examples of pekppp.md §14 as data, shared by the PEKPPP tests."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INSTRUMENT_2023 = ROOT / "instruments" / "pekppp-2023.yaml"
INSTRUMENT_2017 = ROOT / "instruments" / "pekppp-2017.yaml"

# Example 1, per aspect in indicator order (I: 1–9, II: 10–14, III: 15–20, IV: 21–24,
# V: 25–28, VI: 29–30).
EXAMPLE_1_LEVELS = [
    4,
    3,
    2,
    3,
    4,
    5,
    2,
    3,
    1,
    3,
    4,
    4,
    2,
    5,
    4,
    5,
    3,
    4,
    2,
    3,
    4,
    2,
    3,
    5,
    3,
    4,
    2,
    3,
    2,
    3,
]


def scores(levels: list[int]) -> dict[int, int]:
    return dict(enumerate(levels, start=1))


EXAMPLE_1 = scores(EXAMPLE_1_LEVELS)
# Example 3: all 5 except 11, 12, 13 = 3, 14 = 4, 29 = 4, 30 = 4.
EXAMPLE_3 = {**scores([5] * 30), 11: 3, 12: 3, 13: 3, 14: 4, 29: 4, 30: 4}
# Example 5: the 14 F-03 item means.
EXAMPLE_5_MEANS = [
    "4.2",
    "4.0",
    "4.5",
    "3.8",
    "4.1",
    "4.3",
    "4.4",
    "3.6",
    "3.9",
    "3.5",
    "3.7",
    "4.0",
    "4.2",
    "3.8",
]
