"""Element codes ↔ the positional answer columns of a stored response (a01 … a14).

Files, forms and the API name elements by code (skm.md §2); the table stores them by
position in the instrument's element list to stay narrow at ten million rows.
"""

from __future__ import annotations

from typing import Any

from prima.skm.domain.index import Answers
from prima.skm.domain.instruments import SkmInstrument
from prima.skm.models.responses import ANSWER_FIELDS, MAX_ELEMENTS


def answer_fields(instrument: SkmInstrument) -> dict[str, str]:
    """Element code → the column that stores its answer."""
    codes = instrument.element_codes
    if len(codes) > MAX_ELEMENTS:
        raise ValueError(f"{instrument.code}: more than {MAX_ELEMENTS} elements cannot be stored")
    return dict(zip(codes, ANSWER_FIELDS, strict=False))


def answers_of(response: Any, instrument: SkmInstrument) -> dict[str, int | None]:
    """A stored response's answers by element code (None = blank)."""
    return {code: getattr(response, field) for code, field in answer_fields(instrument).items()}


def answer_columns(answers: Answers, instrument: SkmInstrument) -> dict[str, int | None]:
    """Answers by code → model field values (every element column, blank = None)."""
    return {field: answers.get(code) for code, field in answer_fields(instrument).items()}
