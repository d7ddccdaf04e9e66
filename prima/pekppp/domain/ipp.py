"""The public-service index (IPP) of one unit locus (pekppp.md §9).

- :func:`compute` — final F-02 scores (indicator number → 0–5) → :class:`IppResult`:
  aspect scores, exact IPP, IPP at 2 dp (ROUND_HALF_UP from the exact value), grade,
  predicate, percent view, the F-03 combination used and the "improve first" list.
- :func:`f03_score` — F-03 answers per item → mean over answered items of the item means.
- :func:`rank` — competition ranking by IPP at 2 dp (1, 2, 2, 4), §10.

Arithmetic is exact (``Fraction``) and rounded only for output; never ``float``.
This module is pure: no ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from prima.core.domain.rounding import round_half_up
from prima.evaluation.domain.yamlcheck import Problem, ProblemsError
from prima.pekppp.domain.instruments import SCALE_MAX, SCALE_MIN, Band, PekpppInstrument

F02_ONLY = "f02_only"
WEIGHTED = "weighted"
COMBINATIONS = (F02_ONLY, WEIGHTED)
DEFAULT_F02_WEIGHT = Decimal("0.75")
DEFAULT_F03_WEIGHT = Decimal("0.25")
DEFAULT_F03_MIN = 10
IMPROVE_FIRST = 5
F03_INSUFFICIENT = "F-03 insufficient"


class ScoreError(ProblemsError):
    """The scores cannot be used; ``problems`` names each indicator (path ``scores.<n>``)."""

    title = "nilai indikator tidak dapat dipakai"


@dataclass(frozen=True)
class Gain:
    """One indicator in the improvement order: possible gain = global weight × (5 − score) / 100."""

    number: int
    code: str
    score: int
    global_weight: Decimal  # percent of the IPP
    gain: Fraction  # IPP points

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "code": self.code,
            "score": self.score,
            "global_weight": _text(Fraction(self.global_weight), 2),
            "gain": _text(self.gain, 4),
        }


@dataclass(frozen=True)
class IppResult:
    instrument: str
    aspect_scores: Mapping[str, Fraction]  # exact, by aspect code
    ipp_f02: Fraction
    ipp_raw: Fraction  # the exact IPP after the combination
    ipp: Decimal  # 2 dp
    band: Band
    combination: str  # requested
    combination_used: str  # f02_only when F-03 was insufficient
    f03_score: Fraction | None
    f03_responses: int | None
    warnings: tuple[str, ...]
    improvement: tuple[Gain, ...]  # every indicator, best gain first

    @property
    def grade(self) -> str:
        return self.band.grade

    @property
    def predicate(self) -> str:
        return self.band.predicate

    @property
    def percent(self) -> Decimal:
        """IPP / 5 × 100 at 2 dp, display only; never banded."""
        return round_half_up(self.ipp_raw * 100 / SCALE_MAX, 2)

    @property
    def improve_first(self) -> tuple[Gain, ...]:
        """The top indicators by possible gain ("perbaiki dulu"); nothing to gain → not listed."""
        return tuple(item for item in self.improvement[:IMPROVE_FIRST] if item.gain > 0)

    def as_dict(self) -> dict[str, Any]:
        """The §9 fields: aspect scores 4 dp, ipp_raw 6 dp, ipp 2 dp, as decimal text."""
        return {
            "instrument": self.instrument,
            "aspect_scores": {code: _text(value, 4) for code, value in self.aspect_scores.items()},
            "ipp_f02": _text(self.ipp_f02, 6),
            "ipp_raw": _text(self.ipp_raw, 6),
            "ipp": format(self.ipp, "f"),
            "grade": self.grade,
            "predicate": self.predicate,
            "percent": format(self.percent, "f"),
            "combination": self.combination,
            "combination_used": self.combination_used,
            "f03_score": None if self.f03_score is None else _text(self.f03_score, 4),
            "f03_responses": self.f03_responses,
            "warnings": list(self.warnings),
            "improve_first": [item.as_dict() for item in self.improve_first],
        }


def _text(value: Fraction, places: int) -> str:
    return format(round_half_up(value, places), "f")


def _fraction(value: Decimal | Fraction | int) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def check_scores(instrument: PekpppInstrument, scores: Mapping[Any, object]) -> dict[int, int]:
    """Scores keyed by indicator number (int or its text) → {number: level}.

    Raises :class:`ScoreError` naming every unknown, missing or bad score, in indicator order.
    """
    problems: list[Problem] = []
    given = {str(key): value for key, value in scores.items()}
    known = {str(number) for number in instrument.numbers}
    for key in given:
        if key not in known:
            problems.append(Problem(f"scores.{key}", "bukan nomor indikator instrumen ini"))
    result: dict[int, int] = {}
    for indicator in instrument.indicators:
        number = indicator.number
        path = f"scores.{number}"
        name = f"indikator {number} ({indicator.code})"
        if str(number) not in given:
            problems.append(Problem(path, f"{name} belum dinilai; semua indikator wajib bernilai"))
            continue
        value = given[str(number)]
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(
                Problem(
                    path,
                    f"{name}: nilai harus bilangan bulat {SCALE_MIN}–{SCALE_MAX}, bukan {value!r}",
                )
            )
        elif not SCALE_MIN <= value <= SCALE_MAX:
            problems.append(
                Problem(path, f"{name}: nilai {value} di luar skala {SCALE_MIN}–{SCALE_MAX}")
            )
        else:
            result[number] = value
    if problems:
        raise ScoreError(problems)
    return result


def aspect_scores(instrument: PekpppInstrument, scores: Mapping[int, int]) -> dict[str, Fraction]:
    """AspectScore_a = Σ_i (w_ai / 100) × s_ai, exact, in aspect order."""
    result = {aspect.code: Fraction(0) for aspect in instrument.aspects}
    for indicator in instrument.indicators:
        result[indicator.aspect] += Fraction(indicator.weight) / 100 * scores[indicator.number]
    return result


def ipp_from_aspects(instrument: PekpppInstrument, aspects: Mapping[str, Fraction]) -> Fraction:
    """IPP_F02 = Σ_a (W_a / 100) × AspectScore_a."""
    return sum(
        (Fraction(aspect.weight) / 100 * aspects[aspect.code] for aspect in instrument.aspects),
        Fraction(0),
    )


def improvement(instrument: PekpppInstrument, scores: Mapping[int, int]) -> tuple[Gain, ...]:
    """Every indicator by possible gain, then larger global weight, then lower number."""
    gains = [
        Gain(
            number=indicator.number,
            code=indicator.code,
            score=scores[indicator.number],
            global_weight=instrument.global_weight(indicator.number),
            gain=Fraction(instrument.global_weight(indicator.number))
            * (SCALE_MAX - scores[indicator.number])
            / 100,
        )
        for indicator in instrument.indicators
    ]
    gains.sort(key=lambda item: (-item.gain, -item.global_weight, item.number))
    return tuple(gains)


def compute(
    instrument: PekpppInstrument,
    scores: Mapping[Any, object],
    *,
    combination: str = F02_ONLY,
    f03_score: Decimal | Fraction | int | None = None,
    f03_responses: int | None = None,
    f03_min: int = DEFAULT_F03_MIN,
    f02_weight: Decimal = DEFAULT_F02_WEIGHT,
    f03_weight: Decimal = DEFAULT_F03_WEIGHT,
) -> IppResult:
    """The §9 result of one unit; raises :class:`ScoreError` (every problem) for bad input.

    Under ``weighted`` the F-03 score counts only when sufficient (``f03_responses`` ≥
    ``f03_min``); otherwise the IPP is the F-02 IPP with the warning "F-03 insufficient".
    """
    problems: list[Problem] = []
    if combination not in COMBINATIONS:
        problems.append(
            Problem("combination", f"harus {' atau '.join(COMBINATIONS)}, bukan {combination!r}")
        )
    if not instrument.indicators:
        problems.append(
            Problem("instrument", f"instrumen {instrument.code} tidak memuat daftar indikator")
        )
    if f02_weight < 0 or f03_weight < 0 or f02_weight + f03_weight != 1:
        problems.append(Problem("f02_weight", "bobot F-02 dan F-03 harus ≥ 0 dan berjumlah 1"))
    if f03_score is not None and not SCALE_MIN <= _fraction(f03_score) <= SCALE_MAX:
        problems.append(Problem("f03_score", f"harus {SCALE_MIN}–{SCALE_MAX}, bukan {f03_score}"))
    if f03_responses is not None and f03_responses < 0:
        problems.append(Problem("f03_responses", "tidak boleh negatif"))
    if problems:
        raise ScoreError(problems)
    levels = check_scores(instrument, scores)
    aspects = aspect_scores(instrument, levels)
    ipp_f02 = ipp_from_aspects(instrument, aspects)
    f03 = None if f03_score is None else _fraction(f03_score)
    warnings: list[str] = []
    used = F02_ONLY
    ipp_raw = ipp_f02
    if combination == WEIGHTED:
        sufficient = f03 is not None and f03_responses is not None and f03_responses >= f03_min
        if sufficient:
            assert f03 is not None
            used = WEIGHTED
            ipp_raw = Fraction(f02_weight) * ipp_f02 + Fraction(f03_weight) * f03
        else:
            warnings.append(F03_INSUFFICIENT)
    ipp = round_half_up(ipp_raw, 2)
    return IppResult(
        instrument=instrument.code,
        aspect_scores=aspects,
        ipp_f02=ipp_f02,
        ipp_raw=ipp_raw,
        ipp=ipp,
        band=instrument.band_for(ipp),
        combination=combination,
        combination_used=used,
        f03_score=f03,
        f03_responses=f03_responses,
        warnings=tuple(warnings),
        improvement=improvement(instrument, levels),
    )


def f03_score(answers: Mapping[object, Iterable[int | None]]) -> Fraction | None:
    """Mean over items with ≥ 1 answer of that item's mean answer (§8); None if none answered."""
    means = []
    for values in answers.values():
        given = [value for value in values if value is not None]
        if given:
            means.append(Fraction(sum(given), len(given)))
    if not means:
        return None
    return sum(means, Fraction(0)) / len(means)


def rank(ipps: Sequence[Fraction]) -> list[int]:
    """Competition ranks by IPP at 2 dp, descending: equal values share, the next skips."""
    rounded = [round_half_up(value, 2) for value in ipps]
    return [1 + sum(1 for other in rounded if other > value) for value in rounded]
