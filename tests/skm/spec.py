"""The examples of skm.md §13 as data, and helpers that turn them into responses and files."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from prima.skm.domain.instruments import SkmInstrument, load_instrument

ROOT = Path(__file__).resolve().parents[2]
SKM_2017 = load_instrument(ROOT / "instruments" / "skm-2017.yaml")
SKM_2004 = load_instrument(ROOT / "instruments" / "skm-2004.yaml")

# Per element, how many respondents answered 4/3/2/1 (skm.md §13; blank = not answered).
EXAMPLE_1 = (
    "U1 5/6/1/0 · U2 4/7/1/0 · U3 3/6/3/0 · U4 10/2/0/0 · U5 5/7/0/0 · U6 6/6/0/0 · "
    "U7 7/5/0/0 · U8 3/5/3/1 · U9 4/6/2/0"
)
EXAMPLE_2 = (
    "U1 3/7/2/0 · U2 2/8/2/0 · U3 2/7/3/0 · U4 6/5/1/0 · U5 2/9/1/0 · U6 3/8/1/0 · "
    "U7 4/7/1/0 · U8 1/6/4/1 · U9 3/7/2/0"
)
EXAMPLE_3 = (
    "U1 6/6/0/0 · U2 5/6/1/0 · U3 4/6/2/0 · U4 8/2/0/0 · U5 6/5/1/0 · U6 7/5/0/0 · "
    "U7 8/4/0/0 · U8 3/4/2/0 · U9 5/7/0/0"
)

COLUMNS = (
    *("respondent_ref", "answered_on", "service_code"),
    *("gender", "age_band", "education", "occupation"),
    *(f"U{n}" for n in range(1, 10)),
    "suggestion",
)


def distribution(text: str) -> dict[str, dict[int, int]]:
    """``"U1 5/6/1/0 · …"`` → {"U1": {4: 5, 3: 6, 2: 1, 1: 0}, …}."""
    result = {}
    for part in text.split(" · "):
        code, counts = part.split()
        four, three, two, one = (int(n) for n in counts.split("/"))
        result[code] = {4: four, 3: three, 2: two, 1: one}
    return result


def responses(text: str, respondents: int) -> list[dict[str, int | None]]:
    """One response per respondent: respondent i gives the i-th answer of each element."""
    columns: dict[str, list[int | None]] = {}
    for code, counts in distribution(text).items():
        answers: list[int | None] = [v for v in (4, 3, 2, 1) for _ in range(counts[v])]
        columns[code] = answers + [None] * (respondents - len(answers))
    return [{code: columns[code][i] for code in columns} for i in range(respondents)]


def uniform(instrument: SkmInstrument, answer: int, respondents: int = 3) -> list[dict]:
    return [dict.fromkeys(instrument.element_codes, answer) for _ in range(respondents)]


def csv_text(
    rows: Sequence[Mapping[str, object]],
    columns: Sequence[str] = COLUMNS,
    *,
    separator: str = ",",
) -> str:
    """A canonical file: the header, then each row (missing cells blank)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return out.getvalue()


def file_rows(answers: Sequence[Mapping[str, int | None]]) -> list[dict[str, object]]:
    """Full rows for answer sets: a reference, a date in 2025-Q2 and demographics."""
    return [
        {
            "respondent_ref": f"R{index:03d}",
            "answered_on": "2025-04-14",
            "service_code": "KK-BARU",
            "gender": "P" if index % 2 else "L",
            "age_band": "30_39",
            "education": "sma",
            "occupation": "wirausaha",
            **answers_row,
            "suggestion": "",
        }
        for index, answers_row in enumerate(answers, start=1)
    ]
