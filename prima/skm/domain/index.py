"""The public satisfaction index (IKM) of a set of responses (skm.md §5, §6, §10).

Two steps, so that the same result comes from raw responses and from stored counters:

- :func:`tally` (or :class:`Tally`, fed one response at a time) turns responses into
  :class:`Counters`: per element, how many respondents gave each answer value;
- :func:`compute` turns counters into an :class:`IkmResult`.

Counters add up (:meth:`Counters.__add__`), so a yearly figure is the sum of its periods'
counters — the pooled responses — never an average of their IKMs.

Arithmetic is exact (``Fraction``) until output: NRR and IKM are rounded to 4 decimals and
the converted value to 2, each ROUND_HALF_UP from the exact value; the grade reads the
converted value at 2 dp. Both weight rules are always computed. Pure: no ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from prima.core.domain.rounding import round_half_up
from prima.skm.domain.instruments import SkmInstrument
from prima.skm.domain.sample import sample_target
from prima.skm.enums import ResultStatus, ResultWarning, WeightRule

NRR_PLACES = 4
IKM_PLACES = 4
CONVERTED_PLACES = 2
# skm.md §5: the result page explains why mostly "baik" (3) answers give grade C.
BAIK = 3
GRADE_C = "C"

Answers = Mapping[str, int | None]


@dataclass(frozen=True)
class Counters:
    """Accepted respondents and, per element code, answer value → number of respondents.

    Counts per value rather than only (count, sum): both derive from them, and the result
    also needs the most frequent answer (skm.md §5) and the distribution to show.
    """

    respondents: int
    answers: Mapping[str, Mapping[int, int]]

    def __post_init__(self) -> None:
        for code, per_value in self.answers.items():
            if any(number < 0 for number in per_value.values()):
                raise ValueError(f"{code}: a negative number of respondents")
            if sum(per_value.values()) > self.respondents:
                raise ValueError(f"{code}: more answers than the {self.respondents} respondents")

    def count(self, code: str) -> int:
        """n_u: how many respondents answered the element (blanks left out)."""
        return sum(self.answers[code].values())

    def total(self, code: str) -> int:
        """Σ of the answers to the element."""
        return sum(value * number for value, number in self.answers[code].items())

    def __add__(self, other: Counters) -> Counters:
        """The counters of both sets of responses pooled (same elements only)."""
        if set(self.answers) != set(other.answers):
            raise ValueError("counters of different elements cannot be added")
        return Counters(
            respondents=self.respondents + other.respondents,
            answers=MappingProxyType(
                {
                    code: MappingProxyType(
                        {
                            value: mine.get(value, 0) + other.answers[code].get(value, 0)
                            for value in sorted({*mine, *other.answers[code]})
                        }
                    )
                    for code, mine in self.answers.items()
                }
            ),
        )


class Tally:
    """Counts responses one at a time in constant memory; :meth:`counters` reads them."""

    def __init__(self, instrument: SkmInstrument) -> None:
        self._counts = {
            code: dict.fromkeys(instrument.answer_values, 0) for code in instrument.element_codes
        }
        self.respondents = 0

    def add(self, answers: Answers) -> None:
        """Count one accepted response: element code → answer, or None (blank) / absent.

        Entry validation comes first (skm.md §5, §9); a response this refuses is a bug of
        the caller: an unknown element, a value off the scale, or every element blank.
        """
        hits: list[tuple[dict[int, int], int]] = []
        for code, value in answers.items():
            per_value = self._counts.get(code)
            if per_value is None:
                raise ValueError(f"unknown element {code!r}")
            if value is None:
                continue
            if type(value) is not int or value not in per_value:
                raise ValueError(f"{code}: answer {value!r} is off the scale")
            hits.append((per_value, value))
        if not hits:
            raise ValueError("a response with every element blank is rejected at entry")
        for per_value, value in hits:
            per_value[value] += 1
        self.respondents += 1

    def counters(self) -> Counters:
        return Counters(
            respondents=self.respondents,
            answers=MappingProxyType(
                {code: MappingProxyType(dict(per)) for code, per in self._counts.items()}
            ),
        )


def tally(responses: Iterable[Answers], instrument: SkmInstrument) -> Counters:
    """The counters of accepted responses (each: element code → answer or None)."""
    counting = Tally(instrument)
    for answers in responses:
        counting.add(answers)
    return counting.counters()


@dataclass(frozen=True)
class RuleResult:
    """The index under one weight rule."""

    weight_rule: WeightRule
    ikm: Decimal  # 1–4, 4 dp
    ikm_converted: Decimal  # 25–100, 2 dp
    grade: str
    performance: str


@dataclass(frozen=True)
class IkmResult:
    """The result of one set of responses (skm.md §10 without unit, survey and period)."""

    instrument: str
    # The rule of ``result``; ``alternative`` uses the other one.
    weight_rule: WeightRule
    respondents: int
    # n_u per element, and its average (None when nobody answered it).
    answers: Mapping[str, int]
    nrr: Mapping[str, Decimal | None]
    # Under the rule chosen and under the other one; None when incomplete.
    result: RuleResult | None
    alternative: RuleResult | None
    sample_target: int | None
    sample_adequate: bool | None
    warnings: tuple[ResultWarning, ...]
    # Show why mostly "baik" (3) answers give C (skm.md §5): see :func:`_explain_baik_is_c`.
    explain_baik_is_c: bool

    @property
    def status(self) -> ResultStatus:
        return ResultStatus.CALCULATED if self.result is not None else ResultStatus.INCOMPLETE

    @property
    def missing(self) -> tuple[str, ...]:
        """Elements nobody answered: they make the result INCOMPLETE."""
        return tuple(code for code, number in self.answers.items() if number == 0)


def _rule_result(nrr_sum: Fraction, instrument: SkmInstrument, rule: WeightRule) -> RuleResult:
    ikm = nrr_sum * instrument.weight(rule)
    converted = round_half_up(ikm * Fraction(instrument.conversion_factor), CONVERTED_PLACES)
    band = instrument.band_for(converted)
    return RuleResult(
        weight_rule=rule,
        ikm=round_half_up(ikm, IKM_PLACES),
        ikm_converted=converted,
        grade=band.grade,
        performance=band.performance,
    )


def compute(
    counters: Counters,
    instrument: SkmInstrument,
    *,
    weight_rule: WeightRule | None = None,
    population: int | None = None,
) -> IkmResult:
    """The IKM of ``counters`` under ``weight_rule`` (the instrument's by default).

    ``population`` is N, the service users of the period; None when unknown.
    """
    codes = instrument.element_codes
    if set(counters.answers) != set(codes):
        raise ValueError(f"counters are not for the elements of {instrument.code}")
    rule = WeightRule(weight_rule or instrument.weight_rule)
    answered = {code: counters.count(code) for code in codes}
    exact_nrr = {
        code: Fraction(counters.total(code), answered[code]) if answered[code] else None
        for code in codes
    }
    warnings: list[ResultWarning] = []
    result = alternative = None
    if all(value is not None for value in exact_nrr.values()):
        nrr_sum = sum((value for value in exact_nrr.values() if value is not None), Fraction(0))
        other = WeightRule.EXACT if rule == WeightRule.PRINTED else WeightRule.PRINTED
        result = _rule_result(nrr_sum, instrument, rule)
        alternative = _rule_result(nrr_sum, instrument, other)
        if result.grade != alternative.grade:
            warnings.append(ResultWarning.WEIGHT_RULE_GRADE_DIFFERS)
    target = adequate = None
    if population is not None:
        target = sample_target(population)
        adequate = counters.respondents >= target
        if not adequate:
            warnings.append(ResultWarning.SAMPLE_BELOW_TARGET)
    else:
        warnings.append(ResultWarning.POPULATION_UNKNOWN)
    if result is None:
        warnings.append(ResultWarning.INCOMPLETE_ELEMENT)
    return IkmResult(
        instrument=instrument.code,
        weight_rule=rule,
        respondents=counters.respondents,
        answers=MappingProxyType(answered),
        nrr=MappingProxyType(
            {
                code: None if value is None else round_half_up(value, NRR_PLACES)
                for code, value in exact_nrr.items()
            }
        ),
        result=result,
        alternative=alternative,
        sample_target=target,
        sample_adequate=adequate,
        warnings=tuple(warnings),
        explain_baik_is_c=_explain_baik_is_c(counters, instrument, result),
    )


def _explain_baik_is_c(
    counters: Counters, instrument: SkmInstrument, result: RuleResult | None
) -> bool:
    """Whether the result must explain why mostly "baik" (3) answers give C (skm.md §5).

    Only when the grade is C, 3 is a most frequent answer over all elements, and the
    instrument itself grades "everyone answers 3" C under both rules: skm-2004 grades it B,
    so the explanation would be false there.
    """
    if result is None or result.grade != GRADE_C:
        return False
    per_value = {
        value: sum(per.get(value, 0) for per in counters.answers.values())
        for value in instrument.answer_values
    }
    if not per_value.get(BAIK) or per_value[BAIK] != max(per_value.values()):
        return False
    return all(
        instrument.band_for(uniform_converted(instrument, BAIK, rule)).grade == GRADE_C
        for rule in WeightRule
    )


def uniform_converted(instrument: SkmInstrument, answer: int, rule: WeightRule) -> Decimal:
    """The converted value (2 dp) when every answer is ``answer`` (3 → 75.00 or 74.93)."""
    ikm = answer * len(instrument.elements) * instrument.weight(rule)
    return round_half_up(ikm * Fraction(instrument.conversion_factor), CONVERTED_PLACES)
