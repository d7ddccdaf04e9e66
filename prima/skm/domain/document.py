"""A result as the JSON document of skm.md §10: decimals are strings so no digit is lost."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from prima.skm.domain.index import IkmResult


def _text(value: Decimal | None) -> str | None:
    # Positional notation always: str() would write a tiny value as 1E-7.
    return None if value is None else format(value, "f")


def result_document(
    result: IkmResult,
    *,
    unit: str | None = None,
    survey: int | None = None,
    period: str | None = None,
) -> dict[str, Any]:
    """The §10 layout; decimals are strings so that no digit is lost."""
    main, other = result.result, result.alternative
    return {
        "unit": unit,
        "survey": survey,
        "instrument": result.instrument,
        "period": period,
        "status": str(result.status),
        "respondents": result.respondents,
        "answers": dict(result.answers),
        "nrr": {code: _text(value) for code, value in result.nrr.items()},
        "ikm": _text(main.ikm) if main else None,
        "ikm_converted": _text(main.ikm_converted) if main else None,
        "grade": main.grade if main else None,
        "performance": main.performance if main else None,
        "weight_rule": str(result.weight_rule),
        "alternative": (
            {
                "weight_rule": str(other.weight_rule),
                "ikm": _text(other.ikm),
                "ikm_converted": _text(other.ikm_converted),
                "grade": other.grade,
            }
            if other
            else None
        ),
        "sample_target": result.sample_target,
        "sample_adequate": result.sample_adequate,
        "warnings": [str(warning) for warning in result.warnings],
    }
